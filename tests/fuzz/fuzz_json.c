/*
 * fuzz_json.c - libFuzzer harness for strict JSON decoding: json_decode() on the input, then
 * on success every field accessor and json_only_keys() on the result, and a round trip
 * (what we encode must decode again). Checks that every rejection names a place (a JSON
 * pointer, or "body" with a position) and says why.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "json/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(int rc, const struct json_error *err)
{
	if (rc != -EINVAL)
		abort();
	if (!err->field[0] || !err->detail[0])
		abort();
}

static void exercise_fields(json_t *obj, const char *base)
{
	static const char *const keys[] = { "name", "id", "score", "open", "items", "", NULL };
	struct json_error err;
	for (size_t i = 0; keys[i]; i++) {
		const char *s;
		int64_t n;
		double d;
		bool b;
		json_t *arr;
		int rc = json_field_string(obj, base, keys[i], i % 2, 200, &s, &err);
		if (rc < 0)
			check_error(rc, &err);
		rc = json_field_int(obj, base, keys[i], false, -1000, 1000000, &n, &err);
		if (rc < 0)
			check_error(rc, &err);
		rc = json_field_number(obj, base, keys[i], false, -1e6, 1e6, &d, &err);
		if (rc < 0)
			check_error(rc, &err);
		rc = json_field_bool(obj, base, keys[i], false, &b, &err);
		if (rc < 0)
			check_error(rc, &err);
		rc = json_field_array(obj, base, keys[i], false, 10, &arr, &err);
		if (rc < 0)
			check_error(rc, &err);
		if (rc == 0) {
			size_t j;
			json_t *item;
			json_array_foreach(arr, j, item)
			{
				if (json_is_object(item))
					exercise_fields(item, "/items/0");
			}
		}
	}
	static const char *const allowed[] = { "name", "id", "score", "open", "items", NULL };
	int rc = json_only_keys(obj, base, allowed, &err);
	if (rc < 0)
		check_error(rc, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	json_t *v = NULL;
	struct json_error err;
	memset(&err, 0, sizeof(err));
	int rc = json_decode(a, (const char *)data, size, &v, &err);
	if (rc < 0) {
		check_error(rc, &err);
		arena_destroy(a);
		return 0;
	}
	if (json_expect_object(v, "", &err) == 0) {
		exercise_fields(v, "");
	} else {
		check_error(-EINVAL, &err);
	}
	size_t len;
	char *text = json_dump_compact(v, &len);
	json_t *again = NULL;
	if (json_decode(a, text, len, &again, &err) < 0)
		abort();
	free(text);
	arena_destroy(a);
	return 0;
}
