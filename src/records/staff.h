/*
 * staff.h - staff accounts, and their sessions: signing in with a password (limited by
 * records/guess.h), the session a token names, signing out.
 *
 * A session token is 256 random bits as 64 hex digits; the database keeps only the SHA-256
 * of those digits. Each session has its own CSRF token. Passwords are checked with
 * argon2id; an unknown username costs as much as a known one.
 */
#ifndef PLACARD_RECORDS_STAFF_H
#define PLACARD_RECORDS_STAFF_H

#include <stdint.h>

#include "domain/auth.h"
#include "records/records.h"

/*
 * Call once at start, after sodium_init() and before threads start: prepares the password
 * hash that sign-ins for unknown usernames are checked against. 0, or -ENOMEM.
 */
int rec_session_init(void);

/* A live session: who holds it. */
struct rec_session {
	int64_t id; /* the staff member's */
	const char *username;
	const char *display_name;
	enum auth_role role;
	const char *csrf_token;
};

/*
 * The live session of @token (a well-formed token, auth_token_valid), kept alive. 0 or a
 * refusal: 401 when the session has ended, 500 for a role the server does not know.
 */
int rec_session_find(struct rec *r, const char *token, struct rec_session *ret);

/* A sign-in's result. */
struct rec_signed_in {
	const char *token; /* for the cookie */
	const char *json;  /* {"user":{...},"csrf_token"} */
};

/*
 * Sign in as @username with @password from @from (the client's address, for the log),
 * ending the session of @old_token (the cookie the browser still held, or NULL). 0 or a
 * refusal: 401 for a wrong username or password alike, 429 past the limits on guessing.
 */
int rec_session_create(struct rec *r, const char *username, const char *password,
                       const char *old_token, const char *from, struct rec_signed_in *ret);

/* Who r->staff is, with @csrf_token: {"user":{...},"csrf_token"}. 0. */
int rec_session_whoami(struct rec *r, const char *csrf_token, const char **ret_json);

/* End the session of @token (signed in as r->staff). 0 or a refusal. */
int rec_session_delete(struct rec *r, const char *token);

/* Every staff account as JSON text. 0 or a refusal. */
int rec_staff_list(struct rec *r, const char **ret_json);

/* A new staff account (checked by the rules of domain/auth.c beforehand). */
struct rec_new_staff {
	const char *username, *display_name, *password;
	enum auth_role role;
};

/*
 * Add account @s, added by r->staff. *@ret_json: the account. 0 or a refusal: 409 for a
 * username already taken, 503 when the password cannot be hashed.
 */
int rec_staff_create(struct rec *r, const struct rec_new_staff *s, const char **ret_json);

#endif
