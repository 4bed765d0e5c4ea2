/*
 * log.c - one escaped JSON line per event on stderr, or in the journal. See log.h.
 */
#include "core/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifdef PLACARD_HAVE_JOURNAL
/* Not CODE_FILE=log.c on every line: the place that logged is in the message. */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>
/* sd-journal.h brings <syslog.h>, whose LOG_DEBUG and LOG_INFO macros (7 and 6) would
 * otherwise replace the names of enum log_level here. */
#undef LOG_DEBUG
#undef LOG_INFO
#endif

#include "core/buf.h"
#include "core/util.h"

static enum log_level min_level = LOG_INFO;
static const char *const level_names[] = { "debug", "info", "warn", "error" };
/* Where access-log lines go: stderr unless log_access_open() named a file. */
static FILE *access_out;
/* Whether stderr's lines go to the journal (log_use_journal); set before threads start. */
static bool journal;

void log_set_level(enum log_level level)
{
	min_level = level;
}

void log_timestamp(char *out, unsigned long size)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	char base[32];
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, size, "%s.%03ldZ", base, ts.tv_nsec / 1000000);
}

/* The journal's fields of @line, sent; 0 or a negative errno (the line was not taken). */
static int journal_send(const char *line)
{
#ifdef PLACARD_HAVE_JOURNAL
	enum { FIELDS_MAX = 64 };
	struct buf fields = BUF_INIT;
	unsigned n;
	int rc = log_journal_fields(line, &fields, &n);
	if (rc == 0) {
		struct iovec iov[FIELDS_MAX];
		unsigned k = 0;
		for (size_t off = 0; k < n && k < FIELDS_MAX; k++) {
			size_t len = strlen(fields.data + off);
			iov[k] = (struct iovec){ .iov_base = fields.data + off, .iov_len = len };
			off += len + 1;
		}
		rc = sd_journal_sendv(iov, (int)k);
	}
	buf_release(&fields);
	return rc;
#else
	(void)line;
	return -ENOTSUP;
#endif
}

static void log_emit_to(FILE *out, struct buf *line)
{
	if (journal && out == stderr && journal_send(line->data) == 0)
		return;
	buf_addch(line, '\n');
	/* One fwrite per line keeps lines whole when threads log at once. */
	fwrite(line->data, 1, line->len, out);
	fflush(out);
}

static void log_emit(struct buf *line)
{
	log_emit_to(stderr, line);
}

int log_access_open(const char *path)
{
	FILE *f = fopen(path, "a");
	if (!f)
		return -errno;
	if (access_out)
		fclose(access_out);
	access_out = f;
	return 0;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level < min_level)
		return;
	struct buf msg = BUF_INIT, line = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	char ts[40];
	log_timestamp(ts, sizeof(ts));
	buf_addf(&line, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"", ts, level_names[level]);
	buf_add_json_escaped(&line, msg.data);
	buf_addstr(&line, "\"}");
	log_emit(&line);
	buf_release(&msg);
	buf_release(&line);
}

void log_json_line(const char *members)
{
	struct buf line = BUF_INIT;
	char ts[40];
	log_timestamp(ts, sizeof(ts));
	buf_addf(&line, "{\"ts\":\"%s\",%s}", ts, members);
	log_emit(&line);
	buf_release(&line);
}

void log_access_line(const char *members)
{
	struct buf line = BUF_INIT;
	char ts[40];
	log_timestamp(ts, sizeof(ts));
	buf_addf(&line, "{\"ts\":\"%s\",%s}", ts, members);
	log_emit_to(access_out ? access_out : stderr, &line);
	buf_release(&line);
}

