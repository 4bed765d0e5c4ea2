/*
 * eventlog.h - the hash chain of the public event log, as a pure computation.
 *
 * Entry n's hash is SHA-256 over its canonical text:
 *     seq \n prev_hash \n occurred_at \n kind \n subject \n payload
 * where occurred_at is UTC with microseconds ("2026-01-02T03:04:05.000006Z"), payload is the
 * JSON text PostgreSQL gives for the jsonb value, and prev_hash is entry n-1's hash (64 zeros
 * for the first). sql/functions/event_canonical.sql computes the same text in SQL.
 *
 * Domain layer: no I/O.
 */
#ifndef PLACARD_DOMAIN_EVENTLOG_H
#define PLACARD_DOMAIN_EVENTLOG_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/crypto.h"

struct eventlog_entry {
	long long seq;
	const char *prev_hash;
	const char *occurred_at;
	const char *kind;
	const char *subject;
	const char *payload;
	const char *hash; /* as recorded */
	/* The payload was withheld (listed in log_redaction, payload JSON null): the content
	 * cannot be recomputed; the sequence and the link to the entry before are still checked,
	 * and the next entry's prev_hash still pins this entry's hash. */
	bool redacted;
};

/* The hash of the entry before the first. */
extern const char eventlog_genesis[SHA256_HEX_LEN + 1];

/* Append @e's canonical text to @out. */
void eventlog_canonical(const struct eventlog_entry *e, struct buf *out);

/* Compute @e's hash from its content into @out. */
void eventlog_hash(const struct eventlog_entry *e, char out[SHA256_HEX_LEN + 1]);

enum eventlog_fault {
	EVENTLOG_OK,
	EVENTLOG_BAD_SEQ,  /* not the previous seq + 1 */
	EVENTLOG_BAD_LINK, /* prev_hash is not the previous entry's hash */
	EVENTLOG_BAD_HASH, /* the content does not hash to the recorded hash */
};

/*
 * Check @e against the entry before it (@prev_seq, @prev_hash; 0 and the genesis hash for the
 * first). Returns what is wrong, EVENTLOG_OK when nothing is. A redacted entry's content is
 * not recomputed (its sequence and link are); the caller counts it as withheld.
 */
enum eventlog_fault eventlog_check(const struct eventlog_entry *e, long long prev_seq,
                                   const char *prev_hash);

/* A sentence for @f ("its content does not match its hash"). */
const char *eventlog_fault_text(enum eventlog_fault f);

/*
 * A head someone kept, "SEQ:HASH" (from GET /api/v1/log/head's seq and hash, or an open-data
 * feed's log_seq and log_hash: a sequence number of 1 or more, a colon, 64 hex digits in
 * either case), into @ret_seq and @ret_hash (lower case). 0, or -EINVAL when @s is not one.
 */
int eventlog_parse_head(const char *s, long long *ret_seq, char ret_hash[SHA256_HEX_LEN + 1]);

#endif
