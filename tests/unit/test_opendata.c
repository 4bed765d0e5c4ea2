/*
 * The open-data parsers (src/domain/opendata.c): the CSV reader on real mess, dates in the
 * NYC portal, NYC API and LIVES styles, integers with "NA", postcodes with ZIP+4, coordinates
 * where 0 means "not geocoded", NYC grades checked against their bands, inspection types;
 * and the rule the export applies to every cell a spreadsheet would run as a formula,
 * checked over every string of up to four characters that matter and every record of
 * such cells, with the import's reverse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/opendata.h"

static void test_dates(void **state)
{
	(void)state;
	char d[11];
	assert_int_equal(opendata_date("01/11/2024", d), 0);
	assert_string_equal(d, "2024-01-11");
	assert_int_equal(opendata_date("2024-01-11T00:00:00.000", d), 0);
	assert_string_equal(d, "2024-01-11");
	assert_int_equal(opendata_date("2024-02-29", d), 0);
	assert_string_equal(d, "2024-02-29");
	assert_int_equal(opendata_date("20160513", d), 0);
	assert_string_equal(d, "2016-05-13");
	assert_int_equal(opendata_date(" 01/01/1900 ", d), 0);
	assert_string_equal(d, "1900-01-01");
	assert_int_equal(opendata_date("", d), -ENOENT);
	assert_int_equal(opendata_date("   ", d), -ENOENT);
	assert_int_equal(opendata_date("02/30/2024", d), -EINVAL);
	assert_int_equal(opendata_date("1900-02-29", d), -EINVAL);
	assert_int_equal(opendata_date("13/01/2024", d), -EINVAL);
	assert_int_equal(opendata_date("2025-13-45T00:00:00.000", d), -EINVAL);
	assert_int_equal(opendata_date("2024-01-11X", d), -EINVAL);
	assert_int_equal(opendata_date("2016513", d), -EINVAL);
	assert_int_equal(opendata_date("yesterday", d), -EINVAL);
	assert_int_equal(opendata_date("1/11/2024", d), -EINVAL);
}

static void test_integers(void **state)
{
	(void)state;
	long v = 0;
	assert_int_equal(opendata_integer("94", &v), 0);
	assert_int_equal(v, 94);
	assert_int_equal(opendata_integer(" 12 ", &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(opendata_integer("-1", &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(opendata_integer("214", &v), 0);
	assert_int_equal(v, 214);
	assert_int_equal(opendata_integer("", &v), -ENOENT);
	assert_int_equal(opendata_integer("NA", &v), -ENOENT);
	assert_int_equal(opendata_integer("n/a", &v), -ENOENT);
	assert_int_equal(opendata_integer("9x", &v), -EINVAL);
	assert_int_equal(opendata_integer("-", &v), -EINVAL);
	assert_int_equal(opendata_integer("1.5", &v), -EINVAL);
	assert_int_equal(opendata_integer("99999999999999999999", &v), -ERANGE);
	assert_int_equal(opendata_integer("1000001", &v), -ERANGE);
}

static void test_postcodes(void **state)
{
	(void)state;
	char p[17];
	assert_int_equal(opendata_postcode("94110", p), 0);
	assert_string_equal(p, "94110");
	assert_int_equal(opendata_postcode("941102019", p), 0);
	assert_string_equal(p, "94110-2019");
	assert_int_equal(opendata_postcode(" 78701-1234 ", p), 0);
	assert_string_equal(p, "78701-1234");
	assert_int_equal(opendata_postcode("NA", p), 0);
	assert_string_equal(p, "");
	assert_int_equal(opendata_postcode("", p), 0);
	assert_string_equal(p, "");
	assert_int_equal(opendata_postcode("00000", p), 0);
	assert_string_equal(p, "");
	assert_int_equal(opendata_postcode("CA", p), OPENDATA_POSTCODE_UNUSUAL);
	assert_string_equal(p, "CA");
	assert_int_equal(opendata_postcode("941", p), OPENDATA_POSTCODE_UNUSUAL);
	assert_string_equal(p, "941");
	assert_int_equal(opendata_postcode("SW1A 1AA", p), OPENDATA_POSTCODE_UNUSUAL);
	assert_string_equal(p, "SW1A 1AA");
	assert_int_equal(opendata_postcode("12345678901234567890", p), OPENDATA_POSTCODE_UNUSUAL);
	assert_string_equal(p, "");
}

static void test_coordinates(void **state)
{
	(void)state;
	double lat = 1, lon = 1;
	unsigned f = 0;
	assert_int_equal(
	        opendata_coordinates("40.727239355189", "-74.006559232767", &lat, &lon, &f), 0);
	assert_true(lat > 40.72 && lat < 40.73 && lon < -74.0);
	assert_int_equal(f, 0);
	assert_int_equal(opendata_coordinates("0", "0", &lat, &lon, &f), -ENOENT);
	assert_int_equal(f, OPENDATA_NOT_GEOCODED);
	f = 0;
	assert_int_equal(opendata_coordinates("", "", &lat, &lon, &f), -ENOENT);
	assert_int_equal(f, OPENDATA_NOT_GEOCODED);
	f = 0;
	assert_int_equal(opendata_coordinates("37.78", "", &lat, &lon, &f), -ENOENT);
	f = 0;
	assert_int_equal(opendata_coordinates("95", "10", &lat, &lon, &f), -EINVAL);
	assert_int_equal(f, OPENDATA_BAD_COORDINATES);
	f = 0;
	assert_int_equal(opendata_coordinates("north", "10", &lat, &lon, &f), -EINVAL);
	assert_int_equal(f, OPENDATA_BAD_COORDINATES);
	f = 0;
	assert_int_equal(opendata_coordinates("nan", "10", &lat, &lon, &f), -EINVAL);
}

static void test_nyc_grades(void **state)
{
	(void)state;
	assert_int_equal(opendata_nyc_check("A", true, 12, false), 0);
	assert_int_equal(opendata_nyc_check("A", true, 14, false), OPENDATA_GRADE_SCORE_MISMATCH);
	assert_int_equal(opendata_nyc_check("B", true, 38, false), OPENDATA_GRADE_SCORE_MISMATCH);
	assert_int_equal(opendata_nyc_check("B", true, 20, false), 0);
	assert_int_equal(opendata_nyc_check("C", true, 10, false), OPENDATA_GRADE_SCORE_MISMATCH);
	assert_int_equal(opendata_nyc_check("C", true, 10, true), 0); /* reopening */
	assert_int_equal(opendata_nyc_check("C", true, 214, false), OPENDATA_SCORE_OUT_OF_RANGE);
	assert_int_equal(opendata_nyc_check("A", true, -1, false), OPENDATA_SCORE_OUT_OF_RANGE);
	assert_int_equal(opendata_nyc_check("", true, -1, false), OPENDATA_SCORE_OUT_OF_RANGE);
	assert_int_equal(opendata_nyc_check("", true, 40, false), 0);
	assert_int_equal(opendata_nyc_check("Z", true, 30, false), 0);
	assert_int_equal(opendata_nyc_check("P", false, 0, true), 0);
	assert_int_equal(opendata_nyc_check("N", false, 0, false), 0);
	assert_int_equal(opendata_nyc_check("X", true, 5, false), OPENDATA_GRADE_UNKNOWN);
	assert_int_equal(opendata_nyc_check("AB", true, 5, false), OPENDATA_GRADE_UNKNOWN);
	const char *label, *outcome;
	opendata_nyc_grade("Z", &label, &outcome);
	assert_string_equal(label, "Grade Pending");
	assert_string_equal(outcome, "pending");
	opendata_nyc_grade("A", &label, &outcome);
	assert_string_equal(outcome, "graded");
	opendata_nyc_grade("", &label, &outcome);
	assert_string_equal(outcome, "no-grade");
}

