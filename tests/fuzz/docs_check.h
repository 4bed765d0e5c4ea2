/*
 * docs_check.h - what the request body harnesses (fuzz_appeal_docs.c, fuzz_reply_docs.c,
 * fuzz_rerating_docs.c, fuzz_tablet_docs.c) check of every answer of a reader in
 * src/api/request_docs.h. Each harness decodes the input once more itself, to compare.
 *
 * A refusal names the field at fault and says why, whole (not cut at the size of
 * json_error): "body", with the code api.json.not_object, exactly when the input is not a
 * JSON object (a 400); otherwise a JSON pointer whose first member is one of the body's
 * members or one it must have (a 422), or, when the decoder's limits refused it, exactly what
 * json_decode() says. An accepted string
 * is the member itself, valid UTF-8 without NUL, within its limits in bytes and characters.
 */
#ifndef PLACARD_FUZZ_DOCS_CHECK_H
#define PLACARD_FUZZ_DOCS_CHECK_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/request_docs.h"
#include "core/arena.h"

#define FUZZ_N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The input decoded as the readers decode it (any JSON value), or NULL with @own filled. */
static inline json_t *fuzz_doc(struct arena *a, const char *body, size_t len,
                               struct json_error *own)
{
	json_t *v = NULL;
	memset(own, 0, sizeof(*own));
	if (json_decode(a, body, len, &v, own) < 0)
		return NULL;
	return v;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF, no NUL. */
static inline bool fuzz_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p, n;
		uint32_t cp;
		if (c < 0x80) {
			p++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1, cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2, cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3, cp = c & 0x07;
		} else {
			return false;
		}
		for (unsigned i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		p += n + 1;
	}
	return true;
}

/*
 * @s, returned for member @key of @doc (NULL: absent or null, when @optional): the member's
 * own text, valid UTF-8, at most @max_bytes bytes and @max_chars characters (0: no limit
 * in characters), and not empty when @nonempty.
 */
static inline void fuzz_check_string(json_t *doc, const char *key, const char *s, bool optional,
                                     size_t max_bytes, long max_chars, bool nonempty)
{
	json_t *v = json_object_get(doc, key);
	if (!s) {
		if (!optional || (v && !json_is_null(v)))
			abort();
		return;
	}
	if (!v || !json_is_string(v) || json_string_length(v) != strlen(s) ||
	    memcmp(json_string_value(v), s, strlen(s)) != 0)
		abort();
	if (!fuzz_utf8_valid(s) || strlen(s) > max_bytes ||
	    (max_chars > 0 && appeal_text_length(s) > max_chars) || (nonempty && !*s))
		abort();
}

/* The first member named by JSON pointer @field, unescaped, in @out. */
static inline void fuzz_first_member(const char *field, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = field + 1; *p && *p != '/' && n + 1 < size; p++) {
		if (p[0] == '~' && p[1] == '0')
			out[n++] = '~', p++;
		else if (p[0] == '~' && p[1] == '1')
			out[n++] = '/', p++;
		else
			out[n++] = *p;
	}
	out[n] = '\0';
}

/*
 * A refusal (@rc) of the input that decodes to @doc (NULL, with @own: it does not): -EINVAL,
 * or -E2BIG when @big_ok; the field and detail as the header comment says. @keys: the
 * members the body may have.
 */
static inline void fuzz_check_refusal(json_t *doc, const struct json_error *own, int rc,
                                      const struct json_error *err, const char *const keys[],
                                      bool big_ok)
{
	if (rc != -EINVAL && !(big_ok && rc == -E2BIG))
		abort();
	if (!err->field[0] || !err->detail[0] || strlen(err->detail) >= sizeof(err->detail) - 1)
		abort();
	if (!doc) {
		/* Not JSON, or over the decoder's limits: json_decode()'s own words. */
		if (strcmp(err->field, own->field) != 0 || strcmp(err->detail, own->detail) != 0)
			abort();
		return;
	}
	if (!json_is_object(doc)) {
		if (strcmp(err->field, "body") != 0 || !err->code ||
		    strcmp(err->code, "api.json.not_object") != 0)
			abort();
		return;
	}
	if (err->field[0] != '/')
		abort();
	char first[sizeof(err->field)];
	fuzz_first_member(err->field, first, sizeof(first));
	/* A long key may be cut from the pointer (json.c keeps it within json_error). */
	bool cut = strlen(err->field) + 4 >= sizeof(err->field);
	for (size_t i = 0; keys[i]; i++)
		if (strcmp(first, keys[i]) == 0)
			return;
	const char *key;
	json_t *v;
	json_object_foreach(doc, key, v)
	{
		if (strcmp(first, key) == 0 || (cut && strncmp(first, key, strlen(first)) == 0))
			return;
	}
	abort();
}

/*
 * The operator's proof of @body (an accepted operator request, decoded in the harness as
 * @doc): refused naming "licence_number" or "appeal_code", or read as the handler uses it.
 */
static inline void fuzz_check_proof(struct arena *a, json_t *body, json_t *doc)
{
	static const char *const keys[] = { "licence_number", "appeal_code", NULL };
	struct operator_proof p;
	struct json_error err;
	memset(&err, 0, sizeof(err));
	int rc = operator_proof_read(a, body, &p, &err);
	if (rc < 0) {
		fuzz_check_refusal(doc, NULL, rc, &err, keys, false);
		if (strcmp(err.field, "/licence_number") != 0 &&
		    strcmp(err.field, "/appeal_code") != 0)
			abort();
		return;
	}
	if (rc != 0)
		abort();
	/* The licence as typed, without the spaces around it; its key in lower case. */
	const char *typed = json_string_value(json_object_get(doc, "licence_number"));
	size_t n = strlen(p.licence);
	if (!typed || strlen(typed) > LICENCE_MAX || n > strlen(typed) ||
	    !fuzz_utf8_valid(p.licence))
		abort();
	size_t lead = strspn(typed, " ");
	if (strncmp(typed + lead, p.licence, n) != 0 ||
	    strspn(typed + lead + n, " ") != strlen(typed + lead + n))
		abort();
	if (n > 0 && (p.licence[0] == ' ' || p.licence[n - 1] == ' '))
		abort();
	if (strlen(p.licence_key) != n)
		abort();
	for (size_t i = 0; i < n; i++) {
		char c = p.licence[i];
		if (p.licence_key[i] != ((c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c))
			abort();
	}
	/* The code without spaces, dashes or lower-case letters, and never longer than typed. */
	const char *code = json_string_value(json_object_get(doc, "appeal_code"));
	if (!code || strlen(code) > APPEAL_CODE_INPUT_MAX || p.code_len != strlen(p.code) ||
	    p.code_len > strlen(code))
		abort();
	for (size_t i = 0; i < p.code_len; i++)
		if (p.code[i] == ' ' || p.code[i] == '-' || (p.code[i] >= 'a' && p.code[i] <= 'z'))
			abort();
}

/* An accepted id (@rc 0) is member @field of @doc itself, an integer of 1 or more. */
static inline void fuzz_check_id(json_t *doc, const char *field, int rc, int64_t id)
{
	json_t *v = doc ? json_object_get(doc, field) : NULL;
	if (rc != 0 || id < 1 || !json_is_integer(v) || json_integer_value(v) != id)
		abort();
}

#endif
