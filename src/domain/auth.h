/*
 * auth.h - the rules of staff sign-in: role names, what a username, display name and
 * password must look like, the session figures, the figures of the limit on failed
 * sign-ins, the session cookie's text and the same-origin test for state-changing requests.
 *
 * Domain layer: pure functions over plain values. Standard C only; no I/O, no allocation,
 * no global state, no clock (callers pass ages and counts measured by the database). The
 * cryptography (argon2id, tokens, SHA-256) lives above, in src/records/staff.c and
 * src/core/crypto.c, on libsodium.
 *
 * Error convention: 0 or a negative errno code; outputs named ret_* are left untouched on
 * failure. A *ret_reason, where a function has one, is a static sentence for a person.
 */
#ifndef PLACARD_DOMAIN_AUTH_H
#define PLACARD_DOMAIN_AUTH_H

#include <stdbool.h>
#include <stddef.h>

/* The staff roles. Their names are the text stored in staff_user.role. */
enum auth_role {
	AUTH_ROLE_ADMIN,
	AUTH_ROLE_CLERK,
	AUTH_ROLE_INSPECTOR,
	AUTH_ROLE_SUPERVISOR,
	AUTH_ROLE_HEARING_OFFICER,
	AUTH_ROLE__COUNT,
};

/* The role names in order, for messages. */
#define AUTH_ROLE_NAMES "admin, clerk, inspector, supervisor, hearing_officer"

/* Passwords: at least this many characters (UTF-8 code points), at most this many bytes. */
#define AUTH_PASSWORD_MIN_CHARS 12
#define AUTH_PASSWORD_MAX_BYTES 1024

/* Usernames: 1..64 of [A-Za-z0-9._@-]; unique regardless of case. */
#define AUTH_USERNAME_MAX 64
/* Display names: 1..200 bytes of UTF-8 with no control characters. */
#define AUTH_DISPLAY_NAME_MAX 200

/* Session tokens: this many random bytes, sent as twice as many lower-case hex digits. */
#define AUTH_TOKEN_BYTES 32
#define AUTH_TOKEN_HEX   (2 * AUTH_TOKEN_BYTES)
#define AUTH_COOKIE_NAME "placard_session"

/* Sessions end this long after sign-in, or after this long unused (seconds). */
#define AUTH_SESSION_MAX_AGE (12 * 60 * 60)
#define AUTH_SESSION_IDLE    (30 * 60)
/* last_seen_at is written at most this often (seconds), not on every request. */
#define AUTH_SESSION_TOUCH 60

/*
 * Failed sign-ins (src/domain/ratelimit.h): remembered for a day; per client network and
 * username, 5 free, then a wait from 2 s doubling to an hour; 30 per network in 15 minutes
 * whatever the usernames; 50 a day per username from everywhere before the account is
 * pressed (wrong passwords answered 429, every network waiting from its first failure,
 * 60 s doubling up to a day). A right password is never refused for failures elsewhere.
 */
#define AUTH_FAILURE_RULE                                                                          \
	{                                                                                          \
		.window = 24 * 60 * 60, .free_tries = 5, .base = 2, .cap = 60 * 60,                \
		.target_budget = 50, .pressed_base = 60, .client_window = 15 * 60,                 \
		.client_limit = 30                                                                 \
	}

/* Parse a role name (exact, lower case). 0, or -EINVAL for anything else. */
int auth_role_parse(const char *name, enum auth_role *ret_role);

/* The name of @role, or NULL when out of range. */
const char *auth_role_name(enum auth_role role);

/*
 * Check a password of @len bytes (it may contain anything; NUL bytes are refused). 0, or
 * -EINVAL (too short, not UTF-8, contains NUL) or -E2BIG (longer than the limit), with the
 * reason in *@ret_reason when @ret_reason is not NULL.
 */
int auth_password_check(const char *password, size_t len, const char **ret_reason);

/* Check a username (NUL-terminated; NULL is refused). 0 or -EINVAL with a reason. */
int auth_username_check(const char *username, const char **ret_reason);

/* Check a display name (NUL-terminated; NULL is refused). 0 or -EINVAL with a reason. */
int auth_display_name_check(const char *name, const char **ret_reason);

/*
 * Write the Set-Cookie value for the session cookie into @out (@size bytes): the cookie
 * holding @token, or, when @token is NULL, one that makes the browser forget it. Always
 * Path=/, HttpOnly and SameSite=Strict; Secure when @secure. 0, or -ENOSPC when @out is too
 * small (then @out is untouched).
 */
int auth_cookie_format(char *out, size_t size, const char *token, bool secure);

/* True when @token has the shape of a session token: AUTH_TOKEN_HEX lower-case hex digits. */
bool auth_token_valid(const char *token);

/*
 * True when the Origin header @origin names the site the request was sent to: its scheme is
 * https when @tls (http otherwise) and its host[:port] equals the Host header @host, ignoring
 * case and the scheme's default port. False for NULL arguments, "null" and anything malformed.
 */
bool auth_origin_matches(const char *origin, const char *host, bool tls);

#endif
