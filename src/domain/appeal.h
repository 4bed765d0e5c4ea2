/*
 * appeal.h - due process for a graded inspection: the appeal's lifecycle as a state
 * machine, the filing window, the decision deadline, the figures of the limit on wrong
 * appeal codes, and the lifecycle of an operator's re-rating request.
 *
 * An appeal is filed by the operator against one inspection. It is then withdrawn, rejected
 * as late, or taken under review; a hearing may be scheduled and adjourned (each adjournment
 * is counted, because the scheme limits how long a pending label may be posted); it ends
 * with a decision: upheld (the grade stands), modified (named violations dismissed, the
 * score recomputed and the grade re-issued) or overturned (the inspection no longer counts).
 * Every other move is refused.
 *
 * Domain layer: pure rules over plain values. Standard C only; no I/O, no allocation, no
 * clock (callers pass the elapsed times the database measured).
 *
 * Error convention: 0 or a negative errno code; outputs named ret_* are left untouched on
 * failure.
 */
#ifndef PLACARD_DOMAIN_APPEAL_H
#define PLACARD_DOMAIN_APPEAL_H

#include <stdbool.h>
#include <stddef.h>

struct grade_scheme;

enum appeal_state {
	APPEAL_FILED,
	APPEAL_WITHDRAWN,     /* by the operator, before a decision: final */
	APPEAL_REJECTED_LATE, /* filed after the window: final */
	APPEAL_UNDER_REVIEW,
	APPEAL_HEARING_SCHEDULED,
	APPEAL_UPHELD,     /* decided: the grade stands */
	APPEAL_MODIFIED,   /* decided: named violations dismissed, grade re-issued */
	APPEAL_OVERTURNED, /* decided: the inspection no longer counts */
	APPEAL_STATE__COUNT,
};

enum appeal_event {
	APPEAL_EV_WITHDRAW,
	APPEAL_EV_REJECT_LATE,
	APPEAL_EV_ACCEPT,   /* take the appeal under review */
	APPEAL_EV_SCHEDULE, /* schedule a hearing */
	APPEAL_EV_ADJOURN,  /* move the scheduled hearing; counted */
	APPEAL_EV_UPHOLD,
	APPEAL_EV_MODIFY,
	APPEAL_EV_OVERTURN,
	APPEAL_EVENT__COUNT,
};

/* An appeal as the state machine sees it. */
struct appeal {
	enum appeal_state state;
	int adjournments; /* hearing adjournments so far */
};

/* Days from filing within which an appeal is to be decided (the FHRS rule; Placard applies
 * it to every scheme that has appeals). */
#define APPEAL_DECISION_DAYS 21

/* Limits on the free text of the process, in characters (UTF-8 code points). */
#define APPEAL_GROUNDS_MAX  4000
#define APPEAL_REASONS_MAX  4000
#define APPEAL_REPLY_MAX    2000
#define APPEAL_EVIDENCE_MAX 4000

/*
 * Wrong appeal codes (src/domain/ratelimit.h): remembered for a day; per client network and
 * licence number as typed, 5 free, then a wait from 2 s doubling to an hour; 20 per network
 * in 15 minutes whatever the licences; 50 a day per licence number from everywhere before
 * it is pressed (wrong codes answered 429, every network waiting from its first failure,
 * 60 s doubling up to a day). A right code is never refused for failures elsewhere.
 */
#define APPEAL_CODE_RULE                                                                           \
	{                                                                                          \
		.window = 24 * 60 * 60, .free_tries = 5, .base = 2, .cap = 60 * 60,                \
		.target_budget = 50, .pressed_base = 60, .client_window = 15 * 60,                 \
		.client_limit = 20                                                                 \
	}

/*
 * The state @from moves to on @event, in *@ret_to. 0, or -EPERM when the move is not
 * allowed (a final state, or an event that does not apply), -EINVAL for values out of range
 * or a NULL @ret_to.
 */
