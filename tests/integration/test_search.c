/*
 * The name index in memory against the database alone: two servers on one database, one
 * with the index (PLACARD_SEARCH_INDEX=1) and one without, must give the same answers to
 * the same searches (typed with typos, with and without other filters); paging through the
 * index's answers skips and repeats nothing; a name inserted, renamed or deleted is seen by
 * the very next search; a bulk insert makes the index reload and then count exactly.
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
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "staff.h"

#define QUERIES 80

static struct itest_server indexed, plain;
static char db_url[256];

#define NEED_DB()                                                                                  \
	do {                                                                                       \
		if (!indexed.pid)                                                                  \
			skip();                                                                    \
	} while (0)

static json_t *get(struct itest_server *s, const char *path)
{
	long st;
	json_t *v = staff_call(s, NULL, "GET", path, NULL, NULL, &st);
	if (st != 200)
		fail_msg("GET %s: %ld", path, st);
	return v;
}

/* Wait until the indexed server's /healthz says its index is ready. */
static void wait_ready(void)
{
	for (int i = 0; i < 300; i++) {
		json_t *v = get(&indexed, "/healthz");
		const char *state = json_walk_str(v, "search_index");
		bool ready = state && strcmp(state, "ready") == 0;
		json_decref(v);
		if (ready)
			return;
		usleep(100 * 1000);
	}
	fail_msg("the search index did not become ready in 30 s");
}

static const char *state_of(struct itest_server *s)
{
	static char out[16];
	json_t *v = get(s, "/healthz");
	snprintf(out, sizeof(out), "%s", json_walk_str(v, "search_index"));
	json_decref(v);
	return out;
}

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	itest_db_create("search", db_url, sizeof(db_url));
	assert_int_equal(itest_shell(NULL,
	                             "PLACARD_DATABASE_URL='%s' '%s' demo --establishments 3000 "
	                             ">/dev/null 2>&1",
	                             db_url, itest_bin()),
	                 0);
	const char *on[] = { "PLACARD_SEARCH_INDEX=1", NULL };
	const char *off[] = { "PLACARD_SEARCH_INDEX=0", NULL };
	itest_server_start(&indexed, db_url, on);
	itest_server_start(&plain, db_url, off);
	wait_ready();
	assert_string_equal(state_of(&plain), "off");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (indexed.pid)
		assert_int_equal(itest_server_stop(&indexed), 0);
	if (plain.pid)
		assert_int_equal(itest_server_stop(&plain), 0);
	return 0;
}

/* The ids of a search's items in order, the total and the next cursor, as one string. */
static char *answer(struct itest_server *s, const char *path)
{
	json_t *v = get(s, path);
	struct buf b = BUF_INIT;
	json_t *item;
	size_t i;
	json_array_foreach(json_object_get(v, "items"), i, item)
	        buf_addf(&b, "%lld,", (long long)json_integer_value(json_object_get(item, "id")));
	buf_addf(&b, " total %lld%s", json_walk_int(v, "total"),
	         json_is_true(json_object_get(v, "total_is_lower_bound")) ? "+" : "");
	json_decref(v);
	return buf_detach(&b, NULL);
}

