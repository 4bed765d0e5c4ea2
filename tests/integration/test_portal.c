/*
 * The public portal's API against the real server and PostgreSQL: search filters (a licence
 * number among them), a typo-tolerant name, distance, cursor paging (no row skipped or
 * repeated) and the total (exact up to 1000 matches, a flagged lower bound beyond),
 * the name dictionary kept current, validators (ETag, 304), gzip, bad parameters and limits
 * answered 400 naming the parameter, grade cards (current or superseded) with their QR code
 * (linking to PLACARD_PUBLIC_URL whatever the Host header says; a server without it refuses
 * to start unless it is a development server), and the OpenAPI document.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "harness.h"
#include "staff.h"

static struct itest_server server;
static char db_url[256];
static struct staff_session admin, clerk, inspector;
static const char pw[] = "correct horse battery staple";
static long long magnolia, dumpling, harbor;

/* 500 m and 1500 m north of the base point, and 800 m east, in degrees. */
#define BASE_LAT    40.70
#define BASE_LON    -73.90
#define NORTH_500   0.0044966
#define NORTH_1500  0.0134899
#define PAGING_ROWS 57

#define NEED_DB()                                                                                  \
	do {                                                                                       \
		if (!server.pid)                                                                   \
			skip();                                                                    \
	} while (0)

static json_t *call(const struct staff_session *as, const char *method, const char *path,
                    const char *body, const char *extra, long *status)
{
	struct itest_response r;
	staff_request(&server, as, method, path, body, extra, &r);
	*status = r.status;
	json_t *v = json_loads(r.body.data, 0, NULL);
	if (!v)
		v = json_object();
	itest_response_free(&r);
	return v;
}

/* GET @path anonymously; assert 200 and return the JSON. */
static json_t *get_ok(const char *path)
{
	long st;
	json_t *v = call(NULL, "GET", path, NULL, NULL, &st);
	if (st != 200)
		fail_msg("GET %s: %ld %s", path, st, json_dumps(v, JSON_COMPACT));
	return v;
}

static long long create_establishment(const char *licence, const char *name, const char *address,
                                      const char *postcode, const char *cuisine, double lat,
                                      double lon)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:f}", "jurisdiction", "nyc",
	                         "licence_number", licence, "name", name, "address_line", address,
	                         "postcode", postcode, "cuisine", cuisine, "latitude", lat,
	                         "longitude", lon);
	char *text = json_dumps(body, JSON_COMPACT);
	long st;
	json_t *v = call(&clerk, "POST", "/api/v1/establishments", text, NULL, &st);
	assert_int_equal(st, 201);
	long long id = json_integer_value(json_object_get(v, "id"));
	json_decref(v);
	json_decref(body);
	free(text);
	return id;
}

/* Submit an inspection of @type citing @violation (JSON); its id. */
static long long inspect_type(long long est, const char *type, const char *started,
                              const char *violation, const char *key)
{
	char body[400], extra[80];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"%s\",\"started_at\":\"%s\","
	         "\"violations\":[%s],\"submit\":true}",
	         est, type, started, violation);
	snprintf(extra, sizeof(extra), "Idempotency-Key: %s", key);
	long st;
	json_t *v = call(&inspector, "POST", "/api/v1/inspections", body, extra, &st);
	assert_int_equal(st, 201);
	long long id = json_integer_value(json_object_get(v, "id"));
	json_decref(v);
	return id;
}

/* Submit an initial NYC inspection citing @violation (JSON); its id. */
static long long inspect(long long est, const char *started, const char *violation, const char *key)
{
	return inspect_type(est, "initial", started, violation, key);
}

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	itest_db_create("portal", db_url, sizeof(db_url));
	const char *who[][2] = { { "ada", "admin" }, { "clem", "clerk" }, { "ines", "inspector" } };
	for (size_t i = 0; i < 3; i++)
		if (staff_add(db_url, who[i][0], who[i][1], pw, "", NULL) != 0)
			fail_msg("cannot add %s", who[i][0]);
	const char *env[] = { "PLACARD_PUBLIC_URL=https://inspections.example.gov/", NULL };
	itest_server_start(&server, db_url, env);
	struct staff_session *s[] = { &admin, &clerk, &inspector };
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(staff_login(&server, who[i][0], pw, s[i], NULL), 201);
	long st;
	json_t *v =
	        call(&admin, "POST", "/api/v1/jurisdictions",
	             "{\"code\":\"nyc\",\"name\":\"New York City\",\"scheme\":\"nyc\"}", NULL, &st);
	assert_int_equal(st, 201);
	json_decref(v);
	magnolia = create_establishment("P-1", "Magnolia Bakery", "401 Bleecker St", "10014",
	                                "Bakery", BASE_LAT, BASE_LON);
	dumpling = create_establishment("P-2", "Shanghai Dumpling House", "88 Canal St", "10002",
	                                "Chinese", BASE_LAT + NORTH_500, BASE_LON);
	harbor = create_establishment("P-3", "Harbor Grill", "5 Water St", "11201", "American",
	                              BASE_LAT + NORTH_1500, BASE_LON);
	/* Rows for paging, loaded the way bulk loads arrive: one statement. */
	char sql[1024];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO establishment (jurisdiction_id, licence_number, name, address_line,"
	         " postcode, cuisine, latitude, longitude)"
	         " SELECT (SELECT id FROM jurisdiction WHERE code = 'nyc'), 'PG-' || i,"
	         " 'Paging Diner ' || (i %% 9), i || ' Page St', 'PG' || i, 'Diner',"
	         " %f - (i %% 10) * 0.0009, %f + (i / 10) * 0.0009"
	         " FROM generate_series(1, %d) i;"
	         "INSERT INTO posted_grade (establishment_id, state, grade_code, grade_label)"
	         " SELECT id, 'graded', CASE WHEN id %% 3 = 0 THEN 'B' ELSE 'A' END,"
	         " CASE WHEN id %% 3 = 0 THEN 'B' ELSE 'A' END FROM establishment"
	         " WHERE licence_number LIKE 'PG-%%'",
	         BASE_LAT, BASE_LON, PAGING_ROWS);
	itest_sql(db_url, sql);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (server.pid)
		assert_int_equal(itest_server_stop(&server), 0);
	return 0;
}