int appeal_next(enum appeal_state from, enum appeal_event event, enum appeal_state *ret_to);

/*
 * Whether @event fits how the appeal was filed: closing an appeal as late
 * (APPEAL_EV_REJECT_LATE) only when it was filed after its window closed (@filed_late: it has
 * a filing deadline and was filed after it); every other event either way. So a hearing
 * officer cannot close a timely appeal as late, whatever note they write.
 */
bool appeal_event_fits_filing(enum appeal_event event, bool filed_late);

/*
 * Apply @event to @a: the new state, and one more adjournment for APPEAL_EV_ADJOURN.
 * 0, or as appeal_next() (then @a is untouched).
 */
int appeal_apply(struct appeal *a, enum appeal_event event);

/* True while the appeal awaits a decision (filed, under review, hearing scheduled). */
bool appeal_is_open(enum appeal_state s);

/* True for upheld, modified and overturned. */
bool appeal_is_decided(enum appeal_state s);

/* Stable lowercase names ("under_review", "hearing_scheduled"); "?" when out of range. */
const char *appeal_state_name(enum appeal_state s);
const char *appeal_event_name(enum appeal_event e);

/* Parse appeal_state_name() back: 0, -EINVAL on NULL, -ENOENT if unknown. */
int appeal_state_parse(const char *name, enum appeal_state *ret);

/* The decision event for "upheld", "modified" or "overturned": 0, -EINVAL, -ENOENT. */
int appeal_outcome_parse(const char *name, enum appeal_event *ret);

/* What a decision does to the establishment's posted grade. */
enum appeal_posted_grade {
	APPEAL_POSTED_STANDS,     /* upheld: the posted grade stays as it is */
	APPEAL_POSTED_REISSUED,   /* modified: the revision with the violations dismissed is
	                           * graded and posted as any submission is (when it is the
	                           * latest inspection) */
	APPEAL_POSTED_FALLS_BACK, /* overturned: a grade posted from the inspection falls back
	                           * to the latest other inspection that set one, else to the
	                           * scheme's not-yet-graded label */
};

/*
 * What decision @outcome (upheld, modified or overturned) does to the posted grade, in
 * *@ret. 0, or -EINVAL when @outcome is not a decision (appeal_is_decided()) or @ret is NULL.
 */
int appeal_posted_grade(enum appeal_state outcome, enum appeal_posted_grade *ret);

/*
 * The filing window of scheme @s in days after the operator was notified (the end of the
 * inspection): *@ret_days > 0, or 0 when an appeal is open until the hearing (NYC). Returns
 * 0, -ENOTSUP when the scheme has no appeal, -EINVAL on NULL.
 */
int appeal_filing_window(const struct grade_scheme *s, int *ret_days);

/*
 * May an appeal be filed under @s @seconds_since_notice seconds after the notification?
 * 0 when it may, -ETIMEDOUT when the window has closed, -ENOTSUP when the scheme has no
 * appeal, -EINVAL on NULL or a negative time.
 */
int appeal_filing_check(const struct grade_scheme *s, long seconds_since_notice);

/* Characters in the appeal code printed on an inspection report. */
#define APPEAL_CODE_LEN 10
/* Bytes of an appeal code as typed (spaces, dashes) that anyone reads. */
#define APPEAL_CODE_INPUT_MAX 40

/*
 * Write the appeal code @in as people type it, normalised, into @out (room for @size
 * bytes, at least 1): spaces and dashes dropped, lower-case letters raised; cut at @size - 1
 * characters. Returns the length written.
 */
size_t appeal_code_normalise(const char *in, char *out, size_t size);

/*
 * True when @code (normalised) is an appeal code as reports print them: APPEAL_CODE_LEN
 * characters of @alphabet (RANDOM_CODE_ALPHABET).
 */
bool appeal_code_well_formed(const char *code, const char *alphabet);