static void test_inspection_types(void **state)
{
	(void)state;
	assert_string_equal(opendata_inspection_type("Cycle Inspection / Initial Inspection"),
	                    "initial");
	assert_string_equal(opendata_inspection_type("Cycle Inspection / Re-inspection"),
	                    "reinspection");
	assert_string_equal(opendata_inspection_type("Pre-permit (Operational) / Re-inspection"),
	                    "reinspection");
	assert_string_equal(
	        opendata_inspection_type("Pre-permit (Operational) / Initial Inspection"),
	        "pre-permit");
	assert_string_equal(opendata_inspection_type("Cycle Inspection / Reopening Inspection"),
	                    "reopening");
	assert_string_equal(opendata_inspection_type("Reinspection/Followup"), "reinspection");
	assert_string_equal(opendata_inspection_type("Complaint Reinspection/Followup"),
	                    "reinspection");
	assert_string_equal(opendata_inspection_type("Complaint"), "complaint");
	assert_string_equal(opendata_inspection_type("New Ownership"), "pre-permit");
	assert_string_equal(opendata_inspection_type("Routine - Unscheduled"), "initial");
	assert_string_equal(opendata_inspection_type(""), "initial");
}

/* Read every record of @data; fields joined by '|', records by '\n', errors as "!errno". */
static void read_all(const char *data, size_t len, bool win1252, char *out, size_t size)
{
	struct buf scratch = BUF_INIT;
	struct opendata_csv_record r;
	size_t pos = 0, line = 1, n = 0;
	int rc;
	out[0] = '\0';
	while ((rc = opendata_csv_next(data, len, &pos, &line, win1252, &scratch, &r)) != 0) {
		if (rc < 0) {
			n += (size_t)snprintf(out + n, size - n, "%zu:!%d\n", r.line, -rc);
			continue;
		}
		n += (size_t)snprintf(out + n, size - n, "%zu:", r.line);
		for (size_t i = 0; i < r.n; i++)
			n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "|" : "", r.field[i]);
		n += (size_t)snprintf(out + n, size - n, "\n");
	}
	buf_release(&scratch);
}

