/*
 * opendata.c - the CSV reader and value parsers for imported open data. See opendata.h.
 *
 * Domain layer: pure functions, no I/O.
 */
#include "domain/opendata.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

bool opendata_csv_number(const char *s, size_t len)
{
	size_t i = 0, digits = 0;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (!digits)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t exp = 0;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			exp++;
		if (!exp)
			return false;
	}
	return i == len;
}

bool opendata_csv_needs_guard(const char *s, size_t len)
{
	/* Apostrophes before a cell that needs one each need one more (see opendata.h). */
	size_t i = 0;
	while (i < len && s[i] == '\'')
		i++;
	if (i == len)
		return false;
	switch (s[i]) {
	case '=':
	case '+':
	case '-':
	case '@':
	case '\t':
	case '\r': return !opendata_csv_number(s + i, len - i);
	default: return false;
	}
}

const char *opendata_csv_unguard(const char *s)
{
	return s[0] == '\'' && opendata_csv_needs_guard(s + 1, strlen(s + 1)) ? s + 1 : s;
}

size_t opendata_csv_guard_record(const char *rec, size_t len, struct buf *out)
{
	struct buf cell = BUF_INIT;
	size_t changed = 0, i = 0;
	for (;;) {
		/* One field: [start, i) raw; its value in @cell. */
		size_t start = i;
		buf_truncate(&cell, 0);
		if (i < len && rec[i] == '"') {
			for (i++; i < len; i++) {
				if (rec[i] != '"') {
					buf_addch(&cell, rec[i]);
				} else if (i + 1 < len && rec[i + 1] == '"') {
					buf_addch(&cell, '"');
					i++;
				} else {
					i++;
					break;
				}
			}
		}
		while (i < len && rec[i] != ',' && rec[i] != '\n' && rec[i] != '\r')
			buf_addch(&cell, rec[i++]);
		if (opendata_csv_needs_guard(cell.data, cell.len)) {
			bool quoted = rec[start] == '"';
			buf_add(out, rec + start, quoted);
			buf_addch(out, '\'');
			buf_add(out, rec + start + quoted, i - start - quoted);
			changed++;
		} else {
			buf_add(out, rec + start, i - start);
		}
		if (i >= len || rec[i] != ',')
			break;
		buf_addch(out, rec[i++]);
	}
	buf_add(out, rec + i, len - i);
	buf_release(&cell);
	return changed;
}

/* Windows-1252 0x80-0x9F as Unicode; the undefined five map to the C1 control itself. */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static void add_codepoint(struct buf *out, unsigned cp)
{
	if (cp < 0x80) {
		buf_addch(out, (char)cp);
	} else if (cp < 0x800) {
		buf_addch(out, (char)(0xC0 | cp >> 6));
		buf_addch(out, (char)(0x80 | (cp & 0x3F)));
	} else {
		buf_addch(out, (char)(0xE0 | cp >> 12));
		buf_addch(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_addch(out, (char)(0x80 | (cp & 0x3F)));
	}
}

void opendata_win1252_to_utf8(struct buf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80)
			buf_addch(out, (char)c);
		else if (c < 0xA0)
			add_codepoint(out, cp1252_high[c - 0x80]);
		else
			add_codepoint(out, c);
	}
}

bool opendata_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		unsigned c = *p;
		if (c < 0x80) {
			p++;
			continue;
		}
		size_t n;
		unsigned cp, min;
		if ((c & 0xE0) == 0xC0) {
			n = 1, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return false;
		}
		if ((size_t)(end - p) <= n)
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (p[i] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		p += n + 1;
	}
	return true;
}

bool opendata_truncate(char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return false;
	/* Back up over continuation bytes so no sequence is split. */
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	s[max] = '\0';
	return true;
}

/* Append @len bytes of field text, converting when the file is Windows-1252. */
static void field_add(struct buf *b, const char *s, size_t len, bool win1252)
{
	if (win1252)
		opendata_win1252_to_utf8(b, s, len);
	else
		buf_add(b, s, len);
}

