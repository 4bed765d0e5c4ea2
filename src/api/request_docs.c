/*
 * request_docs.c - the request bodies of appeals, replies, re-rating requests and the
 * tablet's photos, decoded and checked. See request_docs.h.
 */
#include "api/request_docs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/util.h"

/* Decode @len bytes of @body as an object with only @keys into *@ret. */
static int read_object(struct arena *a, const char *body, size_t len, const char *const keys[],
                       json_t **ret, struct json_error *err)
{
	if (json_decode(a, body, len, ret, err) < 0 || json_expect_object(*ret, "", err) < 0 ||
	    json_only_keys(*ret, "", keys, err) < 0)
		return -EINVAL;
	return 0;
}

/* Refuse @s (when given) longer than @max characters, naming @field. */
static int too_long(struct json_error *err, const char *field, const char *s, long max)
{
	if (s && appeal_text_length(s) > max)
		return json_error_set(err, field, "api.doc.at_most", "max", I18N_INT(max), NULL);
	return 0;
}

/* True when @s has something besides white space. */
static bool has_text(const char *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n", *s))
			return true;
	return false;
}

/* ---- the operator's proof */

int operator_proof_read(struct arena *a, json_t *body, struct operator_proof *ret,
                        struct json_error *err)
{
	const char *licence, *code;
	memset(ret, 0, sizeof(*ret));
	if (json_field_string(body, "", "licence_number", true, LICENCE_MAX, &licence, err) < 0 ||
	    json_field_string(body, "", "appeal_code", true, APPEAL_CODE_INPUT_MAX, &code, err) < 0)
		return -EINVAL;

