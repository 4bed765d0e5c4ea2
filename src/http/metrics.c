/*
 * metrics.c - requests counted by route pattern, method and status, and their latency per
 * route pattern, for GET /metrics. See internal.h and http.h.
 *
 * The labels are the route table's patterns, never the paths asked for, so that the number
 * of series is fixed by the table: a client making up paths adds nothing but to the
 * "(unmatched)" series. Every count is an atomic in one array allocated when the server
 * starts; counting takes no lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "http/internal.h"

/* The statuses counted by code; any other is counted as its class ("4xx"). */
static const int codes[] = { 200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308, 400,
	                     401, 403, 404, 405, 406, 408, 409, 410, 411, 412, 413, 414,
	                     415, 416, 422, 428, 429, 431, 500, 501, 502, 503, 504 };
#define NCODES   (ARRAY_SIZE(codes) + 5) /* and 1xx .. 5xx */
#define NMETHODS 8                       /* enum http_method's seven, and any other */

/* Slots after the route patterns: static files, and requests no route took. */
enum { SLOT_STATIC, SLOT_UNMATCHED, EXTRA_SLOTS };

struct http_metrics {
	const struct http_route *routes;
	size_t nroutes;
	size_t *slot_of;       /* route index -> slot (routes with one pattern share it) */
	const char **patterns; /* slot -> the label */
	size_t nslots;
	atomic_uint_least64_t *requests;   /* [slot][method][code] */
	struct metrics_histogram *latency; /* [slot] */
	atomic_uint_least64_t unanswered;
};

struct http_metrics *http_metrics_new(const struct http_route *routes, size_t nroutes)
{
	struct http_metrics *m = xcalloc(1, sizeof(*m));
	m->routes = routes;
	m->nroutes = nroutes;
	m->slot_of = xcalloc(nroutes ? nroutes : 1, sizeof(*m->slot_of));
	m->patterns = xcalloc(nroutes + EXTRA_SLOTS, sizeof(*m->patterns));
	for (size_t i = 0; i < nroutes; i++) {
		size_t s = 0;
		while (s < m->nslots && !streq(m->patterns[s], routes[i].pattern))
			s++;
		if (s == m->nslots)
			m->patterns[m->nslots++] = routes[i].pattern;
		m->slot_of[i] = s;
	}
	m->patterns[m->nslots + SLOT_STATIC] = "(static)";
	m->patterns[m->nslots + SLOT_UNMATCHED] = "(unmatched)";
	m->nslots += EXTRA_SLOTS;
	m->requests = xcalloc(m->nslots * NMETHODS * NCODES, sizeof(*m->requests));
	m->latency = xcalloc(m->nslots, sizeof(*m->latency));
	return m;
}

void http_metrics_free(struct http_metrics *m)
{
	if (!m)
		return;
	free(m->slot_of);
	free(m->patterns);
	free(m->requests);
	free(m->latency);
	free(m);
}

static size_t code_index(int status)
{
	for (size_t i = 0; i < ARRAY_SIZE(codes); i++)
		if (codes[i] == status)
			return i;
	int class = status / 100;
	return ARRAY_SIZE(codes) + (size_t)(class >= 1 && class <= 5 ? class - 1 : 4);
}

static size_t method_index(enum http_method method)
{
	for (size_t i = 0; i < NMETHODS - 1; i++)
		if (method == 1u << i)
			return i;
	return NMETHODS - 1;
}

void http_metrics_count(struct http_metrics *m, const struct http_conn *hc, long long usec)
{
	if (!hc->responded) {
		atomic_fetch_add_explicit(&m->unanswered, 1, memory_order_relaxed);
		return;
	}
	size_t routes_end = m->nslots - EXTRA_SLOTS;
	size_t slot = routes_end + SLOT_UNMATCHED;
	if (hc->req.route)
		slot = m->slot_of[hc->req.route - m->routes];
	else if (hc->static_file)
		slot = routes_end + SLOT_STATIC;
	size_t i = (slot * NMETHODS + method_index(hc->req.method)) * NCODES +
	           code_index(hc->res.status);
	atomic_fetch_add_explicit(&m->requests[i], 1, memory_order_relaxed);
	metrics_observe(&m->latency[slot], usec);
}

void http_metrics_write_to(struct http_metrics *m, struct buf *out)
{
	static const char *const methods[NMETHODS] = { "GET",   "HEAD",   "POST",    "PUT",
		                                       "PATCH", "DELETE", "OPTIONS", "other" };
	struct buf labels = BUF_INIT;
	metrics_write_family(out, "placard_http_requests_total", "counter",
	                     "HTTP requests answered, by route pattern, method and status.");
	for (size_t s = 0; s < m->nslots; s++)
		for (size_t me = 0; me < NMETHODS; me++)
			for (size_t c = 0; c < NCODES; c++) {
				uint_least64_t n = atomic_load_explicit(
				        &m->requests[(s * NMETHODS + me) * NCODES + c],
				        memory_order_relaxed);
				if (!n)
					continue;
				char code[24], class[24];
				if (c < ARRAY_SIZE(codes)) {
					snprintf(code, sizeof(code), "%d", codes[c]);
					snprintf(class, sizeof(class), "%dxx", codes[c] / 100);
				} else {
					snprintf(class, sizeof(class), "%zuxx",
					         c - ARRAY_SIZE(codes) + 1);
					snprintf(code, sizeof(code), "%s", class);
				}
				buf_truncate(&labels, 0);
				metrics_label(&labels, "route", m->patterns[s]);
				metrics_label(&labels, "method", methods[me]);
				metrics_label(&labels, "code", code);
				metrics_label(&labels, "class", class);
				metrics_write_sample(out, "placard_http_requests_total",
				                     labels.data, (double)n);
			}
	metrics_write_family(out, "placard_http_request_duration_seconds", "histogram",
	                     "Time from a request's headers having arrived to its answer having "
	                     "been sent, by route pattern.");
	for (size_t s = 0; s < m->nslots; s++) {
		uint_least64_t n = 0;
		for (size_t b = 0; b <= METRICS_BUCKETS; b++)
			n += atomic_load_explicit(&m->latency[s].bucket[b], memory_order_relaxed);
		if (!n)
			continue;
		buf_truncate(&labels, 0);
		metrics_label(&labels, "route", m->patterns[s]);
		metrics_write_histogram(out, "placard_http_request_duration_seconds", labels.data,
		                        &m->latency[s]);
	}
	metrics_write_family(out, "placard_http_requests_unanswered_total", "counter",
	                     "Requests whose connection ended before an answer was queued.");
	metrics_write_sample(out, "placard_http_requests_unanswered_total", NULL,
	                     (double)atomic_load(&m->unanswered));
	buf_release(&labels);
}
