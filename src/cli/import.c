/*
 * import.c - placard import nyc FILE | placard import lives DIR|FILE.zip: load other
 * systems' open data into the records, as published.
 *
 * Each file is read once (mapped, or unpacked from the ZIP), record by record, with the
 * lenient CSV reader of src/domain/opendata.c; values are parsed and checked there, and the
 * rows streamed with COPY into temporary staging tables. Set-based SQL
 * (sql/functions/opendata_nyc_apply.sql, opendata_lives_apply.sql) then creates what is
 * new, in the same one transaction. A row that cannot be used is never dropped silently: it
 * goes into import_skipped with its line and reason, and the report lists it. The import is
 * one event in the public log ("opendata.imported"). A LIVES cell that begins with an
 * apostrophe before a formula character ("'=x", as Placard's own export writes a cell a
 * spreadsheet would run) is read without that apostrophe, as spreadsheets read it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/util.h"
#include "domain/opendata.h"
#include "records/log.h"
#include "store/store.h"

/* Stage rows are sent in chunks this size, so that PostgreSQL parses one while the next is
 * read: with 1 MiB chunks a 1 MB file was read whole before PostgreSQL started, and the
 * three COPYs of the San Francisco feed took 175 ms instead of 95. */
#define FLUSH_BYTES    (1 << 16)
#define MAX_FILE_BYTES (4LL << 30) /* per file: the whole NYC dataset is well under 1 GiB */

static const char import_usage[] =
        "usage: placard import nyc FILE [--jurisdiction CODE] [--catalogue SCHEME|none]\n"
        "       placard import lives DIR|FILE.zip [--jurisdiction CODE] [--catalogue SCHEME|none]\n"
        "\n"
        "Load open data into PLACARD_DATABASE_URL, as published, in one transaction:\n"
        "  nyc    the NYC \"Restaurant Inspection Results\" CSV, portal (CAMIS,DBA,...) or API\n"
        "         (camis,dba,...) header; jurisdiction nyc-open-data unless told otherwise\n"
        "  lives  a LIVES feed: businesses.csv, inspections.csv (or inspections_plus.csv),\n"
        "         violations.csv (or violations_plus.csv), in a folder or a ZIP;\n"
        "         jurisdiction sf-lives unless told otherwise\n"
        "--catalogue: the scoring scheme whose catalogue (as in force today) every cited\n"
        "violation code must be in; nyc for NYC's data unless told otherwise, none (the\n"
        "codes as published) for a LIVES feed, which any city may publish (sf100 for San\n"
        "Francisco's). An NYC row citing another code cites nothing and is flagged; a\n"
        "LIVES violation row citing another code is skipped.\n"
        "The jurisdiction is created when missing. Importing the same data again changes\n"
        "nothing. Prints a report: rows read, establishments, inspections, violations, and\n"
        "every row skipped with its reason (also kept in import_skipped).\n";

/* A file's bytes: mapped from disk or read out of a ZIP. */
struct source {
	char *data;
	size_t len;
	bool mapped;
};

static void source_release(struct source *s)
{
	if (s->mapped && s->len)
		munmap(s->data, s->len);
	else if (!s->mapped)
		free(s->data);
	memset(s, 0, sizeof(*s));
}

static int source_map(const char *path, struct source *ret, char *err, size_t errsize)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsize, "cannot read %s: %s", path,
		         fd < 0 ? strerror(errno) : "not a file");
		if (fd >= 0)
			close(fd);
		return -ENOENT;
	}
	if (st.st_size > MAX_FILE_BYTES) {
		close(fd);
		snprintf(err, errsize, "%s is larger than %lld bytes", path, MAX_FILE_BYTES);
		return -E2BIG;
	}
	ret->len = (size_t)st.st_size;
	ret->mapped = true;
	ret->data = NULL;
	if (ret->len) {
		void *p = mmap(NULL, ret->len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			close(fd);
			snprintf(err, errsize, "cannot map %s: %s", path, strerror(errno));
			return -EIO;
		}
		ret->data = p;
	}
	close(fd);
	return 0;
}

/* The entry of @z whose base name is @name (case-insensitive), or -1. */
static zip_int64_t zip_find(zip_t *z, const char *name)
{
	zip_int64_t n = zip_get_num_entries(z, 0);
	for (zip_int64_t i = 0; i < n; i++) {
		const char *e = zip_get_name(z, (zip_uint64_t)i, 0);
		if (!e)
			continue;
		const char *base = strrchr(e, '/');
		if (strcasecmp(base ? base + 1 : e, name) == 0)
			return i;
	}
	return -1;
}

