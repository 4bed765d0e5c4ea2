/*
 * Integration tests of Placard as a city runs it: under systemd (Type=notify), and behind
 * the nginx site configuration it ships (docs/nginx/placard.conf), started here on loopback
 * with a certificate made by openssl for the run and talked to over HTTPS with libcurl.
 *
 *   - sd_notify: READY=1 only once the server listens and its database answers; STOPPING=1
 *     on SIGTERM.
 *   - TLS and HTTP/2; Strict-Transport-Security once on every answer; Secure cookies; plain
 *     HTTP redirected.
 *   - Request framing: an obs-fold line and an empty header name stopped by nginx (400);
 *     bare-LF line endings read by nginx and passed on re-framed with CRLF, so nginx and
 *     Placard read the same headers.
 *   - The client address Placard counts for the limits on wrong passwords is the real
 *     client's, not nginx's nor what the client wrote into X-Forwarded-For.
 *   - A body over the limit, a client trickling its header and a client stalling its body
 *     are cut at nginx, and never reach Placard.
 *   - A public answer passes gzipped and with its ETag; If-None-Match gets 304.
 *
 * Skipped, saying why, where nginx or openssl is not installed (script/bootstrap test).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "harness.h"
#include "staff.h"

static struct itest_server server;
static char db_url[256];
static char dir[64];    /* the run's folder: certificate, nginx configuration, logs */
static pid_t nginx_pid; /* nginx's master process (daemon off) */
static unsigned https_port, http_port;
static const char pw[] = "correct horse battery staple";

#define NEED_PROXY()                                                                               \
	do {                                                                                       \
		if (!nginx_pid)                                                                    \
			skip();                                                                    \
	} while (0)

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A TCP port on 127.0.0.1 that nothing listens on now. */
static unsigned free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in sin = { .sin_family = AF_INET };
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	socklen_t len = sizeof(sin);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	return ntohs(sin.sin_port);
}

/* Replace the one occurrence of @from in @text (it must be there: the shipped file changed
 * otherwise, and the test must be looked at). */
static void replace(struct buf *text, const char *from, const char *to)
{
	const char *at = strstr(text->data, from);
	if (!at)
		fail_msg("docs/nginx/placard.conf no longer holds \"%s\"", from);
	struct buf out = BUF_INIT;
	buf_add(&out, text->data, (size_t)(at - text->data));
	buf_addf(&out, "%s%s", to, at + strlen(from));
	buf_release(text);
	*text = out;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* The shipped site configuration, pointed at the test server, the run's certificate and
 * loopback ports; and a main configuration that keeps everything in the run's folder. */
static void nginx_configure(void)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/docs/nginx/placard.conf", itest_source_root());
	struct buf site = BUF_INIT;
	assert_int_equal(itest_shell(&site, "cat '%s'", path), 0);
	char v[256];
	snprintf(v, sizeof(v), "server 127.0.0.1:%u;", server.port);
	replace(&site, "server 127.0.0.1:8080;", v);
	snprintf(v, sizeof(v), "listen 127.0.0.1:%u ssl http2;", https_port);
	replace(&site, "listen 443 ssl http2;", v);
	replace(&site, "listen [::]:443 ssl http2;", "");
	snprintf(v, sizeof(v), "listen 127.0.0.1:%u;", http_port);
	replace(&site, "listen 80;", v);
	replace(&site, "listen [::]:80;", "");
	snprintf(v, sizeof(v), "%s/cert.pem", dir);
	replace(&site, "/etc/ssl/certs/ssl-cert-snakeoil.pem", v);
	snprintf(v, sizeof(v), "%s/key.pem", dir);
	replace(&site, "/etc/ssl/private/ssl-cert-snakeoil.key", v);
	snprintf(path, sizeof(path), "%s/site.conf", dir);
	write_file(path, site.data);
	buf_release(&site);

	struct buf mainconf = BUF_INIT;
	buf_addf(&mainconf,
	         "daemon off;\n"
	         "worker_processes 1;\n"
	         "pid %1$s/nginx.pid;\n"
	         "error_log %1$s/error.log info;\n"
	         "events { worker_connections 128; }\n"
	         "http {\n"
	         "\tinclude /etc/nginx/mime.types;\n"
	         "\taccess_log %1$s/access.log;\n"
	         "\tclient_body_temp_path %1$s/body;\n"
	         "\tproxy_temp_path %1$s/proxy;\n"
	         "\tfastcgi_temp_path %1$s/fastcgi;\n"
	         "\tuwsgi_temp_path %1$s/uwsgi;\n"
	         "\tscgi_temp_path %1$s/scgi;\n"
	         "\tinclude %1$s/site.conf;\n"
	         "}\n",
	         dir);
	snprintf(path, sizeof(path), "%s/nginx.conf", dir);
	write_file(path, mainconf.data);
	buf_release(&mainconf);
}

