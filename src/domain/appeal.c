/*
 * appeal.c - the appeal state machine, filing window, wrong-code limits and re-rating
 * requests. See appeal.h.
 *
 * Domain layer: pure functions, no I/O.
 */
#include "domain/appeal.h"

#include <errno.h>
#include <string.h>

#include "domain/grade.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Where each event leads from each state; -1 where it is refused. */
static const signed char transitions[APPEAL_STATE__COUNT][APPEAL_EVENT__COUNT] = {
	[APPEAL_FILED] = {
		[APPEAL_EV_WITHDRAW] = APPEAL_WITHDRAWN,
		[APPEAL_EV_REJECT_LATE] = APPEAL_REJECTED_LATE,
		[APPEAL_EV_ACCEPT] = APPEAL_UNDER_REVIEW,
		[APPEAL_EV_SCHEDULE] = -1,
		[APPEAL_EV_ADJOURN] = -1,
		[APPEAL_EV_UPHOLD] = -1,
		[APPEAL_EV_MODIFY] = -1,
		[APPEAL_EV_OVERTURN] = -1,
	},
	[APPEAL_UNDER_REVIEW] = {
		[APPEAL_EV_WITHDRAW] = APPEAL_WITHDRAWN,
		[APPEAL_EV_REJECT_LATE] = -1,
		[APPEAL_EV_ACCEPT] = -1,
		[APPEAL_EV_SCHEDULE] = APPEAL_HEARING_SCHEDULED,
		[APPEAL_EV_ADJOURN] = -1,
		[APPEAL_EV_UPHOLD] = APPEAL_UPHELD,
		[APPEAL_EV_MODIFY] = APPEAL_MODIFIED,
		[APPEAL_EV_OVERTURN] = APPEAL_OVERTURNED,
	},
	[APPEAL_HEARING_SCHEDULED] = {
		[APPEAL_EV_WITHDRAW] = APPEAL_WITHDRAWN,
		[APPEAL_EV_REJECT_LATE] = -1,
		[APPEAL_EV_ACCEPT] = -1,
		[APPEAL_EV_SCHEDULE] = -1,
		[APPEAL_EV_ADJOURN] = APPEAL_HEARING_SCHEDULED,
		[APPEAL_EV_UPHOLD] = APPEAL_UPHELD,
		[APPEAL_EV_MODIFY] = APPEAL_MODIFIED,
		[APPEAL_EV_OVERTURN] = APPEAL_OVERTURNED,
	},
	/* Final states refuse everything. */
	[APPEAL_WITHDRAWN] = { -1, -1, -1, -1, -1, -1, -1, -1 },
	[APPEAL_REJECTED_LATE] = { -1, -1, -1, -1, -1, -1, -1, -1 },
	[APPEAL_UPHELD] = { -1, -1, -1, -1, -1, -1, -1, -1 },
	[APPEAL_MODIFIED] = { -1, -1, -1, -1, -1, -1, -1, -1 },
	[APPEAL_OVERTURNED] = { -1, -1, -1, -1, -1, -1, -1, -1 },
};

static const char *const state_names[APPEAL_STATE__COUNT] = {
	[APPEAL_FILED] = "filed",
	[APPEAL_WITHDRAWN] = "withdrawn",
	[APPEAL_REJECTED_LATE] = "rejected_late",
	[APPEAL_UNDER_REVIEW] = "under_review",
	[APPEAL_HEARING_SCHEDULED] = "hearing_scheduled",
	[APPEAL_UPHELD] = "upheld",
	[APPEAL_MODIFIED] = "modified",
	[APPEAL_OVERTURNED] = "overturned",
};

static const char *const event_names[APPEAL_EVENT__COUNT] = {
	[APPEAL_EV_WITHDRAW] = "withdraw", [APPEAL_EV_REJECT_LATE] = "reject_late",
	[APPEAL_EV_ACCEPT] = "accept",     [APPEAL_EV_SCHEDULE] = "schedule",
	[APPEAL_EV_ADJOURN] = "adjourn",   [APPEAL_EV_UPHOLD] = "uphold",
	[APPEAL_EV_MODIFY] = "modify",     [APPEAL_EV_OVERTURN] = "overturn",
};