/* The ids of a search's items, in order, as a comma-separated string. */
static void ids_of(json_t *v, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	json_t *item;
	size_t i;
	json_array_foreach(json_object_get(v, "items"), i, item)
	{
		n += (size_t)snprintf(out + n, size - n, "%s%lld", i ? "," : "",
		                      (long long)json_integer_value(json_object_get(item, "id")));
		if (n >= size)
			fail_msg("ids overflow");
	}
}

static void expect_ids(const char *query, const char *want)
{
	char path[512], got[512];
	snprintf(path, sizeof(path), "/api/v1/establishments?%s", query);
	json_t *v = get_ok(path);
	ids_of(v, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("%s: got [%s], want [%s]", query, got, want);
	long long n = want[0] ? 1 : 0;
	for (const char *c = want; *c; c++)
		n += *c == ',';
	assert_int_equal(json_integer_value(json_object_get(v, "total")), n);
	json_decref(v);
}

static void test_filters(void **state)
{
	(void)state;
	NEED_DB();
	char one[32], two[64];
	snprintf(one, sizeof(one), "%lld", magnolia);
	expect_ids("q=magnolia", one);
	expect_ids("q=Magnolia%20Bakery", one);
	/* One typo per word, and two words both misspelt. */
	expect_ids("q=magnola", one);
	expect_ids("q=mangolia%20bakrey", one);
	snprintf(one, sizeof(one), "%lld", dumpling);
	expect_ids("q=dumplin%20hose", one);
	expect_ids("address=canal", one);
	expect_ids("address=88%20Canal%20St", one);
	snprintf(two, sizeof(two), "%lld", magnolia);
	expect_ids("postcode=1001", two);
	expect_ids("postcode=100%2014", two);
	expect_ids("postcode=10002", one);
	expect_ids("postcode=999", "");
	expect_ids("cuisine=chinese", one);
	snprintf(one, sizeof(one), "%lld", harbor);
	expect_ids("q=harbour", one);
	expect_ids("q=harbor&cuisine=American&postcode=112", one);
	expect_ids("q=harbor&cuisine=Chinese", "");
	/* A licence number, as typed, in capitals or in small letters, alone or with other
	 * filters. */
	snprintf(one, sizeof(one), "%lld", magnolia);
	expect_ids("licence=P-1", one);
	expect_ids("licence=p-1", one);
	expect_ids("licence=P-1&q=magnolia", one);
	expect_ids("licence=P-1&q=harbor", "");
	expect_ids("licence=P-1&postcode=999", "");
	expect_ids("licence=P-", "");
	expect_ids("licence=P-99", "");
	/* The count of a later page keeps the licence: one match, whatever the page shows. */
	json_t *first = get_ok("/api/v1/establishments?sort=name&limit=1");
	assert_string_equal(json_walk_str(first, "items.0.name"), "Harbor Grill");
	char paged[300];
	snprintf(paged, sizeof(paged), "/api/v1/establishments?licence=P-2&sort=name&cursor=%s",
	         json_walk_str(first, "next_cursor"));
	json_t *later = get_ok(paged);
	assert_int_equal(json_array_size(json_object_get(later, "items")), 1);
	assert_int_equal(json_walk_int(later, "items.0.id"), dumpling);
	assert_string_equal(json_walk_str(later, "items.0.licence_number"), "P-2");
	assert_int_equal(json_walk_int(later, "total"), 1);
	json_decref(later);
	snprintf(paged, sizeof(paged), "/api/v1/establishments?licence=P-3&sort=name&cursor=%s",
	         json_walk_str(first, "next_cursor"));
	later = get_ok(paged);
	assert_int_equal(json_array_size(json_object_get(later, "items")), 0);
	assert_int_equal(json_walk_int(later, "total"), 1);
	json_decref(later);
	json_decref(first);

	/* LIKE's wildcards are taken literally. */
	expect_ids("address=%25", "");
	expect_ids("address=_", "");
	expect_ids("q=zzzzqqqq", "");

	/* Grades: the paging rows are A or B by id. */
	json_t *v = get_ok("/api/v1/establishments?grade=B&limit=100");
	size_t i;
	json_t *item;
	long long total = json_integer_value(json_object_get(v, "total"));
	assert_true(total > 10 && total < PAGING_ROWS);
	json_array_foreach(json_object_get(v, "items"), i, item)
	{
		assert_string_equal(
		        json_string_value(json_object_get(json_object_get(item, "grade"), "code")),
		        "B");
	}
	json_decref(v);
	v = get_ok("/api/v1/establishments?grade=A,B&limit=1");
	assert_int_equal(json_integer_value(json_object_get(v, "total")), PAGING_ROWS);
	json_decref(v);

	/* An item's shape. */
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/establishments?q=magnolia");
	v = get_ok(path);
	item = json_array_get(json_object_get(v, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(item, "name")), "Magnolia Bakery");
	assert_string_equal(json_string_value(json_object_get(item, "licence_number")), "P-1");
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(item, "address"), "postcode")),
	        "10014");
	assert_string_equal(json_string_value(json_object_get(item, "scheme")), "nyc");
	assert_non_null(json_object_get(item, "grade"));
	assert_string_equal(json_string_value(json_object_get(v, "sort")), "relevance");
	assert_true(json_is_null(json_object_get(v, "next_cursor")));
	json_decref(v);
}

