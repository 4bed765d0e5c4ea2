/*
 * log.h - structured logging at the edges.
 *
 * One JSON object per line on stderr, in UTC, with every string escaped so that a client
 * cannot inject lines. Library code below the edges does not log: it returns errors, and the
 * command or request layer decides what to write.
 *
 * Under systemd the same lines can go to the journal instead (log_use_journal), each member
 * of the object a journal field of its own (log_journal_fields), so that journalctl can
 * select on them (journalctl -u placard STATUS=500).
 *
 * Core layer: standard C only.
 */
#ifndef PLACARD_CORE_LOG_H
#define PLACARD_CORE_LOG_H

struct buf;

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

/* Where journald listens for sd_journal_send(). */
#define LOG_JOURNAL_SOCKET "/run/systemd/journal/socket"

/*
 * Send what goes to stderr (log_msg, log_json_line, and access-log lines when there is no
 * access-log file) to the systemd journal instead: @mode 1 always, 0 never, -1 when standard
 * error is a stream into the journal (systemd's JOURNAL_STREAM names it). Never where no
 * journald listens (LOG_JOURNAL_SOCKET). Call before threads start. 0; for @mode 1, -ENOTSUP
 * when this build has no libsystemd and -ENOENT when no journald listens (lines stay on
 * stderr). A line the journal does not take goes to stderr.
 */
int log_use_journal(int mode);

/* Whether log lines go to the journal (log_use_journal). */
int log_to_journal(void);

/* The most bytes of a journal field's name (systemd's limit). */
#define LOG_JOURNAL_NAME_MAX 64

/*
 * The journal fields of the log line @line (one JSON object of flat members, as this module
 * writes them), appended to @ret as "NAME=value" strings, each followed by a NUL; their
 * number in *@ret_n. Each member becomes a field named by its name in capitals (characters
 * other than letters and digits become "_"; a name the journal keeps for itself, or that
 * does not start with a letter, gets the prefix PLACARD_), with its value as text, unescaped
 * (a NUL character becomes U+FFFD). "msg" is MESSAGE; a line without one has the whole line
 * as MESSAGE. "level" also gives PRIORITY (debug 7, info 6, warn 4, error 3; 6 without one),
 * and SYSLOG_IDENTIFIER is "placard". 0, or -EINVAL when @line is not such an object (@ret
 * then holds what was read before the fault).
 */
int log_journal_fields(const char *line, struct buf *ret, unsigned *ret_n);

/* Format the current UTC time as 2026-01-02T03:04:05.678Z into @out (at least 25 bytes). */
void log_timestamp(char *out, unsigned long size);

#endif
