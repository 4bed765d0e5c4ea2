/*
 * Nothing personal in the permanent record, end to end against the real server and a real
 * PostgreSQL:
 *  - a marker string sent through every free-text field that a person writes (appeal
 *    grounds, review note, adjournment reason, decision reasons, a dismissal's reason, a late
 *    appeal's note, the operator's reply, the moderated text and its reason, a re-rating
 *    request's improvements, a licence action's reason, inspection notes, what was seen,
 *    an amendment's reason, a device's refused edit) never reaches GET /api/v1/log nor the
 *    LIVES open data (read with libzip, in memory), nor Placard's own feed
 *    (GET /api/v1/opendata/inspections.ndjson);
 *  - a text the public reads can be checked against the log's salted hash, an internal one
 *    is not published;
 *  - placard text erase blanks a text where it lived and the log still verifies;
 *  - placard log redact withholds an old entry that holds free text: verify-log and the
 *    published log agree, and changing a redacted entry's hash, or any other entry, is still
 *    caught.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "core/crypto.h"
#include "domain/eventlog.h"
#include "harness.h"
#include "staff.h"

static struct itest_server server;
static char db_url[256];
static struct staff_session admin, clerk, inspector, hearing;
static const char pw[] = "correct horse battery staple";

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	crypto_init();
	itest_db_create("privacy", db_url, sizeof(db_url));
	const char *who[][2] = { { "ada", "admin" },
		                 { "clem", "clerk" },
		                 { "ines", "inspector" },
		                 { "hal", "hearing_officer" } };
	for (size_t i = 0; i < 4; i++)
		if (staff_add(db_url, who[i][0], who[i][1], pw, "", NULL) != 0)
			fail_msg("cannot add %s", who[i][0]);
	itest_server_start(&server, db_url, NULL);
	struct staff_session *s[] = { &admin, &clerk, &inspector, &hearing };
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(staff_login(&server, who[i][0], pw, s[i], NULL), 201);
	const char *j[] = { "{\"code\":\"nyc\",\"name\":\"New York City\",\"scheme\":\"nyc\"}",
		            "{\"code\":\"uk\",\"name\":\"Demo Council\",\"scheme\":\"fhrs\"}" };
	for (size_t i = 0; i < 2; i++) {
		struct itest_response r;
		staff_request(&server, &admin, "POST", "/api/v1/jurisdictions", j[i], NULL, &r);
		assert_int_equal(r.status, 201);
		itest_response_free(&r);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (server.pid)
		assert_int_equal(itest_server_stop(&server), 0);
	return 0;
}

#define NEED_DB()                                                                                  \
	do {                                                                                       \
		if (!server.pid)                                                                   \
			skip();                                                                    \
	} while (0)

/* The free-text fields, each with its own marker: "PRIVMARK-<field>-<pid>". */
enum field {
	F_NOTES,
	F_OBSERVED,
	F_AMENDMENT,
	F_CONFLICT,
	F_GROUNDS,
	F_REVIEW,
	F_ADJOURN,
	F_REASONS,
	F_DISMISSAL,
	F_LATE,
	F_REPLY,
	F_MODERATED_TEXT,
	F_MODERATION,
	F_IMPROVEMENTS,
	F_LICENCE,
	F_REISSUE,
	F_ATTACHMENT,
	F_COUNT
};
static const char *const field_names[F_COUNT] = {
	"notes",      "observed",     "amendment", "conflict", "grounds",    "review",
	"adjourn",    "reasons",      "dismissal", "late",     "reply",      "moderatedtext",
	"moderation", "improvements", "licence",   "reissue",  "attachment",
};
static char markers[F_COUNT][64];

static const char *marker(enum field f)
{
	if (!markers[f][0])
		snprintf(markers[f], sizeof(markers[f]), "PRIVMARK-%s-%d", field_names[f],
		         (int)getpid());
	return markers[f];
}

static long long new_establishment(const char *jurisdiction, const char *licence)
{
	return staff_establishment(&server, &clerk, jurisdiction, licence);
}

struct report {
	long long id;
	char code[16];
	long long violation_ids[8];
};

