/*
 * harness.c - see harness.h.
 */
#include "harness.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

const char *itest_bin(void)
{
	const char *b = getenv("PLACARD_BIN");
	return b ? b : "build/placard";
}

const char *itest_source_root(void)
{
	const char *r = getenv("PLACARD_SOURCE_ROOT");
	return r ? r : ".";
}

bool itest_have_db(void)
{
	if (getenv("PGHOST") || getenv("PLACARD_TEST_DATABASE_URL"))
		return true;
	fprintf(stderr, "no PostgreSQL configured (run under pg_virtualenv): skipping\n");
	return false;
}

void itest_sql(const char *url, const char *sql)
{
	PGconn *c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("connect %s: %s", url, PQerrorMessage(c));
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		fail_msg("SQL failed: %s\n%s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
}

void itest_db_create(const char *name, char *ret_url, size_t size)
{
	char db[128];
	snprintf(db, sizeof(db), "placard_%s_%d", name, (int)getpid());
	const char *base = getenv("PLACARD_TEST_DATABASE_URL");
	char admin[256];
	snprintf(admin, sizeof(admin), "%s", base ? base : "dbname=postgres");
	char sql[256];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", db);
	itest_sql(admin, sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
	itest_sql(admin, sql);
	snprintf(ret_url, size, "dbname=%s", db);
	struct buf out = BUF_INIT;
	int rc = itest_shell(&out,
	                     "PLACARD_DATABASE_URL='%s' PLACARD_SQL_DIR='%s/sql' '%s' migrate 2>&1",
	                     ret_url, itest_source_root(), itest_bin());
	if (rc != 0)
		fail_msg("placard migrate failed (%d): %s", rc, out.data);
	buf_release(&out);
}

int itest_shell(struct buf *out, const char *fmt, ...)
{
	struct buf cmd = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd.data, "r");
	buf_release(&cmd);
	if (!p)
		return -1;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		if (out)
			buf_add(out, chunk, n);
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void itest_server_start(struct itest_server *s, const char *db_url, const char *const env[])
{
	static const char *const serve[] = { "placard", "serve", NULL };
	itest_process_start(s, db_url, env, serve);
}

void itest_process_start(struct itest_server *s, const char *db_url, const char *const env[],
                         const char *const argv[])
{
	memset(s, 0, sizeof(*s));
	snprintf(s->db_url, sizeof(s->db_url), "%s", db_url);
	snprintf(s->log_path, sizeof(s->log_path), "/tmp/placard-itest-%d-%ld.log", (int)getpid(),
	         (long)time(NULL) ^ (long)random());
	int out[2];
	assert_int_equal(pipe(out), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(out[1], STDOUT_FILENO);
		close(out[0]);
		close(out[1]);
		int logfd = open(s->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (logfd >= 0)
			dup2(logfd, STDERR_FILENO);
		setenv("PLACARD_LISTEN", "127.0.0.1:0", 1);
		setenv("PLACARD_DATABASE_URL", db_url, 1);
		char web[512];
		snprintf(web, sizeof(web), "%s/web", itest_source_root());
		setenv("PLACARD_WEB_DIR", web, 1);
		setenv("PLACARD_THREADS", "2", 1);
		/* A production server must be told its public address (tests may override). */
		setenv("PLACARD_PUBLIC_URL", "https://placard.test", 1);
		unsetenv("PLACARD_DEVELOPMENT");
		for (size_t i = 0; env && env[i]; i++)
			putenv((char *)env[i]);
		execv(itest_bin(), (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	s->pid = pid;
	/* Wait (at most 15 s) for "placard: listening on http://127.0.0.1:PORT". */
	char line[256];
	size_t len = 0;
	struct pollfd pfd = { .fd = out[0], .events = POLLIN };
	while (len < sizeof(line) - 1 && poll(&pfd, 1, 15000) > 0) {
		ssize_t n = read(out[0], line + len, 1);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (line[len - 1] == '\n')
			break;
	}
	line[len] = '\0';
	close(out[0]);
	const char *p = strstr(line, "http://127.0.0.1:");
	if (!p)
		fail_msg("server did not start; said: \"%s\" (log %s)", line, s->log_path);
	s->port = (unsigned)atoi(p + strlen("http://127.0.0.1:"));
	snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%u", s->port);
}

int itest_server_stop(struct itest_server *s)
{
	if (!s->pid)
		return -1;
	kill(s->pid, SIGTERM);
	int st = 0;
	for (int i = 0; i < 300; i++) {
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			s->pid = 0;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &st, 0);
	s->pid = 0;
	return -1;
}

static size_t collect(char *data, size_t size, size_t n, void *userdata)
{
	buf_add(userdata, data, size * n);
	return size * n;
}

static char source_addr[64];

void itest_source(const char *addr)
{
	snprintf(source_addr, sizeof(source_addr), "%s", addr ? addr : "");
}

void itest_request(struct itest_server *s, const char *method, const char *path,
                   const char *const headers[], const char *body, size_t body_len,
                   struct itest_response *ret)
{
	memset(ret, 0, sizeof(*ret));
	buf_init(&ret->body);
	buf_init(&ret->headers);
	CURL *c = curl_easy_init();
	assert_non_null(c);
	char url[1024];
	snprintf(url, sizeof(url), "%s%s", s->base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &ret->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &ret->headers);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	char host[80];
	if (source_addr[0]) {
		snprintf(host, sizeof(host), "host!%s", source_addr);
		curl_easy_setopt(c, CURLOPT_INTERFACE, host);
	}
	struct curl_slist *hl = NULL;
	for (size_t i = 0; headers && headers[i]; i++)
		hl = curl_slist_append(hl, headers[i]);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body_len);
		hl = curl_slist_append(hl, "Expect:");
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		fail_msg("%s %s: %s", method, path, curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &ret->status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
}

void itest_get(struct itest_server *s, const char *path, struct itest_response *ret)
{
	itest_request(s, "GET", path, NULL, NULL, 0, ret);
}

void itest_post_json(struct itest_server *s, const char *path, const char *json,
                     struct itest_response *ret)
{
	const char *const h[] = { "Content-Type: application/json", NULL };
	itest_request(s, "POST", path, h, json, strlen(json), ret);
}

const char *itest_header(const struct itest_response *r, const char *name)
{
	static char value[1024];
	size_t n = strlen(name);
	const char *p = r->headers.data;
	while (p && *p) {
		const char *eol = strchr(p, '\n');
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			size_t len = eol ? (size_t)(eol - v) : strlen(v);
			while (len && (v[len - 1] == '\r' || v[len - 1] == ' '))
				len--;
			if (len >= sizeof(value))
				len = sizeof(value) - 1;
			memcpy(value, v, len);
			value[len] = '\0';
			return value;
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

void itest_response_free(struct itest_response *r)
{
	buf_release(&r->body);
	buf_release(&r->headers);
}

void itest_raw(struct itest_server *s, const char *raw, size_t len, struct buf *reply)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)s->port) };
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	/* Read while writing: a server may answer (413) and close before the body is sent,
	 * and a reset would then discard a reply we had not read yet. */
	size_t off = 0;
	bool open_w = true;
	char chunk[4096];
	while (1) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN | (open_w ? POLLOUT : 0) };
		if (poll(&pfd, 1, 5000) <= 0)
			break;
		if (pfd.revents & POLLIN) {
			ssize_t n = recv(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
			if (n <= 0)
				break;
			buf_add(reply, chunk, (size_t)n);
			continue;
		}
		if (pfd.revents & (POLLERR | POLLHUP))
			break;
		if (open_w && (pfd.revents & POLLOUT)) {
			size_t want = len - off < 16384 ? len - off : 16384;
			ssize_t n = send(fd, raw + off, want, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (n < 0 && errno != EAGAIN) {
				open_w = false;
				continue;
			}
			if (n > 0)
				off += (size_t)n;
			if (off == len)
				open_w = false;
		}
	}
	close(fd);
}

long long itest_sql_count(const char *url, const char *sql)
{
	struct buf out = BUF_INIT;
	assert_int_equal(itest_shell(&out, "psql -XAtc \"%s\" '%s'", sql, url), 0);
	long long n = atoll(out.data);
	buf_release(&out);
	return n;
}

long long itest_event_count(const char *url, const char *where)
{
	struct buf sql = BUF_INIT;
	buf_addf(&sql,
	         "SELECT count(*) FROM (SELECT kind, subject, payload FROM event_log UNION ALL "
	         "SELECT kind, subject, payload FROM event_pending) e WHERE %s",
	         where);
	long long n = itest_sql_count(url, sql.data);
	buf_release(&sql);
	return n;
}
