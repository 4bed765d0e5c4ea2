/*
 * The tablet app's server side through the API: temperature readings and checklist marks
 * (validated, stored, published), photos (hash checked, size and count limits, immutable
 * after submission, staff-only bytes), If-Match on drafts (a stale edit is refused with 412
 * and kept as a flagged conflict that blocks submission until resolved), assignments and
 * the due list (ordering and who may see it), and the offline form.
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

#include <sodium.h>

#include "core/crypto.h"
#include "harness.h"
#include "staff.h"

#define SHA256_ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

static struct itest_server server;
static char db_url[256];
static struct staff_session admin, clerk, inspector, inspector2, supervisor;
static long long inspector_id, inspector2_id;
static const char pw[] = "correct horse battery staple";

#define NEED_DB()                                                                                  \
	do {                                                                                       \
		if (!server.pid)                                                                   \
			skip();                                                                    \
	} while (0)

/* Send and parse; the response body as JSON (caller decrefs), status in *status. */
static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	itest_db_create("tablet", db_url, sizeof(db_url));
	const char *who[][2] = { { "ada", "admin" },
		                 { "clem", "clerk" },
		                 { "ines", "inspector" },
		                 { "ivan", "inspector" },
		                 { "sue", "supervisor" } };
	for (size_t i = 0; i < 5; i++)
		if (staff_add(db_url, who[i][0], who[i][1], pw, "", NULL) != 0)
			fail_msg("cannot add %s", who[i][0]);
	itest_server_start(&server, db_url, NULL);
	struct staff_session *s[] = { &admin, &clerk, &inspector, &inspector2, &supervisor };
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(staff_login(&server, who[i][0], pw, s[i], NULL), 201);
	long st;
	json_t *v = staff_call(&server, &admin, "POST", "/api/v1/jurisdictions",
	                       "{\"code\":\"nyc\",\"name\":\"New York City\",\"scheme\":\"nyc\"}",
	                       NULL, &st);
	assert_int_equal(st, 201);
	json_decref(v);
	inspector_id = itest_sql_count(db_url, "SELECT id FROM staff_user WHERE username = 'ines'");
	inspector2_id =
	        itest_sql_count(db_url, "SELECT id FROM staff_user WHERE username = 'ivan'");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (server.pid)
		assert_int_equal(itest_server_stop(&server), 0);
	return 0;
}

static long long new_establishment_in(const char *jurisdiction, const char *licence,
                                      const char *risk)
{
	char body[400];
	snprintf(body, sizeof(body),
	         "{\"jurisdiction\":\"%s\",\"licence_number\":\"%s\",\"name\":\"Diner %s\","
	         "\"risk_category\":\"%s\"}",
	         jurisdiction, licence, licence, risk);
	long st;
	json_t *v = staff_call(&server, &clerk, "POST", "/api/v1/establishments", body, NULL, &st);
	assert_int_equal(st, 201);
	long long id = json_walk_int(v, "id");
	json_decref(v);
	return id;
}

static long long new_establishment(const char *licence, const char *risk)
{
	return new_establishment_in("nyc", licence, risk);
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

/* Create an inspection as @as (draft unless @submit); its id. Asserts 201. */
static long long inspect(const struct staff_session *as, long long est, const char *type,
                         const char *started, const char *extra_fields, bool submit)
{
	static int n;
	char body[4096], key[64];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"%s\",\"started_at\":\"%s\"%s%s,"
	         "\"submit\":%s}",
	         est, type, started, extra_fields ? "," : "", extra_fields ? extra_fields : "",
	         submit ? "true" : "false");
	snprintf(key, sizeof(key), "Idempotency-Key: tablet-%d-%lld", ++n, (long long)time(NULL));
	long st;
	json_t *v = staff_call(&server, as, "POST", "/api/v1/inspections", body, key, &st);
	if (st != 201)
		fail_msg("create inspection: %ld %s", st, json_dumps(v, 0));
	long long id = json_walk_int(v, "id");
	json_decref(v);
	return id;
}

/* ---- readings and checklist ------------------------------------------------------------ */

