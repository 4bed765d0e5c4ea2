/*
 * harness.h - integration tests' tools: a throwaway database in the pg_virtualenv cluster,
 * the real placard binary started on a free port, and HTTP through libcurl.
 *
 * Tests skip (with a message) when no PostgreSQL is configured (PGHOST unset).
 */
#ifndef PLACARD_TESTS_HARNESS_H
#define PLACARD_TESTS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/buf.h"

struct itest_server {
	pid_t pid;
	unsigned port;
	char base[64]; /* http://127.0.0.1:PORT */
	char db_url[256];
	char log_path[256]; /* the server's stderr (access log) */
};

struct itest_response {
	long status;
	struct buf body;
	struct buf headers;
};

/* True when a PostgreSQL is configured for tests. Prints why not otherwise. */
bool itest_have_db(void);

/* Create a fresh, migrated database named placard_<name>_<pid>; its URL in @ret_url. */
void itest_db_create(const char *name, char *ret_url, size_t size);

/* The number the query @sql prints on @url (a count), via psql; asserts psql succeeded. */
long long itest_sql_count(const char *url, const char *sql);

/*
 * The number of log events matching @where (over kind, subject, payload), sealed or still
 * pending: the sealer moves events from event_pending to event_log every 50 ms, so a test
 * that counts only event_log races it.
 */
long long itest_event_count(const char *url, const char *where);

/* Run SQL on @url (assert success). */
void itest_sql(const char *url, const char *sql);

/* Start placard serve against @db_url with extra "NAME=value" settings (NULL-terminated). */
void itest_server_start(struct itest_server *s, const char *db_url, const char *const env[]);
/* The same for another command that listens (@argv: "placard", the command, its arguments,
 * NULL), such as placard witness. */
void itest_process_start(struct itest_server *s, const char *db_url, const char *const env[],
                         const char *const argv[]);

/* SIGTERM the server, wait for it, and return its exit status. */
int itest_server_stop(struct itest_server *s);

/*
 * Send a request; @headers is NULL-terminated "Name: value" lines or NULL; @body may be
 * NULL. Fills @ret (free with itest_response_free).
 */
void itest_request(struct itest_server *s, const char *method, const char *path,
                   const char *const headers[], const char *body, size_t body_len,
                   struct itest_response *ret);
void itest_get(struct itest_server *s, const char *path, struct itest_response *ret);

/*
 * Send the requests that follow from the local address @addr (any of 127.0.0.0/8 is this
 * machine: "127.0.0.2" is another client to the server), or from the usual one when NULL.
 */
void itest_source(const char *addr);
void itest_post_json(struct itest_server *s, const char *path, const char *json,
                     struct itest_response *ret);

/* A response header's value (copied into a static buffer), or NULL. */
const char *itest_header(const struct itest_response *r, const char *name);
void itest_response_free(struct itest_response *r);

/*
 * Send raw bytes on a fresh TCP connection and read the reply until the server closes it
 * (send "Connection: close") or 5 s pass in silence.
 */
void itest_raw(struct itest_server *s, const char *raw, size_t len, struct buf *reply);

/* Run a shell command; its exit status. Output appended to @out when not NULL. */
int itest_shell(struct buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The path of the placard binary and the source root. */
const char *itest_bin(void);
const char *itest_source_root(void);

#endif
