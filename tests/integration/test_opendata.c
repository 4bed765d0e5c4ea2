/*
 * Open data against a real database: placard import nyc / lives on the fixtures of
 * tests/fixtures/opendata (both NYC header styles; a LIVES set in Windows-1252 with CRLF, a
 * duplicate, an orphan), placard export lives and GET /open-data/lives.zip, and the same on
 * the real files of ../shared/data when they are there (skipped with a message otherwise):
 * SF LIVES imported, exported and imported again into a fresh database; both NYC files,
 * every published grade, score and grade date kept as NYC published it. Every import twice:
 * the second changes nothing. Names registered to run as spreadsheet formulas are exported
 * with a leading apostrophe and imported back exactly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "staff.h"

/* A shell command that writes one member of a ZIP to standard output: UNZIP_P " ZIP MEMBER".
 * Python's zipfile, not unzip, which a minimal system does not have. */
#define UNZIP_P                                                                                    \
	"python3 -c 'import sys, zipfile;"                                                         \
	" sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))'"

static char fixtures[512];
static char shared[512];

static int setup(void **state)
{
	(void)state;
	snprintf(fixtures, sizeof(fixtures), "%s/tests/fixtures/opendata", itest_source_root());
	const char *s = getenv("PLACARD_SHARED_DATA");
	snprintf(shared, sizeof(shared), "%s", s ? s : "");
	return 0;
}

/* Run placard @args against @url; its output in @out (stdout and stderr). */
static int placard(struct buf *out, const char *url, const char *args)
{
	buf_truncate(out, 0);
	return itest_shell(out, "PLACARD_DATABASE_URL='%s' '%s' %s 2>&1", url, itest_bin(), args);
}

/* One value (or rows, '|'-separated, newline-terminated) from @sql on @url; caller frees. */
static char *query(const char *url, const char *sql)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/placard-opendata-%d.sql", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(sql, f);
	fclose(f);
	struct buf out = BUF_INIT;
	int rc = itest_shell(&out, "psql -X -At -v ON_ERROR_STOP=1 -d '%s' -f %s 2>&1", url, path);
	if (rc != 0)
		fail_msg("psql failed: %s\n%s", out.data ? out.data : "", sql);
	unlink(path);
	char *s = buf_detach(&out, NULL);
	size_t n = strlen(s);
	while (n && s[n - 1] == '\n')
		s[--n] = '\0';
	return s;
}

static long long query_int(const char *url, const char *sql)
{
	char *s = query(url, sql);
	long long v = atoll(s);
	free(s);
	return v;
}

/* Everything an import writes to the records, as checksums: equal means nothing changed. */
static char *records_snapshot(const char *url)
{
	return query(
	        url,
	        "SELECT (SELECT md5(coalesce(string_agg(e::text, ',' ORDER BY e.id), ''))"
	        "  FROM establishment e),"
	        " (SELECT md5(coalesce(string_agg(i::text, ',' ORDER BY i.id), ''))"
	        "  FROM inspection i),"
	        " (SELECT md5(coalesce(string_agg(v::text, ',' ORDER BY v.id), ''))"
	        "  FROM violation v),"
	        " (SELECT md5(coalesce(string_agg(p::text, ',' ORDER BY p.establishment_id),"
	        "  '')) FROM posted_grade p),"
	        " (SELECT md5(coalesce(string_agg(s::text, ',' ORDER BY s.scheme_code, s.code),"
	        "  '')) FROM scheme_violation s)");
}

static void import_twice(const char *url, const char *args, struct buf *first)
{
	struct buf out = BUF_INIT;
	int rc = placard(first, url, args);
	if (rc != 0)
		fail_msg("placard %s failed: %s", args, first->data);
	char *before = records_snapshot(url);
	rc = placard(&out, url, args);
	if (rc != 0)
		fail_msg("placard %s (again) failed: %s", args, out.data);
	/* establishments, inspections and violations: "(0 new" each */
	int zero = 0;
	for (const char *p = out.data; (p = strstr(p, "(0 new")); p++)
		zero++;
	if (zero != 3)
		fail_msg("the second import changed something:\n%s", out.data);
	char *after = records_snapshot(url);
	assert_string_equal(before, after);
	free(before);
	free(after);
	buf_release(&out);
}

static void assert_contains(const struct buf *b, const char *s)
{
	if (!b->data || !strstr(b->data, s))
		fail_msg("expected \"%s\" in:\n%s", s, b->data ? b->data : "");
}

/* The establishment record over HTTP of licence @licence in jurisdiction @jur. */
static json_t *establishment_record(struct itest_server *srv, const char *url, const char *jur,
                                    const char *licence)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
	         "SELECT e.id FROM establishment e JOIN jurisdiction j ON j.id = e.jurisdiction_id"
	         " WHERE j.code = '%s' AND e.licence_number = '%s'",
	         jur, licence);
	long long id = query_int(url, sql);
	assert_true(id > 0);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", id);
	struct itest_response r;
	itest_get(srv, path, &r);
	assert_int_equal(r.status, 200);
	json_t *j = json_loads(r.body.data, 0, NULL);
	assert_non_null(j);
	itest_response_free(&r);
	return j;
}

