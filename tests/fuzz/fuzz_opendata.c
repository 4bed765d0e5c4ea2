/*
 * fuzz_opendata.c - libFuzzer harness for the open-data import parsers: the CSV record
 * reader (quotes, CR/LF/CRLF, Windows-1252, limits) and every value parser the imports
 * apply to a field (dates, integers, postcodes, coordinates, truncation, NYC grade checks).
 * Input: one byte of options (bit 0: Windows-1252), then the file.
 *
 * Checked: the reader always moves forward and ends; a record has at most the fields the
 * array holds; every field of a Windows-1252 read is valid UTF-8, and so is every field of
 * a valid UTF-8 file; a parsed date is YYYY-MM-DD; truncation keeps valid UTF-8 valid; a
 * field as the export publishes it reads back as the field and is never run as a formula.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/opendata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_field(const char *f, bool valid_utf8)
{
	size_t len = strlen(f);
	if (valid_utf8 && !opendata_utf8_valid(f, len))
		abort();

	char date[11];
	if (opendata_date(f, date) == 0) {
		if (strlen(date) != 10 || date[4] != '-' || date[7] != '-')
			abort();
		for (int i = 0; i < 10; i++)
			if (i != 4 && i != 7 && (date[i] < '0' || date[i] > '9'))
				abort();
	}
	long n;
	int rc = opendata_integer(f, &n);
	if (rc == 0 && (n < -1000000 || n > 1000000))
		abort();

	char postcode[17];
	unsigned flags = opendata_postcode(f, postcode);
	if (strlen(postcode) > 16)
		abort();
	(void)flags;

	char *copy = strdup(f);
	if (!copy)
		abort();
	for (size_t max = 0; max <= len && max < 40; max += 7) {
		copy = strcpy(copy, f);
		opendata_truncate(copy, max);
		if (strlen(copy) > max)
			abort();
		if (valid_utf8 && !opendata_utf8_valid(copy, strlen(copy)))
			abort();
	}
	free(copy);

	/* The export's formula rule: the published cell reads back as the field, and begins
	 * with a formula character only when it is a number. */
	bool guard = opendata_csv_needs_guard(f, len);
	char *published = malloc(len + 2);
	if (!published)
		abort();
	published[0] = '\'';
	memcpy(published + guard, f, len + 1);
	if (strcmp(opendata_csv_unguard(published), f) != 0)
		abort();
	if (strchr("=+-@\t\r", published[0]) && published[0] &&
	    !opendata_csv_number(published, strlen(published)))
		abort();
	free(published);

	(void)opendata_inspection_type(f);
	const char *label = NULL, *outcome = NULL;
	opendata_nyc_grade(f, &label, &outcome);
	(void)opendata_nyc_check(f, rc == 0, rc == 0 ? n : 0, len % 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	bool win1252 = data[0] & 1;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	bool utf8 = win1252 || opendata_utf8_valid(text, len);

	struct buf scratch = BUF_INIT;
	struct opendata_csv_record rec;
	size_t pos = 0, line = 1, records = 0;
	for (;;) {
		size_t before = pos;
		int rc = opendata_csv_next(text, len, &pos, &line, win1252, &scratch, &rec);
		if (rc == 0)
			break;
		if (pos <= before || pos > len || ++records > len)
			abort();
		if (rc < 0) {
			if (rc != -EINVAL && rc != -E2BIG && rc != -EILSEQ)
				abort();
			continue;
		}
		if (rc != 1 || rec.n > OPENDATA_CSV_MAX_FIELDS || rec.line > line)
			abort();
		for (size_t i = 0; i < rec.n; i++)
			check_field(rec.field[i], utf8);
		for (size_t i = 0; i + 1 < rec.n; i++) {
			double lat, lon;
			unsigned flags = 0;
			if (opendata_coordinates(rec.field[i], rec.field[i + 1], &lat, &lon,
			                         &flags) == 0 &&
			    (lat < -90 || lat > 90 || lon < -180 || lon > 180))
				abort();
		}
	}
	buf_release(&scratch);
	return 0;
}
