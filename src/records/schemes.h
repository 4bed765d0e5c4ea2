/*
 * schemes.h - the published scoring methods and grade explanations, as JSON.
 */
#ifndef PLACARD_RECORDS_SCHEMES_H
#define PLACARD_RECORDS_SCHEMES_H

#include <stdbool.h>

#include "json/json.h"
#include "records/records.h"

struct grade_scheme;
struct grade_result;

/* A scheme as published (@full: with bands, catalogue and rules). New reference. */
json_t *rec_scheme_json(const struct grade_scheme *s, bool full);

/* A grade's explanation: score, band, counted and dismissed violations, rule. New reference. */
json_t *rec_grade_explanation(const struct grade_scheme *s, const struct grade_result *r);

/*
 * The rule of a grade's explanation written from its stored parts (the explanation's
 * "rule_parts") in @lang (NULL: the thread's language), the scheme's wording translated by
 * the "wording" catalogue, into @buf. 0, or -EINVAL when @parts is not an array of parts.
 */
int rec_grade_rule_text(const json_t *parts, const char *lang, char *buf, size_t size);

/*
 * @json (JSON text that the store built: an inspection, an establishment's record, search
 * results, a grade card, the operator's report) as a reader of the thread's language reads it: every explanation's
 * "rule" written again from its "rule_parts" (explanations stored without them keep their
 * English), and the scheme's wording in it, violations' descriptions and grade labels,
 * through the "wording" catalogue. In English it is @json itself, untouched. Text in r->a.
 */
const char *rec_localize_json(struct rec *r, const char *json);

/* What publishing a document did: the scheme's code, the version that now holds the document,
 * and whether it is new (false: the latest version already held the same scheme). */
struct rec_scheme_published {
	const char *code;
	int version;
	bool created;
};

/*
 * Publish scheme document @text (@len bytes; docs/schemes.md): decode and check it (422 naming
 * the field at fault), and unless the scheme's latest version holds the same scheme, store it
 * as the next version, applying from @applies_from (YYYY-MM-DD; NULL: a first version from
 * the beginning, a later one from today), never before the version it follows; a version
 * keeps the scheme's kind. Adds the catalogue's codes to the copy that cited violations
 * refer to, and with @logged logs the publication ("scheme.published"; placard migrate
 * installs the built-in documents unlogged, as it installs the schema). Published versions never change. 0 or a refusal.
 */
int rec_scheme_publish(struct rec *r, const char *text, size_t len, const char *applies_from,
                       bool logged, struct rec_scheme_published *ret);

/* The version of published scheme @code in force today, decoded, in r->a. 0 or a refusal
 * (404). */
int rec_scheme_current(struct rec *r, const char *code, const struct grade_scheme **ret);

/* The scheme version inspection @inspection_id is graded under (STMT_SCHEME_OF_INSPECTION
 * says which), decoded, in r->a; its version is ret->version. 0 or a refusal. */
int rec_scheme_of_inspection(struct rec *r, const char *inspection_id,
                             const struct grade_scheme **ret);

/* Every published scheme, as in force today (without bands and catalogue), as JSON text:
 * {"schemes":[...]}. 0 or a refusal. */
int rec_schemes_list(struct rec *r, const char **ret_json);

/* Published scheme @code in full as JSON text: version @version, or with @version 0 the
 * version in force today. 0 or a refusal (404). */
int rec_scheme_get(struct rec *r, const char *code, int version, const char **ret_json);

/* The versions of scheme @code: {"code", "versions":[{"version", "published_at",
 * "applies_from" (null: from the beginning), "in_force"}]}. 0 or a refusal (404). */
int rec_scheme_versions(struct rec *r, const char *code, const char **ret_json);

#endif
