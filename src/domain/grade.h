/*
 * grade.h - the grading engine: turns one inspection's violations (or element scores) into a
 * score, a band and the grade an establishment posts, with an explanation a member of the
 * public can read.
 *
 * Every jurisdiction's rules are DATA (struct grade_scheme), not code branches: New York City
 * letter grades, the UK Food Hygiene Rating Scheme, Chinese "faces" and a San Francisco-style
 * 100-point score are built in as const tables, so the SQL seed and the public methodology
 * page can be generated from the same source as the engine.
 *
 * Domain layer: pure rules over plain structs. Standard C only; no I/O, no allocation, no
 * global state. Every pointer this module returns points into static const data (the built-in
 * schemes and their catalogues) or into a struct the caller owns.
 *
 * Error convention: functions return 0 or a negative errno code; outputs are named ret_* and
 * are left untouched on failure. The one exception is struct grade_error, which is written
 * only on failure, to name the offending input.
 */
#ifndef PLACARD_DOMAIN_GRADE_H
#define PLACARD_DOMAIN_GRADE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* Most violations one inspection may cite; more gives -E2BIG. */
#define GRADE_MAX_VIOLATIONS 64
/* Most element scores a scheme may define (FHRS has three). */
#define GRADE_MAX_ELEMENTS 3
/* Size of the human-readable rule-applied strings, NUL included. */
#define GRADE_RULE_MAX 320
/* band.max of an open-ended band ("28 or more"). */
#define GRADE_SCORE_OPEN INT_MAX
/* band.max_element of a band with no worst-element cap. */
#define GRADE_NO_CAP INT_MAX
/* grade_input.days_since_previous when there is no previous inspection or it is not known. */
#define GRADE_DAYS_UNKNOWN (-1)

enum grade_scheme_kind {
	/* Violation points are added up; lower is better (NYC). */
	GRADE_KIND_POINTS_LOWER_BETTER,
	/* Violation points are deducted from 100 (clamped at 0); higher is better (CN, SF). */
	GRADE_KIND_DEDUCT_FROM_100,
	/* Element scores are added up, then the worst element may cap the rating (FHRS). */
	GRADE_KIND_ELEMENT_SCORES,
};

/* FDA Food Code item categories. */
enum grade_category {
	GRADE_CATEGORY_PRIORITY,
	GRADE_CATEGORY_PRIORITY_FOUNDATION,
	GRADE_CATEGORY_CORE,
};

/* NYC severity levels; GRADE_SEVERITY_NONE in schemes that do not use them. */
enum grade_severity {
	GRADE_SEVERITY_NONE,
	GRADE_SEVERITY_GENERAL,              /* at least 2 points */
	GRADE_SEVERITY_CRITICAL,             /* at least 5 points */
	GRADE_SEVERITY_PUBLIC_HEALTH_HAZARD, /* at least 7 points */
};

enum grade_inspection_type {
	GRADE_INSPECTION_INITIAL,      /* first inspection of a cycle */
	GRADE_INSPECTION_REINSPECTION, /* cycle re-inspection; FHRS: requested re-rating visit */
	GRADE_INSPECTION_COMPLAINT,
	GRADE_INSPECTION_PRE_PERMIT,
	GRADE_INSPECTION_REOPENING, /* after a closure */
};
#define GRADE_INSPECTION_TYPE_COUNT 5
#define GRADE_TYPE_BIT(t)           (1u << (unsigned)(t))

/* What an inspection did to the grade. */
enum grade_outcome {
	GRADE_OUTCOME_GRADED,         /* a band's grade was issued (A, 4, "good" ...) */
	GRADE_OUTCOME_NO_GRADE,       /* no grade issued: initial outside the top band, closure */
	GRADE_OUTCOME_NOT_YET_GRADED, /* pre-permit: "Not Yet Graded" (NYC code N) */
	GRADE_OUTCOME_PENDING,        /* re-opening: "Grade Pending" (NYC code P) */
	GRADE_OUTCOME_UNCHANGED, /* scored, but this type does not set the grade (NYC complaint) */
};

