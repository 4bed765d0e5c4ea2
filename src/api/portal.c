/*
 * portal.c - the public portal's API: search over establishments (GET /api/v1/establishments),
 * grade cards (GET /api/v1/cards/{code}), the QR code printed on a card
 * (GET /api/v1/establishments/{id}/qr.svg), and the OpenAPI description of the whole API.
 * The records are records/search.c's; here the query is decoded and checked (every
 * parameter has a limit; a bad one is a 400 naming it) and the QR code drawn.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/tlog.h"
#include "records/search.h"
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
		return http_problem(res, 400, name, "api.query.too_long", "name", name, "length",
		                    I18N_INT(len), "max", I18N_INT(max), NULL);
	for (const unsigned char *p = (const unsigned char *)v; *p;) {
		size_t n = text_char(p);
		if (!n)
			return http_problem(res, 400, name, "api.query.not_text", "name", name,
			                    NULL);
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
		return http_problem(res, 400, name, "api.query.not_number", "name", name, NULL);
	if (d < min || d > max)
		return http_problem(res, 400, name, "api.query.number_between", "name", name, "min",
		                    I18N_G(min), "max", I18N_G(max), NULL);
	*ret = d;
	*ret_set = true;
	return 0;
}

/* Parse and check every parameter into @s. 0, or the status of the 400 it answered. */
static int search_parse(struct http_request *req, struct http_response *res, struct rec_search *s)
{
	struct arena *a = req->arena;
	const char *postcode, *grade, *sort, *limit;
	int st;
	if ((st = text_param(req, res, "q", SEARCH_Q_MAX, &s->q)) ||
	    (st = text_param(req, res, "licence", LICENCE_MAX, &s->licence)) ||
	    (st = text_param(req, res, "address", SEARCH_ADDRESS_MAX, &s->address)) ||
	    (st = text_param(req, res, "postcode", SEARCH_POSTCODE_MAX, &postcode)) ||
	    (st = text_param(req, res, "cuisine", SEARCH_CUISINE_MAX, &s->cuisine)) ||
	    (st = text_param(req, res, "grade", SEARCH_GRADE_MAX, &grade)) ||
	    (st = text_param(req, res, "inspected_since", 10, &s->inspected_since)) ||
	    (st = text_param(req, res, "sort", 16, &sort)) ||
	    (st = text_param(req, res, "limit", 8, &limit)) ||
	    (st = text_param(req, res, "cursor", SEARCH_CURSOR_MAX, &s->cursor)))
		return st;
	if (postcode) {
		char *pc = arena_alloc(a, strlen(postcode) + 1), *o = pc;
		for (const char *c = postcode; *c; c++) {
			if (*c == ' ')
				continue;
			if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			      (*c >= '0' && *c <= '9') || *c == '-'))
				return http_problem(res, 400, "postcode", "api.search.postcode",
				                    NULL);
			*o++ = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
		}
		*o = '\0';
		s->postcode = *pc ? pc : NULL;
	}
	if (s->inspected_since && !date_valid(s->inspected_since))
		return http_problem(res, 400, "inspected_since", "api.search.inspected_since",
		                    NULL);
	if (grade) {
		/* Codes such as A, Z, 5 or AwaitingInspection, separated by commas. */
		size_t n = 1;
		for (const char *c = grade; *c; c++) {
			if (*c == ',')
				n++;
			else if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			           (*c >= '0' && *c <= '9')))
				return http_problem(res, 400, "grade", "api.search.grade_list",
				                    NULL);
		}
		if (n > SEARCH_GRADES_MAX || strstr(grade, ",,") || grade[0] == ',' ||
		    str_has_suffix(grade, ","))
			return http_problem(res, 400, "grade", "api.search.grade_count", "max",
			                    I18N_INT(SEARCH_GRADES_MAX), NULL);
		s->grade = grade;
	}

	bool has_lat, has_lon, has_radius;
	s->radius = SEARCH_RADIUS_DEFAULT;
	if ((st = number_param(req, res, "lat", -90, 90, &s->lat, &has_lat)) ||
	    (st = number_param(req, res, "lon", -180, 180, &s->lon, &has_lon)) ||
	    (st = number_param(req, res, "radius", 1, SEARCH_RADIUS_MAX, &s->radius, &has_radius)))
		return st;
	if (has_lat != has_lon)
		return http_problem(res, 400, has_lat ? "lon" : "lat",
		                    "api.search.lat_lon_together", NULL);
	if (has_radius && !has_lat)
		return http_problem(res, 400, "radius", "api.search.radius_needs_point", NULL);
	s->near = has_lat;

	s->sort = s->q ? REC_SORT_RELEVANCE : has_lat ? REC_SORT_DISTANCE : REC_SORT_NAME;
	if (sort) {
		size_t i;
		for (i = 0; i < ARRAY_SIZE(rec_search_sort_names); i++)
			if (streq(sort, rec_search_sort_names[i]))
				break;
		if (i == ARRAY_SIZE(rec_search_sort_names))
			return http_problem(res, 400, "sort", "api.search.sort", NULL);
		s->sort = (enum rec_search_sort)i;
	}
	if (s->sort == REC_SORT_RELEVANCE && !s->q)
		return http_problem(res, 400, "sort", "api.search.relevance_needs_q", NULL);
	if (s->sort == REC_SORT_DISTANCE && !has_lat)
		return http_problem(res, 400, "sort", "api.search.distance_needs_point", NULL);

	s->limit = SEARCH_LIMIT_DEFAULT;
	if (limit && parse_int64(limit, 1, SEARCH_LIMIT_MAX, &s->limit) < 0)
		return http_problem(res, 400, "limit", "api.search.limit", "max",
		                    I18N_INT(SEARCH_LIMIT_MAX), NULL);
	if (s->cursor && rec_search_cursor_decode(a, s->cursor, s->sort, &s->after) < 0)
		return http_problem(res, 400, "cursor", "api.search.cursor", NULL);
	return 0;
}

