/*
 * json.h - strict JSON decoding of request bodies and typed field access, on jansson.
 *
 * A body is accepted only if it is one JSON object or array with no trailing bytes, no
 * duplicate keys, valid UTF-8 with no \u0000, numbers that fit (integers in 64 bits, reals in
 * a double), nesting at most JSON_MAX_DEPTH deep, strings at most JSON_MAX_STRING bytes,
 * arrays at most JSON_MAX_ARRAY items and objects at most JSON_MAX_MEMBERS members. Every rejection fills a json_error naming the place at fault:
 * a JSON pointer ("/violations/3/code") for fields, or "body" with the line and column.
 *
 * Sits beside core: knows jansson, not HTTP and not the database.
 */
#ifndef PLACARD_JSON_JSON_H
#define PLACARD_JSON_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/i18n.h"

#define JSON_MAX_DEPTH   16
#define JSON_MAX_STRING  (64 * 1024)
#define JSON_MAX_ARRAY   1000
#define JSON_MAX_MEMBERS 1000

struct json_error {
	char field[160];               /* JSON pointer or "body" */
	char detail[I18N_MESSAGE_MAX]; /* a sentence for a person, in the thread's language */
	const char *code;              /* the message's key ("api.json.required"), or NULL */
};

/* Call once before threads start: seeds jansson's hash function. */
void json_init(void);

/*
 * Decode @len bytes of @body. On 0, *@ret is a new reference whose json_decref() is deferred
 * to @a. On -EINVAL, @err says why and where, and *@ret is untouched.
 */
int json_decode(struct arena *a, const char *body, size_t len, json_t **ret,
                struct json_error *err);

/* Tie @v's reference to @a (json_decref at arena destruction). Returns @v. */
json_t *json_arena(struct arena *a, json_t *v);

/*
 * Field access on an object @obj at JSON pointer @base ("" for the top). Each returns 0 and
 * sets *ret, 1 when the field is absent and not @required (ret untouched), or -EINVAL with
 * @err filled (wrong type, out of range, too long, missing and required).
 */
int json_field_string(json_t *obj, const char *base, const char *key, bool required, size_t max_len,
                      const char **ret, struct json_error *err);
int json_field_int(json_t *obj, const char *base, const char *key, bool required, int64_t min,
                   int64_t max, int64_t *ret, struct json_error *err);
int json_field_bool(json_t *obj, const char *base, const char *key, bool required, bool *ret,
                    struct json_error *err);
int json_field_number(json_t *obj, const char *base, const char *key, bool required, double min,
                      double max, double *ret, struct json_error *err);
int json_field_array(json_t *obj, const char *base, const char *key, bool required,
                     size_t max_items, json_t **ret, struct json_error *err);

/* Refuse keys of @obj not in the NULL-terminated @allowed list (a closed schema). */
int json_only_keys(json_t *obj, const char *base, const char *const allowed[],
                   struct json_error *err);

/* Require @v to be an object, naming @pointer otherwise. */
int json_expect_object(json_t *v, const char *pointer, struct json_error *err);

/*
 * Fill @err with @field, the code @key (a message of the "api" catalogue, a string literal)
 * and its sentence in the thread's language, formatted with the name/value pairs that
 * follow, ended by NULL (i18n_format()). Returns -EINVAL for `return json_error_set(...)`:
 *
 *	return json_error_set(err, ptr, "api.json.required", "name", key, NULL);
 */
int json_error_set(struct json_error *err, const char *field, const char *key, ...)
        __attribute__((sentinel));

/* Fill @err with @field, @code (a key, or NULL) and a sentence already made, @detail, such
 * as a lower layer's. Returns -EINVAL. */
int json_error_set_text(struct json_error *err, const char *field, const char *code,
                        const char *detail);

/*
 * True if @s is an RFC 3339 timestamp as the API takes them: 2026-05-01T09:30:00Z, with
 * optional seconds, fraction and offset, at most JSON_TIMESTAMP_MAX bytes, and a month, day,
 * hour and minute in range. PostgreSQL checks the rest (30 February) when it parses it.
 */
#define JSON_TIMESTAMP_MAX 40
bool json_timestamp_valid(const char *s);

/* True if @s is a date as the API takes them, YYYY-MM-DD, with a month and day in range;
 * PostgreSQL checks the rest. */
bool json_date_valid(const char *s);

/* Serialise compactly into malloc'd memory (caller frees). Never NULL. */
char *json_dump_compact(const json_t *v, size_t *ret_len);

#endif