/* Submit an inspection @days_ago days ago with @extra members ("" for none). */
static struct report inspect(long long est, int days_ago, const char *violations, const char *extra)
{
	static int key;
	char started[32], ended[32], body[2000], hdr[64];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"ended_at\":\"%s\",\"violations\":[%s],\"submit\":true%s%s}",
	         est, staff_ago(days_ago, 9, started), staff_ago(days_ago, 11, ended), violations,
	         *extra ? "," : "", extra);
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: privacy-%d-%d", (int)getpid(), ++key);
	long st;
	json_t *v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body, hdr, &st);
	if (st != 201)
		fail_msg("inspection: %ld %s", st, json_dumps(v, 0));
	struct report r = { .id = json_walk_int(v, "id") };
	snprintf(r.code, sizeof(r.code), "%s", json_walk_str(v, "appeal_code"));
	json_t *vs = json_object_get(v, "violations");
	for (size_t i = 0; i < json_array_size(vs) && i < 8; i++)
		r.violation_ids[i] =
		        json_integer_value(json_object_get(json_array_get(vs, i), "id"));
	json_decref(v);
	return r;
}

static json_t *operator(const char *path, const char *licence, const char *code, const char *more,
                        long *status)
{
	char body[2000];
	snprintf(body, sizeof(body), "{\"licence_number\":\"%s\",\"appeal_code\":\"%s\"%s%s}",
	         licence, code, *more ? "," : "", more);
	return staff_call(&server, NULL, "POST", path, body, NULL, status);
}

/* POST @body to @path as @as, asserting @want; the answer (caller decrefs). */
static json_t *post(const struct staff_session *as, const char *path, const char *body, long want)
{
	long st;
	json_t *v = staff_call(&server, as, "POST", path, body, NULL, &st);
	if (st != want)
		fail_msg("POST %s: %ld, not %ld: %s", path, st, want, json_dumps(v, 0));
	return v;
}

static void appeal_step(long long id, const char *what, const char *body)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/%s", id, what);
	json_decref(post(&hearing, path, body, 200));
}

/* Wait until the sealer has sealed everything pending. */
static void wait_sealed(void)
{
	for (int i = 0; i < 100; i++) {
		if (itest_sql_count(db_url, "SELECT count(*) FROM event_pending") == 0)
			return;
		usleep(50 * 1000);
	}
	fail_msg("events stayed pending");
}

/* The whole published log, every page, as one text. */
static void published_log(struct buf *out)
{
	long long after = 0;
	for (;;) {
		char path[96];
		snprintf(path, sizeof(path), "/api/v1/log?after=%lld&limit=1000", after);
		struct itest_response r;
		itest_get(&server, path, &r);
		assert_int_equal(r.status, 200);
		buf_add(out, r.body.data, r.body.len);
		json_t *v = json_loads(r.body.data, 0, NULL);
		itest_response_free(&r);
		json_t *next = json_object_get(v, "next_after");
		bool more = json_is_integer(next);
		if (more)
			after = json_integer_value(next);
		json_decref(v);
		if (!more)
			break;
	}
}

/* Every file of the LIVES open-data ZIP, unpacked in memory and joined. */
static void open_data(struct buf *out)
{
	struct itest_response r;
	itest_get(&server, "/open-data/lives.zip", &r);
	assert_int_equal(r.status, 200);
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(r.body.data, r.body.len, 0, &ze);
	assert_non_null(src);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	zip_int64_t n = zip_get_num_entries(z, 0);
	assert_true(n >= 5);
	for (zip_int64_t i = 0; i < n; i++) {
		zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
		assert_non_null(f);
		char chunk[8192];
		zip_int64_t got;
		while ((got = zip_fread(f, chunk, sizeof(chunk))) > 0)
			buf_add(out, chunk, (size_t)got);
		assert_true(got == 0);
		zip_fclose(f);
	}
	zip_close(z);
	itest_response_free(&r);
}

static long long decided_appeal;