static const char *const rerating_names[RERATING_STATE__COUNT] = {
	[RERATING_REQUESTED] = "requested",
	[RERATING_SCHEDULED] = "scheduled",
	[RERATING_INSPECTED] = "inspected",
};

bool appeal_event_fits_filing(enum appeal_event event, bool filed_late)
{
	return event != APPEAL_EV_REJECT_LATE || filed_late;
}

int appeal_next(enum appeal_state from, enum appeal_event event, enum appeal_state *ret_to)
{
	if (!ret_to || (unsigned)from >= APPEAL_STATE__COUNT ||
	    (unsigned)event >= APPEAL_EVENT__COUNT)
		return -EINVAL;
	int to = transitions[from][event];
	if (to < 0)
		return -EPERM;
	*ret_to = (enum appeal_state)to;
	return 0;
}

int appeal_apply(struct appeal *a, enum appeal_event event)
{
	enum appeal_state to;
	if (!a)
		return -EINVAL;
	int rc = appeal_next(a->state, event, &to);
	if (rc < 0)
		return rc;
	a->state = to;
	if (event == APPEAL_EV_ADJOURN)
		a->adjournments++;
	return 0;
}

bool appeal_is_open(enum appeal_state s)
{
	return s == APPEAL_FILED || s == APPEAL_UNDER_REVIEW || s == APPEAL_HEARING_SCHEDULED;
}

bool appeal_is_decided(enum appeal_state s)
{
	return s == APPEAL_UPHELD || s == APPEAL_MODIFIED || s == APPEAL_OVERTURNED;
}

int appeal_posted_grade(enum appeal_state outcome, enum appeal_posted_grade *ret)
{
	if (!ret)
		return -EINVAL;
	switch (outcome) {
	case APPEAL_UPHELD: *ret = APPEAL_POSTED_STANDS; return 0;
	case APPEAL_MODIFIED: *ret = APPEAL_POSTED_REISSUED; return 0;
	case APPEAL_OVERTURNED: *ret = APPEAL_POSTED_FALLS_BACK; return 0;
	default: return -EINVAL;
	}
}

const char *appeal_state_name(enum appeal_state s)
{
	return (unsigned)s < APPEAL_STATE__COUNT ? state_names[s] : "?";
}

const char *appeal_event_name(enum appeal_event e)
{
	return (unsigned)e < APPEAL_EVENT__COUNT ? event_names[e] : "?";
}

int appeal_state_parse(const char *name, enum appeal_state *ret)
{
	if (!name || !ret)
		return -EINVAL;
	for (size_t i = 0; i < N_OF(state_names); i++) {
		if (strcmp(state_names[i], name) == 0) {
			*ret = (enum appeal_state)i;
			return 0;
		}
	}
	return -ENOENT;
}

int appeal_outcome_parse(const char *name, enum appeal_event *ret)
{
	static const struct {
		const char *name;
		enum appeal_event event;
	} outcomes[] = {
		{ "upheld", APPEAL_EV_UPHOLD },
		{ "modified", APPEAL_EV_MODIFY },
		{ "overturned", APPEAL_EV_OVERTURN },
	};
	if (!name || !ret)
		return -EINVAL;
	for (size_t i = 0; i < N_OF(outcomes); i++) {
		if (strcmp(outcomes[i].name, name) == 0) {
			*ret = outcomes[i].event;
			return 0;
		}
	}
	return -ENOENT;
}

int appeal_filing_window(const struct grade_scheme *s, int *ret_days)
{
	if (!s || !ret_days)
		return -EINVAL;
	switch (s->rules.appeal_window) {
	case GRADE_APPEAL_WITHIN_DAYS: *ret_days = s->rules.appeal_window_days; return 0;
	case GRADE_APPEAL_UNTIL_HEARING: *ret_days = 0; return 0;
	case GRADE_APPEAL_NONE:
	default: return -ENOTSUP;
	}
}

