/*
 * portal.c - the public portal's API: search over establishments (GET /api/v1/establishments),
 * grade cards (GET /api/v1/cards/{code}), the QR code printed on a card
 * (GET /api/v1/establishments/{id}/qr.svg), and the OpenAPI description of the whole API.
 *
 * Search filters by name (typo-tolerant: each word is corrected against the dictionary of
 * name words, then matched exactly through a full-text index; sql/0006_search.sql), licence
 * number, address, postcode, cuisine, grade and distance, sorts by relevance, name or
 * distance, and pages with opaque cursors that carry the last row's sort key, so pages never
 * skip or repeat a row however deep they go. Every parameter has a limit; a bad one is a 400 naming it.
 */
#include <errno.h>
#include <math.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/searchindex.h"
#include "core/config.h"
#include "core/qr.h"
#include "core/util.h"

#define SEARCH_Q_MAX          100
#define SEARCH_ADDRESS_MAX    100
#define SEARCH_POSTCODE_MAX   16
#define SEARCH_CUISINE_MAX    64
#define SEARCH_GRADE_MAX      100 /* bytes of the comma-separated list */
#define SEARCH_GRADES_MAX     10
#define SEARCH_LIMIT_DEFAULT  20
#define SEARCH_LIMIT_MAX      100
#define SEARCH_RADIUS_DEFAULT 1000
#define SEARCH_RADIUS_MAX     50000
#define SEARCH_CURSOR_MAX     600
#define SEARCH_TOTAL_MAX      1000 /* matches counted; beyond, "at least" this many */
#define CARD_CODE_MAX         32
#define METRES_PER_DEGREE     111195.08 /* on a sphere of the mean Earth radius */

enum search_sort { SORT_NAME, SORT_RELEVANCE, SORT_DISTANCE };
static const char *const sort_names[] = { "name", "relevance", "distance" };

/* The length of the valid UTF-8 sequence at @p that is not a control character, or 0. */
static size_t text_char(const unsigned char *p)
{
	if (p[0] < 0x20 || p[0] == 0x7f)
		return 0;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		unsigned char lo = p[0] == 0xe0 ? 0xa0 : 0x80, hi = p[0] == 0xed ? 0x9f : 0xbf;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		unsigned char lo = p[0] == 0xf0 ? 0x90 : 0x80, hi = p[0] == 0xf4 ? 0x8f : 0xbf;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80
		               ? 4
		               : 0;
	}
	return 0;
}

/*
 * A text query parameter: NULL when absent or empty; otherwise valid UTF-8 without control
 * characters, of at most @max bytes. Returns 0 and the value in *@ret, or the status of the
 * 400 it answered.
 */
static int text_param(struct http_request *req, struct http_response *res, const char *name,
                      size_t max, const char **ret)
{
	const char *v = http_query(req, name);
	*ret = NULL;
	if (!v || !*v)
		return 0;
	size_t len = strlen(v);
	if (len > max)
		return http_problem(res, 400, name, "\"%s\" is %zu bytes long; the limit is %zu.",
		                    name, len, max);
	for (const unsigned char *p = (const unsigned char *)v; *p;) {
		size_t n = text_char(p);
		if (!n)
			return http_problem(res, 400, name,
			                    "\"%s\" must be UTF-8 text without control characters.",
			                    name);
		p += n;
	}
	*ret = v;
	return 0;
}

