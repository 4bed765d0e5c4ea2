/*
 * inspection_doc.c - the inspection document decoded and checked. See inspection_doc.h.
 */
#include "api/inspection_doc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"

/*
 * The optional "appeal_code" of @body: the code the device printed on the operator's report
 * when the inspection was finished, perhaps offline. Normalised into @out as the operator's
 * side reads it; *@has false when absent.
 */
int inspection_appeal_code_read(json_t *body, char out[APPEAL_CODE_LEN + 1], bool *has,
                                struct json_error *err)
{
	const char *code = NULL;
	*has = false;
	if (json_field_string(body, "", "appeal_code", false, APPEAL_CODE_INPUT_MAX, &code, err) <
	    0)
		return -EINVAL;
	if (!code)
		return 0;
	char norm[APPEAL_CODE_INPUT_MAX + 1];
	appeal_code_normalise(code, norm, sizeof(norm));
	if (!appeal_code_well_formed(norm, RANDOM_CODE_ALPHABET))
		return json_error_set(err, "/appeal_code", "api.inspection.appeal_code_form",
		                      "length", I18N_INT(APPEAL_CODE_LEN), "alphabet",
		                      RANDOM_CODE_ALPHABET, NULL);
	if (!appeal_code_strong(norm, RANDOM_CODE_ALPHABET))
		return json_error_set(err, "/appeal_code", "api.inspection.appeal_code_guessable",
		                      "distinct", I18N_INT(APPEAL_CODE_MIN_DISTINCT), NULL);
	memcpy(out, norm, APPEAL_CODE_LEN + 1);
	*has = true;
	return 0;
}

/* Whether @s (YYYY-MM-DD) is a day of the calendar: 2026-02-29 is not. */
static bool calendar_day(const char *s)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (!json_date_valid(s))
		return false;
	int year = atoi(s), month = atoi(s + 5), day = atoi(s + 8);
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return day <= days[month - 1] + (month == 2 && leap);
}

int inspection_doc_read(json_t *body, bool with_establishment, bool amendment,
                        struct inspection_doc *d, struct json_error *err)
{
	static const char *const keys[] = { "establishment_id",
		                            "type",
		                            "started_at",
		                            "ended_at",
		                            "closed_establishment",
		                            "elements",
		                            "notes",
		                            "operator_signature",
		                            "violations",
		                            "submit",
		                            "appeal_code",
		                            "reason",
		                            "checklist",
		                            "readings",
		                            NULL };
	static const char *const element_names[] = { "hygiene", "structural", "management" };
	static const char *const viol_keys[] = {
		"code", "points", "observed", "corrected_on_site", "repeat", "correct_by", NULL
	};
	memset(d, 0, sizeof(*d));
	if (json_expect_object(body, "", err) < 0 || json_only_keys(body, "", keys, err) < 0)
		return -EINVAL;
	if (with_establishment && json_field_int(body, "", "establishment_id", true, 1, INT64_MAX,
	                                         &d->establishment_id, err) < 0)
		return -EINVAL;
	if (!with_establishment && json_object_get(body, "establishment_id"))
		return json_error_set(err, "/establishment_id",
		                      "api.inspection.establishment_fixed", NULL);
	if (json_field_string(body, "", "type", true, 32, &d->type, err) < 0 ||
	    json_field_string(body, "", "started_at", false, JSON_TIMESTAMP_MAX, &d->started_at,
	                      err) < 0 ||
	    json_field_string(body, "", "ended_at", false, JSON_TIMESTAMP_MAX, &d->ended_at, err) <
	            0 ||
	    json_field_bool(body, "", "closed_establishment", false, &d->closed, err) < 0 ||
	    json_field_string(body, "", "notes", false, NOTES_MAX, &d->notes, err) < 0 ||
	    json_field_bool(body, "", "submit", false, &d->submit, err) < 0 ||
	    json_field_string(body, "", "reason", amendment, 2000, &d->reason, err) < 0)
		return -EINVAL;
	enum grade_inspection_type type;
	if (grade_inspection_type_parse(d->type, &type) < 0)
		return json_error_set(err, "/type", "api.inspection.type", NULL);
	if (!amendment && d->reason)
		return json_error_set(err, "/reason", "api.inspection.reason_only_amendment", NULL);
	if (inspection_appeal_code_read(body, d->appeal_code, &d->has_appeal_code, err) < 0)
		return -EINVAL;
	if (d->has_appeal_code && !amendment && !d->submit)
		return json_error_set(err, "/appeal_code", "api.inspection.appeal_code_with_submit",
		                      NULL);
	if (amendment && !*d->reason)
		return json_error_set(err, "/reason", "api.inspection.amendment_reason", NULL);
	if (d->started_at && !json_timestamp_valid(d->started_at))
		return json_error_set(err, "/started_at", "api.doc.timestamp", NULL);
	if (d->ended_at && !json_timestamp_valid(d->ended_at))
		return json_error_set(err, "/ended_at", "api.doc.timestamp_end", NULL);

