/*
 * operator.c - the operator proves who they are with the licence number and the appeal code
 * printed on the inspection report. Wrong codes are counted (records/guess.c); a wrong code
 * and an unknown licence get the same refusal, so it never tells whether a licence exists.
 */
#include "records/operator.h"

#include "core/crypto.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/appeal.h"
#include "domain/grade.h"
#include "records/schemes.h"
#include "domain/ratelimit.h"
#include "records/guess.h"

int rec_operator_auth(struct rec *r, const char *licence, const char *licence_key, const char *code,
                      size_t code_len, struct rec_operator *ret)
{
	static const struct ratelimit_rule rule = APPEAL_CODE_RULE;
	struct guess g = { .rule = &rule,
		           .counts = STMT_APPEAL_CODE_FAILURE_COUNTS,
		           .add = STMT_APPEAL_CODE_FAILURE_ADD,
		           .clear = STMT_APPEAL_CODE_FAILURE_CLEAR,
		           .target = licence_key,
		           .what = "wrong appeal codes",
		           .too_many_here = "records.operator.too_many_codes",
		           .too_many_everywhere = "records.operator.too_many_codes_for_licence" };
	struct store_result *res;
	char hash[SHA256_HEX_LEN + 1];
	int rc;
	if ((rc = guess_before(r, &g)) < 0)
		goto out;
	sha256_hex(code, code_len, hash);
	const char *p[] = { licence, hash };
	if ((rc = rec_exec(r, STMT_OPERATOR_REPORT, p, &res)) < 0)
		goto out;
	if (code_len != APPEAL_CODE_LEN || store_nrows(res) == 0) {
		log_warn("operator: wrong appeal code from %s", r->client ? r->client : "-");
		if ((rc = guess_failed(r, &g)) < 0)
			goto out;
		rc = rec_refuse(r, 403, "/appeal_code", "records.operator.no_match", NULL);
		goto out;
	}
	if ((rc = guess_succeeded(r, &g)) < 0)
		goto out;
	const struct grade_scheme *s;
	if ((rc = rec_scheme_of_inspection(r, store_get(res, 0, "inspection"), &s)) < 0)
		goto out;
	enum policy_appeal appeal = policy_appeal_of(store_get(res, 0, "appeal_state"));
	int days = 0;
	if (appeal_filing_window(s, &days) < 0)
		days = 0;
	const char *closed = store_get(res, 0, "since_closed");
	if (appeal_code_expired(days, (long)store_get_int(res, 0, "code_age"),
	                        appeal == POLICY_APPEAL_OPEN,
	                        closed ? (long)store_get_int(res, 0, "since_closed") : -1)) {
		log_warn("operator: expired appeal code from %s", r->client ? r->client : "-");
		rc = rec_refuse(r, 403, "/appeal_code", "records.operator.code_expired", NULL);
		goto out;
	}
	*ret = (struct rec_operator){
		.inspection_id = store_get(res, 0, "inspection"),
		.establishment_id = store_get(res, 0, "establishment"),
		.scheme = s,
		.head_id = store_get(res, 0, "head"),
		.seconds_since_notice = (long)store_get_int(res, 0, "since_notice"),
		.code_hash = arena_strdup(r->a, hash),
		.appeal = appeal,
		.filing_code = store_get_bool(res, 0, "filing_code"),
		.replaced_code = store_get_bool(res, 0, "replaced_code"),
	};
	rc = 0;
out:
	return rc;
}
