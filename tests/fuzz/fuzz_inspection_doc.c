/*
 * fuzz_inspection_doc.c - libFuzzer harness for the inspection body decoder of
 * POST/PATCH /api/v1/inspections and amendments: inspection_doc_read() (with and without the
 * establishment, as a submission or an amendment) and inspection_doc_check() against every
 * built-in scheme, checklist and readings included.
 * Input: one byte of options (bit 0: with establishment, bit 1: amendment), then the body.
 *
 * Checked: every refusal names the field and says why; an accepted document has at most
 * GRADE_MAX_VIOLATIONS violations, and once checked each has points inside its catalogue
 * entry's range; an accepted appeal code is well formed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/inspection_doc.h"
#include "core/arena.h"
#include "core/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void refused(const struct json_error *err)
{
	if (!err->field[0] || !err->detail[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	bool with_establishment = data[0] & 1, amendment = data[0] & 2;
	struct arena *a = arena_new();
	json_t *body;
	struct json_error err;
	memset(&err, 0, sizeof(err));
	if (json_decode(a, (const char *)data + 1, size - 1, &body, &err) < 0) {
		arena_destroy(a);
		return 0;
	}
	struct inspection_doc *d = arena_alloc(a, sizeof(*d));
	memset(&err, 0, sizeof(err));
	if (inspection_doc_read(body, with_establishment, amendment, d, &err) < 0) {
		refused(&err);
		arena_destroy(a);
		return 0;
	}
	if (d->nviol > GRADE_MAX_VIOLATIONS)
		abort();
	if (d->has_appeal_code && !appeal_code_strong(d->appeal_code, RANDOM_CODE_ALPHABET))
		abort();
	static const char *const schemes[] = { "nyc", "fhrs", "cn-faces", "sf100" };
	for (size_t k = 0; k < sizeof(schemes) / sizeof(schemes[0]); k++) {
		const struct grade_scheme *s = grade_scheme_builtin(schemes[k]);
		if (!s)
			abort();
		struct inspection_doc *c = arena_alloc(a, sizeof(*c));
		memcpy(c, d, sizeof(*c));
		memset(&err, 0, sizeof(err));
		if (inspection_doc_check(s, c, &err) < 0) {
			refused(&err);
			continue;
		}
		for (size_t i = 0; i < c->nviol; i++) {
			const struct grade_violation_def *def =
			        grade_violation_lookup(s, c->viol[i].code);
			if (!def || c->viol[i].points < def->min_points ||
			    c->viol[i].points > def->max_points)
				abort();
		}
	}
	arena_destroy(a);
	return 0;
}