static void test_readings_and_checklist(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("T-100", "B");
	long long before = itest_sql_count(db_url, "SELECT count(*) FROM inspection");
	const struct {
		const char *fields;
		const char *field;
	} bad[] = {
		{ "\"readings\":[{\"item\":\"soup\",\"value\":40,\"unit\":\"K\"}]",
		  "/readings/0/unit" },
		{ "\"readings\":[{\"item\":\"soup\",\"value\":400,\"unit\":\"C\"}]",
		  "/readings/0/value" },
		{ "\"readings\":[{\"item\":\"soup\",\"value\":-70,\"unit\":\"F\"}]",
		  "/readings/0/value" },
		{ "\"readings\":[{\"value\":40,\"unit\":\"F\"}]", "/readings/0/item" },
		{ "\"readings\":[{\"item\":\"\",\"value\":40,\"unit\":\"F\"}]",
		  "/readings/0/item" },
		{ "\"readings\":[{\"item\":\"soup\",\"value\":\"40\",\"unit\":\"F\"}]",
		  "/readings/0/value" },
		{ "\"readings\":[{\"item\":\"soup\",\"value\":40,\"unit\":\"F\",\"taken_at\":"
		  "\"yesterday\"}]",
		  "/readings/0/taken_at" },
		{ "\"readings\":[{\"item\":\"soup\",\"value\":40,\"unit\":\"F\",\"code\":\"99Z\"}]",
		  "/readings/0/code" },
		{ "\"readings\":[{\"item\":\"soup\",\"value\":40,\"unit\":\"F\",\"colour\":1}]",
		  "/readings/0/colour" },
		{ "\"checklist\":{\"02B\":\"maybe\"}", "/checklist/02B" },
		{ "\"checklist\":{\"99Z\":\"in\"}", "/checklist/99Z" },
		{ "\"checklist\":{\"02B\":\"out\"}", "/checklist/02B" },
		{ "\"checklist\":{\"04L\":\"in\"},\"violations\":[{\"code\":\"04L\"}]",
		  "/violations/0/code" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char body[1024], key[64];
		snprintf(body, sizeof(body),
		         "{\"establishment_id\":%lld,\"type\":\"initial\",%s,\"submit\":true}", est,
		         bad[i].fields);
		snprintf(key, sizeof(key), "Idempotency-Key: bad-reading-%zu", i);
		long st;
		json_t *v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
		                       key, &st);
		if (st != 422 || !json_walk_str(v, "field") ||
		    strcmp(json_walk_str(v, "field"), bad[i].field))
			fail_msg("case %zu: %ld %s", i, st, json_dumps(v, 0));
		json_decref(v);
	}
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM inspection"), before);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM inspection_reading"), 0);

	/* A good one: readings in both units, the checklist agreeing with the citations. */
	char started[32];
	long long id = inspect(
	        &inspector, est, "initial", days_ago(0, started),
	        "\"violations\":[{\"code\":\"02G\",\"points\":7,\"observed\":\"Milk at 48F\"}],"
	        "\"checklist\":{\"02G\":\"out\",\"02B\":\"in\",\"04L\":\"not_observed\","
	        "\"10B\":\"not_applicable\"},"
	        "\"readings\":[{\"item\":\"milk\",\"location\":\"walk-in\",\"value\":48.5,"
	        "\"unit\":\"F\",\"taken_at\":\"2026-05-01T09:30:00Z\",\"code\":\"02G\"},"
	        "{\"item\":\"soup\",\"value\":63,\"unit\":\"C\"}]",
	        false);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/staff/inspections/%lld", id);
	long st;
	json_t *v = staff_call(&server, &inspector, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "readings")), 2);
	assert_true(json_real_value(json_walk(v, "readings.0.value")) == 48.5);
	assert_string_equal(json_walk_str(v, "readings.0.unit"), "F");
	assert_string_equal(json_walk_str(v, "readings.0.code"), "02G");
	assert_string_equal(json_walk_str(v, "checklist.04L"), "not_observed");
	assert_true(json_walk_int(v, "version") >= 1);
	json_decref(v);
	/* Submitted, the readings are on the public record and can no longer change. */
	char spath[128];
	snprintf(spath, sizeof(spath), "/api/v1/inspections/%lld/submit", id);
	v = staff_call(&server, &inspector, "POST", spath, NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", id);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "readings.1.item"), "soup");
	assert_null(json_object_get(v, "checklist"));
	json_decref(v);
	char sql[160];
	snprintf(sql, sizeof(sql), "DELETE FROM inspection_reading WHERE inspection_id = %lld", id);
	assert_int_not_equal(itest_shell(NULL, "psql -Xqc '%s' '%s' 2>/dev/null", sql, db_url), 0);
}

