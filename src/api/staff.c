/*
 * staff.c - staff accounts, for admins: GET /api/v1/staff lists them, POST /api/v1/staff
 * adds one. The same rules as `placard user add` (src/cli/user.c), from src/domain/auth.c.
 *
 * API layer.
 */
#include "api/api.h"
#include "core/crypto.h"

#include <errno.h>
#include <string.h>

#include "core/log.h"
#include "domain/auth.h"

int api_staff_list(struct http_request *req, struct http_response *res)
{
	struct store *s = store_thread(STORE_WRITE);
	struct store_result *r;
	int rc = store_exec(s, req->arena, STMT_STAFF_LIST_JSON, NULL, &r);
	if (rc < 0)
		return api_store_error(res, s, rc);
	http_header_add(res, "Cache-Control", "no-store");
	return api_json_text(res, 200, store_value(r, 0, 0));
}

/* Fill @err for a rule of domain/auth.c that @field broke. Returns -EINVAL. */
static int refuse(struct json_error *err, const char *field, const char *reason)
{
	snprintf(err->field, sizeof(err->field), "%s", field);
	snprintf(err->detail, sizeof(err->detail), "%s", reason);
	return -EINVAL;
}

int api_staff_create(struct http_request *req, struct http_response *res)
{
	static const char *const keys[] = { "username", "display_name", "role", "password", NULL };
	json_t *body;
	struct json_error err;
	const char *username, *display_name = NULL, *role_text, *password, *why;
	enum auth_role role;
	if (json_decode(req->arena, req->body, req->body_len, &body, &err) < 0 ||
	    json_expect_object(body, "", &err) < 0 || json_only_keys(body, "", keys, &err) < 0 ||
	    json_field_string(body, "", "username", true, 256, &username, &err) < 0 ||
	    json_field_string(body, "", "display_name", false, 1024, &display_name, &err) < 0 ||
	    json_field_string(body, "", "role", true, 64, &role_text, &err) < 0 ||
	    json_field_string(body, "", "password", true, 64 * 1024, &password, &err) < 0)
		return api_json_error(res, &err);
	if (!display_name)
		display_name = username;
	if (auth_username_check(username, &why) < 0) {
		refuse(&err, "/username", why);
		return api_json_error(res, &err);
	}
	if (auth_display_name_check(display_name, &why) < 0) {
		refuse(&err, "/display_name", why);
		return api_json_error(res, &err);
	}
	if (auth_role_parse(role_text, &role) < 0) {
		refuse(&err, "/role", "\"role\" must be one of " AUTH_ROLE_NAMES ".");
		return api_json_error(res, &err);
	}
	if (auth_password_check(password, strlen(password), &why) < 0) {
		refuse(&err, "/password", why);
		return api_json_error(res, &err);
	}

	char hash[128];
	if (password_hash(password, strlen(password), hash) < 0)
		return http_problem(res, 503, NULL, "The server is too busy; try again.");
	const char *const params[] = { username, display_name, auth_role_name(role), hash };
	struct store *s = store_thread(STORE_WRITE);
	struct store_result *r;
	int rc = store_exec(s, req->arena, STMT_STAFF_CREATE, params, &r);
	if (rc == -EEXIST)
		return http_problem(res, 409, "/username",
		                    "A staff member named %s already exists.", username);
	if (rc < 0)
		return api_store_error(res, s, rc);
	log_info("auth: %s added staff member %s (%s)", api_user(req)->username, username,
	         auth_role_name(role));
	json_t *v = json_arena(req->arena,
	                       json_pack("{s:I, s:s, s:s, s:s}", "id",
	                                 (json_int_t)store_value_int(r, 0, 0), "username",
	                                 store_value(r, 0, 1), "display_name", store_value(r, 0, 2),
	                                 "role", store_value(r, 0, 3)));
	return api_json(res, 201, v);
}
