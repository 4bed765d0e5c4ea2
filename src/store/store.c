/*
 * store.c - libpq connections, lazily prepared statements, reconnection, error mapping.
 * See store.h for the contract.
 */
#include "store/store.h"

#include <errno.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/util.h"
#include "store/conn.h"

/* After a failed connection attempt, requests fail fast for this long before the next try. */
#define RECONNECT_BACKOFF_USEC 250000LL

struct store {
	PGconn *conn;
	char *url;
	bool prepared[STMT__COUNT];
	bool in_tx;
	unsigned long long tx_number; /* counts transactions begun, for store_begin_in() */
	long long last_failure_usec;
	char *err_message;
	char *err_constraint;
	/* For the metrics: whose connection it is (METRICS_DB_*_WRITE + pool), and whether it is
	 * counted as open and as in use (running a statement, or in a transaction). */
	int pool;
	bool counted_open, counted_busy, executing;
};

/* Bring the connection gauges in line with @s's state. */
static void count_state(struct store *s)
{
	bool open = s->conn && PQstatus(s->conn) == CONNECTION_OK;
	bool busy = open && (s->in_tx || s->executing);
	if (open != s->counted_open) {
		metrics_add(METRICS_DB_OPEN_WRITE + s->pool, open ? 1 : -1);
		s->counted_open = open;
	}
	if (busy != s->counted_busy) {
		metrics_add(METRICS_DB_BUSY_WRITE + s->pool, busy ? 1 : -1);
		s->counted_busy = busy;
	}
}

struct store_result {
	PGresult *res;
};

static const char *urls[2];
static pthread_key_t thread_key;
static bool thread_key_made;

struct thread_stores {
	struct store *s[2];
};

static void thread_stores_free(void *p)
{
	struct thread_stores *ts = p;
	store_close(ts->s[0]);
	store_close(ts->s[1]);
	free(ts);
}

/*
 * The key's number orders the destructors glibc runs at a thread's exit. Made here, before
 * libpq loads OpenSSL and OpenSSL makes its own keys, the thread's connections are closed
 * (PQfinish) before OpenSSL frees the thread's error state; made later, PQfinish would
 * allocate that state again after it was freed, and it would leak at every worker's exit.
 */
void store_init(void)
{
	if (thread_key_made)
		return;
	if (pthread_key_create(&thread_key, thread_stores_free) != 0)
		die("pthread_key_create failed");
	thread_key_made = true;
}

void store_configure(const char *write_url, const char *read_url)
{
	urls[STORE_WRITE] = write_url;
	urls[STORE_READ] = read_url && *read_url ? read_url : write_url;
}

static void set_error(struct store *s, const char *msg, const char *constraint)
{
	free(s->err_message);
	free(s->err_constraint);
	s->err_message = xstrdup(msg ? msg : "");
	size_t n = strlen(s->err_message);
	while (n && s->err_message[n - 1] == '\n')
		s->err_message[--n] = '\0';
	s->err_constraint = constraint ? xstrdup(constraint) : NULL;
}

PGconn *store_pq_connect(const char *url)
{
	/* Later keywords override what the expanded URL says: the client encoding is UTF8. */
	const char *keys[] = { "dbname", "connect_timeout", "application_name", "client_encoding",
		               NULL };
	const char *vals[] = { url, "3", "placard", "UTF8", NULL };
	return PQconnectdbParams(keys, vals, 1);
}

int store_pq_check_encoding(PGconn *c, char *err, size_t errsize)
{
	/* Both are reported by the server at connection start: no statement needed. */
	const char *server = PQparameterStatus(c, "server_encoding");
	const char *client = PQparameterStatus(c, "client_encoding");
	if (!server || !streq(server, "UTF8")) {
		const char *db = PQdb(c);
		snprintf(err, errsize,
		         "the database \"%s\" has encoding %s, but Placard needs UTF8 (names and "
		         "texts in any language); create a UTF8 database, for example with: "
		         "createdb -E UTF8 -T template0 --locale=C.UTF-8 %s "
		         "(see docs/operations.md, \"The database\")",
		         db ? db : "", server ? server : "(unknown)", db && *db ? db : "placard");
		return -EILSEQ;
	}
	if (!client || !streq(client, "UTF8")) {
		snprintf(err, errsize, "the connection's client_encoding is %s, not UTF8",
		         client ? client : "(unknown)");
		return -EILSEQ;
	}
	return 0;
}

/*
 * Connect (or reconnect) unless a recent attempt failed. 0, -ECONNREFUSED, or -EILSEQ for a
 * database that is not UTF8 (refused like an unreachable one, with its own message).
 */
