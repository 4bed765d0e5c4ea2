/*
 * opendata.h - reading other systems' open data: a CSV record reader that accepts real
 * mess (CRLF, Windows-1252, stray quotes), and the value parsers the importers share
 * (dates in the NYC portal, NYC API and LIVES styles, scores, postcodes with ZIP+4 and
 * "NA", coordinates where 0 means "not geocoded", NYC grades checked against their bands);
 * and the rule for the CSV Placard publishes: cells a spreadsheet would run as formulas are
 * written with a leading apostrophe, which the LIVES importer removes again.
 *
 * Domain layer: pure functions over memory, no I/O. The importers (src/cli/import.c) map
 * files to rows with these and hand the rows to PostgreSQL; the export (src/api/opendata.c)
 * passes each row PostgreSQL writes through opendata_csv_guard_record().
 */
#ifndef PLACARD_DOMAIN_OPENDATA_H
#define PLACARD_DOMAIN_OPENDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

#define OPENDATA_CSV_MAX_FIELDS 64
#define OPENDATA_CSV_MAX_RECORD (1 << 20) /* bytes of one record, quotes included */

struct opendata_csv_record {
	size_t n;                                   /* fields read (may exceed the array) */
	const char *field[OPENDATA_CSV_MAX_FIELDS]; /* NUL-terminated UTF-8, in the scratch */
	size_t line;                                /* the line the record starts on, from 1 */
};

/*
 * Read the CSV record (RFC 4180, lenient) that starts at @data[*pos] into @rec. Fields are
 * unquoted into @scratch (emptied first; the record's fields point into it until the next
 * call) and, when @win1252, converted from Windows-1252 to UTF-8. Records end at LF, CRLF or
 * a lone CR outside quotes; blank lines are passed over. *@pos and *@line (the line *@pos is
 * on, 1 at the start) advance past the record even when it cannot be used.
 *
 * Returns 1 for a record, 0 at the end of the data, or for a record that cannot be used:
 * -EINVAL (a quoted field never closed; the rest of the line is passed over), -E2BIG (more
 * than OPENDATA_CSV_MAX_FIELDS fields or longer than OPENDATA_CSV_MAX_RECORD bytes), -EILSEQ
 * (a NUL byte). rec->line is set in every case.
 */
int opendata_csv_next(const char *data, size_t len, size_t *pos, size_t *line, bool win1252,
                      struct buf *scratch, struct opendata_csv_record *rec);

/*
 * Cells a spreadsheet would run (CSV injection, OWASP): a cell of the published CSV that
 * begins with =, +, -, @, a tab or a carriage return and is not a number is written with a
 * leading apostrophe, which spreadsheets take as "text, do not evaluate" and do not show.
 * A number, such as the longitude -73.95, stays a number. So that reading back is exact, a
 * cell that begins with an apostrophe followed by such a cell gets one too ("'=x" is
 * written "''=x"); opendata_csv_unguard() removes exactly what this added.
 */

/* True when the @len bytes at @s are a decimal number: an optional sign, digits with at
 * most one decimal point (at least one digit), an optional exponent (e or E, an optional
 * sign, digits). Nothing else: no blanks, no "Infinity", no hexadecimal. */
bool opendata_csv_number(const char *s, size_t len);

/* True when the cell of @len bytes at @s is written with a leading apostrophe (above). */
bool opendata_csv_needs_guard(const char *s, size_t len);

/* @s without the apostrophe opendata_csv_needs_guard() would have added (a pointer into
 * @s, one byte on), or @s itself. For every string s: unguard(guard(s)) == s. */
const char *opendata_csv_unguard(const char *s);

/*
 * Append CSV record @rec (@len bytes, as PostgreSQL's COPY ... CSV writes one: fields
 * separated by commas, quoted with double quotes when needed, ending with a newline) to
 * @out with an apostrophe added at the start of every field that needs one; every other
 * byte as it was. Returns the number of fields changed.
 */
size_t opendata_csv_guard_record(const char *rec, size_t len, struct buf *out);

/* True when @s (@len bytes) is valid UTF-8 (no overlongs, surrogates or values > U+10FFFF). */
bool opendata_utf8_valid(const char *s, size_t len);

/* Append @s (@len bytes of Windows-1252) to @out as UTF-8. The five bytes 1252 leaves
 * undefined become the C1 controls of the same value, as browsers decode them. */
