/*
 * The log's Merkle tree end to end: the sealer keeps the tiles, the server serves them with
 * proofs and signed checkpoints, placard verify-log recomputes them, and tampering is caught.
 *
 * Run with the argument "go", the same checks are made by an independent verifier written
 * against golang.org/x/mod/sumdb/note and tlog (tests/tlog/verify.go), which shares no code
 * with Placard: it must accept the honest log and refuse a changed entry, a forked
 * checkpoint, a dropped tail and a rewritten history. Without Go it exits 77 (skipped) and
 * says why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/crypto.h"
#include "domain/tlog.h"
#include "harness.h"

static struct itest_server server;
static char db_url[256];
static char dir[] = "/tmp/placard-tlog-XXXXXX";
static char key_path[300], env_key[320];
static char vkey[TLOG_VKEY_MAX];

/* Append @n events and wait until the sealer has put them in the tree. */
static void append_events(long long n, const char *kind)
{
	long long before = itest_sql_count(db_url, "SELECT size FROM tlog_state");
	char sql[256];
	snprintf(sql, sizeof(sql),
	         "SELECT event_append('%s', 's' || i, jsonb_build_object('n', i)) "
	         "FROM generate_series(1, %lld) i",
	         kind, n);
	itest_sql(db_url, sql);
	for (int i = 0; i < 200; i++) {
		if (itest_sql_count(db_url, "SELECT size FROM tlog_state") == before + n)
			return;
		struct timespec ts = { 0, 50 * 1000000 };
		nanosleep(&ts, NULL);
	}
	fail_msg("the sealer did not extend the tree to %lld entries", before + n);
}

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	assert_non_null(mkdtemp(dir));
	snprintf(key_path, sizeof(key_path), "%s/log.key", dir);
	struct buf out = BUF_INIT;
	assert_int_equal(itest_shell(&out, "'%s' log keygen --origin test.example/log '%s'",
	                             itest_bin(), key_path),
	                 0);
	snprintf(vkey, sizeof(vkey), "%.*s", (int)strcspn(out.data, "\n"), out.data);
	buf_release(&out);
	struct stat sb;
	assert_int_equal(stat(key_path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	itest_db_create("tlog", db_url, sizeof(db_url));
	snprintf(env_key, sizeof(env_key), "PLACARD_LOG_KEY=%s", key_path);
	const char *env[] = { env_key, NULL };
	itest_server_start(&server, db_url, env);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (server.pid)
		assert_int_equal(itest_server_stop(&server), 0);
	if (key_path[0])
		itest_shell(NULL, "rm -rf '%s'", dir);
	return 0;
}

#define NEED_DB()                                                                                  \
	do {                                                                                       \
		if (!server.pid)                                                                   \
			skip();                                                                    \
	} while (0)

/* The leaf hashes of the first @n entries, from the database. */
static struct tlog_hash *leaves_from_db(long long n)
{
	struct buf out = BUF_INIT;
	assert_int_equal(itest_shell(&out,
	                             "psql -XAtc 'SELECT hash FROM event_log ORDER BY seq LIMIT "
	                             "%lld' '%s'",
	                             n, db_url),
	                 0);
	struct tlog_hash *h = calloc((size_t)n + 1, sizeof(*h));
	char *p = out.data;
	for (long long i = 0; i < n; i++) {
		char hex[65];
		memcpy(hex, p, 64);
		hex[64] = '\0';
		struct tlog_hash data;
		assert_int_equal(tlog_hash_from_hex(hex, &data), 0);
		tlog_leaf_hash(data.b, TLOG_HASH_LEN, &h[i]);
		p += 65;
	}
	buf_release(&out);
	return h;
}

static void root_of(const struct tlog_hash *leaves, long long n, struct tlog_hash *out)
{
	struct tlog_builder *b = calloc(1, sizeof(*b));
	tlog_builder_init(b);
	for (long long i = 0; i < n; i++)
		tlog_builder_add(b, &leaves[i]);
	tlog_builder_root(b, out);
	free(b);
}

/* A proof's hashes from its JSON text. */
static int proof_from_json(const char *json, struct tlog_hash proof[TLOG_PROOF_MAX])
{
	const char *p = strstr(json, "\"proof\":[");
	assert_non_null(p);
	p += 9;
	int n = 0;
	while (*p == '"') {
		char b64[48];
		size_t len = strcspn(p + 1, "\"");
		assert_true(len < sizeof(b64));
		memcpy(b64, p + 1, len);
		b64[len] = '\0';
		assert_int_equal(tlog_hash_from_base64(b64, &proof[n++]), 0);
		p += len + 2;
		if (*p == ',')
			p++;
	}
	return n;
}

static void test_without_a_key(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_server plain;
	itest_server_start(&plain, db_url, NULL);
	struct itest_response r;
	itest_get(&plain, "/checkpoint", &r);
	assert_int_equal(r.status, 503);
	assert_non_null(strstr(r.body.data, "PLACARD_LOG_KEY"));
	itest_response_free(&r);
	itest_get(&plain, "/api/v1/log/key", &r);
	assert_int_equal(r.status, 503);
	itest_response_free(&r);
	/* The tree and its proofs are served all the same. */
	itest_get(&plain, "/api/v1/log/proof/inclusion?index=0&size=1", &r);
	assert_true(r.status == 200 || r.status == 400);
	itest_response_free(&r);
	assert_int_equal(itest_server_stop(&plain), 0);

	/* A key others may read is refused at start. */
	struct buf out = BUF_INIT;
	assert_int_equal(itest_shell(NULL, "chmod 640 '%s'", key_path), 0);
	int rc = itest_shell(&out,
	                     "PLACARD_LOG_KEY='%s' PLACARD_DATABASE_URL='%s' "
	                     "PLACARD_DEVELOPMENT=1 PLACARD_LISTEN=127.0.0.1:0 '%s' serve 2>&1",
	                     key_path, db_url, itest_bin());
	assert_int_equal(itest_shell(NULL, "chmod 600 '%s'", key_path), 0);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(out.data, "chmod 600"));
	buf_release(&out);
	/* keygen never overwrites a key. */
	assert_int_not_equal(itest_shell(NULL, "'%s' log keygen --origin x '%s' 2>/dev/null",
	                                 itest_bin(), key_path),
	                     0);
}