/* @name with one typo: a letter of its longest word replaced. */
static void typo(const char *name, int n, char *out, size_t size)
{
	snprintf(out, size, "%s", name);
	size_t best = 0, best_len = 0;
	for (size_t i = 0; out[i];) {
		size_t len =
		        strspn(out + i, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
		if (len > best_len) {
			best = i;
			best_len = len;
		}
		i += len ? len : 1;
	}
	if (best_len >= 4) {
		char *c = &out[best + 1 + (size_t)n % (best_len - 2)];
		*c = *c == 'x' ? 'y' : 'x';
	}
}

static char *names_from_db(const char *sql)
{
	struct buf out = BUF_INIT;
	assert_int_equal(itest_shell(&out, "psql -XAtc \"%s\" '%s'", sql, db_url), 0);
	return buf_detach(&out, NULL);
}

static void test_same_answers(void **state)
{
	(void)state;
	NEED_DB();
	char *names = names_from_db("SELECT id || '|' || name FROM establishment "
	                            "ORDER BY id % 37, id LIMIT 80");
	CURL *curl = curl_easy_init();
	int n = 0, found = 0;
	for (char *line = strtok(names, "\n"); line; line = strtok(NULL, "\n"), n++) {
		long long id = atoll(line);
		char q[256], path[600];
		typo(strchr(line, '|') + 1, n, q, sizeof(q));
		char *esc = curl_easy_escape(curl, q, 0);
		const char *extra[] = { "", "&limit=5", "&cuisine=Pizza", "&sort=name",
			                "&postcode=1" };
		snprintf(path, sizeof(path), "/api/v1/establishments?q=%s&limit=100%s", esc,
		         extra[n % 5]);
		char *a = answer(&indexed, path), *b = answer(&plain, path);
		if (strcmp(a, b) != 0)
			fail_msg("%s\n  with the index: %s\n  database alone: %s", path, a, b);
		char self[32];
		snprintf(self, sizeof(self), "%lld,", id);
		if (n % 5 == 0 && (strncmp(a, self, strlen(self)) == 0 || strstr(a, self)))
			found++;
		free(a);
		free(b);
		curl_free(esc);
	}
	curl_easy_cleanup(curl);
	free(names);
	assert_int_equal(n, QUERIES);
	/* The establishment typed (with a typo) is found nearly always. */
	assert_true(found >= QUERIES / 5 - 2);
	assert_string_equal(state_of(&indexed), "ready");
}

static void test_paging(void **state)
{
	(void)state;
	NEED_DB();
	/* A word many names share; pages of 7 must cover the one-page answer exactly. */
	char *word =
	        names_from_db("SELECT w FROM establishment, unnest(tsvector_to_array("
	                      "to_tsvector('simple', name))) w WHERE length(w) > 4 "
	                      "GROUP BY w HAVING count(*) BETWEEN 30 AND 90 ORDER BY w LIMIT 1");
	word[strcspn(word, "\n")] = '\0';
	assert_true(strlen(word) > 4);
	char path[1024];
	snprintf(path, sizeof(path), "/api/v1/establishments?q=%s&limit=100", word);
	char *whole = answer(&indexed, path), *plain_whole = answer(&plain, path);
	assert_string_equal(whole, plain_whole);
	struct buf pages = BUF_INIT;
	char cursor[700] = "";
	long long total = -1;
	for (int i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), "/api/v1/establishments?q=%s&limit=7%s%s", word,
		         *cursor ? "&cursor=" : "", cursor);
		json_t *v = get(&indexed, path);
		json_t *item;
		size_t k;
		json_array_foreach(json_object_get(v, "items"), k, item)
		        buf_addf(&pages, "%lld,",
		                 (long long)json_integer_value(json_object_get(item, "id")));
		total = json_walk_int(v, "total");
		const char *next = json_string_value(json_object_get(v, "next_cursor"));
		snprintf(cursor, sizeof(cursor), "%s", next ? next : "");
		json_decref(v);
		if (!next)
			break;
	}
	assert_true(total >= 30);
	buf_addf(&pages, " total %lld", total);
	assert_string_equal(pages.data, whole);
	buf_release(&pages);
	free(whole);
	free(plain_whole);
	free(word);
}

static long long count_of(struct itest_server *s, const char *q)
{
	char path[200];
	snprintf(path, sizeof(path), "/api/v1/establishments?q=%s&limit=1", q);
	json_t *v = get(s, path);
	long long n = json_walk_int(v, "total");
	json_decref(v);
	return n;
}

static void test_changes_seen_at_once(void **state)
{
	(void)state;
	NEED_DB();
	assert_int_equal(count_of(&indexed, "zanzibar+quoka"), 0);
	itest_sql(db_url, "INSERT INTO establishment (jurisdiction_id, licence_number, name)"
	                  " SELECT id, 'SRCH-1', 'Zanzibar Quokka Kitchen' FROM jurisdiction"
	                  " ORDER BY id LIMIT 1");
	assert_int_equal(count_of(&indexed, "zanzibar+quoka"), 1);
	assert_string_equal(state_of(&indexed), "ready");

	itest_sql(db_url, "UPDATE establishment SET name = 'Marmalade Wombat Cafe'"
	                  " WHERE licence_number = 'SRCH-1'");
	assert_int_equal(count_of(&indexed, "zanzibar+quoka"), 0);
	assert_int_equal(count_of(&indexed, "marmelade+wombat"), 1);

	itest_sql(db_url, "DELETE FROM establishment WHERE licence_number = 'SRCH-1'");
	assert_int_equal(count_of(&indexed, "marmelade+wombat"), 0);
	assert_string_equal(state_of(&indexed), "ready");
	/* Nothing was missed by the server without the index either. */
	assert_int_equal(count_of(&plain, "marmelade+wombat"), 0);
}