static void test_nyc_fixtures(void **state)
{
	(void)state;
	if (!itest_have_db())
		skip();
	char url[256], args[1024];
	itest_db_create("od_nyc", url, sizeof(url));
	struct buf out = BUF_INIT;

	snprintf(args, sizeof(args), "import nyc %s/nyc-portal.csv", fixtures);
	import_twice(url, args, &out);
	assert_contains(&out, "rows read 7;");
	assert_contains(&out, "establishments 3 (3 new");
	assert_contains(&out, "inspections 3 (3 new");
	assert_contains(&out, "violations 4 (4 new");
	assert_contains(&out, "rows skipped 2");
	assert_contains(&out, "skipped nyc line 7: no establishment name (DBA) in any row of "
	                      "CAMIS 10000004");
	assert_contains(&out, "skipped nyc line 8: 4 fields where the header has 27");
	assert_contains(&out, "flagged grade_does_not_match_score: 1 rows");
	assert_contains(&out, "flagged never_inspected: 1 rows");

	/* The B with score 38 is kept as published, and flagged on the record. */
	char *s = query(url, "SELECT i.score || ' ' || i.grade_code || ' ' || i.scheme_code || ' '"
	                     " || i.source || ' ' || (i.source_record->'flags')::text"
	                     " FROM inspection i JOIN establishment e ON e.id = i.establishment_id"
	                     " WHERE e.licence_number = '10000002' AND i.grade_code = 'B'");
	assert_string_equal(
	        s, "38 B nyc-import nyc [\"not_geocoded\", \"grade_does_not_match_score\"]");
	free(s);
	/* Quotes inside quoted fields; a never-inspected establishment has no inspection. */
	s = query(url, "SELECT name FROM establishment WHERE licence_number = '10000001'");
	assert_string_equal(s, "JOE'S \"FAMOUS\" PIZZA");
	free(s);
	assert_int_equal(query_int(url, "SELECT count(*) FROM inspection i JOIN establishment e"
	                                " ON e.id = i.establishment_id"
	                                " WHERE e.licence_number = '10000003'"),
	                 0);
	/* Imported codes live in the import scheme's catalogue, marked imported. */
	s = query(url, "SELECT category || ' ' || imported FROM scheme_violation"
	               " WHERE scheme_code = 'nyc-import' AND code = '04L'");
	assert_string_equal(s, "priority true");
	free(s);

	/* The API header style, ISO dates; overlaps the portal file by one inspection. */
	snprintf(args, sizeof(args), "import nyc %s/nyc-api.csv", fixtures);
	import_twice(url, args, &out);
	assert_contains(&out, "rows read 7;");
	assert_contains(&out,
	                "inspections 6 (4 new, 2 already imported, 1 amended as republished)");
	assert_contains(&out, "skipped nyc line 7: inspection date \"2025-13-45T00:00:00.000\" is "
	                      "not a date");
	assert_contains(&out, "flagged borough_unknown: 1 rows");
	assert_contains(&out, "flagged score_out_of_range: 2 rows");
	s = query(url, "SELECT string_agg(e.licence_number || ':' || i.score, ',' ORDER BY"
	               " e.licence_number) FROM inspection i JOIN establishment e"
	               " ON e.id = i.establishment_id"
	               " WHERE i.source_record->'flags' ? 'score_out_of_range'");
	assert_string_equal(s, "10000006:214,10000007:-1");
	free(s);
	s = query(url, "SELECT city || '|' || coalesce(latitude::text, 'none') FROM establishment"
	               " WHERE licence_number = '10000006'");
	assert_string_equal(s, "|none");
	free(s);
	assert_int_equal(
	        query_int(url, "SELECT count(*) FROM inspection WHERE closed_establishment"), 1);

	/* The records as the public sees them: NYC's grades and scores as published. */
	struct itest_server srv;
	itest_server_start(&srv, url, NULL);
	/* NYC republished the B with score 38 as a C: the record keeps both, the C amending
	 * the B, and posts the C. */
	json_t *j = establishment_record(&srv, url, "nyc-open-data", "10000002");
	json_t *g = json_object_get(j, "grade");
	assert_string_equal(json_string_value(json_object_get(g, "code")), "C");
	assert_int_equal(json_integer_value(json_object_get(g, "score")), 38);
	json_t *insp = json_object_get(j, "inspections");
	assert_int_equal(json_array_size(insp), 3);
	assert_string_equal(
	        json_string_value(json_object_get(json_array_get(insp, 0), "grade_code")), "C");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(insp, 0), "revision")),
	                 2);
	assert_string_equal(
	        json_string_value(json_object_get(json_array_get(insp, 1), "grade_code")), "B");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(insp, 2), "score")), 40);
	json_decref(j);
	char *reason = query(url, "SELECT amendment_reason FROM inspection WHERE revision = 2");
	assert_string_equal(reason, "Republished by NYC (record date 2026-04-10): score 38 -> 38, "
	                            "grade B -> C");
	free(reason);
	/* Joe's: the later grade, Z (pending), as published in the API file. */
	j = establishment_record(&srv, url, "nyc-open-data", "10000001");
	g = json_object_get(j, "grade");
	assert_string_equal(json_string_value(json_object_get(g, "code")), "Z");
	assert_string_equal(json_string_value(json_object_get(g, "state")), "pending");
	assert_int_equal(json_integer_value(json_object_get(g, "score")), 20);
	json_decref(j);
	j = establishment_record(&srv, url, "nyc-open-data", "10000003");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "grade"), "code")),
	                    "N");
	json_decref(j);
	/* Imported names are found misspelt: the import kept the search dictionary current. */
	struct itest_response r;
	itest_get(&srv, "/api/v1/establishments?q=famuos%20piza", &r);
	assert_int_equal(r.status, 200);
	if (!strstr(r.body.data, "JOE'S"))
		fail_msg("a misspelt imported name was not found: %s", r.body.data);
	itest_response_free(&r);
	assert_int_equal(itest_server_stop(&srv), 0);

	/* One log event per import, with the counts. */
	assert_int_equal(query_int(url, "SELECT (SELECT count(*) FROM event_pending WHERE kind ="
	                                " 'opendata.imported') + (SELECT count(*) FROM event_log"
	                                " WHERE kind = 'opendata.imported')"),
	                 4);

	/* A newer file renames an establishment: its new words are found misspelt, and the
	 * word no name uses any more leaves the dictionary (its deletions are in its row). */
	char path[128];
	snprintf(path, sizeof(path), "/tmp/placard-opendata-rename-%d.csv", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("CAMIS,DBA,BORO,BUILDING,STREET,ZIPCODE,PHONE,CUISINE DESCRIPTION,INSPECTION DATE,"
	      "ACTION,VIOLATION CODE,VIOLATION DESCRIPTION,CRITICAL FLAG,SCORE,GRADE,GRADE DATE,"
	      "RECORD DATE,INSPECTION TYPE,Latitude,Longitude\n"
	      "10000003,NEVER SEEN BISTRO,Queens,1,MAIN STREET,11354,7180000001,,01/01/1900,,,,"
	      "Not Applicable,,,,10/10/2026,,40.75,-73.83\n",
	      f);
	fclose(f);
	snprintf(args, sizeof(args), "import nyc %s", path);
	import_twice(url, args, &out);
	unlink(path);
	assert_contains(&out, "establishments 1 (0 new, 1 updated)");
	assert_int_equal(query_int(url,
	                           "SELECT count(*) FROM establishment"
	                           " WHERE to_tsvector('simple', name) @@ name_query('bistor')"),
	                 1);
	assert_int_equal(query_int(url, "SELECT count(*) FROM name_word WHERE word = 'cafe'"), 0);
	buf_release(&out);
}