/* GET /api/v1/log/entries?subject=S: the entries about S, in order, with the key to check
 * them against (null from a server without one); paged by after and limit. */
static void test_entries_by_subject(void **state)
{
	(void)state;
	NEED_DB();
	append_events(3, "test.subject");
	append_events(3, "test.subject");
	long long n =
	        itest_sql_count(db_url, "SELECT count(*) FROM event_log WHERE subject = 's2'");
	assert_true(n >= 2);
	struct itest_response r;
	itest_get(&server, "/api/v1/log/entries?subject=s2", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(itest_header(&r, "Cache-Control"), "no-cache");
	json_t *v = json_loads(r.body.data, 0, NULL);
	itest_response_free(&r);
	assert_non_null(v);
	assert_string_equal(json_string_value(json_object_get(v, "vkey")), vkey);
	assert_string_equal(json_string_value(json_object_get(v, "origin")), "test.example/log");
	assert_string_equal(json_string_value(json_object_get(v, "subject")), "s2");
	json_t *entries = json_object_get(v, "entries");
	assert_int_equal((long long)json_array_size(entries), n);
	long long prev = 0;
	for (size_t i = 0; i < json_array_size(entries); i++) {
		json_t *e = json_array_get(entries, i);
		long long seq = json_integer_value(json_object_get(e, "seq"));
		assert_true(seq > prev);
		prev = seq;
		assert_string_equal(json_string_value(json_object_get(e, "subject")), "s2");
		char sql[128];
		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM event_log WHERE seq = %lld AND hash = '%s'", seq,
		         json_string_value(json_object_get(e, "hash")));
		assert_int_equal(itest_sql_count(db_url, sql), 1);
	}
	long long first = json_integer_value(json_object_get(json_array_get(entries, 0), "seq"));
	long long second = json_integer_value(json_object_get(json_array_get(entries, 1), "seq"));
	json_decref(v);

	/* One at a time, after the first. */
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/log/entries?subject=s2&after=%lld&limit=1", first);
	itest_get(&server, path, &r);
	assert_int_equal(r.status, 200);
	v = json_loads(r.body.data, 0, NULL);
	itest_response_free(&r);
	assert_int_equal(json_array_size(json_object_get(v, "entries")), 1);
	assert_int_equal(json_integer_value(json_object_get(v, "next_after")), second);
	json_decref(v);

	/* Nothing about an unknown subject; a subject is required and at most 100 characters. */
	itest_get(&server, "/api/v1/log/entries?subject=inspection/999999", &r);
	assert_int_equal(r.status, 200);
	v = json_loads(r.body.data, 0, NULL);
	itest_response_free(&r);
	assert_int_equal(json_array_size(json_object_get(v, "entries")), 0);
	assert_true(json_is_null(json_object_get(v, "next_after")));
	json_decref(v);
	itest_get(&server, "/api/v1/log/entries", &r);
	assert_int_equal(r.status, 400);
	itest_response_free(&r);
	char longer[200] = "/api/v1/log/entries?subject=";
	memset(longer + strlen(longer), 'x', 101);
	itest_get(&server, longer, &r);
	assert_int_equal(r.status, 400);
	itest_response_free(&r);

	/* A server without a key gives the entries and no key. */
	struct itest_server plain;
	itest_server_start(&plain, db_url, NULL);
	itest_get(&plain, "/api/v1/log/entries?subject=s2", &r);
	assert_int_equal(r.status, 200);
	v = json_loads(r.body.data, 0, NULL);
	itest_response_free(&r);
	assert_true(json_is_null(json_object_get(v, "vkey")));
	assert_true(json_is_null(json_object_get(v, "origin")));
	assert_int_equal((long long)json_array_size(json_object_get(v, "entries")), n);
	json_decref(v);
	assert_int_equal(itest_server_stop(&plain), 0);
}

