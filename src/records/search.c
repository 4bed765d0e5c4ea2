/*
 * search.c - the public portal's records: search, grade cards, the card behind a QR code.
 * See search.h; the name index in memory is records/searchindex.c.
 */
#include "records/search.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/util.h"
#include "records/schemes.h"
#include "records/searchindex.h"

#define SEARCH_TOTAL_MAX  1000 /* matches counted; beyond, "at least" this many */
#define CARD_CODE_MAX     32
#define METRES_PER_DEGREE 111195.08 /* on a sphere of the mean Earth radius */
#define SEARCH_KIND_MAX   64        /* bytes of a word that may name a cuisine or kind */

const char *const rec_search_sort_names[3] = { "name", "relevance", "distance" };

static const char *cursor_encode(struct arena *a, enum rec_search_sort sort, const char *key,
                                 const char *id)
{
	const char *raw =
	        arena_printf(a, "%c|%s|%s", rec_search_sort_names[sort][0], id, key ? key : "");
	size_t rawlen = strlen(raw);
	size_t size = sodium_base64_ENCODED_LEN(rawlen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, size);
	sodium_bin2base64(out, size, (const unsigned char *)raw, rawlen,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

int rec_search_cursor_decode(struct arena *a, const char *text, enum rec_search_sort sort,
                             struct rec_search_cursor *ret)
{
	size_t len = strlen(text), rawlen;
	char *raw = arena_alloc(a, len + 1);
	if (sodium_base642bin((unsigned char *)raw, len, text, len, NULL, &rawlen, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return -EINVAL;
	raw[rawlen] = '\0';
	if (rawlen < 4 || strlen(raw) != rawlen || raw[0] != rec_search_sort_names[sort][0] ||
	    raw[1] != '|')
		return -EINVAL;
	char *bar = strchr(raw + 2, '|');
	if (!bar)
		return -EINVAL;
	*bar = '\0';
	if (parse_int64(raw + 2, 1, INT64_MAX, &ret->id) < 0)
		return -EINVAL;
	ret->key = bar + 1;
	ret->sort = sort;
	if (sort != REC_SORT_NAME) {
		char *end;
		double d = strtod(ret->key, &end);
		if (!*ret->key || *end || !isfinite(d))
			return -EINVAL;
	}
	return 0;
}

/* Escape %, _ and \ so that @s matches itself inside an ILIKE pattern. */
static const char *like_escape(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	char *out = arena_alloc(a, 2 * n + 1), *o = out;
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

/* The search's filters as statement parameters: $1..$12 of STMT_SEARCH_COUNT, the page's
 * $13..$18 of STMT_SEARCH_PAGE, the licence number, p[18], and the cuisine or kind of place
 * the words name, p[19] (set by the caller), and the day inspected since, p[20]. */
static void search_params(struct arena *a, const struct rec_search *s, const char *p[21])
{
	memset(p, 0, 21 * sizeof(*p));
	p[20] = s->inspected_since;
	p[18] = s->licence;
	p[1] = s->address ? like_escape(a, s->address) : NULL;
	p[2] = s->postcode;
	p[3] = s->cuisine;
	p[4] = s->grade;
	if (s->near) {
		/* A box a little larger than the circle; the exact distance decides. */
		double dlat = s->radius / METRES_PER_DEGREE * 1.01;
		double minlon = -180, maxlon = 180;
		double far = fabs(s->lat) + dlat;
		if (far < 89.0) {
			double dlon = dlat / cos(far * M_PI / 180.0);
			if (s->lon - dlon >= -180 && s->lon + dlon <= 180) {
				minlon = s->lon - dlon;
				maxlon = s->lon + dlon;
			}
		}
		p[5] = arena_printf(a, "%.7f", s->lat);
		p[6] = arena_printf(a, "%.7f", s->lon);
		p[7] = arena_printf(a, "%.1f", s->radius);
		p[8] = arena_printf(a, "%.7f", minlon);
		p[9] = arena_printf(a, "%.7f", s->lat - dlat);
		p[10] = arena_printf(a, "%.7f", maxlon);
		p[11] = arena_printf(a, "%.7f", s->lat + dlat);
	}
	p[12] = rec_search_sort_names[s->sort];
	p[13] = s->q ? s->q : "";
	if (s->cursor) {
		if (s->sort == REC_SORT_NAME)
			p[14] = s->after.key;
		else
			p[15] = s->after.key;
		p[16] = arena_printf(a, "%lld", s->after.id);
	}
	/* One row more than the page, to know whether another page follows. */
	p[17] = arena_printf(a, "%lld", s->limit + 1);
}

/* The end of a search's JSON: the total, the page and the cursor to the next one. */
static void search_tail(struct buf *b, const struct rec_search *s, long long total,
                        bool lower_bound, const char *next_cursor)
{
	buf_addf(b,
	         "],\"total\":%lld,\"total_is_lower_bound\":%s,\"limit\":%lld,\"sort\":\"%s\","
	         "\"next_cursor\":",
	         total, lower_bound ? "true" : "false", s->limit, rec_search_sort_names[s->sort]);
	if (next_cursor) {
		buf_addch(b, '"');
		buf_addstr(b, next_cursor);
		buf_addch(b, '"');
	} else {
		buf_addstr(b, "null");
	}
	buf_addch(b, '}');
}

/* @b's text in r->a; @b is released. */
static const char *buf_text(struct rec *r, struct buf *b)
{
	const char *text = arena_strndup(r->a, b->data ? b->data : "", b->len);
	buf_release(b);
	return text;
}

/*
 * A search by name alone, ranked by relevance: the index has every match in order, so the
 * page is a slice of it after the cursor, and the database only turns its ids into JSON.
 */
static int search_page_from_index(struct rec *r, const struct rec_search *s,
                                  const struct name_search *ns, const char **ret_json)
{
	size_t from = 0;
	if (s->cursor) {
		double key = strtod(s->after.key, NULL);
		while (from < ns->nmatches && ((double)ns->matches[from].similarity > key ||
		                               ((double)ns->matches[from].similarity == key &&
		                                ns->matches[from].id <= s->after.id)))
			from++;
	}
	size_t shown = ns->nmatches - from;
	if (shown > (size_t)s->limit)
		shown = (size_t)s->limit;
	struct buf ids = BUF_INIT;
	buf_addch(&ids, '{');
	for (size_t i = 0; i < shown; i++)
		buf_addf(&ids, "%s%lld", i ? "," : "", ns->matches[from + i].id);
	buf_addch(&ids, '}');
	const char *p[] = { buf_text(r, &ids) };
	struct store_result *res;
	int rc = rec_exec(r, STMT_SEARCH_PAGE_IDS, p, &res);
	if (rc < 0)
		return rc;

	struct buf b = BUF_INIT;
	int item = store_column(res, "item");
	buf_addstr(&b, "{\"items\":[");
	for (int i = 0; i < store_nrows(res); i++) {
		if (i)
			buf_addch(&b, ',');
		buf_addstr(&b, store_value(res, i, item));
	}
	const char *next = NULL;
	if (from + shown < ns->nmatches) {
		const struct name_match *last = &ns->matches[from + shown - 1];
		next = cursor_encode(r->a, REC_SORT_RELEVANCE,
		                     arena_printf(r->a, "%.17g", (double)last->similarity),
		                     arena_printf(r->a, "%lld", last->id));
	}
	search_tail(&b, s, (long long)ns->nmatches, false, next);
	*ret_json = rec_localize_json(r, buf_text(r, &b));
	return 0;
}

/*
 * The cuisine or kind of place @q names, in small letters, when it is one word that some
 * establishment has as its cuisine or kind ("pizza", "bakery"): *@ret, else NULL. 0 or a
 * store error.
 */
static int search_kind(struct rec *r, const char *q, const char **ret)
{
	*ret = NULL;
	while (*q == ' ')
		q++;
	size_t n = strlen(q);
	while (n && q[n - 1] == ' ')
		n--;
	if (n == 0 || n > SEARCH_KIND_MAX || memchr(q, ' ', n))
		return 0;
	char *word = arena_alloc(r->a, n + 1);
	for (size_t i = 0; i < n; i++)
		word[i] = (char)tolower((unsigned char)q[i]);
	word[n] = '\0';
	struct store_result *res;
	const char *p[] = { word };
	int rc = rec_exec(r, STMT_SEARCH_KIND_EXISTS, p, &res);
	if (rc < 0)
		return rc;
	if (store_get_bool(res, 0, "kind"))
		*ret = word;
	return 0;
}

int rec_establishments_search(struct rec *r, const struct rec_search *s, const char **ret_json)
{
	const char *p[21];
	struct store_result *res;
	int rc;
	search_params(r->a, s, p);
	if (s->q && (rc = search_kind(r, s->q, &p[19])) < 0)
		return rc;
	if (s->q) {
		/* The index in memory finds the names; by name alone, it also ranks them. */
		bool by_name_alone = s->sort == REC_SORT_RELEVANCE;
		for (int i = 1; i <= 11; i++)
			by_name_alone = by_name_alone && !p[i];
		by_name_alone = by_name_alone && !p[18] && !p[19] && !p[20];
		struct name_search ns;
		if ((rc = search_index_find(r->st, r->a, s->q, by_name_alone, &ns)) < 0)
			return rec_store_error(r, rc);
		if (ns.used) {
			p[0] = ns.tsquery;
		} else {
			const char *pq[] = { s->q };
			if ((rc = rec_exec(r, STMT_SEARCH_NAME_QUERY, pq, &res)) < 0)
				return rc;
			p[0] = store_get(res, 0, "tsquery");
		}
		if (!p[0] && !p[19])
			return rec_refuse(r, 400, "q", "records.search.q_no_letters", NULL);
		if (ns.used && by_name_alone)
			return search_page_from_index(r, s, &ns, ret_json);
	}
	if ((rc = rec_exec(r, STMT_SEARCH_PAGE, p, &res)) < 0)
		return rc;
	int rows = store_nrows(res), shown = rows > s->limit ? (int)s->limit : rows;

	/* A first page that holds every match is its own count. Otherwise count, but stop one
	 * row past SEARCH_TOTAL_MAX: an exact count of a broad search costs a scan of all its
	 * matches, and nobody pages through thousands of them. */
	long long total = shown;
	bool lower_bound = false;
	if (s->cursor || rows > s->limit) {
		const char *pc[16];
		struct store_result *counted;
		memcpy(pc, p, 12 * sizeof(*pc));
		pc[12] = p[18];
		pc[13] = arena_printf(r->a, "%d", SEARCH_TOTAL_MAX + 1);
		pc[14] = p[19];
		pc[15] = p[20];
		if ((rc = rec_exec(r, STMT_SEARCH_COUNT, pc, &counted)) < 0)
			return rc;
		total = store_get_int(counted, 0, "count");
		if (total > SEARCH_TOTAL_MAX) {
			total = SEARCH_TOTAL_MAX;
			lower_bound = true;
		}
	}

	struct buf b = BUF_INIT;
	int item = store_column(res, "item");
	buf_addstr(&b, "{\"items\":[");
	for (int i = 0; i < shown; i++) {
		if (i)
			buf_addch(&b, ',');
		buf_addstr(&b, store_value(res, i, item));
	}
	search_tail(&b, s, total, lower_bound,
	            rows > s->limit
	                    ? cursor_encode(r->a, s->sort, store_get(res, shown - 1, "sort_key"),
	                                    store_get(res, shown - 1, "id"))
	                    : NULL);
	*ret_json = rec_localize_json(r, buf_text(r, &b));
	return 0;
}

int rec_card_get(struct rec *r, const char *code, const char **ret_json)
{
	if (strlen(code) > CARD_CODE_MAX)
		return rec_refuse(r, 404, NULL, "records.card.not_found_long", "code",
		                  arena_strndup(r->a, code, 32), NULL);
	struct store_result *res;
	const char *p[] = { code };
	int rc = rec_exec(r, STMT_CARD_JSON, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.card.not_found", "code", code, NULL);
	*ret_json = rec_localize_json(r, store_get(res, 0, "json"));
	return 0;
}

int rec_establishment_card_code(struct rec *r, const char *id, const char **ret_code)
{
	struct store_result *res;
	const char *p[] = { id };
	int rc = rec_exec(r, STMT_CARD_CURRENT_CODE, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.establishment.not_found", "id", id, NULL);
	*ret_code = store_get(res, 0, "public_code");
	return 0;
}