static int store_connect(struct store *s)
{
	if (s->conn && PQstatus(s->conn) == CONNECTION_OK)
		return 0;
	long long now = now_usec();
	if (s->last_failure_usec && now - s->last_failure_usec < RECONNECT_BACKOFF_USEC)
		return -ECONNREFUSED;
	if (s->conn)
		PQfinish(s->conn);
	memset(s->prepared, 0, sizeof(s->prepared));
	s->in_tx = false;
	s->conn = store_pq_connect(s->url);
	if (PQstatus(s->conn) != CONNECTION_OK) {
		set_error(s, PQerrorMessage(s->conn), NULL);
		s->last_failure_usec = now;
		metrics_add(METRICS_DB_ERRORS_CONNECT, 1);
		count_state(s);
		return -ECONNREFUSED;
	}
	char msg[512];
	if (store_pq_check_encoding(s->conn, msg, sizeof(msg)) < 0) {
		set_error(s, msg, NULL);
		PQfinish(s->conn);
		s->conn = NULL;
		s->last_failure_usec = now;
		metrics_add(METRICS_DB_ERRORS_CONNECT, 1);
		count_state(s);
		return -EILSEQ;
	}
	s->last_failure_usec = 0;
	count_state(s);
	return 0;
}

struct store *store_thread(enum store_role role)
{
	if (!thread_key_made)
		die("store_thread before store_init");
	struct thread_stores *ts = pthread_getspecific(thread_key);
	if (!ts) {
		ts = xcalloc(1, sizeof(*ts));
		pthread_setspecific(thread_key, ts);
	}
	if (!ts->s[role]) {
		struct store *s = xcalloc(1, sizeof(*s));
		s->url = xstrdup(urls[role] ? urls[role] : "");
		s->pool = role == STORE_WRITE ? 0 : 1;
		ts->s[role] = s;
	}
	return ts->s[role];
}

int store_open(const char *url, struct store **ret, char *err, size_t errsize)
{
	struct store *s = xcalloc(1, sizeof(*s));
	s->url = xstrdup(url ? url : "");
	s->pool = METRICS_DB_OPEN_BACKGROUND - METRICS_DB_OPEN_WRITE;
	int rc = store_connect(s);
	if (rc < 0) {
		if (rc == -EILSEQ)
			snprintf(err, errsize, "%s", store_error_message(s));
		else
			snprintf(err, errsize, "cannot connect to the database: %s",
			         store_error_message(s));
		store_close(s);
		return rc;
	}
	*ret = s;
	return 0;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->conn)
		PQfinish(s->conn);
	s->conn = NULL;
	count_state(s);
	free(s->url);
	free(s->err_message);
	free(s->err_constraint);
	free(s);
}

static void result_clear(void *p)
{
	PQclear(p);
}

static int map_state(struct store *s, PGresult *res, const char *what);

/* Map a failed result to our error codes (and count it); keeps the message for the caller. */
static int map_error(struct store *s, PGresult *res, const char *what)
{
	if (PQstatus(s->conn) != CONNECTION_OK) {
		set_error(s, PQerrorMessage(s->conn), NULL);
		metrics_add(METRICS_DB_ERRORS_UNAVAILABLE, 1);
		return -ECONNREFUSED;
	}
	int rc = map_state(s, res, what);
	switch (rc) {
	case -EEXIST:
	case -EINVAL: metrics_add(METRICS_DB_ERRORS_CONSTRAINT, 1); break;
	case -EAGAIN: metrics_add(METRICS_DB_ERRORS_RETRY, 1); break;
	case -ECONNREFUSED: metrics_add(METRICS_DB_ERRORS_UNAVAILABLE, 1); break;
	default: metrics_add(METRICS_DB_ERRORS_OTHER, 1); break;
	}
	return rc;
}

/* map_error() for a connection that is still up: by the SQLSTATE. */
static int map_state(struct store *s, PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
	if (!constraint && res)
		constraint = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);
	set_error(s, res ? PQresultErrorMessage(res) : PQerrorMessage(s->conn), constraint);
	if (!state)
		return -EIO;
	if (streq(state, "23505"))
		return -EEXIST;
	if (strncmp(state, "23", 2) == 0 || strncmp(state, "22", 2) == 0 || streq(state, "P0001"))
		return -EINVAL;
	if (streq(state, "40001") || streq(state, "40P01"))
		return -EAGAIN;
	if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)
		return -ECONNREFUSED;
	log_error("store: %s failed: %s [%s]", what, store_error_message(s), state);
	return -EIO;
}

