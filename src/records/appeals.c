/*
 * appeals.c - due process for an inspection result: the operator files (and may withdraw)
 * an appeal with the licence number and the appeal code printed on the inspection report;
 * hearing officers take it under review, schedule and adjourn a hearing, and decide it with
 * written, public reasons; anyone may read an appeal's public record.
 *
 * The lifecycle is the domain's (src/domain/appeal.c): every move is checked there first.
 * What a decision does to the posted grade is the domain's too (appeal_posted_grade): a
 * modified decision is a new revision of the inspection with the named violations dismissed
 * (rec_inspection_dismiss, records/inspections.c); an overturned one leaves the inspection
 * on the record but makes the posted grade fall back to the latest other inspection that set
 * one. Each step is one transaction with its event in the public log.
 */
#include "records/appeals.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/util.h"
#include "domain/grade.h"
#include "records/schemes.h"
#include "records/log.h"

/* The one row of a statement that returns a JSON document as "json"; when there is none, the
 * refusal is message @missing, of @id. */
static int json_of(struct rec *r, enum store_stmt stmt, const char *const p[], const char *missing,
                   const char *id, const char **ret)
{
	struct store_result *res;
	int rc = rec_exec(r, stmt, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, missing, "id", id, NULL);
	*ret = store_get(res, 0, "json");
	return 0;
}

/* What the operator sees of their inspection, its appeal, reply and re-rating request. */
static int operator_view(struct rec *r, const struct rec_operator *op, const char **ret)
{
	int days;
	const char *window = appeal_filing_window(op->scheme, &days) == 0 ? rec_num(r, days) : NULL;
	const char *p[] = { op->inspection_id, window, op->filing_code ? "t" : "f",
		            op->replaced_code ? "t" : "f",
		            rec_num(r, op->scheme->rules.rerating_standstill_days) };
	int rc = json_of(r, STMT_OPERATOR_STATUS_JSON, p, "records.inspection.disappeared",
	                 op->inspection_id, ret);
	if (rc == 0)
		*ret = rec_localize_json(r, *ret);
	return rc;
}

int rec_operator_report(struct rec *r, const struct rec_operator *op, const char **ret)
{
	int rc = rec_operator_may(r, op, POLICY_OPERATOR_READ);
	if (rc < 0)
		return rc;
	return operator_view(r, op, ret);
}

