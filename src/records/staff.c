/*
 * staff.c - staff accounts, and their sessions. See staff.h.
 *
 * Failed sign-ins are counted per username and per client network and refused for a while
 * past the limits in domain/auth.h (records/guess.c).
 */
#include "records/staff.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/log.h"
#include "core/util.h"
#include "json/json.h"
#include "records/guess.h"

/* Set once by rec_session_init() before the threads start; read-only afterwards. */
static char dummy_hash[crypto_pwhash_STRBYTES];

int rec_session_init(void)
{
	/* Unknown usernames are checked against this, so they cost as much as known ones. */
	unsigned char pw[32];
	randombytes_buf(pw, sizeof(pw));
	return password_hash((const char *)pw, sizeof(pw), dummy_hash);
}

/* @v (a new reference, taken over) as compact JSON text in r->a. */
static const char *json_text(struct rec *r, json_t *v)
{
	json_arena(r->a, v);
	char *s = json_dump_compact(v, NULL);
	arena_defer(r->a, free, s);
	return s;
}

/* 256 random bits as 64 hex digits, in @a. */
static char *random_hex(struct arena *a)
{
	unsigned char bytes[AUTH_TOKEN_BYTES];
	randombytes_buf(bytes, sizeof(bytes));
	char *out = arena_alloc(a, AUTH_TOKEN_HEX + 1);
	sodium_bin2hex(out, AUTH_TOKEN_HEX + 1, bytes, sizeof(bytes));
	sodium_memzero(bytes, sizeof(bytes));
	return out;
}

/* {"user":{"id","username","display_name","role"},"csrf_token"} */
static const char *session_json(struct rec *r, long long id, const char *username,
                                const char *display_name, const char *role, const char *csrf)
{
	return json_text(r, json_pack("{s:{s:I, s:s, s:s, s:s}, s:s}", "user", "id", (json_int_t)id,
	                              "username", username, "display_name", display_name, "role",
	                              role, "csrf_token", csrf));
}

int rec_session_find(struct rec *r, const char *token, struct rec_session *ret)
{
	char hash[SHA256_HEX_LEN + 1]; /* as staff_session.token_hash holds it */
	sha256_hex(token, strlen(token), hash);
	const char *const p[] = { hash, rec_num(r, AUTH_SESSION_IDLE),
		                  rec_num(r, AUTH_SESSION_TOUCH) };
	struct store_result *res;
	int rc = rec_exec(r, STMT_SESSION_LOOKUP, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 401, NULL, "records.staff.session_ended", NULL);
	if (auth_role_parse(store_get(res, 0, "role"), &ret->role) < 0) {
		log_error("auth: staff member %s has an unknown role", store_get(res, 0, "id"));
		return rec_refuse(r, 500, NULL, "records.store.failed", NULL);
	}
	ret->id = store_get_int(res, 0, "id");
	ret->username = store_get(res, 0, "username");
	ret->display_name = store_get(res, 0, "display_name");
	ret->csrf_token = store_get(res, 0, "csrf_token");
	return 0;
}