static void test_csv(void **state)
{
	(void)state;
	char out[1024];
	static const char crlf[] =
	        "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n\r\n2,\"two\r\nlines\","
	        "\r\n3,,last";
	read_all(crlf, sizeof(crlf) - 1, false, out, sizeof(out));
	assert_string_equal(out, "1:a|b|c\n2:1|x, y|say \"hi\"\n4:2|two\r\nlines|\n6:3||last\n");

	/* Windows-1252: é (0xE9), right single quote (0x92), euro (0x80), undefined 0x81. */
	static const char w[] = "CAF\xC9 REN\xC9,JOE\x92S,\x80\x35,\x81\n";
	read_all(w, sizeof(w) - 1, true, out, sizeof(out));
	assert_string_equal(out, "1:CAFÉ RENÉ|JOE’S|€5|\xC2\x81\n");

	/* A quote never closed: reported, and reading goes on at the next line. */
	static const char bad[] = "1,\"open\n2,ok\n";
	read_all(bad, sizeof(bad) - 1, false, out, sizeof(out));
	assert_string_equal(out, "1:!22\n2:2|ok\n");

	/* A NUL byte; stray quotes inside unquoted text kept as they are; a lone CR ends. */
	static const char nul[] = "1,a\0b\n2,ab\"c,\"q\"x\r3,z";
	read_all(nul, sizeof(nul) - 1, false, out, sizeof(out));
	assert_string_equal(out, "1:!84\n2:2|ab\"c|qx\n3:3|z\n");

	/* Too many fields. */
	char wide[400];
	size_t n = 0;
	for (int i = 0; i < OPENDATA_CSV_MAX_FIELDS + 1; i++)
		n += (size_t)snprintf(wide + n, sizeof(wide) - n, "%s1", i ? "," : "");
	n += (size_t)snprintf(wide + n, sizeof(wide) - n, "\nok\n");
	read_all(wide, n, false, out, sizeof(out));
	assert_string_equal(out, "1:!7\n2:ok\n");

	read_all("", 0, false, out, sizeof(out));
	assert_string_equal(out, "");
	read_all("\r\n\n", 3, false, out, sizeof(out));
	assert_string_equal(out, "");
}

