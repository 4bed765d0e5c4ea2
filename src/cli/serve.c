/*
 * serve.c - placard serve: start the HTTP server and run until SIGINT or SIGTERM, then
 * finish the requests in flight and stop.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "api/api.h"
#include "cli/cli.h"
#include "cli/witnesses.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/metrics.h"
#include "http/server.h"
#include "json/json.h"
#include "api/tlog.h"
#include "store/sealer.h"
#include "records/searchindex.h"
#include "store/store.h"

static const char serve_usage[] =
        "usage: placard serve\n"
        "\n"
        "Serve the API and the pages in web/. Settings from the environment:\n"
        "  PLACARD_LISTEN              host:port (default 127.0.0.1:8080; port 0 = any free)\n"
        "  PLACARD_DATABASE_URL        PostgreSQL for writes (default: libpq's PG* variables)\n"
        "  PLACARD_READ_DATABASE_URL   PostgreSQL for public reads (default: the same)\n"
        "  PLACARD_PUBLIC_URL          the address the public reaches this server at\n"
        "                              (https://HOST[:PORT]), for the links it makes; required\n"
        "  PLACARD_DEVELOPMENT         1: a development server, where PLACARD_PUBLIC_URL may\n"
        "                              be unset (links then point to http://PLACARD_LISTEN)\n"
        "  PLACARD_THREADS             worker threads (default: one per core)\n"
        "  PLACARD_ACCESS_LOG          file for the request lines (default: standard error)\n"
        "  PLACARD_WEB_DIR             static files (default: web/ of the source tree)\n"
        "  PLACARD_TRUSTED_PROXIES     proxies whose X-Forwarded-For names the client\n"
        "  PLACARD_METRICS_ALLOW       who may read GET /metrics (default: 127.0.0.0/8,::1)\n"
        "  PLACARD_LOG_TARGET          auto (default), journal or stderr\n"
        "See docs/operations.md for the limits.\n";

/*
 * Refuse a database that is not UTF8. One that cannot be reached now is not refused: the
 * workers connect when it comes up, and answer 503 until then.
 */
static int check_database(const char *url, bool *reachable)
{
	struct store *st;
	char err[512];
	int rc = store_open(url, &st, err, sizeof(err));
	if (rc == -EILSEQ) {
		fprintf(stderr, "placard serve: %s\n", err);
		return rc;
	}
	*reachable = rc == 0;
	if (rc < 0)
		log_warn("%s; serving anyway, with 503 until it can be reached", err);
	else
		store_close(st);
	return 0;
}

/*
 * Under systemd (Type=notify: NOTIFY_SOCKET is set), the service is ready only once it
 * really serves: it listens already, and the database must answer too. Until then, try the
 * database every second (the server answers 503 meanwhile). Returns 0 once it answers, or
 * the signal (SIGTERM, SIGINT in @set) that came first, in *@sig.
 */
static int wait_for_database(const char *url, const sigset_t *set, int *sig)
{
	for (;;) {
		struct store *st;
		char err[512];
		if (store_open(url, &st, err, sizeof(err)) == 0) {
			store_close(st);
			return 0;
		}
		sd_notifyf(0, "STATUS=Waiting for the database: %s", err);
		struct timespec second = { 1, 0 };
		int got = sigtimedwait(set, NULL, &second);
		if (got > 0) {
			*sig = got;
			return -EINTR;
		}
	}
}

