/*
 * util.h - the few helpers every layer uses: allocation that aborts on exhaustion, fatal
 * errors, array length, and string comparison helpers.
 *
 * Core layer: standard C only.
 */
#ifndef PLACARD_CORE_UTIL_H
#define PLACARD_CORE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Print "placard: fatal: ..." to stderr and abort. For broken invariants and exhaustion. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* malloc/calloc/realloc/strdup that abort instead of returning NULL. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

static inline bool streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Case-insensitive ASCII comparison; NULL equals nothing. */
bool strcaseeq(const char *a, const char *b);

/* True if @s ends with @suffix. */
bool str_has_suffix(const char *s, const char *suffix);

/* Parse a decimal integer in [@min, @max] from the whole of @s; 0 or -EINVAL / -ERANGE. */
int parse_int64(const char *s, long long min, long long max, long long *ret);

/* True if @s is a date written YYYY-MM-DD that the calendar has (2028-02-29, not
 * 2026-02-29 nor 2026-04-31), year 0001 to 9999. */
bool date_valid(const char *s);

/* Monotonic clock in microseconds. */
long long now_usec(void);

#endif