/*
 * True when the well-formed code @code is strong enough to be accepted from a device that
 * chose it: at least APPEAL_CODE_MIN_DISTINCT different characters and no run of four
 * characters that follow each other in @alphabet, up or down ("ABCD", "9876"). About 1.6% of
 * random codes fail and are drawn again; a code a person made up usually fails.
 */
#define APPEAL_CODE_MIN_DISTINCT 7
bool appeal_code_strong(const char *code, const char *alphabet);

/*
 * How long an appeal code opens its report. A code is issued with the report (or by a clerk
 * for a lost one) and lasts APPEAL_CODE_LIFE_DAYS, long enough for a reply or a re-rating
 * request within an inspection cycle, and never less than the scheme's filing window plus
 * APPEAL_CODE_MARGIN_DAYS; while the report's appeal is open it does not expire, and after
 * the appeal closes it lasts APPEAL_CODE_MARGIN_DAYS more. After that a clerk issues a new
 * one, so a report thrown away years ago no longer speaks for the operator.
 */
#define APPEAL_CODE_MARGIN_DAYS 30
#define APPEAL_CODE_LIFE_DAYS   365

/*
 * True when a code issued @seconds_since_issue seconds ago has expired, under a scheme whose
 * filing window is @window_days (0: none, or until the hearing), for a report whose appeal
 * is open (@appeal_open) or closed @seconds_since_closed seconds ago (negative: no appeal, or
 * not closed).
 */
bool appeal_code_expired(int window_days, long seconds_since_issue, bool appeal_open,
                         long seconds_since_closed);

/* An operator's request for a re-rating visit. */
/*
 * The operator's attachments to an appeal (photos and documents): the type is told by the
 * content, never by the name; one file is at most APPEAL_ATTACHMENT_MAX_BYTES (its base64
 * form and the JSON around it fit in the default 1 MiB request body), an appeal has at most
 * APPEAL_ATTACHMENT_MAX_COUNT of them, APPEAL_ATTACHMENT_MAX_TOTAL bytes in all.
 */
#define APPEAL_ATTACHMENT_MAX_BYTES (750 * 1024)
#define APPEAL_ATTACHMENT_MAX_COUNT 10
#define APPEAL_ATTACHMENT_MAX_TOTAL (5 * 1024 * 1024)
/* Characters of an attachment's file name, as the operator's device gave it. */
#define APPEAL_ATTACHMENT_NAME_MAX 200

/* The type of attachment @data (@len bytes) by its first bytes: "image/jpeg", "image/png",
 * "application/pdf", or NULL for anything else. */
const char *appeal_attachment_type(const unsigned char *data, size_t len);

/* Where adding an attachment of @len bytes to an appeal that has @count of them, @total bytes
 * in all, would stand: 0 when allowed; -EFBIG when the file alone is too large; -EMLINK when
 * the appeal has as many as it may; -ENOSPC when the total would pass the limit; -EINVAL for
 * an empty file. */
int appeal_attachment_check(long count, long long total, size_t len);

enum rerating_state {
	RERATING_REQUESTED,
	RERATING_SCHEDULED,
	RERATING_INSPECTED, /* final */
	RERATING_STATE__COUNT,
};

/*
 * Move a re-rating request from @from to @to: requested -> scheduled, scheduled ->
 * scheduled (moved), scheduled -> inspected, requested -> inspected (an unannounced visit).
 * 0, or -EPERM for any other move, -EINVAL out of range.
 */
int appeal_rerating_check(enum rerating_state from, enum rerating_state to);

/* "requested", "scheduled", "inspected"; "?" when out of range. */
const char *appeal_rerating_state_name(enum rerating_state s);
int appeal_rerating_state_parse(const char *name, enum rerating_state *ret);

/* Number of Unicode code points in the UTF-8 string @s (continuation bytes not counted). */
long appeal_text_length(const char *s);

#endif