/* Whether standard error is the stream JOURNAL_STREAM ("DEVICE:INODE") names. */
static bool stderr_is_journal(void)
{
	const char *v = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	if (!v || sscanf(v, "%llu:%llu", &dev, &ino) != 2 || fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

int log_use_journal(int mode)
{
#ifdef PLACARD_HAVE_JOURNAL
	/* sd_journal_send() drops lines silently where no journald listens: keep them. */
	bool listening = access(LOG_JOURNAL_SOCKET, F_OK) == 0;
	journal = listening && (mode > 0 || (mode < 0 && stderr_is_journal()));
	return mode > 0 && !listening ? -ENOENT : 0;
#else
	journal = false;
	(void)stderr_is_journal;
	return mode > 0 ? -ENOTSUP : 0;
#endif
}

int log_to_journal(void)
{
	return journal;
}

/* ---- journal fields from a JSON line */

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static int hex4(const char *p)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void add_utf8(struct buf *out, unsigned cp)
{
	if (cp == 0)
		cp = 0xFFFD; /* a journal field is text: no NUL in it */
	if (cp < 0x80) {
		buf_addch(out, (char)cp);
	} else if (cp < 0x800) {
		buf_addch(out, (char)(0xC0 | (cp >> 6)));
		buf_addch(out, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		buf_addch(out, (char)(0xE0 | (cp >> 12)));
		buf_addch(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_addch(out, (char)(0x80 | (cp & 0x3F)));
	} else {
		buf_addch(out, (char)(0xF0 | (cp >> 18)));
		buf_addch(out, (char)(0x80 | ((cp >> 12) & 0x3F)));
		buf_addch(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_addch(out, (char)(0x80 | (cp & 0x3F)));
	}
}

/* A JSON string at @p (its opening quote), unescaped onto @out; past its closing quote, or
 * NULL when malformed. */
static const char *read_string(const char *p, struct buf *out)
{
	if (*p++ != '"')
		return NULL;
	for (;;) {
		char c = *p++;
		if (c == '"')
			return p;
		if (c == '\0')
			return NULL;
		if (c != '\\') {
			buf_addch(out, c);
			continue;
		}
		c = *p++;
		switch (c) {
		case '"':
		case '\\':
		case '/': buf_addch(out, c); break;
		case 'b': buf_addch(out, '\b'); break;
		case 'f': buf_addch(out, '\f'); break;
		case 'n': buf_addch(out, '\n'); break;
		case 'r': buf_addch(out, '\r'); break;
		case 't': buf_addch(out, '\t'); break;
		case 'u': {
			int cp = hex4(p);
			if (cp < 0)
				return NULL;
			p += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && p[0] == '\\' && p[1] == 'u') {
				int lo = hex4(p + 2);
				if (lo >= 0xDC00 && lo < 0xE000) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					p += 6;
				}
			}
			if (cp >= 0xD800 && cp < 0xE000)
				cp = 0xFFFD; /* a lone surrogate */
			add_utf8(out, (unsigned)cp);
			break;
		}
		default: return NULL;
		}
	}
}

/* Any other value (a number, true, false, null, or a nested object or array) as written;
 * past it, or NULL when it does not end. */
static const char *read_raw(const char *p, struct buf *out)
{
	const char *start = p;
	int depth = 0;
	for (;;) {
		if (*p == '\0')
			return NULL;
		if (*p == '"') {
			struct buf skip = BUF_INIT;
			p = read_string(p, &skip);
			buf_release(&skip);
			if (!p)
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']') {
			if (depth == 0)
				break;
			depth--;
		} else if (*p == ',' && depth == 0)
			break;
		p++;
	}
	const char *end = p;
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end == start)
		return NULL;
	buf_add(out, start, (size_t)(end - start));
	return p;
}

static bool journal_reserved(const char *name)
{
	static const char *const names[] = { "MESSAGE",      "MESSAGE_ID",    "PRIORITY",
		                             "ERRNO",        "INVOCATION_ID", "USER_INVOCATION_ID",
		                             "TID",          "UNIT",          "USER_UNIT",
		                             "DOCUMENTATION" };
	static const char *const prefixes[] = { "CODE_", "SYSLOG_", "OBJECT_", "COREDUMP_" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (streq(name, names[i]))
			return true;
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

/* The journal's name for the member @key, with its "=", onto @out. */
static void add_field_name(struct buf *out, const char *key)
{
	char name[LOG_JOURNAL_NAME_MAX + 1];
	size_t n = 0, len = strlen(key);
	for (size_t i = 0; i < len && n < LOG_JOURNAL_NAME_MAX; i++) {
		char c = key[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			c = '_';
		name[n++] = c;
	}
	name[n] = '\0';
	if (n == 0 || !(name[0] >= 'A' && name[0] <= 'Z') || journal_reserved(name)) {
		static const char prefix[] = "PLACARD_";
		buf_addstr(out, prefix);
		name[LOG_JOURNAL_NAME_MAX - (sizeof(prefix) - 1)] = '\0';
	}
	buf_addstr(out, name);
	buf_addch(out, '=');
}

int log_journal_fields(const char *line, struct buf *ret, unsigned *ret_n)
{
	static const struct {
		const char *name;
		int priority;
	} levels[] = { { "debug", 7 }, { "info", 6 }, { "warn", 4 }, { "error", 3 } };
	unsigned n = 0;
	int priority = 6;
	bool message = false;
	struct buf key = BUF_INIT, value = BUF_INIT;
	int rc = -EINVAL;
	const char *p = skip_space(line);
	if (*p++ != '{')
		goto out;
	p = skip_space(p);
	if (*p == '}')
		p++;
	else
		for (;;) {
			buf_truncate(&key, 0);
			buf_truncate(&value, 0);
			if (!(p = read_string(skip_space(p), &key)))
				goto out;
			p = skip_space(p);
			if (*p++ != ':')
				goto out;
			p = skip_space(p);
			p = *p == '"' ? read_string(p, &value) : read_raw(p, &value);
			if (!p)
				goto out;
			if (streq(key.data, "msg")) {
				buf_addstr(ret, "MESSAGE=");
				message = true;
			} else {
				add_field_name(ret, key.data);
			}
			buf_addstr(ret, value.data);
			buf_addch(ret, '\0');
			n++;
			if (streq(key.data, "level"))
				for (size_t i = 0; i < ARRAY_SIZE(levels); i++)
					if (streq(value.data, levels[i].name))
						priority = levels[i].priority;
			p = skip_space(p);
			if (*p == '}') {
				p++;
				break;
			}
			if (*p++ != ',')
				goto out;
		}
	if (*skip_space(p))
		goto out;
	if (!message) {
		buf_addstr(ret, "MESSAGE=");
		buf_addstr(ret, line);
		buf_addch(ret, '\0');
		n++;
	}
	buf_addf(ret, "PRIORITY=%d", priority);
	buf_addch(ret, '\0');
	buf_addstr(ret, "SYSLOG_IDENTIFIER=placard");
	buf_addch(ret, '\0');
	n += 2;
	rc = 0;
out:
	buf_release(&key);
	buf_release(&value);
	*ret_n = n;
	return rc;
}
