/*
 * json.c - strict decoding and typed field access. See json.h.
 *
 * jansson 2.14 already refuses, with a line, column and byte position: invalid UTF-8
 * (overlong forms, encoded surrogates), lone or mismatched \u surrogates, \u0000, control
 * characters in strings, integers beyond 64 bits, reals that overflow a double, NaN and
 * Infinity, leading zeros, comments, a top level that is not an object or array, and bytes
 * after the value. What it leaves to us: duplicate keys (a flag), nesting (its own limit is
 * 2048 levels of recursion), sizes, and the shape of our documents.
 */
#include "json/json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

void json_init(void)
{
	json_object_seed(0);
}

static void json_decref_cb(void *p)
{
	json_decref(p);
}

json_t *json_arena(struct arena *a, json_t *v)
{
	arena_defer(a, json_decref_cb, v);
	return v;
}

int json_error_set(struct json_error *err, const char *field, const char *key, ...)
{
	va_list ap;
	snprintf(err->field, sizeof(err->field), "%s", field);
	err->code = key;
	va_start(ap, key);
	i18n_vformat(err->detail, sizeof(err->detail), NULL, key, ap);
	va_end(ap);
	return -EINVAL;
}

int json_error_set_text(struct json_error *err, const char *field, const char *code,
                        const char *detail)
{
	if (field != err->field)
		snprintf(err->field, sizeof(err->field), "%s", field);
	err->code = code;
	if (detail != err->detail)
		snprintf(err->detail, sizeof(err->detail), "%s", detail);
	return -EINVAL;
}

/* Append a key or index to a JSON pointer, escaping ~ and / as RFC 6901 says. */
static void pointer_join(char *out, size_t size, const char *base, const char *key)
{
	size_t off = (size_t)snprintf(out, size, "%s/", base);
	for (const char *k = key; *k && off + 3 < size; k++) {
		if (*k == '~') {
			out[off++] = '~';
			out[off++] = '0';
		} else if (*k == '/') {
			out[off++] = '~';
			out[off++] = '1';
		} else {
			out[off++] = *k;
		}
	}
	out[off < size ? off : size - 1] = '\0';
}

/* Walk @v enforcing depth, string and array limits. */
static int check_limits(json_t *v, const char *at, int depth, struct json_error *err)
{
	char child[sizeof(err->field)];
	if (depth > JSON_MAX_DEPTH)
		return json_error_set(err, at[0] ? at : "/", "api.json.too_deep", "max",
		                      I18N_INT(JSON_MAX_DEPTH), NULL);
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (json_string_length(v) > JSON_MAX_STRING)
			return json_error_set(err, at, "api.json.string_too_long", "max",
			                      I18N_INT(JSON_MAX_STRING), NULL);
		return 0;
	case JSON_ARRAY: {
		if (json_array_size(v) > JSON_MAX_ARRAY)
			return json_error_set(err, at, "api.json.array_too_long", "max",
			                      I18N_INT(JSON_MAX_ARRAY), NULL);
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item)
		{
			char idx[24];
			snprintf(idx, sizeof(idx), "%zu", i);
			pointer_join(child, sizeof(child), at, idx);
			if (check_limits(item, child, depth + 1, err) < 0)
				return -EINVAL;
		}
		return 0;
	}
	case JSON_OBJECT: {
		const char *key;
		json_t *item;
		if (json_object_size(v) > JSON_MAX_MEMBERS)
			return json_error_set(err, at[0] ? at : "/", "api.json.too_many_members",
			                      "max", I18N_INT(JSON_MAX_MEMBERS), NULL);
		json_object_foreach(v, key, item)
		{
			pointer_join(child, sizeof(child), at, key);
			if (strlen(key) > 256)
				return json_error_set(err, child, "api.json.key_too_long", NULL);
			if (check_limits(item, child, depth + 1, err) < 0)
				return -EINVAL;
		}
		return 0;
	}
	default: return 0;
	}
}

/*
 * Refuse nesting deeper than JSON_MAX_DEPTH before jansson parses anything, so its recursion
 * (up to 2048 frames) never runs on hostile input. Brackets inside strings do not count; a
 * malformed document that fools this count is refused by jansson earlier than its depth.
 */
static int check_depth(const char *body, size_t len, struct json_error *err)
{
	int depth = 0;
	bool in_string = false;
	for (size_t i = 0; i < len; i++) {
		char c = body[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			if (++depth > JSON_MAX_DEPTH)
				return json_error_set(err, "body", "api.json.too_deep_at", "max",
				                      I18N_INT(JSON_MAX_DEPTH), "byte", I18N_INT(i),
				                      NULL);
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return 0;
}

int json_decode(struct arena *a, const char *body, size_t len, json_t **ret, struct json_error *err)
{
	if (len == 0)
		return json_error_set(err, "body", "api.json.empty_body", NULL);
	if (check_depth(body, len, err) < 0)
		return -EINVAL;
	json_error_t je;
	json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!v)
		return json_error_set(err, "body", "api.json.malformed", "line", I18N_INT(je.line),
		                      "column", I18N_INT(je.column), "byte", I18N_INT(je.position),
		                      "error", je.text, NULL);
	if (check_limits(v, "", 1, err) < 0) {
		json_decref(v);
		return -EINVAL;
	}
	*ret = json_arena(a, v);
	return 0;
}

static json_t *field(json_t *obj, const char *base, const char *key, bool required, char *ptr,
                     size_t ptrsize, int *rc, struct json_error *err)
{
	pointer_join(ptr, ptrsize, base, key);
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v)) {
		*rc = required ? json_error_set(err, ptr, "api.json.required", "name", key, NULL)
		               : 1;
		return NULL;
	}
	*rc = 0;
	return v;
}