static void test_relevance_order(void **state)
{
	(void)state;
	NEED_DB();
	/* The closest name comes first. */
	json_t *v = get_ok("/api/v1/establishments?q=shanghai%20dumpling%20house");
	assert_int_equal(json_integer_value(json_object_get(
	                         json_array_get(json_object_get(v, "items"), 0), "id")),
	                 dumpling);
	json_decref(v);
}

static void test_radius(void **state)
{
	(void)state;
	NEED_DB();
	char path[256], got[512], want[64];
	/* 1 km around a point 1 km north of the base: Dumpling (500 m away) and Harbor
	 * (500 m), not Magnolia (1000.3 m), nor the paging rows (more than 1 km). */
	double lat = BASE_LAT + 2 * NORTH_500;
	snprintf(path, sizeof(path), "/api/v1/establishments?lat=%.7f&lon=%.7f&radius=600", lat,
	         BASE_LON);
	json_t *v = get_ok(path);
	ids_of(v, got, sizeof(got));
	snprintf(want, sizeof(want), "%lld,%lld", dumpling, harbor);
	assert_string_equal(got, want);
	assert_string_equal(json_string_value(json_object_get(v, "sort")), "distance");
	json_t *first = json_array_get(json_object_get(v, "items"), 0);
	double d = json_number_value(json_object_get(first, "distance_m"));
	assert_true(d >= 495 && d <= 505);
	json_decref(v);
	/* At the base with 100 m: Magnolia and the paging row at the same point. */
	snprintf(path, sizeof(path),
	         "/api/v1/establishments?lat=%.5f&lon=%.5f&radius=100&q=magnolia", BASE_LAT,
	         BASE_LON);
	v = get_ok(path);
	assert_int_equal(json_integer_value(json_object_get(v, "total")), 1);
	json_decref(v);
	/* Default radius is 1 km: the 1500 m one is out. */
	snprintf(path, sizeof(path), "/api/v1/establishments?lat=%.5f&lon=%.5f&q=harbor", BASE_LAT,
	         BASE_LON);
	v = get_ok(path);
	assert_int_equal(json_integer_value(json_object_get(v, "total")), 0);
	json_decref(v);
}

/* Walk every page of @query with @limit rows a page; every row once, the total right. */
static void walk(const char *query, int limit, long long want_total)
{
	char path[1024];
	const char *cursor = NULL;
	char *cursor_copy = NULL;
	long long seen[512];
	size_t nseen = 0;
	long long total = -1;
	for (int page = 0; page < 100; page++) {
		snprintf(path, sizeof(path), "/api/v1/establishments?%s&limit=%d%s%s", query, limit,
		         cursor ? "&cursor=" : "", cursor ? cursor : "");
		json_t *v = get_ok(path);
		long long t = json_integer_value(json_object_get(v, "total"));
		if (total >= 0)
			assert_int_equal(t, total);
		total = t;
		json_t *items = json_object_get(v, "items");
		assert_true(json_array_size(items) <= (size_t)limit);
		size_t i;
		json_t *item;
		json_array_foreach(items, i, item)
		{
			long long id = json_integer_value(json_object_get(item, "id"));
			for (size_t j = 0; j < nseen; j++)
				if (seen[j] == id)
					fail_msg("%s: id %lld on two pages", query, id);
			assert_true(nseen < 512);
			seen[nseen++] = id;
		}
		const char *next = json_string_value(json_object_get(v, "next_cursor"));
		free(cursor_copy);
		cursor_copy = next ? strdup(next) : NULL;
		cursor = cursor_copy;
		if (next)
			assert_int_equal(json_array_size(items), limit);
		json_decref(v);
		if (!cursor)
			break;
	}
	free(cursor_copy);
	assert_int_equal(total, want_total);
	assert_int_equal((long long)nseen, want_total);
}

static void test_paging(void **state)
{
	(void)state;
	NEED_DB();
	walk("sort=name", 7, PAGING_ROWS + 3);
	walk("sort=name", 100, PAGING_ROWS + 3);
	/* Relevance has many ties (the names repeat): the id breaks them. */
	walk("q=paging%20diner", 5, PAGING_ROWS);
	walk("q=pagin%20dinr", 8, PAGING_ROWS);
	char q[160];
	snprintf(q, sizeof(q), "lat=%.5f&lon=%.5f&radius=5000", BASE_LAT, BASE_LON);
	walk(q, 6, PAGING_ROWS + 3);
	walk("cuisine=diner&sort=name", 10, PAGING_ROWS);
	walk("q=paging&grade=B&sort=name", 4, PAGING_ROWS / 3);
}

static long long total_of(const char *query, bool *lower_bound, bool *more)
{
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/establishments?%s", query);
	json_t *v = get_ok(path);
	json_t *flag = json_object_get(v, "total_is_lower_bound");
	assert_true(json_is_boolean(flag));
	*lower_bound = json_is_true(flag);
	*more = json_is_string(json_object_get(v, "next_cursor"));
	long long total = json_integer_value(json_object_get(v, "total"));
	json_decref(v);
	return total;
}

/* The total is exact up to 1000 matches, whether or not the first page holds them all; beyond,
 * it is 1000 and flagged as a lower bound. */