	/* People type codes with spaces, dashes and in lower case; the report prints them in
	 * capitals without look-alike characters. */
	ret->code_len = appeal_code_normalise(code, ret->code, sizeof(ret->code));
	while (*licence == ' ')
		licence++;
	char *lic = arena_strdup(a, licence);
	for (size_t i = strlen(lic); i > 0 && lic[i - 1] == ' '; i--)
		lic[i - 1] = '\0';
	char *key = arena_strdup(a, lic);
	for (char *p = key; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	ret->licence = lic;
	ret->licence_key = key;
	return 0;
}

/* ---- appeals */

int operator_request_read(struct arena *a, const char *body, size_t len, json_t **ret,
                          struct json_error *err)
{
	static const char *const keys[] = { "licence_number", "appeal_code", NULL };
	return read_object(a, body, len, keys, ret, err);
}

int appeal_filing_read(struct arena *a, const char *body, size_t len, struct appeal_filing *ret,
                       struct json_error *err)
{
	static const char *const keys[] = { "licence_number", "appeal_code", "grounds",
		                            "contested_violations", NULL };
	json_t *list = NULL;
	memset(ret, 0, sizeof(*ret));
	if (read_object(a, body, len, keys, &ret->body, err) < 0 ||
	    json_field_string(ret->body, "", "grounds", true, APPEAL_GROUNDS_MAX * 4, &ret->grounds,
	                      err) < 0 ||
	    json_field_array(ret->body, "", "contested_violations", false, GRADE_MAX_VIOLATIONS,
	                     &list, err) < 0)
		return -EINVAL;
	if (!*ret->grounds)
		return json_error_set(err, "/grounds", "api.appeal.grounds", NULL);
	if (too_long(err, "/grounds", ret->grounds, APPEAL_GROUNDS_MAX) < 0)
		return -EINVAL;
	if (list) {
		size_t i;
		json_t *v;
		json_array_foreach(list, i, v)
		{
			if (!json_is_integer(v) || json_integer_value(v) < 1) {
				char field[48];
				snprintf(field, sizeof(field), "/contested_violations/%zu", i);
				return json_error_set(err, field, "api.appeal.violation_ids", NULL);
			}
			ret->contested[i] = json_integer_value(v);
		}
		ret->ncontested = json_array_size(list);
	}
	return 0;
}

int appeal_review_read(struct arena *a, const char *body, size_t len, struct appeal_review *ret,
                       struct json_error *err)
{
	static const char *const keys[] = { "action", "note", NULL };
	json_t *doc;
	const char *action;
	memset(ret, 0, sizeof(*ret));
	if (read_object(a, body, len, keys, &doc, err) < 0 ||
	    json_field_string(doc, "", "action", true, 16, &action, err) < 0 ||
	    json_field_string(doc, "", "note", false, APPEAL_NOTE_MAX * 4, &ret->note, err) < 0 ||
	    too_long(err, "/note", ret->note, APPEAL_NOTE_MAX) < 0)
		return -EINVAL;
	if (streq(action, "accept"))
		ret->ev = APPEAL_EV_ACCEPT;
	else if (streq(action, "reject_late"))
		ret->ev = APPEAL_EV_REJECT_LATE;
	else
		return json_error_set(err, "/action", "api.appeal.late_action", NULL);
	if (ret->ev == APPEAL_EV_REJECT_LATE && (!ret->note || !*ret->note))
		return json_error_set(err, "/note", "api.appeal.late_note", NULL);
	return 0;
}

int appeal_hearing_read(struct arena *a, const char *body, size_t len, bool adjourn,
                        struct appeal_hearing *ret, struct json_error *err)
{
	static const char *const keys[] = { "hearing_at", "reason", NULL };
	json_t *doc;
	memset(ret, 0, sizeof(*ret));
	if (read_object(a, body, len, keys, &doc, err) < 0 ||
	    json_field_string(doc, "", "hearing_at", true, JSON_TIMESTAMP_MAX, &ret->hearing_at,
	                      err) < 0 ||
	    json_field_string(doc, "", "reason", adjourn, APPEAL_NOTE_MAX * 4, &ret->reason, err) <
	            0)
		return -EINVAL;
	if (!json_timestamp_valid(ret->hearing_at))
		return json_error_set(err, "/hearing_at", "api.doc.timestamp", NULL);
	if (!adjourn && ret->reason)
		return json_error_set(err, "/reason", "api.hearing.reason_only_adjournment", NULL);
	if (adjourn && !*ret->reason)
		return json_error_set(err, "/reason", "api.hearing.adjournment_reason", NULL);
	return too_long(err, "/reason", ret->reason, APPEAL_NOTE_MAX);
}

int appeal_decision_read(struct arena *a, const char *body, size_t len, struct appeal_decision *ret,
                         struct json_error *err)
{
	static const char *const keys[] = { "outcome", "reasons", "dismissed", NULL };
	static const char *const dkeys[] = { "violation_id", "reason", NULL };
	json_t *doc, *list = NULL;
	const char *outcome;
	memset(ret, 0, sizeof(*ret));
	if (read_object(a, body, len, keys, &doc, err) < 0 ||
	    json_field_string(doc, "", "outcome", true, 16, &outcome, err) < 0 ||
	    json_field_string(doc, "", "reasons", true, APPEAL_REASONS_MAX * 4, &ret->reasons,
	                      err) < 0 ||
	    json_field_array(doc, "", "dismissed", false, GRADE_MAX_VIOLATIONS, &list, err) < 0)
		return -EINVAL;
	if (appeal_outcome_parse(outcome, &ret->ev) < 0)
		return json_error_set(err, "/outcome", "api.decision.outcome", NULL);
	if (!*ret->reasons)
		return json_error_set(err, "/reasons", "api.decision.reasons", NULL);
	if (too_long(err, "/reasons", ret->reasons, APPEAL_REASONS_MAX) < 0)
		return -EINVAL;
	size_t n = list ? json_array_size(list) : 0;
	if (ret->ev == APPEAL_EV_MODIFY && n == 0)
		return json_error_set(err, "/dismissed", "api.decision.dismissed_needed", NULL);
	if (ret->ev != APPEAL_EV_MODIFY && n > 0)
		return json_error_set(err, "/dismissed", "api.decision.dismissed_only_modified",
		                      NULL);
	struct rec_dismissal *dis = arena_calloc(a, n + 1, sizeof(*dis));
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(list, i);
		char base[40], field[56];
		snprintf(base, sizeof(base), "/dismissed/%zu", i);
		if (json_expect_object(v, base, err) < 0 ||
		    json_only_keys(v, base, dkeys, err) < 0 ||
		    json_field_int(v, base, "violation_id", true, 1, INT64_MAX,
		                   &dis[i].violation_id, err) < 0 ||
		    json_field_string(v, base, "reason", true, DISMISSAL_REASON_MAX * 4,
		                      &dis[i].reason, err) < 0)
			return -EINVAL;
		dis[i].field = arena_printf(a, "%s/violation_id", base);
		snprintf(field, sizeof(field), "%s/reason", base);
		if (!*dis[i].reason)
			return json_error_set(err, field, "api.decision.dismissal_reason", NULL);
		if (too_long(err, field, dis[i].reason, DISMISSAL_REASON_MAX) < 0)
			return -EINVAL;
	}
	ret->ndismissed = n;
	ret->dismissed = dis;
	return 0;
}

