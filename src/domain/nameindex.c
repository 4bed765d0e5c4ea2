/*
 * nameindex.c - the establishments' names in memory, for typo-tolerant search. See
 * nameindex.h.
 *
 * Layout: entries[] (one per establishment ever put, found by id through an open-addressing
 * table) hold the name and its word numbers; words[] (the dictionary, found by text through
 * another table) hold each word's postings, the entry numbers using it in ascending order;
 * a third table maps each trigram to the words that have it. Entry and word numbers are
 * never reused, so postings stay sorted by appending.
 *
 * Trigrams are pg_trgm's: the text is split into runs of letters and digits, each run lower
 * cased and padded with two spaces before and one after, and every three consecutive
 * characters taken, duplicates removed. A trigram is kept as its three code points packed
 * into 63 bits.
 */
#include "domain/nameindex.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define WORDS_PER_NAME    64
#define LEVENSHTEIN_CHARS 64
#define TRIGRAM_THRESHOLD 0.3f /* pg_trgm.similarity_threshold's default */
#define ALTS_BY_TRIGRAM   5
#define ALTS_BY_EDIT      5

struct u32vec {
	uint32_t *v;
	uint32_t n, cap;
};

struct entry {
	long long id;
	char *name; /* NULL once removed */
	uint32_t *words;
	uint32_t nwords;
};

struct word {
	char *text;
	struct u32vec postings; /* entry numbers, ascending */
};

/* What correcting a word reads of every dictionary word it shares a trigram with, kept
 * apart from struct word so that those reads stay within a few hundred kilobytes. */
struct word_stat {
	uint32_t letters; /* char_mask() */
	uint16_t chars;   /* length in characters */
	uint16_t ntrigrams;
	uint8_t in_use; /* some name has it */
};

struct trigram_list {
	uint64_t trigram;
	struct u32vec words;
};

struct name_index {
	struct entry *entries;
	uint32_t nentries, entries_cap;
	uint32_t *entry_table; /* entry number + 1, by id; 0 is empty */
	uint32_t entry_mask;
	size_t live;

	struct word *words;
	struct word_stat *stats;
	uint32_t nwords, words_cap;
	uint32_t *word_table; /* word number + 1, by text */
	uint32_t word_mask;
	size_t words_in_use;

	struct trigram_list *trigrams;
	uint32_t ntrigrams, trigrams_cap;
	uint32_t *trigram_table; /* trigram list number + 1, by trigram */
	uint32_t trigram_mask;
};

/* ---- small helpers */

static void vec_push(struct u32vec *v, uint32_t x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 4;
		v->v = xrealloc(v->v, v->cap * sizeof(*v->v));
	}
	v->v[v->n++] = x;
}

