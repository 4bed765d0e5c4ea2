/*
 * demo.c - placard demo: load a demo city into an empty database. Staff accounts for every
 * role, a jurisdiction for each built-in scheme, establishments with realistic names,
 * addresses and coordinates, and years of inspection history graded by the real engine.
 *
 * Rows go in with COPY, in one transaction: the same generator is run once per table with
 * the same seeds, so nothing has to be held in memory and a million establishments load in
 * minutes. The public log gets an entry per demo record, named as demo data (each
 * establishment, "demo.establishment", and each inspection, "demo.inspection", with what
 * establishment.registered and inspection.submitted would carry; oldest first), then
 * "demo.loaded".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "records/log.h"
#include "records/schemes.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/crypto.h"
#include "core/util.h"
#include "domain/democity.h"
#include "store/store.h"

#define DEMO_PASSWORD "placard-demo-password"
#define FLUSH_BYTES   (1 << 20)

static const char demo_usage[] =
        "usage: placard demo [--establishments N] [--inspections-per-establishment M] [--seed S]\n"
        "\n"
        "Load a demo city into PLACARD_DATABASE_URL: staff accounts for every role (password\n"
        "\"" DEMO_PASSWORD "\"), four jurisdictions (one per scoring scheme), N establishments\n"
        "(default 3000) with about M inspections each (default 4). Does nothing but print the\n"
        "logins when establishments already exist.\n";

static const struct {
	const char *username, *display, *role;
} demo_staff[] = {
	{ "admin", "Avery Admin", "admin" },
	{ "clerk", "Casey Clerk", "clerk" },
	{ "inspector", "Indira Inspector", "inspector" },
	{ "inspector2", "Ivan Inspector", "inspector" },
	{ "supervisor", "Sam Supervisor", "supervisor" },
	{ "hearing", "Harper Hearing Officer", "hearing_officer" },
};

struct demo_options {
	long long establishments;
	int per_establishment;
	unsigned long long seed;
};

/* The city of establishment @n: New York gets two in five, the others one each. */
static const struct demo_city *city_of(long long n)
{
	static const int map[] = { 0, 0, 1, 2, 3 };
	return demo_city_at((size_t)map[n % 5]);
}

static uint64_t seed_of(const struct demo_options *o, long long n)
{
	return o->seed * 0x100000001b3ULL ^ (uint64_t)n * 0x9e3779b97f4a7c15ULL;
}

/* A unique public code per inspection id: D + the id in base 31, no look-alike letters. */
static void public_code(long long id, char out[16])
{
	static const char digits[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
	char tmp[16];
	int n = 0;
	do {
		tmp[n++] = digits[id % 31];
		id /= 31;
	} while (id);
	out[0] = 'D';
	int i = 1;
	for (int pad = 7 - n; pad > 0; pad--)
		out[i++] = '2';
	while (n > 0)
		out[i++] = tmp[--n];
	out[i] = '\0';
}

static void print_logins(void)
{
	printf("demo logins (password \"%s\"):", DEMO_PASSWORD);
	for (size_t i = 0; i < ARRAY_SIZE(demo_staff); i++)
		printf(" %s (%s)%s", demo_staff[i].username, demo_staff[i].role,
		       i + 1 < ARRAY_SIZE(demo_staff) ? "," : "\n");
}

/* Stream @b to the COPY when it is big (or @force), keeping it empty afterwards. */
static int flush(struct store *st, struct buf *b, bool force)
{
	if (!force && b->len < FLUSH_BYTES)
		return 0;
	int rc = b->len ? store_copy_send(st, b->data, b->len) : 0;
	buf_truncate(b, 0);
	return rc;
}

struct graded {
	struct demo_inspection in[DEMO_MAX_INSPECTIONS];
	struct grade_result g[DEMO_MAX_INSPECTIONS];
	bool ok[DEMO_MAX_INSPECTIONS];
	size_t n;
};

static void history_of(const struct demo_options *o, long long n, const struct grade_scheme *s,
                       struct graded *h)
{
	struct demo_rng r;
	demo_rng_seed(&r, seed_of(o, n) ^ 0x5bd1e995ULL);
	h->n = demo_history(&r, s, o->per_establishment, h->in);
	for (size_t i = 0; i < h->n; i++) {
		struct grade_input in = {
			.type = h->in[i].type,
			.closed_establishment = h->in[i].closed,
			.days_since_previous = h->in[i].days_since_previous,
			.has_elements = h->in[i].has_elements,
			.violations = h->in[i].violations,
			.n_violations = h->in[i].n_violations,
		};
		memcpy(in.elements, h->in[i].elements, sizeof(in.elements));
		h->ok[i] = grade_compute(s, &in, &h->g[i], NULL) == 0;
	}
}

static void day_text(time_t today, int days_ago, int minutes, char out[40])
{
	time_t t = today - (time_t)days_ago * 86400 + 9 * 3600 + minutes * 60;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 40, "%Y-%m-%d %H:%M:00+00", &tm);
}