/* ---- replies */

int operator_reply_read(struct arena *a, const char *body, size_t len, struct operator_reply *ret,
                        struct json_error *err)
{
	static const char *const keys[] = { "licence_number", "appeal_code", "text", NULL };
	memset(ret, 0, sizeof(*ret));
	if (read_object(a, body, len, keys, &ret->body, err) < 0 ||
	    json_field_string(ret->body, "", "text", true, APPEAL_REPLY_MAX * 4, &ret->text, err) <
	            0)
		return -EINVAL;
	if (!has_text(ret->text))
		return json_error_set(err, "/text", "api.reply.text", NULL);
	if (appeal_text_length(ret->text) > APPEAL_REPLY_MAX)
		return json_error_set(err, "/text", "api.reply.too_long", "max",
		                      I18N_INT(APPEAL_REPLY_MAX), NULL);
	return 0;
}

int reply_moderation_read(struct arena *a, const char *body, size_t len,
                          struct reply_moderation *ret, struct json_error *err)
{
	static const char *const keys[] = { "text", "reason", NULL };
	json_t *doc;
	memset(ret, 0, sizeof(*ret));
	if (read_object(a, body, len, keys, &doc, err) < 0 ||
	    json_field_string(doc, "", "text", false, APPEAL_REPLY_MAX * 4, &ret->text, err) < 0 ||
	    json_field_string(doc, "", "reason", true, MODERATION_REASON_MAX * 4, &ret->reason,
	                      err) < 0)
		return -EINVAL;
	if (!has_text(ret->reason))
		return json_error_set(err, "/reason", "api.reply.change_reason", NULL);
	if (too_long(err, "/reason", ret->reason, MODERATION_REASON_MAX) < 0)
		return -EINVAL;
	if (ret->text && appeal_text_length(ret->text) > APPEAL_REPLY_MAX)
		return json_error_set(err, "/text", "api.reply.too_long", "max",
		                      I18N_INT(APPEAL_REPLY_MAX), NULL);
	/* No text (or only blanks): the statement is withdrawn from public view. */
	ret->removed = !has_text(ret->text);
	return 0;
}

/* ---- re-rating requests */

int rerating_request_read(struct arena *a, const char *body, size_t len,
                          struct rerating_request *ret, struct json_error *err)
{
	static const char *const keys[] = { "licence_number", "appeal_code", "improvements", NULL };
	memset(ret, 0, sizeof(*ret));
	if (read_object(a, body, len, keys, &ret->body, err) < 0 ||
	    json_field_string(ret->body, "", "improvements", true, APPEAL_EVIDENCE_MAX * 4,
	                      &ret->improvements, err) < 0)
		return -EINVAL;
	if (!*ret->improvements)
		return json_error_set(err, "/improvements", "api.reinspection.improvements", NULL);
	return too_long(err, "/improvements", ret->improvements, APPEAL_EVIDENCE_MAX);
}

int rerating_schedule_read(struct arena *a, const char *body, size_t len, const char **ret_visit_on,
                           struct json_error *err)
{
	static const char *const keys[] = { "visit_on", NULL };
	json_t *doc;
	const char *visit_on;
	if (read_object(a, body, len, keys, &doc, err) < 0 ||
	    json_field_string(doc, "", "visit_on", true, 10, &visit_on, err) < 0)
		return -EINVAL;
	if (!date_valid(visit_on))
		return json_error_set(err, "/visit_on", "api.doc.date", NULL);
	*ret_visit_on = visit_on;
	return 0;
}

