/*
 * migrate.c - placard migrate: bring the database schema up to date.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "domain/grade.h"
#include "records/schemes.h"
#include "store/migrate.h"

static const char migrate_usage[] =
        "usage: placard migrate\n"
        "\n"
        "Apply the migrations in sql/ (PLACARD_SQL_DIR) that the database at\n"
        "PLACARD_DATABASE_URL has not run yet, then the files of sql/functions\n"
        "that changed since they were last applied, and publish the built-in\n"
        "scoring schemes' documents (PLACARD_SCHEMES_DIR) that changed as new\n"
        "versions. Running it again applies nothing.\n";

int cli_migrate(const struct config *cfg, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, migrate_usage))
		return 0;
	char err[1200];
	int applied = 0, functions = 0;
	if (migrate_run(cfg->database_url, cfg->sql_dir, &applied, &functions, err, sizeof(err)) <
	    0) {
		fprintf(stderr, "placard migrate: %s\n", err);
		return 1;
	}
	printf("placard migrate: %d migration%s applied, %d function file%s applied\n", applied,
	       applied == 1 ? "" : "s", functions, functions == 1 ? "" : "s");

	/* The built-in schemes' documents (schemes/, PLACARD_SCHEMES_DIR), in the engine's
	 * order: a changed one becomes a new version, applying from today. */
	struct rec r = { .a = arena_new() };
	int rc = store_open(cfg->database_url, &r.st, err, sizeof(err));
	for (size_t i = 0; rc == 0 && i < grade_scheme_builtin_count(); i++) {
		char path[4096];
		struct rec_scheme_published p;
		snprintf(path, sizeof(path), "%s/%s.json", cfg->schemes_dir,
		         grade_scheme_builtin_at(i)->code);
		rc = cli_scheme_publish_file(&r, path, NULL, false, &p, err, sizeof(err));
	}
	arena_destroy(r.a);
	if (r.st)
		store_close(r.st);
	if (rc < 0) {
		fprintf(stderr, "placard migrate: cannot publish the scoring schemes: %s\n", err);
		return 1;
	}
	return 0;
}