static void test_total_capped(void **state)
{
	(void)state;
	NEED_DB();
	bool lower, more;
	char q[64];
	snprintf(q, sizeof(q), "q=paging%%20diner&limit=%d", PAGING_ROWS);
	assert_int_equal(total_of(q, &lower, &more), PAGING_ROWS);
	assert_false(lower);
	assert_false(more);
	snprintf(q, sizeof(q), "q=paging%%20diner&limit=%d", PAGING_ROWS - 1);
	assert_int_equal(total_of(q, &lower, &more), PAGING_ROWS);
	assert_false(lower);
	assert_true(more);

	itest_sql(db_url, "INSERT INTO establishment (jurisdiction_id, licence_number, name,"
	                  " address_line, postcode, cuisine)"
	                  " SELECT (SELECT id FROM jurisdiction WHERE code = 'nyc'), 'CAP-' || i,"
	                  " 'Capstan Tavern ' || i, i || ' Cap St', 'CP' || i, 'Capstan'"
	                  " FROM generate_series(1, 1001) i");
	assert_int_equal(total_of("q=capstan%20tavrn", &lower, &more), 1000);
	assert_true(lower);
	assert_true(more);
	assert_int_equal(total_of("cuisine=capstan&sort=name", &lower, &more), 1000);
	assert_true(lower);
	/* Narrowed down again: exact. */
	assert_int_equal(total_of("q=capstan&postcode=CP100", &lower, &more), 3);
	assert_false(lower);
	itest_sql(db_url, "DELETE FROM establishment WHERE licence_number = 'CAP-1001'");
	assert_int_equal(total_of("q=capstan&limit=5", &lower, &more), 1000);
	assert_false(lower);
	assert_true(more);
	itest_sql(db_url, "DELETE FROM establishment WHERE licence_number LIKE 'CAP-%'");
}

static void test_dictionary_current(void **state)
{
	(void)state;
	NEED_DB();
	long long id = create_establishment("P-9", "Quokka Canteen", "1 Zoo Rd", "10009", "Thai",
	                                    BASE_LAT, BASE_LON + 0.05);
	char path[128], want[32];
	snprintf(want, sizeof(want), "%lld", id);
	expect_ids("q=qokka", want);
	/* Renamed: the new name is found misspelt too. */
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", id);
	long st;
	json_t *v = call(&clerk, "PATCH", path, "{\"name\":\"Wombat Canteen\"}", NULL, &st);
	assert_int_equal(st, 200);
	json_decref(v);
	expect_ids("q=wombatt", want);
	/* Two letters changed: no trigram in common but "  w", so only the edit distance finds
	 * it, through the new word's deletions (sql/0018_name_word_deletions_array.sql). */
	expect_ids("q=wambot", want);
	expect_ids("q=quokka", "");
	/* The refresh drops the words no name uses any more. */
	struct buf out = BUF_INIT;
	assert_int_equal(itest_shell(&out,
	                             "psql -XAtc \"SELECT name_words_refresh(); SELECT count(*) "
	                             "FROM name_word WHERE word = 'quokka'\" '%s'",
	                             db_url),
	                 0);
	assert_non_null(strstr(out.data, "\n0"));
	buf_release(&out);
	/* And its deletions went with it: no dictionary word is found from them. */
	assert_int_equal(itest_shell(&out,
	                             "psql -XAtc \"SELECT count(*) FROM name_word"
	                             " WHERE deletions && word_deletions('quokka', 2)"
	                             " AND levenshtein(word, 'quokka') <= 2\" '%s'",
	                             db_url),
	                 0);
	assert_string_equal(out.data, "0\n");
	buf_release(&out);
}

/*
 * The whole inspection history, page by page: pages of 3 give every submitted inspection
 * once, newest first, the first 5 as the record lists them; bad cursors and limits are 400,
 * an unknown establishment 404.
 */
static void test_history_pages(void **state)
{
	(void)state;
	NEED_DB();
	long long est = create_establishment("P-H", "History Kitchen", "1 Old St", "10001", "Diner",
	                                     BASE_LAT, BASE_LON + NORTH_1500);
	char key[32], started[32];
	for (int i = 0; i < 8; i++) {
		snprintf(key, sizeof(key), "history-%d-%d", (int)getpid(), i);
		/* Two on one day: the order falls back to the id. */
		snprintf(started, sizeof(started), "2025-%02d-10T10:00:00Z", 1 + i - (i == 7));
		inspect(est, started, "", key);
	}
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", est);
	json_t *record = get_ok(path);
	json_t *latest = json_object_get(record, "inspections");
	assert_int_equal(json_array_size(latest), 5);

	struct buf paged = BUF_INIT;
	long long before = 0;
	int pages = 0;
	do {
		snprintf(path, sizeof(path), "/api/v1/establishments/%lld/inspections?limit=3%s",
		         est, before ? "&before=" : "");
		if (before)
			snprintf(path + strlen(path), sizeof(path) - strlen(path), "%lld", before);
		json_t *v = get_ok(path);
		json_t *item;
		size_t i;
		json_array_foreach(json_object_get(v, "inspections"), i, item)
		{
			buf_addf(&paged, "%lld,",
			         (long long)json_integer_value(json_object_get(item, "id")));
			/* The same summary as the record's. */
			assert_non_null(json_object_get(item, "grade_label"));
			assert_non_null(json_object_get(item, "started_at"));
		}
		json_t *next = json_object_get(v, "next_before");
		before = json_is_integer(next) ? json_integer_value(next) : 0;
		json_decref(v);
		pages++;
	} while (before && pages < 10);
	assert_int_equal(pages, 3);
	char want[256], sql[256];
	snprintf(sql, sizeof(sql),
	         "SELECT string_agg(id::text || ',', '' ORDER BY started_at DESC, id DESC) FROM"
	         " inspection WHERE establishment_id = %lld AND status = 'submitted'",
	         est);
	struct buf out = BUF_INIT;
	assert_int_equal(itest_shell(&out, "psql -XAtc \"%s\" '%s'", sql, db_url), 0);
	snprintf(want, sizeof(want), "%.*s", (int)out.len - 1, out.data);
	buf_release(&out);
	assert_string_equal(paged.data, want);
	/* The record's five are the first five. */
	char first[128] = "";
	json_t *item;
	size_t i;
	json_array_foreach(latest, i, item)
	        snprintf(first + strlen(first), sizeof(first) - strlen(first), "%lld,",
	                 (long long)json_integer_value(json_object_get(item, "id")));
	assert_int_equal(strncmp(paged.data, first, strlen(first)), 0);
	buf_release(&paged);
	json_decref(record);

	/* Refused: a cursor that is not one of its inspections, bad limits; no establishment. */
	long long other = inspect(magnolia, "2025-03-01T09:00:00Z", "", "history-other");
	char of_other[48];
	snprintf(of_other, sizeof(of_other), "before=%lld", other);
	const char *bad[] = { "before=0", "before=x",         "limit=0",
		              "limit=51", "before=999999999", of_other };
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		snprintf(path, sizeof(path), "/api/v1/establishments/%lld/inspections?%s", est,
		         bad[k]);
		long st;
		json_t *v = call(NULL, "GET", path, NULL, NULL, &st);
		if (st != 400 || !json_walk_str(v, "field"))
			fail_msg("%s: %ld", bad[k], st);
		json_decref(v);
	}
	long st;
	json_t *v =
	        call(NULL, "GET", "/api/v1/establishments/999999999/inspections", NULL, NULL, &st);
	assert_int_equal(st, 404);
	json_decref(v);
}