void opendata_win1252_to_utf8(struct buf *out, const char *s, size_t len);

/* Cut @s in place to at most @max bytes without splitting a UTF-8 sequence; true if cut. */
bool opendata_truncate(char *s, size_t max);

/*
 * Parse a date as open data writes it: MM/DD/YYYY (NYC portal), YYYY-MM-DD with or without
 * a time part (NYC API: 2024-01-11T00:00:00.000), or YYYYMMDD (LIVES). Writes "YYYY-MM-DD"
 * into @ret. 0; -ENOENT for an empty value; -EINVAL for anything else, impossible dates
 * (02/30/2024) included.
 */
int opendata_date(const char *s, char ret[11]);

/* Parse an integer (surrounding blanks allowed). 0; -ENOENT when empty or "NA" / "N/A";
 * -EINVAL when not an integer; -ERANGE beyond +-1,000,000. */
int opendata_integer(const char *s, long *ret);

/* Anomalies found in a row, kept with it (import_flagged, inspection.source_record). */
enum opendata_flag {
	OPENDATA_NOT_GEOCODED = 1 << 0,       /* coordinates missing or 0,0 */
	OPENDATA_BAD_COORDINATES = 1 << 1,    /* not numbers, or out of range */
	OPENDATA_BOROUGH_UNKNOWN = 1 << 2,    /* NYC BORO 0 */
	OPENDATA_SCORE_OUT_OF_RANGE = 1 << 3, /* NYC -1 or 214; LIVES outside 0-100 */
	OPENDATA_SCORE_NOT_A_NUMBER = 1 << 4,
	OPENDATA_GRADE_SCORE_MISMATCH = 1 << 5, /* NYC: a B with score 38 */
	OPENDATA_GRADE_UNKNOWN = 1 << 6,        /* NYC: not A, B, C, N, Z or P */
	OPENDATA_POSTCODE_UNUSUAL = 1 << 7,     /* kept as published */
	OPENDATA_TRUNCATED = 1 << 8,            /* a text longer than Placard keeps */
	OPENDATA_NEVER_INSPECTED = 1 << 9,      /* NYC 1900-01-01 */
	OPENDATA_DATE_UNREADABLE = 1 << 10,     /* a grade or record date that is not a date */
};
#define OPENDATA_FLAG_COUNT 11

/* The name of flag bit @bit ("not_geocoded"), or NULL. */
const char *opendata_flag_name(unsigned bit);

/* Append @flags as a PostgreSQL array literal in COPY text form: {not_geocoded,...}. */
void opendata_flags_text(struct buf *out, unsigned flags);

/*
 * Normalise a published postcode into @ret: blanks trimmed; "NA", "N/A", "NULL", "0" and
 * "00000" become ""; nine digits become ZIP+4 ("941102019" -> "94110-2019"); five digits
 * and ZIP+4 stay. Anything else is kept as published (OPENDATA_POSTCODE_UNUSUAL), or
 * dropped when longer than 16 bytes (also flagged). Returns the flags.
 */
unsigned opendata_postcode(const char *s, char ret[17]);

/*
 * Parse a latitude/longitude pair. 0 with both set; -ENOENT when either is empty or both
 * are 0 (flags OPENDATA_NOT_GEOCODED); -EINVAL when not numbers or out of range
 * (OPENDATA_BAD_COORDINATES). Flags are or-ed into *@flags.
 */
int opendata_coordinates(const char *lat, const char *lon, double *ret_lat, double *ret_lon,
                         unsigned *flags);

/*
 * Check a grade NYC published: a letter outside its band (A 0-13, B 14-27, C 28+; C at a
 * reopening whatever the score), a score outside 0-200, a code NYC does not use. Returns
 * the flags (0 when nothing is odd). @has_score false for a blank score.
 */
unsigned opendata_nyc_check(const char *grade, bool has_score, long score, bool reopening);

/* The label and outcome (as grade_outcome_name writes them) of NYC grade code @grade. */
void opendata_nyc_grade(const char *grade, const char **ret_label, const char **ret_outcome);

/*
 * Placard's inspection type for a source's free text ("Cycle Inspection / Re-inspection",
 * "Reinspection/Followup", "Pre-permit (Operational) / Initial Inspection", "Complaint"):
 * reopening, reinspection, complaint, pre-permit, else initial. Never NULL.
 */
const char *opendata_inspection_type(const char *source_type);

#endif