static void nginx_start(void)
{
	char conf[128], err[128];
	snprintf(conf, sizeof(conf), "%s/nginx.conf", dir);
	snprintf(err, sizeof(err), "%s/error.log", dir);
	struct buf out = BUF_INIT;
	if (itest_shell(&out, "nginx -t -q -c '%s' -e '%s' 2>&1", conf, err) != 0)
		fail_msg("nginx -t refused the configuration: %s", out.data);
	buf_release(&out);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execlp("nginx", "nginx", "-c", conf, "-e", err, (char *)NULL);
		_exit(127);
	}
	nginx_pid = pid;
	/* Ready once it accepts on the HTTPS port. */
	for (int i = 0; i < 100; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in sin = { .sin_family = AF_INET,
			                   .sin_port = htons((uint16_t)https_port) };
		inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
		int ok = connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0;
		close(fd);
		if (ok)
			return;
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			nginx_pid = 0;
			fail_msg("nginx exited at start; see %s", err);
		}
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	fail_msg("nginx did not listen on port %u; see %s", https_port, err);
}

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	if (itest_shell(NULL, "command -v nginx >/dev/null && command -v openssl >/dev/null") !=
	    0) {
		fprintf(stderr, "nginx or openssl is not installed (script/bootstrap test): "
		                "skipping\n");
		return 0;
	}
	snprintf(dir, sizeof(dir), "/tmp/placard-deploy-XXXXXX");
	assert_non_null(mkdtemp(dir));
	/* nginx's workers (nobody, when started as root) reach its temporary folders. */
	chmod(dir, 0755);
	struct buf out = BUF_INIT;
	if (itest_shell(&out,
	                "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
	                "-nodes -days 2 -subj /CN=localhost "
	                "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 "
	                "-keyout '%1$s/key.pem' -out '%1$s/cert.pem' 2>&1",
	                dir) != 0)
		fail_msg("openssl could not make a certificate: %s", out.data);
	buf_release(&out);

	itest_db_create("deploy", db_url, sizeof(db_url));
	if (staff_add(db_url, "ada", "admin", pw, "", NULL) != 0)
		fail_msg("cannot add a staff member");
	static const char *const env[] = { "PLACARD_TLS=1", "PLACARD_TRUSTED_PROXIES=127.0.0.1",
		                           NULL };
	itest_server_start(&server, db_url, env);
	https_port = free_port();
	http_port = free_port();
	nginx_configure();
	nginx_start();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	int rc = 0;
	if (nginx_pid) {
		kill(nginx_pid, SIGTERM);
		int st = 0;
		waitpid(nginx_pid, &st, 0);
		nginx_pid = 0;
	}
	if (server.pid)
		rc = itest_server_stop(&server);
	if (*dir)
		itest_shell(NULL, "rm -rf '%s'", dir);
	return rc == 0 ? 0 : -1;
}

/* ---- HTTPS through nginx ---- */

struct answer {
	long status;
	long version; /* CURL_HTTP_VERSION_1_1, _2_0 */
	struct buf body;
	struct buf headers;
};

static size_t collect(char *data, size_t size, size_t n, void *userdata)
{
	buf_add(userdata, data, size * n);
	return size * n;
}

/*
 * @method @path over HTTPS through nginx (HTTP/2 when offered), from the local address
 * @from (NULL: the usual one), with @headers (NULL-terminated) and @body (or NULL). The
 * body is kept as it came: Accept-Encoding is sent only when @headers has it.
 */