/* The window of @op's scheme in *@ret_days, or the refusal of a filing outside it. */
static int filing_window(struct rec *r, const struct rec_operator *op, int *ret_days)
{
	const struct grade_scheme *s = op->scheme;
	int days;
	if (appeal_filing_window(s, &days) < 0)
		return rec_refuse(r, 422, NULL, "records.appeal.not_appealable", "scheme", s->name,
		                  NULL);
	if (appeal_filing_check(s, op->seconds_since_notice) == -ETIMEDOUT) {
		time_t deadline = time(NULL) - op->seconds_since_notice + (time_t)days * 86400;
		struct tm tm;
		char when[64];
		gmtime_r(&deadline, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
		return rec_refuse(r, 422, NULL, "records.appeal.window_closed", "closed", when,
		                  "scheme", s->name, "days", I18N_INT(days), NULL);
	}
	*ret_days = days;
	return 0;
}

int rec_appeal_file(struct rec *r, const struct rec_operator *op, const struct rec_appeal_filing *f,
                    const char **ret_id, const char **ret)
{
	struct arena *a = r->a;
	struct store_result *res;
	int days = 0, rc;
	if ((rc = rec_operator_may(r, op, POLICY_APPEAL_FILE)) < 0 ||
	    (rc = filing_window(r, op, &days)) < 0)
		return rc;
	struct buf ids = BUF_INIT;
	buf_addch(&ids, '{');
	for (size_t i = 0; i < f->ncontested; i++)
		buf_addf(&ids, "%s%lld", i ? "," : "", (long long)f->contested[i]);
	buf_addch(&ids, '}');
	const char *contested = arena_strdup(a, ids.data);
	buf_release(&ids);
	const char *pc[] = { op->inspection_id,
		             op->establishment_id,
		             f->grounds,
		             contested,
		             days > 0 ? rec_num(r, days) : NULL,
		             rec_num(r, APPEAL_DECISION_DAYS),
		             op->code_hash };
	if ((rc = rec_begin(r)) < 0 || (rc = rec_exec(r, STMT_APPEAL_CREATE, pc, &res)) < 0)
		goto out;
	if (store_nrows(res) == 0) {
		rc = rec_refuse(r, 422, "/contested_violations",
		                "records.appeal.contested_not_cited", NULL);
		goto out;
	}
	const char *id = store_get(res, 0, "id");
	if ((rc = rec_event(r, "appeal.filed", arena_printf(a, "appeal/%s", id),
	                    json_pack("{s:s, s:s, s:s?, s:s, s:i}", "inspection", op->inspection_id,
	                              "establishment", op->establishment_id, "filing_deadline",
	                              store_get(res, 0, "filing_deadline"), "decision_due",
	                              store_get(res, 0, "decision_due"), "contested_violations",
	                              (int)f->ncontested))) < 0 ||
	    (rc = rec_commit(r)) < 0)
		goto out;
	*ret_id = id;
	rc = operator_view(r, op, ret);
out:
	if (rc == -EEXIST)
		rec_refuse(r, 409, NULL, "records.appeal.already_filed", NULL);
	return rc;
}

/*
 * Lock appeal @id (or, when @id is NULL, the appeal of root inspection @root) and check that
 * @ev may happen to it, and that r->staff (if any) may take the step. 0 with the lock's row
 * in *@ret and the new state in *@ret_to, or a refusal.
 */
static int lock_for(struct rec *r, const char *id, const char *root, enum appeal_event ev,
                    struct store_result **ret, enum appeal_state *ret_to)
{
	const char *p[] = { id, root };
	int rc = rec_exec(r, STMT_APPEAL_LOCK, p, ret);
	if (rc < 0)
		return rc;
	if (store_nrows(*ret) == 0)
		return id ? rec_refuse(r, 404, NULL, "records.appeal.not_found", "id", id, NULL)
		          : rec_refuse(r, 404, NULL, "records.appeal.none_against_inspection",
		                       NULL);
	/* Staff steps: whoever took part in the inspection takes none of them. */
	static const enum policy_action steps[APPEAL_EVENT__COUNT] = {
		[APPEAL_EV_WITHDRAW] = POLICY_APPEAL_WITHDRAW,
		[APPEAL_EV_REJECT_LATE] = POLICY_APPEAL_REJECT_LATE,
		[APPEAL_EV_ACCEPT] = POLICY_APPEAL_ACCEPT,
		[APPEAL_EV_SCHEDULE] = POLICY_APPEAL_SCHEDULE,
		[APPEAL_EV_ADJOURN] = POLICY_APPEAL_ADJOURN,
		[APPEAL_EV_UPHOLD] = POLICY_APPEAL_DECIDE,
		[APPEAL_EV_MODIFY] = POLICY_APPEAL_DECIDE,
		[APPEAL_EV_OVERTURN] = POLICY_APPEAL_DECIDE,
	};
	if (r->staff &&
	    (rc = rec_duty_check(r, store_get(*ret, 0, "inspection_id"), steps[ev])) < 0)
		return rc;
	enum appeal_state from;
	const char *state = store_get(*ret, 0, "state");
	if (appeal_state_parse(state, &from) < 0)
		return rec_refuse(r, 500, NULL, "records.appeal.state_unknown", NULL);
	if (appeal_next(from, ev, ret_to) < 0)
		return rec_refuse(r, 409, NULL, "records.appeal.state_forbids", "id",
		                  store_get(*ret, 0, "id"), "state", appeal_state_name(from),
		                  "event", appeal_event_name(ev), NULL);
	if (!appeal_event_fits_filing(ev, store_get_bool(*ret, 0, "filed_late")))
		return store_get(*ret, 0, "filing_deadline")
		               ? rec_refuse(r, 409, "/action", "records.appeal.not_late", "id",
		                            store_get(*ret, 0, "id"), "closed",
		                            store_get(*ret, 0, "filing_deadline"), NULL)
		               : rec_refuse(r, 409, "/action", "records.appeal.not_late_at_hearing",
		                            "id", store_get(*ret, 0, "id"), NULL);
	return 0;
}

/* Move the locked appeal @l to @to with its log event @kind, inside the transaction. */
static int move(struct rec *r, const struct store_result *l, enum appeal_state to,
                const char *hearing_at, bool adjourn, const char *note, const char *kind)
{
	struct arena *a = r->a;
	struct store_result *res;
	const char *id = store_get(l, 0, "id");
	const char *p[] = { id, appeal_state_name(to), hearing_at, adjourn ? "t" : "f", note };
	int rc = rec_exec(r, STMT_APPEAL_SET_STATE, p, &res);
	if (rc < 0)
		return rc;
	json_t *ev = json_pack("{s:s, s:s, s:s}", "inspection", store_get(l, 0, "inspection_id"),
	                       "establishment", store_get(l, 0, "establishment_id"), "state",
	                       appeal_state_name(to));
	const char *at = store_get(res, 0, "hearing_at");
	if (at)
		json_object_set_new(ev, "hearing_at", json_string(at));
	if (adjourn)
		json_object_set_new(ev, "adjournments",
		                    json_integer(store_get_int(res, 0, "adjournments")));
	/* The note stays out of the log (rec_log_text): a late appeal's note is its public
	 * closing note; a review note and an adjournment's reason are internal. */
	json_t *ref = NULL;
	bool closing = streq(kind, "appeal.rejected_late");
	if (note &&
	    (rc = rec_log_text(r,
	                       closing                           ? "appeal.closing_note"
	                       : streq(kind, "appeal.adjourned") ? "appeal.adjournment_reason"
	                                                         : "appeal.review_note",
	                       id, closing, note, &ref)) < 0) {
		json_decref(ev);
		return rc;
	}
	if (ref)
		json_object_set_new(ev, "note", ref);
	return rec_event(r, kind, arena_printf(a, "appeal/%s", id), ev);
}

int rec_appeal_withdraw(struct rec *r, const struct rec_operator *op, const char **ret)
{
	struct store_result *l;
	enum appeal_state to;
	int rc;
	if (op->appeal == POLICY_APPEAL_NONE)
		return rec_refuse(r, 404, NULL, "records.appeal.none_against_inspection", NULL);
	if ((rc = rec_operator_may(r, op, POLICY_APPEAL_WITHDRAW)) < 0 || (rc = rec_begin(r)) < 0 ||
	    (rc = lock_for(r, NULL, op->inspection_id, APPEAL_EV_WITHDRAW, &l, &to)) < 0 ||
	    (rc = move(r, l, to, NULL, false, NULL, "appeal.withdrawn")) < 0 ||
	    (rc = rec_commit(r)) < 0)
		return rc;
	return operator_view(r, op, ret);
}

int rec_appeal_public(struct rec *r, const char *id, const char **ret)
{
	const char *p[] = { id };
	return json_of(r, STMT_APPEAL_PUBLIC_JSON, p, "records.appeal.not_found", id, ret);
}

/* The appeal as staff see it; message @missing when there is none. */
static int staff_view(struct rec *r, const char *id, const char *missing, const char **ret)
{
	const char *p[] = { id };
	return json_of(r, STMT_APPEAL_STAFF_JSON, p, missing, id, ret);
}

int rec_appeal_staff(struct rec *r, const char *id, const char **ret)
{
	struct store_result *res;
	const char *p[] = { id };
	int rc = rec_exec(r, STMT_APPEAL_INSPECTION, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.appeal.not_found", "id", id, NULL);
	/* A party to the inspection reads the appeal as the public does. */
	if ((rc = rec_duty_check(r, store_get(res, 0, "inspection_id"),
	                         POLICY_APPEAL_READ_INTERNAL)) < 0)
		return rc;
	return staff_view(r, id, "records.appeal.not_found", ret);
}

int rec_appeal_queue(struct rec *r, bool overdue, const char **ret)
{
	const char *p[] = { overdue ? "t" : "f" };
	return json_of(r, STMT_APPEAL_QUEUE_JSON, p, "records.store.failed", "", ret);
}

int rec_appeal_review(struct rec *r, const char *id, enum appeal_event ev, const char *note,
                      const char **ret)
{
	struct store_result *l;
	enum appeal_state to;
	int rc;
	if ((rc = rec_begin(r)) < 0 || (rc = lock_for(r, id, NULL, ev, &l, &to)) < 0 ||
	    (rc = move(r, l, to, NULL, false, note,
	               ev == APPEAL_EV_ACCEPT ? "appeal.under_review" : "appeal.rejected_late")) <
	            0 ||
	    (rc = rec_commit(r)) < 0)
		return rc;
	return staff_view(r, id, "records.appeal.disappeared", ret);
}

int rec_appeal_hearing(struct rec *r, const char *id, bool adjourn, const char *hearing_at,
                       const char *reason, const char **ret)
{
	enum appeal_event ev = adjourn ? APPEAL_EV_ADJOURN : APPEAL_EV_SCHEDULE;
	struct store_result *l;
	enum appeal_state to;
	int rc;
	if ((rc = rec_begin(r)) < 0 || (rc = lock_for(r, id, NULL, ev, &l, &to)) < 0 ||
	    (rc = move(r, l, to, hearing_at, adjourn, reason,
	               adjourn ? "appeal.adjourned" : "appeal.hearing_scheduled")) < 0 ||
	    (rc = rec_commit(r)) < 0)
		return rc;
	return staff_view(r, id, "records.appeal.disappeared", ret);
}

/*
 * Overturned: when the posted grade of establishment @est rests on the inspection chain
 * rooted at @root, it falls back to the latest other inspection that set one, else to
 * scheme @s's not-yet-graded label; logged as a grade issued for appeal @appeal.
 */
static int fall_back(struct rec *r, const struct grade_scheme *s, const char *est, const char *root,
                     const char *appeal)
{
	struct arena *a = r->a;
	struct store_result *g, *f;
	const char *p[] = { est, root };
	int rc = rec_exec(r, STMT_POSTED_GRADE_LOCK, p, &g);
	if (rc < 0 || store_nrows(g) == 0 || !store_get_bool(g, 0, "on_chain"))
		return rc;
	if ((rc = rec_exec(r, STMT_GRADE_FALLBACK, p, &f)) < 0)
		return rc;
	struct grade_posted none;
	grade_posted_of(s, NULL, false, &none);
	const char *pg[] = { est, none.state, none.code, none.label, NULL, NULL };
	if (store_nrows(f) == 1) {
		pg[1] = store_get(f, 0, "state");
		pg[2] = store_get(f, 0, "grade_code");
		pg[3] = store_get(f, 0, "grade_label");
		pg[4] = store_get(f, 0, "score");
		pg[5] = store_get(f, 0, "inspection_id");
	}
	if ((rc = rec_exec(r, STMT_POSTED_GRADE_SET, pg, NULL)) < 0)
		return rc;
	json_t *ev = json_pack("{s:s, s:s, s:s, s:s, s:s}", "state", pg[1], "code", pg[2], "label",
	                       pg[3], "reason", "appeal overturned", "appeal", appeal);
	json_object_set_new(ev, "score", pg[4] ? json_integer(atoll(pg[4])) : json_null());
	json_object_set_new(ev, "inspection", pg[5] ? json_string(pg[5]) : json_null());
	return rec_event(r, "grade.issued", arena_printf(a, "establishment/%s", est), ev);
}

/*
 * What decision @to of appeal @id (locked: @l) does to the posted grade: *@ret_revision is
 * the revision a modified decision made, else NULL.
 */
static int posted_grade(struct rec *r, const char *id, const struct store_result *l,
                        enum appeal_state to, const struct rec_appeal_decision *d,
                        const char **ret_revision)
{
	const char *root = store_get(l, 0, "inspection_id");
	const char *est = store_get(l, 0, "establishment_id");
	enum appeal_posted_grade posted;
	int rc;
	*ret_revision = NULL;
	if (appeal_posted_grade(to, &posted) < 0)
		return rec_refuse(r, 500, NULL, "records.appeal.not_decided", "id", id, NULL);
	switch (posted) {
	case APPEAL_POSTED_STANDS: return 0;
	case APPEAL_POSTED_REISSUED: {
		size_t n = d->ndismissed;
		return rec_inspection_dismiss(
		        r, store_get(l, 0, "head"),
		        arena_printf(r->a, "Modified on appeal %s: %zu violation%s dismissed", id,
		                     n, n == 1 ? "" : "s"),
		        n, d->dismissed, ret_revision);
	}
	case APPEAL_POSTED_FALLS_BACK: {
		const struct grade_scheme *s;
		if ((rc = rec_scheme_of_inspection(r, root, &s)) < 0 ||
		    (rc = fall_back(r, s, est, root, id)) < 0)
			return rc;
		return rec_event(r, "inspection.overturned",
		                 arena_printf(r->a, "inspection/%s", root),
		                 json_pack("{s:s, s:s}", "appeal", id, "establishment", est));
	}
	}
	return rec_refuse(r, 500, NULL, "records.appeal.not_decided", "id", id, NULL);
}

int rec_appeal_decide(struct rec *r, const char *id, const struct rec_appeal_decision *d,
                      const char **ret)
{
	struct arena *a = r->a;
	struct store_result *l;
	enum appeal_state to;
	const char *revision;
	int rc;
	if (!r->staff)
		return rec_refuse(r, 403, NULL, "records.appeal.officer_decides", NULL);
	if ((rc = rec_begin(r)) < 0 || (rc = lock_for(r, id, NULL, d->ev, &l, &to)) < 0 ||
	    (rc = posted_grade(r, id, l, to, d, &revision)) < 0)
		return rc;
	const char *pd[] = { id, appeal_state_name(to), rec_num(r, r->staff->id), d->reasons,
		             revision };
	if ((rc = rec_exec(r, STMT_APPEAL_DECIDE, pd, NULL)) < 0)
		return rc;
	/* The written reasons are published on the appeal's record; the log carries only their
	 * reference and salted hash. */
	json_t *reasons_ref;
	if ((rc = rec_log_text(r, "appeal.decision_reasons", id, true, d->reasons, &reasons_ref)) <
	    0)
		return rc;
	json_t *dismissed = json_array();
	for (size_t i = 0; i < d->ndismissed; i++)
		json_array_append_new(dismissed, json_integer(d->dismissed[i].violation_id));
	json_t *evp = json_pack(
	        "{s:s, s:s, s:s, s:o, s:o}", "inspection", store_get(l, 0, "inspection_id"),
	        "establishment", store_get(l, 0, "establishment_id"), "outcome",
	        appeal_state_name(to), "reasons", reasons_ref, "dismissed_violations", dismissed);
	json_object_set_new(evp, "revision", revision ? json_string(revision) : json_null());
	if ((rc = rec_event(r, "appeal.decided", arena_printf(a, "appeal/%s", id), evp)) < 0 ||
	    (rc = rec_commit(r)) < 0)
		return rc;
	return staff_view(r, id, "records.appeal.disappeared", ret);
}

/* ---- the operator's attachments */

int rec_appeal_attach(struct rec *r, const struct rec_operator *op, const struct rec_attachment *f,
                      const char **ret_id, const char **ret)
{
	struct arena *a = r->a;
	struct store_result *l, *res;
	int rc;
	if ((rc = rec_operator_may(r, op, POLICY_APPEAL_ATTACH)) < 0)
		return rc;
	const char *type = appeal_attachment_type(f->data, f->len);
	if (!type)
		return rec_refuse(r, 422, "/data", "records.attachment.wrong_type", "filename",
		                  f->filename, NULL);
	const char *pl[] = { op->inspection_id };
	if ((rc = rec_begin(r)) < 0 ||
	    (rc = rec_exec(r, STMT_APPEAL_ATTACHMENT_TOTALS, pl, &l)) < 0)
		return rc;
	if (store_nrows(l) == 0)
		return rec_refuse(r, 404, NULL, "records.appeal.none_against_inspection", NULL);
	/* The rule again with the state read under the lock: a withdrawal or a decision made
	 * since the code was checked closes the appeal to further evidence. */
	struct rec_operator locked = *op;
	locked.appeal = policy_appeal_of(store_get(l, 0, "state"));
	if ((rc = rec_operator_may(r, &locked, POLICY_APPEAL_ATTACH)) < 0)
		return rc;
	long count = (long)store_get_int(l, 0, "count");
	long long total = store_get_int(l, 0, "total");
	switch (appeal_attachment_check(count, total, f->len)) {
	case 0: break;
	case -EFBIG:
		return rec_refuse(r, 413, "/data", "records.attachment.too_large", "filename",
		                  f->filename, "max", I18N_INT(APPEAL_ATTACHMENT_MAX_BYTES), NULL);
	case -EMLINK:
		return rec_refuse(r, 422, "/data", "records.attachment.too_many", "max",
		                  I18N_INT(APPEAL_ATTACHMENT_MAX_COUNT), NULL);
	case -ENOSPC:
		return rec_refuse(r, 413, "/data", "records.attachment.total_too_large", "filename",
		                  f->filename, "max", I18N_INT(APPEAL_ATTACHMENT_MAX_TOTAL), "used",
		                  I18N_INT(total), NULL);
	default: return rec_refuse(r, 422, "/data", "records.attachment.empty", NULL);
	}
	char hash[SHA256_HEX_LEN + 1];
	sha256_hex(f->data, f->len, hash);
	char *hex = arena_alloc(a, f->len * 2 + 1);
	sodium_bin2hex(hex, f->len * 2 + 1, f->data, f->len);
	const char *appeal = store_get(l, 0, "id");
	const char *pi[] = { appeal, f->filename, type, hex, hash };
	if ((rc = rec_exec(r, STMT_APPEAL_ATTACHMENT_INSERT, pi, &res)) < 0)
		return rc;
	const char *id = store_get(res, 0, "id");
	/* The log says that evidence was attached, its size and hash: not its name or bytes. */
	if ((rc = rec_event(r, "appeal.attachment_added", arena_printf(a, "appeal/%s", appeal),
	                    json_pack("{s:s, s:s, s:s, s:I}", "attachment", id, "sha256", hash,
	                              "content_type", type, "bytes", (json_int_t)f->len))) < 0 ||
	    (rc = rec_commit(r)) < 0)
		return rc;
	*ret_id = id;
	return operator_view(r, op, ret);
}

/* Attachment @id of appeal @appeal or of the appeal against root inspection @root. */
static int attachment_get(struct rec *r, const char *appeal, const char *root, const char *id,
                          struct rec_attachment_file *ret)
{
	struct store_result *res;
	const char *p[] = { appeal, root, id };
	int rc = rec_exec(r, STMT_APPEAL_ATTACHMENT_GET, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.attachment.not_found", "id", id, NULL);
	const char *hex = store_get(res, 0, "data_hex");
	size_t hexlen = strlen(hex), len = 0;
	unsigned char *bin = arena_alloc(r->a, hexlen / 2 + 1);
	if (sodium_hex2bin(bin, hexlen / 2 + 1, hex, hexlen, NULL, &len, NULL) != 0)
		return rec_refuse(r, 500, NULL, "records.attachment.unreadable", NULL);
	*ret = (struct rec_attachment_file){ .content_type = store_get(res, 0, "content_type"),
		                             .sha256 = store_get(res, 0, "sha256"),
		                             .filename = store_get(res, 0, "filename"),
		                             .data = bin,
		                             .len = len };
	return 0;
}

int rec_appeal_attachment_operator(struct rec *r, const struct rec_operator *op, const char *id,
                                   struct rec_attachment_file *ret)
{
	int rc = rec_operator_may(r, op, POLICY_OPERATOR_READ);
	if (rc < 0)
		return rc;
	return attachment_get(r, NULL, op->inspection_id, id, ret);
}

int rec_appeal_attachment_staff(struct rec *r, const char *appeal, const char *id,
                                struct rec_attachment_file *ret)
{
	struct store_result *res;
	const char *p[] = { appeal };
	int rc = rec_exec(r, STMT_APPEAL_INSPECTION, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.appeal.not_found", "id", appeal, NULL);
	/* Evidence is part of the officers' view: never a party's to the inspection. */
	if ((rc = rec_duty_check(r, store_get(res, 0, "inspection_id"),
	                         POLICY_APPEAL_READ_INTERNAL)) < 0)
		return rc;
	return attachment_get(r, appeal, NULL, id, ret);
}

/* ---- the hearing officers' lists */

/* The rows of @res (columns json, involved, state) that r->staff may read, as
 * {"appeals": [...]}. */
static const char *readable_list(struct rec *r, struct store_result *res)
{
	int cj = store_column(res, "json"), ci = store_column(res, "involved"),
	    cs = store_column(res, "state");
	struct buf b = BUF_INIT;
	bool first = true;
	buf_addstr(&b, "{\"appeals\":[");
	for (int i = 0; i < store_nrows(res); i++) {
		const char *inv = store_value(res, i, ci);
		if (!rec_duty_allows(r, inv && streq(inv, "t"), store_value(res, i, cs),
		                     POLICY_APPEAL_READ_INTERNAL))
			continue;
		if (!first)
			buf_addch(&b, ',');
		buf_addstr(&b, store_value(res, i, cj));
		first = false;
	}
	buf_addstr(&b, "]}");
	const char *out = arena_strdup(r->a, b.data);
	buf_release(&b);
	return out;
}

int rec_appeal_calendar(struct rec *r, const char *from, const char *to, const char **ret)
{
	struct store_result *res;
	if (!r->staff)
		return rec_refuse(r, 403, NULL, "records.appeal.officers_read", NULL);
	const char *p[] = { rec_num(r, r->staff->id), from, to };
	int rc = rec_exec(r, STMT_APPEAL_CALENDAR, p, &res);
	if (rc < 0)
		return rc;
	*ret = readable_list(r, res);
	return 0;
}

int rec_appeal_decided(struct rec *r, const struct rec_decided_query *q, const char **ret)
{
	struct store_result *res;
	if (!r->staff)
		return rec_refuse(r, 403, NULL, "records.appeal.officers_read", NULL);
	const char *p[] = { rec_num(r, r->staff->id), q->establishment, q->from, q->to, q->outcome,
		            rec_num(r, q->limit) };
	int rc = rec_exec(r, STMT_APPEAL_DECIDED_SEARCH, p, &res);
	if (rc < 0)
		return rc;
	*ret = readable_list(r, res);
	return 0;
}
