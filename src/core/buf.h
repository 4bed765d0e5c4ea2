/*
 * buf.h - a growable byte buffer, after git's strbuf.
 *
 * Invariants: after buf_init() (or BUF_INIT), @data is never NULL and is always
 * NUL-terminated at data[len], so a buf can be handed to any function expecting a C string.
 * Storage is owned by the buf until buf_detach() hands it to the caller; buf_release()
 * frees it and leaves an empty, reusable buf.
 *
 * Core layer: standard C only.
 */
#ifndef PLACARD_CORE_BUF_H
#define PLACARD_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap; /* 0 while data points at the shared empty string */
};

extern char buf_empty[];
#define BUF_INIT                                                                                   \
	{                                                                                          \
		.data = buf_empty, .len = 0, .cap = 0                                              \
	}

void buf_init(struct buf *b);

/* Free the storage; @b is empty and usable afterwards. */
void buf_release(struct buf *b);

/* Hand the storage to the caller (who must free() it); @b is empty afterwards. */
char *buf_detach(struct buf *b, size_t *ret_len);

/* Make room for @extra more bytes (plus the terminating NUL). Aborts on overflow. */
void buf_grow(struct buf *b, size_t extra);

void buf_add(struct buf *b, const void *data, size_t len);
void buf_addstr(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Append @s with JSON string escaping (no surrounding quotes). */
void buf_add_json_escaped(struct buf *b, const char *s);

/* Shorten to @len bytes (no-op if already shorter). */
void buf_truncate(struct buf *b, size_t len);

#endif