static int source_unzip(zip_t *z, zip_int64_t i, struct source *ret, char *err, size_t errsize)
{
	zip_stat_t zs;
	if (zip_stat_index(z, (zip_uint64_t)i, 0, &zs) < 0 || !(zs.valid & ZIP_STAT_SIZE)) {
		snprintf(err, errsize, "cannot read the ZIP: %s", zip_strerror(z));
		return -EIO;
	}
	if (zs.size > (zip_uint64_t)MAX_FILE_BYTES) {
		snprintf(err, errsize, "%s is larger than %lld bytes", zs.name, MAX_FILE_BYTES);
		return -E2BIG;
	}
	zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
	if (!f) {
		snprintf(err, errsize, "cannot open %s in the ZIP: %s", zs.name, zip_strerror(z));
		return -EIO;
	}
	char *data = xmalloc(zs.size + 1);
	zip_int64_t got = zip_fread(f, data, zs.size);
	zip_fclose(f);
	if (got < 0 || (zip_uint64_t)got != zs.size) {
		free(data);
		snprintf(err, errsize, "cannot unpack %s from the ZIP", zs.name);
		return -EIO;
	}
	ret->data = data;
	ret->len = zs.size;
	ret->mapped = false;
	return 0;
}

struct importer {
	struct store *st;
	struct arena *a;
	char import_id[24];
	long long rows_read;
	struct buf skipped; /* import_skipped rows, COPY text format */
	struct buf row;     /* the stage rows being built */
	struct buf scratch;
	/* LIVES: a cell the exporter marked with a leading apostrophe (a cell a spreadsheet
	 * would run, opendata_csv_needs_guard) is read without it. */
	bool quote_prefix;
};