static void test_tree_tiles_and_proofs(void **state)
{
	(void)state;
	NEED_DB();
	long long base = itest_sql_count(db_url, "SELECT size FROM tlog_state");
	append_events(300 - base, "test.tlog");
	struct tlog_hash *leaves = leaves_from_db(300);
	struct tlog_hash root;
	root_of(leaves, 300, &root);

	/* The published key, and the checkpoint it signs. */
	struct itest_response r;
	itest_get(&server, "/api/v1/log/key", &r);
	assert_int_equal(r.status, 200);
	char want[512];
	snprintf(want, sizeof(want), "{\"origin\":\"test.example/log\",\"vkey\":\"%s\"}", vkey);
	assert_string_equal(r.body.data, want);
	itest_response_free(&r);
	itest_get(&server, "/checkpoint", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(itest_header(&r, "Content-Type"), "text/plain; charset=utf-8");
	assert_string_equal(itest_header(&r, "Cache-Control"), "no-cache");
	size_t body;
	assert_int_equal(tlog_note_verify(r.body.data, r.body.len, vkey, &body), 0);
	char origin[TLOG_NAME_MAX];
	long long size;
	struct tlog_hash cp_root;
	assert_int_equal(tlog_checkpoint_parse(r.body.data, body, origin, &size, &cp_root), 0);
	assert_string_equal(origin, "test.example/log");
	assert_int_equal(size, 300);
	assert_memory_equal(cp_root.b, root.b, TLOG_HASH_LEN);
	itest_response_free(&r);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM tlog_checkpoint WHERE "
	                                         "size = 300"),
	                 1);

	/* Tiles: full ones kept for ever, partial ones briefly; none beyond the tree. */
	itest_get(&server, "/tile/0/000", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, 256 * 32);
	assert_memory_equal(r.body.data, leaves, 256 * 32);
	assert_string_equal(itest_header(&r, "Cache-Control"),
	                    "public, max-age=31536000, immutable");
	assert_string_equal(itest_header(&r, "Content-Type"), "application/octet-stream");
	itest_response_free(&r);
	itest_get(&server, "/tile/0/001.p/44", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, 44 * 32);
	assert_memory_equal(r.body.data, leaves + 256, 44 * 32);
	assert_string_equal(itest_header(&r, "Cache-Control"), "public, max-age=10");
	itest_response_free(&r);
	itest_get(&server, "/tile/0/001.p/20", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, 20 * 32);
	itest_response_free(&r);
	itest_get(&server, "/tile/1/000.p/1", &r);
	assert_int_equal(r.status, 200);
	struct tlog_hash tile_root;
	tlog_fold(leaves, 256, &tile_root);
	assert_int_equal(r.body.len, 32);
	assert_memory_equal(r.body.data, tile_root.b, 32);
	itest_response_free(&r);
	itest_get(&server, "/tile/entries/001.p/44", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, 44 * 34);
	assert_int_equal(r.body.data[0], 0);
	assert_int_equal(r.body.data[1], 32);
	itest_response_free(&r);
	static const char *const missing[] = { "/tile/0/001.p/45", "/tile/0/001",
		                               "/tile/1/000",      "/tile/entries/001",
		                               "/tile/0/1",        "/tile/0/x000/001",
		                               "/tile/9/000" };
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		itest_get(&server, missing[i], &r);
		if (r.status != 404)
			fail_msg("%s: %ld", missing[i], r.status);
		itest_response_free(&r);
	}

	/* The longest paths reach the handler too (a tree of a billion entries has them). */
	itest_get(&server, "/tile/0/x001/x234/067.p/5", &r);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body.data, "no tile 0/1234067 of width 5"));
	itest_response_free(&r);
	itest_get(&server, "/tile/entries/x001/x234/x567/890", &r);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body.data, "no entry bundle 1234567890 "));
	itest_response_free(&r);

	/* Proofs check against the checkpoint's root. */
	struct tlog_hash proof[TLOG_PROOF_MAX];
	itest_get(&server, "/api/v1/log/proof/inclusion?index=299&size=300", &r);
	assert_int_equal(r.status, 200);
	int n = proof_from_json(r.body.data, proof);
	assert_int_equal(tlog_check_inclusion(&leaves[299], 299, 300, &root, proof, n), 0);
	assert_int_equal(tlog_check_inclusion(&leaves[298], 299, 300, &root, proof, n), -EINVAL);
	itest_response_free(&r);
	itest_get(&server, "/api/v1/log/proof/consistency?old=100&size=300", &r);
	assert_int_equal(r.status, 200);
	n = proof_from_json(r.body.data, proof);
	struct tlog_hash old_root;
	root_of(leaves, 100, &old_root);
	assert_int_equal(tlog_check_consistency(100, &old_root, 300, &root, proof, n), 0);
	itest_response_free(&r);
	static const char *const bad[] = {
		"/api/v1/log/proof/inclusion?index=300&size=300",
		"/api/v1/log/proof/inclusion?index=0&size=301",
		"/api/v1/log/proof/inclusion?size=3",
		"/api/v1/log/proof/inclusion?index=-1&size=3",
		"/api/v1/log/proof/consistency?old=0&size=300",
		"/api/v1/log/proof/consistency?old=301&size=300",
		"/api/v1/log/proof/consistency?old=1&size=301",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		itest_get(&server, bad[i], &r);
		if (r.status != 400)
			fail_msg("%s: %ld", bad[i], r.status);
		itest_response_free(&r);
	}
	free(leaves);
}

static int verify_log(struct buf *out, const char *args)
{
	buf_truncate(out, 0);
	return itest_shell(out, "PLACARD_DATABASE_URL='%s' '%s' verify-log %s 2>&1", db_url,
	                   itest_bin(), args);
}

