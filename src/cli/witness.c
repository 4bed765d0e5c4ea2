/*
 * witness.c - placard witness: a C2SP tlog-witness (https://c2sp.org/tlog-witness) for one
 * Placard log, run by another party (a neighbouring city, a newspaper). It keeps the size and
 * root of the last checkpoint it cosigned in a file, and answers POST /add-checkpoint: it
 * cosigns (C2SP tlog-cosignature, cosignature/v1) a checkpoint signed by the log's key only
 * when the consistency proof shows that the log has only been added to since that one, so a
 * log that shows two histories cannot have both cosigned by the same witness.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/tlog.h"
#include "http/server.h"
#include "records/tlog.h"

static const char witness_usage[] =
        "usage: placard witness --key FILE --log VKEY --state FILE [--origin ORIGIN]\n"
        "\n"
        "Run a witness of a Placard log (C2SP tlog-witness): POST /add-checkpoint cosigns a\n"
        "checkpoint signed by the log's key VKEY when it is consistent with the last one this\n"
        "witness cosigned, kept in the state FILE (created when missing). FILE for --key is a\n"
        "key made by 'placard log keygen' (mode 0600), named after the witness. ORIGIN is the\n"
        "log's origin line (default: the log key's name). Listens on PLACARD_LISTEN.\n";

static struct {
	pthread_mutex_t lock;
	struct rec_tlog_signer key;
	char log_vkey[TLOG_VKEY_MAX];
	char origin[TLOG_NAME_MAX];
	const char *state_path;
	long long size;
	struct tlog_hash root;
} w = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* The state file: "<size>\n<base64 root>\n"; no file: nothing cosigned yet. */
static int state_load(void)
{
	FILE *f = fopen(w.state_path, "r");
	if (!f) {
		if (errno != ENOENT)
			return -errno;
		w.size = 0;
		return 0;
	}
	char b64[64] = "";
	int ok = fscanf(f, "%lld\n%60s", &w.size, b64) == 2 && w.size >= 0 &&
	         tlog_hash_from_base64(b64, &w.root) == 0;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

static int state_save(long long size, const struct tlog_hash *root)
{
	char tmp[4200], b64[48];
	snprintf(tmp, sizeof(tmp), "%s.tmp", w.state_path);
	tlog_hash_base64(root, b64);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	char text[128];
	int n = snprintf(text, sizeof(text), "%lld\n%s\n", size, b64);
	if (write(fd, text, (size_t)n) != n || fsync(fd) < 0) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return rename(tmp, w.state_path) < 0 ? -errno : 0;
}

static int text(struct http_response *res, int status, const char *type, const char *msg)
{
	return http_respond(res, status, type, msg, strlen(msg));
}

static int add_checkpoint(struct http_request *req, struct http_response *res)
{
	long long old;
	struct tlog_hash proof[TLOG_PROOF_MAX];
	int n;
	size_t at, blen;
	if (tlog_witness_parse(req->body, req->body_len, &old, proof, &n, &at) < 0)
		return text(res, 400, "text/plain", "malformed add-checkpoint request\n");
	const char *note = req->body + at;
	int rc = tlog_note_verify(note, req->body_len - at, w.log_vkey, &blen);
	if (rc == -EINVAL)
		return text(res, 400, "text/plain", "malformed checkpoint\n");
	if (rc < 0)
		return text(res, 403, "text/plain",
		            "the checkpoint is not signed by the log's key\n");
	char origin[TLOG_NAME_MAX];
	long long size;
	struct tlog_hash root;
	if (tlog_checkpoint_parse(note, blen, origin, &size, &root) < 0)
		return text(res, 400, "text/plain", "malformed checkpoint\n");
	if (!streq(origin, w.origin))
		return text(res, 404, "text/plain", "this witness does not know that log\n");
	if (size < old)
		return text(res, 400, "text/plain",
		            "the checkpoint is smaller than the old size\n");
	pthread_mutex_lock(&w.lock);
	if (old != w.size) {
		char now[32];
		snprintf(now, sizeof(now), "%lld\n", w.size);
		pthread_mutex_unlock(&w.lock);
		return text(res, 409, "text/x.tlog.size", now);
	}
	if (old == 0 ? n != 0 : tlog_check_consistency(old, &w.root, size, &root, proof, n) < 0) {
		pthread_mutex_unlock(&w.lock);
		log_warn("witness: refused a checkpoint of %lld entries: not consistent with the "
		         "%lld cosigned",
		         size, old);
		return text(res, 422, "text/plain",
		            "the consistency proof does not hold: not an extension of the "
		            "checkpoint this witness cosigned\n");
	}
	if ((rc = state_save(size, &root)) < 0) {
		pthread_mutex_unlock(&w.lock);
		log_error("witness: cannot keep the state in %s: %s", w.state_path, strerror(-rc));
		return text(res, 500, "text/plain", "the witness cannot keep its state\n");
	}
	w.size = size;
	w.root = root;
	pthread_mutex_unlock(&w.lock);
	struct buf b = BUF_INIT;
	tlog_cosign(&w.key.key, note, blen, (uint64_t)time(NULL), &b);
	return http_respond_buf(res, 200, "text/plain; charset=utf-8", &b);
}

static const struct http_route routes[] = {
	{ HTTP_POST, "/add-checkpoint", add_checkpoint, 0 },
};

int cli_witness(const struct config *cfg, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, witness_usage))
		return 0;
	const char *key = NULL, *log = NULL, *origin = NULL;
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && streq(argv[i], "--key"))
			key = argv[++i];
		else if (i + 1 < argc && streq(argv[i], "--log"))
			log = argv[++i];
		else if (i + 1 < argc && streq(argv[i], "--state"))
			w.state_path = argv[++i];
		else if (i + 1 < argc && streq(argv[i], "--origin"))
			origin = argv[++i];
		else {
			fputs(witness_usage, stderr);
			return 2;
		}
	}
	if (!key || !log || !w.state_path) {
		fputs(witness_usage, stderr);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	char why[512], name[TLOG_NAME_MAX];
	unsigned char pk[32];
	uint32_t hash;
	if (rec_tlog_signer_load(key, NULL, &w.key, why, sizeof(why)) < 0) {
		fprintf(stderr, "placard witness: %s\n", why);
		return 1;
	}
	if (tlog_parse_vkey(log, name, pk, &hash) < 0) {
		fprintf(stderr, "placard witness: --log is not a log's verifier key "
		                "(NAME+HASH+KEY, as GET /api/v1/log/key gives it)\n");
		return 2;
	}
	snprintf(w.log_vkey, sizeof(w.log_vkey), "%s", log);
	snprintf(w.origin, sizeof(w.origin), "%s", origin ? origin : name);
	int rc = state_load();
	if (rc < 0) {
		fprintf(stderr, "placard witness: the state file %s cannot be read: %s\n",
		        w.state_path, strerror(-rc));
		return 1;
	}

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct http_server_options o = {
		.host = cfg->listen_host,
		.port = cfg->listen_port,
		.threads = 2,
		.max_body = 64 * 1024,
		.max_header_memory = cfg->max_header_memory,
		.connection_timeout = cfg->connection_timeout,
		.request_timeout = cfg->request_timeout,
		.max_connections = cfg->max_connections,
		.per_ip_connections = cfg->per_ip_connections,
		.routes = routes,
		.nroutes = ARRAY_SIZE(routes),
		.quiet = getenv("PLACARD_QUIET_ACCESS_LOG") != NULL,
		.any_body_type = true,
	};
	struct http_server *server;
	char err[256];
	if (http_server_start(&o, &server, err, sizeof(err)) < 0) {
		fprintf(stderr, "placard witness: %s\n", err);
		return 1;
	}
	struct buf v = BUF_INIT;
	tlog_cosig_vkey(&w.key.key, &v);
	log_info("witness of %s (%lld entries cosigned) with key %s", w.origin, w.size, v.data);
	printf("placard witness: listening on http://%s:%u\n%s\n", cfg->listen_host,
	       http_server_port(server), v.data);
	fflush(stdout);
	buf_release(&v);
	int sig = 0;
	sigwait(&set, &sig);
	http_server_stop(server, cfg->shutdown_grace);
	sodium_memzero(&w.key, sizeof(w.key));
	log_info("stopped");
	return 0;
}
