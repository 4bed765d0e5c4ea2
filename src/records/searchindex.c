/*
 * searchindex.c - the server's in-memory index of establishment names. See searchindex.h.
 *
 * Locks: names.lock (a read-write lock) guards the index itself: searches read it, applying
 * changes and swapping in a reloaded index write it. names.sync serialises bringing it up
 * to date and guards the snapshot it is current to. Readiness is an atomic so that a search
 * can fall back to the database without taking either lock.
 */
#include "records/searchindex.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"

#define SYNC_INTERVAL_MS 1000
#define PRUNE_INTERVAL_S 600
#define STALE_AFTER_S    (12 * 3600) /* changes are kept a day; reload well before */
#define QUERY_WORDS_MAX  64

static struct {
	pthread_rwlock_t lock;
	pthread_mutex_t sync;
	struct name_index *ix;  /* under lock */
	char *snapshot;         /* under sync: what ix is current to */
	time_t synced_at;       /* under sync */
	atomic_llong loaded_at; /* when the last whole load finished (seconds), 0: never */
	atomic_bool ready;      /* ix is loaded and no reload is pending */
	atomic_bool reload;     /* a bulk change asks for every name again */
	atomic_bool stop;
	atomic_bool started;
	pthread_t thread;
	char *read_url, *write_url;
} names = {
	.lock = PTHREAD_RWLOCK_INITIALIZER,
	.sync = PTHREAD_MUTEX_INITIALIZER,
};

/* ---- loading every name */

struct load {
	struct name_index *ix;
	struct buf row;
};

/* One row of search_index_load: id, name, words. */
static int load_row(void *ctx, const char *data, size_t len)
{
	struct load *l = ctx;
	buf_truncate(&l->row, 0);
	buf_add(&l->row, data, len);
	char *fields[3], *p = l->row.data;
	while (l->row.len && (p[l->row.len - 1] == '\n'))
		p[--l->row.len] = '\0';
	for (int i = 0; i < 3; i++) {
		fields[i] = p;
		p = strchr(p, '\t');
		if (!p && i < 2)
			return -EIO;
		if (p)
			*p++ = '\0';
	}
	long long id = atoll(fields[0]);
	const char *name = store_copy_unescape(fields[1]);
	const char *words = store_copy_unescape(fields[2]);
	name_index_put(l->ix, id, name ? name : "", words ? words : "");
	return 0;
}