static void https(const char *method, const char *path, const char *const headers[],
                  const char *body, size_t body_len, const char *from, struct answer *ret)
{
	memset(ret, 0, sizeof(*ret));
	buf_init(&ret->body);
	buf_init(&ret->headers);
	CURL *c = curl_easy_init();
	assert_non_null(c);
	char url[512], ca[128], iface[80];
	snprintf(url, sizeof(url), "https://localhost:%u%s", https_port, path);
	snprintf(ca, sizeof(ca), "%s/cert.pem", dir);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, ca);
	curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &ret->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &ret->headers);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (from) {
		snprintf(iface, sizeof(iface), "host!%s", from);
		curl_easy_setopt(c, CURLOPT_INTERFACE, iface);
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
		fail_msg("%s %s through nginx: %s", method, path, curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &ret->status);
	curl_easy_getinfo(c, CURLINFO_HTTP_VERSION, &ret->version);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
}

static void answer_free(struct answer *a)
{
	buf_release(&a->body);
	buf_release(&a->headers);
}

/* How many times the header @name appears, and its last value in @value (or ""). */
static int header_count(const struct answer *a, const char *name, char *value, size_t size)
{
	int n = 0;
	size_t len = strlen(name);
	if (value)
		*value = '\0';
	for (const char *p = a->headers.data; p && *p;) {
		const char *eol = strchr(p, '\n');
		if (strncasecmp(p, name, len) == 0 && p[len] == ':') {
			n++;
			const char *v = p + len + 1;
			while (*v == ' ')
				v++;
			size_t vl = eol ? (size_t)(eol - v) : strlen(v);
			while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
				vl--;
			if (value)
				snprintf(value, size, "%.*s", (int)vl, v);
		}
		p = eol ? eol + 1 : NULL;
	}
	return n;
}

/* How many of Placard's access-log lines name @path. */
static int placard_saw(const char *path)
{
	struct buf out = BUF_INIT;
	itest_shell(&out, "grep -c '\"path\":\"%s\"' '%s'", path, server.log_path);
	int n = atoi(out.data ? out.data : "0");
	buf_release(&out);
	return n;
}

/* ---- raw TLS connections, for what clients should not send ---- */

struct tls {
	CURL *c;
	curl_socket_t fd;
};

