/*
 * schemes.c - the scoring schemes: publishing a scheme's document as a new version, the
 * version an inspection is graded under, the published methods as JSON (written from the
 * scheme the engine applies, so that what is published is exactly what grades), and a
 * grade's explanation.
 */
#include "records/schemes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "domain/grade.h"
#include "records/log.h"
#include "records/scheme_doc.h"

static json_t *band_json(const struct grade_band *b)
{
	json_t *v = json_pack("{s:s, s:s, s:s, s:i}", "label", b->label, "code", b->code, "meaning",
	                      b->meaning, "min", b->min);
	json_object_set_new(v, "max",
	                    b->max == GRADE_SCORE_OPEN ? json_null() : json_integer(b->max));
	if (b->max_element != GRADE_NO_CAP)
		json_object_set_new(v, "max_element", json_integer(b->max_element));
	if (b->local_label)
		json_object_set_new(v, "local_label", json_string(b->local_label));
	return v;
}

static json_t *nullable_string(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *rules_json(const struct grade_scheme *s)
{
	const struct grade_rules *r = &s->rules;
	json_t *graded = json_array();
	for (int t = 0; t < GRADE_INSPECTION_TYPE_COUNT; t++)
		if (r->graded_types & GRADE_TYPE_BIT(t))
			json_array_append_new(graded, json_string(grade_inspection_type_name(t)));
	const char *window = r->appeal_window == GRADE_APPEAL_WITHIN_DAYS     ? "within_days"
	                     : r->appeal_window == GRADE_APPEAL_UNTIL_HEARING ? "until_hearing"
	                                                                      : "none";
	json_t *v = json_object();
	json_object_set_new(v, "graded_inspection_types", graded);
	json_object_set_new(v, "initial_graded_only_in_top_band",
	                    json_boolean(r->initial_graded_only_in_top_band));
	json_object_set_new(v, "min_days_before_reinspection",
	                    json_integer(r->min_days_before_reinspection));
	json_object_set_new(v, "appeal_window", json_string(window));
	json_object_set_new(v, "appeal_window_days", json_integer(r->appeal_window_days));
	json_object_set_new(v, "pending_label_during_appeal",
	                    nullable_string(r->pending_label_during_appeal));
	json_object_set_new(v, "pending_code_during_appeal",
	                    nullable_string(r->pending_code_during_appeal));
	json_object_set_new(v, "withhold_until_appeal_decided",
	                    json_boolean(r->withhold_until_appeal_decided));
	json_object_set_new(v, "rerating_standstill_days",
	                    json_integer(r->rerating_standstill_days));
	json_object_set_new(v, "max_adjournments_with_pending",
	                    json_integer(r->max_adjournments_with_pending));
	json_object_set_new(v, "closure_issues_no_grade", json_boolean(r->closure_issues_no_grade));
	json_object_set_new(v, "reopening_label", nullable_string(r->reopening_label));
	json_object_set_new(v, "reopening_code", nullable_string(r->reopening_code));
	json_object_set_new(v, "not_yet_graded_label", nullable_string(r->not_yet_graded_label));
	json_object_set_new(v, "not_yet_graded_code", nullable_string(r->not_yet_graded_code));
	return v;
}

json_t *rec_scheme_json(const struct grade_scheme *s, bool full)
{
	json_t *v = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s}", "code", s->code, "version",
	                      s->version, "name", s->name, "jurisdiction", s->jurisdiction, "kind",
	                      grade_scheme_kind_name(s->kind), "score_direction",
	                      s->kind == GRADE_KIND_POINTS_LOWER_BETTER ? "lower_is_better"
	                      : s->kind == GRADE_KIND_DEDUCT_FROM_100   ? "higher_is_better"
	                                                                : "lower_is_better");
	if (s->local_language)
		json_object_set_new(v, "local_language", json_string(s->local_language));
	if (!full)
		return v;
	json_t *bands = json_array();
	for (size_t i = 0; i < s->n_bands; i++)
		json_array_append_new(bands, band_json(&s->bands[i]));
	json_object_set_new(v, "bands", bands);
	if (s->n_elements) {
		json_t *els = json_array();
		for (size_t i = 0; i < s->n_elements; i++) {
			const struct grade_element *e = &s->elements[i];
			json_t *allowed = json_array();
			for (size_t j = 0; j < e->n_allowed; j++)
				json_array_append_new(allowed, json_integer(e->allowed[j]));
			json_array_append_new(els, json_pack("{s:s, s:s, s:o}", "name", e->name,
			                                     "description", e->description,
			                                     "allowed_scores", allowed));
		}
		json_object_set_new(v, "elements", els);
	}
	json_t *cat = json_array();
	for (size_t i = 0; i < s->n_violations; i++) {
		const struct grade_violation_def *d = &s->violations[i];
		json_t *item = json_pack(
		        "{s:s, s:s, s:s, s:s, s:i, s:i, s:i}", "code", d->code, "description",
		        d->description, "category", grade_category_name(d->category), "severity",
		        grade_severity_name(d->severity), "default_points", d->default_points,
		        "min_points", d->min_points, "max_points", d->max_points);
		if (d->element >= 0)
			json_object_set_new(item, "element",
			                    json_string(s->elements[d->element].name));
		/* Written only when set, so that a scheme without them reads as before. */
		if (d->unconfirmed)
			json_object_set_new(item, "confirmed", json_false());
		if (d->local_description)
			json_object_set_new(item, "local_description",
			                    json_string(d->local_description));
		json_array_append_new(cat, item);
	}
	json_object_set_new(v, "violations", cat);
	json_object_set_new(v, "rules", rules_json(s));
	return v;
}