/* How many citations of inspections imported from @source name a code that the catalogue of
 * scheme @scheme (the version in force today, the one the import checks them against)
 * lacks. Imported inspections are kept under their source's import scheme as published, not
 * graded; the scheme whose catalogue they cite is the jurisdiction's own. */
#define UNCATALOGUED(source, scheme)                                                               \
	"SELECT count(*) FROM violation v JOIN inspection i ON i.id = v.inspection_id"             \
	" WHERE i.source = '" source "' AND v.scheme_code = i.scheme_code"                         \
	" AND NOT EXISTS (SELECT 1 FROM scheme_version sv,"                                        \
	" jsonb_array_elements(sv.document -> 'violations') x"                                     \
	" WHERE sv.scheme_code = '" scheme "'"                                                     \
	" AND sv.version = scheme_version_at('" scheme "', current_date)"                          \
	" AND x ->> 'code' = v.code)"

/* A code the catalogue lacks is never cited, nor added to the import scheme's catalogue: an
 * NYC row citing one is imported without the citation and flagged; a LIVES violation row
 * citing one is skipped with the reason. A LIVES feed imported without a catalogue keeps its
 * own codes. */
static void test_codes_outside_the_catalogue(void **state)
{
	(void)state;
	if (!itest_have_db())
		skip();
	char url[256], args[1024], dir[128];
	struct buf out = BUF_INIT;
	itest_db_create("od_catalogue", url, sizeof(url));
	snprintf(dir, sizeof(dir), "/tmp/placard-opendata-catalogue-%d", (int)getpid());
	if (itest_shell(
	            &out,
	            "rm -rf %s && mkdir -p %s/lives && sed 's/\"04L\"/\"99Z\"/' %s/nyc-api.csv"
	            " > %s/nyc-api.csv && cp %s/lives/businesses.csv %s/lives/inspections_plus.csv"
	            " %s/lives/ && sed 's/,103120,/,999999,/' %s/lives/violations_plus.csv"
	            " > %s/lives/violations_plus.csv",
	            dir, dir, fixtures, dir, fixtures, fixtures, dir, fixtures, dir) != 0)
		fail_msg("cannot prepare %s: %s", dir, out.data);

	snprintf(args, sizeof(args), "import nyc %s/nyc-api.csv", dir);
	import_twice(url, args, &out);
	assert_contains(&out, "flagged violation_code_not_in_catalogue: 1 rows");
	assert_int_equal(query_int(url, "SELECT count(*) FROM violation WHERE code = '99Z'"), 0);
	assert_int_equal(query_int(url, "SELECT count(*) FROM scheme_violation WHERE code = '99Z'"),
	                 0);
	/* The row's inspection is there all the same, without the citation. */
	assert_int_equal(query_int(url, "SELECT count(*) FROM inspection i JOIN establishment e"
	                                " ON e.id = i.establishment_id"
	                                " WHERE e.licence_number = '10000002'"
	                                " AND i.started_at::date = '2024-02-01'"),
	                 1);
	assert_int_equal(query_int(url, "SELECT count(*) FROM violation"), 4);
	assert_int_equal(query_int(url, UNCATALOGUED("nyc", "nyc")), 0);

	snprintf(args, sizeof(args), "import lives %s/lives --catalogue sf100", dir);
	import_twice(url, args, &out);
	assert_contains(&out, "skipped violations line 5: violation code 999999 is not in the "
	                      "catalogue of scheme sf100");
	assert_contains(&out, "skipped violations line 6: violation code 999999 is not in the "
	                      "catalogue of scheme sf100");
	assert_int_equal(query_int(url, "SELECT count(*) FROM violation WHERE code = '999999'"), 0);
	assert_int_equal(query_int(url, UNCATALOGUED("lives", "sf100")), 0);

	/* Without a catalogue (a LIVES feed's default): the codes as published. */
	snprintf(args, sizeof(args), "import lives %s/lives --jurisdiction elsewhere", dir);
	import_twice(url, args, &out);
	assert_int_equal(query_int(url, "SELECT count(*) FROM violation WHERE code = '999999'"), 1);
	itest_shell(&out, "rm -rf %s", dir);
	buf_release(&out);
}

static void test_lives_fixtures(void **state)
{
	(void)state;
	if (!itest_have_db())
		skip();
	char url[256], args[1024];
	itest_db_create("od_lives", url, sizeof(url));
	struct buf out = BUF_INIT;
	snprintf(args, sizeof(args), "import lives %s/lives", fixtures);
	import_twice(url, args, &out);
	assert_contains(&out, "rows read 17;");
	assert_contains(&out, "establishments 3 (3 new");
	assert_contains(&out, "inspections 5 (5 new");
	assert_contains(&out, "violations 4 (4 new");
	assert_contains(&out, "rows skipped 5");
	assert_contains(&out, "skipped businesses line 5: business 104 has no name");
	assert_contains(&out, "skipped inspections line 3: duplicate of line 2");
	assert_contains(&out, "skipped inspections line 8: no business 999 in businesses");
	assert_contains(&out, "skipped inspections line 9: date \"2015-13-01\" is not a date");
	assert_contains(&out,
	                "skipped violations line 6: no inspection of business 102 on 20170101");
	/* Windows-1252 decoded; ZIP+4 written with its dash; "NA" is no postcode. */
	char *s =
	        query(url, "SELECT string_agg(name || '|' || postcode, ',' ORDER BY licence_number)"
	                   " FROM establishment");
	assert_string_equal(s, "CAFÉ RENÉ|94110-2019,JOE’S “DINER”|,NO INSPECTIONS|CA");
	free(s);
	/* Violations of a day with two inspections go to the scored (routine) one. */
	s = query(url, "SELECT string_agg(i.score::text || ':' || v.code, ',' ORDER BY v.id)"
	               " FROM violation v JOIN inspection i ON i.id = v.inspection_id"
	               " JOIN establishment e ON e.id = i.establishment_id"
	               " WHERE e.licence_number = '101'");
	assert_string_equal(s, "94:103144,94:103154,88:103144");
	free(s);
	s = query(url, "SELECT observed FROM violation WHERE code = '103154'");
	assert_string_equal(s, "Unclean or degraded floors walls or ceilings – café");
	free(s);
	/* The posted score is the latest scored inspection's. */
	s = query(url, "SELECT p.state || ' ' || p.score FROM posted_grade p JOIN establishment e"
	               " ON e.id = p.establishment_id WHERE e.licence_number = '102'");
	assert_string_equal(s, "graded 71");
	free(s);
	buf_release(&out);
}