enum grade_appeal_window {
	GRADE_APPEAL_NONE,          /* the scheme defines no appeal of the grade */
	GRADE_APPEAL_WITHIN_DAYS,   /* lodged within rules.appeal_window_days of notification */
	GRADE_APPEAL_UNTIL_HEARING, /* contested at a hearing; open until the hearing is held */
};

/* One band: scores in [min, max] reach it. Bands are ordered best first. */
struct grade_band {
	int min;
	int max;             /* GRADE_SCORE_OPEN for "min or more" */
	const char *label;   /* "A", "Good", "4" */
	const char *code;    /* short code for open data: "A", "good", "4" */
	const char *meaning; /* plain words for the public page: "green smiling face" */
	int max_element;     /* worst element allowed for this rating, or GRADE_NO_CAP */
	/* The label in the jurisdiction's own language and wording, as it publishes it
	 * (cn-faces: "良好"), or NULL; its language is scheme.local_language. */
	const char *local_label;
};

/* One element score (FHRS): the values an officer may award, best first. */
struct grade_element {
	const char *name; /* "hygiene", "structural", "management" */
	const char *description;
	int allowed[8];
	size_t n_allowed;
};

/* One catalogue item. In element schemes, points are the item's element contribution. */
struct grade_violation_def {
	const char *code;
	const char *description; /* plain language, as shown to the public */
	enum grade_category category;
	enum grade_severity severity;
	int default_points;
	int min_points; /* points as applied must lie in [min_points, max_points] */
	int max_points;
	int element; /* index into scheme.elements, or -1 */
	/* The points (or the severity they follow from) are Placard's reading of the
	 * jurisdiction's published data, to be confirmed by the jurisdiction ("confirmed": false
	 * in the document). Grading is the same either way. */
	bool unconfirmed;
	/* The description in the jurisdiction's own language and wording, or NULL. */
	const char *local_description;
};

/*
 * The cycle and appeal rules of a scheme. What the public sees while a grade is under appeal
 * (the pending label, the withheld rating, the adjournment limit) is applied by the database,
 * public_grade() in sql/functions/public_grade.sql, from these rules as published.
 */
struct grade_rules {
	/* Bitmask of GRADE_TYPE_BIT(type): the inspection types whose score sets the grade. */
	unsigned graded_types;
	/* NYC: an initial inspection issues a grade only in the top band; otherwise the
	 * re-inspection sets it. */
	bool initial_graded_only_in_top_band;
	/* Earliest day after the initial inspection a grading re-inspection may happen (NYC 7). */
	int min_days_before_reinspection;
	/* Appeal window: WITHIN_DAYS uses appeal_window_days (FHRS 21); UNTIL_HEARING (NYC) has
	 * no day count, appeal_window_days is 0. */
	enum grade_appeal_window appeal_window;
	int appeal_window_days;
	/* What may be posted while a grade is under appeal (NYC "Grade Pending", "Z"); NULL when
	 * the scheme has no such label. */
	const char *pending_label_during_appeal;
	const char *pending_code_during_appeal;
	/* FHRS: a new rating is published only after the appeal window closes or the appeal is
	 * decided; until then the previous publication stands. */
	bool withhold_until_appeal_decided;
	/* FHRS: a requested re-rating visit may not happen before this many days (90). */
	int rerating_standstill_days;
	/* NYC-style: Grade Pending may be posted while the establishment has asked for at most
	 * this many hearing adjournments; after one more, the issued letter must be posted.
	 * Placard's choice: 2. Meaningless without pending_label_during_appeal. */
	int max_adjournments_with_pending;
	/* An inspection that closes the establishment issues no grade. */
	bool closure_issues_no_grade;
	/* Posted after a re-opening inspection (NYC "Grade Pending", "P"); NULL: re-opening
	 * inspections are graded like any other graded type. */
	const char *reopening_label;
	const char *reopening_code;
	/* Posted after a pre-permit inspection; pre-permit inspections never set a grade. */
	const char *not_yet_graded_label;
	const char *not_yet_graded_code;
};