int opendata_csv_next(const char *data, size_t len, size_t *pos, size_t *line, bool win1252,
                      struct buf *scratch, struct opendata_csv_record *rec)
{
	size_t p = *pos;
	/* Blank lines carry nothing. */
	while (p < len && (data[p] == '\n' || data[p] == '\r')) {
		if (data[p] == '\n' || p + 1 >= len || data[p + 1] != '\n')
			(*line)++;
		p++;
	}
	rec->n = 0;
	rec->line = *line;
	if (p >= len) {
		*pos = p;
		return 0;
	}
	buf_truncate(scratch, 0);
	size_t offsets[OPENDATA_CSV_MAX_FIELDS];
	size_t start = p;
	int rc = 1;
	bool end = false;
	while (!end) {
		/* One field. */
		if (rec->n < OPENDATA_CSV_MAX_FIELDS)
			offsets[rec->n] = scratch->len;
		else
			rc = -E2BIG;
		rec->n++;
		if (p < len && data[p] == '"') {
			p++;
			for (;;) {
				size_t q = p;
				while (q < len && data[q] != '"' && data[q] != '\0') {
					if (data[q] == '\n')
						(*line)++;
					q++;
				}
				field_add(scratch, data + p, q - p, win1252);
				if (q >= len) {
					/* Never closed: give up on the record at the end of its first line. */
					p = start;
					while (p < len && data[p] != '\n')
						p++;
					*line = rec->line;
					rc = -EINVAL;
					end = true;
					break;
				}
				if (data[q] == '\0') {
					rc = -EILSEQ;
					p = q + 1;
					continue;
				}
				if (q + 1 < len && data[q + 1] == '"') {
					buf_addch(scratch, '"');
					p = q + 2;
					continue;
				}
				p = q + 1;
				break;
			}
			if (end)
				break;
		}
		/* Unquoted text, or what follows a closing quote (kept as it is: lenient). */
		size_t q = p;
		while (q < len && data[q] != ',' && data[q] != '\n' && data[q] != '\r') {
			if (data[q] == '\0')
				rc = -EILSEQ;
			q++;
		}
		field_add(scratch, data + p, q - p, win1252);
		buf_addch(scratch, '\0');
		p = q;
		if (p < len && data[p] == ',') {
			p++;
			continue;
		}
		end = true;
		if (p < len && data[p] == '\r')
			p++;
		if (p < len && data[p] == '\n')
			p++;
		(*line)++;
	}
	if (rc == -EINVAL) {
		/* Past the rest of that line. */
		if (p < len)
			p++;
		(*line)++;
	}
	if (rc == 1 && p - start > OPENDATA_CSV_MAX_RECORD)
		rc = -E2BIG;
	*pos = p;
	if (rc == 1) {
		size_t n = rec->n < OPENDATA_CSV_MAX_FIELDS ? rec->n : OPENDATA_CSV_MAX_FIELDS;
		for (size_t i = 0; i < n; i++)
			rec->field[i] = scratch->data + offsets[i];
	}
	return rc;
}

/* Copy @s without surrounding blanks into @out (@size bytes); false if it does not fit. */
static bool trimmed(const char *s, char *out, size_t size)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= size)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static bool valid_day(int y, int m, int d)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

int opendata_date(const char *s, char ret[11])
{
	char t[40];
	if (!trimmed(s, t, sizeof(t)))
		return -EINVAL;
	size_t n = strlen(t);
	int y, m, d;
	if (n == 0)
		return -ENOENT;
	if (n == 10 && t[2] == '/' && t[5] == '/' && all_digits(t, 2) && all_digits(t + 3, 2) &&
	    all_digits(t + 6, 4)) {
		m = num(t, 2), d = num(t + 3, 2), y = num(t + 6, 4);
	} else if (n >= 10 && t[4] == '-' && t[7] == '-' && all_digits(t, 4) &&
	           all_digits(t + 5, 2) && all_digits(t + 8, 2) &&
	           (n == 10 || t[10] == 'T' || t[10] == ' ')) {
		y = num(t, 4), m = num(t + 5, 2), d = num(t + 8, 2);
	} else if (n == 8 && all_digits(t, 8)) {
		y = num(t, 4), m = num(t + 4, 2), d = num(t + 6, 2);
	} else {
		return -EINVAL;
	}
	if (!valid_day(y, m, d))
		return -EINVAL;
	/* valid_day() bounds them: four digits, two, two. */
	snprintf(ret, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
	         (unsigned)d % 100u);
	return 0;
}

int opendata_integer(const char *s, long *ret)
{
	char t[32];
	if (!trimmed(s, t, sizeof(t)))
		return -EINVAL;
	if (!*t || strcaseeq(t, "NA") || strcaseeq(t, "N/A"))
		return -ENOENT;
	const char *p = t + (*t == '-' || *t == '+');
	size_t n = strlen(p);
	if (n == 0 || !all_digits(p, n))
		return -EINVAL;
	if (n > 7)
		return -ERANGE;
	long v = strtol(t, NULL, 10);
	if (v > 1000000 || v < -1000000)
		return -ERANGE;
	*ret = v;
	return 0;
}

static const char *const flag_names[OPENDATA_FLAG_COUNT] = {
	"not_geocoded",       "bad_coordinates",    "borough_unknown",
	"score_out_of_range", "score_not_a_number", "grade_does_not_match_score",
	"grade_unknown",      "postcode_unusual",   "truncated",
	"never_inspected",    "date_unreadable",
};

const char *opendata_flag_name(unsigned bit)
{
	for (unsigned i = 0; i < OPENDATA_FLAG_COUNT; i++)
		if (bit == 1u << i)
			return flag_names[i];
	return NULL;
}