static void tls_open(struct tls *t)
{
	char url[128], ca[128];
	snprintf(url, sizeof(url), "https://localhost:%u/", https_port);
	snprintf(ca, sizeof(ca), "%s/cert.pem", dir);
	t->c = curl_easy_init();
	assert_non_null(t->c);
	curl_easy_setopt(t->c, CURLOPT_URL, url);
	curl_easy_setopt(t->c, CURLOPT_CAINFO, ca);
	/* ALPN http/1.1: the bytes below are an HTTP/1.1 request. */
	curl_easy_setopt(t->c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(t->c, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(t->c, CURLOPT_NOSIGNAL, 1L);
	CURLcode rc = curl_easy_perform(t->c);
	if (rc != CURLE_OK)
		fail_msg("TLS connection to nginx: %s", curl_easy_strerror(rc));
	assert_int_equal(curl_easy_getinfo(t->c, CURLINFO_ACTIVESOCKET, &t->fd), CURLE_OK);
}

static void tls_send(struct tls *t, const char *data, size_t len)
{
	size_t off = 0;
	while (off < len) {
		size_t n = 0;
		CURLcode rc = curl_easy_send(t->c, data + off, len - off, &n);
		if (rc == CURLE_AGAIN) {
			struct pollfd p = { .fd = t->fd, .events = POLLOUT };
			poll(&p, 1, 1000);
			continue;
		}
		if (rc != CURLE_OK)
			return; /* closed by nginx: what the caller reads says so */
		off += n;
	}
}

/* Read into @out until nginx closes the connection or @seconds pass; whether it closed. */
static bool tls_read(struct tls *t, struct buf *out, double seconds)
{
	double end = now_s() + seconds;
	for (;;) {
		char chunk[4096];
		size_t n = 0;
		CURLcode rc = curl_easy_recv(t->c, chunk, sizeof(chunk), &n);
		if (rc == CURLE_OK && n == 0)
			return true;
		if (rc == CURLE_OK) {
			buf_add(out, chunk, n);
			continue;
		}
		if (rc != CURLE_AGAIN)
			return true;
		double left = end - now_s();
		if (left <= 0)
			return false;
		struct pollfd p = { .fd = t->fd, .events = POLLIN };
		poll(&p, 1, (int)(left * 1000) + 1);
	}
}

static void tls_close(struct tls *t)
{
	curl_easy_cleanup(t->c);
}

/* Send @raw on a new TLS connection and read the answer until nginx closes (10 s at most). */
static void tls_exchange(const char *raw, struct buf *reply)
{
	struct tls t;
	tls_open(&t);
	tls_send(&t, raw, strlen(raw));
	tls_read(&t, reply, 10);
	tls_close(&t);
}

/* ---- the tests ---- */

/*
 * Under systemd: READY=1 comes only once the server listens and its database answers (here
 * a database created only after the server started), and STOPPING=1 when it is told to stop.
 */
static void test_sd_notify(void **state)
{
	(void)state;
	if (!itest_have_db())
		skip();
	char sock_path[108];
	snprintf(sock_path, sizeof(sock_path), "/tmp/placard-notify-%d", (int)getpid());
	unlink(sock_path);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock_path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);

	char url[128], env_sock[160];
	snprintf(url, sizeof(url), "dbname=placard_notify_%d", (int)getpid());
	snprintf(env_sock, sizeof(env_sock), "NOTIFY_SOCKET=%s", sock_path);
	const char *const env[] = { env_sock, NULL };
	struct itest_server s;
	itest_server_start(&s, url, env);

	/* Listening, but the database does not exist yet: 503, and no READY=1. */
	struct itest_response r;
	itest_get(&s, "/healthz", &r);
	assert_int_equal(r.status, 503);
	itest_response_free(&r);
	char msg[512];
	bool ready = false;
	double until = now_s() + 2.5;
	while (now_s() < until) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 200) <= 0)
			continue;
		ssize_t n = recv(fd, msg, sizeof(msg) - 1, 0);
		assert_true(n > 0);
		msg[n] = '\0';
		assert_null(strstr(msg, "STOPPING=1"));
		if (strstr(msg, "READY=1"))
			ready = true;
		else
			assert_non_null(strstr(msg, "STATUS=Waiting for the database"));
	}
	assert_false(ready);

	/* The database comes, migrated (made under another name and renamed, so that the
	 * server, which tries every second, never finds it half-built): READY=1 within a few
	 * seconds, and the server serves. */
	char made[256], rename[600];
	itest_db_create("notifyprep", made, sizeof(made));
	snprintf(rename, sizeof(rename), "ALTER DATABASE %s RENAME TO %s", made + strlen("dbname="),
	         url + strlen("dbname="));
	const char *base = getenv("PLACARD_TEST_DATABASE_URL");
	itest_sql(base ? base : "dbname=postgres", rename);
	until = now_s() + 10;
	while (!ready && now_s() < until) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 200) <= 0)
			continue;
		ssize_t n = recv(fd, msg, sizeof(msg) - 1, 0);
		assert_true(n > 0);
		msg[n] = '\0';
		if (strstr(msg, "READY=1")) {
			ready = true;
			assert_non_null(strstr(msg, "STATUS=Serving on 127.0.0.1:"));
		}
	}
	assert_true(ready);
	itest_get(&s, "/healthz", &r);
	assert_int_equal(r.status, 200);
	itest_response_free(&r);

	/* SIGTERM: STOPPING=1, then a clean exit. */
	kill(s.pid, SIGTERM);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	assert_int_equal(poll(&p, 1, 5000), 1);
	ssize_t n = recv(fd, msg, sizeof(msg) - 1, 0);
	assert_true(n > 0);
	msg[n] = '\0';
	assert_non_null(strstr(msg, "STOPPING=1"));
	assert_int_equal(itest_server_stop(&s), 0);
	close(fd);
	unlink(sock_path);
	char sql[128];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS placard_notify_%d", (int)getpid());
	itest_sql("dbname=postgres", sql);
}

/* HTTPS with HTTP/2; Strict-Transport-Security exactly once, on Placard's answers and on
 * nginx's own; Secure cookies; plain HTTP redirected to HTTPS. */