struct grade_scheme {
	const char *code; /* "nyc", "fhrs", "cn-faces", "sf100" */
	int version;
	const char *name;
	const char *jurisdiction;
	/* The language of the local_label and local_description texts (a BCP 47 tag such as
	 * "zh-CN"), or NULL when the scheme has none. */
	const char *local_language;
	enum grade_scheme_kind kind;
	const struct grade_band *bands; /* best first; together they cover every reachable score */
	size_t n_bands;
	const struct grade_element *elements; /* ELEMENT_SCORES only, else NULL */
	size_t n_elements;
	const struct grade_violation_def *violations; /* the catalogue */
	size_t n_violations;
	struct grade_rules rules;
};

/* One cited violation, as the inspector applied it. */
struct grade_violation_input {
	const char *code; /* must name an item of the scheme's catalogue */
	int points;       /* as applied; in element schemes, the element contribution */
	bool dismissed;   /* dismissed at a hearing or on appeal: listed, never counted */
};

struct grade_input {
	enum grade_inspection_type type;
	bool closed_establishment; /* this inspection closed the establishment */
	/* Days since the initial inspection of the cycle (NYC) or since the rated inspection
	 * (FHRS re-rating); GRADE_DAYS_UNKNOWN when none. Required for a re-inspection when the
	 * scheme sets a minimum wait. */
	int days_since_previous;
	/* Element schemes: explicit element scores, in scheme.elements order. When has_elements
	 * is false each element is derived as the worst (largest) contribution among the counted
	 * violations of that element, 0 when there is none. Must be false in other schemes. */
	bool has_elements;
	int elements[GRADE_MAX_ELEMENTS];
	const struct grade_violation_input *violations; /* may be NULL when n_violations is 0 */
	size_t n_violations;
};

/* One line of the explanation. Pointers point into the scheme's catalogue. */
struct grade_line {
	const char *code;
	const char *description;
	enum grade_category category;
	int points;
	int element; /* as in grade_violation_def */
};

/*
 * The rule as language-neutral parts: each a message of the "grade" catalogue (web/i18n/<lang>/
 * grade.json) named by its key, with named arguments. The parts, each formatted in turn and
 * put one after the other, make the rule sentence; in English that is exactly grade_result.rule
 * (which is cut at GRADE_RULE_MAX).
 * An argument is a number or a text: a code (kept as it is), a value to choose a message
 * variant by (type, range, once, floor), or scheme wording (a band's label or meaning, an
 * element's name: grade_arg_is_wording() names them), which a reader's language translates.
 */
#define GRADE_PARTS_MAX     6
#define GRADE_PART_ARGS_MAX 10

struct grade_arg {
	const char *name;
	const char *text; /* NULL: the argument is the number */
	int number;
};

struct grade_part {
	const char *key; /* "grade.rule.graded_points" */
	struct grade_arg args[GRADE_PART_ARGS_MAX];
	size_t n_args;
};

/* True when an argument named @name carries scheme wording (to be put in the reader's language
 * through the "wording" catalogue) rather than a number, code or variant. */
bool grade_arg_is_wording(const char *name);

struct grade_result {
	/* NYC: total points. CN/SF: 100 minus deductions, clamped at 0. FHRS: element total. */
	int score;
	int deductions;                      /* sum of counted points (all kinds) */
	int elements[GRADE_MAX_ELEMENTS];    /* element schemes: the scores used */
	const struct grade_band *band;       /* band the score reached; never NULL */
	const struct grade_band *rated_band; /* after worst-element caps; == band elsewhere */
	int capping_element;                 /* element index that lowered the rating, or -1 */
	enum grade_outcome outcome;
	/* Grade issued: the band's label and code, the scheme's pending / not-yet-graded label,
	 * or "No grade issued" with code "". Never NULL. */
	const char *label;
	const char *code;
	bool sets_posted_grade;     /* this inspection changes what the establishment posts */
	bool reinspection_required; /* a re-inspection must follow before a grade is issued */
	int reinspection_min_days;  /* when required: earliest day after this inspection */
	struct grade_line counted[GRADE_MAX_VIOLATIONS];
	size_t n_counted;
	struct grade_line dismissed[GRADE_MAX_VIOLATIONS];
	size_t n_dismissed;
	char rule[GRADE_RULE_MAX]; /* the rule applied, in plain words (English) */
	/* The same rule as parts, for any language: pointers into the scheme and static text. */
	struct grade_part parts[GRADE_PARTS_MAX];
	size_t n_parts;
};

