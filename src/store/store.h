/*
 * store.h - the database, as the rest of Placard sees it.
 *
 * Only src/store/ includes libpq-fe.h. A store is one PostgreSQL connection; each server
 * worker thread owns one per database role (write, public read), created on first use and
 * re-established by itself after PostgreSQL goes away and comes back. Every runtime
 * statement is listed once, in statements.c, prepared on first use per connection, and run
 * with parameters only.
 *
 * Errors (negative errno): -ECONNREFUSED when the database is unavailable (the caller
 * answers 503), -EEXIST for a unique violation, -EINVAL for a check/foreign-key/data error
 * raised by the database, -EAGAIN for a serialization failure or deadlock (retry),
 * -EIO for anything else (logged here with the statement name).
 */
#ifndef PLACARD_STORE_STORE_H
#define PLACARD_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "store/statements.h"

struct store;
struct store_result;

enum store_role {
	STORE_WRITE, /* PLACARD_DATABASE_URL */
	STORE_READ,  /* PLACARD_READ_DATABASE_URL, or the write database when unset */
};

/*
 * Prepare the per-thread connections of store_thread(). Call once, in the main thread, before
 * any other thread starts and before the first connection (placard's main does).
 */
void store_init(void);

/* Set the connection strings used by store_thread(). Call once before threads start. */
void store_configure(const char *write_url, const char *read_url);

/*
 * The calling thread's connection for @role, created on first use and closed when the
 * thread exits. Never NULL; the connection may be down, which store_exec() reports.
 */
struct store *store_thread(enum store_role role);

/*
 * Open a connection of one's own (commands, tests). 0, -ECONNREFUSED, or -EILSEQ when the
 * database is not UTF8; the message in @err.
 */
int store_open(const char *url, struct store **ret, char *err, size_t errsize);
void store_close(struct store *s);

/*
 * Run statement @id with its parameters (NULL for SQL NULL; the count is the statement's).
 * On 0, *@ret (if not NULL) holds the result, cleared when @a is destroyed.
 */
int store_exec(struct store *s, struct arena *a, enum store_stmt id, const char *const params[],
               struct store_result **ret);

/* Transactions. store_rollback() is safe to call when no transaction is open. */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/*
 * Begin a transaction that belongs to @a: unless store_commit() ends it first, it is rolled
 * back when @a is destroyed (or by store_thread_settle()), so a function that opened it has
 * one way out on every path and never rolls back by hand. 0 or a store error.
 */
int store_begin_in(struct store *s, struct arena *a);

/*
 * Roll back any transaction the calling thread's connections still hold (a request's work
 * is over: the server calls this after every handler, before the answer is sent, so no lock
 * is held while a slow client reads).
 */
void store_thread_settle(void);

/*
 * Result access, by column name: values are text as PostgreSQL sends them; NULL for SQL NULL
 * and for a row past the end. A column the result does not have is a programming error:
 * logged, and the process aborts (every statement's columns are exercised by the tests).
 */
int store_nrows(const struct store_result *r);
const char *store_get(const struct store_result *r, int row, const char *col);
/* The value as an integer; 0 for NULL. */
long long store_get_int(const struct store_result *r, int row, const char *col);
/* True when the value is PostgreSQL's boolean true ("t"). */
bool store_get_bool(const struct store_result *r, int row, const char *col);

/*
 * For loops over many rows: the number of column @col (aborts when there is none, as
 * above), then store_value() by that number.
 */
int store_column(const struct store_result *r, const char *col);
const char *store_value(const struct store_result *r, int row, int col);

/* After an error: the constraint or column the database named, or NULL. */
const char *store_error_constraint(const struct store *s);
/* After an error: the database's message (never NULL). */
const char *store_error_message(const struct store *s);

/* Check the connection with a trivial query: 0 or -ECONNREFUSED. */
int store_ping(struct store *s);

/*
 * Bulk load: start statement @id (a COPY ... FROM STDIN in text format), send rows (each
 * ending in a newline, fields tab-separated, escaped as COPY's text format wants; see
 * store_copy_escape), and end it. 0 or a negative errno.
 */
int store_copy_begin(struct store *s, enum store_stmt id);
int store_copy_send(struct store *s, const char *data, size_t len);
int store_copy_end(struct store *s);

/*
 * Bulk read: run statement @id (a COPY ... TO STDOUT) and hand its output to @write, chunk
 * by chunk, in order (@ctx passed through). A negative return from @write is returned once
 * the copy has been drained. 0 or a negative errno.
 */
int store_copy_out(struct store *s, enum store_stmt id,
                   int (*write)(void *ctx, const char *data, size_t len), void *ctx);

/* Append @text to @out escaped for COPY's text format (backslash, tab, newline, return). */
struct buf;
void store_copy_escape(struct buf *out, const char *text);

/* Undo COPY's text-format escapes of one field in place; NULL for \N (SQL NULL). Octal and
 * hex escapes are not undone: PostgreSQL never writes them. */
char *store_copy_unescape(char *field);

/* Run a script of SQL statements with no parameters (migrations only). */
int store_exec_script(struct store *s, const char *sql, char *err, size_t errsize);

#endif