static void skip(struct importer *im, const char *file, size_t line, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static void skip(struct importer *im, const char *file, size_t line, const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	/* Reasons quote values from the file: keep them valid UTF-8 and short. */
	opendata_truncate(reason, 400);
	buf_addf(&im->skipped, "%s\t%s\t%zu\t", im->import_id, file, line);
	store_copy_escape(&im->skipped, reason);
	buf_addch(&im->skipped, '\n');
}

/* ---- columns */

/* A column a format reads, under any of its names (compared after header_key()). */
struct column {
	const char *names[3];
	bool required;
};

/* Lower case, blanks and hyphens as underscores: "INSPECTION DATE" -> "inspection_date". */
static void header_key(const char *in, char *out, size_t size)
{
	size_t n = 0;
	while (*in == ' ' || *in == '\t')
		in++;
	for (; *in && n + 1 < size; in++) {
		char c = *in;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (c == ' ' || c == '-')
			c = '_';
		out[n++] = c;
	}
	while (n && out[n - 1] == '_')
		n--;
	out[n] = '\0';
}

/* Find each column of @cols in header @h; -1 for absent optional ones. 0 or -EINVAL. */
static int header_map(const struct opendata_csv_record *h, const struct column *cols, size_t n,
                      int idx[], const char *file, char *err, size_t errsize)
{
	size_t nh = h->n < OPENDATA_CSV_MAX_FIELDS ? h->n : OPENDATA_CSV_MAX_FIELDS;
	for (size_t c = 0; c < n; c++) {
		idx[c] = -1;
		for (size_t i = 0; i < nh && idx[c] < 0; i++) {
			char key[64];
			header_key(h->field[i], key, sizeof(key));
			for (size_t k = 0; k < ARRAY_SIZE(cols[c].names) && cols[c].names[k]; k++)
				if (streq(key, cols[c].names[k]))
					idx[c] = (int)i;
		}
		if (idx[c] < 0 && cols[c].required) {
			snprintf(err, errsize, "%s: no \"%s\" column in the header line", file,
			         cols[c].names[0]);
			return -EINVAL;
		}
	}
	return 0;
}

/* A trimmed copy of field @k of @r (empty when the column is absent), in @a. */
static char *field(struct importer *im, const struct opendata_csv_record *r, const int *idx, int k)
{
	if (idx[k] < 0)
		return "";
	const char *s = r->field[idx[k]];
	if (im->quote_prefix)
		s = opendata_csv_unguard(s);
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return arena_strndup(im->a, s, n);
}

/* Cut @s to @max bytes, flagging it. */
static char *fit(char *s, size_t max, unsigned *flags)
{
	if (opendata_truncate(s, max))
		*flags |= OPENDATA_TRUNCATED;
	return s;
}

/* The row_no column: the line a record starts on (every row has one; no printf). */
static void col_line(struct buf *b, size_t line)
{
	char digits[24];
	size_t n = sizeof(digits);
	digits[--n] = '\t';
	do
		digits[--n] = (char)('0' + line % 10);
	while ((line /= 10) != 0);
	buf_add(b, digits + n, sizeof(digits) - n);
}

static void col_text(struct buf *b, const char *s)
{
	store_copy_escape(b, s);
	buf_addch(b, '\t');
}

static void col_null_or(struct buf *b, const char *s)
{
	if (s && *s)
		col_text(b, s);
	else
		buf_addstr(b, "\\N\t");
}

static void col_coordinates(struct buf *b, int rc, double lat, double lon)
{
	if (rc == 0)
		buf_addf(b, "%.9g\t%.9g\t", lat, lon);
	else
		buf_addstr(b, "\\N\t\\N\t");
}

/* A date column: NULL when empty or unreadable (flagged). */
static void col_date(struct buf *b, const char *s, unsigned *flags)
{
	char iso[11];
	int rc = opendata_date(s, iso);
	if (rc == 0) {
		col_text(b, iso);
		return;
	}
	if (rc != -ENOENT)
		*flags |= OPENDATA_DATE_UNREADABLE;
	buf_addstr(b, "\\N\t");
}

/* A row mapper: append the stage row for @r to im->row and return 0, or record why it
 * cannot be used (skip()) and return 1. */
typedef int (*row_fn)(struct importer *im, const char *file, const struct opendata_csv_record *r,
                      const int *idx);

/* ---- NYC */

enum {
	NYC_CAMIS,
	NYC_DBA,
	NYC_BORO,
	NYC_BUILDING,
	NYC_STREET,
	NYC_ZIPCODE,
	NYC_PHONE,
	NYC_CUISINE,
	NYC_INSPECTION_DATE,
	NYC_ACTION,
	NYC_VIOLATION_CODE,
	NYC_VIOLATION_DESCRIPTION,
	NYC_CRITICAL_FLAG,
	NYC_SCORE,
	NYC_GRADE,
	NYC_GRADE_DATE,
	NYC_RECORD_DATE,
	NYC_INSPECTION_TYPE,
	NYC_LATITUDE,
	NYC_LONGITUDE,
	NYC__COUNT
};

static const struct column nyc_columns[NYC__COUNT] = {
	[NYC_CAMIS] = { { "camis" }, true },
	[NYC_DBA] = { { "dba" }, true },
	[NYC_BORO] = { { "boro" }, true },
	[NYC_BUILDING] = { { "building" }, true },
	[NYC_STREET] = { { "street" }, true },
	[NYC_ZIPCODE] = { { "zipcode" }, true },
	[NYC_PHONE] = { { "phone" }, false },
	[NYC_CUISINE] = { { "cuisine_description" }, false },
	[NYC_INSPECTION_DATE] = { { "inspection_date" }, true },
	[NYC_ACTION] = { { "action" }, true },
	[NYC_VIOLATION_CODE] = { { "violation_code" }, true },
	[NYC_VIOLATION_DESCRIPTION] = { { "violation_description" }, true },
	[NYC_CRITICAL_FLAG] = { { "critical_flag" }, false },
	[NYC_SCORE] = { { "score" }, true },
	[NYC_GRADE] = { { "grade" }, true },
	[NYC_GRADE_DATE] = { { "grade_date" }, true },
	[NYC_RECORD_DATE] = { { "record_date" }, false },
	[NYC_INSPECTION_TYPE] = { { "inspection_type" }, true },
	[NYC_LATITUDE] = { { "latitude" }, false },
	[NYC_LONGITUDE] = { { "longitude" }, false },
};

static int nyc_row(struct importer *im, const char *file, const struct opendata_csv_record *r,
                   const int *idx)
{
	unsigned flags = 0;
	char *camis = field(im, r, idx, NYC_CAMIS);
	if (!*camis || strlen(camis) > 64) {
		skip(im, file, r->line, *camis ? "CAMIS longer than 64 characters" : "no CAMIS");
		return 1;
	}
	char *date_text = field(im, r, idx, NYC_INSPECTION_DATE);
	char date[11];
	int drc = opendata_date(date_text, date);
	if (drc < 0) {
		skip(im, file, r->line,
		     drc == -ENOENT ? "no inspection date"
		                    : "inspection date \"%.40s\" is not a date",
		     date_text);
		return 1;
	}
	bool never = streq(date, "1900-01-01");
	if (never)
		flags |= OPENDATA_NEVER_INSPECTED;

	char *boro = field(im, r, idx, NYC_BORO);
	if (streq(boro, "0")) {
		flags |= OPENDATA_BOROUGH_UNKNOWN;
		boro = "";
	}
	char *address = arena_printf(im->a, "%s %s", field(im, r, idx, NYC_BUILDING),
	                             field(im, r, idx, NYC_STREET));
	char *a = address;
	while (*a == ' ')
		a++;
	address = a;
	for (size_t n = strlen(address); n && address[n - 1] == ' '; n--)
		address[n - 1] = '\0';
	char postcode[17];
	flags |= opendata_postcode(field(im, r, idx, NYC_ZIPCODE), postcode);
	double lat = 0, lon = 0;
	int crc = opendata_coordinates(field(im, r, idx, NYC_LATITUDE),
	                               field(im, r, idx, NYC_LONGITUDE), &lat, &lon, &flags);

	char *type = fit(field(im, r, idx, NYC_INSPECTION_TYPE), 180, &flags);
	const char *placard_type = opendata_inspection_type(type);
	char *action = fit(field(im, r, idx, NYC_ACTION), 2000, &flags);
	char *grade = fit(field(im, r, idx, NYC_GRADE), 16, &flags);
	long score = 0;
	int src = opendata_integer(field(im, r, idx, NYC_SCORE), &score);
	if (src == -EINVAL || src == -ERANGE)
		flags |= OPENDATA_SCORE_NOT_A_NUMBER;
	if (!never)
		flags |= opendata_nyc_check(grade, src == 0, score,
		                            streq(placard_type, "reopening"));
	const char *label, *outcome;
	opendata_nyc_grade(grade, &label, &outcome);

	struct buf *b = &im->row;
	col_line(b, r->line);
	col_text(b, camis);
	col_text(b, fit(field(im, r, idx, NYC_DBA), 200, &flags));
	col_text(b, fit(boro, 100, &flags));
	col_text(b, fit(address, 200, &flags));
	col_text(b, postcode);
	col_text(b, fit(field(im, r, idx, NYC_PHONE), 32, &flags));
	col_text(b, fit(field(im, r, idx, NYC_CUISINE), 64, &flags));
	col_coordinates(b, crc, lat, lon);
	if (never) {
		buf_addstr(b, "\\N\t\\N\t\\N\t");
	} else {
		col_text(b, date);
		buf_addf(b, "%s|", date);
		col_text(b, type);
		col_text(b, placard_type);
	}
	col_text(b, type);
	col_text(b, action);
	buf_addstr(b, strcasestr(action, "closed by") || strcasestr(action, "re-closed") ? "t\t"
	                                                                                 : "f\t");
	if (src == 0)
		buf_addf(b, "%ld\t", score);
	else
		buf_addstr(b, "\\N\t");
	col_text(b, grade);
	col_text(b, label);
	col_text(b, outcome);
	col_date(b, field(im, r, idx, NYC_GRADE_DATE), &flags);
	col_date(b, field(im, r, idx, NYC_RECORD_DATE), &flags);
	col_text(b, fit(field(im, r, idx, NYC_VIOLATION_CODE), 32, &flags));
	col_text(b, fit(field(im, r, idx, NYC_VIOLATION_DESCRIPTION), 4000, &flags));
	col_text(b, field(im, r, idx, NYC_CRITICAL_FLAG));
	opendata_flags_text(b, flags);
	buf_addch(b, '\n');
	return 0;
}

/* ---- LIVES */

enum { LB_ID, LB_NAME, LB_ADDRESS, LB_CITY, LB_POSTCODE, LB_LAT, LB_LON, LB_PHONE, LB__COUNT };
static const struct column lives_business_columns[LB__COUNT] = {
	[LB_ID] = { { "business_id" }, true },        [LB_NAME] = { { "name" }, true },
	[LB_ADDRESS] = { { "address" }, false },      [LB_CITY] = { { "city" }, false },
	[LB_POSTCODE] = { { "postal_code" }, false }, [LB_LAT] = { { "latitude" }, false },
	[LB_LON] = { { "longitude" }, false },        [LB_PHONE] = { { "phone_number" }, false },
};

static int lives_business_row(struct importer *im, const char *file,
                              const struct opendata_csv_record *r, const int *idx)
{
	unsigned flags = 0;
	char *id = field(im, r, idx, LB_ID), *name = field(im, r, idx, LB_NAME);
	if (!*id || strlen(id) > 64) {
		skip(im, file, r->line,
		     *id ? "business_id longer than 64 characters" : "no business_id");
		return 1;
	}
	if (!*name) {
		skip(im, file, r->line, "business %s has no name", id);
		return 1;
	}
	char postcode[17];
	flags |= opendata_postcode(field(im, r, idx, LB_POSTCODE), postcode);
	double lat = 0, lon = 0;
	int crc = opendata_coordinates(field(im, r, idx, LB_LAT), field(im, r, idx, LB_LON), &lat,
	                               &lon, &flags);
	struct buf *b = &im->row;
	col_line(b, r->line);
	col_text(b, id);
	col_text(b, fit(name, 200, &flags));
	col_text(b, fit(field(im, r, idx, LB_ADDRESS), 200, &flags));
	col_text(b, fit(field(im, r, idx, LB_CITY), 100, &flags));
	col_text(b, postcode);
	col_coordinates(b, crc, lat, lon);
	col_text(b, fit(field(im, r, idx, LB_PHONE), 32, &flags));
	opendata_flags_text(b, flags);
	buf_addch(b, '\n');
	return 0;
}

enum { LI_ID, LI_SCORE, LI_DATE, LI_DESCRIPTION, LI_TYPE, LI_INSPECTION_ID, LI__COUNT };
static const struct column lives_inspection_columns[LI__COUNT] = {
	[LI_ID] = { { "business_id" }, true }, [LI_SCORE] = { { "score" }, false },
	[LI_DATE] = { { "date" }, true },      [LI_DESCRIPTION] = { { "description" }, false },
	[LI_TYPE] = { { "type" }, false },     [LI_INSPECTION_ID] = { { "inspection_id" }, false },
};

static int lives_inspection_row(struct importer *im, const char *file,
                                const struct opendata_csv_record *r, const int *idx)
{
	unsigned flags = 0;
	char *id = field(im, r, idx, LI_ID), *date_text = field(im, r, idx, LI_DATE);
	char date[11];
	if (!*id || strlen(id) > 64) {
		skip(im, file, r->line,
		     *id ? "business_id longer than 64 characters" : "no business_id");
		return 1;
	}
	int drc = opendata_date(date_text, date);
	if (drc < 0) {
		skip(im, file, r->line, drc == -ENOENT ? "no date" : "date \"%.40s\" is not a date",
		     date_text);
		return 1;
	}
	long score = 0;
	int src = opendata_integer(field(im, r, idx, LI_SCORE), &score);
	if (src == -EINVAL || src == -ERANGE)
		flags |= OPENDATA_SCORE_NOT_A_NUMBER;
	else if (src == 0 && (score < 0 || score > 100))
		flags |= OPENDATA_SCORE_OUT_OF_RANGE;
	char *type = fit(field(im, r, idx, LI_TYPE), 150, &flags);
	char *inspection_id = field(im, r, idx, LI_INSPECTION_ID);
	if (strlen(inspection_id) > 64) {
		skip(im, file, r->line, "inspection_id longer than 64 characters");
		return 1;
	}
	struct buf *b = &im->row;
	col_line(b, r->line);
	col_text(b, id);
	col_text(b, date);
	if (src == 0)
		buf_addf(b, "%ld\t", score);
	else
		buf_addstr(b, "\\N\t");
	col_text(b, fit(field(im, r, idx, LI_DESCRIPTION), 2000, &flags));
	col_text(b, type);
	col_text(b, opendata_inspection_type(type));
	col_null_or(b, inspection_id);
	if (*inspection_id) {
		buf_addch(b, '#');
		col_text(b, inspection_id);
	} else {
		buf_addf(b, "%.4s%.2s%.2s|", date, date + 5, date + 8);
		col_text(b, type);
	}
	opendata_flags_text(b, flags);
	buf_addch(b, '\n');
	return 0;
}

enum { LV_ID, LV_DATE, LV_CODE, LV_DESCRIPTION, LV_RISK, LV_INSPECTION_ID, LV__COUNT };
static const struct column lives_violation_columns[LV__COUNT] = {
	[LV_ID] = { { "business_id" }, true },
	[LV_DATE] = { { "date" }, true },
	[LV_CODE] = { { "code", "violationtypeid", "violation_type_id" }, true },
	[LV_DESCRIPTION] = { { "description" }, false },
	[LV_RISK] = { { "risk_category" }, false },
	[LV_INSPECTION_ID] = { { "inspection_id" }, false },
};

static int lives_violation_row(struct importer *im, const char *file,
                               const struct opendata_csv_record *r, const int *idx)
{
	unsigned flags = 0;
	char *id = field(im, r, idx, LV_ID), *date_text = field(im, r, idx, LV_DATE);
	char *code = field(im, r, idx, LV_CODE);
	char date[11];
	if (!*id || strlen(id) > 64) {
		skip(im, file, r->line,
		     *id ? "business_id longer than 64 characters" : "no business_id");
		return 1;
	}
	int drc = opendata_date(date_text, date);
	if (drc < 0) {
		skip(im, file, r->line, drc == -ENOENT ? "no date" : "date \"%.40s\" is not a date",
		     date_text);
		return 1;
	}
	if (!*code || strlen(code) > 32) {
		skip(im, file, r->line,
		     *code ? "violation code longer than 32 characters" : "no violation code");
		return 1;
	}
	char *inspection_id = field(im, r, idx, LV_INSPECTION_ID);
	if (strlen(inspection_id) > 64) {
		skip(im, file, r->line, "inspection_id longer than 64 characters");
		return 1;
	}
	char *risk = field(im, r, idx, LV_RISK);
	const char *category = strcasestr(risk, "high")       ? "priority"
	                       : strcasestr(risk, "moderate") ? "priority-foundation"
	                                                      : "core";
	struct buf *b = &im->row;
	col_line(b, r->line);
	col_text(b, id);
	col_text(b, date);
	col_text(b, code);
	col_text(b, fit(field(im, r, idx, LV_DESCRIPTION), 4000, &flags));
	col_text(b, category);
	if (*inspection_id)
		store_copy_escape(b, inspection_id);
	else
		buf_addstr(b, "\\N");
	buf_addch(b, '\n');
	return 0;
}

/* ---- the stream: one file into its staging table */

static int flush(struct importer *im, bool force)
{
	if (!force && im->row.len < FLUSH_BYTES)
		return 0;
	int rc = im->row.len ? store_copy_send(im->st, im->row.data, im->row.len) : 0;
	buf_truncate(&im->row, 0);
	return rc;
}

static int stream(struct importer *im, const char *file, const struct source *src,
                  enum store_stmt copy, const struct column *cols, size_t ncols, row_fn fn,
                  char *err, size_t errsize)
{
	const char *data = src->data;
	size_t len = src->len, pos = 0, line = 1;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	/* A file that is not UTF-8 is Windows-1252: what US city systems export. */
	bool win1252 = !opendata_utf8_valid(data + pos, len - pos);
	struct opendata_csv_record h, r;
	int idx[OPENDATA_CSV_MAX_FIELDS];
	struct buf hscratch = BUF_INIT;
	int rc = opendata_csv_next(data, len, &pos, &line, win1252, &hscratch, &h);
	if (rc <= 0) {
		snprintf(err, errsize, "%s: %s", file,
		         rc == 0 ? "empty file, no header line" : "unreadable header line");
		buf_release(&hscratch);
		return -EINVAL;
	}
	size_t nheader = h.n;
	rc = header_map(&h, cols, ncols, idx, file, err, errsize);
	buf_release(&hscratch);
	if (rc < 0)
		return rc;
	if ((rc = store_copy_begin(im->st, copy)) < 0)
		goto fail;
	for (;;) {
		rc = opendata_csv_next(data, len, &pos, &line, win1252, &im->scratch, &r);
		if (rc == 0)
			break;
		im->rows_read++;
		if (rc == -EINVAL)
			skip(im, file, r.line, "a quoted field is never closed");
		else if (rc == -E2BIG)
			skip(im, file, r.line, "more than %d fields or %d bytes",
			     OPENDATA_CSV_MAX_FIELDS, OPENDATA_CSV_MAX_RECORD);
		else if (rc == -EILSEQ)
			skip(im, file, r.line, "contains a NUL byte");
		else if (r.n != nheader)
			skip(im, file, r.line, "%zu fields where the header has %zu", r.n, nheader);
		else
			fn(im, file, &r, idx);
		arena_destroy(im->a);
		im->a = arena_new();
		if ((rc = flush(im, false)) < 0)
			break;
	}
	if (rc == 0)
		rc = flush(im, true);
	int end = store_copy_end(im->st);
	if (rc == 0)
		rc = end;
	if (rc == 0)
		return 0;
fail:
	snprintf(err, errsize, "%s: %s", file, store_error_message(im->st));
	return rc;
}

/* ---- the commands */

struct format {
	const char *name;         /* import_report.format */
	const char *jurisdiction; /* default code */
	const char *jurisdiction_name;
	const char *timezone;
	const char *scheme;
	/* The scoring scheme whose catalogue the citations' codes must be in, unless told
	 * otherwise; NULL: the codes as published. */
	const char *catalogue;
	enum store_stmt apply;
};

static const struct format nyc_format = { "nyc",
	                                  "nyc-open-data",
	                                  "New York City (DOHMH open data)",
	                                  "America/New_York",
	                                  "nyc-import",
	                                  "nyc",
	                                  STMT_OPENDATA_NYC_APPLY };
static const struct format lives_format = {
	"lives",        "sf-lives", "San Francisco (LIVES open data)", "America/Los_Angeles",
	"lives-import", NULL,       STMT_OPENDATA_LIVES_APPLY
};

/* Load the LIVES files of @path (a folder or a ZIP) into the staging tables. */
static int lives_stream(struct importer *im, const char *path, char *err, size_t errsize)
{
	static const struct {
		const char *label;
		const char *names[2];
		bool required;
		enum store_stmt copy;
		const struct column *cols;
		size_t ncols;
		row_fn fn;
	} files[] = {
		{ "businesses",
		  { "businesses.csv", NULL },
		  true,
		  STMT_OPENDATA_COPY_LIVES_BUSINESSES,
		  lives_business_columns,
		  LB__COUNT,
		  lives_business_row },
		{ "inspections",
		  { "inspections.csv", "inspections_plus.csv" },
		  true,
		  STMT_OPENDATA_COPY_LIVES_INSPECTIONS,
		  lives_inspection_columns,
		  LI__COUNT,
		  lives_inspection_row },
		{ "violations",
		  { "violations.csv", "violations_plus.csv" },
		  false,
		  STMT_OPENDATA_COPY_LIVES_VIOLATIONS,
		  lives_violation_columns,
		  LV__COUNT,
		  lives_violation_row },
	};
	struct stat st;
	if (stat(path, &st) < 0) {
		snprintf(err, errsize, "cannot read %s: %s", path, strerror(errno));
		return -ENOENT;
	}
	zip_t *z = NULL;
	if (!S_ISDIR(st.st_mode)) {
		int zerr = 0;
		z = zip_open(path, ZIP_RDONLY, &zerr);
		if (!z) {
			snprintf(err, errsize, "%s is neither a folder nor a ZIP file", path);
			return -EINVAL;
		}
	}
	int rc = 0;
	for (size_t f = 0; f < ARRAY_SIZE(files) && rc == 0; f++) {
		struct source src = { 0 };
		bool found = false;
		for (size_t k = 0; k < 2 && files[f].names[k] && !found; k++) {
			if (z) {
				zip_int64_t i = zip_find(z, files[f].names[k]);
				if (i < 0)
					continue;
				found = true;
				rc = source_unzip(z, i, &src, err, errsize);
			} else {
				char *p = arena_printf(im->a, "%s/%s", path, files[f].names[k]);
				if (access(p, F_OK) < 0)
					continue;
				found = true;
				rc = source_map(p, &src, err, errsize);
			}
		}
		if (!found) {
			if (files[f].required) {
				snprintf(err, errsize, "%s has no %s", path, files[f].names[0]);
				rc = -ENOENT;
			}
			continue;
		}
		if (rc == 0)
			rc = stream(im, files[f].label, &src, files[f].copy, files[f].cols,
			            files[f].ncols, files[f].fn, err, errsize);
		source_release(&src);
	}
	if (z)
		zip_discard(z);
	return rc;
}

static void print_report(struct importer *im, json_t *counts)
{
	printf("placard import: rows read %lld; establishments %lld (%lld new, %lld updated); "
	       "inspections %lld (%lld new, %lld already imported, %lld amended as republished); "
	       "violations %lld (%lld new, "
	       "%lld already imported); rows skipped %lld\n",
	       im->rows_read,
	       (long long)json_integer_value(json_object_get(counts, "establishments")),
	       (long long)json_integer_value(json_object_get(counts, "establishments_created")),
	       (long long)json_integer_value(json_object_get(counts, "establishments_updated")),
	       (long long)json_integer_value(json_object_get(counts, "inspections")),
	       (long long)json_integer_value(json_object_get(counts, "inspections_created")),
	       (long long)json_integer_value(
	               json_object_get(counts, "inspections_already_imported")),
	       (long long)json_integer_value(json_object_get(counts, "inspections_amended")),
	       (long long)json_integer_value(json_object_get(counts, "violations")),
	       (long long)json_integer_value(json_object_get(counts, "violations_created")),
	       (long long)json_integer_value(
	               json_object_get(counts, "violations_already_imported")),
	       (long long)json_integer_value(json_object_get(counts, "rows_skipped")));
	struct store_result *r;
	const char *p[] = { im->import_id };
	if (store_exec(im->st, im->a, STMT_OPENDATA_FLAG_COUNTS, p, &r) == 0) {
		int c_flag = store_column(r, "flag"), c_count = store_column(r, "count");
		for (int i = 0; i < store_nrows(r); i++)
			printf("  flagged %s: %s rows\n", store_value(r, i, c_flag),
			       store_value(r, i, c_count));
	}
	if (store_exec(im->st, im->a, STMT_OPENDATA_SKIPPED_LIST, p, &r) == 0) {
		int c_file = store_column(r, "file"), c_row = store_column(r, "row_no"),
		    c_reason = store_column(r, "reason");
		for (int i = 0; i < store_nrows(r); i++)
			printf("  skipped %s line %s: %s\n", store_value(r, i, c_file),
			       store_value(r, i, c_row), store_value(r, i, c_reason));
	}
}

static int import_run(const struct config *cfg, const struct format *fmt, const char *path,
                      const char *jurisdiction, const char *catalogue)
{
	json_init();
	struct importer im = {
		.a = arena_new(), .skipped = BUF_INIT, .row = BUF_INIT, .scratch = BUF_INIT
	};
	char err[1024] = "";
	int status = 1, rc;
	struct store_result *r;
	json_t *counts = NULL;
	if (store_open(cfg->database_url, &im.st, err, sizeof(err)) < 0) {
		fprintf(stderr, "placard import: %s\n", err);
		arena_destroy(im.a);
		return 1;
	}
	struct arena *keep = arena_new(); /* what lives across the per-row arenas */
	const char *base =
	        strrchr(path, '/') && strrchr(path, '/')[1] ? strrchr(path, '/') + 1 : path;
	char source_name[201];
	snprintf(source_name, sizeof(source_name), "%s", base);
	opendata_truncate(source_name, 200);
	const char *pj[] = { jurisdiction,
		             streq(jurisdiction, fmt->jurisdiction) ? fmt->jurisdiction_name
		                                                    : jurisdiction,
		             streq(jurisdiction, fmt->jurisdiction) ? fmt->timezone : "UTC",
		             fmt->scheme };
	if ((rc = store_begin(im.st)) < 0 ||
	    (rc = store_exec(im.st, keep, STMT_BULK_LOAD_ON, NULL, NULL)) < 0 ||
	    (rc = store_exec(im.st, keep, STMT_OPENDATA_JURISDICTION, pj, &r)) < 0)
		goto fail;
	const char *jid = store_get(r, 0, "id");
	const char *pr[] = { fmt->name, jid, source_name };
	if ((rc = store_exec(im.st, keep, STMT_OPENDATA_REPORT_CREATE, pr, &r)) < 0)
		goto fail;
	snprintf(im.import_id, sizeof(im.import_id), "%s", store_get(r, 0, "id"));

	im.quote_prefix = fmt == &lives_format;
	if (fmt == &nyc_format) {
		struct source src = { 0 };
		if ((rc = store_exec(im.st, keep, STMT_OPENDATA_STAGE_NYC, NULL, NULL)) < 0)
			goto fail;
		if ((rc = source_map(path, &src, err, sizeof(err))) < 0)
			goto out_err;
		rc = stream(&im, "nyc", &src, STMT_OPENDATA_COPY_NYC, nyc_columns, NYC__COUNT,
		            nyc_row, err, sizeof(err));
		source_release(&src);
	} else {
		if ((rc = store_exec(im.st, keep, STMT_OPENDATA_STAGE_LIVES_BUSINESSES, NULL,
		                     NULL)) < 0 ||
		    (rc = store_exec(im.st, keep, STMT_OPENDATA_STAGE_LIVES_INSPECTIONS, NULL,
		                     NULL)) < 0 ||
		    (rc = store_exec(im.st, keep, STMT_OPENDATA_STAGE_LIVES_VIOLATIONS, NULL,
		                     NULL)) < 0)
			goto fail;
		rc = lives_stream(&im, path, err, sizeof(err));
	}
	if (rc < 0)
		goto out_err;
	if (im.skipped.len) {
		if ((rc = store_copy_begin(im.st, STMT_OPENDATA_COPY_SKIPPED)) < 0)
			goto fail;
		rc = store_copy_send(im.st, im.skipped.data, im.skipped.len);
		int end = store_copy_end(im.st);
		if (rc < 0 || (rc = end) < 0)
			goto fail;
	}
	const char *pa[] = { im.import_id, jid, catalogue };
	if ((rc = store_exec(im.st, keep, fmt->apply, pa, &r)) < 0)
		goto fail;
	counts = json_loads(store_get(r, 0, "counts"), 0, NULL);
	if (!counts)
		die("opendata apply returned no JSON");
	json_object_set_new(counts, "rows_read", json_integer(im.rows_read));
	char *text = json_dumps(counts, JSON_COMPACT | JSON_SORT_KEYS);
	const char *pf[] = { im.import_id, text };
	rc = store_exec(im.st, keep, STMT_OPENDATA_REPORT_FINISH, pf, NULL);
	free(text);
	if (rc < 0)
		goto fail;
	json_t *payload = json_deep_copy(counts);
	json_object_set_new(payload, "format", json_string(fmt->name));
	json_object_set_new(payload, "jurisdiction", json_string(jurisdiction));
	json_object_set_new(payload, "import_id", json_integer(atoll(im.import_id)));
	/* The dictionary's triggers added the new names' words. A renamed establishment may
	 * have left words no name uses: only then is the dictionary rebuilt (a scan of every
	 * name in the database). */
	bool renamed = json_integer_value(json_object_get(counts, "establishments_updated")) > 0;
	if ((rc = rec_event(&(struct rec){ .st = im.st, .a = keep }, "opendata.imported",
	                    arena_printf(keep, "jurisdiction/%s", jurisdiction), payload)) < 0 ||
	    (renamed &&
	     (rc = store_exec(im.st, keep, STMT_OPENDATA_REFRESH_SEARCH, NULL, NULL)) < 0) ||
	    (rc = store_commit(im.st)) < 0)
		goto fail;
	print_report(&im, counts);
	status = 0;
	goto out;
fail:
	snprintf(err, sizeof(err), "%s", store_error_message(im.st));
out_err:
	fprintf(stderr, "placard import: %s\n", err);
	store_rollback(im.st);
out:
	json_decref(counts);
	buf_release(&im.skipped);
	buf_release(&im.row);
	buf_release(&im.scratch);
	arena_destroy(im.a);
	arena_destroy(keep);
	store_close(im.st);
	return status;
}

int cli_import(const struct config *cfg, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, import_usage))
		return 0;
	const char *what = NULL, *path = NULL, *jurisdiction = NULL, *catalogue = NULL;
	for (int i = 1; i < argc; i++) {
		if (streq(argv[i], "--jurisdiction") && i + 1 < argc) {
			jurisdiction = argv[++i];
		} else if (streq(argv[i], "--catalogue") && i + 1 < argc) {
			catalogue = argv[++i];
		} else if (!what) {
			what = argv[i];
		} else if (!path) {
			path = argv[i];
		} else {
			fprintf(stderr, "placard import: unexpected argument %s\n\n%s", argv[i],
			        import_usage);
			return 2;
		}
	}
	const struct format *fmt = what && streq(what, "nyc")     ? &nyc_format
	                           : what && streq(what, "lives") ? &lives_format
	                                                          : NULL;
	if (!fmt || !path) {
		fputs(import_usage, stderr);
		return 2;
	}
	if (!jurisdiction)
		jurisdiction = fmt->jurisdiction;
	size_t n = strlen(jurisdiction);
	if (n < 2 || n > 32 || strspn(jurisdiction, "abcdefghijklmnopqrstuvwxyz0123456789-") != n) {
		fprintf(stderr, "placard import: a jurisdiction code is 2-32 of a-z, 0-9 and -\n");
		return 2;
	}
	if (!catalogue)
		catalogue = fmt->catalogue;
	else if (streq(catalogue, "none"))
		catalogue = NULL;
	else if ((n = strlen(catalogue)) < 2 || n > 32 ||
	         strspn(catalogue, "abcdefghijklmnopqrstuvwxyz0123456789-") != n) {
		fprintf(stderr, "placard import: a scheme code is 2-32 of a-z, 0-9 and -\n");
		return 2;
	}
	return import_run(cfg, fmt, path, jurisdiction, catalogue);
}