/* ---- photos ---------------------------------------------------------------------------- */

/* A JSON photo document for @len bytes of @data, claimed to hash to @sha (NULL: the real
 * hash) and to be @type. Caller frees. */
static char *photo_body(const unsigned char *data, size_t len, const char *type, const char *sha)
{
	char real[SHA256_HEX_LEN + 1];
	sha256_hex(data, len, real);
	size_t b64len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(b64len);
	sodium_bin2base64(b64, b64len, data, len, sodium_base64_VARIANT_ORIGINAL);
	/* Split into 48 KiB strings, as the tablet does. */
	struct buf b = BUF_INIT;
	buf_addf(&b,
	         "{\"content_type\":\"%s\",\"sha256\":\"%s\",\"taken_at\":\"2026-05-01T09:31:00Z\","
	         "\"width\":4,\"height\":3,\"data\":[",
	         type, sha ? sha : real);
	size_t n = strlen(b64);
	for (size_t off = 0; off < n; off += 49152)
		buf_addf(&b, "%s\"%.*s\"", off ? "," : "", (int)(n - off < 49152 ? n - off : 49152),
		         b64 + off);
	buf_addstr(&b, "]}");
	free(b64);
	size_t out_len;
	return buf_detach(&b, &out_len);
}

/* @len bytes that start like a PNG, the rest random. Caller frees. */
static unsigned char *fake_png(size_t len)
{
	unsigned char *d = malloc(len);
	randombytes_buf(d, len);
	memcpy(d, "\x89PNG\r\n\x1a\n", 8);
	return d;
}