static void test_etag_and_cache(void **state)
{
	(void)state;
	NEED_DB();
	const char *paths[] = { "/api/v1/establishments?q=magnolia", "/api/v1/establishments/1",
		                "/api/v1/schemes/nyc" };
	for (size_t i = 0; i < 3; i++) {
		struct itest_response r;
		itest_get(&server, paths[i], &r);
		assert_int_equal(r.status, 200);
		const char *etag = itest_header(&r, "ETag");
		assert_non_null(etag);
		assert_true(strncmp(etag, "W/\"", 3) == 0);
		char tag[128], inm[160];
		snprintf(tag, sizeof(tag), "%s", etag);
		assert_non_null(strstr(itest_header(&r, "Cache-Control"), "public"));
		assert_int_equal(strchr(itest_header(&r, "Cache-Control"), ',') ==
		                         strrchr(itest_header(&r, "Cache-Control"), ','),
		                 1); /* one directive list, not two */
		assert_string_equal(itest_header(&r, "Access-Control-Allow-Origin"), "*");
		itest_response_free(&r);

		snprintf(inm, sizeof(inm), "If-None-Match: %s", tag);
		const char *h[] = { inm, NULL };
		itest_request(&server, "GET", paths[i], h, NULL, 0, &r);
		assert_int_equal(r.status, 304);
		assert_int_equal(r.body.len, 0);
		assert_string_equal(itest_header(&r, "ETag"), tag);
		itest_response_free(&r);

		/* Another tag, or the strong form of ours, in a list: weak comparison. */
		snprintf(inm, sizeof(inm), "If-None-Match: \"nope\", %s", tag + 2);
		itest_request(&server, "GET", paths[i], h, NULL, 0, &r);
		assert_int_equal(r.status, 304);
		itest_response_free(&r);
		const char *h2[] = { "If-None-Match: W/\"0000\"", NULL };
		itest_request(&server, "GET", paths[i], h2, NULL, 0, &r);
		assert_int_equal(r.status, 200);
		itest_response_free(&r);
	}
	/* Errors are not kept by caches. */
	struct itest_response r;
	itest_get(&server, "/api/v1/establishments/999999", &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(itest_header(&r, "Cache-Control"), "no-store");
	itest_response_free(&r);
	/* A change shows at once to a client revalidating. */
	itest_get(&server, "/api/v1/establishments?q=harbor", &r);
	char inm[160];
	snprintf(inm, sizeof(inm), "If-None-Match: %s", itest_header(&r, "ETag"));
	itest_response_free(&r);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", harbor);
	long st;
	json_t *v = call(&clerk, "PATCH", path, "{\"cuisine\":\"Seafood\"}", NULL, &st);
	assert_int_equal(st, 200);
	json_decref(v);
	const char *h[] = { inm, NULL };
	itest_request(&server, "GET", "/api/v1/establishments?q=harbor", h, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.data, "Seafood"));
	itest_response_free(&r);
}

static size_t collect(char *data, size_t size, size_t n, void *userdata)
{
	buf_add(userdata, data, size * n);
	return size * n;
}

/* GET @path with libcurl decoding gzip; the body, and the headers in @headers. */
static long get_gzip(const char *path, const char *accept, struct buf *body, struct buf *headers)
{
	CURL *c = curl_easy_init();
	char url[512];
	snprintf(url, sizeof(url), "%s%s", server.base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, accept);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, headers);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	long status;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_off_t downloaded;
	curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &downloaded);
	curl_easy_cleanup(c);
	return status;
}