int appeal_filing_check(const struct grade_scheme *s, long seconds_since_notice)
{
	int days;
	if (!s || seconds_since_notice < 0)
		return -EINVAL;
	int rc = appeal_filing_window(s, &days);
	if (rc < 0)
		return rc;
	/* Until the hearing: the appeal is what asks for the hearing, so it is never late. */
	if (days == 0)
		return 0;
	return seconds_since_notice > (long)days * 86400 ? -ETIMEDOUT : 0;
}

int appeal_rerating_check(enum rerating_state from, enum rerating_state to)
{
	if ((unsigned)from >= RERATING_STATE__COUNT || (unsigned)to >= RERATING_STATE__COUNT)
		return -EINVAL;
	if (from == RERATING_INSPECTED || to == RERATING_REQUESTED)
		return -EPERM;
	return 0;
}

const char *appeal_rerating_state_name(enum rerating_state s)
{
	return (unsigned)s < RERATING_STATE__COUNT ? rerating_names[s] : "?";
}

int appeal_rerating_state_parse(const char *name, enum rerating_state *ret)
{
	if (!name || !ret)
		return -EINVAL;
	for (size_t i = 0; i < N_OF(rerating_names); i++) {
		if (strcmp(rerating_names[i], name) == 0) {
			*ret = (enum rerating_state)i;
			return 0;
		}
	}
	return -ENOENT;
}

long appeal_text_length(const char *s)
{
	long n = 0;
	if (!s)
		return 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

size_t appeal_code_normalise(const char *in, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = in; p && *p && n + 1 < size; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		out[n++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
	}
	if (size)
		out[n] = '\0';
	return n;
}

bool appeal_code_well_formed(const char *code, const char *alphabet)
{
	if (!code || !alphabet || strlen(code) != APPEAL_CODE_LEN)
		return false;
	for (const char *p = code; *p; p++)
		if (!strchr(alphabet, *p))
			return false;
	return true;
}

bool appeal_code_strong(const char *code, const char *alphabet)
{
	if (!appeal_code_well_formed(code, alphabet))
		return false;
	int distinct = 0;
	for (size_t i = 0; i < APPEAL_CODE_LEN; i++)
		if (!memchr(code, code[i], i))
			distinct++;
	if (distinct < APPEAL_CODE_MIN_DISTINCT)
		return false;
	/* Positions in the alphabet; a run is four of them each one up (or each one down). */
	long pos[APPEAL_CODE_LEN];
	for (size_t i = 0; i < APPEAL_CODE_LEN; i++)
		pos[i] = strchr(alphabet, code[i]) - alphabet;
	int up = 1, down = 1;
	for (size_t i = 1; i < APPEAL_CODE_LEN; i++) {
		up = pos[i] == pos[i - 1] + 1 ? up + 1 : 1;
		down = pos[i] == pos[i - 1] - 1 ? down + 1 : 1;
		if (up >= 4 || down >= 4)
			return false;
	}
	return true;
}

bool appeal_code_expired(int window_days, long seconds_since_issue, bool appeal_open,
                         long seconds_since_closed)
{
	if (appeal_open)
		return false;
	if (seconds_since_closed >= 0 && seconds_since_closed < APPEAL_CODE_MARGIN_DAYS * 86400L)
		return false;
	long days = APPEAL_CODE_LIFE_DAYS;
	if (window_days + APPEAL_CODE_MARGIN_DAYS > days)
		days = window_days + APPEAL_CODE_MARGIN_DAYS;
	return seconds_since_issue >= days * 86400L;
}

const char *appeal_attachment_type(const unsigned char *d, size_t n)
{
	if (!d)
		return NULL;
	if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return "image/jpeg";
	if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 5 && memcmp(d, "%PDF-", 5) == 0)
		return "application/pdf";
	return NULL;
}

int appeal_attachment_check(long count, long long total, size_t len)
{
	if (len == 0 || count < 0 || total < 0)
		return -EINVAL;
	if (len > APPEAL_ATTACHMENT_MAX_BYTES)
		return -EFBIG;
	if (count >= APPEAL_ATTACHMENT_MAX_COUNT)
		return -EMLINK;
	if (total + (long long)len > APPEAL_ATTACHMENT_MAX_TOTAL)
		return -ENOSPC;
	return 0;
}
