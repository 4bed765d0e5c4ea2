/*
 * export.c - placard export: write an open-data feed. `lives FILE.zip` writes the LIVES ZIP
 * GET /open-data/lives.zip serves; `placard FILE.ndjson` (or `--format placard FILE`, "-"
 * for standard output) writes Placard's own feed, the one
 * GET /api/v1/opendata/inspections.ndjson serves (src/api/opendata.c, docs/opendata.md).
 */
#include <stdio.h>

#include "records/opendata.h"
#include "cli/cli.h"
#include "core/util.h"
#include "store/sealer.h"
#include "store/store.h"

static const char export_usage[] =
        "usage: placard export lives FILE.zip\n"
        "       placard export placard FILE.ndjson|-\n"
        "       placard export --format lives|placard FILE\n"
        "\n"
        "Write an open-data feed of PLACARD_DATABASE_URL to FILE (replaced atomically), from\n"
        "one snapshot. lives: a ZIP of businesses.csv, inspections.csv, violations.csv,\n"
        "feed_info.csv and legend.csv (docs/operations.md has the columns and the score\n"
        "mapping). placard: one JSON object a line, every published inspection with what its\n"
        "grade was computed from (docs/opendata.md), written as it is read; \"-\" writes it\n"
        "to standard output.\n";

int cli_export(const struct config *cfg, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, export_usage))
		return 0;
	const char *format = NULL, *path = NULL;
	if (argc == 3) {
		format = argv[1];
		path = argv[2];
	} else if (argc == 4 && streq(argv[1], "--format")) {
		format = argv[2];
		path = argv[3];
	}
	bool lives = format && streq(format, "lives");
	if (!format || (!lives && !streq(format, "placard")) || (lives && streq(path, "-"))) {
		fputs(export_usage, stderr);
		return 2;
	}
	struct store *st;
	char err[1024];
	if (store_open(cfg->database_url, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "placard export: %s\n", err);
		return 1;
	}
	/* Events still pending are chained first, so that the log head in the feed covers
	 * every change in it. */
	if (store_seal_all(st) < 0) {
		fprintf(stderr, "placard export: cannot seal pending events: %s\n",
		        store_error_message(st));
		store_close(st);
		return 1;
	}
	long long version;
	int rc = lives ? rec_lives_export(st, path, &version, err, sizeof(err))
	               : rec_placard_export(st, path, &version, err, sizeof(err));
	store_close(st);
	if (rc < 0) {
		fprintf(stderr, "placard export: %s\n", err);
		return 1;
	}
	if (!streq(path, "-"))
		printf("placard export: wrote %s (data version %lld)\n", path, version);
	return 0;
}