static void test_gzip(void **state)
{
	(void)state;
	NEED_DB();
	const char *paths[] = { "/api/v1/establishments?sort=name&limit=50", "/api/v1/schemes/nyc",
		                "/", "/style.css", "/api/v1/openapi.json" };
	for (size_t i = 0; i < 5; i++) {
		struct buf plain = BUF_INIT, ph = BUF_INIT, zipped = BUF_INIT, zh = BUF_INIT;
		assert_int_equal(get_gzip(paths[i], "gzip", &zipped, &zh), 200);
		assert_int_equal(get_gzip(paths[i], NULL, &plain, &ph), 200);
		if (!strcasestr(zh.data, "\ncontent-encoding: gzip"))
			fail_msg("%s: not gzipped: %s", paths[i], zh.data);
		assert_null(strcasestr(ph.data, "content-encoding"));
		assert_non_null(strcasestr(zh.data, "\nvary: accept-encoding"));
		/* libcurl decoded it: the same bytes as the identity form. */
		assert_int_equal(zipped.len, plain.len);
		assert_memory_equal(zipped.data, plain.data, plain.len);
		buf_release(&plain);
		buf_release(&ph);
		buf_release(&zipped);
		buf_release(&zh);
	}
	/* q=0 refuses gzip. */
	const char *h[] = { "Accept-Encoding: gzip;q=0, identity", NULL };
	struct itest_response r;
	itest_request(&server, "GET", "/api/v1/schemes/nyc", h, NULL, 0, &r);
	assert_null(itest_header(&r, "Content-Encoding"));
	itest_response_free(&r);
	const char *h2[] = { "Accept-Encoding: br, GZip;q=0.5", NULL };
	itest_request(&server, "GET", "/api/v1/schemes/nyc", h2, NULL, 0, &r);
	assert_string_equal(itest_header(&r, "Content-Encoding"), "gzip");
	/* Raw gzip magic. */
	assert_true(r.body.len > 2 && (unsigned char)r.body.data[0] == 0x1f &&
	            (unsigned char)r.body.data[1] == 0x8b);
	itest_response_free(&r);
}

static void test_bad_parameters(void **state)
{
	(void)state;
	NEED_DB();
	char longq[300], path[400];
	const struct {
		const char *query;
		const char *field;
	} cases[] = {
		{ "limit=0", "limit" },
		{ "limit=101", "limit" },
		{ "limit=ten", "limit" },
		{ "lat=91&lon=0", "lat" },
		{ "lat=40.7", "lon" },
		{ "lon=-73.9", "lat" },
		{ "lat=40.7&lon=abc", "lon" },
		{ "lat=40.7&lon=1e999", "lon" },
		{ "lat=40.7&lon=-73.9&radius=50001", "radius" },
		{ "lat=40.7&lon=-73.9&radius=0", "radius" },
		{ "radius=500", "radius" },
		{ "sort=price", "sort" },
		{ "sort=relevance", "sort" },
		{ "sort=distance", "sort" },
		{ "cursor=%21%21%21", "cursor" },
		{ "cursor=bjF8", "cursor" },
		{ "grade=A;B", "grade" },
		{ "grade=A,,B", "grade" },
		{ "grade=A,B,C,D,E,F,G,H,I,J,K", "grade" },
		{ "postcode=10%25", "postcode" },
		{ "q=%01abc", "q" },
		{ "q=caf%FF", "q" },
		{ "q=%21%21%21", "q" },
		{ "address=x%0Ay", "address" },
		{ "licence=L%0A1", "licence" },
		{ "licence=LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL",
		  "licence" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1/establishments?%s", cases[i].query);
		struct itest_response r;
		itest_get(&server, path, &r);
		if (r.status != 400)
			fail_msg("%s: %ld %s", cases[i].query, r.status, r.body.data);
		assert_string_equal(itest_header(&r, "Content-Type"), "application/problem+json");
		json_t *v = json_loads(r.body.data, 0, NULL);
		const char *field = json_string_value(json_object_get(v, "field"));
		if (!field || strcmp(field, cases[i].field) != 0)
			fail_msg("%s: field %s, want %s", cases[i].query, field ? field : "(none)",
			         cases[i].field);
		json_decref(v);
		itest_response_free(&r);
	}
	/* A cursor from one sort is refused by another. */
	json_t *v = get_ok("/api/v1/establishments?sort=name&limit=2");
	snprintf(path, sizeof(path), "/api/v1/establishments?q=paging&cursor=%s",
	         json_string_value(json_object_get(v, "next_cursor")));
	json_decref(v);
	long st;
	v = call(NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 400);
	assert_string_equal(json_string_value(json_object_get(v, "field")), "cursor");
	json_decref(v);

	/* Limits: at the limit is fine, one past is a 400. */
	memset(longq, 'a', 100);
	longq[100] = '\0';
	snprintf(path, sizeof(path), "/api/v1/establishments?q=%s", longq);
	v = get_ok(path);
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/establishments?q=%sa", longq);
	v = call(NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 400);
	assert_string_equal(json_string_value(json_object_get(v, "field")), "q");
	json_decref(v);
	memset(longq, 'b', 101);
	longq[101] = '\0';
	snprintf(path, sizeof(path), "/api/v1/establishments?address=%s", longq);
	v = call(NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 400);
	assert_string_equal(json_string_value(json_object_get(v, "field")), "address");
	json_decref(v);
	v = get_ok("/api/v1/establishments?limit=100");
	assert_int_equal(json_array_size(json_object_get(v, "items")), 60);
	json_decref(v);
	/* Many words: only the first eight count, and it still answers. */
	v = get_ok("/api/v1/establishments?q=a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k%20l");
	json_decref(v);
}

static void test_cards(void **state)
{
	(void)state;
	NEED_DB();
	long long first = inspect(magnolia, "2026-01-10T10:00:00Z",
	                          "{\"code\":\"04L\",\"points\":5}", "card-1");
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", first);
	json_t *v = get_ok(path);
	char code[64];
	snprintf(code, sizeof(code), "%s", json_string_value(json_object_get(v, "public_code")));
	json_decref(v);

	snprintf(path, sizeof(path), "/api/v1/cards/%s", code);
	v = get_ok(path);
	assert_true(json_is_true(json_object_get(v, "current")));
	assert_int_equal(json_integer_value(json_object_get(v, "establishment_id")), magnolia);
	assert_string_equal(json_string_value(json_object_get(json_object_get(v, "grade"), "code")),
	                    "A");
	json_decref(v);

	/* The card's QR code links to the establishment's page with this card's code. */
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld/qr.svg", magnolia);
	struct itest_response r;
	itest_get(&server, path, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(itest_header(&r, "Content-Type"), "image/svg+xml");
	char want[256];
	snprintf(want, sizeof(want),
	         "https://inspections.example.gov/establishment.html?id=%lld&amp;card=%s", magnolia,
	         code);
	if (!strstr(r.body.data, want))
		fail_msg("no %s in %.300s", want, r.body.data);
	assert_non_null(strstr(r.body.data, "<path"));
	assert_null(strstr(r.body.data, "lang="));
	itest_response_free(&r);

	/* A card printed in a language opens the record in it: ?lang= of a known language goes
	 * into the address (as the catalogues spell it); any other is left out. */
	const char *langs[][2] = { { "zh-CN", "zh-CN" },
		                   { "zh-cn", "zh-CN" },
		                   { "en", "en" },
		                   { "fr", NULL },
		                   { "zh-CN%26x%3D1", NULL } };
	for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1/establishments/%lld/qr.svg?lang=%s", magnolia,
		         langs[i][0]);
		itest_get(&server, path, &r);
		assert_int_equal(r.status, 200);
		if (langs[i][1]) {
			char with[64];
			snprintf(with, sizeof(with), "&amp;lang=%s</title>", langs[i][1]);
			if (!strstr(r.body.data, want) || !strstr(r.body.data, with))
				fail_msg("no %s in %.400s", with, r.body.data);
		} else {
			if (!strstr(r.body.data, want) || strstr(r.body.data, "lang="))
				fail_msg("%s: %.400s", langs[i][0], r.body.data);
		}
		itest_response_free(&r);
	}

	/* A later inspection supersedes the card. */
	long long second = inspect(magnolia, "2026-03-10T10:00:00Z",
	                           "{\"code\":\"10F\",\"points\":2}", "card-2");
	snprintf(path, sizeof(path), "/api/v1/cards/%s", code);
	v = get_ok(path);
	assert_false(json_is_true(json_object_get(v, "current")));
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(v, "posted"), "inspection_id")),
	        second);
	json_decref(v);
	/* Lower case is the same code; an unknown one is 404. */
	for (char *c = code; *c; c++)
		*c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
	snprintf(path, sizeof(path), "/api/v1/cards/%s", code);
	v = get_ok(path);
	json_decref(v);
	long st;
	v = call(NULL, "GET", "/api/v1/cards/NOSUCHCODE", NULL, NULL, &st);
	assert_int_equal(st, 404);
	json_decref(v);
	v = call(NULL, "GET", "/api/v1/establishments/999999/qr.svg", NULL, NULL, &st);
	assert_int_equal(st, 404);
	json_decref(v);
}

