/*
 * nameindex.h - the establishments' names in memory, for typo-tolerant search.
 *
 * The database finds a name with a typo in tens of milliseconds at a million names (each
 * word typed is corrected against the dictionary of name words, then the corrected words
 * are matched through a full-text index and the matches ranked by trigram similarity:
 * sql/0006_search.sql). The same work over a compact in-memory index takes well under a
 * millisecond, so the server keeps one (src/records/searchindex.c keeps it current) and asks the
 * database only for the page of results it shows.
 *
 * The index holds, per establishment, its name and the words of its name as PostgreSQL's
 * to_tsvector('simple', name) gives them (the caller supplies them, so both agree on what a
 * word is); per word, the sorted list of establishments using it and its trigrams; per
 * trigram, the words that have it. Corrections and ranking follow the database's:
 *   - a typed word's alternatives are itself, the 5 dictionary words most similar to it by
 *     trigrams (similarity 0.3 or more, as pg_trgm's % operator) and the 5 closest within
 *     an edit distance of 1 (3 to 5 letters) or 2 (6 or more), as name_query() does;
 *   - a name matches when, for every typed word, it has one of that word's alternatives;
 *   - matches are ranked by pg_trgm's similarity() between the name and the text typed,
 *     then by id. name_similarity() is pg_trgm's measure, exactly for ASCII text.
 *
 * Domain layer: no I/O and no locking; the caller serialises writers against readers.
 */
#ifndef PLACARD_DOMAIN_NAMEINDEX_H
#define PLACARD_DOMAIN_NAMEINDEX_H

#include <stddef.h>
#include <stdint.h>

/* Most words of a query that count (as name_query(): the first 8 in sorted order). */
#define NAME_QUERY_WORDS 8
/* Most alternatives of one word: itself, 5 by trigrams, 5 by edit distance. */
#define NAME_WORD_ALTERNATIVES 11

struct name_index;

/* What a query's words became: per typed word, the dictionary words that stand for it. */
struct name_query {
	size_t nwords;
	struct {
		const char *typed;
		size_t nalts;
		uint32_t alts[NAME_WORD_ALTERNATIVES]; /* dictionary word numbers */
	} w[NAME_QUERY_WORDS];
};

struct name_match {
	long long id;
	float similarity;
};

struct name_index *name_index_new(void);
void name_index_free(struct name_index *ix);

/*
 * Set establishment @id's name, with @words its words separated by single spaces (what
 * array_to_string(tsvector_to_array(to_tsvector('simple', name)), ' ') gives). Replaces what
 * the index held for @id. Words beyond the first 64 are ignored.
 */
void name_index_put(struct name_index *ix, long long id, const char *name, const char *words);

/* Forget establishment @id (nothing happens when it is not there). */
void name_index_remove(struct name_index *ix, long long id);

/* Establishments held; dictionary words in use. */
size_t name_index_size(const struct name_index *ix);
size_t name_index_words(const struct name_index *ix);

/* The text of dictionary word @n (from struct name_query). */
const char *name_index_word(const struct name_index *ix, uint32_t n);

/*
 * Correct the typed words @typed[0..@n) (sorted and distinct, as tsvector_to_array gives them;
 * only the first NAME_QUERY_WORDS count) into @ret. The strings of @typed must outlive @ret.
 */
void name_index_correct(const struct name_index *ix, const char *const *typed, size_t n,
                        struct name_query *ret);

/*
 * Every establishment matching @q, ranked by similarity of its name to @text (what was
 * typed), best first, then by id. Returns the number of matches; *@ret is a malloc'd array
 * (NULL when there are none) the caller frees.
 */
size_t name_index_match(const struct name_index *ix, const struct name_query *q, const char *text,
                        struct name_match **ret);

/* pg_trgm's similarity(@a, @b): shared trigrams over all trigrams of both, as a float4. */
float name_similarity(const char *a, const char *b);

/* Levenshtein distance between @a and @b in characters, or @max + 1 when it exceeds @max. */
int name_levenshtein(const char *a, const char *b, int max);

#endif
