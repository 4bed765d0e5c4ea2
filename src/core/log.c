/*
 * log.c - one escaped JSON line per event on stderr. See log.h.
 */
#include "core/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "core/buf.h"

static enum log_level min_level = LOG_INFO;
static const char *const level_names[] = { "debug", "info", "warn", "error" };
/* Where access-log lines go: stderr unless log_access_open() named a file. */
static FILE *access_out;

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

static void log_emit_to(FILE *out, struct buf *line)
{
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
