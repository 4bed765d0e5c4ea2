/*
 * searchindex.h - the server's in-memory index of establishment names (domain/nameindex.h),
 * loaded from the database when the server starts and kept current with it.
 *
 * A background thread loads every name, then every second applies the changes recorded in
 * search_change (sql/0014_search_index.sql). A search first asks the database whether
 * anything changed since the snapshot the index is current to, in the same round trip that
 * splits what was typed into words, and applies the changes before answering: a search
 * always sees every name committed before it began. Until the index is loaded (and while
 * it reloads after a bulk change), searches are answered by the database alone.
 *
 * It lives in the records layer, not the store: it is a second copy of some records (the
 * names, corrected by domain/nameindex.c), kept by the server process, and the records
 * search (records/search.c) is its one reader. Nothing here knows HTTP.
 */
#ifndef PLACARD_RECORDS_SEARCHINDEX_H
#define PLACARD_RECORDS_SEARCHINDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "domain/nameindex.h"
#include "store/store.h"

struct name_search {
	bool used;                  /* false: the index is not ready; ask the database */
	const char *tsquery;        /* the corrected words as a tsquery; NULL when no words */
	struct name_match *matches; /* every match, best first (when asked for) */
	size_t nmatches;
};

/* Start the loader (reading names on @read_url, pruning old changes on @write_url). */
void search_index_start(const char *read_url, const char *write_url);
void search_index_stop(void);

/* "ready", "loading" (or reloading after a bulk change), or "off" when not started. */
const char *search_index_state(void);

/*
 * When (seconds since the epoch) the index last finished loading every name, and when it was
 * last brought up to date with the database (a load or the changes since); 0 for never.
 */
void search_index_times(long long *ret_loaded_at, long long *ret_synced_at);

/*
 * What @q (as typed) finds, on the calling thread's connection @st. With @want_matches,
 * also every matching establishment (the array lives as long as @a). 0, or a negative
 * errno from the store (see store.h).
 */
int search_index_find(struct store *st, struct arena *a, const char *q, bool want_matches,
                      struct name_search *ret);

#endif