static void test_utf8_and_truncate(void **state)
{
	(void)state;
	assert_true(opendata_utf8_valid("CAFÉ ’S €", strlen("CAFÉ ’S €")));
	assert_false(opendata_utf8_valid("CAF\xC9", 4));
	assert_false(opendata_utf8_valid("\xC3\x28", 2));
	assert_false(opendata_utf8_valid("\xC0\xAF", 2));         /* overlong */
	assert_false(opendata_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
	assert_false(opendata_utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(opendata_utf8_valid("\xE2\x82", 2));         /* cut short */
	char s[] = "ab€";                                         /* € is 3 bytes */
	assert_true(opendata_truncate(s, 4));
	assert_string_equal(s, "ab");
	char t[] = "abc";
	assert_false(opendata_truncate(t, 3));
	assert_string_equal(t, "abc");

	struct buf b = BUF_INIT;
	opendata_flags_text(&b, OPENDATA_NOT_GEOCODED | OPENDATA_GRADE_SCORE_MISMATCH);
	assert_string_equal(b.data, "{not_geocoded,grade_does_not_match_score}");
	buf_truncate(&b, 0);
	opendata_flags_text(&b, 0);
	assert_string_equal(b.data, "{}");
	buf_release(&b);
	assert_string_equal(opendata_flag_name(OPENDATA_NEVER_INSPECTED), "never_inspected");
	assert_null(opendata_flag_name(3));
}

/* The characters that matter to the rule, and some that do not. */
static const char cell_alphabet[] = "=+-@\t\r'07.eEa ,\"\n";
#define CELL_ALPHABET_N (sizeof(cell_alphabet) - 1)

/* The @i-th string over the alphabet (0: "", then by length), into @out; its length. */
static size_t nth_cell(size_t i, char out[8])
{
	size_t len = 0, span = 1;
	while (i >= span) {
		i -= span;
		span *= CELL_ALPHABET_N;
		len++;
	}
	for (size_t k = 0; k < len; k++) {
		out[k] = cell_alphabet[i % CELL_ALPHABET_N];
		i /= CELL_ALPHABET_N;
	}
	out[len] = '\0';
	return len;
}

/* A number as C reads one, restricted to what a spreadsheet takes as a plain number. */
static bool reference_number(const char *s)
{
	if (!*s || strspn(s, "0123456789+-.eE") != strlen(s))
		return false;
	char *end;
	strtod(s, &end);
	return *end == '\0' && end != s;
}

static bool formula_start(char c)
{
	return c && strchr("=+-@\t\r", c) != NULL;
}

/* The published cell: @s with the apostrophe the rule adds, if any. */
static const char *guarded(const char *s, char *out, size_t size)
{
	bool g = opendata_csv_needs_guard(s, strlen(s));
	snprintf(out, size, "%s%s", g ? "'" : "", s);
	return out;
}

static void test_csv_cell_examples(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")" },
		{ "+1-2", "'+1-2" },
		{ "@SUM(A1)", "'@SUM(A1)" },
		{ "-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0" },
		{ "\t=1", "'\t=1" },
		{ "\r=1", "'\r=1" },
		{ "-", "'-" },
		{ "+", "'+" },
		{ "-Infinity", "'-Infinity" },
		{ "- 5", "'- 5" },
		{ "'=x", "''=x" },
		{ "''=x", "'''=x" },
		/* Left alone: numbers, and text that no spreadsheet runs. */
		{ "-73.95", "-73.95" },
		{ "+1", "+1" },
		{ "-0.5e-3", "-0.5e-3" },
		{ "40.7", "40.7" },
		{ "Joe's", "Joe's" },
		{ "'quoted'", "'quoted'" },
		{ "'", "'" },
		{ "''", "''" },
		{ "", "" },
		{ " =1", " =1" },
		{ "a=1", "a=1" },
	};
	char out[64];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(guarded(cases[i][0], out, sizeof(out)), cases[i][1]);
		assert_string_equal(opendata_csv_unguard(cases[i][1]), cases[i][0]);
	}
	/* Another publisher's cell: the apostrophe before a formula is the spreadsheet's
	 * convention too, and is read as one; any other apostrophe stays. */
	assert_string_equal(opendata_csv_unguard("'@x"), "@x");
	assert_string_equal(opendata_csv_unguard("'-73.95"), "'-73.95");
	assert_string_equal(opendata_csv_unguard("'abc"), "'abc");
}

/* Every string of up to four characters of the alphabet: the rule's promises. */
static void test_csv_cell_exhaustive(void **state)
{
	(void)state;
	size_t total = 0, span = 1;
	for (int len = 0; len <= 4; len++, span *= CELL_ALPHABET_N)
		total += span;
	size_t guarded_n = 0;
	for (size_t i = 0; i < total; i++) {
		char s[8], g[16];
		size_t len = nth_cell(i, s);
		bool number = reference_number(s);
		if (opendata_csv_number(s, len) != number)
			fail_msg("\"%s\": number %d, C says %d", s, !number, number);
		guarded(s, g, sizeof(g));
		bool changed = strcmp(g, s) != 0;
		guarded_n += changed;
		/* Nothing published begins with a formula character unless it is a number. */
		if (formula_start(g[0]) && !reference_number(g))
			fail_msg("\"%s\" is published as a formula", s);
		/* Only cells that begin with a formula character or an apostrophe change. */
		if (changed && !formula_start(s[0]) && s[0] != '\'')
			fail_msg("\"%s\" changed for nothing", s);
		/* A cell a spreadsheet runs always changes. */
		if (formula_start(s[0]) && !number && !changed)
			fail_msg("\"%s\" is not guarded", s);
		/* Reading back gives the cell itself, exactly. */
		if (strcmp(opendata_csv_unguard(g), s) != 0)
			fail_msg("\"%s\" reads back as \"%s\"", s, opendata_csv_unguard(g));
	}
	assert_true(guarded_n > 1000);
}