static void test_tls(void **state)
{
	(void)state;
	NEED_PROXY();
	struct answer a;
	char v[256];
	https("GET", "/healthz", NULL, NULL, 0, NULL, &a);
	assert_int_equal(a.status, 200);
	assert_int_equal(a.version, CURL_HTTP_VERSION_2_0);
	assert_int_equal(header_count(&a, "Strict-Transport-Security", v, sizeof(v)), 1);
	assert_string_equal(v, "max-age=31536000; includeSubDomains");
	/* Placard's own headers pass. */
	assert_int_equal(header_count(&a, "X-Content-Type-Options", v, sizeof(v)), 1);
	answer_free(&a);

	/* An answer nginx gives itself (a path refused at the proxy: a body too large). */
	static char big[2 << 20];
	memset(big, 'x', sizeof(big));
	const char *const json[] = { "Content-Type: application/json", NULL };
	https("POST", "/api/v1/session", json, big, sizeof(big), NULL, &a);
	assert_int_equal(a.status, 413);
	assert_int_equal(header_count(&a, "Strict-Transport-Security", NULL, 0), 1);
	answer_free(&a);

	/* Signing in: the session cookie is Secure (PLACARD_TLS=1), HttpOnly. */
	char body[128];
	snprintf(body, sizeof(body), "{\"username\":\"ada\",\"password\":\"%s\"}", pw);
	https("POST", "/api/v1/session", json, body, strlen(body), NULL, &a);
	assert_int_equal(a.status, 201);
	assert_int_equal(header_count(&a, "Set-Cookie", v, sizeof(v)), 1);
	assert_non_null(strstr(v, "; Secure"));
	assert_non_null(strstr(v, "HttpOnly"));
	answer_free(&a);

	/* The metrics are not for the public: nginx answers 404 without asking Placard. */
	https("GET", "/metrics", NULL, NULL, 0, NULL, &a);
	assert_int_equal(a.status, 404);
	answer_free(&a);
	assert_int_equal(placard_saw("/metrics"), 0);

	/* Plain HTTP: a redirect to HTTPS, nothing else. */
	struct buf out = BUF_INIT;
	assert_int_equal(itest_shell(&out,
	                             "curl -s -o /dev/null -w '%%{http_code} %%{redirect_url}' "
	                             "-H 'Host: inspections.example.gov' http://127.0.0.1:%u/x",
	                             http_port),
	                 0);
	assert_string_equal(out.data, "301 https://inspections.example.gov/x");
	buf_release(&out);
}

/*
 * Header lines libmicrohttpd 0.9.75 reads its own way. An obs-fold continuation line and an
 * empty header name: 400 from nginx, and Placard never sees the request. Bare-LF line
 * endings: nginx reads them as line ends and passes the request on with CRLF, so both read
 * the same headers: an If-None-Match sent after a bare LF is the one Placard answers 304 to.
 */
static void test_framing(void **state)
{
	(void)state;
	NEED_PROXY();
	struct buf reply = BUF_INIT;
	tls_exchange("GET /obs-fold-probe HTTP/1.1\r\nHost: localhost\r\n"
	             "X-A: 1\r\n folded\r\nConnection: close\r\n\r\n",
	             &reply);
	assert_non_null(reply.data);
	assert_true(strncmp(reply.data, "HTTP/1.1 400 ", 13) == 0);
	buf_release(&reply);
	assert_int_equal(placard_saw("/obs-fold-probe"), 0);

	tls_exchange("GET /empty-name-probe HTTP/1.1\r\nHost: localhost\r\n"
	             ": x\r\nConnection: close\r\n\r\n",
	             &reply);
	assert_non_null(reply.data);
	assert_true(strncmp(reply.data, "HTTP/1.1 400 ", 13) == 0);
	buf_release(&reply);
	assert_int_equal(placard_saw("/empty-name-probe"), 0);

	/* The same request with CRLF, then with bare LFs, carrying the current ETag. */
	struct answer a;
	https("GET", "/api/v1/schemes/nyc", NULL, NULL, 0, NULL, &a);
	assert_int_equal(a.status, 200);
	char etag[128];
	assert_int_equal(header_count(&a, "ETag", etag, sizeof(etag)), 1);
	answer_free(&a);
	char raw[512];
	snprintf(raw, sizeof(raw),
	         "GET /api/v1/schemes/nyc HTTP/1.1\nHost: localhost\nIf-None-Match: %s\n"
	         "Connection: close\n\n",
	         etag);
	tls_exchange(raw, &reply);
	assert_non_null(reply.data);
	assert_true(strncmp(reply.data, "HTTP/1.1 304 ", 13) == 0);
	buf_release(&reply);
	/* A bare LF inside a value's line ends the line: what follows is the next header, for
	 * nginx as for Placard (no header hides in another's value). */
	snprintf(raw, sizeof(raw),
	         "GET /api/v1/schemes/nyc HTTP/1.1\r\nHost: localhost\r\nX-A: 1\nIf-None-Match: "
	         "%s\r\nConnection: close\r\n\r\n",
	         etag);
	tls_exchange(raw, &reply);
	assert_non_null(reply.data);
	assert_true(strncmp(reply.data, "HTTP/1.1 304 ", 13) == 0);
	buf_release(&reply);
}