/* A number parameter in [@min, @max]: 0 (*@ret_set false when absent), or a 400's status. */
static int number_param(struct http_request *req, struct http_response *res, const char *name,
                        double min, double max, double *ret, bool *ret_set)
{
	const char *v = http_query(req, name);
	*ret_set = false;
	if (!v || !*v)
		return 0;
	char *end;
	double d = strtod(v, &end);
	if (*end || end == v || !isfinite(d) || strlen(v) > 32)
		return http_problem(res, 400, name, "\"%s\" must be a number.", name);
	if (d < min || d > max)
		return http_problem(res, 400, name, "\"%s\" must be between %g and %g.", name, min,
		                    max);
	*ret = d;
	*ret_set = true;
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

/* What a cursor carries: the sort it was made for and the last row's key and id. */
struct cursor {
	enum search_sort sort;
	long long id;
	const char *key;
};

static const char *cursor_encode(struct arena *a, enum search_sort sort, const char *key,
                                 const char *id)
{
	const char *raw = arena_printf(a, "%c|%s|%s", sort_names[sort][0], id, key ? key : "");
	size_t rawlen = strlen(raw);
	size_t size = sodium_base64_ENCODED_LEN(rawlen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = arena_alloc(a, size);
	sodium_bin2base64(out, size, (const unsigned char *)raw, rawlen,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

/* Decode @text into @ret for @sort. 0 or -EINVAL (malformed, or made for another sort). */
static int cursor_decode(struct arena *a, const char *text, enum search_sort sort,
                         struct cursor *ret)
{
	size_t len = strlen(text), rawlen;
	char *raw = arena_alloc(a, len + 1);
	if (sodium_base642bin((unsigned char *)raw, len, text, len, NULL, &rawlen, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return -EINVAL;
	raw[rawlen] = '\0';
	if (rawlen < 4 || strlen(raw) != rawlen || raw[0] != sort_names[sort][0] || raw[1] != '|')
		return -EINVAL;
	char *bar = strchr(raw + 2, '|');
	if (!bar)
		return -EINVAL;
	*bar = '\0';
	if (parse_int64(raw + 2, 1, INT64_MAX, &ret->id) < 0)
		return -EINVAL;
	ret->key = bar + 1;
	ret->sort = sort;
	if (sort != SORT_NAME) {
		char *end;
		double d = strtod(ret->key, &end);
		if (!*ret->key || *end || !isfinite(d))
			return -EINVAL;
	}
	return 0;
}

/* The search's filters as statement parameters ($1..$12 of STMT_SEARCH_COUNT, and the
 * licence number, p[18]). */
struct search {
	const char *p[19];
	const char *q;
	enum search_sort sort;
	long long limit;
	const char *cursor;
};

/* Parse and check every parameter into @s. 0, or the status of the 400 it answered. */
static int search_parse(struct http_request *req, struct http_response *res, struct search *s)
{
	struct arena *a = req->arena;
	const char *address, *postcode, *cuisine, *grade, *sort, *limit;
	int st;
	if ((st = text_param(req, res, "q", SEARCH_Q_MAX, &s->q)) ||
	    (st = text_param(req, res, "licence", LICENCE_MAX, &s->p[18])) ||
	    (st = text_param(req, res, "address", SEARCH_ADDRESS_MAX, &address)) ||
	    (st = text_param(req, res, "postcode", SEARCH_POSTCODE_MAX, &postcode)) ||
	    (st = text_param(req, res, "cuisine", SEARCH_CUISINE_MAX, &cuisine)) ||
	    (st = text_param(req, res, "grade", SEARCH_GRADE_MAX, &grade)) ||
	    (st = text_param(req, res, "sort", 16, &sort)) ||
	    (st = text_param(req, res, "limit", 8, &limit)) ||
	    (st = text_param(req, res, "cursor", SEARCH_CURSOR_MAX, &s->cursor)))
		return st;
	s->p[1] = address ? like_escape(a, address) : NULL;
	if (postcode) {
		char *pc = arena_alloc(a, strlen(postcode) + 1), *o = pc;
		for (const char *c = postcode; *c; c++) {
			if (*c == ' ')
				continue;
			if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			      (*c >= '0' && *c <= '9') || *c == '-'))
				return http_problem(
				        res, 400, "postcode",
				        "\"postcode\" may hold letters, digits, spaces and "
				        "hyphens only.");
			*o++ = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
		}
		*o = '\0';
		s->p[2] = *pc ? pc : NULL;
	}
	s->p[3] = cuisine;
	if (grade) {
		/* Codes such as A, Z, 5 or AwaitingInspection, separated by commas. */
		size_t n = 1;
		for (const char *c = grade; *c; c++) {
			if (*c == ',')
				n++;
			else if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			           (*c >= '0' && *c <= '9')))
				return http_problem(
				        res, 400, "grade",
				        "\"grade\" is a comma-separated list of grade codes "
				        "such as A,B.");
		}
		if (n > SEARCH_GRADES_MAX || strstr(grade, ",,") || grade[0] == ',' ||
		    str_has_suffix(grade, ","))
			return http_problem(res, 400, "grade",
			                    "\"grade\" takes 1 to %d codes separated by commas.",
			                    SEARCH_GRADES_MAX);
		s->p[4] = grade;
	}

	double lat, lon, radius = SEARCH_RADIUS_DEFAULT;
	bool has_lat, has_lon, has_radius;
	if ((st = number_param(req, res, "lat", -90, 90, &lat, &has_lat)) ||
	    (st = number_param(req, res, "lon", -180, 180, &lon, &has_lon)) ||
	    (st = number_param(req, res, "radius", 1, SEARCH_RADIUS_MAX, &radius, &has_radius)))
		return st;
	if (has_lat != has_lon)
		return http_problem(res, 400, has_lat ? "lon" : "lat",
		                    "\"lat\" and \"lon\" go together.");
	if (has_radius && !has_lat)
		return http_problem(res, 400, "radius", "\"radius\" needs \"lat\" and \"lon\".");
	if (has_lat) {
		/* A box a little larger than the circle; the exact distance decides. */
		double dlat = radius / METRES_PER_DEGREE * 1.01;
		double minlon = -180, maxlon = 180;
		double far = fabs(lat) + dlat;
		if (far < 89.0) {
			double dlon = dlat / cos(far * M_PI / 180.0);
			if (lon - dlon >= -180 && lon + dlon <= 180) {
				minlon = lon - dlon;
				maxlon = lon + dlon;
			}
		}
		s->p[5] = arena_printf(a, "%.7f", lat);
		s->p[6] = arena_printf(a, "%.7f", lon);
		s->p[7] = arena_printf(a, "%.1f", radius);
		s->p[8] = arena_printf(a, "%.7f", minlon);
		s->p[9] = arena_printf(a, "%.7f", lat - dlat);
		s->p[10] = arena_printf(a, "%.7f", maxlon);
		s->p[11] = arena_printf(a, "%.7f", lat + dlat);
	}

	s->sort = s->q ? SORT_RELEVANCE : has_lat ? SORT_DISTANCE : SORT_NAME;
	if (sort) {
		size_t i;
		for (i = 0; i < ARRAY_SIZE(sort_names); i++)
			if (streq(sort, sort_names[i]))
				break;
		if (i == ARRAY_SIZE(sort_names))
			return http_problem(res, 400, "sort",
			                    "\"sort\" must be relevance, name or distance.");
		s->sort = (enum search_sort)i;
	}
	if (s->sort == SORT_RELEVANCE && !s->q)
		return http_problem(res, 400, "sort", "Sorting by relevance needs \"q\".");
	if (s->sort == SORT_DISTANCE && !has_lat)
		return http_problem(res, 400, "sort",
		                    "Sorting by distance needs \"lat\" and \"lon\".");

	s->limit = SEARCH_LIMIT_DEFAULT;
	if (limit && parse_int64(limit, 1, SEARCH_LIMIT_MAX, &s->limit) < 0)
		return http_problem(res, 400, "limit",
		                    "\"limit\" must be a whole number from 1 to %d.",
		                    SEARCH_LIMIT_MAX);

	s->p[12] = sort_names[s->sort];
	s->p[13] = s->q ? s->q : "";
	if (s->cursor) {
		struct cursor c;
		if (cursor_decode(a, s->cursor, s->sort, &c) < 0)
			return http_problem(
			        res, 400, "cursor",
			        "\"cursor\" is not one this search gave out; start again "
			        "without it.");
		if (s->sort == SORT_NAME)
			s->p[14] = c.key;
		else
			s->p[15] = c.key;
		s->p[16] = arena_printf(a, "%lld", c.id);
	}
	/* One row more than the page, to know whether another page follows. */
	s->p[17] = arena_printf(a, "%lld", s->limit + 1);
	return 0;
}

/* The end of a search's JSON: the total, the page and the cursor to the next one. */
static void search_tail(struct buf *b, const struct search *s, long long total, bool lower_bound,
                        const char *next_cursor)
{
	buf_addf(b,
	         "],\"total\":%lld,\"total_is_lower_bound\":%s,\"limit\":%lld,\"sort\":\"%s\","
	         "\"next_cursor\":",
	         total, lower_bound ? "true" : "false", s->limit, sort_names[s->sort]);
	if (next_cursor) {
		buf_addch(b, '"');
		buf_addstr(b, next_cursor);
		buf_addch(b, '"');
	} else {
		buf_addstr(b, "null");
	}
	buf_addch(b, '}');
}

/*
 * A search by name alone, ranked by relevance: the index has every match in order, so the
 * page is a slice of it after the cursor, and the database only turns its ids into JSON.
 */
static int search_page_from_index(struct http_request *req, struct http_response *res,
                                  struct store *st, const struct search *s,
                                  const struct name_search *ns)
{
	size_t from = 0;
	if (s->cursor) {
		struct cursor c;
		cursor_decode(req->arena, s->cursor, SORT_RELEVANCE, &c); /* checked in parsing */
		double key = strtod(c.key, NULL);
		while (from < ns->nmatches && ((double)ns->matches[from].similarity > key ||
		                               ((double)ns->matches[from].similarity == key &&
		                                ns->matches[from].id <= c.id)))
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
	const char *p[] = { arena_strndup(req->arena, ids.data, ids.len) };
	buf_release(&ids);
	struct store_result *r;
	int rc = store_exec(st, req->arena, STMT_SEARCH_PAGE_IDS, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);

	struct buf b = BUF_INIT;
	buf_addstr(&b, "{\"items\":[");
	for (int i = 0; i < store_nrows(r); i++) {
		if (i)
			buf_addch(&b, ',');
		buf_addstr(&b, store_value(r, i, 0));
	}
	const char *next = NULL;
	if (from + shown < ns->nmatches) {
		const struct name_match *last = &ns->matches[from + shown - 1];
		next = cursor_encode(req->arena, SORT_RELEVANCE,
		                     arena_printf(req->arena, "%.17g", (double)last->similarity),
		                     arena_printf(req->arena, "%lld", last->id));
	}
	search_tail(&b, s, (long long)ns->nmatches, false, next);
	return http_respond_buf(res, 200, "application/json", &b);
}

int api_establishments_search(struct http_request *req, struct http_response *res)
{
	struct search s = { 0 };
	int status = search_parse(req, res, &s);
	if (status)
		return status;
	struct store *st = store_thread(STORE_READ);
	struct store_result *r;
	int rc;
	if (s.q) {
		/* The index in memory finds the names; by name alone, it also ranks them. */
		bool by_name_alone = s.sort == SORT_RELEVANCE;
		for (int i = 1; i <= 11; i++)
			by_name_alone = by_name_alone && !s.p[i];
		by_name_alone = by_name_alone && !s.p[18];
		struct name_search ns;
		if ((rc = search_index_find(st, req->arena, s.q, by_name_alone, &ns)) < 0)
			return api_store_error(res, st, rc);
		if (ns.used) {
			s.p[0] = ns.tsquery;
		} else {
			const char *pq[] = { s.q };
			if ((rc = store_exec(st, req->arena, STMT_SEARCH_NAME_QUERY, pq, &r)) < 0)
				return api_store_error(res, st, rc);
			s.p[0] = store_value(r, 0, 0);
		}
		if (!s.p[0])
			return http_problem(res, 400, "q",
			                    "\"q\" has no letters or digits to search for.");
		if (ns.used && by_name_alone)
			return search_page_from_index(req, res, st, &s, &ns);
	}
	if ((rc = store_exec(st, req->arena, STMT_SEARCH_PAGE, s.p, &r)) < 0)
		return api_store_error(res, st, rc);
	int rows = store_nrows(r), shown = rows > s.limit ? (int)s.limit : rows;

	/* A first page that holds every match is its own count. Otherwise count, but stop one
	 * row past SEARCH_TOTAL_MAX: an exact count of a broad search costs a scan of all its
	 * matches, and nobody pages through thousands of them. */
	long long total = shown;
	bool lower_bound = false;
	if (s.cursor || rows > s.limit) {
		const char *pc[14];
		struct store_result *counted;
		memcpy(pc, s.p, 12 * sizeof(*pc));
		pc[12] = s.p[18];
		pc[13] = arena_printf(req->arena, "%d", SEARCH_TOTAL_MAX + 1);
		if ((rc = store_exec(st, req->arena, STMT_SEARCH_COUNT, pc, &counted)) < 0)
			return api_store_error(res, st, rc);
		total = store_value_int(counted, 0, 0);
		if (total > SEARCH_TOTAL_MAX) {
			total = SEARCH_TOTAL_MAX;
			lower_bound = true;
		}
	}

	struct buf b = BUF_INIT;
	buf_addstr(&b, "{\"items\":[");
	for (int i = 0; i < shown; i++) {
		if (i)
			buf_addch(&b, ',');
		buf_addstr(&b, store_value(r, i, 0));
	}
	search_tail(&b, &s, total, lower_bound,
	            rows > s.limit ? cursor_encode(req->arena, s.sort, store_value(r, shown - 1, 1),
	                                           store_value(r, shown - 1, 2))
	                           : NULL);
	return http_respond_buf(res, 200, "application/json", &b);
}

int api_card_get(struct http_request *req, struct http_response *res)
{
	const char *code = http_param(req, "code")->value;
	struct store *st = store_thread(STORE_READ);
	struct store_result *r;
	const char *p[] = { code };
	if (strlen(code) > CARD_CODE_MAX)
		return http_problem(res, 404, NULL, "There is no grade card %.32s...", code);
	int rc = store_exec(st, req->arena, STMT_CARD_JSON, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(r) == 0)
		return http_problem(res, 404, NULL, "There is no grade card %s.", code);
	return api_json_text(res, 200, store_value(r, 0, 0));
}

/* Published once by api_set_public_url(); NULL until then. */
static char public_url_text[CONFIG_PUBLIC_URL_MAX + 1];
static _Atomic(const char *) public_url;

void api_set_public_url(const char *url)
{
	snprintf(public_url_text, sizeof(public_url_text), "%s", url);
	atomic_store_explicit(&public_url, public_url_text, memory_order_release);
}

int api_establishment_qr(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	struct store *st = store_thread(STORE_READ);
	struct store_result *r;
	const char *p[] = { id };
	int rc = store_exec(st, req->arena, STMT_CARD_CURRENT_CODE, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(r) == 0)
		return http_problem(res, 404, NULL, "There is no establishment %s.", id);
	/* The configured address, never the Host header: this answer is kept by caches and
	 * printed on cards, so no client may choose where it points. */
	const char *base = atomic_load_explicit(&public_url, memory_order_acquire);
	if (!base) {
		http_header_add(res, "Retry-After", "1");
		return http_problem(res, 503, NULL, "The server is still starting.");
	}
	const char *code = store_value(r, 0, 0);
	const char *url = arena_printf(req->arena, "%s/establishment.html?id=%s%s%s", base, id,
	                               code ? "&card=" : "", code ? code : "");
	struct buf b = BUF_INIT;
	if (qr_svg(url, &b) < 0) {
		buf_release(&b);
		return http_problem(res, 500, NULL, "The QR code could not be made.");
	}
	return http_respond_buf(res, 200, "image/svg+xml", &b);
}

int api_openapi(struct http_request *req, struct http_response *res)
{
	return http_send_file(req, res, "/openapi.json");
}