/* Compare what two databases hold, licence numbers aside (an export renumbers them). */
static void assert_same_records(const char *a, const char *b)
{
	static const char *const sql[] = {
		"SELECT count(*) || ' ' || md5(string_agg(x, E'\\n' ORDER BY x)) FROM (SELECT"
		" concat_ws('|', name, address_line, city, postcode, latitude, longitude, phone) x"
		" FROM establishment) t",
		"SELECT count(*) || ' ' || md5(string_agg(x, E'\\n' ORDER BY x)) FROM (SELECT"
		" concat_ws('|', e.name, e.address_line, i.started_at, i.score, i.inspection_type,"
		" i.grade_label, coalesce(i.source_record->>'type', i.source_record->>"
		"'inspection_type')) x"
		" FROM inspection i JOIN establishment e ON e.id = i.establishment_id) t",
		"SELECT count(*) || ' ' || md5(string_agg(x, E'\\n' ORDER BY x)) FROM (SELECT"
		" concat_ws('|', e.name, e.address_line, i.started_at, i.score, v.code, v.observed,"
		" sv.category) x FROM violation v JOIN inspection i ON i.id = v.inspection_id"
		" JOIN establishment e ON e.id = i.establishment_id"
		" JOIN scheme_violation sv ON sv.scheme_code = v.scheme_code AND sv.code = v.code) "
		"t",
		"SELECT count(*) || ' ' || md5(string_agg(x, E'\\n' ORDER BY x)) FROM (SELECT"
		" concat_ws('|', e.name, e.address_line, p.state, p.score) x FROM posted_grade p"
		" JOIN establishment e ON e.id = p.establishment_id) t",
	};
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		char *x = query(a, sql[i]), *y = query(b, sql[i]);
		if (strcmp(x, y) != 0)
			fail_msg("the databases differ: %s against %s for\n%s", x, y, sql[i]);
		free(x);
		free(y);
	}
}

/* Export @url's feed over HTTP (checking its caching headers) and as a command; the two
 * ZIPs' CSV files are the same; the feed's path in @ret_zip. */
static void export_feed(const char *url, char *ret_zip, size_t size)
{
	struct buf out = BUF_INIT;
	snprintf(ret_zip, size, "/tmp/placard-opendata-%d.zip", (int)getpid());
	char args[512];
	snprintf(args, sizeof(args), "export lives %s", ret_zip);
	if (placard(&out, url, args) != 0)
		fail_msg("export failed: %s", out.data);

	/* The server builds the feed in a private folder under TMPDIR, removed when it stops. */
	char tmpdir[] = "/tmp/placard-opendata-tmp-XXXXXX";
	assert_non_null(mkdtemp(tmpdir));
	char tmpenv[64];
	snprintf(tmpenv, sizeof(tmpenv), "TMPDIR=%s", tmpdir);
	const char *const env[] = { tmpenv, NULL };
	struct itest_server srv;
	itest_server_start(&srv, url, env);
	struct itest_response r;
	itest_get(&srv, "/open-data/lives.zip", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(itest_header(&r, "Content-Type"), "application/zip");
	assert_string_equal(itest_header(&r, "Cache-Control"), "public, max-age=300");
	char etag[64];
	snprintf(etag, sizeof(etag), "%s", itest_header(&r, "ETag"));
	assert_true(strncmp(etag, "\"lives-", 7) == 0);
	char http_zip[128];
	snprintf(http_zip, sizeof(http_zip), "%s.http.zip", ret_zip);
	FILE *f = fopen(http_zip, "w");
	fwrite(r.body.data, 1, r.body.len, f);
	fclose(f);
	itest_response_free(&r);
	char inm[96];
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	const char *headers[] = { inm, NULL };
	itest_request(&srv, "GET", "/open-data/lives.zip", headers, NULL, 0, &r);
	assert_int_equal(r.status, 304);
	itest_response_free(&r);
	buf_truncate(&out, 0);
	assert_int_equal(itest_shell(&out, "ls -A '%s' | wc -l", tmpdir), 0);
	assert_int_equal(atoi(out.data), 1); /* the feed's folder */
	assert_int_equal(itest_server_stop(&srv), 0);
	buf_truncate(&out, 0);
	assert_int_equal(itest_shell(&out, "ls -A '%s' | wc -l", tmpdir), 0);
	assert_int_equal(atoi(out.data), 0); /* gone with the server */
	rmdir(tmpdir);

	/* Same five files either way (feed_info's date aside, both written today). */
	buf_truncate(&out, 0);
	assert_int_equal(itest_shell(&out,
	                             "for f in businesses inspections violations feed_info legend;"
	                             " do " UNZIP_P " %s $f.csv > %s.1; " UNZIP_P
	                             " %s $f.csv > %s.2;"
	                             " cmp -s %s.1 %s.2 || echo DIFF $f; done; rm -f %s.1 %s.2",
	                             ret_zip, ret_zip, http_zip, ret_zip, ret_zip, ret_zip, ret_zip,
	                             ret_zip),
	                 0);
	assert_null(strstr(out.data ? out.data : "", "DIFF"));
	unlink(http_zip);
	buf_truncate(&out, 0);
	assert_int_equal(itest_shell(&out, UNZIP_P " %s inspections.csv | head -1", ret_zip), 0);
	assert_string_equal(out.data, "business_id,score,date,description,type,inspection_id\n");

	/* The feed carries the log's head (pending events chained first): the newest entry,
	 * which verify-log accepts as a kept head. */
	buf_truncate(&out, 0);
	assert_int_equal(
	        itest_shell(&out,
	                    UNZIP_P
	                    " %s feed_info.csv | python3 -c 'import csv, sys;"
	                    " r = list(csv.DictReader(sys.stdin));"
	                    " print(len(r), r[0][\"log_seq\"] + \":\" + r[0][\"log_hash\"])'",
	                    ret_zip),
	        0);
	char *head = strchr(out.data, ' ');
	assert_non_null(head);
	assert_int_equal(atoi(out.data), 1);
	head++;
	head[strcspn(head, "\n")] = '\0';
	char want[128];
	char *newest = query(url, "SELECT (SELECT count(*) FROM event_pending) || ' ' || seq"
	                          " || ':' || hash FROM event_log ORDER BY seq DESC LIMIT 1");
	newest[strcspn(newest, "\n")] = '\0';
	snprintf(want, sizeof(want), "%s", newest);
	free(newest);
	assert_true(strncmp(want, "0 ", 2) == 0);
	assert_string_equal(head, want + 2);
	char args2[256];
	snprintf(args2, sizeof(args2), "verify-log --head %s", head);
	struct buf v = BUF_INIT;
	if (placard(&v, url, args2) != 0)
		fail_msg("verify-log --head %s: %s", head, v.data);
	buf_release(&v);
	buf_release(&out);
}

static void test_lives_round_trip_fixtures(void **state)
{
	(void)state;
	if (!itest_have_db())
		skip();
	char a[256], b[256], args[1024], zip[256];
	struct buf out = BUF_INIT;
	itest_db_create("od_rt_a", a, sizeof(a));
	itest_db_create("od_rt_b", b, sizeof(b));
	snprintf(args, sizeof(args), "import lives %s/lives", fixtures);
	assert_int_equal(placard(&out, a, args), 0);
	snprintf(args, sizeof(args), "import nyc %s/nyc-api.csv", fixtures);
	assert_int_equal(placard(&out, a, args), 0);
	export_feed(a, zip, sizeof(zip));
	/* RFC 4180 quoting of quotes inside values, UTF-8 out. */
	buf_truncate(&out, 0);
	assert_int_equal(itest_shell(&out, UNZIP_P " %s businesses.csv", zip), 0);
	assert_contains(&out, ",\"JOE'S \"\"FAMOUS\"\" PIZZA\",");
	assert_contains(&out, ",CAFÉ RENÉ,");
	/* NYC points become 100 - points; the letter is in the description. */
	buf_truncate(&out, 0);
	assert_int_equal(itest_shell(&out, UNZIP_P " %s inspections.csv", zip), 0);
	assert_contains(&out, ",80,20250902,\"Grade Z; 20 points (NYC, lower is better)\","
	                      "Cycle Inspection / Re-inspection,");
	buf_truncate(&out, 0);
	assert_int_equal(itest_shell(&out, UNZIP_P " %s legend.csv", zip), 0);
	assert_contains(&out, "minimum_score,maximum_score,description");
	snprintf(args, sizeof(args), "import lives %s --jurisdiction sf-lives", zip);
	import_twice(b, args, &out);
	assert_contains(&out, "rows skipped 0");
	/* The NYC rows came back as LIVES rows (scores mapped), so compare the SF part only. */
	char *x = query(a, "SELECT count(*) FROM inspection"),
	     *y = query(b, "SELECT count(*) FROM inspection");
	assert_string_equal(x, y);
	free(x);
	free(y);
	x = query(a, "SELECT string_agg(concat_ws('|', e.name, i.started_at, i.score), ',' ORDER BY"
	             " e.name, i.started_at, i.score) FROM inspection i JOIN establishment e"
	             " ON e.id = i.establishment_id WHERE i.source = 'lives'");
	y = query(b, "SELECT string_agg(concat_ws('|', e.name, i.started_at, i.score), ',' ORDER BY"
	             " e.name, i.started_at, i.score) FROM inspection i JOIN establishment e"
	             " ON e.id = i.establishment_id JOIN jurisdiction j ON j.id = e.jurisdiction_id"
	             " WHERE e.city = 'San Francisco'");
	assert_string_equal(x, y);
	free(x);
	free(y);
	unlink(zip);
	buf_release(&out);
}

static bool have_shared(const char *what)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", shared, what);
	if (*shared && access(path, R_OK) == 0)
		return true;
	printf("[  SKIPPED ] %s is absent: the real-data test needs ../shared/data\n", path);
	return false;
}