/* The client Placard counts wrong passwords against is the one nginx saw, whatever the
 * client wrote into X-Forwarded-For. */
static void test_client_address(void **state)
{
	(void)state;
	NEED_PROXY();
	itest_sql(db_url, "DELETE FROM login_failure");
	const char *const h[] = { "Content-Type: application/json", "X-Forwarded-For: 203.0.113.7",
		                  NULL };
	const char body[] = "{\"username\":\"ada\",\"password\":\"not the password at all\"}";
	struct answer a;
	https("POST", "/api/v1/session", h, body, strlen(body), "127.0.0.2", &a);
	assert_int_equal(a.status, 401);
	answer_free(&a);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM login_failure"), 1);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM login_failure"
	                                         " WHERE ip = '127.0.0.2'"),
	                 1);
	/* And from another address, another client. */
	https("POST", "/api/v1/session", h, body, strlen(body), "127.0.0.3", &a);
	assert_int_equal(a.status, 401);
	answer_free(&a);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM login_failure"
	                                         " WHERE ip = '127.0.0.3'"),
	                 1);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM login_failure"
	                                         " WHERE ip IN ('203.0.113.7', '127.0.0.1')"),
	                 0);
	itest_sql(db_url, "DELETE FROM login_failure");
}

/* A body over client_max_body_size is refused by nginx (413), before Placard; one under it
 * reaches Placard. */
static void test_body_limit(void **state)
{
	(void)state;
	NEED_PROXY();
	static char big[(1 << 20) + 1];
	memset(big, ' ', sizeof(big));
	big[0] = '{';
	big[sizeof(big) - 1] = '}';
	const char *const json[] = { "Content-Type: application/json", NULL };
	struct answer a;
	https("POST", "/api/v1/big-body-probe", json, big, sizeof(big), NULL, &a);
	assert_int_equal(a.status, 413);
	char v[128];
	header_count(&a, "Content-Type", v, sizeof(v));
	assert_non_null(strstr(v, "text/html")); /* nginx's page, not Placard's problem+json */
	answer_free(&a);
	assert_int_equal(placard_saw("/api/v1/big-body-probe"), 0);
	/* The control: a small body to the same path does reach Placard. */
	https("POST", "/api/v1/big-body-probe", json, "{}", 2, NULL, &a);
	assert_true(a.status == 404 || a.status == 405);
	answer_free(&a);
	assert_int_equal(placard_saw("/api/v1/big-body-probe"), 1);
}

/* A client trickling its header a byte a second, and one stalling in its body, are cut by
 * nginx after its 10 s timeouts; Placard never sees either request. */