/* A timestamp @days days ago. */
static const char *days_ago(int days, char out[32])
{
	time_t t = time(NULL) - (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

/* The code of the grade item 0 of search @query shows, or NULL with no item. */
static const char *first_grade(json_t *v)
{
	json_t *item = json_array_get(json_object_get(v, "items"), 0);
	return json_string_value(json_object_get(json_object_get(item, "grade"), "code"));
}

/* The grade filter matches the grade the public sees (public_grade()), not the posted one:
 * "Grade Pending" during an NYC appeal, the previous rating while FHRS withholds a new one. */
static void test_grade_filter_public(void **state)
{
	(void)state;
	NEED_DB();
	char t[32], one[32], sql[400], path[160];
	long st;
	json_t *v =
	        call(&admin, "POST", "/api/v1/jurisdictions",
	             "{\"code\":\"uk\",\"name\":\"Demo Council\",\"scheme\":\"fhrs\"}", NULL, &st);
	assert_int_equal(st, 201);
	json_decref(v);

	/* NYC: graded B on re-inspection, then appealed. */
	long long noodle = create_establishment("P-20", "Pendleton Noodle Bar", "7 Mott St",
	                                        "10013", "Chinese", BASE_LAT, BASE_LON);
	inspect_type(noodle, "initial", days_ago(20, t),
	             "{\"code\":\"04L\",\"points\":10},{\"code\":\"02B\",\"points\":10}",
	             "grade-filter-1");
	long long re = inspect_type(noodle, "reinspection", days_ago(10, t),
	                            "{\"code\":\"04L\",\"points\":12},{\"code\":\"08A\","
	                            "\"points\":4}",
	                            "grade-filter-2");
	snprintf(one, sizeof(one), "%lld", noodle);
	expect_ids("q=pendleton&grade=B", one);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO appeal (inspection_id, establishment_id, grounds, decision_due)"
	         " VALUES (%lld, %lld, 'Cleaned before the visit', now() + interval '21 days')",
	         re, noodle);
	itest_sql(db_url, sql);
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", noodle);
	v = get_ok(path);
	assert_string_equal(json_string_value(json_object_get(json_object_get(v, "grade"), "code")),
	                    "Z");
	json_decref(v);
	expect_ids("q=pendleton&grade=B", "");
	expect_ids("q=pendleton&grade=A,B,C", "");
	expect_ids("q=pendleton&grade=Z", one);
	v = get_ok("/api/v1/establishments?q=pendleton&grade=Z");
	assert_string_equal(first_grade(v), "Z");
	json_decref(v);
	/* Every B found shows B. */
	v = get_ok("/api/v1/establishments?grade=B&limit=100");
	size_t i;
	json_t *item;
	json_array_foreach(json_object_get(v, "items"), i, item)
	{
		assert_int_not_equal(json_integer_value(json_object_get(item, "id")), noodle);
		assert_string_equal(
		        json_string_value(json_object_get(json_object_get(item, "grade"), "code")),
		        "B");
	}
	json_decref(v);

	/* FHRS: rated 5, then a lower rating three days ago, withheld for the appeal window. */
	v = call(&clerk, "POST", "/api/v1/establishments",
	         "{\"jurisdiction\":\"uk\",\"licence_number\":\"P-21\","
	         "\"name\":\"Thistle Tearoom\"}",
	         NULL, &st);
	assert_int_equal(st, 201);
	long long tea = json_integer_value(json_object_get(v, "id"));
	json_decref(v);
	inspect_type(tea, "initial", days_ago(200, t), "", "grade-filter-3");
	inspect_type(tea, "initial", days_ago(3, t),
	             "{\"code\":\"H03\",\"points\":10},{\"code\":\"S02\",\"points\":15}",
	             "grade-filter-4");
	snprintf(sql, sizeof(sql),
	         "SELECT grade_code FROM posted_grade WHERE establishment_id = %lld", tea);
	struct buf out = BUF_INIT;
	assert_int_equal(itest_shell(&out, "psql -XAtc \"%s\" '%s'", sql, db_url), 0);
	char posted[8];
	snprintf(posted, sizeof(posted), "%.1s", out.data);
	buf_release(&out);
	assert_string_not_equal(posted, "5");
	snprintf(one, sizeof(one), "%lld", tea);
	expect_ids("q=thistle&grade=5", one);
	snprintf(path, sizeof(path), "q=thistle&grade=%s", posted);
	expect_ids(path, "");
	v = get_ok("/api/v1/establishments?q=thistle");
	assert_string_equal(first_grade(v), "5");
	json_decref(v);
}

static void test_openapi(void **state)
{
	(void)state;
	NEED_DB();
	json_t *v = get_ok("/api/v1/openapi.json");
	assert_true(strncmp(json_string_value(json_object_get(v, "openapi")), "3.1", 3) == 0);
	assert_non_null(json_object_get(json_object_get(v, "paths"), "/api/v1/establishments"));
	json_decref(v);
}

/* The QR code of @id as served with a "Host: evil.example" header; asserts 200. */
static void qr_with_evil_host(struct itest_server *srv, long long id, struct itest_response *r)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld/qr.svg", id);
	const char *headers[] = { "Host: evil.example", NULL };
	itest_request(srv, "GET", path, headers, NULL, 0, r);
	assert_int_equal(r->status, 200);
	if (strstr(r->body.data, "evil.example"))
		fail_msg("the QR code follows the Host header: %.300s", r->body.data);
}

