/*
 * fuzz_scheme_doc.c - libFuzzer harness for the scoring scheme document decoder
 * (scheme_doc_parse(): the closed decoder and every rule of scheme_check()).
 * Input: a scheme document.
 *
 * Checked: every refusal names the field and says why; an accepted scheme passes
 * scheme_check() again, and the grading engine grades under it an inspection with nothing
 * found and one citing each catalogue item at its most points: every score an accepted
 * scheme can give reaches a band.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/scheme.h"
#include "records/scheme_doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct grade_scheme *s = NULL;
	struct json_error err;
	memset(&err, 0, sizeof(err));
	if (scheme_doc_parse(a, (const char *)data, size, &s, &err) < 0) {
		/* The field may be "" (the document itself), never the reason. */
		if (!err.detail[0])
			abort();
		arena_destroy(a);
		return 0;
	}
	if (!s || scheme_check(s, NULL) != 0)
		abort();
	struct grade_input in = { .type = GRADE_INSPECTION_COMPLAINT,
		                  .days_since_previous = GRADE_DAYS_UNKNOWN };
	struct grade_result r;
	struct grade_error ge;
	if (grade_compute(s, &in, &r, &ge) != 0)
		abort();
	for (size_t i = 0; i < s->n_violations; i++) {
		struct grade_violation_input v = { s->violations[i].code,
			                           s->violations[i].max_points, false };
		in.violations = &v;
		in.n_violations = 1;
		int rc = grade_compute(s, &in, &r, &ge);
		/* Refused only for the points an element does not allow, never for a gap. */
		if (rc != 0 && !(rc == -EINVAL && strcmp(ge.field, "violations[].points") == 0))
			abort();
	}
	arena_destroy(a);
	return 0;
}