/* The outcome of @res, an execution of @st: 0 and the rows in *@ret, or a negative errno. */
static int exec_result(struct store *s, struct arena *a, const struct store_statement *st,
                       PGresult *res, struct store_result **ret)
{
	ExecStatusType status = PQresultStatus(res);
	if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
		int rc = map_error(s, res, st->name);
		PQclear(res);
		return rc;
	}
	if (ret) {
		struct store_result *r = arena_alloc(a, sizeof(*r));
		r->res = res;
		arena_defer(a, result_clear, res);
		*ret = r;
	} else {
		PQclear(res);
	}
	return 0;
}

static int exec_once(struct store *s, struct arena *a, enum store_stmt id,
                     const char *const params[], struct store_result **ret)
{
	const struct store_statement *st = &store_statements[id];
	if (st->custom_plan) {
		PGresult *res =
		        PQexecParams(s->conn, st->sql, st->nparams, NULL, params, NULL, NULL, 0);
		return exec_result(s, a, st, res, ret);
	}
	if (!s->prepared[id]) {
		PGresult *pr = PQprepare(s->conn, st->name, st->sql, st->nparams, NULL);
		if (PQresultStatus(pr) != PGRES_COMMAND_OK) {
			int rc = map_error(s, pr, st->name);
			PQclear(pr);
			return rc;
		}
		PQclear(pr);
		s->prepared[id] = true;
	}
	PGresult *res = PQexecPrepared(s->conn, st->name, st->nparams, params, NULL, NULL, 0);
	return exec_result(s, a, st, res, ret);
}

int store_exec(struct store *s, struct arena *a, enum store_stmt id, const char *const params[],
               struct store_result **ret)
{
	if (store_connect(s) < 0)
		return -ECONNREFUSED;
	s->executing = true;
	count_state(s);
	int rc = exec_once(s, a, id, params, ret);
	/* A connection that died under us (a database restart) is retried once, on a fresh
	 * connection, for statements that are safe to repeat and only outside a transaction. */
	if (rc == -ECONNREFUSED && !s->in_tx && store_statements[id].readonly) {
		if (store_connect(s) == 0)
			rc = exec_once(s, a, id, params, ret);
	}
	s->executing = false;
	count_state(s);
	return rc;
}

static int exec_simple(struct store *s, const char *sql)
{
	PGresult *res = PQexec(s->conn, sql);
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : map_error(s, res, sql);
	PQclear(res);
	return rc;
}

int store_begin(struct store *s)
{
	if (store_connect(s) < 0)
		return -ECONNREFUSED;
	int rc = exec_simple(s, "BEGIN");
	if (rc == -ECONNREFUSED) {
		if (store_connect(s) < 0)
			return -ECONNREFUSED;
		rc = exec_simple(s, "BEGIN");
	}
	s->in_tx = rc == 0;
	s->tx_number++;
	count_state(s);
	return rc;
}

/* A transaction of store_begin_in(): the store and which of its transactions it was. */
struct owned_tx {
	struct store *s;
	unsigned long long number;
};

static void owned_tx_end(void *p)
{
	struct owned_tx *t = p;
	if (t->s->in_tx && t->s->tx_number == t->number)
		store_rollback(t->s);
}

int store_begin_in(struct store *s, struct arena *a)
{
	int rc = store_begin(s);
	if (rc < 0)
		return rc;
	struct owned_tx *t = arena_alloc(a, sizeof(*t));
	t->s = s;
	t->number = s->tx_number;
	arena_defer(a, owned_tx_end, t);
	return 0;
}

void store_thread_settle(void)
{
	if (!thread_key_made)
		return;
	struct thread_stores *ts = pthread_getspecific(thread_key);
	for (size_t i = 0; ts && i < ARRAY_SIZE(ts->s); i++)
		if (ts->s[i] && ts->s[i]->in_tx)
			store_rollback(ts->s[i]);
}

int store_commit(struct store *s)
{
	int rc = exec_simple(s, "COMMIT");
	s->in_tx = false;
	count_state(s);
	return rc;
}

void store_rollback(struct store *s)
{
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
		count_state(s);
		return;
	}
	if (PQtransactionStatus(s->conn) != PQTRANS_IDLE) {
		PGresult *res = PQexec(s->conn, "ROLLBACK");
		PQclear(res);
	}
	s->in_tx = false;
	count_state(s);
}

int store_nrows(const struct store_result *r)
{
	return PQntuples(r->res);
}

int store_column(const struct store_result *r, const char *col)
{
	/* PQfnumber folds unquoted names to lower case; the statements' columns are lower case. */
	int n = PQfnumber(r->res, col);
	if (n < 0) {
		log_error("store: a result has no column \"%s\"", col);
		abort();
	}
	return n;
}