/* The position of @x in sorted @v, or where it would go. */
static uint32_t vec_find(const struct u32vec *v, uint32_t x)
{
	uint32_t lo = 0, hi = v->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (v->v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void vec_insert_sorted(struct u32vec *v, uint32_t x)
{
	uint32_t at = vec_find(v, x);
	if (at < v->n && v->v[at] == x)
		return;
	vec_push(v, x);
	memmove(v->v + at + 1, v->v + at, (v->n - 1 - at) * sizeof(*v->v));
	v->v[at] = x;
}

static void vec_remove_sorted(struct u32vec *v, uint32_t x)
{
	uint32_t at = vec_find(v, x);
	if (at == v->n || v->v[at] != x)
		return;
	memmove(v->v + at, v->v + at + 1, (v->n - at - 1) * sizeof(*v->v));
	v->n--;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

static uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

/* Grow an open-addressing table of numbers + 1 to twice its size, rehashing with @hash. */
static void table_grow(uint32_t **table, uint32_t *mask, uint32_t used,
                       uint64_t (*hash)(const struct name_index *, uint32_t),
                       const struct name_index *ix)
{
	uint32_t size = *mask ? (*mask + 1) * 2 : 1024;
	if (*mask && (uint64_t)used * 2 < (uint64_t)(*mask + 1))
		return;
	uint32_t *t = xcalloc(size, sizeof(*t));
	for (uint32_t i = 0; i < used; i++) {
		uint64_t h = hash(ix, i);
		uint32_t at = (uint32_t)h & (size - 1);
		while (t[at])
			at = (at + 1) & (size - 1);
		t[at] = i + 1;
	}
	free(*table);
	*table = t;
	*mask = size - 1;
}

static uint64_t entry_hash(const struct name_index *ix, uint32_t n)
{
	return hash_u64((uint64_t)ix->entries[n].id);
}

static uint64_t word_hash(const struct name_index *ix, uint32_t n)
{
	return hash_bytes(ix->words[n].text, strlen(ix->words[n].text));
}

static uint64_t trigram_hash(const struct name_index *ix, uint32_t n)
{
	return hash_u64(ix->trigrams[n].trigram);
}

/* ---- text: UTF-8, trigrams, edit distance */

/* The code point at *@p (advancing it); invalid bytes stand for themselves. */
static uint32_t next_char(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint32_t c = s[0];
	size_t n = 1;
	if (c >= 0xc0 && c < 0xe0 && (s[1] & 0xc0) == 0x80) {
		c = ((c & 0x1f) << 6) | (s[1] & 0x3f);
		n = 2;
	} else if (c >= 0xe0 && c < 0xf0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		c = ((c & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
		n = 3;
	} else if (c >= 0xf0 && c < 0xf8 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
	           (s[3] & 0xc0) == 0x80) {
		c = ((c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
		    ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
		n = 4;
	}
	*p += n;
	return c;
}

static size_t char_count(const char *s)
{
	size_t n = 0;
	while (*s) {
		next_char(&s);
		n++;
	}
	return n;
}

/*
 * A letter or digit, as pg_trgm decides what belongs to a word: ASCII letters and digits;
 * beyond ASCII, every character except the Latin-1 and general punctuation blocks.
 */
static bool word_char(uint32_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	if (c <= 0xbf || c == 0xd7 || c == 0xf7)
		return false;
	return !(c >= 0x2000 && c <= 0x206f) && !(c >= 0x3000 && c <= 0x303f);
}

static uint32_t lower_char(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + ('a' - 'A');
	if ((c >= 0xc0 && c <= 0xde && c != 0xd7))
		return c + 0x20;
	return c;
}

/*
 * One bit per letter a-z, the other characters sharing 6 more bits. A character of one word
 * whose bit the other word lacks is not in it, so must be edited: two words within an edit
 * distance k differ in at most k of these bits either way. A cheap test before the real one.
 */
static uint32_t char_mask(const char *s)
{
	uint32_t m = 0;
	while (*s) {
		uint32_t c = next_char(&s);
		m |= c >= 'a' && c <= 'z' ? 1u << (c - 'a') : 1u << (26 + c % 6);
	}
	return m;
}

static bool masks_within(uint32_t a, uint32_t b, int dist)
{
	return __builtin_popcount(a & ~b) <= dist && __builtin_popcount(b & ~a) <= dist;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

struct trigram_set {
	uint64_t *v;
	size_t n, cap;
};

/* The trigrams of @s, sorted and distinct, into @set (reusing its memory). */
static void trigrams_of(const char *s, struct trigram_set *set)
{
	set->n = 0;
	const char *p = s;
	while (*p) {
		const char *before = p;
		uint32_t c = next_char(&p);
		if (!word_char(c))
			continue;
		/* A word: "  " + its characters + " ". */
		uint32_t a = ' ', b = ' ';
		p = before;
		for (;;) {
			const char *here = p;
			uint32_t x = *p ? next_char(&p) : 0;
			bool end = !x || !word_char(x);
			if (end) {
				p = here;
				x = ' ';
			} else {
				x = lower_char(x);
			}
			if (set->n == set->cap) {
				set->cap = set->cap ? set->cap * 2 : 32;
				set->v = xrealloc(set->v, set->cap * sizeof(*set->v));
			}
			set->v[set->n++] = ((uint64_t)a << 42) | ((uint64_t)b << 21) | x;
			a = b;
			b = x;
			if (end)
				break;
		}
	}
	if (set->n > 1) {
		if (set->n <= 48) {
			/* A name's few dozen trigrams: insertion sort beats qsort's calls. */
			for (size_t i = 1; i < set->n; i++) {
				uint64_t x = set->v[i];
				size_t j = i;
				for (; j > 0 && set->v[j - 1] > x; j--)
					set->v[j] = set->v[j - 1];
				set->v[j] = x;
			}
		} else {
			qsort(set->v, set->n, sizeof(*set->v), cmp_u64);
		}
		size_t k = 1;
		for (size_t i = 1; i < set->n; i++)
			if (set->v[i] != set->v[k - 1])
				set->v[k++] = set->v[i];
		set->n = k;
	}
}

static size_t trigrams_common(const struct trigram_set *a, const struct trigram_set *b)
{
	size_t i = 0, j = 0, n = 0;
	while (i < a->n && j < b->n) {
		if (a->v[i] < b->v[j]) {
			i++;
		} else if (a->v[i] > b->v[j]) {
			j++;
		} else {
			n++;
			i++;
			j++;
		}
	}
	return n;
}

/* pg_trgm's CALCSML: float4 arithmetic, 0 when either side has no trigrams. */
static float similarity_of(size_t common, size_t na, size_t nb)
{
	if (!na || !nb)
		return 0.0f;
	return (float)common / (float)(na + nb - common);
}

float name_similarity(const char *a, const char *b)
{
	struct trigram_set ta = { 0 }, tb = { 0 };
	trigrams_of(a, &ta);
	trigrams_of(b, &tb);
	float s = similarity_of(trigrams_common(&ta, &tb), ta.n, tb.n);
	free(ta.v);
	free(tb.v);
	return s;
}

static size_t decode(const char *s, uint32_t *out, size_t max)
{
	size_t n = 0;
	while (*s && n < max)
		out[n++] = next_char(&s);
	return n;
}

/*
 * The distance between @x[0..@n) and @y[0..@m), or @max + 1 beyond @max. Only the cells
 * within @max of the diagonal can hold a distance of @max or less, so only they are
 * computed; the rest count as over.
 */
static int bounded_distance(const uint32_t *x, size_t n, const uint32_t *y, size_t m, int max)
{
	if ((n > m ? n - m : m - n) > (size_t)max)
		return max + 1;
	const int over = max + 1;
	int prev[LEVENSHTEIN_CHARS + 1], row[LEVENSHTEIN_CHARS + 1];
	for (size_t j = 0; j <= m; j++)
		prev[j] = j <= (size_t)max ? (int)j : over;
	for (size_t i = 1; i <= n; i++) {
		size_t lo = i > (size_t)max ? i - (size_t)max : 1;
		size_t hi = i + (size_t)max < m ? i + (size_t)max : m;
		row[0] = i <= (size_t)max ? (int)i : over;
		if (lo > 1)
			row[lo - 1] = over;
		int best = row[0];
		for (size_t j = lo; j <= hi; j++) {
			int v = prev[j - 1] + (x[i - 1] != y[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			if (v > over)
				v = over;
			row[j] = v;
			if (v < best)
				best = v;
		}
		if (hi < m)
			row[hi + 1] = over;
		if (best > max)
			return over;
		memcpy(prev, row, (m + 1) * sizeof(*row));
	}
	return prev[m] > max ? over : prev[m];
}

int name_levenshtein(const char *a, const char *b, int max)
{
	uint32_t x[LEVENSHTEIN_CHARS], y[LEVENSHTEIN_CHARS];
	size_t n = decode(a, x, LEVENSHTEIN_CHARS), m = decode(b, y, LEVENSHTEIN_CHARS);
	return bounded_distance(x, n, y, m, max);
}

/* ---- the dictionary */

static int64_t word_lookup(const struct name_index *ix, const char *text, size_t len)
{
	if (!ix->word_mask)
		return -1;
	uint32_t at = (uint32_t)hash_bytes(text, len) & ix->word_mask;
	for (; ix->word_table[at]; at = (at + 1) & ix->word_mask) {
		const char *w = ix->words[ix->word_table[at] - 1].text;
		if (strncmp(w, text, len) == 0 && w[len] == '\0')
			return ix->word_table[at] - 1;
	}
	return -1;
}

static struct trigram_list *trigram_lookup(const struct name_index *ix, uint64_t t)
{
	if (!ix->trigram_mask)
		return NULL;
	uint32_t at = (uint32_t)hash_u64(t) & ix->trigram_mask;
	for (; ix->trigram_table[at]; at = (at + 1) & ix->trigram_mask)
		if (ix->trigrams[ix->trigram_table[at] - 1].trigram == t)
			return &ix->trigrams[ix->trigram_table[at] - 1];
	return NULL;
}

static struct trigram_list *trigram_add(struct name_index *ix, uint64_t t)
{
	struct trigram_list *l = trigram_lookup(ix, t);
	if (l)
		return l;
	if (ix->ntrigrams == ix->trigrams_cap) {
		ix->trigrams_cap = ix->trigrams_cap ? ix->trigrams_cap * 2 : 1024;
		ix->trigrams = xrealloc(ix->trigrams, ix->trigrams_cap * sizeof(*ix->trigrams));
	}
	uint32_t n = ix->ntrigrams++;
	ix->trigrams[n] = (struct trigram_list){ .trigram = t };
	table_grow(&ix->trigram_table, &ix->trigram_mask, ix->ntrigrams, trigram_hash, ix);
	uint32_t at = (uint32_t)hash_u64(t) & ix->trigram_mask;
	while (ix->trigram_table[at] && ix->trigram_table[at] != n + 1)
		at = (at + 1) & ix->trigram_mask;
	ix->trigram_table[at] = n + 1;
	return &ix->trigrams[n];
}

static uint32_t word_add(struct name_index *ix, const char *text, size_t len)
{
	int64_t found = word_lookup(ix, text, len);
	if (found >= 0)
		return (uint32_t)found;
	if (ix->nwords == ix->words_cap) {
		ix->words_cap = ix->words_cap ? ix->words_cap * 2 : 1024;
		ix->words = xrealloc(ix->words, ix->words_cap * sizeof(*ix->words));
		ix->stats = xrealloc(ix->stats, ix->words_cap * sizeof(*ix->stats));
	}
	uint32_t n = ix->nwords++;
	struct word *w = &ix->words[n];
	struct word_stat *ws = &ix->stats[n];
	*w = (struct word){ 0 };
	*ws = (struct word_stat){ 0 };
	w->text = xmalloc(len + 1);
	memcpy(w->text, text, len);
	w->text[len] = '\0';
	size_t chars = char_count(w->text);
	ws->chars = (uint16_t)(chars > UINT16_MAX ? UINT16_MAX : chars);
	ws->letters = char_mask(w->text);
	table_grow(&ix->word_table, &ix->word_mask, ix->nwords, word_hash, ix);
	uint32_t at = (uint32_t)hash_bytes(text, len) & ix->word_mask;
	while (ix->word_table[at] && ix->word_table[at] != n + 1)
		at = (at + 1) & ix->word_mask;
	ix->word_table[at] = n + 1;

	struct trigram_set set = { 0 };
	trigrams_of(w->text, &set);
	ws->ntrigrams = (uint16_t)(set.n > UINT16_MAX ? UINT16_MAX : set.n);
	for (size_t i = 0; i < set.n; i++)
		vec_push(&trigram_add(ix, set.v[i])->words, n);
	free(set.v);
	return n;
}

/* ---- establishments */

static int64_t entry_lookup(const struct name_index *ix, long long id)
{
	if (!ix->entry_mask)
		return -1;
	uint32_t at = (uint32_t)hash_u64((uint64_t)id) & ix->entry_mask;
	for (; ix->entry_table[at]; at = (at + 1) & ix->entry_mask)
		if (ix->entries[ix->entry_table[at] - 1].id == id)
			return ix->entry_table[at] - 1;
	return -1;
}

static void entry_clear(struct name_index *ix, uint32_t n)
{
	struct entry *e = &ix->entries[n];
	if (!e->name)
		return;
	for (uint32_t i = 0; i < e->nwords; i++) {
		struct word *w = &ix->words[e->words[i]];
		vec_remove_sorted(&w->postings, n);
		if (w->postings.n == 0) {
			ix->words_in_use--;
			ix->stats[e->words[i]].in_use = 0;
		}
	}
	free(e->words);
	free(e->name);
	e->words = NULL;
	e->name = NULL;
	e->nwords = 0;
	ix->live--;
}

struct name_index *name_index_new(void)
{
	return xcalloc(1, sizeof(struct name_index));
}

void name_index_free(struct name_index *ix)
{
	if (!ix)
		return;
	for (uint32_t i = 0; i < ix->nentries; i++) {
		free(ix->entries[i].name);
		free(ix->entries[i].words);
	}
	for (uint32_t i = 0; i < ix->nwords; i++) {
		free(ix->words[i].text);
		free(ix->words[i].postings.v);
	}
	for (uint32_t i = 0; i < ix->ntrigrams; i++)
		free(ix->trigrams[i].words.v);
	free(ix->entries);
	free(ix->entry_table);
	free(ix->words);
	free(ix->stats);
	free(ix->word_table);
	free(ix->trigrams);
	free(ix->trigram_table);
	free(ix);
}

void name_index_put(struct name_index *ix, long long id, const char *name, const char *words)
{
	int64_t found = entry_lookup(ix, id);
	uint32_t n;
	if (found >= 0) {
		n = (uint32_t)found;
		entry_clear(ix, n);
	} else {
		if (ix->nentries == ix->entries_cap) {
			ix->entries_cap = ix->entries_cap ? ix->entries_cap * 2 : 1024;
			ix->entries = xrealloc(ix->entries, ix->entries_cap * sizeof(*ix->entries));
		}
		n = ix->nentries++;
		ix->entries[n] = (struct entry){ .id = id };
		table_grow(&ix->entry_table, &ix->entry_mask, ix->nentries, entry_hash, ix);
		uint32_t at = (uint32_t)hash_u64((uint64_t)id) & ix->entry_mask;
		while (ix->entry_table[at] && ix->entry_table[at] != n + 1)
			at = (at + 1) & ix->entry_mask;
		ix->entry_table[at] = n + 1;
	}
	struct entry *e = &ix->entries[n];
	uint32_t list[WORDS_PER_NAME];
	uint32_t count = 0;
	for (const char *p = words; *p && count < WORDS_PER_NAME;) {
		size_t len = strcspn(p, " ");
		if (len) {
			uint32_t w = word_add(ix, p, len);
			bool seen = false;
			for (uint32_t i = 0; i < count && !seen; i++)
				seen = list[i] == w;
			if (!seen)
				list[count++] = w;
		}
		p += len;
		p += strspn(p, " ");
	}
	e = &ix->entries[n];
	e->name = xstrdup(name);
	e->nwords = count;
	e->words = count ? xmalloc(count * sizeof(*e->words)) : NULL;
	if (count)
		memcpy(e->words, list, count * sizeof(*list));
	for (uint32_t i = 0; i < count; i++) {
		struct word *w = &ix->words[list[i]];
		if (w->postings.n == 0) {
			ix->words_in_use++;
			ix->stats[list[i]].in_use = 1;
		}
		if (w->postings.n && w->postings.v[w->postings.n - 1] >= n)
			vec_insert_sorted(&w->postings, n);
		else
			vec_push(&w->postings, n);
	}
	ix->live++;
}

void name_index_remove(struct name_index *ix, long long id)
{
	int64_t found = entry_lookup(ix, id);
	if (found >= 0)
		entry_clear(ix, (uint32_t)found);
}

size_t name_index_size(const struct name_index *ix)
{
	return ix->live;
}

size_t name_index_words(const struct name_index *ix)
{
	return ix->words_in_use;
}

const char *name_index_word(const struct name_index *ix, uint32_t n)
{
	return n < ix->nwords ? ix->words[n].text : "";
}

/* ---- correction */

struct ranked {
	uint32_t word;
	float key; /* lower is better */
};

/* Keep @r among the @max best of @best[0..*@n) by key, then by word text. */
static void keep_best(const struct name_index *ix, struct ranked *best, size_t *n, size_t max,
                      struct ranked r)
{
	size_t at = *n;
	while (at > 0) {
		const struct ranked *o = &best[at - 1];
		if (o->key < r.key || (o->key == r.key &&
		                       strcmp(ix->words[o->word].text, ix->words[r.word].text) < 0))
			break;
		at--;
	}
	if (at >= max)
		return;
	size_t last = *n < max ? *n : max - 1;
	memmove(best + at + 1, best + at, (last - at) * sizeof(*best));
	best[at] = r;
	if (*n < max)
		(*n)++;
}

static void correct_word(const struct name_index *ix, const char *typed, uint16_t *acc,
                         uint32_t *touched, size_t *alts_n, uint32_t *alts)
{
	size_t len = char_count(typed);
	int dist = len <= 2 ? 0 : len <= 5 ? 1 : 2;
	uint32_t chars[LEVENSHTEIN_CHARS];
	size_t nchars = decode(typed, chars, LEVENSHTEIN_CHARS);
	uint32_t letters = char_mask(typed);
	int64_t self = word_lookup(ix, typed, strlen(typed));
	*alts_n = 0;
	if (self >= 0)
		alts[(*alts_n)++] = (uint32_t)self;

	struct trigram_set set = { 0 };
	trigrams_of(typed, &set);
	size_t ntouched = 0;
	for (size_t i = 0; i < set.n; i++) {
		const struct trigram_list *l = trigram_lookup(ix, set.v[i]);
		if (!l)
			continue;
		for (uint32_t k = 0; k < l->words.n; k++) {
			uint32_t w = l->words.v[k];
			if (acc[w]++ == 0)
				touched[ntouched++] = w;
		}
	}

	struct ranked by_trigram[ALTS_BY_TRIGRAM], by_edit[ALTS_BY_EDIT];
	size_t ntrigram = 0, nedit = 0;
	for (size_t i = 0; i < ntouched; i++) {
		uint32_t w = touched[i];
		const struct word_stat *d = &ix->stats[w];
		size_t common = acc[w];
		acc[w] = 0;
		if (!d->in_use)
			continue;
		if (len >= 3) {
			float sim = similarity_of(common, set.n, d->ntrigrams);
			if (sim >= TRIGRAM_THRESHOLD)
				keep_best(ix, by_trigram, &ntrigram, ALTS_BY_TRIGRAM,
				          (struct ranked){ w, 1.0f - sim });
		}
		/* Each edit changes at most 3 trigrams of either word: two words within the
		 * distance share all but 3 * dist of the trigrams of each. */
		size_t most = set.n > d->ntrigrams ? set.n : d->ntrigrams;
		if (dist > 0 && common + 3 * (size_t)dist >= most &&
		    (size_t)d->chars + (size_t)dist >= len && d->chars <= len + (size_t)dist &&
		    masks_within(d->letters, letters, dist)) {
			uint32_t other[LEVENSHTEIN_CHARS];
			size_t nother = decode(ix->words[w].text, other, LEVENSHTEIN_CHARS);
			int lev = bounded_distance(other, nother, chars, nchars, dist);
			if (lev <= dist)
				keep_best(ix, by_edit, &nedit, ALTS_BY_EDIT,
				          (struct ranked){ w, (float)lev });
		}
	}
	free(set.v);
	for (size_t i = 0; i < ntrigram + nedit; i++) {
		uint32_t w = i < ntrigram ? by_trigram[i].word : by_edit[i - ntrigram].word;
		bool seen = false;
		for (size_t k = 0; k < *alts_n && !seen; k++)
			seen = alts[k] == w;
		if (!seen)
			alts[(*alts_n)++] = w;
	}
}

void name_index_correct(const struct name_index *ix, const char *const *typed, size_t n,
                        struct name_query *ret)
{
	memset(ret, 0, sizeof(*ret));
	uint16_t *acc = xcalloc(ix->nwords ? ix->nwords : 1, sizeof(*acc));
	uint32_t *touched = xmalloc((ix->nwords ? ix->nwords : 1) * sizeof(*touched));
	for (size_t i = 0; i < n && ret->nwords < NAME_QUERY_WORDS; i++) {
		size_t k = ret->nwords++;
		ret->w[k].typed = typed[i];
		correct_word(ix, typed[i], acc, touched, &ret->w[k].nalts, ret->w[k].alts);
	}
	free(acc);
	free(touched);
}

/* ---- matching */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_match(const void *a, const void *b)
{
	const struct name_match *x = a, *y = b;
	if (x->similarity != y->similarity)
		return x->similarity > y->similarity ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Mark in @hit each element of sorted @a that is also in sorted @b. Galloping through @b:
 * as fast as a merge when both are alike in size, a binary search per element of @a when
 * @b is much longer.
 */
static void mark_common(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, bool *hit)
{
	size_t j = 0;
	for (size_t i = 0; i < na && j < nb; i++) {
		if (b[j] < a[i]) {
			size_t lo = j, step = 1;
			while (lo + step < nb && b[lo + step] < a[i]) {
				lo += step;
				step *= 2;
			}
			size_t hi = lo + step < nb ? lo + step : nb;
			lo++;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (b[mid] < a[i])
					lo = mid + 1;
				else
					hi = mid;
			}
			j = lo;
		}
		if (j < nb && b[j] == a[i])
			hit[i] = true;
	}
}

size_t name_index_match(const struct name_index *ix, const struct name_query *q, const char *text,
                        struct name_match **ret)
{
	*ret = NULL;
	if (q->nwords == 0)
		return 0;
	/* Start from the word whose alternatives are used by the fewest names. */
	size_t driver = 0;
	uint64_t fewest = UINT64_MAX;
	for (size_t i = 0; i < q->nwords; i++) {
		uint64_t n = 0;
		for (size_t k = 0; k < q->w[i].nalts; k++)
			n += ix->words[q->w[i].alts[k]].postings.n;
		if (n == 0)
			return 0;
		if (n < fewest) {
			fewest = n;
			driver = i;
		}
	}
	uint32_t *cand = xmalloc(fewest * sizeof(*cand));
	size_t ncand = 0;
	for (size_t k = 0; k < q->w[driver].nalts; k++) {
		const struct u32vec *p = &ix->words[q->w[driver].alts[k]].postings;
		memcpy(cand + ncand, p->v, p->n * sizeof(*cand));
		ncand += p->n;
	}
	if (q->w[driver].nalts > 1 && ncand > 4096) {
		/* Many: a bitmap over the entries sorts and deduplicates them in two passes. */
		size_t nbits = ix->nentries, nwords64 = (nbits + 63) / 64;
		uint64_t *bits = xcalloc(nwords64, sizeof(*bits));
		for (size_t i = 0; i < ncand; i++)
			bits[cand[i] / 64] |= 1ULL << (cand[i] % 64);
		ncand = 0;
		for (size_t i = 0; i < nwords64; i++)
			for (uint64_t b = bits[i]; b; b &= b - 1)
				cand[ncand++] = (uint32_t)(i * 64 + (size_t)__builtin_ctzll(b));
		free(bits);
	} else if (q->w[driver].nalts > 1) {
		qsort(cand, ncand, sizeof(*cand), cmp_u32);
		size_t u = ncand ? 1 : 0;
		for (size_t i = 1; i < ncand; i++)
			if (cand[i] != cand[u - 1])
				cand[u++] = cand[i];
		ncand = u;
	}

	/* Keep the candidates that also have an alternative of every other word. */
	bool *hit = xmalloc((ncand ? ncand : 1) * sizeof(*hit));
	for (size_t w = 0; w < q->nwords && ncand; w++) {
		if (w == driver)
			continue;
		memset(hit, 0, ncand * sizeof(*hit));
		for (size_t k = 0; k < q->w[w].nalts; k++) {
			const struct u32vec *p = &ix->words[q->w[w].alts[k]].postings;
			mark_common(cand, ncand, p->v, p->n, hit);
		}
		size_t kept = 0;
		for (size_t i = 0; i < ncand; i++)
			if (hit[i])
				cand[kept++] = cand[i];
		ncand = kept;
	}
	free(hit);

	struct name_match *out = xmalloc((ncand ? ncand : 1) * sizeof(*out));
	size_t nout = 0;
	struct trigram_set typed = { 0 }, name = { 0 };
	trigrams_of(text, &typed);
	for (size_t i = 0; i < ncand; i++) {
		const struct entry *e = &ix->entries[cand[i]];
		trigrams_of(e->name, &name);
		out[nout].id = e->id;
		out[nout].similarity =
		        similarity_of(trigrams_common(&typed, &name), typed.n, name.n);
		nout++;
	}
	free(typed.v);
	free(name.v);
	free(cand);
	qsort(out, nout, sizeof(*out), cmp_match);
	if (!nout) {
		free(out);
		out = NULL;
	}
	*ret = out;
	return nout;
}
