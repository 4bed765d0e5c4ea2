/*
 * staff.h - integration tests' tools for staff accounts and sessions, on top of harness.h:
 * add a staff member with `placard user add`, sign in, and send requests as that member
 * (the session cookie, and the CSRF token on changes).
 *
 * Header-only (static inline) so that each test executable takes what it uses.
 */
#ifndef PLACARD_TESTS_STAFF_H
#define PLACARD_TESTS_STAFF_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "harness.h"

struct staff_session {
	char cookie[160]; /* "placard_session=..." */
	char csrf[128];
};

/*
 * Run `placard user add @name --role @role` on @db_url with @password (no single quotes) on
 * standard input, and @extra arguments (or ""). Its exit status; output appended to @out.
 */
static inline int staff_add(const char *db_url, const char *name, const char *role,
                            const char *password, const char *extra, struct buf *out)
{
	return itest_shell(out,
	                   "printf '%%s\\n' '%s' | PLACARD_DATABASE_URL='%s' '%s' user add %s "
	                   "--role %s %s 2>&1",
	                   password, db_url, itest_bin(), name, role, extra);
}

/*
 * Sign in as @username with @password. Returns the HTTP status; on 201 fills @ret from the
 * Set-Cookie header and the answer's csrf_token. @r (when not NULL) gets the response,
 * which the caller frees.
 */
static inline long staff_login(struct itest_server *s, const char *username, const char *password,
                               struct staff_session *ret, struct itest_response *r)
{
	struct itest_response own;
	struct itest_response *resp = r ? r : &own;
	json_t *body = json_pack("{s:s, s:s}", "username", username, "password", password);
	char *text = json_dumps(body, JSON_COMPACT);
	itest_post_json(s, "/api/v1/session", text, resp);
	free(text);
	json_decref(body);
	long status = resp->status;
	if (status == 201 && ret) {
		const char *sc = itest_header(resp, "Set-Cookie");
		if (!sc)
			fail_msg("sign-in answered 201 without Set-Cookie");
		size_t n = strcspn(sc, ";");
		if (n >= sizeof(ret->cookie))
			fail_msg("cookie too long: %s", sc);
		memcpy(ret->cookie, sc, n);
		ret->cookie[n] = '\0';
		json_t *v = json_loads(resp->body.data, 0, NULL);
		const char *csrf = json_string_value(json_object_get(v, "csrf_token"));
		if (!csrf)
			fail_msg("no csrf_token in %s", resp->body.data);
		snprintf(ret->csrf, sizeof(ret->csrf), "%s", csrf);
		json_decref(v);
	}
	if (!r)
		itest_response_free(&own);
	return status;
}

/*
 * Send @method @path as @as (NULL: anonymous) with the session's X-CSRF-Token, @body as
 * application/json when not NULL, and one more header line @extra when not NULL.
 */
static inline void staff_request(struct itest_server *s, const struct staff_session *as,
                                 const char *method, const char *path, const char *body,
                                 const char *extra, struct itest_response *ret)
{
	char cookie[sizeof(as->cookie) + 16], csrf[sizeof(as->csrf) + 16];
	const char *h[5];
	size_t n = 0;
	if (as) {
		snprintf(cookie, sizeof(cookie), "Cookie: %.*s", (int)sizeof(as->cookie),
		         as->cookie);
		snprintf(csrf, sizeof(csrf), "X-CSRF-Token: %.*s", (int)sizeof(as->csrf), as->csrf);
		h[n++] = cookie;
		h[n++] = csrf;
	}
	if (body)
		h[n++] = "Content-Type: application/json";
	if (extra)
		h[n++] = extra;
	h[n] = NULL;
	itest_request(s, method, path, h, body, body ? strlen(body) : 0, ret);
}

/*
 * Send @method @path as @as and parse the answer as JSON (an empty object when the body is
 * not JSON); the status in *@status. The caller decrefs the result.
 */
static inline json_t *staff_call(struct itest_server *s, const struct staff_session *as,
                                 const char *method, const char *path, const char *body,
                                 const char *extra, long *status)
{
	struct itest_response r;
	staff_request(s, as, method, path, body, extra, &r);
	*status = r.status;
	json_t *v = json_loads(r.body.data, 0, NULL);
	if (!v)
		v = json_object();
	itest_response_free(&r);
	return v;
}

/* The value at a dotted path ("grade.code", "violations.0.id"), or NULL. */
static inline json_t *json_walk(json_t *v, const char *path)
{
	json_t *cur = v;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	char *save = NULL;
	for (char *tok = strtok_r(buf, ".", &save); tok && cur; tok = strtok_r(NULL, ".", &save))
		cur = json_is_array(cur) ? json_array_get(cur, (size_t)atoi(tok))
		                         : json_object_get(cur, tok);
	return cur;
}

static inline long long json_walk_int(json_t *v, const char *path)
{
	return json_integer_value(json_walk(v, path));
}

static inline const char *json_walk_str(json_t *v, const char *path)
{
	return json_string_value(json_walk(v, path));
}

/* A timestamp @days_ago days before now, at @hour o'clock UTC, into @out. Returns @out. */
static inline const char *staff_ago(int days_ago, int hour, char out[32])
{
	time_t t = time(NULL) - (time_t)days_ago * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	tm.tm_hour = hour;
	tm.tm_min = 0;
	tm.tm_sec = 0;
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

/*
 * Inspection @id's report reached the server when its visit ended, as a tablet with signal
 * sends it (its submitted_at set to its ended_at, behind the immutability triggers): a visit
 * dated in the past is then as old for the operator's window as it is for the inspector.
 * Submitted through the API today, it would have reached the server today, and the
 * operator's window counts from the later of the two.
 */
static inline void staff_arrived_at_visit_end(const char *db_url, long long id)
{
	char sql[300];
	snprintf(sql, sizeof(sql),
	         "BEGIN; ALTER TABLE inspection DISABLE TRIGGER USER;"
	         " UPDATE inspection SET submitted_at = ended_at WHERE id = %lld"
	         "  AND ended_at IS NOT NULL AND ended_at < submitted_at;"
	         " ALTER TABLE inspection ENABLE TRIGGER USER; COMMIT",
	         id);
	itest_sql(db_url, sql);
}

/* Register establishment "Cafe @licence" in @jurisdiction as @clerk; its id. */
static inline long long staff_establishment(struct itest_server *s,
                                            const struct staff_session *clerk,
                                            const char *jurisdiction, const char *licence)
{
	char body[300];
	snprintf(body, sizeof(body),
	         "{\"jurisdiction\":\"%s\",\"licence_number\":\"%s\",\"name\":\"Cafe %s\"}",
	         jurisdiction, licence, licence);
	long st;
	json_t *v = staff_call(s, clerk, "POST", "/api/v1/establishments", body, NULL, &st);
	if (st != 201)
		fail_msg("registering %s: %ld", licence, st);
	long long id = json_walk_int(v, "id");
	json_decref(v);
	return id;
}

#endif
