/*
 * establishments.c - the licence registry: jurisdictions, establishments and licence
 * actions. Clerks register and edit establishments and record licence actions; anyone may
 * read an establishment's public record. Every change is logged in the same transaction.
 */
#include "records/establishments.h"

#include <errno.h>
#include <string.h>

#include "core/util.h"
#include "domain/grade.h"
#include "records/schemes.h"
#include "domain/licence.h"
#include "domain/scheme.h"
#include "records/duties.h"
#include "records/log.h"

int rec_jurisdictions_list(struct rec *r, const char **ret_json)
{
	struct store_result *res;
	int rc = rec_exec(r, STMT_JURISDICTION_LIST, NULL, &res);
	if (rc < 0)
		return rc;
	*ret_json = store_get(res, 0, "json");
	return 0;
}

int rec_jurisdiction_create(struct rec *r, const struct rec_jurisdiction *j, const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { j->code, j->name, j->scheme, j->timezone };
	int rc;
	const struct grade_scheme *s;
	if ((rc = rec_scheme_current(r, j->scheme, &s)) < 0) {
		if (rc == -ENOENT)
			rc = rec_refuse(r, 422, "/scheme", "records.scheme.not_found", "code",
			                j->scheme, NULL);
		goto out;
	}
	if ((rc = rec_begin(r)) < 0 || (rc = rec_exec(r, STMT_JURISDICTION_CREATE, p, &res)) < 0 ||
	    (rc = rec_event(r, "jurisdiction.created",
	                    arena_printf(r->a, "jurisdiction/%s", j->code),
	                    json_pack("{s:s, s:s}", "code", j->code, "scheme", j->scheme))) < 0 ||
	    (rc = rec_commit(r)) < 0)
		goto out;
	*ret_json = store_get(res, 0, "json");
out:
	if (rc == -EEXIST)
		rc = rec_refuse(r, 409, "/code", "records.jurisdiction.exists", "code", j->code,
		                NULL);
	return rc;
}

int rec_jurisdiction_schemes(struct rec *r, const char *code, const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { code };
	int rc = rec_exec(r, STMT_JURISDICTION_SCHEMES, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.jurisdiction.not_found", "code", code,
		                  NULL);
	*ret_json = store_get(res, 0, "json");
	return 0;
}

int rec_jurisdiction_scheme_assign(struct rec *r, const char *code, const char *scheme,
                                   const char *applies_from, const char **ret_json)
{
	struct store_result *chk, *ins;
	const char *pc[] = { code, scheme };
	int rc;
	if ((rc = rec_begin(r)) < 0 ||
	    (rc = rec_exec(r, STMT_JURISDICTION_SCHEME_CHECK, pc, &chk)) < 0)
		goto out;
	if (store_nrows(chk) == 0) {
		rc = rec_refuse(r, 404, NULL, "records.jurisdiction.not_found", "code", code, NULL);
		goto out;
	}
	const char *kind = store_get(chk, 0, "kind");
	if (!kind || streq(kind, "imported")) {
		rc = rec_refuse(r, 422, "/scheme", "records.scheme.not_found", "code", scheme,
		                NULL);
		goto out;
	}
	const char *last_visit = store_get(chk, 0, "last_visit");
	const char *last_from = store_get(chk, 0, "last_from");
	switch (scheme_assignment_check(applies_from, last_visit, last_from)) {
	case SCHEME_ASSIGN_OK: break;
	case SCHEME_ASSIGN_BAD_DATE:
		rc = rec_refuse(r, 422, "/applies_from",
		                "records.jurisdiction.applies_from_not_date", NULL);
		goto out;
	case SCHEME_ASSIGN_BEFORE_VISITS:
		rc = rec_refuse(r, 422, "/applies_from", "records.jurisdiction.move_after_visit",
		                "code", code, "date", last_visit, NULL);
		goto out;
	case SCHEME_ASSIGN_BEFORE_ASSIGNMENT:
		rc = rec_refuse(r, 422, "/applies_from", "records.jurisdiction.move_after_move",
		                "code", code, "date", last_from, NULL);
		goto out;
	}
	const char *pi[] = { store_get(chk, 0, "id"), scheme, applies_from,
		             rec_num(r, r->staff->id) };
	const char *ps[] = { code };
	struct store_result *res;
	if ((rc = rec_exec(r, STMT_JURISDICTION_SCHEME_INSERT, pi, &ins)) < 0 ||
	    (rc = rec_event(r, "jurisdiction.scheme_assigned",
	                    arena_printf(r->a, "jurisdiction/%s", code),
	                    json_pack("{s:s, s:s, s:s}", "jurisdiction", code, "scheme", scheme,
	                              "applies_from", store_get(ins, 0, "applies_from")))) < 0 ||
	    (rc = rec_exec(r, STMT_JURISDICTION_SCHEMES, ps, &res)) < 0 || (rc = rec_commit(r)) < 0)
		goto out;
	*ret_json = store_get(res, 0, "json");
out:
	if (rc == -EEXIST)
		rc = rec_refuse(r, 409, "/applies_from", "records.jurisdiction.move_raced", "code",
		                code, NULL);
	return rc;
}