static void test_bulk_change_reloads(void **state)
{
	(void)state;
	NEED_DB();
	itest_sql(db_url, "INSERT INTO establishment (jurisdiction_id, licence_number, name)"
	                  " SELECT (SELECT min(id) FROM jurisdiction), 'BULK-' || i,"
	                  " 'Bulkhead Noodle ' || i FROM generate_series(1, 1500) i");
	/* Answered at once (by the database while the index reloads), then by the index with
	 * an exact total. */
	assert_true(count_of(&indexed, "bulkhed+noodle") >= 1000);
	wait_ready();
	json_t *v = get(&indexed, "/api/v1/establishments?q=bulkhed+noodle&limit=2");
	assert_int_equal(json_walk_int(v, "total"), 1500);
	assert_false(json_is_true(json_object_get(v, "total_is_lower_bound")));
	json_decref(v);
	v = get(&plain, "/api/v1/establishments?q=bulkhed+noodle&limit=2");
	assert_int_equal(json_walk_int(v, "total"), 1000);
	assert_true(json_is_true(json_object_get(v, "total_is_lower_bound")));
	json_decref(v);
}

/*
 * Chinese, Japanese and Korean names have no spaces between their words: a part of a name
 * is found (both servers alike), a part it does not contain is not.
 */
static void test_cjk_names(void **state)
{
	(void)state;
	NEED_DB();
	itest_sql(db_url,
	          "INSERT INTO establishment (jurisdiction_id, licence_number, name)"
	          " SELECT (SELECT min(id) FROM jurisdiction), 'CJK-' || n, name FROM (VALUES"
	          " (1, '老北京炸酱面'), (2, '北京2号店'), (3, 'ラーメン一蘭'), (4, '김밥천국'),"
	          " (5, '老北京pizza'), (6, '上海小笼包')) v(n, name)");
	static const struct {
		const char *q;
		const char *want; /* licence numbers' digits, in order */
	} cases[] = {
		{ "炸酱面", "1" },      { "北京", "125" },       { "老北京", "15" },
		{ "京炸", "1" },        { "ラーメン", "3" },     { "一蘭", "3" },
		{ "김밥", "4" },        { "老北京 pizza", "5" }, { "小笼包", "6" },
		{ "上海 小笼包", "6" }, { "东京", "" },          { "炸酱面 上海", "" },
	};
	CURL *curl = curl_easy_init();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *esc = curl_easy_escape(curl, cases[i].q, 0);
		char path[512];
		snprintf(path, sizeof(path), "/api/v1/establishments?q=%s&limit=20", esc);
		curl_free(esc);
		char *a = answer(&indexed, path), *b = answer(&plain, path);
		if (strcmp(a, b) != 0)
			fail_msg("%s: the index answered %s, the database %s", cases[i].q, a, b);
		free(a);
		free(b);
		/* Which of the six it found. */
		json_t *v = get(&indexed, path);
		char found[8] = "";
		json_t *item;
		size_t k;
		json_array_foreach(json_object_get(v, "items"), k, item)
		{
			const char *name = json_string_value(json_object_get(item, "name"));
			static const char *const names[] = { "老北京炸酱面", "北京2号店",
				                             "ラーメン一蘭", "김밥천국",
				                             "老北京pizza",  "上海小笼包" };
			for (int n = 0; n < 6; n++)
				if (strcmp(name, names[n]) == 0 &&
				    strlen(found) < sizeof(found) - 1)
					found[strlen(found)] = (char)('1' + n);
		}
		json_decref(v);
		/* In licence order, whatever the ranking. */
		for (size_t x = 0; found[x]; x++)
			for (size_t y = x + 1; found[y]; y++)
				if (found[y] < found[x]) {
					char t = found[x];
					found[x] = found[y];
					found[y] = t;
				}
		if (strcmp(found, cases[i].want) != 0)
			fail_msg("%s found %s, wanted %s", cases[i].q, found, cases[i].want);
	}
	curl_easy_cleanup(curl);
	itest_sql(db_url, "DELETE FROM establishment WHERE licence_number LIKE 'CJK-%'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_answers),         cmocka_unit_test(test_paging),
		cmocka_unit_test(test_changes_seen_at_once), cmocka_unit_test(test_cjk_names),
		cmocka_unit_test(test_bulk_change_reloads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
