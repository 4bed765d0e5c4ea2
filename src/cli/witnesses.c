/*
 * witnesses.c - placard serve asks its witnesses (PLACARD_WITNESSES) to cosign its checkpoints
 * (C2SP tlog-witness): a thread of its own, every second, signs the checkpoint of the tree as
 * it is (as GET /checkpoint does), and sends it to each witness that has not cosigned it yet
 * with the consistency proof from the size that witness cosigned last. A cosignature that
 * holds is kept and served with /checkpoint. Every request has a 5-second limit and a witness
 * that fails is asked again 10 seconds later: a witness that is down never holds Placard up.
 */
#include "cli/witnesses.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/log.h"
#include "store/store.h"

#define ROUND_MS    1000
#define TIMEOUT_S   5
#define RETRY_AFTER 10

static struct {
	pthread_t thread;
	atomic_bool stop;
	bool running;
	const char *db_url;
	const struct rec_tlog_signer *signer;
	const struct rec_tlog_witness *list;
	int n;
	/* Per witness: the size it cosigned last (-1: not known yet), when to ask again, and
	 * whether the last answer was a failure (logged once). */
	long long size[REC_TLOG_WITNESSES_MAX], cosigned[REC_TLOG_WITNESSES_MAX];
	time_t next[REC_TLOG_WITNESSES_MAX];
	bool failing[REC_TLOG_WITNESSES_MAX];
} c;

static size_t collect(char *data, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;
	if (b->len + size * n > 64 * 1024)
		return 0;
	buf_add(b, data, size * n);
	return size * n;
}

/* POST @body to @url; the status (0 when no answer) and the answer in @out. */
static long post(const char *url, const char *body, size_t len, struct buf *out)
{
	CURL *h = curl_easy_init();
	if (!h)
		return 0;
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: text/plain");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	long status = 0;
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	buf_addch(out, '\0');
	out->len--;
	return status;
}

static void failed(int i, const char *why)
{
	if (!c.failing[i])
		log_warn("witness %s: %s; asking again every %d s", c.list[i].name, why,
		         RETRY_AFTER);
	c.failing[i] = true;
	c.next[i] = time(NULL) + RETRY_AFTER;
}

/* Ask witness @i to cosign @note (@size entries, body of @blen bytes). */
static void ask(struct rec *r, int i, const char *note, size_t blen, long long size)
{
	long long old = c.size[i] < 0 ? 0 : c.size[i];
	if (old > size) {
		failed(i, "it cosigned a larger tree than this log has: a witness of another log?");
		return;
	}
	struct buf req = BUF_INIT;
	buf_addf(&req, "old %lld\n", old);
	if (old > 0 && old < size) {
		const char *json;
		if (rec_tlog_consistency(r, old, size, &json) < 0) {
			buf_release(&req);
			failed(i, "no consistency proof could be made");
			return;
		}
		json_t *v = json_loads(json, 0, NULL);
		json_t *p;
		size_t k;
		json_array_foreach(json_object_get(v, "proof"), k, p)
		        buf_addf(&req, "%s\n", json_string_value(p));
		json_decref(v);
	}
	buf_addch(&req, '\n');
	buf_addstr(&req, note);
	struct buf ans = BUF_INIT;
	/* The witness's URL is a prefix: its endpoint is <prefix>add-checkpoint. */
	const char *url = c.list[i].url;
	const char *at = arena_printf(r->a, "%s%sadd-checkpoint", url,
	                              url[strlen(url) - 1] == '/' ? "" : "/");
	long status = post(at, req.data, req.len, &ans);
	buf_release(&req);
	if (status == 409) {
		/* The witness cosigned another size: ask again from there at once. */
		long long had;
		if (sscanf(ans.data ? ans.data : "", "%lld", &had) == 1 && had >= 0 &&
		    had != c.size[i]) {
			c.size[i] = had;
			c.next[i] = 0;
		} else {
			failed(i, "it answered 409 without a size");
		}
	} else if (status == 200 && ans.len && ans.data[ans.len - 1] == '\n' &&
	           !memchr(ans.data, '\n', ans.len - 1) &&
	           tlog_cosig_verify(ans.data, ans.len, note, blen, c.list[i].vkey, NULL) == 0) {
		char *body = arena_strndup(r->a, note, blen);
		rec_tlog_cosignature_put(i, body, ans.data);
		c.size[i] = c.cosigned[i] = size;
		if (c.failing[i])
			log_info("witness %s cosigns again", c.list[i].name);
		c.failing[i] = false;
	} else {
		char why[160];
		snprintf(why, sizeof(why),
		         status == 200 ? "its answer is not a cosignature of its key"
		         : status      ? "it answered %ld"
		                       : "no answer",
		         status);
		failed(i, why);
	}
	buf_release(&ans);
}

static void *run(void *arg)
{
	(void)arg;
	struct store *st = NULL;
	while (!atomic_load(&c.stop)) {
		char err[256];
		if (!st && store_open(c.db_url, &st, err, sizeof(err)) < 0)
			st = NULL;
		if (st) {
			struct arena *a = arena_new();
			struct rec r = { .st = st, .a = a };
			const char *note;
			long long size;
			bool kept;
			int rc = rec_tlog_checkpoint(&r, c.signer, &note, &size, &kept);
			if (rc == 0 && !kept)
				rc = rec_tlog_checkpoint_keep(&r, c.signer, size, note);
			const char *blank = rc == 0 ? strstr(note, "\n\n") : NULL;
			time_t now = time(NULL);
			for (int i = 0; blank && size > 0 && i < c.n; i++)
				if (c.cosigned[i] != size && now >= c.next[i])
					ask(&r, i, note, (size_t)(blank - note) + 1, size);
			if (rc < 0) {
				store_close(st);
				st = NULL;
			}
			arena_destroy(a);
		}
		for (int t = 0; t < ROUND_MS / 100 && !atomic_load(&c.stop); t++) {
			struct timespec ts = { 0, 100 * 1000000 };
			nanosleep(&ts, NULL);
		}
	}
	if (st)
		store_close(st);
	return NULL;
}

int witnesses_start(const char *db_url, const struct rec_tlog_signer *signer,
                    const struct rec_tlog_witness *list, int n)
{
	if (n == 0)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return -ENOMEM;
	c.db_url = db_url;
	c.signer = signer;
	c.list = list;
	c.n = n;
	for (int i = 0; i < n; i++)
		c.size[i] = c.cosigned[i] = -1;
	atomic_store(&c.stop, false);
	if (pthread_create(&c.thread, NULL, run, NULL) != 0)
		return -EAGAIN;
	c.running = true;
	return 0;
}

void witnesses_stop(void)
{
	if (!c.running)
		return;
	atomic_store(&c.stop, true);
	pthread_join(c.thread, NULL);
	c.running = false;
	curl_global_cleanup();
}
