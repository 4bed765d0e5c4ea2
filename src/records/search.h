/*
 * search.h - the public portal's records: search over establishments, grade cards, and the
 * grade card an establishment's QR code points to.
 *
 * Search filters by name (typo-tolerant: each word is corrected against the dictionary of
 * name words, then matched exactly through a full-text index; sql/0006_search.sql), licence
 * number, address, postcode, cuisine, grade and distance, sorts by relevance, name or
 * distance, and pages with opaque cursors that carry the last row's sort key, so pages never
 * skip or repeat a row however deep they go.
 */
#ifndef PLACARD_RECORDS_SEARCH_H
#define PLACARD_RECORDS_SEARCH_H

#include <stdbool.h>

#include "records/records.h"

enum rec_search_sort { REC_SORT_NAME, REC_SORT_RELEVANCE, REC_SORT_DISTANCE };

/* "name", "relevance", "distance", by enum rec_search_sort. */
extern const char *const rec_search_sort_names[3];

/* What a cursor carries: the sort it was made for and the last row's key and id. */
struct rec_search_cursor {
	enum rec_search_sort sort;
	long long id;
	const char *key;
};

/* Decode cursor @text into @ret for @sort. 0 or -EINVAL (malformed, or made for another
 * sort). */
int rec_search_cursor_decode(struct arena *a, const char *text, enum rec_search_sort sort,
                             struct rec_search_cursor *ret);

/* A search, its parameters checked (NULL: no such filter). */
struct rec_search {
	const char *q;        /* name words as typed */
	const char *licence;  /* licence number */
	const char *address;  /* part of the address */
	const char *postcode; /* without spaces, in upper case */
	const char *cuisine;
	const char *grade;           /* grade codes separated by commas */
	const char *inspected_since; /* YYYY-MM-DD: only places inspected on that day or since */
	bool near;                   /* within @radius metres of @lat, @lon */
	double lat, lon, radius;
	enum rec_search_sort sort;
	long long limit;
	const char *cursor;             /* the cursor as given, NULL for the first page */
	struct rec_search_cursor after; /* @cursor decoded */
};

/*
 * One page of search @s as JSON text: {"items", "total", "total_is_lower_bound", "limit",
 * "sort", "next_cursor"}. 0 or a refusal (400 naming "q" when it has nothing to search for).
 */
int rec_establishments_search(struct rec *r, const struct rec_search *s, const char **ret_json);

/* The grade card with public code @code. 0 or a refusal (404). */
int rec_card_get(struct rec *r, const char *code, const char **ret_json);

/* The public code of establishment @id's posted grade card, NULL when none is posted. 0 or a
 * refusal (404 for no such establishment). */
int rec_establishment_card_code(struct rec *r, const char *id, const char **ret_code);

#endif
