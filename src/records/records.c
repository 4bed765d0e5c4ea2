/*
 * records.c - what every records function shares: refusals, store errors, transactions.
 */
#include "records/records.h"

#include <errno.h>
#include <stdarg.h>

#include "core/util.h"

static int errno_of(int status)
{
	switch (status) {
	case 400:
	case 422: return -EINVAL;
	case 401:
	case 403: return -EACCES;
	case 404: return -ENOENT;
	case 409: return -EBUSY;
	case 428: return -EPERM;
	case 429: return -EAGAIN;
	case 503: return -ECONNREFUSED;
	default: return -EIO;
	}
}

int rec_refuse(struct rec *r, int status, const char *field, const char *key, ...)
{
	char detail[I18N_MESSAGE_MAX];
	va_list ap;
	va_start(ap, key);
	i18n_vformat(detail, sizeof(detail), NULL, key, ap);
	va_end(ap);
	r->problem = (struct problem){
		.status = status,
		.field = arena_strdup(r->a, field),
		.detail = arena_strdup(r->a, detail),
		.code = arena_strdup(r->a, key),
	};
	return errno_of(status);
}

int rec_refuse_json(struct rec *r, int status, const struct json_error *err)
{
	int rc = rec_refuse(r, status, err->field, "records.document.refused", "detail",
	                    err->detail, NULL);
	if (err->code)
		r->problem.code = arena_strdup(r->a, err->code);
	return rc;
}

int rec_store_error(struct rec *r, int rc)
{
	switch (rc) {
	case -ECONNREFUSED:
		rec_refuse(r, 503, NULL, "records.store.unavailable", NULL);
		r->problem.retry_after = 5;
		break;
	case -EEXIST:
		rec_refuse(r, 409, store_error_constraint(r->st), "records.store.conflict", NULL);
		break;
	case -EINVAL:
		rec_refuse(r, 422, store_error_constraint(r->st), "records.store.refused",
		           "message", store_error_message(r->st), NULL);
		break;
	case -EAGAIN:
		rec_refuse(r, 503, NULL, "records.store.busy", NULL);
		r->problem.retry_after = 1;
		break;
	default: rec_refuse(r, 500, NULL, "records.store.failed", NULL); break;
	}
	return rc;
}

int rec_begin(struct rec *r)
{
	int rc = store_begin_in(r->st, r->a);
	return rc < 0 ? rec_store_error(r, rc) : 0;
}

int rec_commit(struct rec *r)
{
	int rc = store_commit(r->st);
	return rc < 0 ? rec_store_error(r, rc) : 0;
}

int rec_exec(struct rec *r, enum store_stmt id, const char *const params[],
             struct store_result **ret)
{
	int rc = store_exec(r->st, r->a, id, params, ret);
	return rc < 0 ? rec_store_error(r, rc) : 0;
}

const char *rec_num(struct rec *r, long long v)
{
	return arena_printf(r->a, "%lld", v);
}