enum pass { PASS_ESTABLISHMENTS, PASS_INSPECTIONS, PASS_VIOLATIONS, PASS_POSTED };

static int run_pass(struct store *st, const struct demo_options *o, enum pass pass,
                    long long first_id, const long long jurisdiction_ids[],
                    const long long inspector_ids[2], long long *ret_inspections)
{
	static const enum store_stmt stmts[] = { STMT_COPY_ESTABLISHMENTS, STMT_COPY_INSPECTIONS,
		                                 STMT_COPY_VIOLATIONS, STMT_COPY_POSTED_GRADES };
	int rc = store_copy_begin(st, stmts[pass]);
	if (rc < 0)
		return rc;
	struct buf b = BUF_INIT;
	struct graded *h = xmalloc(sizeof(*h));
	time_t today = time(NULL) / 86400 * 86400;
	long long inspection_id = 0;
	for (long long n = 1; n <= o->establishments && rc == 0; n++) {
		long long est = first_id + n - 1;
		const struct demo_city *city = city_of(n);
		const struct grade_scheme *s = grade_scheme_builtin(city->scheme);
		size_t ci = (size_t)(city - demo_city_at(0));
		if (pass == PASS_ESTABLISHMENTS) {
			struct demo_rng r;
			struct demo_establishment e;
			demo_rng_seed(&r, seed_of(o, n));
			demo_establishment(&r, city, est, &e);
			buf_addf(&b, "%lld\t%lld\t", est, jurisdiction_ids[ci]);
			store_copy_escape(&b, e.licence);
			buf_addch(&b, '\t');
			store_copy_escape(&b, e.name);
			buf_addch(&b, '\t');
			store_copy_escape(&b, e.address);
			buf_addch(&b, '\t');
			store_copy_escape(&b, city->city);
			buf_addch(&b, '\t');
			store_copy_escape(&b, e.postcode);
			buf_addf(&b, "\t%.6f\t%.6f\t%s\t", e.latitude, e.longitude, e.type);
			store_copy_escape(&b, e.cuisine);
			buf_addf(&b, "\t%c\tactive\n", e.risk);
			rc = flush(st, &b, false);
			continue;
		}
		history_of(o, n, s, h);
		struct grade_posted posted;
		grade_posted_of(s, NULL, false, &posted);
		int score = -1;
		long long posted_id = 0;
		int posted_days = 0;
		for (size_t i = 0; i < h->n; i++) {
			if (!h->ok[i])
				continue;
			inspection_id++;
			const struct demo_inspection *in = &h->in[i];
			const struct grade_result *g = &h->g[i];
			if (pass == PASS_INSPECTIONS) {
				char started[40], ended[40], pc[16];
				int minute = (int)((inspection_id * 37) % 420);
				day_text(today, in->days_ago, minute, started);
				day_text(today, in->days_ago, minute + 75, ended);
				public_code(inspection_id, pc);
				json_t *expl = rec_grade_explanation(s, g);
				char *text = json_dump_compact(expl, NULL);
				json_decref(expl);
				buf_addf(&b, "%lld\t%lld\t%s\t%s\t%lld\tsubmitted\t%s\t%s\t%s\t",
				         inspection_id, est, s->code,
				         grade_inspection_type_name(in->type),
				         inspector_ids[inspection_id % 2], started, ended,
				         in->closed ? "t" : "f");
				if (in->has_elements)
					buf_addf(&b, "%d\t%d\t%d\t", in->elements[0],
					         in->elements[1], in->elements[2]);
				else
					buf_addstr(&b, "\\N\t\\N\t\\N\t");
				buf_addf(&b, "%d\t", g->score);
				store_copy_escape(&b, g->code);
				buf_addch(&b, '\t');
				store_copy_escape(&b, g->label);
				buf_addf(&b, "\t%s\t%s\t", grade_outcome_name(g->outcome),
				         g->sets_posted_grade ? "t" : "f");
				store_copy_escape(&b, text);
				buf_addf(&b, "\t%s\t%s\n", ended, pc);
				free(text);
			} else if (pass == PASS_VIOLATIONS) {
				for (size_t v = 0; v < in->n_violations; v++)
					buf_addf(&b, "%lld\t%s\t%s\t%d\t%zu\n", inspection_id,
					         s->code, in->violations[v].code,
					         in->violations[v].points, v + 1);
			} else if (grade_posted_of(s, g, false, &posted)) {
				score = g->score;
				posted_id = inspection_id;
				posted_days = in->days_ago;
			}
		}
		if (pass == PASS_POSTED) {
			char issued[40];
			day_text(today, posted_days, 120, issued);
			buf_addf(&b, "%lld\t%s\t", est, posted.state);
			store_copy_escape(&b, posted.code);
			buf_addch(&b, '\t');
			store_copy_escape(&b, posted.label);
			if (posted_id)
				buf_addf(&b, "\t%d\t%lld\t%s\n", score, posted_id, issued);
			else
				buf_addf(&b, "\t\\N\t\\N\t%s\n", issued);
		}
		rc = flush(st, &b, false);
		if (n % 100000 == 0)
			fprintf(stderr, "placard demo: pass %d: %lld establishments\n",
			        (int)pass + 1, n);
	}
	if (rc == 0)
		rc = flush(st, &b, true);
	int end = store_copy_end(st);
	buf_release(&b);
	free(h);
	*ret_inspections = inspection_id;
	return rc < 0 ? rc : end;
}

