/*
 * eventlog.c - canonical text and hash checks of the event log. See eventlog.h.
 */
#include "domain/eventlog.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "core/util.h"

const char eventlog_genesis[SHA256_HEX_LEN + 1] =
        "0000000000000000000000000000000000000000000000000000000000000000";

void eventlog_canonical(const struct eventlog_entry *e, struct buf *out)
{
	buf_addf(out, "%lld\n%s\n%s\n%s\n%s\n%s", e->seq, e->prev_hash, e->occurred_at, e->kind,
	         e->subject, e->payload);
}

void eventlog_hash(const struct eventlog_entry *e, char out[SHA256_HEX_LEN + 1])
{
	struct buf text = BUF_INIT;
	eventlog_canonical(e, &text);
	sha256_hex(text.data, text.len, out);
	buf_release(&text);
}

enum eventlog_fault eventlog_check(const struct eventlog_entry *e, long long prev_seq,
                                   const char *prev_hash)
{
	if (e->seq != prev_seq + 1)
		return EVENTLOG_BAD_SEQ;
	if (!streq(e->prev_hash, prev_hash))
		return EVENTLOG_BAD_LINK;
	if (e->redacted)
		return EVENTLOG_OK;
	char computed[SHA256_HEX_LEN + 1];
	eventlog_hash(e, computed);
	if (!streq(computed, e->hash))
		return EVENTLOG_BAD_HASH;
	return EVENTLOG_OK;
}

const char *eventlog_fault_text(enum eventlog_fault f)
{
	switch (f) {
	case EVENTLOG_OK: return "intact";
	case EVENTLOG_BAD_SEQ: return "its sequence number does not follow the previous entry's";
	case EVENTLOG_BAD_LINK: return "it does not point at the previous entry's hash";
	case EVENTLOG_BAD_HASH: return "its content does not match its hash";
	}
	return "unknown fault";
}

int eventlog_parse_head(const char *s, long long *ret_seq, char ret_hash[SHA256_HEX_LEN + 1])
{
	const char *colon = strchr(s, ':');
	if (!colon || colon == s || colon - s > 19)
		return -EINVAL;
	char digits[20];
	memcpy(digits, s, (size_t)(colon - s));
	digits[colon - s] = '\0';
	long long seq;
	if (parse_int64(digits, 1, INT64_MAX, &seq) < 0)
		return -EINVAL;
	const char *h = colon + 1;
	if (strlen(h) != SHA256_HEX_LEN)
		return -EINVAL;
	for (size_t i = 0; i < SHA256_HEX_LEN; i++) {
		if (!isxdigit((unsigned char)h[i]))
			return -EINVAL;
		ret_hash[i] = (char)tolower((unsigned char)h[i]);
	}
	ret_hash[SHA256_HEX_LEN] = '\0';
	*ret_seq = seq;
	return 0;
}