void opendata_flags_text(struct buf *out, unsigned flags)
{
	buf_addch(out, '{');
	bool first = true;
	for (unsigned i = 0; i < OPENDATA_FLAG_COUNT; i++) {
		if (!(flags & 1u << i))
			continue;
		if (!first)
			buf_addch(out, ',');
		buf_addstr(out, flag_names[i]);
		first = false;
	}
	buf_addch(out, '}');
}

unsigned opendata_postcode(const char *s, char ret[17])
{
	char t[64];
	ret[0] = '\0';
	if (!trimmed(s, t, sizeof(t)))
		return OPENDATA_POSTCODE_UNUSUAL;
	size_t n = strlen(t);
	if (n == 0 || strcaseeq(t, "NA") || strcaseeq(t, "N/A") || strcaseeq(t, "NULL") ||
	    streq(t, "0") || streq(t, "00000"))
		return 0;
	if (n == 9 && all_digits(t, 9)) {
		snprintf(ret, 17, "%.5s-%.4s", t, t + 5);
		return 0;
	}
	if (n > 16)
		return OPENDATA_POSTCODE_UNUSUAL;
	memcpy(ret, t, n + 1);
	if ((n == 5 && all_digits(t, 5)) ||
	    (n == 10 && all_digits(t, 5) && t[5] == '-' && all_digits(t + 6, 4)))
		return 0;
	return OPENDATA_POSTCODE_UNUSUAL;
}

static int coordinate(const char *s, double lo, double hi, double *ret)
{
	char t[48], *end;
	if (!trimmed(s, t, sizeof(t)))
		return -EINVAL;
	if (!*t || strcaseeq(t, "NA") || strcaseeq(t, "N/A"))
		return -ENOENT;
	errno = 0;
	double v = strtod(t, &end);
	if (*end || errno || !isfinite(v) || v < lo || v > hi)
		return -EINVAL;
	*ret = v;
	return 0;
}

int opendata_coordinates(const char *lat, const char *lon, double *ret_lat, double *ret_lon,
                         unsigned *flags)
{
	double a = 0, b = 0;
	int ra = coordinate(lat, -90, 90, &a), rb = coordinate(lon, -180, 180, &b);
	if (ra == -EINVAL || rb == -EINVAL) {
		*flags |= OPENDATA_BAD_COORDINATES;
		return -EINVAL;
	}
	if (ra == -ENOENT || rb == -ENOENT || (a == 0 && b == 0)) {
		*flags |= OPENDATA_NOT_GEOCODED;
		return -ENOENT;
	}
	*ret_lat = a;
	*ret_lon = b;
	return 0;
}

unsigned opendata_nyc_check(const char *grade, bool has_score, long score, bool reopening)
{
	unsigned flags = 0;
	if (has_score && (score < 0 || score > 200))
		flags |= OPENDATA_SCORE_OUT_OF_RANGE;
	if (!*grade)
		return flags;
	if (strlen(grade) != 1 || !strchr("ABCNZP", grade[0]))
		return flags | OPENDATA_GRADE_UNKNOWN;
	if (!has_score)
		return flags;
	switch (grade[0]) {
	case 'A':
		if (score > 13)
			flags |= OPENDATA_GRADE_SCORE_MISMATCH;
		break;
	case 'B':
		if (score < 14 || score > 27)
			flags |= OPENDATA_GRADE_SCORE_MISMATCH;
		break;
	case 'C':
		if (score < 28 && !reopening)
			flags |= OPENDATA_GRADE_SCORE_MISMATCH;
		break;
	default: break;
	}
	return flags;
}

void opendata_nyc_grade(const char *grade, const char **ret_label, const char **ret_outcome)
{
	static const struct {
		const char *code, *label, *outcome;
	} grades[] = {
		{ "A", "A", "graded" },
		{ "B", "B", "graded" },
		{ "C", "C", "graded" },
		{ "Z", "Grade Pending", "pending" },
		{ "P", "Grade Pending", "pending" },
		{ "N", "Not Yet Graded", "not-yet-graded" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(grades); i++) {
		if (streq(grade, grades[i].code)) {
			*ret_label = grades[i].label;
			*ret_outcome = grades[i].outcome;
			return;
		}
	}
	*ret_label = *grade ? grade : "No grade issued";
	*ret_outcome = "no-grade";
}

/* Case-insensitive substring search. */
static bool contains(const char *s, const char *word)
{
	return strcasestr(s, word) != NULL;
}

const char *opendata_inspection_type(const char *t)
{
	if (contains(t, "reopening") || contains(t, "re-opening"))
		return "reopening";
	if (contains(t, "re-inspection") || contains(t, "reinspection") || contains(t, "follow") ||
	    contains(t, "compliance"))
		return "reinspection";
	if (contains(t, "complaint"))
		return "complaint";
	if (contains(t, "pre-permit") || contains(t, "new ownership") ||
	    contains(t, "new construction"))
		return "pre-permit";
	return "initial";
}