static int parse_args(int argc, char **argv, struct demo_options *o)
{
	for (int i = 1; i < argc; i += 2) {
		long long v;
		if (i + 1 >= argc) {
			fprintf(stderr, "placard demo: %s needs a value\n\n%s", argv[i],
			        demo_usage);
			return -EINVAL;
		}
		if (streq(argv[i], "--establishments") &&
		    parse_int64(argv[i + 1], 0, 100000000, &v) == 0) {
			o->establishments = v;
		} else if (streq(argv[i], "--inspections-per-establishment") &&
		           parse_int64(argv[i + 1], 1, DEMO_MAX_INSPECTIONS / 2, &v) == 0) {
			o->per_establishment = (int)v;
		} else if (streq(argv[i], "--seed") &&
		           parse_int64(argv[i + 1], 0, INT64_MAX, &v) == 0) {
			o->seed = (unsigned long long)v;
		} else {
			fprintf(stderr, "placard demo: bad option %s %s\n\n%s", argv[i],
			        argv[i + 1], demo_usage);
			return -EINVAL;
		}
	}
	return 0;
}

/* Give the demo's establishments to the demo inspectors (demo_assignee()), assigned by the
 * demo supervisor, so that their due lists are not empty on the first run. */
static int assign_work(struct store *st, struct arena *a, const struct demo_options *o,
                       long long first_id, const long long inspector_ids[2],
                       long long supervisor_id)
{
	int rc = 0;
	for (int k = 0; k < 2 && rc == 0; k++) {
		if (!inspector_ids[k])
			continue;
		struct buf ids = BUF_INIT;
		for (long long n = 1; n <= o->establishments; n++)
			if (demo_assignee(n, 2) == k)
				buf_addf(&ids, "%s%lld", ids.len ? "," : "", first_id + n - 1);
		const char *p[] = {
			ids.len ? ids.data : "", arena_printf(a, "%lld", inspector_ids[k]),
			arena_printf(a, "%lld", supervisor_id ? supervisor_id : inspector_ids[k])
		};
		if (ids.len)
			rc = store_exec(st, a, STMT_DEMO_ASSIGN, p, NULL);
		buf_release(&ids);
	}
	return rc;
}

