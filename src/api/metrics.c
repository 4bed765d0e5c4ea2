/*
 * metrics.c - GET /metrics: the server's metrics in the Prometheus text format, for the
 * addresses of PLACARD_METRICS_ALLOW only (docs/operations.md, "Metrics").
 *
 * Who may scrape is decided on the connection's own peer address and on the client address
 * that PLACARD_TRUSTED_PROXIES lets X-Forwarded-For name (http_client_ip): both must be
 * allowed. So a proxy on an allowed address (nginx on the same machine) never lets the
 * outsiders it forwards in, and an X-Forwarded-For sent straight to the server is never
 * believed. Others get the same 404 as a path with nothing at it.
 */
#include "api/api.h"

#include <time.h>

#include "core/metrics.h"
#include "core/util.h"
#include "core/version.h"
#include "records/metrics.h"

/* Set once by api_set_metrics_allow() before the threads start; read-only afterwards. */
static struct netaddr_list allowed;

void api_set_metrics_allow(const struct netaddr_list *allow)
{
	allowed = *allow;
}

static bool is_allowed(const char *ip)
{
	struct netaddr a;
	return netaddr_parse(ip, &a) == 0 && netaddr_list_contains(&allowed, &a);
}

int api_metrics_check(struct http_request *req, struct http_response *res)
{
	http_header_add(res, "Cache-Control", "no-store");
	if (is_allowed(http_peer_ip(req)) && is_allowed(http_client_ip(req)))
		return 0;
	return http_problem(res, 404, NULL, "api.http.not_found", "path", req->path, NULL);
}

static void gauge(struct buf *out, const char *name, const char *help, double value)
{
	metrics_write_family(out, name, "gauge", help);
	metrics_write_sample(out, name, NULL, value);
}

/* The records layer's gauges (records/metrics.h). */
static void write_records(struct buf *out, const struct rec_metrics *m)
{
	double now = (double)time(NULL);
	gauge(out, "placard_database_up",
	      "Whether the database answered this scrape's questions within 2 s.", m->database_ok);
	if (m->database_ok) {
		gauge(out, "placard_sealer_pending_events",
		      "Events committed and not yet sealed into the hash-chained log.",
		      (double)m->sealer_pending);
		gauge(out, "placard_sealer_oldest_pending_age_seconds",
		      "Age of the oldest event not yet sealed (0 when none is pending).",
		      m->sealer_oldest_age);
		gauge(out, "placard_appeals_open",
		      "Appeals filed, under review or with a hearing scheduled.",
		      (double)m->appeals_open);
		gauge(out, "placard_appeals_overdue", "Open appeals past their decision deadline.",
		      (double)m->appeals_overdue);
		metrics_write_family(out, "placard_imports_total", "counter",
		                     "Open-data imports run (placard import).");
		metrics_write_sample(out, "placard_imports_total", NULL, (double)m->imports);
		gauge(out, "placard_import_last_timestamp_seconds",
		      "When the last import started, in seconds since the epoch (0: never).",
		      m->last_import);
	}
	metrics_write_family(out, "placard_search_index_state", "gauge",
	                     "The in-memory name index: 1 for the state it is in.");
	static const char *const states[] = { "ready", "loading", "off" };
	for (size_t i = 0; i < ARRAY_SIZE(states); i++) {
		struct buf l = BUF_INIT;
		metrics_label(&l, "state", states[i]);
		metrics_write_sample(out, "placard_search_index_state", l.data,
		                     streq(states[i], m->search_index_state));
		buf_release(&l);
	}
	if (m->search_index_loaded_at) {
		gauge(out, "placard_search_index_last_load_timestamp_seconds",
		      "When the name index last finished loading every name.",
		      (double)m->search_index_loaded_at);
		gauge(out, "placard_search_index_last_load_age_seconds",
		      "Seconds since the name index last finished loading every name.",
		      now - (double)m->search_index_loaded_at);
	}
	if (m->search_index_synced_at)
		gauge(out, "placard_search_index_last_sync_age_seconds",
		      "Seconds since the name index was last brought up to date with the database.",
		      now - (double)m->search_index_synced_at);
}

int api_metrics(struct http_request *req, struct http_response *res)
{
	struct rec_metrics m;
	struct rec r = api_rec(req, STORE_WRITE);
	rec_metrics(&r, &m);
	struct buf out = BUF_INIT;
	struct buf l = BUF_INIT;
	metrics_write_family(&out, "placard_build_info", "gauge",
	                     "The version of Placard running (always 1).");
	metrics_label(&l, "version", PLACARD_VERSION);
	metrics_write_sample(&out, "placard_build_info", l.data, 1);
	buf_release(&l);
	http_metrics_write(req, &out);
	metrics_write_process(&out);
	write_records(&out, &m);
	return http_respond_buf(res, 200, "text/plain; version=0.0.4; charset=utf-8", &out);
}
