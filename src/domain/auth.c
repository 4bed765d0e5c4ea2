/*
 * auth.c - the rules of staff sign-in. See auth.h for the contract.
 *
 * Domain layer: standard C only, no I/O.
 */
#include "domain/auth.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const role_names[AUTH_ROLE__COUNT] = {
	[AUTH_ROLE_ADMIN] = "admin",
	[AUTH_ROLE_CLERK] = "clerk",
	[AUTH_ROLE_INSPECTOR] = "inspector",
	[AUTH_ROLE_SUPERVISOR] = "supervisor",
	[AUTH_ROLE_HEARING_OFFICER] = "hearing_officer",
};

int auth_role_parse(const char *name, enum auth_role *ret_role)
{
	if (!name)
		return -EINVAL;
	for (int i = 0; i < AUTH_ROLE__COUNT; i++) {
		if (strcmp(name, role_names[i]) == 0) {
			*ret_role = (enum auth_role)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *auth_role_name(enum auth_role role)
{
	if ((int)role < 0 || role >= AUTH_ROLE__COUNT)
		return NULL;
	return role_names[role];
}

/*
 * Count the code points of the @len bytes at @s if they are well-formed UTF-8 (no overlong
 * forms, no surrogates, nothing above U+10FFFF). Returns the count, or -1.
 */
static long utf8_count(const unsigned char *s, size_t len)
{
	long n = 0;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		size_t extra;
		unsigned min, cp;
		if (c < 0x80) {
			i++;
			n++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			extra = 1, min = 0x80, cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			extra = 2, min = 0x800, cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			extra = 3, min = 0x10000, cp = c & 0x07;
		} else {
			return -1;
		}
		if (len - i - 1 < extra)
			return -1;
		for (size_t k = 1; k <= extra; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		i += extra + 1;
		n++;
	}
	return n;
}

int auth_password_check(const char *password, size_t len, const char **ret_reason)
{
	const char *why = NULL;
	int rc = -EINVAL;
	if (!password) {
		why = "A password is required.";
		goto out;
	}
	if (len > AUTH_PASSWORD_MAX_BYTES) {
		why = "The password is longer than 1024 bytes.";
		rc = -E2BIG;
		goto out;
	}
	if (memchr(password, '\0', len)) {
		why = "The password contains a NUL character.";
		goto out;
	}
	long chars = utf8_count((const unsigned char *)password, len);
	if (chars < 0) {
		why = "The password is not valid UTF-8 text.";
		goto out;
	}
	if (chars < AUTH_PASSWORD_MIN_CHARS) {
		why = "The password must be at least 12 characters long.";
		goto out;
	}
	return 0;
out:
	if (ret_reason)
		*ret_reason = why;
	return rc;
}

int auth_username_check(const char *username, const char **ret_reason)
{
	const char *why = NULL;
	if (!username || !*username) {
		why = "A username is required.";
		goto out;
	}
	size_t len = strlen(username);
	if (len > AUTH_USERNAME_MAX) {
		why = "A username has at most 64 characters.";
		goto out;
	}
	for (size_t i = 0; i < len; i++) {
		char c = username[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '@';
		if (!ok) {
			why = "A username may contain only letters A-Z, digits and . _ - @.";
			goto out;
		}
	}
	return 0;
out:
	if (ret_reason)
		*ret_reason = why;
	return -EINVAL;
}

int auth_display_name_check(const char *name, const char **ret_reason)
{
	const char *why = NULL;
	if (!name || !*name) {
		why = "A display name is required.";
		goto out;
	}
	size_t len = strlen(name);
	if (len > AUTH_DISPLAY_NAME_MAX) {
		why = "A display name has at most 200 bytes.";
		goto out;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7f) {
			why = "A display name may not contain control characters.";
			goto out;
		}
	}
	if (utf8_count((const unsigned char *)name, len) < 0) {
		why = "A display name must be valid UTF-8 text.";
		goto out;
	}
	return 0;
out:
	if (ret_reason)
		*ret_reason = why;
	return -EINVAL;
}

int auth_cookie_format(char *out, size_t size, const char *token, bool secure)
{
	char tmp[256];
	int n = snprintf(tmp, sizeof(tmp), "%s=%s; Path=/;%s HttpOnly; SameSite=Strict%s",
	                 AUTH_COOKIE_NAME, token ? token : "", token ? "" : " Max-Age=0;",
	                 secure ? "; Secure" : "");
	if (n < 0 || (size_t)n >= sizeof(tmp) || (size_t)n >= size)
		return -ENOSPC;
	memcpy(out, tmp, (size_t)n + 1);
	return 0;
}

bool auth_token_valid(const char *token)
{
	if (!token)
		return false;
	size_t i = 0;
	for (; token[i]; i++) {
		char c = token[i];
		if (i >= AUTH_TOKEN_HEX || !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return i == AUTH_TOKEN_HEX;
}

/* The length of @authority (@len bytes) without a trailing ":@port". */
static size_t strip_port(const char *authority, size_t len, const char *port)
{
	size_t p = strlen(port);
	if (len > p + 1 && authority[len - p - 1] == ':' &&
	    memcmp(authority + len - p, port, p) == 0)
		return len - p - 1;
	return len;
}

bool auth_origin_matches(const char *origin, const char *host, bool tls)
{
	if (!origin || !host)
		return false;
	const char *scheme = tls ? "https://" : "http://";
	const char *port = tls ? "443" : "80";
	size_t sl = strlen(scheme);
	if (strncasecmp(origin, scheme, sl) != 0)
		return false;
	const char *a = origin + sl;
	size_t alen = strlen(a);
	size_t hlen = strlen(host);
	if (!alen || !hlen || strpbrk(a, "/?#@ \t") || strpbrk(host, "/?#@ \t"))
		return false;
	alen = strip_port(a, alen, port);
	hlen = strip_port(host, hlen, port);
	return alen == hlen && strncasecmp(a, host, alen) == 0;
}
