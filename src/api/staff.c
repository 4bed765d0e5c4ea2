/*
 * staff.c - staff accounts, for admins: GET /api/v1/staff lists them, POST /api/v1/staff
 * adds one (records/staff.c). The same rules as `placard user add` (src/cli/user.c), from
 * src/domain/auth.c.
 */
#include "api/api.h"
#include "api/registry_doc.h"
#include "records/staff.h"

int api_staff_list(struct http_request *req, struct http_response *res)
{
	const char *json;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_staff_list(&r, &json) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "no-store");
	return api_json_text(res, 200, json);
}

int api_staff_create(struct http_request *req, struct http_response *res)
{
	struct staff_doc doc;
	struct json_error err;
	const char *json;
	if (staff_doc_read(req->arena, req->body, req->body_len, &doc, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	struct rec_new_staff s = { .username = doc.username,
		                   .display_name = doc.display_name,
		                   .password = doc.password,
		                   .role = doc.role };
	if (rec_staff_create(&r, &s, &json) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 201, json);
}
