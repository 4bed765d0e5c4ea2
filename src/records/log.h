/*
 * log.h - the public event log: writing to it, and reading it.
 */
#ifndef PLACARD_RECORDS_LOG_H
#define PLACARD_RECORDS_LOG_H

#include <stdbool.h>

#include "json/json.h"
#include "records/records.h"
#include "records/tlog.h"

/*
 * Append an event to the public log inside the caller's transaction. @payload (a new
 * reference, taken over) must hold nothing personal. 0 or a store error.
 */
int rec_event(struct rec *r, const char *kind, const char *subject, json_t *payload);

/*
 * Free text for a log entry: keep @text in log_text (@source names where it is displayed or
 * what it is, e.g. "appeal.decision_reasons", @source_id its row; @public_text: the public
 * may read it and check it) inside the caller's transaction, and give in *@ret (a new
 * reference) what the payload carries instead: {"text": id, "sha256": hex of SHA-256 over
 * the salt and the text}, or JSON null when @text is NULL. 0 or a store error.
 */
int rec_log_text(struct rec *r, const char *source, const char *source_id, bool public_text,
                 const char *text, json_t **ret);

/*
 * A page of at most @limit sealed entries after sequence number @after, with their hashes,
 * as JSON text. 0 or a refusal.
 */
int rec_log_page(struct rec *r, long long after, long long limit, const char **ret_json);

/*
 * The sealed entries whose subject is @subject ("inspection/42"), at most @limit after sequence
 * number @after, as rec_log_page gives them, in {"subject", "vkey", "origin", "previous_vkey",
 * "entries", "next_after"}: the verifier key and origin line of @s, the checkpoints' signer,
 * which a reader checks each entry's inclusion against, and during a rotation the key being
 * replaced (NULL @s: the server signs no checkpoints, JSON nulls). 0 or a refusal.
 */
int rec_log_subject(struct rec *r, const char *subject, long long after, long long limit,
                    const struct rec_tlog_signer *s, const char **ret_json);

/* The newest sealed entry's sequence number and hash, and how many wait to be sealed. */
int rec_log_head(struct rec *r, const char **ret_json);

/* Published text @id with its salt. 0 or a refusal (404, also for a text kept internal). */
int rec_log_text_public(struct rec *r, const char *id, const char **ret_json);

#endif
