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

/* Copy the built-in schemes and catalogues into the database (placard migrate), in one
 * transaction. 0 or a refusal. */
int rec_schemes_sync(struct rec *r);

/* Every published scheme (without bands and catalogue) as JSON text: {"schemes":[...]}. 0. */
int rec_schemes_list(struct rec *r, const char **ret_json);

/* Published scheme @code in full as JSON text. 0 or a refusal (404). */
int rec_scheme_get(struct rec *r, const char *code, const char **ret_json);

#endif
