/*
 * migrate.c - placard migrate: bring the database schema up to date.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "store/migrate.h"

static const char migrate_usage[] =
        "usage: placard migrate\n"
        "\n"
        "Apply the migrations in sql/ (PLACARD_SQL_DIR) that the database at\n"
        "PLACARD_DATABASE_URL has not run yet. Running it again applies nothing.\n";

int cli_migrate(const struct config *cfg, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, migrate_usage))
		return 0;
	char err[1200];
	int applied = 0;
	if (migrate_run(cfg->database_url, cfg->sql_dir, &applied, err, sizeof(err)) < 0) {
		fprintf(stderr, "placard migrate: %s\n", err);
		return 1;
	}
	printf("placard migrate: %d migration%s applied\n", applied, applied == 1 ? "" : "s");
	return 0;
}