static void test_photos(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("T-200", "A");
	char started[32];
	long long id = inspect(&inspector, est, "initial", days_ago(0, started), NULL, false);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/photos", id);
	unsigned char *png = fake_png(5000);
	char *body = photo_body(png, 5000, "image/png", NULL);
	const char *key = "Idempotency-Key: 0b7e3f52-photo-0001";
	long st;

	/* Without an Idempotency-Key: refused. */
	json_t *v = staff_call(&server, &inspector, "POST", path, body, NULL, &st);
	assert_int_equal(st, 428);
	json_decref(v);
	/* Another inspector's draft: refused. */
	v = staff_call(&server, &inspector2, "POST", path, body, key, &st);
	assert_int_equal(st, 403);
	json_decref(v);
	v = staff_call(&server, &inspector, "POST", path, body, key, &st);
	assert_int_equal(st, 201);
	long long photo = json_walk_int(v, "id");
	char real[SHA256_HEX_LEN + 1];
	sha256_hex(png, 5000, real);
	assert_string_equal(json_walk_str(v, "sha256"), real);
	assert_int_equal(json_walk_int(v, "bytes"), 5000);
	json_decref(v);
	/* A retry stores nothing new and answers the same photo. */
	v = staff_call(&server, &inspector, "POST", path, body, key, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "id"), photo);
	json_decref(v);
	char sql[200];
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM inspection_photo WHERE inspection_id = "
	         "%lld",
	         id);
	assert_int_equal(itest_sql_count(db_url, sql), 1);
	free(body);

	/* The same photo id for other bytes: refused. */
	unsigned char *other = fake_png(4000);
	body = photo_body(other, 4000, "image/png", NULL);
	v = staff_call(&server, &inspector, "POST", path, body, key, &st);
	assert_int_equal(st, 409);
	json_decref(v);
	free(body);

	/* A hash that does not match: 422 naming the field and the photo; nothing stored. */
	body = photo_body(other, 4000, "image/png", real);
	v = staff_call(&server, &inspector, "POST", path, body,
	               "Idempotency-Key: 0b7e3f52-photo-0002", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/sha256");
	assert_non_null(strstr(json_walk_str(v, "detail"), "0b7e3f52-photo-0002"));
	json_decref(v);
	free(body);
	/* Bytes that are not the type claimed, and data that is not base64. */
	body = photo_body(other, 4000, "image/jpeg", NULL);
	v = staff_call(&server, &inspector, "POST", path, body,
	               "Idempotency-Key: 0b7e3f52-photo-0003", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/data");
	json_decref(v);
	free(body);
	v = staff_call(&server, &inspector, "POST", path,
	               "{\"content_type\":\"image/png\",\"sha256\":\"" SHA256_ZEROS
	               "\",\"data\":[\"!!!\"]}",
	               "Idempotency-Key: 0b7e3f52-photo-0004", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/data");
	json_decref(v);
	v = staff_call(&server, &inspector, "POST", path,
	               "{\"content_type\":\"image/gif\",\"sha256\":\"" SHA256_ZEROS
	               "\",\"data\":[\"AA==\"]}",
	               "Idempotency-Key: 0b7e3f52-photo-0005", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/content_type");
	json_decref(v);
	free(other);

	/* Size: a photo over the limit that still fits the body limit is 413 naming /data;
	 * one over the body limit is refused before it is read. */
	unsigned char *big = fake_png(760 * 1024);
	body = photo_body(big, 760 * 1024, "image/png", NULL);
	assert_true(strlen(body) < 1024 * 1024);
	v = staff_call(&server, &inspector, "POST", path, body,
	               "Idempotency-Key: 0b7e3f52-photo-big1", &st);
	assert_int_equal(st, 413);
	assert_string_equal(json_walk_str(v, "field"), "/data");
	json_decref(v);
	free(body);
	free(big);
	big = fake_png(900 * 1024);
	body = photo_body(big, 900 * 1024, "image/png", NULL);
	v = staff_call(&server, &inspector, "POST", path, body,
	               "Idempotency-Key: 0b7e3f52-photo-big2", &st);
	assert_int_equal(st, 413);
	json_decref(v);
	free(body);
	free(big);
	assert_int_equal(itest_sql_count(db_url, sql), 1);

	/* The bytes are for staff only, exactly as sent. */
	char ppath[128];
	snprintf(ppath, sizeof(ppath), "/api/v1/staff/inspections/%lld/photos/%lld", id, photo);
	struct itest_response r;
	staff_request(&server, &supervisor, "GET", ppath, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, 5000);
	assert_memory_equal(r.body.data, png, 5000);
	assert_non_null(strstr(itest_header(&r, "Content-Type"), "image/png"));
	itest_response_free(&r);
	staff_request(&server, NULL, "GET", ppath, NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	itest_response_free(&r);
	staff_request(&server, &clerk, "GET", ppath, NULL, NULL, &r);
	assert_int_equal(r.status, 403);
	itest_response_free(&r);

	/* The count limit: 20 photos per inspection. */
	for (int i = 2; i <= 21; i++) {
		unsigned char *small = fake_png(100);
		char k[64];
		snprintf(k, sizeof(k), "Idempotency-Key: 0b7e3f52-many-%04d", i);
		body = photo_body(small, 100, "image/png", NULL);
		v = staff_call(&server, &inspector, "POST", path, body, k, &st);
		assert_int_equal(st, i <= 20 ? 201 : 409);
		json_decref(v);
		free(body);
		free(small);
	}
	assert_int_equal(itest_sql_count(db_url, sql), 20);
	/* Removed from a draft (and logged), then one more fits. */
	char dpath[128];
	snprintf(dpath, sizeof(dpath), "/api/v1/inspections/%lld/photos/%lld", id, photo);
	v = staff_call(&server, &inspector, "DELETE", dpath, NULL, NULL, &st);
	assert_int_equal(st, 204);
	json_decref(v);
	assert_int_equal(itest_event_count(db_url, "kind = 'inspection.photo_removed'"), 1);
	body = photo_body(png, 5000, "image/png", NULL);
	v = staff_call(&server, &inspector, "POST", path, body,
	               "Idempotency-Key: 0b7e3f52-photo-0006", &st);
	assert_int_equal(st, 201);
	photo = json_walk_int(v, "id");
	json_decref(v);

	/* Submitted: the photos are evidence. No more, none removed, none changed. */
	char spath[128];
	snprintf(spath, sizeof(spath), "/api/v1/inspections/%lld/submit", id);
	v = staff_call(&server, &inspector, "POST", spath, NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_decref(v);
	v = staff_call(&server, &inspector, "POST", path, body,
	               "Idempotency-Key: 0b7e3f52-photo-0007", &st);
	assert_int_equal(st, 409);
	json_decref(v);
	/* ... but a retry of one already stored still gets its answer. */
	v = staff_call(&server, &inspector, "POST", path, body,
	               "Idempotency-Key: 0b7e3f52-photo-0006", &st);
	assert_int_equal(st, 200);
	json_decref(v);
	free(body);
	snprintf(dpath, sizeof(dpath), "/api/v1/inspections/%lld/photos/%lld", id, photo);
	v = staff_call(&server, &inspector, "DELETE", dpath, NULL, NULL, &st);
	assert_int_equal(st, 409);
	json_decref(v);
	snprintf(sql, sizeof(sql), "UPDATE inspection_photo SET code = '02B' WHERE id = %lld",
	         photo);
	assert_int_not_equal(itest_shell(NULL, "psql -Xqc \"%s\" '%s' 2>/dev/null", sql, db_url),
	                     0);
	/* The public record lists the photos' metadata, pointing at the staff-only bytes. */
	char ipath[96];
	snprintf(ipath, sizeof(ipath), "/api/v1/inspections/%lld", id);
	v = staff_call(&server, NULL, "GET", ipath, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "photos")), 20);
	assert_string_equal(json_walk_str(v, "photos.19.sha256"), real);
	assert_non_null(strstr(json_walk_str(v, "photos.19.url"), "/api/v1/staff/inspections/"));
	json_decref(v);
	/* The hash of each photo is in the public log. */
	snprintf(sql, sizeof(sql), "kind = 'inspection.photo_added' AND payload->>'sha256' = '%s'",
	         real);
	assert_int_equal(itest_event_count(db_url, sql), 2);

	/* Amended, the record is the amendment's, and the visit's photos stay in it, their
	 * bytes where the record points. */
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/amendments", id);
	v = staff_call(&server, &supervisor, "POST", path,
	               "{\"type\":\"initial\",\"violations\":[],\"reason\":\"Wrong item\"}", NULL,
	               &st);
	assert_int_equal(st, 201);
	long long revision = json_walk_int(v, "id");
	assert_int_equal(json_array_size(json_object_get(v, "photos")), 20);
	json_decref(v);
	snprintf(ipath, sizeof(ipath), "/api/v1/inspections/%lld", revision);
	v = staff_call(&server, NULL, "GET", ipath, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "photos")), 20);
	assert_string_equal(json_walk_str(v, "photos.19.sha256"), real);
	struct itest_response pr;
	staff_request(&server, &supervisor, "GET", json_walk_str(v, "photos.19.url"), NULL, NULL,
	              &pr);
	assert_int_equal(pr.status, 200);
	assert_int_equal(pr.body.len, 5000);
	itest_response_free(&pr);
	json_decref(v);
	free(png);
}

/* ---- If-Match and conflicts ----------------------------------------------------------- */

static void test_if_match_conflict(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("T-300", "B");
	char started[32];
	long long id = inspect(&inspector, est, "initial", days_ago(0, started), NULL, false);
	char path[96], spath[128];
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", id);
	snprintf(spath, sizeof(spath), "/api/v1/staff/inspections/%lld", id);
	struct itest_response r;
	staff_request(&server, &inspector, "GET", spath, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	char etag[32];
	snprintf(etag, sizeof(etag), "%s", itest_header(&r, "ETag"));
	json_t *doc = json_loads(r.body.data, 0, NULL);
	char want[32];
	snprintf(want, sizeof(want), "\"%lld\"", json_walk_int(doc, "version"));
	assert_string_equal(etag, want);
	json_decref(doc);
	itest_response_free(&r);

	const char *edit_a = "{\"type\":\"initial\",\"violations\":[{\"code\":\"10F\"}]}";
	const char *edit_b = "{\"type\":\"initial\",\"violations\":[{\"code\":\"04L\"}]}";
	long st;
	/* No If-Match: refused, so no device can overwrite blindly. */
	json_t *v = staff_call(&server, &inspector, "PATCH", path, edit_a, NULL, &st);
	assert_int_equal(st, 428);
	assert_string_equal(json_walk_str(v, "field"), "If-Match");
	json_decref(v);
	v = staff_call(&server, &inspector, "PATCH", path, edit_a, "If-Match: 7", &st);
	assert_int_equal(st, 400);
	json_decref(v);
	/* Device A saves with the version it has. */
	char ifm[64];
	snprintf(ifm, sizeof(ifm), "If-Match: %s", etag);
	staff_request(&server, &inspector, "PATCH", path, edit_a, ifm, &r);
	assert_int_equal(r.status, 200);
	assert_string_not_equal(itest_header(&r, "ETag"), etag);
	char etag2[32];
	snprintf(etag2, sizeof(etag2), "%s", itest_header(&r, "ETag"));
	itest_response_free(&r);
	/* Device B, still on the old version: 412, nothing overwritten, the conflict kept. */
	v = staff_call(&server, &inspector, "PATCH", path, edit_b, ifm, &st);
	assert_int_equal(st, 412);
	json_decref(v);
	v = staff_call(&server, &inspector, "GET", spath, NULL, NULL, &st);
	assert_string_equal(json_walk_str(v, "violations.0.code"), "10F");
	assert_int_equal(json_array_size(json_object_get(v, "conflicts")), 1);
	assert_string_equal(json_walk_str(v, "conflicts.0.refused_document.violations.0.code"),
	                    "04L");
	assert_string_equal(json_walk_str(v, "conflicts.0.by"), "ines");
	long long conflict = json_walk_int(v, "conflicts.0.id");
	json_decref(v);
	assert_int_equal(itest_event_count(db_url, "kind = 'inspection.conflict_flagged'"), 1);
	/* No submission while the conflict is open. */
	char subpath[128];
	snprintf(subpath, sizeof(subpath), "/api/v1/inspections/%lld/submit", id);
	v = staff_call(&server, &inspector, "POST", subpath, NULL, NULL, &st);
	assert_int_equal(st, 409);
	json_decref(v);
	/* Resolved (B sends its version again with the current ETag). */
	char rpath[160];
	snprintf(rpath, sizeof(rpath), "/api/v1/inspections/%lld/conflicts/%lld/resolve", id,
	         conflict);
	v = staff_call(&server, &inspector, "POST", rpath, "{\"resolution\":\"whatever\"}", NULL,
	               &st);
	assert_int_equal(st, 422);
	json_decref(v);
	v = staff_call(&server, &inspector2, "POST", rpath, "{\"resolution\":\"kept_device\"}",
	               NULL, &st);
	assert_int_equal(st, 403);
	json_decref(v);
	snprintf(ifm, sizeof(ifm), "If-Match: %s", etag2);
	v = staff_call(&server, &inspector, "PATCH", path, edit_b, ifm, &st);
	assert_int_equal(st, 200);
	json_decref(v);
	v = staff_call(&server, &inspector, "POST", rpath, "{\"resolution\":\"kept_device\"}", NULL,
	               &st);
	assert_int_equal(st, 200);
	json_decref(v);
	v = staff_call(&server, &inspector, "POST", rpath, "{\"resolution\":\"kept_device\"}", NULL,
	               &st);
	assert_int_equal(st, 404);
	json_decref(v);
	v = staff_call(&server, &inspector, "POST", subpath, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "violations.0.code"), "04L");
	json_decref(v);
}

/* ---- assignments, the due list and the offline form ------------------------------------ */

static void assign(long long est, long long who, long expect)
{
	char path[96], body[64];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld/inspector", est);
	snprintf(body, sizeof(body), "{\"inspector_id\":%lld}", who);
	long st;
	json_t *v = staff_call(&server, &supervisor, "PUT", path, body, NULL, &st);
	assert_int_equal(st, expect);
	json_decref(v);
}

static void test_due_list(void **state)
{
	(void)state;
	NEED_DB();
	char t[32];
	/* A, inspected 240 days ago: its 6-month cycle is overdue. */
	long long e1 = new_establishment("D-1", "A");
	inspect(&inspector, e1, "initial", days_ago(240, t), NULL, true);
	/* B, never inspected: due now. */
	long long e2 = new_establishment("D-2", "B");
	/* D, inspected 900 days ago: 24 months have passed. */
	long long e3 = new_establishment("D-3", "D");
	inspect(&inspector, e3, "initial", days_ago(900, t), NULL, true);
	/* A, an initial 10 days ago scored 20: a re-inspection has been due for 3 days. */
	long long e4 = new_establishment("D-4", "A");
	inspect(&inspector, e4, "initial", days_ago(10, t),
	        "\"violations\":[{\"code\":\"02B\",\"points\":10},{\"code\":\"04L\",\"points\":10}"
	        "]",
	        true);
	/* A, inspected 175 days ago: due within the fortnight, not overdue. */
	long long e5 = new_establishment("D-5", "A");
	inspect(&inspector, e5, "initial", days_ago(175, t), NULL, true);
	/* C, inspected 30 days ago: not due for a long time. */
	long long e6 = new_establishment("D-6", "C");
	inspect(&inspector, e6, "initial", days_ago(30, t), NULL, true);
	/* Overdue, but assigned to someone else. */
	long long e7 = new_establishment("D-7", "A");
	/* Re-rating visits the operators asked for (FHRS, C, inspected 100 days ago: no cycle
	 * visit for a long time): one whose stand-still ended 5 days ago, one scheduled in 12
	 * days. */
	long st;
	json_t *v = staff_call(&server, &admin, "POST", "/api/v1/jurisdictions",
	                       "{\"code\":\"uk\",\"name\":\"Demo Council\",\"scheme\":\"fhrs\"}",
	                       NULL, &st);
	assert_int_equal(st, 201);
	json_decref(v);
	long long e8 = new_establishment_in("uk", "D-8", "C");
	long long i8 = inspect(&inspector, e8, "initial", days_ago(100, t), NULL, true);
	long long e9 = new_establishment_in("uk", "D-9", "C");
	long long i9 = inspect(&inspector, e9, "initial", days_ago(100, t), NULL, true);
	char sql[400];
	snprintf(sql, sizeof(sql),
	         "INSERT INTO rerating_request (establishment_id, inspection_id, improvements, "
	         "requested_at, earliest_visit_on) VALUES (%lld, %lld, 'New wash basin', "
	         "now() - interval '10 days', current_date - 5) RETURNING id",
	         e8, i8);
	long long q8 = itest_sql_count(db_url, sql);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO rerating_request (establishment_id, inspection_id, improvements, "
	         "state, earliest_visit_on, visit_on) VALUES (%lld, %lld, 'Pest control', "
	         "'scheduled', current_date + 3, current_date + 12) RETURNING id",
	         e9, i9);
	long long q9 = itest_sql_count(db_url, sql);
	long long list[] = { e1, e2, e3, e4, e5, e6, e8, e9 };
	for (size_t i = 0; i < 8; i++)
		assign(list[i], inspector_id, 200);
	assign(e7, inspector2_id, 200);
	/* Only inspectors are assigned; only supervisors and admins assign. */
	assign(e7, itest_sql_count(db_url, "SELECT id FROM staff_user WHERE username = 'clem'"),
	       422);
	char path[96], body[64];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld/inspector", e7);
	snprintf(body, sizeof(body), "{\"inspector_id\":%lld}", inspector_id);
	v = staff_call(&server, &inspector, "PUT", path, body, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(v);

	/* Overdue first, by risk category then the longest since the last inspection; then
	 * by due date. The re-rating visits are among them. */
	v = staff_call(&server, &inspector, "GET", "/api/v1/inspector/due", NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_t *items = json_object_get(v, "items");
	long long want[] = { e1, e4, e8, e3, e2, e5, e9 };
	if (json_array_size(items) != 7)
		fail_msg("due list: %s", json_dumps(v, 0));
	for (size_t i = 0; i < 7; i++) {
		char p[48];
		snprintf(p, sizeof(p), "items.%zu.establishment.id", i);
		if (json_walk_int(v, p) != want[i])
			fail_msg("item %zu: %s", i, json_dumps(v, JSON_INDENT(1)));
	}
	assert_true(json_is_true(json_walk(v, "items.0.overdue")));
	assert_string_equal(json_walk_str(v, "items.1.reason"), "reinspection");
	assert_string_equal(json_walk_str(v, "items.1.suggested_type"), "reinspection");
	assert_int_equal(json_walk_int(v, "items.1.days_overdue"), 3);
	assert_string_equal(json_walk_str(v, "items.0.reason"), "cycle");
	assert_true(json_is_null(json_walk(v, "items.0.rerating")));
	assert_true(json_is_false(json_walk(v, "items.4.overdue")));
	assert_null(json_walk_str(v, "items.4.last_inspection.type"));
	assert_true(json_is_false(json_walk(v, "items.5.overdue")));
	/* A re-rating visit: overdue since the stand-still ended, marked, with the request. */
	assert_string_equal(json_walk_str(v, "items.2.reason"), "rerating");
	assert_true(json_is_true(json_walk(v, "items.2.overdue")));
	assert_int_equal(json_walk_int(v, "items.2.days_overdue"), 5);
	assert_string_equal(json_walk_str(v, "items.2.suggested_type"), "reinspection");
	assert_int_equal(json_walk_int(v, "items.2.rerating.id"), q8);
	assert_string_equal(json_walk_str(v, "items.2.rerating.state"), "requested");
	assert_string_equal(json_walk_str(v, "items.2.rerating.improvements"), "New wash basin");
	assert_int_equal(json_walk_int(v, "items.2.rerating.inspection_id"), i8);
	assert_string_equal(json_walk_str(v, "items.2.not_before"),
	                    json_walk_str(v, "items.2.rerating.earliest_visit_on"));
	/* A scheduled one is due on its day, not before the stand-still's end. */
	assert_string_equal(json_walk_str(v, "items.6.reason"), "rerating");
	assert_true(json_is_false(json_walk(v, "items.6.overdue")));
	assert_int_equal(json_walk_int(v, "items.6.rerating.id"), q9);
	assert_string_equal(json_walk_str(v, "items.6.rerating.state"), "scheduled");
	assert_string_equal(json_walk_str(v, "items.6.due_on"),
	                    json_walk_str(v, "items.6.rerating.visit_on"));
	assert_string_equal(json_walk_str(v, "items.6.not_before"),
	                    json_walk_str(v, "items.6.rerating.earliest_visit_on"));
	json_decref(v);
	/* A shorter horizon leaves the scheduled visit out. */
	v = staff_call(&server, &inspector, "GET", "/api/v1/inspector/due?days=10", NULL, NULL,
	               &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "items")), 6);
	json_decref(v);
	/* A year's horizon still leaves out the C establishments, due in 14 to 17 months. */
	v = staff_call(&server, &inspector, "GET", "/api/v1/inspector/due?days=366", NULL, NULL,
	               &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "items")), 7);
	json_decref(v);
	v = staff_call(&server, &inspector, "GET", "/api/v1/inspector/due?days=600", NULL, NULL,
	               &st);
	assert_int_equal(st, 422);
	json_decref(v);

	/* Who may see which list. */
	v = staff_call(&server, &inspector2, "GET", "/api/v1/inspector/due", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "items")), 1);
	assert_int_equal(json_walk_int(v, "items.0.establishment.id"), e7);
	json_decref(v);
	char q[96];
	snprintf(q, sizeof(q), "/api/v1/inspector/due?inspector=%lld", inspector_id);
	v = staff_call(&server, &inspector2, "GET", q, NULL, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(v);
	v = staff_call(&server, &supervisor, "GET", q, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "items")), 7);
	json_decref(v);
	/* A request once inspected is off the list. */
	snprintf(sql, sizeof(sql),
	         "UPDATE rerating_request SET state = 'inspected', visit_inspection_id = %lld, "
	         "inspected_at = now() WHERE id = %lld",
	         i8, q8);
	itest_sql(db_url, sql);
	v = staff_call(&server, &inspector, "GET", "/api/v1/inspector/due", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "items")), 6);
	json_decref(v);
	v = staff_call(&server, &clerk, "GET", "/api/v1/inspector/due", NULL, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(v);
	v = staff_call(&server, NULL, "GET", "/api/v1/inspector/due", NULL, NULL, &st);
	assert_int_equal(st, 401);
	json_decref(v);

	/* The offline form of the re-inspection: what was cited last time, for "repeat". */
	snprintf(path, sizeof(path), "/api/v1/inspector/establishments/%lld", e4);
	v = staff_call(&server, &inspector, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "scheme.code"), "nyc");
	assert_string_equal(json_walk_str(v, "suggested_type"), "reinspection");
	assert_string_equal(json_walk_str(v, "last_inspection.violations.0.code"), "02B");
	assert_string_equal(json_walk_str(v, "last_inspection.violations.1.code"), "04L");
	assert_string_equal(json_walk_str(v, "establishment.name"), "Diner D-4");
	json_decref(v);
	v = staff_call(&server, &clerk, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(v);
	v = staff_call(&server, &inspector, "GET", "/api/v1/inspector/establishments/999999", NULL,
	               NULL, &st);
	assert_int_equal(st, 404);
	json_decref(v);
	/* The log says an establishment was assigned, never to whom. */
	assert_int_equal(
	        itest_event_count(
	                db_url, "kind = 'establishment.assigned' AND payload::text LIKE '%ines%'"),
	        0);
}

int main(void)
{
	crypto_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readings_and_checklist),
		cmocka_unit_test(test_photos),
		cmocka_unit_test(test_if_match_conflict),
		cmocka_unit_test(test_due_list),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