static void test_verify_log(void **state)
{
	(void)state;
	NEED_DB();
	struct buf out = BUF_INIT;
	struct itest_response r;
	itest_get(&server, "/checkpoint", &r);
	assert_int_equal(r.status, 200);
	char cp[400];
	snprintf(cp, sizeof(cp), "%s/kept.checkpoint", dir);
	FILE *f = fopen(cp, "w");
	fwrite(r.body.data, 1, r.body.len, f);
	fclose(f);
	itest_response_free(&r);
	long long kept = itest_sql_count(db_url, "SELECT size FROM tlog_state");
	append_events(50, "test.tlog");

	char args[1024];
	snprintf(args, sizeof(args), "--checkpoint '%s' --key '%s'", cp, vkey);
	int rc = verify_log(&out, args);
	if (rc != 0)
		fail_msg("%s", out.data);
	char want[256];
	snprintf(want, sizeof(want), "Merkle tree of %lld entries verified", kept + 50);
	assert_non_null(strstr(out.data, want));
	assert_non_null(strstr(out.data, "the newest checkpoint ("));
	assert_non_null(strstr(out.data, "matches the log: it has only been added to since"));

	/* Another key: the checkpoints are not its. */
	snprintf(args, sizeof(args),
	         "--checkpoint '%s' --key "
	         "'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'",
	         cp);
	assert_int_equal(verify_log(&out, args), 1);
	assert_non_null(strstr(out.data, "is not signed by the key PeterNeumann"));

	/* A tile changed behind the trigger's back is named. */
	itest_sql(db_url, "ALTER TABLE tlog_tile DISABLE TRIGGER USER;"
	                  "UPDATE tlog_tile SET hashes = set_byte(hashes, 40, get_byte(hashes, "
	                  "40) # 1) WHERE level = 0 AND idx = 0;"
	                  "ALTER TABLE tlog_tile ENABLE TRIGGER USER");
	assert_int_equal(verify_log(&out, ""), 1);
	assert_non_null(strstr(out.data, "tile tile/0/000 of the Merkle tree is not what the "
	                                 "entries give"));
	itest_sql(db_url, "ALTER TABLE tlog_tile DISABLE TRIGGER USER;"
	                  "UPDATE tlog_tile SET hashes = set_byte(hashes, 40, get_byte(hashes, "
	                  "40) # 1) WHERE level = 0 AND idx = 0;"
	                  "ALTER TABLE tlog_tile ENABLE TRIGGER USER");
	assert_int_equal(verify_log(&out, ""), 0);

	/* The database keeps tiles from shrinking or changing. */
	assert_int_not_equal(itest_shell(NULL,
	                                 "psql -Xqc \"UPDATE tlog_tile SET hashes = "
	                                 "substring(hashes FROM 1 FOR 32) WHERE level = 0 AND "
	                                 "idx = 0\" '%s' 2>/dev/null",
	                                 db_url),
	                     0);
	assert_int_not_equal(
	        itest_shell(NULL, "psql -Xqc 'DELETE FROM tlog_tile' '%s' 2>/dev/null", db_url), 0);

	/* A kept checkpoint whose tail the log no longer has. */
	/* Re-sign it with a size beyond the log's: same key, a checkpoint of entries removed. */
	struct tlog_key k;
	char skey[256];
	f = fopen(key_path, "r");
	assert_non_null(fgets(skey, sizeof(skey), f));
	fclose(f);
	assert_int_equal(tlog_key_parse_skey(skey, &k), 0);
	struct buf bodytext = BUF_INIT, note = BUF_INIT;
	struct tlog_hash zero = { { 0 } };
	tlog_checkpoint_body("test.example/log", 100000, &zero, &bodytext);
	tlog_note_sign(&k, bodytext.data, bodytext.len, &note);
	f = fopen(cp, "w");
	fwrite(note.data, 1, note.len, f);
	fclose(f);
	snprintf(args, sizeof(args), "--checkpoint '%s' --key '%s'", cp, vkey);
	assert_int_equal(verify_log(&out, args), 1);
	assert_non_null(strstr(out.data, "entries were removed since it was signed"));
	/* And one of the right size with another root: a rewritten history. */
	buf_truncate(&bodytext, 0);
	buf_truncate(&note, 0);
	tlog_checkpoint_body("test.example/log", kept, &zero, &bodytext);
	tlog_note_sign(&k, bodytext.data, bodytext.len, &note);
	f = fopen(cp, "w");
	fwrite(note.data, 1, note.len, f);
	fclose(f);
	assert_int_equal(verify_log(&out, args), 1);
	assert_non_null(strstr(out.data, "the log was rewritten since it was signed"));
	buf_release(&bodytext);
	buf_release(&note);

	/* The sealer's tree takes no entry that does not follow on from its last leaf: an entry
	 * moved to the end behind the trigger stays out of it. */
	long long size = itest_sql_count(db_url, "SELECT size FROM tlog_state");
	itest_sql(db_url, "ALTER TABLE event_log DISABLE TRIGGER USER;"
	                  "UPDATE event_log SET seq = (SELECT max(seq) + 1 FROM event_log) "
	                  "WHERE seq = 5;"
	                  "ALTER TABLE event_log ENABLE TRIGGER USER");
	struct timespec ts = { 0, 300 * 1000000 };
	nanosleep(&ts, NULL);
	assert_int_equal(itest_sql_count(db_url, "SELECT size FROM tlog_state"), size);
	itest_sql(db_url, "ALTER TABLE event_log DISABLE TRIGGER USER;"
	                  "UPDATE event_log SET seq = 5 WHERE seq = (SELECT max(seq) FROM "
	                  "event_log);"
	                  "ALTER TABLE event_log ENABLE TRIGGER USER");
	assert_int_equal(verify_log(&out, ""), 0);

	/* The newest entries removed: the chain that is left holds, the newest checkpoint the
	 * server signed does not. */
	itest_get(&server, "/checkpoint", &r);
	assert_int_equal(r.status, 200);
	itest_response_free(&r);
	itest_sql(db_url, "CREATE TABLE log_copy AS SELECT * FROM event_log;"
	                  "ALTER TABLE event_log DISABLE TRIGGER USER;"
	                  "DELETE FROM event_log WHERE seq > (SELECT max(seq) - 3 FROM log_copy);"
	                  "ALTER TABLE event_log ENABLE TRIGGER USER");
	assert_int_equal(verify_log(&out, ""), 1);
	snprintf(want, sizeof(want),
	         "the newest checkpoint has %lld entries, the log only %lld: entries were "
	         "removed",
	         size, size - 3);
	if (!strstr(out.data, want))
		fail_msg("%s", out.data);
	itest_sql(db_url, "ALTER TABLE event_log DISABLE TRIGGER USER;"
	                  "INSERT INTO event_log SELECT * FROM log_copy WHERE seq > "
	                  "(SELECT max(seq) FROM event_log);"
	                  "ALTER TABLE event_log ENABLE TRIGGER USER; DROP TABLE log_copy");
	assert_int_equal(verify_log(&out, ""), 0);
	buf_release(&out);
}

/*
 * A key rotation: PLACARD_LOG_KEY_PREVIOUS signs every checkpoint beside the new key, so that
 * whoever knows only the old key (a printed card, a browser, a verifier's kept checkpoint)
 * checks the new one through it. A previous key of another name, the key itself, or one
 * without a new key is refused at start.
 */