const char *store_value(const struct store_result *r, int row, int col)
{
	if (col < 0 || col >= PQnfields(r->res)) {
		log_error("store: a result has no column %d", col);
		abort();
	}
	if (row < 0 || row >= PQntuples(r->res) || PQgetisnull(r->res, row, col))
		return NULL;
	return PQgetvalue(r->res, row, col);
}

const char *store_get(const struct store_result *r, int row, const char *col)
{
	return store_value(r, row, store_column(r, col));
}

long long store_get_int(const struct store_result *r, int row, const char *col)
{
	const char *v = store_get(r, row, col);
	return v ? strtoll(v, NULL, 10) : 0;
}

bool store_get_bool(const struct store_result *r, int row, const char *col)
{
	const char *v = store_get(r, row, col);
	return v && v[0] == 't' && !v[1];
}

const char *store_error_constraint(const struct store *s)
{
	return s->err_constraint;
}

const char *store_error_message(const struct store *s)
{
	return s->err_message ? s->err_message : "";
}

int store_ping(struct store *s)
{
	struct arena *a = arena_new();
	int rc = store_exec(s, a, STMT_PING, NULL, NULL);
	arena_destroy(a);
	return rc == 0 ? 0 : -ECONNREFUSED;
}

int store_exec_script(struct store *s, const char *sql, char *err, size_t errsize)
{
	PGresult *res = PQexec(s->conn, sql);
	int rc = 0;
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		snprintf(err, errsize, "%s", PQresultErrorMessage(res));
		size_t n = strlen(err);
		while (n && err[n - 1] == '\n')
			err[--n] = '\0';
		rc = -EIO;
	}
	PQclear(res);
	return rc;
}

int store_copy_begin(struct store *s, enum store_stmt id)
{
	if (store_connect(s) < 0)
		return -ECONNREFUSED;
	PGresult *res = PQexec(s->conn, store_statements[id].sql);
	int rc = PQresultStatus(res) == PGRES_COPY_IN
	                 ? 0
	                 : map_error(s, res, store_statements[id].name);
	PQclear(res);
	return rc;
}

int store_copy_send(struct store *s, const char *data, size_t len)
{
	if (PQputCopyData(s->conn, data, (int)len) != 1) {
		set_error(s, PQerrorMessage(s->conn), NULL);
		return -EIO;
	}
	return 0;
}

int store_copy_end(struct store *s)
{
	if (PQputCopyEnd(s->conn, NULL) != 1) {
		set_error(s, PQerrorMessage(s->conn), NULL);
		return -EIO;
	}
	int rc = 0;
	PGresult *res;
	while ((res = PQgetResult(s->conn))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0)
			rc = map_error(s, res, "copy");
		PQclear(res);
	}
	return rc;
}

int store_copy_out(struct store *s, enum store_stmt id,
                   int (*write)(void *ctx, const char *data, size_t len), void *ctx)
{
	if (store_connect(s) < 0)
		return -ECONNREFUSED;
	PGresult *res = PQexec(s->conn, store_statements[id].sql);
	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		int rc = map_error(s, res, store_statements[id].name);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	int rc = 0, n;
	char *chunk;
	/* Drain to the end even after @write failed: the connection must leave COPY state. */
	while ((n = PQgetCopyData(s->conn, &chunk, 0)) > 0) {
		if (rc == 0)
			rc = write(ctx, chunk, (size_t)n);
		PQfreemem(chunk);
	}
	if (n == -2 && rc == 0) {
		set_error(s, PQerrorMessage(s->conn), NULL);
		rc = -EIO;
	}
	while ((res = PQgetResult(s->conn))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0)
			rc = map_error(s, res, store_statements[id].name);
		PQclear(res);
	}
	return rc;
}

char *store_copy_unescape(char *field)
{
	if (strcmp(field, "\\N") == 0)
		return NULL;
	char *o = field;
	for (char *p = field; *p; p++) {
		if (*p != '\\' || !p[1]) {
			*o++ = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'v': *o++ = '\v'; break;
		default: *o++ = *p; break;
		}
	}
	*o = '\0';
	return field;
}

void store_copy_escape(struct buf *out, const char *text)
{
	/* Runs of ordinary characters are copied whole: imports escape every value this way. */
	for (const char *p = text;;) {
		size_t n = strcspn(p, "\\\t\n\r");
		buf_add(out, p, n);
		p += n;
		switch (*p) {
		case '\0': return;
		case '\\': buf_add(out, "\\\\", 2); break;
		case '\t': buf_add(out, "\\t", 2); break;
		case '\n': buf_add(out, "\\n", 2); break;
		default: buf_add(out, "\\r", 2); break;
		}
		p++;
	}
}