static void test_marker_never_reaches_log_or_open_data(void **state)
{
	(void)state;
	NEED_DB();
	char more[600], path[128];
	long st;
	json_t *v;

	/* An inspection with notes and what was seen, then amended with a reason. */
	long long e1 = new_establishment("nyc", "P-1");
	char extra[300];
	snprintf(extra, sizeof(extra), "\"notes\":\"%s\"", marker(F_NOTES));
	char viol[300];
	snprintf(viol, sizeof(viol), "{\"code\":\"04L\",\"points\":10,\"observed\":\"%s\"}",
	         marker(F_OBSERVED));
	struct report a = inspect(e1, 5, viol, extra);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/amendments", a.id);
	snprintf(more, sizeof(more),
	         "{\"type\":\"initial\",\"violations\":[%s],\"notes\":\"%s\",\"reason\":\"%s\"}",
	         viol, marker(F_NOTES), marker(F_AMENDMENT));
	json_decref(post(&inspector, path, more, 201));

	/* A device's refused edit of a draft is kept as a conflict. */
	char started[32], body[600];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"violations\":[],\"submit\":false}",
	         e1, staff_ago(0, 8, started));
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
	               "Idempotency-Key: privacy-draft", &st);
	assert_int_equal(st, 201);
	long long draft = json_walk_int(v, "id");
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/staff/inspections/%lld", draft);
	struct itest_response r;
	staff_request(&server, &inspector, "GET", path, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	char ifm[64];
	snprintf(ifm, sizeof(ifm), "If-Match: %s", itest_header(&r, "ETag"));
	itest_response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", draft);
	v = staff_call(&server, &inspector, "PATCH", path, "{\"type\":\"initial\"}", ifm, &st);
	assert_int_equal(st, 200);
	json_decref(v);
	snprintf(body, sizeof(body), "{\"type\":\"initial\",\"notes\":\"%s\"}", marker(F_CONFLICT));
	v = staff_call(&server, &inspector, "PATCH", path, body, ifm, &st);
	assert_int_equal(st, 412);
	json_decref(v);

	/* A licence action with a reason. */
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld/licence-actions", e1);
	snprintf(body, sizeof(body), "{\"action\":\"suspended\",\"reason\":\"%s\"}",
	         marker(F_LICENCE));
	json_decref(post(&clerk, path, body, 201));

	/* An appeal with grounds: under review with a note, a hearing adjourned with a reason,
	 * modified with reasons and a dismissal's reason. */
	long long e2 = new_establishment("uk", "P-2");
	inspect(e2, 200, "", "");
	snprintf(viol, sizeof(viol),
	         "{\"code\":\"H03\",\"points\":10,\"observed\":\"%s\"},{\"code\":\"S02\","
	         "\"points\":15}",
	         marker(F_OBSERVED));
	struct report b = inspect(e2, 3, viol, "");
	snprintf(more, sizeof(more), "\"grounds\":\"%s\"", marker(F_GROUNDS));
	v = operator("/api/v1/operator/appeals", "P-2", b.code, more, &st);
	assert_int_equal(st, 201);
	long long appeal = json_walk_int(v, "appeal.id");
	json_decref(v);
	/* An attachment's file name (a PDF: "%PDF-1.4" in base64). */
	snprintf(more, sizeof(more), "\"filename\":\"%s.pdf\",\"data\":[\"JVBERi0xLjQK\"]",
	         marker(F_ATTACHMENT));
	v = operator("/api/v1/operator/appeals/attachments", "P-2", b.code, more, &st);
	assert_int_equal(st, 201);
	json_decref(v);
	snprintf(body, sizeof(body), "{\"action\":\"accept\",\"note\":\"%s\"}", marker(F_REVIEW));
	appeal_step(appeal, "review", body);
	char at[32];
	snprintf(body, sizeof(body), "{\"hearing_at\":\"%s\"}", staff_ago(-3, 10, at));
	appeal_step(appeal, "hearing", body);
	snprintf(body, sizeof(body), "{\"hearing_at\":\"%s\",\"reason\":\"%s\"}",
	         staff_ago(-10, 10, at), marker(F_ADJOURN));
	appeal_step(appeal, "adjournments", body);
	snprintf(body, sizeof(body),
	         "{\"outcome\":\"modified\",\"reasons\":\"%s\",\"dismissed\":[{\"violation_id\":"
	         "%lld,\"reason\":\"%s\"}]}",
	         marker(F_REASONS), b.violation_ids[0], marker(F_DISMISSAL));
	appeal_step(appeal, "decision", body);
	decided_appeal = appeal;

	/* The operator's reply, moderated with a reason; a re-rating request. */
	snprintf(more, sizeof(more), "\"text\":\"%s\"", marker(F_REPLY));
	v = operator("/api/v1/operator/replies", "P-2", b.code, more, &st);
	assert_int_equal(st, 201);
	long long reply = json_walk_int(v, "id");
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/replies/%lld/moderation", reply);
	snprintf(body, sizeof(body), "{\"text\":\"%s\",\"reason\":\"%s\"}",
	         marker(F_MODERATED_TEXT), marker(F_MODERATION));
	json_decref(post(&clerk, path, body, 200));
	snprintf(more, sizeof(more), "\"improvements\":\"%s\"", marker(F_IMPROVEMENTS));
	v = operator("/api/v1/operator/rerating-requests", "P-2", b.code, more, &st);
	assert_int_equal(st, 201);
	json_decref(v);

	/* A lost report: a clerk issues a new code, saying why. */
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/appeal-code", b.id);
	snprintf(body, sizeof(body), "{\"reason\":\"%s\"}", marker(F_REISSUE));
	json_decref(post(&clerk, path, body, 201));

	/* A late appeal rejected with a note. */
	long long e3 = new_establishment("uk", "P-3");
	inspect(e3, 100, "", "");
	struct report c = inspect(e3, 2, "{\"code\":\"H01\",\"points\":15}", "");
	v = operator("/api/v1/operator/appeals", "P-3", c.code, "\"grounds\":\"Late\"", &st);
	assert_int_equal(st, 201);
	long long late = json_walk_int(v, "appeal.id");
	json_decref(v);
	/* Filed late (as an appeal lodged on paper and entered afterwards): closed as late. */
	char late_sql[160];
	snprintf(late_sql, sizeof(late_sql),
	         "UPDATE appeal SET filed_at = filing_deadline + interval '1 day' WHERE id = %lld",
	         late);
	itest_sql(db_url, late_sql);
	snprintf(body, sizeof(body), "{\"action\":\"reject_late\",\"note\":\"%s\"}",
	         marker(F_LATE));
	appeal_step(late, "review", body);

	/* Every text was kept where it belongs: the public reads the decision's reasons. */
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld", appeal);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "reasons"), marker(F_REASONS));
	json_decref(v);
	for (int f = 0; f < F_COUNT; f++)
		assert_non_null(markers[f][0] ? markers[f] : NULL);

	/* ... and none reached the public log or the open data. */
	wait_sealed();
	struct buf log = BUF_INIT, zip = BUF_INIT;
	published_log(&log);
	open_data(&zip);
	assert_true(log.len > 1000);
	assert_non_null(strstr(zip.data, "business_id"));
	struct itest_response feed;
	itest_get(&server, "/api/v1/opendata/inspections.ndjson", &feed);
	assert_int_equal(feed.status, 200);
	buf_addch(&feed.body, '\0');
	assert_non_null(strstr(feed.body.data, "\"violations\""));
	int leaks = 0;
	for (int f = 0; f < F_COUNT; f++) {
		if (strstr(log.data, marker(f))) {
			print_message("the public log holds the %s text\n", field_names[f]);
			leaks++;
		}
		if (strstr(zip.data, marker(f))) {
			print_message("the open data holds the %s text\n", field_names[f]);
			leaks++;
		}
		if (strstr(feed.body.data, marker(f))) {
			print_message("the Placard feed holds the %s text\n", field_names[f]);
			leaks++;
		}
	}
	/* Nor does the database's own copy of the log (the pages above are what it holds). */
	assert_int_equal(itest_event_count(db_url, "payload::text LIKE '%PRIVMARK%'"), 0);
	assert_int_equal(leaks, 0);
	buf_release(&log);
	buf_release(&zip);
	itest_response_free(&feed);
}

