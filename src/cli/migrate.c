/*
 * migrate.c - placard migrate: bring the database schema up to date.
 */
#include <stdio.h>

#include "records/schemes.h"
#include "cli/cli.h"
#include "store/migrate.h"

static const char migrate_usage[] =
        "usage: placard migrate\n"
        "\n"
        "Apply the migrations in sql/ (PLACARD_SQL_DIR) that the database at\n"
        "PLACARD_DATABASE_URL has not run yet, then the files of sql/functions\n"
        "that changed since they were last applied, and publish the built-in\n"
        "scoring schemes. Running it again applies nothing.\n";

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

	/* The published scoring methods come from the grading engine; the database keeps a
	 * copy so that it can check every violation code an inspection cites. */
	struct rec r = { .a = arena_new() };
	int rc = store_open(cfg->database_url, &r.st, err, sizeof(err));
	if (rc == 0 && (rc = rec_schemes_sync(&r)) < 0)
		snprintf(err, sizeof(err), "%s", store_error_message(r.st));
	arena_destroy(r.a);
	if (r.st)
		store_close(r.st);
	if (rc < 0) {
		fprintf(stderr, "placard migrate: cannot publish the scoring schemes: %s\n", err);
		return 1;
	}
	return 0;
}
