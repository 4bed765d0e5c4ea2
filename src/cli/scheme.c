/*
 * scheme.c - placard scheme publish: publish a scoring scheme's document (docs/schemes.md) as
 * a new version. `placard migrate` publishes the built-in documents the same way.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/util.h"
#include "domain/grade.h"
#include "json/json.h"
#include "records/schemes.h"

static const char scheme_usage[] =
        "usage: placard scheme publish FILE [--from YYYY-MM-DD]\n"
        "\n"
        "Check the scoring scheme document FILE (docs/schemes.md) and, unless the scheme's\n"
        "latest version already holds the same scheme, publish it as its next version:\n"
        "inspections whose visit starts on or after --from (default: today; a scheme's first\n"
        "version applies from the beginning) are graded under it, and inspections already\n"
        "submitted keep the version they were graded under. A published version never\n"
        "changes and stays public at /api/v1/schemes/CODE/versions/N.\n";

int cli_scheme_publish_file(struct rec *r, const char *path, const char *from, bool logged,
                            struct rec_scheme_published *ret, char *err, size_t errsize)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errsize, "cannot open %s", path);
		return -ENOENT;
	}
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	bool failed = ferror(f);
	fclose(f);
	if (failed) {
		buf_release(&b);
		snprintf(err, errsize, "cannot read %s", path);
		return -EIO;
	}
	int rc = rec_scheme_publish(r, b.data, b.len, from, logged, ret);
	buf_release(&b);
	if (rc < 0) {
		/* A database failure is told as the database said it: the person running the
		 * command has nothing else to go on (the refusal's sentence is for web clients). */
		const char *db = r->problem.status >= 500 ? store_error_message(r->st) : "";
		if (*db)
			snprintf(err, errsize, "%s: %s", path, db);
		else if (r->problem.field)
			snprintf(err, errsize, "%s: %s: %s", path, r->problem.field,
			         r->problem.detail);
		else
			snprintf(err, errsize, "%s: %s", path, r->problem.detail);
	}
	return rc;
}

int cli_scheme(const struct config *cfg, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, scheme_usage))
		return 0;
	const char *file = NULL, *from = NULL;
	if (argc < 3 || !streq(argv[1], "publish")) {
		fputs(scheme_usage, stderr);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (streq(argv[i], "--from") && i + 1 < argc)
			from = argv[++i];
		else if (!file && argv[i][0] != '-')
			file = argv[i];
		else {
			fputs(scheme_usage, stderr);
			return 2;
		}
	}
	if (!file) {
		fputs(scheme_usage, stderr);
		return 2;
	}
	if (from && !json_date_valid(from)) {
		fprintf(stderr, "placard scheme: --from must be a date, YYYY-MM-DD\n");
		return 2;
	}
	char err[1200];
	struct rec r = { .a = arena_new() };
	struct rec_scheme_published p;
	int rc = store_open(cfg->database_url, &r.st, err, sizeof(err));
	if (rc == 0)
		rc = cli_scheme_publish_file(&r, file, from, true, &p, err, sizeof(err));
	/* p.code lives in r.a. */
	if (rc == 0 && p.created)
		printf("placard scheme: published %s version %d\n", p.code, p.version);
	else if (rc == 0)
		printf("placard scheme: %s version %d already holds this scheme; nothing "
		       "published\n",
		       p.code, p.version);
	arena_destroy(r.a);
	if (r.st)
		store_close(r.st);
	if (rc < 0) {
		fprintf(stderr, "placard scheme: %s\n", err);
		return 1;
	}
	return 0;
}
