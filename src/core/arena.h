/*
 * arena.h - memory by lifetime.
 *
 * An arena hands out memory that lives exactly as long as the arena: a request, a command,
 * an import batch. Nothing allocated from an arena is freed on its own; arena_destroy()
 * releases everything at once, after running the destructors registered with arena_defer()
 * in reverse order. That is how PGresult and json_t values are tied to a request instead of
 * being freed on every path.
 *
 * Core layer: no HTTP, no database. Out of memory aborts; it is not an error path.
 */
#ifndef PLACARD_CORE_ARENA_H
#define PLACARD_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Create an empty arena. Never returns NULL (aborts when out of memory). */
struct arena *arena_new(void);

/* Run the deferred destructors (last registered first) and free all memory. NULL is a no-op. */
void arena_destroy(struct arena *a);

/* Allocate @size bytes aligned for any type. The memory is zeroed. Never returns NULL. */
void *arena_alloc(struct arena *a, size_t size);

/* Allocate an array of @n elements of @size bytes, zeroed; aborts on overflow. */
void *arena_calloc(struct arena *a, size_t n, size_t size);

/* Copy @len bytes of @s into the arena and NUL-terminate the copy. */
char *arena_strndup(struct arena *a, const char *s, size_t len);

/* Copy a NUL-terminated string into the arena. @s may be NULL: returns NULL. */
char *arena_strdup(struct arena *a, const char *s);

/* printf into arena memory. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));

/*
 * Register @fn(@ptr) to run when the arena is destroyed. Destructors run in reverse order of
 * registration. @ptr may be NULL, in which case nothing is registered.
 */
void arena_defer(struct arena *a, void (*fn)(void *), void *ptr);

/* Bytes handed out so far (for limits and tests). */
size_t arena_used(const struct arena *a);

#endif