/* The log entry of kind @kind for @subject, sealed (caller decrefs), or NULL. */
static json_t *log_entry(const char *kind, const char *subject)
{
	long st;
	json_t *v =
	        staff_call(&server, NULL, "GET", "/api/v1/log?after=0&limit=1000", NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_t *found = NULL, *e;
	size_t i;
	json_array_foreach(json_object_get(v, "entries"), i, e)
	{
		if (strcmp(json_string_value(json_object_get(e, "kind")), kind) == 0 &&
		    strcmp(json_string_value(json_object_get(e, "subject")), subject) == 0)
			found = e;
	}
	if (found)
		json_incref(found);
	json_decref(v);
	return found;
}

static void hex_decode(const char *hex, unsigned char *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned x;
		sscanf(hex + 2 * i, "%2x", &x);
		out[i] = (unsigned char)x;
	}
}

/* The public text's salted hash matches the log; an internal text is not published. */
static void test_public_text_checks_against_the_log(void **state)
{
	(void)state;
	NEED_DB();
	assert_true(decided_appeal > 0);
	char subject[64], path[96];
	snprintf(subject, sizeof(subject), "appeal/%lld", decided_appeal);
	json_t *e = log_entry("appeal.decided", subject);
	assert_non_null(e);
	long long text = json_walk_int(e, "payload.reasons.text");
	char logged[SHA256_HEX_LEN + 1];
	snprintf(logged, sizeof(logged), "%s", json_walk_str(e, "payload.reasons.sha256"));
	json_decref(e);
	snprintf(path, sizeof(path), "/api/v1/log/texts/%lld", text);
	long st;
	json_t *t = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(t, "text"), marker(F_REASONS));
	const char *salt = json_walk_str(t, "salt");
	assert_int_equal(strlen(salt), 32);
	unsigned char bytes[16 + 64];
	hex_decode(salt, bytes, 16);
	size_t len = strlen(marker(F_REASONS));
	memcpy(bytes + 16, marker(F_REASONS), len);
	char computed[SHA256_HEX_LEN + 1];
	sha256_hex(bytes, 16 + len, computed);
	assert_string_equal(computed, logged);
	json_decref(t);

	/* The adjournment's reason is internal: referenced by the log, not published. */
	e = log_entry("appeal.adjourned", subject);
	assert_non_null(e);
	snprintf(path, sizeof(path), "/api/v1/log/texts/%lld",
	         json_walk_int(e, "payload.note.text"));
	assert_int_equal(strlen(json_walk_str(e, "payload.note.sha256")), 64);
	json_decref(e);
	t = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 404);
	json_decref(t);
	/* Hearing officers read the internal notes on the appeal itself. */
	snprintf(path, sizeof(path), "/api/v1/staff/appeals/%lld", decided_appeal);
	t = staff_call(&server, &hearing, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(t, "internal_notes.0.text"), marker(F_REVIEW));
	assert_string_equal(json_walk_str(t, "internal_notes.1.source"),
	                    "appeal.adjournment_reason");
	assert_string_equal(json_walk_str(t, "internal_notes.1.text"), marker(F_ADJOURN));
	json_decref(t);
}

