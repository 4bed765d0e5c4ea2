/*
 * schemes.c - the published scoring methods: GET /api/v1/schemes and /api/v1/schemes/{code}
 * (records/schemes.c builds them).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/api.h"
#include "records/schemes.h"
#include "core/util.h"
#include "domain/grade.h"

int api_schemes_list(struct http_request *req, struct http_response *res)
{
	json_t *list = json_arena(req->arena, json_array());
	for (size_t i = 0; i < grade_scheme_builtin_count(); i++)
		json_array_append_new(list, rec_scheme_json(grade_scheme_builtin_at(i), false));
	http_header_add(res, "Cache-Control", "public, max-age=300");
	return api_json(res, 200, json_arena(req->arena, json_pack("{s:O}", "schemes", list)));
}

int api_scheme_get(struct http_request *req, struct http_response *res)
{
	const char *code = http_param(req, "code")->value;
	const struct grade_scheme *s = grade_scheme_builtin(code);
	if (!s)
		return http_problem(res, 404, NULL, "There is no scoring scheme \"%s\".", code);
	http_header_add(res, "Cache-Control", "public, max-age=300");
	return api_json(res, 200, json_arena(req->arena, rec_scheme_json(s, true)));
}