/* Links (the QR code a card prints, kept by caches) point to the configured address only. */
static void test_qr_ignores_host(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	char want[128];
	qr_with_evil_host(&server, harbor, &r);
	snprintf(want, sizeof(want), "https://inspections.example.gov/establishment.html?id=%lld",
	         harbor);
	if (!strstr(r.body.data, want))
		fail_msg("no %s in %.300s", want, r.body.data);
	itest_response_free(&r);

	/* A development server links to where it listens. */
	const char *env[] = { "PLACARD_PUBLIC_URL=", "PLACARD_DEVELOPMENT=1", NULL };
	struct itest_server dev;
	itest_server_start(&dev, db_url, env);
	qr_with_evil_host(&dev, harbor, &r);
	snprintf(want, sizeof(want), "%s/establishment.html?id=%lld", dev.base, harbor);
	if (!strstr(r.body.data, want))
		fail_msg("no %s in %.300s", want, r.body.data);
	itest_response_free(&r);
	assert_int_equal(itest_server_stop(&dev), 0);
}

/* placard serve with @settings (shell words) and no other PLACARD_ setting but the database:
 * its exit status within 10 s (124 if it was still serving), its output in @out. */
static int serve_briefly(struct buf *out, const char *settings)
{
	buf_truncate(out, 0);
	return itest_shell(
	        out,
	        "env -u PLACARD_PUBLIC_URL -u PLACARD_DEVELOPMENT PLACARD_LISTEN=127.0.0.1:0"
	        " PLACARD_DATABASE_URL='%s' %s timeout 10 '%s' serve 2>&1",
	        db_url, settings, itest_bin());
}

/* Outside development the public address is required, and checked, before serving. */
static void test_public_url_required(void **state)
{
	(void)state;
	NEED_DB();
	struct buf out = BUF_INIT;
	static const char *const refused[] = {
		"",
		"PLACARD_DEVELOPMENT=0",
		"PLACARD_PUBLIC_URL=",
		"PLACARD_PUBLIC_URL=https://inspections.example.gov/establishment.html",
		"PLACARD_PUBLIC_URL=https://inspections.example.gov?x=1",
		"PLACARD_PUBLIC_URL=//inspections.example.gov",
		"PLACARD_PUBLIC_URL=https://user@inspections.example.gov",
		"PLACARD_PUBLIC_URL=https://inspections.example.gov PLACARD_DEVELOPMENT=yes",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		int rc = serve_briefly(&out, refused[i]);
		if (rc == 0 || rc == 124 || !strstr(out.data ? out.data : "", "PLACARD_"))
			fail_msg("with \"%s\": exit %d, said: %s", refused[i], rc,
			         out.data ? out.data : "");
		if (strstr(out.data, "listening"))
			fail_msg("with \"%s\" it listened: %s", refused[i], out.data);
	}
	assert_non_null(strstr(out.data, "PLACARD_DEVELOPMENT"));
	serve_briefly(&out, "");
	assert_non_null(strstr(out.data, "PLACARD_PUBLIC_URL"));
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_relevance_order),
		cmocka_unit_test(test_radius),
		cmocka_unit_test(test_paging),
		cmocka_unit_test(test_bad_parameters),
		cmocka_unit_test(test_history_pages),
		cmocka_unit_test(test_etag_and_cache),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_cards),
		cmocka_unit_test(test_dictionary_current),
		cmocka_unit_test(test_openapi),
		cmocka_unit_test(test_grade_filter_public),
		cmocka_unit_test(test_total_capped),
		cmocka_unit_test(test_qr_ignores_host),
		cmocka_unit_test(test_public_url_required),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