int cli_demo(const struct config *cfg, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, demo_usage))
		return 0;
	struct demo_options o = { .establishments = 3000, .per_establishment = 4, .seed = 1 };
	if (parse_args(argc, argv, &o) < 0)
		return 2;
	crypto_init();
	json_init();
	struct store *st;
	char err[512];
	if (store_open(cfg->database_url, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "placard demo: %s\n", err);
		return 1;
	}
	struct arena *a = arena_new();
	int rc = 0, status = 1;
	struct store_result *r;
	long long inspector_ids[2] = { 0, 0 }, supervisor_id = 0;
	for (size_t i = 0; i < ARRAY_SIZE(demo_staff); i++) {
		char hash[128];
		const char *pw = DEMO_PASSWORD;
		if (password_hash(pw, strlen(pw), hash) < 0)
			die("cannot hash the demo password");
		const char *p[] = { demo_staff[i].username, demo_staff[i].display,
			            demo_staff[i].role, hash };
		rc = store_exec(st, a, STMT_STAFF_CREATE, p, NULL);
		if (rc < 0 && rc != -EEXIST)
			goto fail;
		const char *pu[] = { demo_staff[i].username };
		if ((rc = store_exec(st, a, STMT_STAFF_BY_USERNAME, pu, &r)) < 0)
			goto fail;
		if (streq(demo_staff[i].role, "inspector") && store_nrows(r))
			inspector_ids[inspector_ids[0] ? 1 : 0] = store_get_int(r, 0, "id");
		if (streq(demo_staff[i].role, "supervisor") && store_nrows(r))
			supervisor_id = store_get_int(r, 0, "id");
	}
	long long jurisdiction_ids[8] = { 0 };
	for (size_t i = 0; i < demo_city_count(); i++) {
		const struct demo_city *c = demo_city_at(i);
		const char *p[] = { c->jurisdiction, c->name, c->scheme };
		const char *pi[] = { c->jurisdiction };
		if ((rc = store_exec(st, a, STMT_JURISDICTION_ENSURE, p, NULL)) < 0 ||
		    (rc = store_exec(st, a, STMT_JURISDICTION_ID, pi, &r)) < 0)
			goto fail;
		jurisdiction_ids[i] = store_get_int(r, 0, "id");
	}
	if ((rc = store_exec(st, a, STMT_ESTABLISHMENT_COUNT, NULL, &r)) < 0)
		goto fail;
	if (store_get_int(r, 0, "count") > 0) {
		printf("placard demo: %lld establishments are already there; nothing loaded\n",
		       store_get_int(r, 0, "count"));
		print_logins();
		status = 0;
		goto out;
	}
	long long first_id = store_get_int(r, 0, "max_id") + 1, inspections = 0;
	if ((rc = store_begin(st)) < 0 ||
	    (rc = store_exec(st, a, STMT_BULK_LOAD_ON, NULL, NULL)) < 0)
		goto fail;
	for (int pass = PASS_ESTABLISHMENTS; pass <= PASS_POSTED; pass++)
		if ((rc = run_pass(st, &o, pass, first_id, jurisdiction_ids, inspector_ids,
		                   &inspections)) < 0)
			goto fail;
	const char *pe[] = { arena_printf(a, "%lld", first_id) };
	if ((rc = assign_work(st, a, &o, first_id, inspector_ids, supervisor_id)) < 0 ||
	    (rc = store_exec(st, a, STMT_SEQUENCES_RESET, NULL, NULL)) < 0 ||
	    (rc = store_exec(st, a, STMT_DEMO_EVENTS, pe, NULL)) < 0 ||
	    (rc = rec_event(&(struct rec){ .st = st, .a = a }, "demo.loaded", "deployment",
	                    json_pack("{s:I, s:I, s:I}", "establishments",
	                              (json_int_t)o.establishments, "inspections",
	                              (json_int_t)inspections, "seed", (json_int_t)o.seed))) < 0 ||
	    (rc = store_commit(st)) < 0)
		goto fail;
	/* The trigger kept the search dictionary current through the COPY; a refresh leaves it
	 * exactly the words of the names now there. */
	if (store_exec(st, a, STMT_NAME_WORDS_REFRESH, NULL, NULL) < 0)
		fprintf(stderr, "placard demo: name_words_refresh() failed: %s\n",
		        store_error_message(st));
	if (store_exec_script(st, "ANALYZE", err, sizeof(err)) < 0)
		fprintf(stderr, "placard demo: ANALYZE failed: %s\n", err);
	printf("placard demo: loaded %lld establishments and %lld inspections\n", o.establishments,
	       inspections);
	print_logins();
	status = 0;
	goto out;
fail:
	fprintf(stderr, "placard demo: %s\n", store_error_message(st));
	store_rollback(st);
out:
	arena_destroy(a);
	store_close(st);
	return status;
}