static int placard(struct buf *out, const char *args)
{
	buf_truncate(out, 0);
	return itest_shell(out, "PLACARD_DATABASE_URL='%s' '%s' %s 2>&1 </dev/null", db_url,
	                   itest_bin(), args);
}

/* placard @args with @password on standard input, as an administrator running it types it. */
static int placard_with(struct buf *out, const char *password, const char *args)
{
	buf_truncate(out, 0);
	return itest_shell(out, "printf '%%s\\n' '%s' | PLACARD_DATABASE_URL='%s' '%s' %s 2>&1",
	                   password, db_url, itest_bin(), args);
}

/* Erasure: the text and its salt go, here and on the appeal's record; the log verifies. */
static void test_erase(void **state)
{
	(void)state;
	NEED_DB();
	assert_true(decided_appeal > 0);
	char subject[64], args[256], path[96];
	snprintf(subject, sizeof(subject), "appeal/%lld", decided_appeal);
	json_t *e = log_entry("appeal.decided", subject);
	assert_non_null(e);
	long long text = json_walk_int(e, "payload.reasons.text");
	json_decref(e);
	struct buf out = BUF_INIT;
	/* Only an administrator who gives their password, and only with a reason. */
	snprintf(args, sizeof(args), "text erase %lld --reason 'Art. 17 request' --by clem", text);
	assert_int_not_equal(placard_with(&out, pw, args), 0);
	assert_non_null(strstr(out.data, "not an active administrator"));
	snprintf(args, sizeof(args), "text erase %lld --by ada", text);
	assert_int_equal(placard_with(&out, pw, args), 2);
	snprintf(args, sizeof(args),
	         "text erase %lld --reason 'Erasure request under GDPR Art. 17' --by ada", text);
	/* Naming an administrator is not enough: without the password, or with a wrong one,
	 * nothing is erased. */
	assert_int_equal(placard(&out, args), 1);
	assert_non_null(strstr(out.data, "give the password of ada"));
	assert_int_equal(placard_with(&out, "not the password", args), 1);
	assert_non_null(strstr(out.data, "or the password is wrong"));
	char erased_sql[96];
	snprintf(erased_sql, sizeof(erased_sql),
	         "SELECT count(*) FROM log_text WHERE id = %lld AND erased_at IS NULL", text);
	assert_int_equal(itest_sql_count(db_url, erased_sql), 1);
	assert_int_equal(placard_with(&out, pw, args), 0);
	assert_int_not_equal(placard_with(&out, pw, args), 0); /* already erased */

	long st;
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld", decided_appeal);
	json_t *v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_null(strstr(json_walk_str(v, "reasons"), "PRIVMARK"));
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/log/texts/%lld", text);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_true(json_is_true(json_walk(v, "erased")));
	assert_true(json_is_null(json_walk(v, "salt")));
	assert_true(json_is_null(json_walk(v, "text")));
	json_decref(v);
	char sql[200];
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM log_text WHERE id = %lld AND body IS NULL AND salt IS NULL"
	         " AND erase_reason LIKE '%%Art. 17%%'",
	         text);
	assert_int_equal(itest_sql_count(db_url, sql), 1);
	assert_int_equal(itest_event_count(db_url, "kind = 'text.erased' AND payload::text NOT "
	                                           "LIKE '%Art. 17%'"),
	                 1);
	assert_int_equal(placard(&out, "verify-log"), 0);
	buf_release(&out);
}