static void test_sf_real_round_trip(void **state)
{
	(void)state;
	if (!itest_have_db() || !have_shared("sf-lives/businesses.csv"))
		skip();
	char a[256], b[256], args[1024], zip[256];
	struct buf out = BUF_INIT;
	itest_db_create("od_sf_a", a, sizeof(a));
	itest_db_create("od_sf_b", b, sizeof(b));
	snprintf(args, sizeof(args), "import lives %s/sf-lives", shared);
	import_twice(a, args, &out);
	/* 188 duplicate inspection rows, 104 orphan violations: reported, not dropped. */
	assert_contains(&out, "establishments 6359 (6359 new");
	assert_int_equal(query_int(a, "SELECT count(*) FROM import_skipped WHERE import_id = 1"
	                              " AND file = 'inspections' AND reason LIKE '%line%'"),
	                 188);
	assert_int_equal(query_int(a, "SELECT count(*) FROM import_skipped WHERE import_id = 1"
	                              " AND file = 'violations' AND reason LIKE 'no inspection%'"),
	                 104);
	assert_int_equal(query_int(a, "SELECT 25863 - 188 - count(*) FROM inspection"), 0);
	assert_int_equal(query_int(a, "SELECT 37965 - 104 - count(*) FROM violation"), 0);
	export_feed(a, zip, sizeof(zip));
	snprintf(args, sizeof(args), "import lives %s", zip);
	import_twice(b, args, &out);
	assert_contains(&out, "rows skipped 0");
	assert_same_records(a, b);
	unlink(zip);
	buf_release(&out);
}

/* Every code NYC's and San Francisco's published data cite is in the catalogue of their
 * scheme: importing the real files cites every one of them, none flagged or skipped. */
