/*
 * operator.c - the operator's proof in a request: the "licence_number" and "appeal_code"
 * members of its body, checked by records/operator.c. Shared by the operator's routes
 * (appeals.c, replies.c, rerating.c).
 */
#include "api/api.h"
#include "api/request_docs.h"
#include "records/operator.h"

int api_operator_auth(struct http_request *req, struct http_response *res, json_t *body,
                      struct rec_operator *ret)
{
	struct json_error err;
	struct operator_proof proof;
	http_header_add(res, "Cache-Control", "no-store");
	if (operator_proof_read(req->arena, body, &proof, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_operator_auth(&r, proof.licence, proof.licence_key, proof.code, proof.code_len,
	                      ret) < 0)
		return api_refused(res, &r);
	return 0;
}
