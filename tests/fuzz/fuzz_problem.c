/*
 * fuzz_problem.c - libFuzzer harness for the one error renderer: http_problem_text() (which
 * http_problem() formats into) with a fuzzed field, detail and instance (a request path may hold any byte). The document must
 * always be valid JSON, valid UTF-8, with the status, detail and field it was given.
 * Input: field NUL instance NUL detail.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/util.h"
#include "http/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 3);
	memcpy(text, data, size);
	text[size] = text[size + 1] = text[size + 2] = '\0';
	const char *field = text;
	const char *instance = field + strlen(field) + 1;
	if (instance > text + size)
		instance = text + size;
	const char *detail = instance + strlen(instance) + 1;
	if (detail > text + size)
		detail = text + size;

	struct arena *a = arena_new();
	struct http_response res;
	memset(&res, 0, sizeof(res));
	res.fd = -1;
	res.arena = a;
	res.instance = instance;
	int status = 400 + (int)(size % 200);
	if (http_problem_text(&res, status, field[0] ? field : NULL, NULL, detail) != status)
		abort();
	json_error_t je;
	json_t *doc = json_loadb(res.body.data, res.body.len, 0, &je);
	if (!doc || json_integer_value(json_object_get(doc, "status")) != status)
		abort();
	if (!json_is_string(json_object_get(doc, "detail")) ||
	    !json_is_string(json_object_get(doc, "instance")))
		abort();
	if (field[0] && !json_is_string(json_object_get(doc, "field")))
		abort();
	json_decref(doc);
	buf_release(&res.body);
	arena_destroy(a);
	free(text);
	return 0;
}