static void test_real_codes_in_catalogues(void **state)
{
	(void)state;
	if (!itest_have_db() || !have_shared("nyc-portal/NYC_Restaurant_Inspection_Results.csv") ||
	    !have_shared("nyc-api/nyc_restaurant_inspections.csv") ||
	    !have_shared("sf-lives/violations_plus.csv"))
		skip();
	char url[256], args[1024];
	struct buf out = BUF_INIT;
	itest_db_create("od_real_codes", url, sizeof(url));
	snprintf(args, sizeof(args),
	         "import nyc %s/nyc-portal/NYC_Restaurant_Inspection_Results.csv", shared);
	import_twice(url, args, &out);
	snprintf(args, sizeof(args), "import nyc %s/nyc-api/nyc_restaurant_inspections.csv",
	         shared);
	import_twice(url, args, &out);
	snprintf(args, sizeof(args), "import lives %s/sf-lives --catalogue sf100", shared);
	import_twice(url, args, &out);
	assert_int_equal(query_int(url, "SELECT count(*) FROM import_flagged"
	                                " WHERE flag = 'violation_code_not_in_catalogue'"),
	                 0);
	assert_int_equal(query_int(url, "SELECT count(*) FROM import_skipped"
	                                " WHERE reason LIKE '%not in the catalogue%'"),
	                 0);
	/* Not vacuous: the citations are there, and every one names a catalogue code. */
	assert_true(query_int(url, "SELECT count(DISTINCT v.code) FROM violation v"
	                           " JOIN inspection i ON i.id = v.inspection_id"
	                           " WHERE i.source = 'nyc'") >= 80);
	assert_true(query_int(url, "SELECT count(DISTINCT v.code) FROM violation v"
	                           " JOIN inspection i ON i.id = v.inspection_id"
	                           " WHERE i.source = 'lives'") >= 60);
	assert_int_equal(query_int(url, UNCATALOGUED("nyc", "nyc")), 0);
	assert_int_equal(query_int(url, UNCATALOGUED("lives", "sf100")), 0);
	/* The import schemes' catalogues hold no code the schemes lack. */
	assert_int_equal(query_int(url, "SELECT count(*) FROM scheme_violation c"
	                                " WHERE c.scheme_code = 'nyc-import' AND NOT EXISTS"
	                                " (SELECT 1 FROM scheme_violation n"
	                                " WHERE n.scheme_code = 'nyc' AND n.code = c.code)"),
	                 0);
	assert_int_equal(query_int(url, "SELECT count(*) FROM scheme_violation c"
	                                " WHERE c.scheme_code = 'lives-import' AND NOT EXISTS"
	                                " (SELECT 1 FROM scheme_violation n"
	                                " WHERE n.scheme_code = 'sf100' AND n.code = c.code)"),
	                 0);
	buf_release(&out);
}

/* The columns of the raw NYC table that \copy fills. */
#define RAW_COLUMNS                                                                                \
	"c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, "   \
	"c20, c21, c22, c23, c24, c25, c26, c27"

/* Added to the grade date NYC published before comparing (a check of the check: "+ 1"). */
#define GRADE_DATE_SHIFT ""

/* One grade an establishment's record may show: as the query in test_nyc_real prints it. */
struct nyc_expected {
	char grade[8], score[16], issued[24], started[24];
};

/* The instant an RFC 3339 time names ("2024-05-13T04:00:00+00:00", "...Z"), or -1. */
static long long rfc3339_epoch(const char *s)
{
	struct tm tm = { 0 };
	int off_h = 0, off_m = 0, used = 0;
	char sign = 'Z';
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	                 &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &used) != 6)
		return -1;
	const char *p = s + used;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p == '+' || *p == '-') {
		sign = *p;
		if (sscanf(p + 1, "%2d:%2d", &off_h, &off_m) != 2)
			return -1;
	} else if (*p != 'Z') {
		return -1;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	long long t = (long long)timegm(&tm), off = off_h * 3600LL + off_m * 60LL;
	return sign == '+' ? t - off : sign == '-' ? t + off : t;
}