static void test_slow_clients(void **state)
{
	(void)state;
	NEED_PROXY();
	const char head[] = "GET /slow-header-probe HTTP/1.1\r\nHost: localhost\r\nX-Pad: "
	                    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
	struct tls t;
	tls_open(&t);
	double start = now_s();
	bool closed = false;
	struct buf reply = BUF_INIT;
	for (size_t i = 0; i < sizeof(head) - 1 && !closed; i++) {
		tls_send(&t, head + i, 1);
		closed = tls_read(&t, &reply, 1.0);
	}
	double took = now_s() - start;
	tls_close(&t);
	assert_true(closed);
	assert_true(took >= 9 && took < 14);
	buf_release(&reply);
	assert_int_equal(placard_saw("/slow-header-probe"), 0);

	tls_open(&t);
	const char post[] = "POST /api/v1/slow-body-probe HTTP/1.1\r\nHost: localhost\r\n"
	                    "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":";
	tls_send(&t, post, sizeof(post) - 1);
	start = now_s();
	closed = tls_read(&t, &reply, 20);
	took = now_s() - start;
	tls_close(&t);
	assert_true(closed);
	assert_true(took >= 9 && took < 14);
	/* Nothing but possibly nginx's own 408. */
	assert_true(reply.len == 0 || strncmp(reply.data, "HTTP/1.1 408 ", 13) == 0);
	buf_release(&reply);
	assert_int_equal(placard_saw("/api/v1/slow-body-probe"), 0);
}

/* Inflate a gzip body; the text in @out. */
static void gunzip(const struct buf *in, struct buf *out)
{
	z_stream z = { 0 };
	assert_int_equal(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
	z.next_in = (Bytef *)in->data;
	z.avail_in = (uInt)in->len;
	char chunk[16384];
	int rc;
	do {
		z.next_out = (Bytef *)chunk;
		z.avail_out = sizeof(chunk);
		rc = inflate(&z, Z_NO_FLUSH);
		assert_true(rc == Z_OK || rc == Z_STREAM_END);
		buf_add(out, chunk, sizeof(chunk) - z.avail_out);
	} while (rc != Z_STREAM_END);
	inflateEnd(&z);
}

/* A public, cacheable answer passes gzipped, with Placard's ETag and Cache-Control, and the
 * same body as Placard gives directly; If-None-Match with that ETag gets 304, no body. */
static void test_gzip_and_etag(void **state)
{
	(void)state;
	NEED_PROXY();
	struct itest_response direct;
	itest_get(&server, "/api/v1/schemes/nyc", &direct);
	assert_int_equal(direct.status, 200);
	char etag[128], cache[128];
	snprintf(etag, sizeof(etag), "%s", itest_header(&direct, "ETag"));
	snprintf(cache, sizeof(cache), "%s", itest_header(&direct, "Cache-Control"));
	assert_non_null(strstr(cache, "public, max-age="));

	const char *const gz[] = { "Accept-Encoding: gzip", NULL };
	struct answer a;
	https("GET", "/api/v1/schemes/nyc", gz, NULL, 0, NULL, &a);
	assert_int_equal(a.status, 200);
	char v[256];
	assert_int_equal(header_count(&a, "Content-Encoding", v, sizeof(v)), 1);
	assert_string_equal(v, "gzip");
	assert_int_equal(header_count(&a, "ETag", v, sizeof(v)), 1);
	assert_string_equal(v, etag);
	assert_int_equal(header_count(&a, "Cache-Control", v, sizeof(v)), 1);
	assert_string_equal(v, cache);
	header_count(&a, "Vary", v, sizeof(v));
	assert_non_null(strstr(v, "Accept-Encoding"));
	struct buf plain = BUF_INIT;
	gunzip(&a.body, &plain);
	assert_int_equal(plain.len, direct.body.len);
	assert_memory_equal(plain.data, direct.body.data, plain.len);
	buf_release(&plain);
	answer_free(&a);

	char inm[160];
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	const char *const cond[] = { "Accept-Encoding: gzip", inm, NULL };
	https("GET", "/api/v1/schemes/nyc", cond, NULL, 0, NULL, &a);
	assert_int_equal(a.status, 304);
	assert_int_equal(a.body.len, 0);
	assert_int_equal(header_count(&a, "ETag", v, sizeof(v)), 1);
	assert_string_equal(v, etag);
	answer_free(&a);
	itest_response_free(&direct);
}

int main(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sd_notify),     cmocka_unit_test(test_tls),
		cmocka_unit_test(test_framing),       cmocka_unit_test(test_client_address),
		cmocka_unit_test(test_body_limit),    cmocka_unit_test(test_slow_clients),
		cmocka_unit_test(test_gzip_and_etag),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