/* Names the offending input on failure: field is a static string ("violations[].points",
 * "elements[]", "type", ...), index the array position or -1. */
struct grade_error {
	const char *field;
	int index;
};

/*
 * Look up a built-in scheme by its code ("nyc", "fhrs", "cn-faces", "sf100").
 * Returns a pointer to static const data, or NULL when @code is NULL or unknown.
 */
const struct grade_scheme *grade_scheme_builtin(const char *code);

/* Number of built-in schemes, and the @i-th (NULL when out of range). For generating the SQL
 * seed and the methodology page from the engine's own tables. */
size_t grade_scheme_builtin_count(void);
const struct grade_scheme *grade_scheme_builtin_at(size_t i);

/* The catalogue item of @s named @code (exact, case-sensitive match), or NULL when either is
 * NULL or the code is not in the catalogue. */
const struct grade_violation_def *grade_violation_lookup(const struct grade_scheme *s,
                                                         const char *code);

/*
 * Grade one inspection under scheme @s.
 *
 * @s and @in are only read; @ret is written in full on success and untouched on failure.
 * On failure, if @ret_error is not NULL it names the offending input; it is not written on
 * success. Returns:
 *   0        success
 *   -EINVAL  a NULL argument, an unknown inspection type, a NULL violation code, negative
 *            points, a violation array that is NULL with a count, element scores outside the
 *            scheme's allowed values (or given for a scheme without elements), a negative
 *            day count other than GRADE_DAYS_UNKNOWN, or a re-inspection missing the day
 *            count that the scheme's minimum wait needs
 *   -ENOENT  a violation code not in the scheme's catalogue
 *   -ERANGE  points outside the catalogue item's [min_points, max_points], or a re-inspection
 *            earlier than the scheme allows (field "days_since_previous")
 *   -E2BIG   more than GRADE_MAX_VIOLATIONS violations
 */
int grade_compute(const struct grade_scheme *s, const struct grade_input *in,
                  struct grade_result *ret, struct grade_error *ret_error);

/*
 * Days still to wait before a grading re-inspection (NYC, 7 days after the initial) or a
 * requested re-rating visit (FHRS, 90-day stand-still) may happen, given that
 * @days_since_previous days have passed: the larger of the two scheme minimums, less the
 * days passed, never below 0. *@ret_days is 0 when it may happen now.
 * Returns 0, or -EINVAL when @s or @ret_days is NULL or @days_since_previous is negative.
 */
int grade_reinspection_wait_days(const struct grade_scheme *s, int days_since_previous,
                                 int *ret_days);

/* Stable lowercase names for JSON, SQL and open data; "?" for out-of-range values. */
const char *grade_inspection_type_name(enum grade_inspection_type t);
const char *grade_outcome_name(enum grade_outcome o);

/* What an establishment posts: its state ("graded", "pending", "not_yet_graded", "closed"),
 * the grade's code and its label. */
struct grade_posted {
	const char *state;
	const char *code;
	const char *label;
};

/*
 * The posting an inspection's result @r sets under scheme @s: "closed" (no code, "Closed")
 * for a closed establishment whatever the result; the band's grade when @r sets the posted
 * grade ("graded", or "pending"/"not_yet_graded" for those outcomes); with @r NULL (an
 * establishment never graded, or whose only grades were overturned) the scheme's "not yet
 * graded" code and label (@s may then be NULL: no code, "Not yet graded"). Returns false,
 * leaving *@ret alone, when @r sets no posted grade and the establishment is not closed:
 * the posting stands.
 */
bool grade_posted_of(const struct grade_scheme *s, const struct grade_result *r, bool closed,
                     struct grade_posted *ret);
const char *grade_category_name(enum grade_category c);
const char *grade_severity_name(enum grade_severity v);
const char *grade_scheme_kind_name(enum grade_scheme_kind k);

/* Parse a grade_inspection_type_name() back. Returns 0, -EINVAL on NULL, -ENOENT if unknown. */
int grade_inspection_type_parse(const char *name, enum grade_inspection_type *ret_type);

#endif