int rerating_inspected_read(struct arena *a, const char *body, size_t len, int64_t *ret_inspection,
                            struct json_error *err)
{
	static const char *const keys[] = { "inspection_id", NULL };
	json_t *doc;
	if (read_object(a, body, len, keys, &doc, err) < 0 ||
	    json_field_int(doc, "", "inspection_id", true, 1, INT64_MAX, ret_inspection, err) < 0)
		return -EINVAL;
	return 0;
}

/* ---- the tablet */

static bool valid_sha256_hex(const char *s)
{
	if (strlen(s) != SHA256_HEX_LEN)
		return false;
	for (size_t i = 0; i < SHA256_HEX_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Do the first bytes of @data say it is @type? */
static bool image_matches(const char *type, const unsigned char *d, size_t n)
{
	if (streq(type, "image/jpeg"))
		return n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF;
	if (streq(type, "image/png"))
		return n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0;
	if (streq(type, "image/webp"))
		return n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0;
	return false;
}

int photo_doc_read(struct arena *a, const char *body, size_t len, const char *client_id,
                   struct photo_doc *p, struct json_error *err)
{
	static const char *const keys[] = { "content_type", "sha256", "data",   "taken_at",
		                            "code",         "width",  "height", NULL };
	json_t *doc, *chunks = NULL;
	memset(p, 0, sizeof(*p));
	p->width = p->height = -1;
	if (read_object(a, body, len, keys, &doc, err) < 0 ||
	    json_field_string(doc, "", "content_type", true, 32, &p->content_type, err) < 0 ||
	    json_field_string(doc, "", "sha256", true, 128, &p->sha256, err) < 0 ||
	    json_field_array(doc, "", "data", true, PHOTO_MAX_CHUNKS, &chunks, err) < 0 ||
	    json_field_string(doc, "", "taken_at", false, 40, &p->taken_at, err) < 0 ||
	    json_field_string(doc, "", "code", false, 16, &p->code, err) < 0 ||
	    json_field_int(doc, "", "width", false, 1, 10000, &p->width, err) < 0 ||
	    json_field_int(doc, "", "height", false, 1, 10000, &p->height, err) < 0)
		return -EINVAL;
	if (!streq(p->content_type, "image/jpeg") && !streq(p->content_type, "image/png") &&
	    !streq(p->content_type, "image/webp"))
		return json_error_set(err, "/content_type", "api.photo.type", "id", client_id,
		                      NULL);
	if (!valid_sha256_hex(p->sha256))
		return json_error_set(err, "/sha256", "api.photo.sha256_form", "id", client_id,
		                      NULL);
	if (p->taken_at && !json_timestamp_valid(p->taken_at))
		return json_error_set(err, "/taken_at", "api.photo.taken_at", "id", client_id,
		                      NULL);

	struct buf b64 = BUF_INIT;
	size_t i;
	json_t *c;
	int rc = 0;
	json_array_foreach(chunks, i, c)
	{
		if (!json_is_string(c)) {
			char field[32];
			snprintf(field, sizeof(field), "/data/%zu", i);
			rc = json_error_set(err, field, "api.photo.data_list", "id", client_id,
			                    NULL);
			goto out;
		}
		if (b64.len + json_string_length(c) > PHOTO_MAX_BASE64) {
			json_error_set(err, "/data", "api.photo.too_large", "id", client_id, "max",
			               I18N_INT(PHOTO_MAX_BYTES), NULL);
			rc = -E2BIG;
			goto out;
		}
		buf_add(&b64, json_string_value(c), json_string_length(c));
	}
	p->data = arena_alloc(a, b64.len / 4 * 3 + 3);
	if (b64.len == 0 || sodium_base642bin(p->data, b64.len / 4 * 3 + 3, b64.data, b64.len, NULL,
	                                      &p->len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		rc = json_error_set(err, "/data", "api.photo.not_base64", "id", client_id, NULL);
		goto out;
	}
	if (p->len > PHOTO_MAX_BYTES) {
		json_error_set(err, "/data", "api.photo.too_large", "id", client_id, "max",
		               I18N_INT(PHOTO_MAX_BYTES), NULL);
		rc = -E2BIG;
		goto out;
	}
	if (!image_matches(p->content_type, p->data, p->len)) {
		rc = json_error_set(err, "/data", "api.photo.not_type", "id", client_id, "type",
		                    p->content_type, NULL);
		goto out;
	}
	char hash[SHA256_HEX_LEN + 1];
	sha256_hex(p->data, p->len, hash);
	if (!streq(hash, p->sha256))
		rc = json_error_set(err, "/sha256", "api.photo.sha256_mismatch", "id", client_id,
		                    "got", hash, "want", p->sha256, NULL);
out:
	buf_release(&b64);
	return rc;
}

int attachment_doc_read(struct arena *a, const char *body, size_t len, struct attachment_doc *p,
                        struct json_error *err)
{
	static const char *const keys[] = { "licence_number", "appeal_code", "filename", "data",
		                            NULL };
	static const size_t max_b64 = ((APPEAL_ATTACHMENT_MAX_BYTES + 2) / 3) * 4;
	json_t *chunks = NULL;
	memset(p, 0, sizeof(*p));
	if (read_object(a, body, len, keys, &p->body, err) < 0 ||
	    json_field_string(p->body, "", "filename", true, APPEAL_ATTACHMENT_NAME_MAX * 4,
	                      &p->filename, err) < 0 ||
	    json_field_array(p->body, "", "data", true, PHOTO_MAX_CHUNKS, &chunks, err) < 0)
		return -EINVAL;
	if (!*p->filename)
		return json_error_set(err, "/filename", "api.attachment.name_missing", NULL);
	if (too_long(err, "/filename", p->filename, APPEAL_ATTACHMENT_NAME_MAX) < 0)
		return -EINVAL;
	for (const unsigned char *c = (const unsigned char *)p->filename; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '/' || *c == '\\')
			return json_error_set(err, "/filename", "api.attachment.name_chars", NULL);
	struct buf b64 = BUF_INIT;
	size_t i;
	json_t *c;
	int rc = 0;
	json_array_foreach(chunks, i, c)
	{
		if (!json_is_string(c)) {
			char field[32];
			snprintf(field, sizeof(field), "/data/%zu", i);
			rc = json_error_set(err, field, "api.attachment.data_list", NULL);
			goto out;
		}
		if (b64.len + json_string_length(c) > max_b64) {
			json_error_set(err, "/data", "api.attachment.too_large", "name",
			               p->filename, "max", I18N_INT(APPEAL_ATTACHMENT_MAX_BYTES),
			               NULL);
			rc = -E2BIG;
			goto out;
		}
		buf_add(&b64, json_string_value(c), json_string_length(c));
	}
	p->data = arena_alloc(a, b64.len / 4 * 3 + 3);
	if (b64.len == 0 || sodium_base642bin(p->data, b64.len / 4 * 3 + 3, b64.data, b64.len, NULL,
	                                      &p->len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
		rc = json_error_set(err, "/data", "api.attachment.not_base64", NULL);
		goto out;
	}
	if (p->len == 0 || p->len > APPEAL_ATTACHMENT_MAX_BYTES) {
		json_error_set(err, "/data", "api.attachment.too_large", "name", p->filename, "max",
		               I18N_INT(APPEAL_ATTACHMENT_MAX_BYTES), NULL);
		rc = p->len ? -E2BIG : -EINVAL;
	}
out:
	buf_release(&b64);
	return rc;
}

int conflict_resolution_read(struct arena *a, const char *body, size_t len,
                             const char **ret_resolution, struct json_error *err)
{
	static const char *const keys[] = { "resolution", NULL };
	json_t *doc;
	const char *resolution;
	if (read_object(a, body, len, keys, &doc, err) < 0 ||
	    json_field_string(doc, "", "resolution", true, 32, &resolution, err) < 0)
		return -EINVAL;
	if (!streq(resolution, "kept_server") && !streq(resolution, "kept_device"))
		return json_error_set(err, "/resolution", "api.tablet.resolution", NULL);
	*ret_resolution = resolution;
	return 0;
}

int assignment_read(struct arena *a, const char *body, size_t len, int64_t *ret_inspector,
                    struct json_error *err)
{
	static const char *const keys[] = { "inspector_id", NULL };
	json_t *doc;
	if (read_object(a, body, len, keys, &doc, err) < 0 ||
	    json_field_int(doc, "", "inspector_id", true, 1, INT64_MAX, ret_inspector, err) < 0)
		return -EINVAL;
	return 0;
}
