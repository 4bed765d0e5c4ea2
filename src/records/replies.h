/*
 * replies.h - the operator's right to reply: a statement published beside the grade, and
 * its moderation by clerks.
 */
#ifndef PLACARD_RECORDS_REPLIES_H
#define PLACARD_RECORDS_REPLIES_H

#include <stdbool.h>

#include "records/duties.h"
#include "records/records.h"

/*
 * Operator @op publishes @text as the establishment's reply, replacing the one before; the
 * event is logged (without the text). On 0, *@ret_id is the new reply. Otherwise a refusal
 * (403 or 409 when the code may not reply).
 */
int rec_reply_publish(struct rec *r, const struct rec_operator *op, const char *text,
                      const char **ret_id);

/*
 * r->staff moderates current reply @id with @reason: publishes @text instead, or (@removed)
 * withdraws the reply from view. On 0, *@ret_establishment is the reply's establishment.
 * Otherwise a refusal: 404 for no current reply, 403 for a party to the inspection it
 * answers.
 */
int rec_reply_moderate(struct rec *r, const char *id, const char *text, const char *reason,
                       bool removed, const char **ret_establishment);

#endif
