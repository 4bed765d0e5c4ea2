/*
 * records.h - the records layer: what Placard does with its records, under the handlers.
 *
 * The handlers in src/api/ decode a request, call one function of this layer, and answer;
 * the commands in src/cli/ call the same functions. A records function takes a call context
 * (struct rec: the store, the arena the call's memory and transaction live in, and who
 * acts) and typed inputs, and returns 0 or a negative errno. On every failure it leaves in
 * rec->problem what the caller tells the person: a status, the field at fault and a
 * sentence. Nothing here knows HTTP, beyond using its status numbers as the names of the
 * kinds of refusal.
 *
 * Transactions belong to the call's arena (rec_begin): rolled back when the arena goes
 * unless rec_commit() ended them, so each function has one way out.
 *
 * Layer: above the store and the domain, below the handlers (src/api/) and the commands.
 */
#ifndef PLACARD_RECORDS_RECORDS_H
#define PLACARD_RECORDS_RECORDS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "domain/policy.h"
#include "json/json.h"
#include "store/store.h"

/* What a refusal tells the person (problem+json, RFC 9457). */
struct problem {
	int status;         /* 400, 403, 404, 409, 422, 428, 429, 500, 503 */
	const char *field;  /* JSON pointer or header at fault, or NULL */
	const char *detail; /* the sentence, in the thread's language (core/i18n.h) */
	const char *code;   /* the key of the sentence's message ("records.appeal.not_found"):
	                     * the same in every language, for programs; NULL for none */
	int retry_after;    /* seconds for Retry-After, 0 for none */
};

/* A signed-in staff member. */
struct rec_staff {
	int64_t id;
	const char *username;
	const char *display_name;
	enum policy_role role;
};

/* One call's context. */
struct rec {
	struct store *st;
	struct arena *a;
	const struct rec_staff *staff; /* who acts, or NULL (the public, an operator, a command) */
	const char *client;            /* the client's network, as rate limits count it, or NULL */
	struct problem problem;        /* set by every failure */
};

/*
 * Refuse: fill rec->problem and return the negative errno that names the kind of refusal
 * (-EINVAL for 400 and 422, -EACCES 401/403, -ENOENT 404, -EBUSY 409, -EPERM 428,
 * -EAGAIN 429, -ECONNREFUSED 503, -EIO otherwise). The sentence is message @key of the
 * "records" catalogue (web/i18n/<language>/records.json) in the thread's language, made with
 * the name/value pairs that follow, ended by NULL (numbers as text: I18N_INT(v)); the key
 * becomes the problem's code:
 *
 *	rec_refuse(r, 404, NULL, "records.appeal.not_found", "id", id, NULL);
 */
int rec_refuse(struct rec *r, int status, const char *field, const char *key, ...)
        __attribute__((sentinel));

/* Refuse with a decoding error @err of a document (json/json.h): its field, sentence (made in
 * the thread's language) and code. */
int rec_refuse_json(struct rec *r, int status, const struct json_error *err);

/*
 * A store error @rc as a refusal: 503 (Retry-After 5) when the database is unavailable, 409
 * for a conflict, 422 for data the database refused, 503 (Retry-After 1) for a serialization
 * failure, 500 otherwise. Returns @rc.
 */
int rec_store_error(struct rec *r, int rc);

/* Begin the call's transaction (tied to r->a) / commit it. 0 or a refusal from the store. */
int rec_begin(struct rec *r);
int rec_commit(struct rec *r);

/* Run statement @id (see store_exec); a store error becomes the refusal. */
int rec_exec(struct rec *r, enum store_stmt id, const char *const params[],
             struct store_result **ret);

/* Decimal text of @v in the call's arena, for statement parameters. */
const char *rec_num(struct rec *r, long long v);

#endif