int api_establishments_search(struct http_request *req, struct http_response *res)
{
	struct rec_search s = { 0 };
	const char *json;
	int status = search_parse(req, res, &s);
	if (status)
		return status;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_establishments_search(&r, &s, &json) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, json);
}

int api_card_get(struct http_request *req, struct http_response *res)
{
	const char *json;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_card_get(&r, http_param(req, "code")->value, &json) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, json);
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
	const char *id = http_param(req, "id")->value, *code;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_establishment_card_code(&r, id, &code) < 0)
		return api_refused(res, &r);
	/* The configured address, never the Host header: this answer is kept by caches and
	 * printed on cards, so no client may choose where it points. */
	const char *base = atomic_load_explicit(&public_url, memory_order_acquire);
	if (!base) {
		http_header_add(res, "Retry-After", "1");
		return http_problem(res, 503, NULL, "api.http.starting", NULL);
	}
	/* With the pin of the key that signs the record now, so that the page the printed card
	 * opens later tells whether the record is still signed by that key. */
	const struct rec_tlog_signer *s = api_tlog_signer();
	/* A card printed in a language opens the record in it: ?lang= when it names one of the
	 * catalogues' languages (their codes need no escaping), else as the reader's browser
	 * chooses. */
	const char *asked = http_query(req, "lang");
	const char *lang = asked ? i18n_language_known(asked) : NULL;
	const char *url = arena_printf(req->arena, "%s/establishment.html?id=%s%s%s%s%s%s%s", base,
	                               id, code ? "&card=" : "", code ? code : "", s ? "&log=" : "",
	                               s ? s->pin : "", lang ? "&lang=" : "", lang ? lang : "");
	struct buf b = BUF_INIT;
	if (qr_svg(url, &b) < 0) {
		buf_release(&b);
		return http_problem(res, 500, NULL, "api.qr.failed", NULL);
	}
	return http_respond_buf(res, 200, "image/svg+xml", &b);
}

/* Published once by api_set_map_tiles() before the server starts. */
static char map_tiles[CONFIG_MAP_TILES_MAX + 1];

void api_set_map_tiles(const char *url)
{
	snprintf(map_tiles, sizeof(map_tiles), "%s", url);
}

int api_map(struct http_request *req, struct http_response *res)
{
	(void)req;
	json_t *o = json_pack("{s:s, s:s}", "tiles", map_tiles, "attribution",
	                      "Map data \u00a9 OpenStreetMap contributors");
	http_header_add(res, "Cache-Control", "public, max-age=300");
	int status = api_json(res, 200, o);
	json_decref(o);
	return status;
}

int api_openapi(struct http_request *req, struct http_response *res)
{
	return http_send_file(req, res, "/openapi.json");
}