static void test_key_rotation(void **state)
{
	(void)state;
	NEED_DB();
	char new_path[300], other_path[300], cp[300], env_new[400], env_old[400];
	snprintf(new_path, sizeof(new_path), "%s/new.key", dir);
	snprintf(other_path, sizeof(other_path), "%s/other.key", dir);
	snprintf(cp, sizeof(cp), "%s/before-rotation.checkpoint", dir);
	struct buf out = BUF_INIT;
	assert_int_equal(itest_shell(&out, "'%s' log keygen --origin test.example/log '%s'",
	                             itest_bin(), new_path),
	                 0);
	char new_vkey[TLOG_VKEY_MAX];
	snprintf(new_vkey, sizeof(new_vkey), "%.*s", (int)strcspn(out.data, "\n"), out.data);
	assert_int_equal(itest_shell(NULL, "'%s' log keygen --origin elsewhere.example/log '%s'",
	                             itest_bin(), other_path),
	                 0);

	/* A checkpoint kept before the rotation, signed by the old key only. */
	struct itest_response r;
	itest_get(&server, "/checkpoint", &r);
	assert_int_equal(r.status, 200);
	FILE *f = fopen(cp, "w");
	fwrite(r.body.data, 1, r.body.len, f);
	fclose(f);
	size_t body;
	assert_int_equal(tlog_note_verify(r.body.data, r.body.len, new_vkey, &body), -EPERM);
	itest_response_free(&r);
	append_events(3, "test.rotation");

	snprintf(env_new, sizeof(env_new), "PLACARD_LOG_KEY=%s", new_path);
	snprintf(env_old, sizeof(env_old), "PLACARD_LOG_KEY_PREVIOUS=%s", key_path);
	const char *env[] = { env_new, env_old, NULL };
	struct itest_server rot;
	itest_server_start(&rot, db_url, env);
	itest_get(&rot, "/checkpoint", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(tlog_note_verify(r.body.data, r.body.len, new_vkey, &body), 0);
	assert_int_equal(tlog_note_verify(r.body.data, r.body.len, vkey, &body), 0);
	itest_response_free(&r);
	itest_get(&rot, "/api/v1/log/key", &r);
	assert_int_equal(r.status, 200);
	char want[1000];
	snprintf(want, sizeof(want), "\"vkey\":\"%s\",\"previous_vkey\":\"%s\"", new_vkey, vkey);
	if (!strstr(r.body.data, want))
		fail_msg("%s", r.body.data);
	itest_response_free(&r);
	itest_get(&rot, "/api/v1/log/entries?subject=test.rotation/s1", &r);
	assert_int_equal(r.status, 200);
	snprintf(want, sizeof(want), "\"previous_vkey\" : \"%s\"", vkey);
	if (!strstr(r.body.data, want))
		fail_msg("%s", r.body.data);
	itest_response_free(&r);
	assert_int_equal(itest_server_stop(&rot), 0);

	/* A verifier that kept the old checkpoint and knows both keys: all holds. With the old
	 * key alone: the new checkpoint is signed by it too. With the new key alone: the kept
	 * checkpoint is not its. */
	char args[1200];
	snprintf(args, sizeof(args), "--checkpoint '%s' --key '%s' --key '%s'", cp, new_vkey, vkey);
	if (verify_log(&out, args) != 0)
		fail_msg("%s", out.data);
	snprintf(args, sizeof(args), "--checkpoint '%s' --key '%s'", cp, vkey);
	if (verify_log(&out, args) != 0)
		fail_msg("%s", out.data);
	snprintf(args, sizeof(args), "--checkpoint '%s' --key '%s'", cp, new_vkey);
	assert_int_equal(verify_log(&out, args), 1);
	assert_non_null(strstr(out.data, "is not signed by the key"));

	/* Refused at start. */
	const char *bad[][2] = {
		{ other_path, "keeps the log's name" },
		{ new_path, "is the key itself" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = itest_shell(&out,
		                     "PLACARD_LOG_KEY='%s' PLACARD_LOG_KEY_PREVIOUS='%s' "
		                     "PLACARD_DATABASE_URL='%s' PLACARD_DEVELOPMENT=1 "
		                     "PLACARD_LISTEN=127.0.0.1:0 timeout 10 '%s' serve 2>&1",
		                     new_path, bad[i][0], db_url, itest_bin());
		assert_int_not_equal(rc, 0);
		if (!strstr(out.data, bad[i][1]))
			fail_msg("%s", out.data);
		buf_truncate(&out, 0);
	}
	int rc = itest_shell(&out,
	                     "PLACARD_LOG_KEY_PREVIOUS='%s' PLACARD_DATABASE_URL='%s' "
	                     "PLACARD_DEVELOPMENT=1 PLACARD_LISTEN=127.0.0.1:0 timeout 10 '%s' "
	                     "serve 2>&1",
	                     key_path, db_url, itest_bin());
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(out.data, "without PLACARD_LOG_KEY"));
	buf_release(&out);

	/* The server with only the old key signs again, so later tests see its checkpoints. */
	itest_get(&server, "/checkpoint", &r);
	itest_response_free(&r);
}

/* Witnesses (placard witness, C2SP tlog-witness). */

/*
 * The sealer extends the tree from the leaf hashes it computes while sealing, only when the
 * tree ends where the new entries begin; otherwise tlog_extend() reads the entries back and
 * checks each follows on. Its own database, sealing called directly: a tree built from an
 * empty log, then extended batch by batch, is the one verify-log computes; an entry moved
 * to the end behind the trigger keeps the tree where it was even when new entries are sealed
 * after it, which the shortcut alone would have taken in.
 */
static void test_sealer_extends_or_checks(void **state)
{
	(void)state;
	if (!itest_have_db())
		skip();
	char url[256];
	itest_db_create("tlog_seal", url, sizeof(url));
	itest_sql(url, "SELECT event_append('test.one', 'test/' || i, '{}') "
	               "FROM generate_series(1, 300) AS i;"
	               "SELECT event_seal(1000);"
	               "SELECT event_append('test.two', 'test/' || i, '{}') "
	               "FROM generate_series(1, 7) AS i;"
	               "SELECT event_seal(3); SELECT event_seal(3); SELECT event_seal(3)");
	assert_int_equal(itest_sql_count(url, "SELECT size FROM tlog_state"), 307);
	assert_int_equal(itest_sql_count(url, "SELECT count(*) FROM tlog_tile WHERE level = 1"), 1);
	struct buf out = BUF_INIT;
	if (itest_shell(&out, "PLACARD_DATABASE_URL='%s' '%s' verify-log 2>&1", url, itest_bin()) !=
	    0)
		fail_msg("verify-log: %s", out.data);

	itest_sql(url, "ALTER TABLE event_log DISABLE TRIGGER USER;"
	               "UPDATE event_log SET seq = 308 WHERE seq = 5;"
	               "ALTER TABLE event_log ENABLE TRIGGER USER;"
	               "SELECT event_append('test.three', 'test/' || i, '{}') "
	               "FROM generate_series(1, 4) AS i;"
	               "SELECT event_seal(1000)");
	assert_int_equal(itest_sql_count(url, "SELECT max(seq) FROM event_log"), 312);
	assert_int_equal(itest_sql_count(url, "SELECT size FROM tlog_state"), 307);
	buf_release(&out);
}

static struct itest_server witness, witnessed;
static char wvkey[TLOG_VKEY_MAX], wstate[320], wkey[320], deadkey[320], wenv[1200];

/* The cosignature verifier key of the witness key file @path. */
static void cosig_vkey_of(const char *path, char *out, size_t size)
{
	struct buf f = BUF_INIT, v = BUF_INIT;
	assert_int_equal(itest_shell(&f, "cat '%s'", path), 0);
	struct tlog_key k;
	assert_int_equal(tlog_key_parse_skey(f.data, &k), 0);
	tlog_cosig_vkey(&k, &v);
	snprintf(out, size, "%s", v.data);
	buf_release(&f);
	buf_release(&v);
}

/* A witness, and a server that asks it and a second witness that is down. */
static void start_witnessed(void)
{
	snprintf(wkey, sizeof(wkey), "%s/w1.key", dir);
	snprintf(deadkey, sizeof(deadkey), "%s/w2.key", dir);
	snprintf(wstate, sizeof(wstate), "%s/w1.state", dir);
	itest_shell(NULL, "rm -f '%s' '%s' '%s'", wkey, deadkey, wstate);
	assert_int_equal(itest_shell(NULL,
	                             "'%s' log keygen --origin witness.test/w1 '%s' >/dev/null",
	                             itest_bin(), wkey),
	                 0);
	assert_int_equal(itest_shell(NULL,
	                             "'%s' log keygen --origin witness.test/w2 '%s' >/dev/null",
	                             itest_bin(), deadkey),
	                 0);
	cosig_vkey_of(wkey, wvkey, sizeof(wvkey));
	char deadvkey[TLOG_VKEY_MAX];
	cosig_vkey_of(deadkey, deadvkey, sizeof(deadvkey));
	const char *argv[] = { "placard", "witness", "--key", wkey, "--log",
		               vkey,      "--state", wstate,  NULL };
	itest_process_start(&witness, db_url, NULL, argv);
	snprintf(wenv, sizeof(wenv), "PLACARD_WITNESSES=%s %s/;%s http://127.0.0.1:1/", wvkey,
	         witness.base, deadvkey);
	const char *env[] = { env_key, wenv, NULL };
	itest_server_start(&witnessed, db_url, env);
}

static void stop_witnessed(void)
{
	assert_int_equal(itest_server_stop(&witnessed), 0);
	assert_int_equal(itest_server_stop(&witness), 0);
}

/* The server's checkpoint once it is cosigned by the witness at @size or more entries (10 s). */
static void cosigned_checkpoint(long long size, struct buf *out)
{
	char line[TLOG_NAME_MAX + 8];
	snprintf(line, sizeof(line), "\xe2\x80\x94 witness.test/w1 ");
	for (int i = 0; i < 200; i++) {
		struct itest_response r;
		itest_get(&witnessed, "/checkpoint", &r);
		assert_int_equal(r.status, 200);
		long long n = atoll(strchr(r.body.data, '\n') + 1);
		if (n >= size && strstr(r.body.data, line)) {
			buf_truncate(out, 0);
			buf_addstr(out, r.body.data);
			itest_response_free(&r);
			return;
		}
		itest_response_free(&r);
		struct timespec ts = { 0, 50 * 1000000 };
		nanosleep(&ts, NULL);
	}
	fail_msg("no checkpoint of %lld entries cosigned by the witness in 10 s", size);
}

/* POST @body to the witness's add-checkpoint; its status, the answer in @r. */
static long add_checkpoint(const char *body, struct itest_response *r)
{
	const char *headers[] = { "Content-Type: text/plain", NULL };
	itest_request(&witness, "POST", "/add-checkpoint", headers, body, strlen(body), r);
	return r->status;
}

static void test_witness(void **state)
{
	(void)state;
	NEED_DB();
	start_witnessed();
	append_events(5, "test.witness");
	long long size = itest_sql_count(db_url, "SELECT size FROM tlog_state");
	struct buf cp = BUF_INIT;
	cosigned_checkpoint(size, &cp);
	/* The log's signature and the witness's cosignature both hold over the same body. */
	size_t blen;
	assert_int_equal(tlog_note_verify(cp.data, cp.len, vkey, &blen), 0);
	const char *line = strstr(cp.data, "\xe2\x80\x94 witness.test/w1 ");
	uint64_t t;
	assert_int_equal(tlog_cosig_verify(line, strcspn(line, "\n") + 1, cp.data, blen, wvkey, &t),
	                 0);
	assert_true(t > 1700000000 && t <= (uint64_t)time(NULL) + 1);
	/* ... and not over another body, nor as the log's key. */
	assert_int_equal(
	        tlog_cosig_verify(line, strcspn(line, "\n") + 1, cp.data, blen - 1, wvkey, NULL),
	        -EPERM);
	assert_int_equal(
	        tlog_cosig_verify(line, strcspn(line, "\n") + 1, cp.data, blen, vkey, NULL),
	        -EINVAL);
	/* The witness that is down held nothing up, and is not counted. */
	assert_null(strstr(cp.data, "witness.test/w2 "));
	struct itest_response r;
	itest_get(&witnessed, "/api/v1/log/witnesses", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.data, "\"signed\":true"));
	assert_non_null(strstr(r.body.data, "\"name\":\"witness.test/w1\""));
	assert_non_null(strstr(r.body.data, "\"name\":\"witness.test/w2\""));
	itest_response_free(&r);

	/* The log grows: the witness cosigns the new size, from a consistency proof. */
	append_events(300, "test.witness");
	long long grown = itest_sql_count(db_url, "SELECT size FROM tlog_state");
	cosigned_checkpoint(grown, &cp);
	char want[64];
	snprintf(want, sizeof(want), "%lld\n", grown);
	struct buf st = BUF_INIT;
	assert_int_equal(itest_shell(&st, "head -1 '%s'", wstate), 0);
	assert_string_equal(st.data, want);

	/* A fork signed with the log's own key: the same size and another root, or a larger
	 * tree whose proof does not join the one cosigned. The witness refuses both (422). */
	struct buf f = BUF_INIT;
	assert_int_equal(itest_shell(&f, "cat '%s'", key_path), 0);
	struct tlog_key logkey;
	assert_int_equal(tlog_key_parse_skey(f.data, &logkey), 0);
	struct tlog_hash other;
	memset(&other, 7, sizeof(other));
	for (int grow = 0; grow <= 1; grow++) {
		struct buf body = BUF_INIT, req = BUF_INIT;
		tlog_checkpoint_body("test.example/log", grown + grow, &other, &body);
		buf_addf(&req, "old %lld\n", grown);
		if (grow) {
			char b64[48];
			tlog_hash_base64(&other, b64);
			buf_addf(&req, "%s\n", b64);
		}
		buf_addch(&req, '\n');
		tlog_note_sign(&logkey, body.data, body.len, &req);
		assert_int_equal(add_checkpoint(req.data, &r), 422);
		itest_response_free(&r);
		/* An old size that is not the witness's: 409 and the size it has. */
		buf_truncate(&req, 0);
		buf_addf(&req, "old %lld\n\n", grown - 1);
		tlog_note_sign(&logkey, body.data, body.len, &req);
		assert_int_equal(add_checkpoint(req.data, &r), 409);
		assert_string_equal(r.body.data, want);
		assert_string_equal(itest_header(&r, "Content-Type"), "text/x.tlog.size");
		itest_response_free(&r);
		/* Signed by another key: 403; not a request: 400. */
		struct tlog_key stranger;
		unsigned char seed[32] = { 1 };
		assert_int_equal(tlog_key_from_seed("test.example/log", seed, &stranger), 0);
		buf_truncate(&req, 0);
		buf_addf(&req, "old %lld\n\n", grown);
		tlog_note_sign(&stranger, body.data, body.len, &req);
		assert_int_equal(add_checkpoint(req.data, &r), 403);
		itest_response_free(&r);
		assert_int_equal(add_checkpoint("old x\n\nnothing\n", &r), 400);
		itest_response_free(&r);
		buf_release(&body);
		buf_release(&req);
	}
	/* The witness kept the size it cosigned. */
	buf_truncate(&st, 0);
	assert_int_equal(itest_shell(&st, "head -1 '%s'", wstate), 0);
	assert_string_equal(st.data, want);
	buf_release(&st);
	buf_release(&f);
	buf_release(&cp);
	stop_witnessed();
}