/* Write @cells as COPY ... CSV does (quoted when they hold a comma, quote, CR or LF, or
 * are empty), ending with a newline. */
static void csv_record(struct buf *b, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addch(b, ',');
		const char *c = cells[i];
		if (!*c || strpbrk(c, ",\"\r\n")) {
			buf_addch(b, '"');
			for (; *c; c++) {
				if (*c == '"')
					buf_addch(b, '"');
				buf_addch(b, *c);
			}
			buf_addch(b, '"');
		} else {
			buf_addstr(b, c);
		}
	}
	buf_addch(b, '\n');
}

/* Every record of two cells of up to two characters, and some of three: the exporter's
 * record rewrite, read back by the importer's CSV reader and reverse, gives the cells. */
static void test_csv_guard_record(void **state)
{
	(void)state;
	size_t ncells = 1 + CELL_ALPHABET_N + CELL_ALPHABET_N * CELL_ALPHABET_N;
	char(*cells)[8] = calloc(ncells, sizeof(*cells));
	assert_non_null(cells);
	for (size_t i = 0; i < ncells; i++)
		nth_cell(i, cells[i]);
	struct buf rec = BUF_INIT, out = BUF_INIT, scratch = BUF_INIT;
	size_t records = 0;
	for (size_t a = 0; a < ncells; a++) {
		for (size_t b = 0; b < ncells; b++) {
			const char *row[3] = { cells[a], cells[b], cells[(a * 31 + b) % ncells] };
			size_t n = a % 2 ? 3 : 2;
			buf_truncate(&rec, 0);
			buf_truncate(&out, 0);
			csv_record(&rec, row, n);
			size_t want = 0;
			for (size_t k = 0; k < n; k++)
				want += opendata_csv_needs_guard(row[k], strlen(row[k]));
			assert_int_equal(opendata_csv_guard_record(rec.data, rec.len, &out), want);
			if (!want)
				assert_memory_equal(out.data, rec.data, rec.len);
			size_t pos = 0, line = 1;
			struct opendata_csv_record r;
			int rc = opendata_csv_next(out.data, out.len, &pos, &line, false, &scratch,
			                           &r);
			if (rc != 1 || r.n != n || pos != out.len)
				fail_msg("record %s read back as %d with %zu fields", out.data, rc,
				         r.n);
			for (size_t k = 0; k < n; k++) {
				if (formula_start(r.field[k][0]) && !reference_number(r.field[k]))
					fail_msg("record %s: field %zu is a formula", out.data, k);
				if (strcmp(opendata_csv_unguard(r.field[k]), row[k]) != 0)
					fail_msg("record %s: field %zu reads back as \"%s\"",
					         out.data, k, opendata_csv_unguard(r.field[k]));
			}
			records++;
		}
	}
	/* Bytes around the fields stay as they were: a quoted field keeps its quotes. */
	buf_truncate(&out, 0);
	const char pg[] = "7,\"=HYPERLINK(\"\"http://x\"\")\",-73.95,@SUM(A1),\"+1,2\",\"\"\n";
	assert_int_equal(opendata_csv_guard_record(pg, strlen(pg), &out), 3);
	assert_string_equal(
	        out.data, "7,\"'=HYPERLINK(\"\"http://x\"\")\",-73.95,'@SUM(A1),\"'+1,2\",\"\"\n");
	print_message("%zu records checked\n", records);
	free(cells);
	buf_release(&rec);
	buf_release(&out);
	buf_release(&scratch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_postcodes),
		cmocka_unit_test(test_coordinates),
		cmocka_unit_test(test_nyc_grades),
		cmocka_unit_test(test_inspection_types),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_utf8_and_truncate),
		cmocka_unit_test(test_csv_cell_examples),
		cmocka_unit_test(test_csv_cell_exhaustive),
		cmocka_unit_test(test_csv_guard_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