int rec_session_create(struct rec *r, const char *username, const char *password,
                       const char *old_token, const char *from, struct rec_signed_in *ret)
{
	static const struct ratelimit_rule rule = AUTH_FAILURE_RULE;
	struct guess g = { .rule = &rule,
		           .counts = STMT_LOGIN_FAILURE_COUNTS,
		           .add = STMT_LOGIN_FAILURE_ADD,
		           .clear = STMT_LOGIN_FAILURE_CLEAR,
		           .target = username,
		           .what = "wrong passwords",
		           .too_many_here = "records.staff.too_many_passwords",
		           .too_many_everywhere = "records.staff.too_many_passwords_for_username" };
	struct store_result *res;
	int rc;
	if ((rc = guess_before(r, &g)) < 0) {
		log_warn("auth: sign-in as \"%s\" from %s refused: too many failures", username,
		         from);
		goto out;
	}
	const char *const by_name[] = { username };
	if ((rc = rec_exec(r, STMT_STAFF_BY_USERNAME, by_name, &res)) < 0)
		goto out;
	bool found = store_nrows(res) == 1;
	/* The same work whether or not the account exists, so timing tells nothing. */
	const char *hash = found ? store_get(res, 0, "password_hash") : dummy_hash;
	bool ok = password_matches(hash, password) && found;
	if (!ok) {
		log_warn("auth: sign-in as \"%s\" from %s failed", username, from);
		if ((rc = guess_failed(r, &g)) < 0)
			goto out;
		rc = rec_refuse(r, 401, NULL, "records.staff.wrong_password", NULL);
		goto out;
	}
	if ((rc = guess_succeeded(r, &g)) < 0)
		goto out;
	/* A sign-in always starts a new session; one the browser still held ends here. */
	if (auth_token_valid(old_token)) {
		char old_hash[SHA256_HEX_LEN + 1];
		sha256_hex(old_token, strlen(old_token), old_hash);
		const char *const revoke[] = { old_hash };
		if ((rc = rec_exec(r, STMT_SESSION_REVOKE, revoke, NULL)) < 0)
			goto out;
	}
	char *token = random_hex(r->a);
	char *csrf = random_hex(r->a);
	char token_hash[SHA256_HEX_LEN + 1];
	sha256_hex(token, strlen(token), token_hash);
	const char *const create[] = { token_hash, store_get(res, 0, "id"), csrf,
		                       rec_num(r, AUTH_SESSION_MAX_AGE) };
	if ((rc = rec_exec(r, STMT_SESSION_CREATE, create, NULL)) < 0)
		goto out;
	log_info("auth: %s signed in from %s", store_get(res, 0, "username"), from);
	ret->token = token;
	ret->json =
	        session_json(r, store_get_int(res, 0, "id"), store_get(res, 0, "username"),
	                     store_get(res, 0, "display_name"), store_get(res, 0, "role"), csrf);
out:
	return rc;
}

/* The auth role name of a staff member's policy role. */
static const char *role_name_of(enum policy_role role)
{
	switch (role) {
	case POLICY_ADMIN: return auth_role_name(AUTH_ROLE_ADMIN);
	case POLICY_CLERK: return auth_role_name(AUTH_ROLE_CLERK);
	case POLICY_INSPECTOR: return auth_role_name(AUTH_ROLE_INSPECTOR);
	case POLICY_SUPERVISOR: return auth_role_name(AUTH_ROLE_SUPERVISOR);
	case POLICY_HEARING_OFFICER: return auth_role_name(AUTH_ROLE_HEARING_OFFICER);
	default: return "";
	}
}

int rec_session_whoami(struct rec *r, const char *csrf_token, const char **ret_json)
{
	if (!r->staff)
		return rec_refuse(r, 401, NULL, "records.staff.sign_in", NULL);
	*ret_json = session_json(r, r->staff->id, r->staff->username, r->staff->display_name,
	                         role_name_of(r->staff->role), csrf_token);
	return 0;
}

int rec_session_delete(struct rec *r, const char *token)
{
	char hash[SHA256_HEX_LEN + 1]; /* as staff_session.token_hash holds it */
	sha256_hex(token, strlen(token), hash);
	const char *const p[] = { hash };
	int rc = rec_exec(r, STMT_SESSION_REVOKE, p, NULL);
	if (rc < 0)
		return rc;
	log_info("auth: %s signed out", r->staff ? r->staff->username : "-");
	return 0;
}

int rec_staff_list(struct rec *r, const char **ret_json)
{
	struct store_result *res;
	int rc = rec_exec(r, STMT_STAFF_LIST_JSON, NULL, &res);
	if (rc < 0)
		return rc;
	*ret_json = store_get(res, 0, "json");
	return 0;
}

int rec_staff_create(struct rec *r, const struct rec_new_staff *s, const char **ret_json)
{
	char hash[128];
	if (password_hash(s->password, strlen(s->password), hash) < 0)
		return rec_refuse(r, 503, NULL, "records.staff.too_busy", NULL);
	const char *const p[] = { s->username, s->display_name, auth_role_name(s->role), hash };
	struct store_result *res;
	int rc = rec_exec(r, STMT_STAFF_CREATE, p, &res);
	if (rc == -EEXIST)
		return rec_refuse(r, 409, "/username", "records.staff.username_taken", "username",
		                  s->username, NULL);
	if (rc < 0)
		return rc;
	log_info("auth: %s added staff member %s (%s)", r->staff ? r->staff->username : "-",
	         s->username, auth_role_name(s->role));
	*ret_json = json_text(
	        r, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)store_get_int(res, 0, "id"),
	                     "username", store_get(res, 0, "username"), "display_name",
	                     store_get(res, 0, "display_name"), "role", store_get(res, 0, "role")));
	return 0;
}