int rec_establishment_get(struct rec *r, const char *id, const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { id };
	int rc = rec_exec(r, STMT_ESTABLISHMENT_JSON, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.establishment.not_found", "id", id, NULL);
	*ret_json = rec_localize_json(r, store_get(res, 0, "json"));
	return 0;
}

int rec_establishment_create(struct rec *r, const char *jurisdiction, const char *licence,
                             const struct rec_establishment_fields *f, const char **ret_id,
                             const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { jurisdiction, licence,     f->name,     f->address_line,
		            f->city,      f->postcode, f->latitude, f->longitude,
		            f->type,      f->cuisine,  f->risk };
	int rc;
	if (!*licence) {
		rc = rec_refuse(r, 422, "/licence_number",
		                "records.establishment.licence_number_empty", NULL);
		goto out;
	}
	if ((rc = rec_begin(r)) < 0 || (rc = rec_exec(r, STMT_ESTABLISHMENT_CREATE, p, &res)) < 0)
		goto out;
	if (store_nrows(res) == 0) {
		rc = rec_refuse(r, 422, "/jurisdiction", "records.jurisdiction.not_found", "code",
		                jurisdiction, NULL);
		goto out;
	}
	const char *id = store_get(res, 0, "id");
	const struct grade_scheme *scheme;
	if ((rc = rec_scheme_current(r, store_get(res, 0, "scheme"), &scheme)) < 0)
		goto out;
	struct grade_posted none;
	grade_posted_of(scheme, NULL, false, &none);
	const char *pg[] = { id, none.state, none.code, none.label, NULL, NULL };
	if ((rc = rec_exec(r, STMT_POSTED_GRADE_SET, pg, NULL)) < 0 ||
	    (rc = rec_event(r, "establishment.registered",
	                    arena_printf(r->a, "establishment/%s", id),
	                    json_pack("{s:s, s:s, s:s}", "jurisdiction", jurisdiction,
	                              "licence_number", licence, "name", f->name))) < 0 ||
	    (rc = rec_commit(r)) < 0)
		goto out;
	*ret_id = id;
	rc = rec_establishment_get(r, id, ret_json);
out:
	if (rc == -EEXIST)
		rc = rec_refuse(r, 409, "/licence_number",
		                "records.establishment.licence_registered", "licence", licence,
		                "jurisdiction", jurisdiction, NULL);
	return rc;
}

int rec_establishment_update(struct rec *r, const char *id,
                             const struct rec_establishment_fields *f, const json_t *changes,
                             const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { id,          f->name,      f->address_line, f->city,    f->postcode,
		            f->latitude, f->longitude, f->type,         f->cuisine, f->risk };
	int rc;
	if (json_object_size(changes) == 0) {
		rc = rec_refuse(r, 422, "body", "records.establishment.nothing_to_change", NULL);
		goto out;
	}
	if ((rc = rec_begin(r)) < 0 || (rc = rec_exec(r, STMT_ESTABLISHMENT_UPDATE, p, &res)) < 0)
		goto out;
	if (store_nrows(res) == 0) {
		rc = rec_refuse(r, 404, NULL, "records.establishment.not_found", "id", id, NULL);
		goto out;
	}
	/* The log records which fields changed and their new public values. */
	if ((rc = rec_event(r, "establishment.updated", arena_printf(r->a, "establishment/%s", id),
	                    json_deep_copy(changes))) < 0 ||
	    (rc = rec_commit(r)) < 0)
		goto out;
	rc = rec_establishment_get(r, id, ret_json);
out:
	return rc;
}

int rec_establishment_inspections(struct rec *r, const char *id, long long before, long long limit,
                                  const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { id, before ? rec_num(r, before) : NULL, rec_num(r, limit) };
	int rc = rec_exec(r, STMT_ESTABLISHMENT_INSPECTIONS, p, &res);
	if (rc < 0)
		return rc;
	if (!store_get_bool(res, 0, "found"))
		return rec_refuse(r, 404, NULL, "records.establishment.not_found", "id", id, NULL);
	if (!store_get_bool(res, 0, "before_found"))
		return rec_refuse(r, 400, "before", "records.establishment.before_not_inspection",
		                  "before", I18N_INT(before), "id", id, NULL);
	*ret_json = rec_localize_json(r, store_get(res, 0, "json"));
	return 0;
}

/* The licence actions, with the establishment's status afterwards (NULL: unchanged). */
static const struct {
	const char *action;
	const char *status;
} licence_actions[] = {
	{ "issued", "active" },  { "renewed", NULL },        { "suspended", "suspended" },
	{ "revoked", "closed" }, { "reinstated", "active" },
};

/* Check @la before anything is read. 0 and the status afterwards in *@ret, or a refusal. */
static int licence_action_check(struct rec *r, const struct rec_licence_action *la,
                                const char **ret)
{
	size_t i;
	for (i = 0; i < ARRAY_SIZE(licence_actions); i++)
		if (streq(licence_actions[i].action, la->action))
			break;
	if (i == ARRAY_SIZE(licence_actions))
		return rec_refuse(r, 422, "/action", "records.licence.action_unknown", NULL);
	*ret = licence_actions[i].status;
	if ((streq(la->action, "suspended") || streq(la->action, "revoked")) &&
	    (!la->reason || !*la->reason))
		return rec_refuse(r, 422, "/reason", "records.licence.reason_needed", "action",
		                  la->action, NULL);
	if (la->reason_category && !licence_reason_category_words(la->reason_category))
		return rec_refuse(r, 422, "/reason_category",
		                  "records.licence.reason_category_unknown", NULL);
	if (la->reason_category && !streq(la->action, "suspended") && !streq(la->action, "revoked"))
		return rec_refuse(r, 422, "/reason_category",
		                  "records.licence.reason_category_not_public", NULL);
	if (la->effective_on && !date_valid(la->effective_on))
		return rec_refuse(r, 422, "/effective_on", "records.licence.effective_on_not_date",
		                  NULL);
	if (la->expires_on && !date_valid(la->expires_on))
		return rec_refuse(r, 422, "/expires_on", "records.licence.expires_on_not_date",
		                  NULL);
	/* Dates of the same form compare as text. */
	if (la->effective_on && la->expires_on && strcmp(la->expires_on, la->effective_on) < 0)
		return rec_refuse(r, 422, "/expires_on", "records.licence.expires_before_effect",
		                  "expires", la->expires_on, "effective", la->effective_on, NULL);
	return 0;
}

/* Whether the store's last error was a violation of @constraint. */
static bool constraint_is(struct rec *r, const char *constraint)
{
	const char *c = store_error_constraint(r->st);
	return c && streq(c, constraint);
}

int rec_licence_action_create(struct rec *r, const char *id, const struct rec_licence_action *la,
                              const char **ret_json)
{
	struct store_result *res, *s;
	const char *status = NULL;
	int rc = licence_action_check(r, la, &status);
	if (rc < 0)
		return rc;
	const char *p[] = { id,
		            la->action,
		            la->effective_on,
		            la->expires_on,
		            la->reason,
		            rec_num(r, r->staff ? r->staff->id : 0),
		            la->reason_category };
	const char *ps[] = { id, status };
	const char *pl[] = { id };
	if ((rc = rec_begin(r)) < 0 ||
	    (rc = rec_exec(r, STMT_ESTABLISHMENT_STATUS_LOCK, pl, &s)) < 0)
		goto out;
	if (store_nrows(s) == 0) {
		rc = rec_refuse(r, 404, NULL, "records.establishment.not_found", "id", id, NULL);
		goto out;
	}
	const char *refusal = licence_action_refusal(la->action, store_get(s, 0, "status"));
	if (refusal) {
		rc = rec_refuse_why(r, 409, "/action", refusal, "records.policy.step_not_allowed");
		goto out;
	}
	if (status && (rc = rec_exec(r, STMT_ESTABLISHMENT_SET_STATUS, ps, NULL)) < 0)
		goto out;
	if ((rc = rec_exec(r, STMT_LICENCE_ACTION_CREATE, p, &res)) < 0)
		goto out;
	/* The reason is internal (staff read it in the licence history): the log carries only
	 * its reference and salted hash. */
	json_t *reason_ref;
	if ((rc = rec_log_text(r, "licence_action.reason", store_get(res, 0, "id"), false,
	                       la->reason && *la->reason ? la->reason : NULL, &reason_ref)) < 0 ||
	    (rc = rec_event(r, "licence.action", arena_printf(r->a, "establishment/%s", id),
	                    json_pack("{s:s, s:s?, s:o, s:s?}", "action", la->action,
	                              "effective_on", la->effective_on, "reason", reason_ref,
	                              "reason_category", la->reason_category))) < 0 ||
	    (rc = rec_commit(r)) < 0)
		goto out;
	*ret_json = store_get(res, 0, "json");
out:
	/* Only a store error is left here with -EINVAL: the checks above returned. */
	if (rc == -EINVAL && constraint_is(r, "licence_action_establishment_id_fkey"))
		rc = rec_refuse(r, 404, NULL, "records.establishment.not_found", "id", id, NULL);
	/* Without "effective_on" the licence takes effect today, known only to the database. */
	else if (rc == -EINVAL && constraint_is(r, "licence_action_check"))
		rc = rec_refuse(r, 422, "/expires_on", "records.licence.expires_before_current",
		                "expires", la->expires_on, NULL);
	return rc;
}

int rec_licence_action_list(struct rec *r, const char *id, const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { id };
	int rc = rec_exec(r, STMT_LICENCE_ACTION_LIST, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.establishment.not_found", "id", id, NULL);
	*ret_json = store_get(res, 0, "json");
	return 0;
}