/* The chain as anyone recomputes it from GET /api/v1/log: the first broken entry or 0, and
 * how many entries were redacted in *@ret_redacted. */
static long long published_break(long long *ret_redacted)
{
	long st;
	json_t *v =
	        staff_call(&server, NULL, "GET", "/api/v1/log?after=0&limit=1000", NULL, NULL, &st);
	assert_int_equal(st, 200);
	char prev[SHA256_HEX_LEN + 1];
	snprintf(prev, sizeof(prev), "%s", eventlog_genesis);
	long long prev_seq = 0, broken = 0;
	*ret_redacted = 0;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(v, "entries"), i, e)
	{
		struct eventlog_entry le = {
			.seq = json_integer_value(json_object_get(e, "seq")),
			.prev_hash = json_string_value(json_object_get(e, "prev_hash")),
			.occurred_at = json_string_value(json_object_get(e, "occurred_at")),
			.kind = json_string_value(json_object_get(e, "kind")),
			.subject = json_string_value(json_object_get(e, "subject")),
			.payload = json_string_value(json_object_get(e, "payload_text")),
			.hash = json_string_value(json_object_get(e, "hash")),
			.redacted = json_is_true(json_object_get(e, "redacted")),
		};
		if (le.redacted) {
			assert_true(json_is_null(json_object_get(e, "payload")));
			(*ret_redacted)++;
		}
		if (eventlog_check(&le, prev_seq, prev) != EVENTLOG_OK) {
			broken = prev_seq + 1;
			break;
		}
		prev_seq = le.seq;
		snprintf(prev, sizeof(prev), "%s", le.hash);
	}
	json_decref(v);
	return broken;
}

/* Run @sql with event_log's triggers off, as a superuser going around them would. */
static void superuser(const char *sql)
{
	assert_int_equal(itest_shell(NULL,
	                             "psql -Xq -v ON_ERROR_STOP=1 -c 'ALTER TABLE event_log "
	                             "DISABLE TRIGGER USER' -c \"%s\" -c 'ALTER TABLE event_log "
	                             "ENABLE TRIGGER USER' '%s' >/dev/null",
	                             sql, db_url),
	                 0);
}