int cli_serve(const struct config *cfg, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, serve_usage))
		return 0;
	metrics_set_start_time();
	/* Links the server makes (QR codes on grade cards) must not follow the Host header,
	 * which any client chooses: a production server is told its address. */
	if (!*cfg->public_url && !cfg->development) {
		fprintf(stderr,
		        "placard: PLACARD_PUBLIC_URL is not set: give the address the public "
		        "reaches this server at (https://inspections.example.gov), or set "
		        "PLACARD_DEVELOPMENT=1 for a development server\n");
		return 1;
	}
	if (*cfg->public_url)
		api_set_public_url(cfg->public_url);
	api_set_metrics_allow(&cfg->metrics_allow);

	/* Workers inherit this mask, so only the main thread below receives the signals. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	json_init();
	if (sodium_init() < 0) {
		fprintf(stderr, "placard: libsodium could not be initialised\n");
		return 1;
	}
	if (api_init(cfg->tls) < 0) {
		fprintf(stderr, "placard: not enough memory for argon2id password checks\n");
		return 1;
	}
	const char *access_log = getenv("PLACARD_ACCESS_LOG");
	if (access_log && *access_log) {
		int rc = log_access_open(access_log);
		if (rc < 0) {
			fprintf(stderr, "placard serve: cannot open PLACARD_ACCESS_LOG %s: %s\n",
			        access_log, strerror(-rc));
			return 1;
		}
	}
	/* The key that signs the log's checkpoints: without one, /checkpoint answers 503. */
	static struct rec_tlog_signer signer;
	if (cfg->log_key) {
		char why[512];
		if (rec_tlog_signer_load(cfg->log_key, cfg->log_origin, &signer, why, sizeof(why)) <
		    0) {
			fprintf(stderr, "placard serve: PLACARD_LOG_KEY: %s\n", why);
			return 1;
		}
		if (cfg->log_key_previous &&
		    rec_tlog_signer_add_previous(&signer, cfg->log_key_previous, why, sizeof(why)) <
		            0) {
			fprintf(stderr, "placard serve: PLACARD_LOG_KEY_PREVIOUS: %s\n", why);
			return 1;
		}
		api_tlog_set_signer(&signer);
		log_info("signing log checkpoints as %s with key %s", signer.origin, signer.vkey);
		if (signer.has_previous)
			log_info("and, while the key changes, with the previous key %s",
			         signer.previous_vkey);
	} else if (cfg->log_key_previous) {
		fprintf(stderr, "placard serve: PLACARD_LOG_KEY_PREVIOUS is set without "
		                "PLACARD_LOG_KEY: the previous key only signs beside a new one\n");
		return 1;
	}
	/* The witnesses asked to cosign the checkpoints. */
	static struct rec_tlog_witness witnesses[REC_TLOG_WITNESSES_MAX];
	int nwitnesses = 0;
	if (cfg->witnesses) {
		char why[512];
		if (!cfg->log_key) {
			fprintf(stderr, "placard serve: PLACARD_WITNESSES needs PLACARD_LOG_KEY: "
			                "witnesses cosign signed checkpoints\n");
			return 1;
		}
		if (rec_tlog_witnesses_parse(cfg->witnesses, witnesses, &nwitnesses, why,
		                             sizeof(why)) < 0) {
			fprintf(stderr, "placard serve: %s\n", why);
			return 1;
		}
		rec_tlog_witnesses_set(witnesses, nwitnesses);
	}
	/* The catalogues the server writes its sentences from (web/i18n/). */
	char i18n_err[512];
	if (i18n_load(cfg->web_dir, i18n_err, sizeof(i18n_err)) < 0) {
		fprintf(stderr, "placard serve: %s\n", i18n_err);
		return 1;
	}
	store_configure(cfg->database_url, cfg->read_database_url);
	bool db_up = false, read_db_up = false;
	if (check_database(cfg->database_url, &db_up) < 0 ||
	    (cfg->read_database_url && check_database(cfg->read_database_url, &read_db_up) < 0))
		return 1;

	struct http_server_options o = {
		.host = cfg->listen_host,
		.port = cfg->listen_port,
		.threads = cfg->threads,
		.max_body = cfg->max_body,
		.max_header_memory = cfg->max_header_memory,
		.connection_timeout = cfg->connection_timeout,
		.request_timeout = cfg->request_timeout,
		.max_connections = cfg->max_connections,
		.per_ip_connections = cfg->per_ip_connections,
		.tls = cfg->tls,
		.static_dir = cfg->web_dir,
		.vendor_dir = cfg->vendor_dir,
		.img_origin = cfg->map_origin,
		.routes = api_routes,
		.nroutes = api_nroutes,
		.hook = api_hook,
		.settle = api_settle,
		.quiet = getenv("PLACARD_QUIET_ACCESS_LOG") != NULL,
		.trusted_proxies = cfg->trusted_proxies,
	};
	api_set_map_tiles(cfg->map_tiles);
	struct http_server *server;
	char err[256];
	if (http_server_start(&o, &server, err, sizeof(err)) < 0) {
		fprintf(stderr, "placard: %s\n", err);
		return 1;
	}
	if (!*cfg->public_url) {
		/* A development server links to where it listens (the port known only now). */
		char url[CONFIG_PUBLIC_URL_MAX + 1];
		bool v6 = strchr(cfg->listen_host, ':') != NULL;
		snprintf(url, sizeof(url), "http://%s%s%s:%u", v6 ? "[" : "", cfg->listen_host,
		         v6 ? "]" : "", http_server_port(server));
		api_set_public_url(url);
		log_info("development server: links point to %s", url);
	}
	struct store_sealer *sealer = store_sealer_start(cfg->database_url, 50);
	if (witnesses_start(cfg->database_url, &signer, witnesses, nwitnesses) < 0) {
		fprintf(stderr, "placard serve: the witness client could not start\n");
		return 1;
	}
	for (int i = 0; i < nwitnesses; i++)
		log_info("asking witness %s at %s to cosign", witnesses[i].name, witnesses[i].url);
	if (cfg->search_index)
		search_index_start(cfg->read_database_url ? cfg->read_database_url
		                                          : cfg->database_url,
		                   cfg->database_url);
	printf("placard: listening on http://%s:%u\n", cfg->listen_host, http_server_port(server));
	fflush(stdout);
	log_info("serving on %s:%u with %u threads", cfg->listen_host, http_server_port(server),
	         cfg->threads);

	int sig = 0;
	if (getenv("NOTIFY_SOCKET")) {
		if (db_up || wait_for_database(cfg->database_url, &set, &sig) == 0)
			sd_notifyf(0, "READY=1\nSTATUS=Serving on %s:%u", cfg->listen_host,
			           http_server_port(server));
	}
	if (!sig)
		sigwait(&set, &sig);
	sd_notify(0, "STOPPING=1\nSTATUS=Finishing the requests in flight");
	log_info("received signal %d; finishing requests in flight", sig);
	witnesses_stop();
	http_server_stop(server, cfg->shutdown_grace);
	api_open_data_cleanup();
	store_sealer_stop(sealer);
	search_index_stop();
	log_info("stopped");
	return 0;
}