/* The rule's parts as stored beside it: [{"key", "args": {name: text}}], numbers in decimal,
 * so that the rule can be written again in any language. */
static json_t *rule_parts_json(const struct grade_result *r)
{
	json_t *parts = json_array();
	for (size_t i = 0; i < r->n_parts; i++) {
		const struct grade_part *p = &r->parts[i];
		json_t *args = json_object();
		for (size_t j = 0; j < p->n_args; j++) {
			const struct grade_arg *a = &p->args[j];
			char num[24];
			json_object_set_new(
			        args, a->name,
			        json_string(a->text ? a->text : i18n_int_text(num, a->number)));
		}
		json_array_append_new(parts, json_pack("{s:s, s:o}", "key", p->key, "args", args));
	}
	return parts;
}

json_t *rec_grade_explanation(const struct grade_scheme *s, const struct grade_result *r)
{
	json_t *v = json_object();
	json_object_set_new(v, "scheme",
	                    json_pack("{s:s, s:i}", "code", s->code, "version", s->version));
	json_object_set_new(v, "score", json_integer(r->score));
	json_object_set_new(v, "deductions", json_integer(r->deductions));
	if (s->n_elements) {
		json_t *els = json_object();
		for (size_t i = 0; i < s->n_elements; i++)
			json_object_set_new(els, s->elements[i].name, json_integer(r->elements[i]));
		json_object_set_new(v, "elements", els);
	}
	json_object_set_new(v, "band",
	                    json_pack("{s:s, s:s, s:i}", "label", r->band->label, "code",
	                              r->band->code, "min", r->band->min));
	json_object_set_new(json_object_get(v, "band"), "max",
	                    r->band->max == GRADE_SCORE_OPEN ? json_null()
	                                                     : json_integer(r->band->max));
	if (r->rated_band != r->band)
		json_object_set_new(v, "capped_to",
		                    json_pack("{s:s, s:s, s:s}", "label", r->rated_band->label,
		                              "code", r->rated_band->code, "by_element",
		                              r->capping_element >= 0
		                                      ? s->elements[r->capping_element].name
		                                      : ""));
	json_object_set_new(v, "outcome", json_string(grade_outcome_name(r->outcome)));
	json_object_set_new(v, "grade",
	                    json_pack("{s:s, s:s}", "label", r->label, "code", r->code));
	json_object_set_new(v, "sets_grade", json_boolean(r->sets_posted_grade));
	json_object_set_new(v, "reinspection_required", json_boolean(r->reinspection_required));
	if (r->reinspection_required)
		json_object_set_new(v, "reinspection_min_days",
		                    json_integer(r->reinspection_min_days));
	const struct {
		const char *name;
		const struct grade_line *lines;
		size_t n;
	} groups[] = { { "counted", r->counted, r->n_counted },
		       { "dismissed", r->dismissed, r->n_dismissed } };
	for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
		json_t *arr = json_array();
		for (size_t i = 0; i < groups[g].n; i++) {
			const struct grade_line *l = &groups[g].lines[i];
			/* Descriptions are in the catalogue and beside each violation. */
			json_t *line =
			        json_pack("{s:s, s:s, s:i}", "code", l->code, "category",
			                  grade_category_name(l->category), "points", l->points);
			if (l->element >= 0)
				json_object_set_new(line, "element",
				                    json_string(s->elements[l->element].name));
			json_array_append_new(arr, line);
		}
		json_object_set_new(v, groups[g].name, arr);
	}
	json_object_set_new(v, "rule", json_string(r->rule));
	json_object_set_new(v, "rule_parts", rule_parts_json(r));
	return v;
}