static int index_load(struct store *st)
{
	struct arena *a = arena_new();
	struct store_result *r;
	struct load l = { .ix = name_index_new(), .row = BUF_INIT };
	/* From here on, a bulk change asks for another reload; the snapshot is taken before
	 * the names are read, so changes in between are applied again (harmlessly). */
	atomic_store(&names.reload, false);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = store_exec(st, a, STMT_SEARCH_INDEX_SNAPSHOT, NULL, &r);
	if (rc == 0)
		rc = store_copy_out(st, STMT_SEARCH_INDEX_LOAD, load_row, &l);
	buf_release(&l.row);
	if (rc < 0) {
		name_index_free(l.ix);
		arena_destroy(a);
		return rc;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_info("search index: %zu names, %zu words loaded in %.0f ms", name_index_size(l.ix),
	         name_index_words(l.ix),
	         (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);

	pthread_mutex_lock(&names.sync);
	free(names.snapshot);
	names.snapshot = xstrdup(store_get(r, 0, "snapshot"));
	names.synced_at = time(NULL);
	atomic_store(&names.loaded_at, (long long)names.synced_at);
	pthread_rwlock_wrlock(&names.lock);
	struct name_index *old = names.ix;
	names.ix = l.ix;
	pthread_rwlock_unlock(&names.lock);
	if (!atomic_load(&names.reload))
		atomic_store(&names.ready, true);
	pthread_mutex_unlock(&names.sync);
	name_index_free(old);
	arena_destroy(a);
	return 0;
}

/* ---- applying changes */

/*
 * Read the changes the index has not seen and apply them. Called with names.sync held.
 * A bulk change marks the index not ready: the loader reloads it.
 */
static int apply_changes(struct store *st, struct arena *a)
{
	struct store_result *r;
	const char *p[] = { names.snapshot };
	int rc = store_exec(st, a, STMT_SEARCH_INDEX_CHANGES, p, &r);
	if (rc < 0)
		return rc;
	int rows = store_nrows(r);
	int c_id = store_column(r, "id"), c_est = store_column(r, "establishment_id");
	int c_name = store_column(r, "name"), c_words = store_column(r, "words");
	bool bulk = false;
	for (int i = 0; i < rows && !bulk; i++)
		bulk = store_value(r, i, c_id) && !store_value(r, i, c_est);
	if (bulk) {
		atomic_store(&names.ready, false);
		atomic_store(&names.reload, true);
	} else if (rows && store_value(r, 0, c_id)) {
		pthread_rwlock_wrlock(&names.lock);
		for (int i = 0; i < rows; i++) {
			const char *est = store_value(r, i, c_est);
			long long id = est ? strtoll(est, NULL, 10) : 0;
			const char *name = store_value(r, i, c_name),
			           *words = store_value(r, i, c_words);
			if (name)
				name_index_put(names.ix, id, name, words ? words : "");
			else
				name_index_remove(names.ix, id);
		}
		pthread_rwlock_unlock(&names.lock);
	}
	free(names.snapshot);
	names.snapshot = xstrdup(store_get(r, 0, "snapshot"));
	names.synced_at = time(NULL);
	return 0;
}

/*
 * Bring the index up to date after the database said a change happened. Another thread may
 * have applied some changes meanwhile, but perhaps from a snapshot older than the change
 * this search was told of, so the changes are read again under the lock: when there are
 * none left, that costs one small query.
 */
static int catch_up(struct store *st, struct arena *a)
{
	int rc = 0;
	pthread_mutex_lock(&names.sync);
	if (atomic_load(&names.ready) && names.snapshot)
		rc = apply_changes(st, a);
	pthread_mutex_unlock(&names.sync);
	return rc;
}

/* ---- the loader thread */

static void pause_ms(unsigned ms)
{
	for (unsigned waited = 0; waited < ms && !atomic_load(&names.stop); waited += 100) {
		struct timespec ts = { 0, 100 * 1000000L };
		nanosleep(&ts, NULL);
	}
}

static void *loader_main(void *arg)
{
	(void)arg;
	struct store *st = NULL, *wst = NULL;
	char err[256];
	bool reported = false;
	time_t pruned = 0;
	while (!atomic_load(&names.stop)) {
		if (!st && store_open(names.read_url, &st, err, sizeof(err)) < 0) {
			st = NULL;
			if (!reported)
				log_warn("search index: %s; retrying", err);
			reported = true;
			pause_ms(SYNC_INTERVAL_MS);
			continue;
		}
		int rc = 0;
		pthread_mutex_lock(&names.sync);
		bool stale = names.synced_at && time(NULL) - names.synced_at > STALE_AFTER_S;
		pthread_mutex_unlock(&names.sync);
		if (stale)
			atomic_store(&names.ready, false);
		if (!atomic_load(&names.ready)) {
			rc = index_load(st);
		} else {
			struct arena *a = arena_new();
			pthread_mutex_lock(&names.sync);
			rc = apply_changes(st, a);
			pthread_mutex_unlock(&names.sync);
			arena_destroy(a);
		}
		if (rc < 0 && !reported) {
			log_warn("search index: %s; retrying", store_error_message(st));
			reported = true;
		} else if (rc == 0) {
			reported = false;
		}
		if (rc == 0 && time(NULL) - pruned >= PRUNE_INTERVAL_S) {
			if (wst || store_open(names.write_url, &wst, err, sizeof(err)) == 0) {
				struct arena *a = arena_new();
				if (store_exec(wst, a, STMT_SEARCH_INDEX_PRUNE, NULL, NULL) == 0)
					pruned = time(NULL);
				arena_destroy(a);
			} else {
				wst = NULL;
			}
		}
		if (atomic_load(&names.ready) || rc < 0)
			pause_ms(SYNC_INTERVAL_MS);
	}
	store_close(st);
	store_close(wst);
	return NULL;
}

void search_index_start(const char *read_url, const char *write_url)
{
	names.read_url = xstrdup(read_url ? read_url : "");
	names.write_url = xstrdup(write_url ? write_url : names.read_url);
	atomic_store(&names.stop, false);
	if (pthread_create(&names.thread, NULL, loader_main, NULL) != 0) {
		log_warn("search index: no thread; searches use the database alone");
		return;
	}
	atomic_store(&names.started, true);
}

void search_index_stop(void)
{
	if (!atomic_load(&names.started))
		return;
	atomic_store(&names.stop, true);
	pthread_join(names.thread, NULL);
	atomic_store(&names.started, false);
	atomic_store(&names.ready, false);
	name_index_free(names.ix);
	names.ix = NULL;
	free(names.snapshot);
	free(names.read_url);
	free(names.write_url);
	names.snapshot = names.read_url = names.write_url = NULL;
}

const char *search_index_state(void)
{
	if (!atomic_load(&names.started))
		return "off";
	return atomic_load(&names.ready) ? "ready" : "loading";
}

void search_index_times(long long *ret_loaded_at, long long *ret_synced_at)
{
	*ret_loaded_at = atomic_load(&names.loaded_at);
	pthread_mutex_lock(&names.sync);
	*ret_synced_at = (long long)names.synced_at;
	pthread_mutex_unlock(&names.sync);
}

/* ---- searching */

/* Append @w quoted for tsquery's input: a quote doubled, a backslash escaped. */
static void add_lexeme(struct buf *b, const char *w)
{
	buf_addch(b, '\'');
	for (const char *c = w; *c; c++) {
		if (*c == '\'' || *c == '\\')
			buf_addch(b, *c);
		buf_addch(b, *c);
	}
	buf_addch(b, '\'');
}

int search_index_find(struct store *st, struct arena *a, const char *q, bool want_matches,
                      struct name_search *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (!atomic_load(&names.ready))
		return 0;
	pthread_mutex_lock(&names.sync);
	const char *seen = names.snapshot ? arena_strdup(a, names.snapshot) : NULL;
	pthread_mutex_unlock(&names.sync);
	if (!seen)
		return 0;

	struct store_result *r;
	const char *p[] = { q, seen };
	int rc = store_exec(st, a, STMT_SEARCH_INDEX_SYNC, p, &r);
	if (rc < 0)
		return rc;
	if (store_get_bool(r, 0, "changed") && (rc = catch_up(st, a)) < 0)
		return rc;
	if (!atomic_load(&names.ready))
		return 0;

	const char *typed = store_get(r, 0, "words");
	char *text = arena_strdup(a, typed ? typed : ""), *save;
	const char *words[QUERY_WORDS_MAX];
	size_t n = 0;
	for (char *w = strtok_r(text, " ", &save); w && n < QUERY_WORDS_MAX;
	     w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	ret->used = true;
	if (n == 0)
		return 0;

	struct name_query nq;
	struct buf b = BUF_INIT;
	pthread_rwlock_rdlock(&names.lock);
	if (!names.ix) {
		pthread_rwlock_unlock(&names.lock);
		ret->used = false;
		return 0;
	}
	name_index_correct(names.ix, words, n, &nq);
	for (size_t i = 0; i < nq.nwords; i++) {
		buf_addstr(&b, i ? " & (" : "(");
		add_lexeme(&b, nq.w[i].typed);
		for (size_t k = 0; k < nq.w[i].nalts; k++) {
			const char *alt = name_index_word(names.ix, nq.w[i].alts[k]);
			if (strcmp(alt, nq.w[i].typed) == 0)
				continue;
			buf_addstr(&b, " | ");
			add_lexeme(&b, alt);
		}
		buf_addch(&b, ')');
	}
	if (want_matches) {
		ret->nmatches = name_index_match(names.ix, &nq, q, &ret->matches);
		if (ret->matches)
			arena_defer(a, free, ret->matches);
	}
	pthread_rwlock_unlock(&names.lock);
	ret->tsquery = arena_strndup(a, b.data, b.len);
	buf_release(&b);
	return 0;
}
