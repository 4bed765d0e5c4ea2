/*
 * democity.h - a generator of realistic demo establishments and inspection histories, for
 * `placard demo` and the benchmarks. Deterministic for a seed: the same seed gives the same
 * city, so benchmark runs compare like with like.
 *
 * Histories follow each scheme's cycle rules (NYC: an initial inspection outside the A
 * band is followed by a re-inspection 7 to 30 days later) and are graded by the real
 * grading engine, so demo grades are what Placard itself would have issued.
 *
 * Domain layer: no I/O, no allocation.
 */
#ifndef PLACARD_DOMAIN_DEMOCITY_H
#define PLACARD_DOMAIN_DEMOCITY_H

#include <stdint.h>

#include "domain/grade.h"

#define DEMO_MAX_VIOLATIONS  6
#define DEMO_MAX_INSPECTIONS 32

struct demo_rng {
	uint64_t state;
};

void demo_rng_seed(struct demo_rng *r, uint64_t seed);
uint64_t demo_rng_next(struct demo_rng *r);
/* Uniform in [0, n). n > 0. */
uint32_t demo_rng_below(struct demo_rng *r, uint32_t n);

/* A demo city: where its establishments are and which scheme grades them. */
struct demo_city {
	const char *jurisdiction; /* jurisdiction code */
	const char *name;
	const char *scheme; /* scheme code */
	const char *city;
	double latitude, longitude;  /* centre */
	const char *postcode_prefix; /* postcode: prefix, a number of some digits, suffix */
	int postcode_digits;
	const char *postcode_suffix;
};

size_t demo_city_count(void);
const struct demo_city *demo_city_at(size_t i);

struct demo_establishment {
	char licence[32];
	char name[96];
	char address[96];
	char postcode[16];
	double latitude, longitude;
	const char *cuisine;
	const char *type;
	char risk;
};

/*
 * The demo inspector (0 to @ninspectors - 1) that establishment number @n (from 1) of a
 * demo is assigned to, or -1 for nobody: in turns, with every fifth left to nobody for the
 * supervisor's screen to give out. -1 when there is no inspector.
 */
int demo_assignee(long long n, int ninspectors);

/* Establishment number @n of @city. */
void demo_establishment(struct demo_rng *r, const struct demo_city *city, long long n,
                        struct demo_establishment *ret);

struct demo_inspection {
	enum grade_inspection_type type;
	int days_ago; /* before today */
	int days_since_previous;
	bool closed;
	bool has_elements;
	int elements[GRADE_MAX_ELEMENTS];
	struct grade_violation_input violations[DEMO_MAX_VIOLATIONS];
	size_t n_violations;
};

/*
 * Generate about @mean inspections (at least 1, at most DEMO_MAX_INSPECTIONS) over the last
 * few years for one establishment under @s, oldest first, into @ret. Returns the count.
 */
size_t demo_history(struct demo_rng *r, const struct grade_scheme *s, int mean,
                    struct demo_inspection ret[DEMO_MAX_INSPECTIONS]);

#endif