/* Format one stored part {"key", "args"} in @lang onto @buf (@*len bytes used of @size). */
static int rule_part_text(const json_t *part, const char *lang, char *buf, size_t size, size_t *len)
{
	const char *key = json_string_value(json_object_get(part, "key"));
	const json_t *args = json_object_get(part, "args");
	/* One more name than arguments, always NULL: it ends the list i18n_format() reads. */
	const char *name[GRADE_PART_ARGS_MAX + 1] = { 0 };
	const char *value[GRADE_PART_ARGS_MAX + 1] = { 0 };
	size_t n = 0;
	const char *k;
	json_t *v;

	if (!key || strncmp(key, "grade.", 6) != 0 || (args && !json_is_object(args)))
		return -EINVAL;
	json_object_foreach((json_t *)args, k, v)
	{
		if (n >= GRADE_PART_ARGS_MAX || !json_is_string(v))
			return -EINVAL;
		name[n] = k;
		value[n] = grade_arg_is_wording(k) ? i18n_wording(lang, json_string_value(v))
		                                   : json_string_value(v);
		n++;
	}
	if (*len + 1 >= size)
		return 0;
	*len += i18n_format(buf + *len, size - *len, lang, key, name[0], value[0], name[1],
	                    value[1], name[2], value[2], name[3], value[3], name[4], value[4],
	                    name[5], value[5], name[6], value[6], name[7], value[7], name[8],
	                    value[8], name[9], value[9], NULL);
	if (*len >= size)
		*len = size - 1;
	return 0;
}

