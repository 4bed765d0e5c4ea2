/*
 * democity.c - demo establishments and inspection histories. See democity.h.
 */
#include "domain/democity.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

void demo_rng_seed(struct demo_rng *r, uint64_t seed)
{
	r->state = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

/* splitmix64: small, fast, and good enough for made-up restaurants. */
uint64_t demo_rng_next(struct demo_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t demo_rng_below(struct demo_rng *r, uint32_t n)
{
	return (uint32_t)(demo_rng_next(r) % n);
}

#define PICK(r, list) (list)[demo_rng_below((r), ARRAY_SIZE(list))]

static const struct demo_city cities[] = {
	{ "nyc", "New York City", "nyc", "New York", 40.7306, -73.9866, "1", 4, "" },
	{ "uk-demo", "Demo Borough Council", "fhrs", "London", 51.5072, -0.1276, "SE", 1, " 1AA" },
	{ "cn-demo", "Demo District Market Supervision Bureau", "cn-faces", "Shanghai", 31.2304,
	  121.4737, "200", 3, "" },
	{ "sf-demo", "Demo County Public Health", "sf100", "San Francisco", 37.7749, -122.4194,
	  "941", 2, "" },
};

size_t demo_city_count(void)
{
	return ARRAY_SIZE(cities);
}

const struct demo_city *demo_city_at(size_t i)
{
	return i < ARRAY_SIZE(cities) ? &cities[i] : NULL;
}

static const char *const name_first[] = {
	"Golden",  "Lucky",   "Blue",    "Royal",   "Little",  "Green",   "Happy",   "Old Town",
	"Red",     "Corner",  "Sunny",   "Silver",  "Jade",    "Harbor",  "Village", "Garden",
	"Mario's", "Joe's",   "Ling's",  "Rosa's",  "Ahmed's", "Kim's",   "Nonna's", "Raj's",
	"Sakura",  "Olive",   "Lotus",   "Cedar",   "Maple",   "Saffron", "Pepper",  "Basil",
	"Amber",   "Crystal", "Emerald", "Phoenix", "Dragon",  "Tiger",   "Panda",   "Falcon",
	"Union",   "Central", "Park",    "Market",  "Bridge",  "River",   "Hill",    "Station",
};
static const char *const name_second[] = {
	"Kitchen",   "Bistro",      "Deli",       "Pizza",      "Noodle House", "Cafe",
	"Grill",     "Bakery",      "Taqueria",   "Sushi",      "Diner",        "Tavern",
	"Dumplings", "Curry House", "Burger Bar", "Steakhouse", "Bagels",       "Ramen",
	"Trattoria", "Brasserie",   "Juice Bar",  "Canteen",    "Chippy",       "Tea Room",
	"Hot Pot",   "Barbecue",    "Creperie",   "Pho",        "Kebab",        "Falafel",
};
static const char *const streets[] = {
	"Main St",    "Broadway",   "High St",     "Market St",   "Church Rd", "Station Rd",
	"Canal St",   "Mission St", "Park Ave",    "Elm St",      "King St",   "Queen St",
	"Nanjing Rd", "Huaihai Rd", "Valencia St", "Bedford Ave", "Mill Ln",   "Bridge St",
};
static const char *const cuisines[] = {
	"American",  "Chinese", "Italian", "Mexican", "Japanese", "Indian",     "Thai",
	"French",    "Korean",  "Café",    "Bakery",  "Pizza",    "Vietnamese", "Middle Eastern",
	"Caribbean", "Greek",   "Spanish", "British", "Seafood",  "Vegetarian",
};
static const char *const types[] = { "restaurant", "restaurant", "restaurant", "takeaway",
	                             "cafe",       "bakery",     "market",     "mobile" };

static const char *const syllables[] = {
	"ka",   "ri", "mo",  "lan", "te",  "sa",  "bel", "do", "ni",  "ro",
	"chen", "li", "wa",  "mar", "to",  "vi",  "ga",  "su", "per", "an",
	"zo",   "hu", "ner", "fa",  "qui", "del", "ya",  "bo", "gan", "mi",
	"tor",  "el", "shi", "ra",  "ko",  "len", "di",  "pa", "von", "es",
};

/* Two or three syllables, capitalised: "Kamori", "Belsu". */
static void proper_name(struct demo_rng *r, char *out, size_t size)
{
	int n = 2 + (int)demo_rng_below(r, 2);
	size_t off = 0;
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		int w = snprintf(out + off, size - off, "%s", PICK(r, syllables));
		if (w < 0 || (size_t)w >= size - off)
			break;
		off += (size_t)w;
	}
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

void demo_establishment(struct demo_rng *r, const struct demo_city *city, long long n,
                        struct demo_establishment *ret)
{
	memset(ret, 0, sizeof(*ret));
	snprintf(ret->licence, sizeof(ret->licence), "%s-%07lld", city->jurisdiction, n);
	if (demo_rng_below(r, 2) == 0) {
		snprintf(ret->name, sizeof(ret->name), "%s %s", PICK(r, name_first),
		         PICK(r, name_second));
	} else {
		/* A family or place name made of syllables: tens of thousands of distinct words,
		 * as real name lists have, so that search is measured on a realistic dictionary. */
		char proper[32];
		proper_name(r, proper, sizeof(proper));
		snprintf(ret->name, sizeof(ret->name), "%s%s %s", proper,
		         demo_rng_below(r, 3) == 0 ? "'s" : "", PICK(r, name_second));
	}
	snprintf(ret->address, sizeof(ret->address), "%u %s", 1 + demo_rng_below(r, 2400),
	         PICK(r, streets));
	snprintf(ret->postcode, sizeof(ret->postcode), "%s%0*d%s", city->postcode_prefix,
	         city->postcode_digits, 1 + (int)demo_rng_below(r, 98), city->postcode_suffix);
	/* About 10 km across, denser in the middle. */
	double dx = ((double)demo_rng_below(r, 20001) - 10000) / 10000.0;
	double dy = ((double)demo_rng_below(r, 20001) - 10000) / 10000.0;
	ret->latitude = city->latitude + dx * dx * dx * 0.05 + dx * 0.02;
	ret->longitude = city->longitude + dy * dy * dy * 0.07 + dy * 0.03;
	ret->cuisine = PICK(r, cuisines);
	ret->type = PICK(r, types);
	ret->risk = "ABBCCCD"[demo_rng_below(r, 7)];
}

/* Cite a few catalogue items: most inspections find little, some find a lot. @severity is
 * clamped to 0..3. */
static void cite(struct demo_rng *r, const struct grade_scheme *s, int severity,
                 struct demo_inspection *in)
{
	if (severity < 0)
		severity = 0;
	if (severity > 3)
		severity = 3;
	int n = (int)demo_rng_below(r, (uint32_t)(2 + severity));
	in->n_violations = 0;
	for (int i = 0; i < n && in->n_violations < DEMO_MAX_VIOLATIONS; i++) {
		const struct grade_violation_def *d =
		        &s->violations[demo_rng_below(r, (uint32_t)s->n_violations)];
		bool seen = false;
		for (size_t j = 0; j < in->n_violations; j++)
			seen |= strcmp(in->violations[j].code, d->code) == 0;
		if (seen)
			continue;
		int span = d->max_points - d->min_points;
		int pts = d->default_points;
		/* Element contributions take only the element's allowed values: keep the default. */
		if (span > 0 && d->element < 0 && demo_rng_below(r, 4) == 0)
			pts = d->min_points + (int)demo_rng_below(r, (uint32_t)(span / 2 + 1));
		in->violations[in->n_violations++] =
		        (struct grade_violation_input){ .code = d->code, .points = pts };
	}
	if (s->kind == GRADE_KIND_ELEMENT_SCORES) {
		/* Officers award element scores; each is the worst contribution cited under
		 * its element (0 when nothing was), so that the explanation adds up. */
		in->has_elements = true;
		for (size_t e = 0; e < s->n_elements && e < GRADE_MAX_ELEMENTS; e++)
			in->elements[e] = 0;
		for (size_t i = 0; i < in->n_violations; i++) {
			const struct grade_violation_def *d = NULL;
			for (size_t j = 0; j < s->n_violations && !d; j++)
				if (strcmp(s->violations[j].code, in->violations[i].code) == 0)
					d = &s->violations[j];
			if (d && d->element >= 0 && d->element < GRADE_MAX_ELEMENTS &&
			    in->violations[i].points > in->elements[d->element])
				in->elements[d->element] = in->violations[i].points;
		}
	}
}

size_t demo_history(struct demo_rng *r, const struct grade_scheme *s, int mean,
                    struct demo_inspection ret[DEMO_MAX_INSPECTIONS])
{
	if (mean < 1)
		mean = 1;
	int want = 1 + (int)demo_rng_below(r, (uint32_t)(2 * mean - 1));
	if (want > DEMO_MAX_INSPECTIONS)
		want = DEMO_MAX_INSPECTIONS;
	/* A kitchen's habits: some are consistently careful, a few consistently not. */
	int habit = (int)demo_rng_below(r, 4);
	int span_days = 60 + 300 * want;
	int day = span_days;
	size_t n = 0;
	int last_initial = -1;
	while ((int)n < want && day > 0) {
		struct demo_inspection *in = &ret[n];
		memset(in, 0, sizeof(*in));
		in->days_ago = day;
		in->days_since_previous = GRADE_DAYS_UNKNOWN;
		bool reinspect = false;
		if (n > 0 && s->rules.initial_graded_only_in_top_band) {
			/* After an initial outside the top band, the cycle needs a re-inspection. */
			struct demo_inspection *prev = &ret[n - 1];
			struct grade_result g;
			if (prev->type == GRADE_INSPECTION_INITIAL &&
			    grade_compute(s,
			                  &(struct grade_input){
			                          .type = prev->type,
			                          .days_since_previous = GRADE_DAYS_UNKNOWN,
			                          .violations = prev->violations,
			                          .n_violations = prev->n_violations },
			                  &g, NULL) == 0 &&
			    g.reinspection_required)
				reinspect = true;
		}
		if (reinspect) {
			int wait =
			        s->rules.min_days_before_reinspection + (int)demo_rng_below(r, 24);
			in->days_ago = ret[n - 1].days_ago - wait;
			if (in->days_ago < 0)
				break;
			in->type = GRADE_INSPECTION_REINSPECTION;
			in->days_since_previous = last_initial - in->days_ago;
		} else {
			in->type = n == 0 && demo_rng_below(r, 10) == 0
			                   ? GRADE_INSPECTION_PRE_PERMIT
			           : demo_rng_below(r, 12) == 0 ? GRADE_INSPECTION_COMPLAINT
			                                        : GRADE_INSPECTION_INITIAL;
			if (in->type == GRADE_INSPECTION_INITIAL)
				last_initial = in->days_ago;
		}
		cite(r, s, habit + (reinspect ? -1 : 0) + (habit > 2 ? 2 : 0), in);
		day = in->days_ago - (90 + (int)demo_rng_below(r, 300));
		n++;
	}
	return n;
}

int demo_assignee(long long n, int ninspectors)
{
	if (ninspectors <= 0 || n < 1 || n % 5 == 0)
		return -1;
	return (int)(n % ninspectors);
}