/* @epoch as a UTC time, for messages (a static buffer). */
static const char *epoch_date(long long epoch)
{
	static char out[32];
	time_t t = (time_t)epoch;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

static void test_nyc_real(void **state)
{
	(void)state;
	if (!itest_have_db() || !have_shared("nyc-portal/NYC_Restaurant_Inspection_Results.csv") ||
	    !have_shared("nyc-api/nyc_restaurant_inspections.csv"))
		skip();
	char url[256], args[1024];
	struct buf out = BUF_INIT;
	itest_db_create("od_nyc_real", url, sizeof(url));
	snprintf(args, sizeof(args),
	         "import nyc %s/nyc-portal/NYC_Restaurant_Inspection_Results.csv", shared);
	import_twice(url, args, &out);
	snprintf(args, sizeof(args), "import nyc %s/nyc-api/nyc_restaurant_inspections.csv",
	         shared);
	import_twice(url, args, &out);
	assert_contains(&out, "flagged grade_does_not_match_score: 1 rows");
	assert_contains(&out, "flagged borough_unknown: 26 rows");
	assert_contains(&out, "flagged never_inspected: 813 rows");

	/* What NYC published, read by PostgreSQL's own CSV parser (not Placard's); file 1 is
	 * the portal file, imported first, file 2 the API file, n the order within a file. */
	char sql[4096];
	snprintf(sql, sizeof(sql),
	         "CREATE TABLE raw (c1 text, c2 text, c3 text, c4 text, c5 text, c6 text, c7 text,"
	         " c8 text, c9 text, c10 text, c11 text, c12 text, c13 text, c14 text, c15 text,"
	         " c16 text, c17 text, c18 text, c19 text, c20 text, c21 text, c22 text, c23 text,"
	         " c24 text, c25 text, c26 text, c27 text, file int, n bigserial);\n"
	         "\\copy raw (" RAW_COLUMNS ") FROM "
	         "'%s/nyc-portal/NYC_Restaurant_Inspection_Results.csv' WITH (FORMAT csv, HEADER)\n"
	         "UPDATE raw SET file = 1;\n"
	         "\\copy raw (" RAW_COLUMNS ") FROM "
	         "'%s/nyc-api/nyc_restaurant_inspections.csv' WITH (FORMAT csv, HEADER)\n"
	         "UPDATE raw SET file = 2 WHERE file IS NULL;\n"
	         "CREATE TABLE published AS SELECT c1 AS camis,"
	         " CASE WHEN c9 ~ '^[0-9]{2}/' THEN to_date(c9, 'MM/DD/YYYY') ELSE c9::date END AS "
	         "d,"
	         " c18 AS type, nullif(c14, '')::int AS score, coalesce(c15, '') AS grade,"
	         " CASE WHEN c16 ~ '^[0-9]{2}/' THEN to_date(c16, 'MM/DD/YYYY') ELSE c16::date END"
	         " AS grade_date,"
	         " CASE WHEN c17 ~ '^[0-9]{2}/' THEN to_date(c17, 'MM/DD/YYYY') ELSE c17::date END"
	         " AS record_date, file, n FROM raw WHERE coalesce(c2, '') <> '';\n"
	         "DELETE FROM published WHERE d = '1900-01-01';\n"
	         "SELECT 1;\n",
	         shared, shared);
	free(query(url, sql));
	/* Every inspection NYC published is there with its score and grade as published. */
	assert_int_equal(
	        query_int(url,
	                  "SELECT count(*) FROM (SELECT DISTINCT camis, d, type, score,"
	                  " grade FROM published) p WHERE NOT EXISTS (SELECT 1 FROM"
	                  " inspection i JOIN establishment e ON e.id ="
	                  " i.establishment_id WHERE e.licence_number = p.camis"
	                  " AND i.source = 'nyc' AND split_part(i.source_key, ' #',"
	                  " 1) = p.d || '|' || p.type AND i.score IS NOT DISTINCT FROM p.score AND"
	                  " i.grade_code = p.grade)"),
	        0);
	/*
	 * Every establishment's record shows the grade NYC published last, with its score and
	 * its grade date, the way the importer (sql/functions/opendata_nyc_apply.sql) chooses it:
	 * - an inspection (CAMIS, date, type) is one record however many rows repeat it; within
	 *   a file its first row counts; published again with other values it is amended unless
	 *   the newer file's record date is older, so its current values are those of the file
	 *   with the latest record date (the later file on equal record dates);
	 * - of the inspections with a grade, the latest grade date posts (no grade date: the
	 *   inspection date, as the importer's issued_at), then the latest inspection date; left
	 *   tied, the importer takes the inspection it created last, which NYC's files do not
	 *   say: then the record must show one of the tied grades, and they are counted.
	 * Lines: id, grade, score, the grade date and the inspection date as the instants the
	 * jurisdiction's midnight makes them (epoch seconds; "none" without a grade); one line
	 * per distinct tied grade.
	 */
	snprintf(sql, sizeof(sql),
	         "WITH per_file AS (SELECT DISTINCT ON (camis, d, type, file) * FROM published"
	         "  ORDER BY camis, d, type, file, n),"
	         " insp AS (SELECT DISTINCT ON (camis, d, type) * FROM per_file"
	         "  ORDER BY camis, d, type, coalesce(record_date, '-infinity') DESC, file DESC),"
	         " ranked AS (SELECT *, rank() OVER (PARTITION BY camis ORDER BY"
	         "  coalesce(grade_date, d) DESC, d DESC) AS r FROM insp WHERE grade <> '')"
	         " SELECT DISTINCT e.id, coalesce(x.grade, 'N'), coalesce(x.score::text, 'null'),"
	         "  coalesce(extract(epoch FROM (coalesce(x.grade_date, x.d)%s)::timestamp"
	         "   AT TIME ZONE j.timezone)::bigint::text, 'none'),"
	         "  coalesce(extract(epoch FROM x.d::timestamp AT TIME ZONE j.timezone)"
	         "   ::bigint::text, 'none')"
	         " FROM establishment e JOIN jurisdiction j ON j.id = e.jurisdiction_id"
	         " LEFT JOIN ranked x ON x.camis = e.licence_number AND x.r = 1"
	         " ORDER BY 1, 2, 3",
	         GRADE_DATE_SHIFT);
	char *rows = query(url, sql);
	struct itest_server srv;
	itest_server_start(&srv, url, NULL);
	int checked = 0, dated = 0, undated = 0, tied = 0;
	char *save = NULL;
	char *line = strtok_r(rows, "\n", &save);
	while (line) {
		/* One establishment: its first candidate line, and any tied ones after it. */
		struct nyc_expected cand[4];
		int ncand = 0;
		long long id = -1;
		for (; line; line = strtok_r(NULL, "\n", &save)) {
			struct nyc_expected c;
			long long cid;
			if (sscanf(line, "%lld|%7[^|]|%15[^|]|%23[^|]|%23s", &cid, c.grade, c.score,
			           c.issued, c.started) != 5)
				fail_msg("unexpected line \"%s\"", line);
			if (ncand && cid != id)
				break;
			id = cid;
			if (ncand == (int)(sizeof(cand) / sizeof(cand[0])))
				fail_msg("establishment %lld: too many tied grades", id);
			cand[ncand++] = c;
		}
		char path[64];
		snprintf(path, sizeof(path), "/api/v1/establishments/%lld", id);
		struct itest_response r;
		itest_get(&srv, path, &r);
		assert_int_equal(r.status, 200);
		json_t *j = json_loads(r.body.data, 0, NULL);
		assert_non_null(j);
		json_t *g = json_object_get(j, "grade");
		const char *code = json_string_value(json_object_get(g, "code"));
		json_t *sc = json_object_get(g, "score");
		char got_score[16] = "null";
		if (json_is_integer(sc))
			snprintf(got_score, sizeof(got_score), "%lld",
			         (long long)json_integer_value(sc));
		const struct nyc_expected *want = NULL;
		for (int k = 0; k < ncand && !want; k++)
			if (code && strcmp(code, cand[k].grade) == 0 &&
			    (strcmp(cand[k].grade, "N") == 0 ||
			     strcmp(got_score, cand[k].score) == 0))
				want = &cand[k];
		if (!want) {
			if (!code || strcmp(code, cand[0].grade) != 0)
				fail_msg("establishment %lld: grade %s, NYC published %s", id,
				         code ? code : "(none)", cand[0].grade);
			fail_msg("establishment %lld: score %s, NYC published %s", id, got_score,
			         cand[0].score);
		}
		if (ncand > 1)
			tied++;
		if (strcmp(want->issued, "none") == 0) {
			/* No grade published: nothing posted, so no grade date to show. */
			json_t *gi = json_object_get(g, "inspection_id");
			if (gi && !json_is_null(gi))
				fail_msg("establishment %lld: grade %s from inspection %lld, but "
				         "NYC "
				         "published no grade",
				         id, code, (long long)json_integer_value(gi));
			undated++;
		} else {
			const char *issued = json_string_value(json_object_get(g, "issued_at"));
			if (rfc3339_epoch(issued) != atoll(want->issued))
				fail_msg("establishment %lld: grade %s issued_at %s, NYC's grade "
				         "date is "
				         "%s",
				         id, code, issued ? issued : "(none)",
				         epoch_date(atoll(want->issued)));
			/* The inspection it rests on, in the record's history: NYC's inspection
			 * date. */
			json_t *gi = json_object_get(g, "inspection_id");
			json_t *in = json_object_get(j, "inspections"), *it;
			size_t k;
			const char *started = NULL;
			json_array_foreach(in, k, it)
			{
				if (json_equal(json_object_get(it, "id"), gi))
					started = json_string_value(
					        json_object_get(it, "started_at"));
			}
			if (!started)
				fail_msg("establishment %lld: inspection %lld of the grade is not "
				         "in the "
				         "record's inspections",
				         id, (long long)json_integer_value(gi));
			if (rfc3339_epoch(started) != atoll(want->started))
				fail_msg("establishment %lld: the grade's inspection started_at "
				         "%s, NYC's "
				         "inspection date is %s",
				         id, started, epoch_date(atoll(want->started)));
			dated++;
		}
		json_decref(j);
		itest_response_free(&r);
		checked++;
	}
	free(rows);
	assert_int_equal(itest_server_stop(&srv), 0);
	printf("NYC records checked: %d; grade date checked: %d; no grade published: %d; two "
	       "grades on the latest grade and inspection date, either accepted: %d\n",
	       checked, dated, undated, tied);
	assert_true(checked > 4000);
	/* NYC published Z (contested) in 2024 and B (after the hearing) in 2026. */
	char *s = query(url,
	                "SELECT string_agg(i.revision || ':' || i.grade_code, ',' ORDER BY"
	                " i.revision) || ' ' || (SELECT p.grade_code FROM posted_grade p"
	                " WHERE p.establishment_id = e.id) FROM establishment e JOIN inspection i"
	                " ON i.establishment_id = e.id WHERE e.licence_number = '50143599'"
	                " AND i.source_key LIKE '2024-03-26|%' GROUP BY e.id");
	assert_string_equal(s, "1:Z,2:B B");
	free(s);
	buf_release(&out);
}

/*
 * A name registered to be run by a spreadsheet ("=HYPERLINK(...)") is published with a
 * leading apostrophe, so the spreadsheet shows it as text; a negative longitude stays a
 * number; importing the feed gives every name back exactly.
 */
static void test_lives_export_neutralises_formulas(void **state)
{
	(void)state;
	if (!itest_have_db())
		skip();
	static const char *const names[] = {
		"=HYPERLINK(\"http://x\")", "+1-2",        "@SUM(A1)", "-2+3+cmd|' /C calc'!A0",
		"'=already quoted",         "Joe's Diner", "-",
	};
	static const char *const published[] = {
		"\"'=HYPERLINK(\"\"http://x\"\")\"",
		"'+1-2",
		"'@SUM(A1)",
		"'-2+3+cmd|' /C calc'!A0",
		"''=already quoted",
		"Joe's Diner",
		"'-",
	};
	enum { NNAMES = sizeof(names) / sizeof(names[0]) };
	char a[256], b[256], zip[256];
	itest_db_create("od_csv_a", a, sizeof(a));
	itest_db_create("od_csv_b", b, sizeof(b));
	const char pw[] = "formula test password";
	assert_int_equal(staff_add(a, "csv_admin", "admin", pw, "", NULL), 0);
	assert_int_equal(staff_add(a, "csv_clerk", "clerk", pw, "", NULL), 0);
	struct itest_server srv;
	itest_server_start(&srv, a, NULL);
	struct staff_session admin, clerk;
	assert_int_equal(staff_login(&srv, "csv_admin", pw, &admin, NULL), 201);
	assert_int_equal(staff_login(&srv, "csv_clerk", pw, &clerk, NULL), 201);
	struct itest_response r;
	staff_request(&srv, &admin, "POST", "/api/v1/jurisdictions",
	              "{\"code\":\"nyc\",\"name\":\"New York City\",\"scheme\":\"nyc\"}", NULL, &r);
	assert_int_equal(r.status, 201);
	itest_response_free(&r);
	for (size_t i = 0; i < NNAMES; i++) {
		char licence[16];
		snprintf(licence, sizeof(licence), "F-%zu", i);
		json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:f}", "jurisdiction",
		                         "nyc", "licence_number", licence, "name", names[i],
		                         "address_line", "1 Formula St", "postcode", "10001",
		                         "latitude", 40.75, "longitude", -73.95);
		char *text = json_dumps(body, JSON_COMPACT);
		staff_request(&srv, &clerk, "POST", "/api/v1/establishments", text, NULL, &r);
		if (r.status != 201)
			fail_msg("registering \"%s\": %ld %s", names[i], r.status, r.body.data);
		itest_response_free(&r);
		free(text);
		json_decref(body);
	}
	assert_int_equal(itest_server_stop(&srv), 0);

	export_feed(a, zip, sizeof(zip));
	struct buf out = BUF_INIT;
	assert_int_equal(itest_shell(&out, "unzip -p %s businesses.csv", zip), 0);
	for (size_t i = 0; i < NNAMES; i++) {
		char want[128];
		snprintf(want, sizeof(want), ",%s,1 Formula St,", published[i]);
		assert_contains(&out, want);
	}
	assert_contains(&out, ",40.75,-73.95,");
	assert_null(strstr(out.data, ",'-73.95"));
	/* No cell of any file begins with a formula character unless it is a number. */
	buf_truncate(&out, 0);
	assert_int_equal(
	        itest_shell(&out,
	                    "for f in businesses inspections violations feed_info legend; do"
	                    " unzip -p %s $f.csv; done | python3 -c 'import csv, re, sys\n"
	                    "num = re.compile(r\"[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$\")\n"
	                    "bad = [c for row in csv.reader(sys.stdin) for c in row"
	                    " if c[:1] in (\"=\", \"+\", \"-\", \"@\", \"\\t\", \"\\r\")"
	                    " and not num.match(c)]\n"
	                    "print(len(bad), bad[:3])'",
	                    zip),
	        0);
	assert_string_equal(out.data, "0 []\n");

	/* The feed imported again gives the names as they were registered. */
	char args[512];
	snprintf(args, sizeof(args), "import lives %s --jurisdiction nyc-again", zip);
	buf_truncate(&out, 0);
	if (placard(&out, b, args) != 0)
		fail_msg("import failed: %s", out.data);
	const char *sql = "SELECT string_agg(name, E'\\n' ORDER BY name) FROM establishment";
	char *x = query(a, sql), *y = query(b, sql);
	assert_string_equal(x, y);
	assert_non_null(strstr(y, "=HYPERLINK(\"http://x\")"));
	assert_non_null(strstr(y, "'=already quoted"));
	free(x);
	free(y);
	unlink(zip);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nyc_fixtures),
		cmocka_unit_test(test_lives_fixtures),
		cmocka_unit_test(test_lives_round_trip_fixtures),
		cmocka_unit_test(test_lives_export_neutralises_formulas),
		cmocka_unit_test(test_sf_real_round_trip),
		cmocka_unit_test(test_nyc_real),
		cmocka_unit_test(test_codes_outside_the_catalogue),
		cmocka_unit_test(test_real_codes_in_catalogues),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