/* An old entry holding free text is redacted; the chain still verifies, tampering does not. */
static void test_redact_old_entry(void **state)
{
	(void)state;
	NEED_DB();
	/* What the previous version wrote: a decision's reasons in the payload. */
	itest_sql(db_url, "SELECT event_append('appeal.decided', 'appeal/99999', "
	                  "'{\"reasons\": \"LEGACYMARK the owner, Mr Smith, wept\"}')");
	struct buf out = BUF_INIT;
	assert_int_equal(placard(&out, "verify-log"), 0); /* seals it */
	long long seq = itest_sql_count(db_url, "SELECT seq FROM event_log WHERE subject = "
	                                        "'appeal/99999'");
	assert_true(seq > 0);
	char args[200];
	snprintf(args, sizeof(args), "log redact %lld --reason 'Art. 17 request' --by ines", seq);
	assert_int_not_equal(placard_with(&out, pw, args), 0);
	/* Not yet recorded: the guarded change is refused, like any other. */
	char sql[300];
	snprintf(sql, sizeof(sql), "SELECT event_log_redact_apply(%lld)", seq);
	assert_int_not_equal(itest_shell(NULL, "psql -Xqc '%s' '%s' 2>/dev/null", sql, db_url), 0);
	snprintf(args, sizeof(args), "log redact %lld --reason 'Art. 17 request' --by ada", seq);
	assert_int_equal(placard(&out, args), 1); /* no password */
	assert_int_equal(placard_with(&out, pw, args), 0);
	/* Recorded but not applied: the entry is still whole and checked in full. */
	long long redacted;
	assert_int_equal(published_break(&redacted), 0);
	assert_int_equal(redacted, 0);
	/* Even with its redaction recorded, a plain UPDATE of the entry is refused. */
	snprintf(sql, sizeof(sql), "UPDATE event_log SET payload = 'null' WHERE seq = %lld", seq);
	assert_int_not_equal(itest_shell(NULL, "psql -Xqc \"%s\" '%s' 2>/dev/null", sql, db_url),
	                     0);
	snprintf(args, sizeof(args), "log redact %lld --apply", seq);
	assert_int_equal(placard(&out, args), 0);
	assert_non_null(strstr(out.data, "redacted"));

	assert_int_equal(placard(&out, "verify-log"), 0);
	assert_non_null(strstr(out.data, "1 entry redacted (content withheld)"));
	assert_int_equal(published_break(&redacted), 0);
	assert_int_equal(redacted, 1);
	assert_int_equal(itest_event_count(db_url, "payload::text LIKE '%LEGACYMARK%'"), 0);
	assert_int_equal(itest_event_count(db_url, "kind = 'log.redacted'"), 1);
	struct buf log = BUF_INIT;
	wait_sealed();
	published_log(&log);
	assert_null(strstr(log.data, "LEGACYMARK"));
	buf_release(&log);

	/* Changing the redacted entry's hash breaks the link of the entry after it. */
	snprintf(sql, sizeof(sql),
	         "UPDATE event_log SET hash = left(hash, 63) || CASE right(hash, 1) WHEN '0' "
	         "THEN '1' ELSE '0' END WHERE seq = %lld",
	         seq);
	superuser(sql);
	assert_int_equal(placard(&out, "verify-log"), 1);
	char expect[64];
	snprintf(expect, sizeof(expect), "entry %lld is broken", seq + 1);
	assert_non_null(strstr(out.data, expect));
	assert_int_equal(published_break(&redacted), seq + 1);
	snprintf(sql, sizeof(sql),
	         "UPDATE event_log SET hash = (SELECT prev_hash FROM event_log WHERE seq = %lld)"
	         " WHERE seq = %lld",
	         seq + 1, seq);
	superuser(sql);
	assert_int_equal(placard(&out, "verify-log"), 0);

	/* A payload withheld without a recorded redaction is a changed entry. */
	superuser("UPDATE event_log SET payload = 'null' WHERE seq = 2");
	assert_int_equal(placard(&out, "verify-log"), 1);
	assert_non_null(strstr(out.data, "entry 2 is broken"));
	assert_int_equal(published_break(&redacted), 2);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marker_never_reaches_log_or_open_data),
		cmocka_unit_test(test_public_text_checks_against_the_log),
		cmocka_unit_test(test_erase),
		cmocka_unit_test(test_redact_old_entry),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
