/*
 * log.h - structured logging at the edges.
 *
 * One JSON object per line on stderr, in UTC, with every string escaped so that a client
 * cannot inject lines. Library code below the edges does not log: it returns errors, and the
 * command or request layer decides what to write.
 *
 * Core layer: standard C only.
 */
#ifndef PLACARD_CORE_LOG_H
#define PLACARD_CORE_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Messages below @level are dropped. Default LOG_INFO. */
void log_set_level(enum log_level level);

/* Write {"ts":..., "level":..., "msg": <formatted>} to stderr. */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/* Write a preformatted JSON object's members (without braces) as one line, with ts added. */
void log_json_line(const char *members);

/*
 * Send access-log lines (log_access_line) to the file at @path, appended to, instead of
 * stderr. Call before threads start. 0 or a negative errno.
 */
int log_access_open(const char *path);

/* One access-log line: as log_json_line, to the access log's file or stderr. */
void log_access_line(const char *members);

/* Format the current UTC time as 2026-01-02T03:04:05.678Z into @out (at least 25 bytes). */
void log_timestamp(char *out, unsigned long size);

#endif
