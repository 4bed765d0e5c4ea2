/*
 * tablet_doc.c - what the inspector's tablet sends, decoded. See tablet_doc.h.
 */
#include "api/tablet_doc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

static const char *const marks[] = { "in", "out", "not_observed", "not_applicable", NULL };

int tablet_read_doc(json_t *body, struct tablet_doc *ret, struct json_error *err)
{
	static const char *const reading_keys[] = { "item",     "location", "value", "unit",
		                                    "taken_at", "code",     NULL };
	memset(ret, 0, sizeof(*ret));
	json_t *cl = json_object_get(body, "checklist");
	if (cl && !json_is_null(cl)) {
		if (json_expect_object(cl, "/checklist", err) < 0)
			return -EINVAL;
		const char *code;
		json_t *mark;
		json_object_foreach(cl, code, mark)
		{
			char field[64];
			snprintf(field, sizeof(field), "/checklist/%.40s", code);
			bool ok = false;
			for (size_t i = 0; marks[i] && json_is_string(mark); i++)
				ok |= streq(json_string_value(mark), marks[i]);
			if (!ok)
				return json_error_set(err, field, "api.checklist.mark", NULL);
		}
		ret->checklist = cl;
	}
	json_t *list = NULL;
	int rc = json_field_array(body, "", "readings", false, TABLET_MAX_READINGS, &list, err);
	if (rc < 0)
		return -EINVAL;
	if (rc > 0 || json_is_null(list))
		return 0;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		char base[32];
		struct tablet_reading *r = &ret->readings[i];
		snprintf(base, sizeof(base), "/readings/%zu", i);
		if (json_expect_object(v, base, err) < 0 ||
		    json_only_keys(v, base, reading_keys, err) < 0 ||
		    json_field_string(v, base, "item", true, 200, &r->item, err) < 0 ||
		    json_field_string(v, base, "location", false, 200, &r->location, err) < 0 ||
		    json_field_number(v, base, "value", true, -100, 1000, &r->value, err) < 0 ||
		    json_field_string(v, base, "unit", true, 1, &r->unit, err) < 0 ||
		    json_field_string(v, base, "taken_at", false, 40, &r->taken_at, err) < 0 ||
		    json_field_string(v, base, "code", false, 16, &r->code, err) < 0)
			return -EINVAL;
		char field[48];
		if (!*r->item) {
			snprintf(field, sizeof(field), "%s/item", base);
			return json_error_set(err, field, "api.reading.what", NULL);
		}
		bool celsius = streq(r->unit, "C");
		if (!celsius && !streq(r->unit, "F")) {
			snprintf(field, sizeof(field), "%s/unit", base);
			return json_error_set(err, field, "api.reading.unit", NULL);
		}
		double lo = celsius ? -50 : -58, hi = celsius ? 300 : 572;
		if (r->value < lo || r->value > hi) {
			snprintf(field, sizeof(field), "%s/value", base);
			return json_error_set(err, field, "api.reading.range", "unit", r->unit,
			                      "min", I18N_G(lo), "max", I18N_G(hi), NULL);
		}
		if (r->taken_at && !json_timestamp_valid(r->taken_at)) {
			snprintf(field, sizeof(field), "%s/taken_at", base);
			return json_error_set(err, field, "api.doc.timestamp", NULL);
		}
	}
	ret->nreadings = json_array_size(list);
	return 0;
}

long long tablet_if_match_read(const char *h)
{
	if (!h)
		return REC_VERSION_ABSENT;
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	size_t n = strlen(h);
	if (n < 3 || n > 22 || h[0] != '"' || h[n - 1] != '"')
		return REC_VERSION_MALFORMED;
	char digits[24];
	memcpy(digits, h + 1, n - 2);
	digits[n - 2] = '\0';
	long long v;
	if (parse_int64(digits, 1, INT32_MAX, &v) < 0)
		return REC_VERSION_MALFORMED;
	return v;
}

bool tablet_photo_id_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < TABLET_PHOTO_ID_MIN || n > TABLET_PHOTO_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}