int rec_grade_rule_text(const json_t *parts, const char *lang, char *buf, size_t size)
{
	size_t len = 0;
	size_t i;
	json_t *part;

	if (!json_is_array(parts) || json_array_size(parts) == 0 ||
	    json_array_size(parts) > GRADE_PARTS_MAX || size == 0)
		return -EINVAL;
	buf[0] = '\0';
	json_array_foreach(parts, i, part)
	{
		int rc = rule_part_text(part, lang, buf, size, &len);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* @v (a new reference, taken over) as compact JSON text in r->a. */
static const char *scheme_text(struct rec *r, json_t *v)
{
	json_arena(r->a, v);
	char *text = json_dump_compact(v, NULL);
	arena_defer(r->a, free, text);
	return text;
}

/* A stored version's document, decoded: it was checked when published, so a failure here is
 * the server's. */
static int stored_scheme(struct rec *r, struct store_result *res, const struct grade_scheme **ret)
{
	struct grade_scheme *s;
	struct json_error err;
	const char *text = store_get(res, 0, "document");
	if (scheme_doc_parse(r->a, text, strlen(text), &s, &err) < 0)
		return rec_refuse(r, 500, NULL, "records.scheme.published_unreadable", "field",
		                  err.field, "detail", err.detail, NULL);
	s->version = (int)store_get_int(res, 0, "version");
	*ret = s;
	return 0;
}

int rec_scheme_publish(struct rec *r, const char *text, size_t len, const char *applies_from,
                       bool logged, struct rec_scheme_published *ret)
{
	struct grade_scheme *s;
	struct json_error err;
	struct store_result *latest, *ins;
	int rc;
	if (scheme_doc_parse(r->a, text, len, &s, &err) < 0)
		return rec_refuse_json(r, 422, &err);
	/* What is stored and published is the scheme as the engine reads it, written in one
	 * form, so that the same scheme in another layout is not a new version. */
	const char *doc = scheme_text(r, rec_scheme_json(s, true));
	const char *pl[] = { s->code, doc, applies_from };
	if ((rc = rec_begin(r)) < 0 || (rc = rec_exec(r, STMT_SCHEME_LATEST, pl, &latest)) < 0)
		goto out;
	int version = 1;
	if (store_nrows(latest) > 0) {
		if (streq(store_get(latest, 0, "kind"), "imported")) {
			rc = rec_refuse(r, 409, "/code", "records.scheme.imported_results", "code",
			                s->code, NULL);
			goto out;
		}
		if (!streq(store_get(latest, 0, "kind"), grade_scheme_kind_name(s->kind))) {
			rc = rec_refuse(r, 422, "/kind", "records.scheme.kind_kept", "kind",
			                store_get(latest, 0, "kind"), NULL);
			goto out;
		}
		version = (int)store_get_int(latest, 0, "version");
		if (store_get_bool(latest, 0, "same")) {
			*ret = (struct rec_scheme_published){ s->code, version, false };
			rc = rec_commit(r);
			goto out;
		}
		if (!store_get_bool(latest, 0, "date_ok")) {
			rc = rec_refuse(r, 422, "applies_from",
			                "records.scheme.applies_before_previous", NULL);
			goto out;
		}
		version++;
	}
	s->version = version;
	doc = scheme_text(r, rec_scheme_json(s, true));
	const char *pv = rec_num(r, version);
	const char *ps[] = { s->code, pv, s->name, grade_scheme_kind_name(s->kind), doc };
	const char *pi[] = { s->code, pv, doc, applies_from };
	const char *pw[] = { s->code, pv };
	if ((rc = rec_exec(r, STMT_SCHEME_UPSERT, ps, NULL)) < 0 ||
	    (rc = rec_exec(r, STMT_SCHEME_VERSION_INSERT, pi, &ins)) < 0 ||
	    (rc = rec_exec(r, STMT_SCHEME_VERSION_VIOLATIONS_INSERT, pw, NULL)) < 0)
		goto out;
	/* The catalogue's codes, which the violations cited under any version refer to. */
	for (size_t j = 0; j < s->n_violations; j++) {
		const struct grade_violation_def *d = &s->violations[j];
		const char *vp[] = { s->code,
			             d->code,
			             d->description,
			             grade_category_name(d->category),
			             rec_num(r, d->default_points),
			             rec_num(r, d->min_points),
			             rec_num(r, d->max_points) };
		if ((rc = rec_exec(r, STMT_SCHEME_VIOLATION_UPSERT, vp, NULL)) < 0)
			goto out;
	}
	if (logged) {
		const char *from = store_get(ins, 0, "applies_from");
		json_t *payload = json_pack("{s:s, s:i}", "scheme", s->code, "version", version);
		json_object_set_new(payload, "applies_from",
		                    from ? json_string(from) : json_null());
		if ((rc = rec_event(r, "scheme.published", arena_printf(r->a, "scheme/%s", s->code),
		                    payload)) < 0)
			goto out;
	}
	if ((rc = rec_commit(r)) < 0)
		goto out;
	*ret = (struct rec_scheme_published){ s->code, version, true };
out:
	if (rc == -EEXIST)
		rc = rec_refuse(r, 409, NULL, "records.scheme.publish_raced", "code", s->code,
		                NULL);
	return rc;
}

int rec_scheme_current(struct rec *r, const char *code, const struct grade_scheme **ret)
{
	struct store_result *res;
	const char *p[] = { code, NULL };
	int rc = rec_exec(r, STMT_SCHEME_VERSION_GET, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.scheme.not_found", "code", code, NULL);
	return stored_scheme(r, res, ret);
}

int rec_scheme_of_inspection(struct rec *r, const char *inspection_id,
                             const struct grade_scheme **ret)
{
	struct store_result *res;
	const char *p[] = { inspection_id };
	int rc = rec_exec(r, STMT_SCHEME_OF_INSPECTION, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 500, NULL, "records.scheme.inspection_scheme_unpublished",
		                  "id", inspection_id, NULL);
	return stored_scheme(r, res, ret);
}

int rec_schemes_list(struct rec *r, const char **ret_json)
{
	struct store_result *res;
	int rc = rec_exec(r, STMT_SCHEME_LIST, NULL, &res);
	if (rc < 0)
		return rc;
	json_t *list = json_array();
	int c = store_column(res, "document");
	for (int i = 0; i < store_nrows(res); i++) {
		struct grade_scheme *s;
		struct json_error err;
		const char *text = store_value(res, i, c);
		if (scheme_doc_parse(r->a, text, strlen(text), &s, &err) < 0) {
			json_decref(list);
			return rec_refuse(r, 500, NULL, "records.scheme.published_unreadable",
			                  "field", err.field, "detail", err.detail, NULL);
		}
		json_array_append_new(list, rec_scheme_json(s, false));
	}
	*ret_json = scheme_text(r, json_pack("{s:o}", "schemes", list));
	return 0;
}

int rec_scheme_get(struct rec *r, const char *code, int version, const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { code, version > 0 ? rec_num(r, version) : NULL };
	const struct grade_scheme *s;
	int rc = rec_exec(r, STMT_SCHEME_VERSION_GET, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return version > 0 ? rec_refuse(r, 404, NULL, "records.scheme.version_not_found",
		                                "code", code, "version", I18N_INT(version), NULL)
		                   : rec_refuse(r, 404, NULL, "records.scheme.not_found", "code",
		                                code, NULL);
	if ((rc = stored_scheme(r, res, &s)) < 0)
		return rc;
	*ret_json = scheme_text(r, rec_scheme_json(s, true));
	return 0;
}

int rec_scheme_versions(struct rec *r, const char *code, const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { code };
	int rc = rec_exec(r, STMT_SCHEME_VERSIONS, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.scheme.not_found", "code", code, NULL);
	*ret_json = store_get(res, 0, "json");
	return 0;
}

/* Put string member @name of object @o through the "wording" catalogue of @lang. */
static void wording_member(json_t *o, const char *name, const char *lang)
{
	const char *text = json_string_value(json_object_get(o, name));
	if (!text)
		return;
	const char *own = i18n_wording(lang, text);
	if (own != text && strcmp(own, text) != 0)
		json_object_set_new(o, name, json_string(own));
}

/* @v, member @key of its parent (NULL at the top; an array's items have the array's key),
 * localized in place. */
static void localize(json_t *v, const char *lang, const char *key, int depth)
{
	static const char *const labelled[] = { "grade", "band", "capped_to", "contested" };
	const char *k;
	json_t *child;
	size_t i;

	if (depth > 16)
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, child) localize(child, lang, key, depth + 1);
		return;
	}
	if (!json_is_object(v))
		return;
	json_t *parts = json_object_get(v, "rule_parts");
	if (parts && json_is_string(json_object_get(v, "rule"))) {
		size_t size = GRADE_PARTS_MAX * I18N_MESSAGE_MAX;
		char *text = malloc(size);
		if (text && rec_grade_rule_text(parts, lang, text, size) == 0)
			json_object_set_new(v, "rule", json_string(text));
		free(text);
	}
	if (key && streq(key, "violations"))
		wording_member(v, "description", lang);
	for (size_t j = 0; key && j < ARRAY_SIZE(labelled); j++)
		if (streq(key, labelled[j]))
			wording_member(v, "label", lang);
	wording_member(v, "grade_label", lang);
	json_object_foreach(v, k, child) if (json_is_object(child) || json_is_array(child))
	        localize(child, lang, k, depth + 1);
}

/* True when every real number in @v prints back to itself with @digits significant digits. */
static bool reals_hold(const json_t *v, int digits, int depth)
{
	const char *k;
	json_t *child;
	size_t i;

	if (json_is_real(v)) {
		char text[40];
		snprintf(text, sizeof(text), "%.*g", digits, json_real_value(v));
		return strtod(text, NULL) == json_real_value(v);
	}
	if (depth > 16)
		return true;
	if (json_is_array(v)) {
		json_array_foreach((json_t *)v, i,
		                   child) if (!reals_hold(child, digits, depth + 1)) return false;
	} else if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k,
		                    child) if (!reals_hold(child, digits, depth + 1)) return false;
	}
	return true;
}

const char *rec_localize_json(struct rec *r, const char *json)
{
	const char *lang = i18n_thread_language();
	if (!json || streq(lang, I18N_DEFAULT))
		return json;
	json_t *v = json_loads(json, 0, NULL);
	if (!v)
		return json;
	json_arena(r->a, v);
	localize(v, lang, NULL, 0);
	/* Numbers as the store wrote them where that is exact (40.7, not 40.700000000000003):
	 * the fewest digits that give every real number back. */
	int digits = 15;
	while (digits < 17 && !reals_hold(v, digits, 0))
		digits++;
	char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(digits));
	if (!text)
		return json;
	arena_defer(r->a, free, text);
	return text;
}