int json_field_string(json_t *obj, const char *base, const char *key, bool required, size_t max_len,
                      const char **ret, struct json_error *err)
{
	char ptr[sizeof(err->field)];
	int rc;
	json_t *v = field(obj, base, key, required, ptr, sizeof(ptr), &rc, err);
	if (!v)
		return rc;
	if (!json_is_string(v))
		return json_error_set(err, ptr, "api.json.not_string", "name", key, NULL);
	if (json_string_length(v) > max_len)
		return json_error_set(err, ptr, "api.json.string_too_long_named", "name", key,
		                      "max", I18N_INT(max_len), NULL);
	*ret = json_string_value(v);
	return 0;
}

int json_field_int(json_t *obj, const char *base, const char *key, bool required, int64_t min,
                   int64_t max, int64_t *ret, struct json_error *err)
{
	char ptr[sizeof(err->field)];
	int rc;
	json_t *v = field(obj, base, key, required, ptr, sizeof(ptr), &rc, err);
	if (!v)
		return rc;
	if (!json_is_integer(v))
		return json_error_set(err, ptr, "api.json.not_integer", "name", key, NULL);
	json_int_t i = json_integer_value(v);
	if (i < min || i > max)
		return json_error_set(err, ptr, "api.json.integer_range", "name", key, "min",
		                      I18N_INT((long long)min), "max", I18N_INT((long long)max),
		                      NULL);
	*ret = i;
	return 0;
}

int json_field_bool(json_t *obj, const char *base, const char *key, bool required, bool *ret,
                    struct json_error *err)
{
	char ptr[sizeof(err->field)];
	int rc;
	json_t *v = field(obj, base, key, required, ptr, sizeof(ptr), &rc, err);
	if (!v)
		return rc;
	if (!json_is_boolean(v))
		return json_error_set(err, ptr, "api.json.not_boolean", "name", key, NULL);
	*ret = json_is_true(v);
	return 0;
}

int json_field_number(json_t *obj, const char *base, const char *key, bool required, double min,
                      double max, double *ret, struct json_error *err)
{
	char ptr[sizeof(err->field)];
	int rc;
	json_t *v = field(obj, base, key, required, ptr, sizeof(ptr), &rc, err);
	if (!v)
		return rc;
	if (!json_is_number(v))
		return json_error_set(err, ptr, "api.json.not_number", "name", key, NULL);
	double d = json_number_value(v);
	if (!isfinite(d) || d < min || d > max)
		return json_error_set(err, ptr, "api.json.number_range", "name", key, "min",
		                      I18N_G(min), "max", I18N_G(max), NULL);
	*ret = d;
	return 0;
}

int json_field_array(json_t *obj, const char *base, const char *key, bool required,
                     size_t max_items, json_t **ret, struct json_error *err)
{
	char ptr[sizeof(err->field)];
	int rc;
	json_t *v = field(obj, base, key, required, ptr, sizeof(ptr), &rc, err);
	if (!v)
		return rc;
	if (!json_is_array(v))
		return json_error_set(err, ptr, "api.json.not_array", "name", key, NULL);
	if (json_array_size(v) > max_items)
		return json_error_set(err, ptr, "api.json.too_many_items", "name", key, "max",
		                      I18N_INT(max_items), NULL);
	*ret = v;
	return 0;
}

int json_only_keys(json_t *obj, const char *base, const char *const allowed[],
                   struct json_error *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		bool ok = false;
		for (size_t i = 0; allowed[i] && !ok; i++)
			ok = streq(key, allowed[i]);
		if (!ok) {
			char ptr[sizeof(err->field)];
			pointer_join(ptr, sizeof(ptr), base, key);
			return json_error_set(err, ptr, "api.json.unknown_field", "name", key,
			                      NULL);
		}
	}
	return 0;
}

int json_expect_object(json_t *v, const char *pointer, struct json_error *err)
{
	if (!json_is_object(v))
		return json_error_set(err, pointer[0] ? pointer : "body", "api.json.not_object",
		                      NULL);
	return 0;
}

char *json_dump_compact(const json_t *v, size_t *ret_len)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!s)
		die("json_dumps failed");
	if (ret_len)
		*ret_len = strlen(s);
	return s;
}

bool json_date_valid(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
			return false;
	int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
	return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool json_timestamp_valid(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd";
	size_t n = strlen(s);
	if (n < sizeof(shape) - 1 || n > JSON_TIMESTAMP_MAX)
		return false;
	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
			return false;
	for (size_t i = sizeof(shape) - 1; i < n; i++)
		if (!strchr("0123456789:.+-Z", s[i]))
			return false;
	int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
	int hour = (s[11] - '0') * 10 + (s[12] - '0'), min = (s[14] - '0') * 10 + (s[15] - '0');
	return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && min < 60;
}