	json_t *els = json_object_get(body, "elements");
	if (els && !json_is_null(els)) {
		static const char *const allowed[] = { "hygiene", "structural", "management",
			                               NULL };
		if (json_expect_object(els, "/elements", err) < 0 ||
		    json_only_keys(els, "/elements", allowed, err) < 0)
			return -EINVAL;
		for (size_t i = 0; i < GRADE_MAX_ELEMENTS; i++)
			if (json_field_int(els, "/elements", element_names[i], true, 0, 100,
			                   &d->elements[i], err) < 0)
				return -EINVAL;
		d->has_elements = true;
	}

	json_t *sig = json_object_get(body, "operator_signature");
	if (sig && !json_is_null(sig)) {
		static const char *const allowed[] = { "name", "image", NULL };
		if (json_expect_object(sig, "/operator_signature", err) < 0 ||
		    json_only_keys(sig, "/operator_signature", allowed, err) < 0 ||
		    json_field_string(sig, "/operator_signature", "name", true, 200,
		                      &d->signed_name, err) < 0 ||
		    json_field_string(sig, "/operator_signature", "image", true, SIGNATURE_MAX,
		                      &d->signature, err) < 0)
			return -EINVAL;
		if (strncmp(d->signature, "data:image/", 11) != 0)
			return json_error_set(err, "/operator_signature/image",
			                      "api.inspection.signature_image", NULL);
	}

	json_t *list = NULL;
	int rc = json_field_array(body, "", "violations", false, GRADE_MAX_VIOLATIONS, &list, err);
	if (rc < 0)
		return -EINVAL;
	if (rc == 0) {
		size_t i;
		json_t *v;
		json_array_foreach(list, i, v)
		{
			char base[48];
			snprintf(base, sizeof(base), "/violations/%zu", i);
			d->viol[i].points = -1;
			if (json_expect_object(v, base, err) < 0 ||
			    json_only_keys(v, base, viol_keys, err) < 0 ||
			    json_field_string(v, base, "code", true, 16, &d->viol[i].code, err) <
			            0 ||
			    json_field_int(v, base, "points", false, 0, 1000, &d->viol[i].points,
			                   err) < 0 ||
			    json_field_string(v, base, "observed", false, OBSERVED_MAX,
			                      &d->viol[i].observed, err) < 0 ||
			    json_field_bool(v, base, "corrected_on_site", false,
			                    &d->viol[i].corrected_on_site, err) < 0 ||
			    json_field_bool(v, base, "repeat", false, &d->viol[i].repeat, err) <
			            0 ||
			    json_field_string(v, base, "correct_by", false, 10,
			                      &d->viol[i].correct_by, err) < 0)
				return -EINVAL;
			char field[64];
			snprintf(field, sizeof(field), "%s/correct_by", base);
			if (d->viol[i].correct_by && !calendar_day(d->viol[i].correct_by))
				return json_error_set(err, field, "api.inspection.correct_by_date",
				                      NULL);
			if (d->viol[i].correct_by && d->viol[i].corrected_on_site)
				return json_error_set(err, field,
				                      "api.inspection.corrected_on_site", NULL);
		}
		d->nviol = json_array_size(list);
	}
	return tablet_read_doc(body, &d->tablet, err);
}