/* ---------------------------------------------------------------------------------------- */
/* The independent verifier (tests/tlog/verify.go).                                          */

static char go_bin[400];

/* Run the Go verifier with @args; its exit status, its output in @out. */
static int go_verify(struct buf *out, const char *args)
{
	buf_truncate(out, 0);
	return itest_shell(out, "'%s' -url '%s' %s 2>&1", go_bin, server.base, args);
}

static void expect(int rc, int want, const struct buf *out, const char *text)
{
	if (rc != want || (text && !strstr(out->data, text)))
		fail_msg("the Go verifier exited %d (want %d, saying \"%s\"):\n%s", rc, want,
		         text ? text : "", out->data);
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void test_go_verifier(void **state)
{
	(void)state;
	NEED_DB();
	struct buf out = BUF_INIT;
	char args[1200], cp1[400], cp2[400], fork[400];
	snprintf(cp1, sizeof(cp1), "%s/cp1", dir);
	snprintf(cp2, sizeof(cp2), "%s/cp2", dir);
	snprintf(fork, sizeof(fork), "%s/fork", dir);

	/* The honest log: accepted, and again after it grew. */
	append_events(300, "test.tlog");
	snprintf(args, sizeof(args), "-save '%s'", cp1);
	expect(go_verify(&out, args), 0, &out, "every entry included");
	append_events(100, "test.tlog");
	snprintf(args, sizeof(args), "-old '%s' -save '%s'", cp1, cp2);
	expect(go_verify(&out, args), 0, &out, "has only been added to since");
	/* With the key given rather than fetched. */
	snprintf(args, sizeof(args), "-vkey '%s' -old '%s'", vkey, cp2);
	expect(go_verify(&out, args), 0, &out, "has only been added to since");
	/* Another key: the checkpoint's signature does not verify. */
	expect(go_verify(&out, "-vkey "
	                       "'test.example/log+c74f20a3+"
	                       "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'"),
	       1, &out, NULL);

	/* A forked checkpoint: signed with the log's key, a size it had, another root. */
	struct tlog_key k;
	char skey[256];
	FILE *f = fopen(key_path, "r");
	assert_non_null(fgets(skey, sizeof(skey), f));
	fclose(f);
	assert_int_equal(tlog_key_parse_skey(skey, &k), 0);
	struct buf body = BUF_INIT, note = BUF_INIT;
	struct tlog_hash other = { { 1, 2, 3 } };
	tlog_checkpoint_body("test.example/log", 350, &other, &body);
	tlog_note_sign(&k, body.data, body.len, &note);
	write_file(fork, note.data, note.len);
	snprintf(args, sizeof(args), "-old '%s'", fork);
	expect(go_verify(&out, args), 1, &out, "is not a prefix of the log");

	/* A changed entry: its hash and the next entry's link rewritten behind the trigger. */
	itest_sql(
	        db_url,
	        "CREATE TABLE kept AS SELECT seq, hash, prev_hash FROM event_log "
	        "WHERE seq IN (10, 11);"
	        "ALTER TABLE event_log DISABLE TRIGGER USER;"
	        "UPDATE event_log SET hash = encode(sha256('changed'), 'hex') WHERE seq = 10;"
	        "UPDATE event_log SET prev_hash = encode(sha256('changed'), 'hex') WHERE seq = 11;"
	        "ALTER TABLE event_log ENABLE TRIGGER USER");
	expect(go_verify(&out, ""), 1, &out, "entry 10 is not in the tree the checkpoint signs");
	itest_sql(db_url, "ALTER TABLE event_log DISABLE TRIGGER USER;"
	                  "UPDATE event_log l SET hash = k.hash, prev_hash = k.prev_hash "
	                  "FROM kept k WHERE l.seq = k.seq;"
	                  "ALTER TABLE event_log ENABLE TRIGGER USER; DROP TABLE kept");
	expect(go_verify(&out, ""), 0, &out, "every entry included");

	/* A dropped tail: the last 50 entries and the tree over them gone, the tree rebuilt. */
	long long size = itest_sql_count(db_url, "SELECT size FROM tlog_state");
	char sql[1024];
	snprintf(sql, sizeof(sql),
	         "SELECT pg_advisory_lock(7261002);"
	         "ALTER TABLE event_log DISABLE TRIGGER USER;"
	         "ALTER TABLE tlog_tile DISABLE TRIGGER USER;"
	         "DELETE FROM event_log WHERE seq > %lld;"
	         "DELETE FROM tlog_tile;"
	         "UPDATE tlog_state SET size = 0;"
	         "SELECT tlog_extend();"
	         "ALTER TABLE tlog_tile ENABLE TRIGGER USER;"
	         "ALTER TABLE event_log ENABLE TRIGGER USER;"
	         "SELECT pg_advisory_unlock(7261002)",
	         size - 50);
	itest_sql(db_url, sql);
	assert_int_equal(itest_sql_count(db_url, "SELECT size FROM tlog_state"), size - 50);
	/* The rebuilt tree is sound on its own ... */
	expect(go_verify(&out, ""), 0, &out, "every entry included");
	/* ... but not what was signed before. */
	snprintf(args, sizeof(args), "-old '%s'", cp2);
	expect(go_verify(&out, args), 1, &out, "the log shrank");
	/* New entries in place of the dropped ones: a fork, caught by the consistency proof. */
	append_events(100, "test.other");
	expect(go_verify(&out, args), 1, &out, "is not a prefix of the log");
	/* The checkpoint kept before the changes still holds. */
	snprintf(args, sizeof(args), "-old '%s'", cp1);
	expect(go_verify(&out, args), 0, &out, "has only been added to since");
	buf_release(&body);
	buf_release(&note);
	buf_release(&out);
}

/* The cosigned checkpoint is accepted by golang.org/x/mod/sumdb/note with a verifier of the
 * cosignature written from C2SP tlog-cosignature; a witness that did not cosign is missed. */
static void test_go_witness(void **state)
{
	(void)state;
	NEED_DB();
	start_witnessed();
	append_events(3, "test.witness");
	struct buf cp = BUF_INIT, out = BUF_INIT;
	cosigned_checkpoint(itest_sql_count(db_url, "SELECT size FROM tlog_state"), &cp);
	int rc = itest_shell(&out, "'%s' -url '%s' -vkey '%s' -witness '%s' 2>&1", go_bin,
	                     witnessed.base, vkey, wvkey);
	expect(rc, 0, &out, "cosigned by witness witness.test/w1");
	char deadvkey[TLOG_VKEY_MAX];
	cosig_vkey_of(deadkey, deadvkey, sizeof(deadvkey));
	rc = itest_shell(&out, "'%s' -url '%s' -vkey '%s' -witness '%s' 2>&1", go_bin,
	                 witnessed.base, vkey, deadvkey);
	expect(rc, 1, &out, "no cosignature of witness witness.test/w2");
	stop_witnessed();
	buf_release(&cp);
	buf_release(&out);
}

/* Build the Go verifier; false (and why, on stdout) when Go or its packages are missing. */
static bool build_go_verifier(void)
{
	static const char pkgs[] = "/usr/share/gocode/src/golang.org/x/mod/sumdb/tlog";
	if (itest_shell(NULL, "command -v go >/dev/null") != 0 || access(pkgs, R_OK) != 0) {
		printf("SKIP: the independent Go verifier did not run: it needs Go and "
		       "golang.org/x/mod (apt-get install golang-go golang-golang-x-mod-dev; "
		       "script/bootstrap test installs them)\n");
		return false;
	}
	char tmp[] = "/tmp/placard-go-XXXXXX";
	assert_non_null(mkdtemp(tmp));
	snprintf(go_bin, sizeof(go_bin), "%s/verify", tmp);
	struct buf out = BUF_INIT;
	int rc = itest_shell(&out,
	                     "cd '%s' && GOCACHE='%s/cache' GO111MODULE=off "
	                     "GOPATH=/usr/share/gocode go build -o '%s' tests/tlog/verify.go 2>&1",
	                     itest_source_root(), tmp, go_bin);
	if (rc != 0)
		fail_msg("go build tests/tlog/verify.go failed:\n%s", out.data);
	buf_release(&out);
	return true;
}

int main(int argc, char **argv)
{
	crypto_init();
	if (argc > 1 && strcmp(argv[1], "go") == 0) {
		if (!itest_have_db())
			return 77;
		if (!build_go_verifier())
			return 77;
		const struct CMUnitTest go[] = {
			cmocka_unit_test(test_go_verifier),
			cmocka_unit_test(test_go_witness),
		};
		int failed = cmocka_run_group_tests(go, setup, teardown);
		itest_shell(NULL, "rm -rf \"$(dirname '%s')\"", go_bin);
		return failed;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_without_a_key),
		cmocka_unit_test(test_entries_by_subject),
		cmocka_unit_test(test_tree_tiles_and_proofs),
		cmocka_unit_test(test_witness),
		cmocka_unit_test(test_verify_log),
		cmocka_unit_test(test_key_rotation),
		cmocka_unit_test(test_sealer_extends_or_checks),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
