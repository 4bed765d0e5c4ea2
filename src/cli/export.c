/*
 * export.c - placard export lives FILE.zip: write the LIVES open-data feed, the same ZIP
 * GET /open-data/lives.zip serves (src/api/opendata.c).
 */
#include <stdio.h>

#include "records/opendata.h"
#include "cli/cli.h"
#include "core/util.h"
#include "store/sealer.h"
#include "store/store.h"

static const char export_usage[] =
        "usage: placard export lives FILE.zip\n"
        "\n"
        "Write the LIVES open-data feed of PLACARD_DATABASE_URL to FILE.zip (replaced\n"
        "atomically): businesses.csv, inspections.csv, violations.csv, feed_info.csv and\n"
        "legend.csv, from one snapshot. See docs/operations.md for the columns and the score\n"
        "mapping.\n";

int cli_export(const struct config *cfg, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, export_usage))
		return 0;
	if (argc != 3 || !streq(argv[1], "lives")) {
		fputs(export_usage, stderr);
		return 2;
	}
	struct store *st;
	char err[1024];
	if (store_open(cfg->database_url, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "placard export: %s\n", err);
		return 1;
	}
	/* Events still pending are chained first, so that the log head in feed_info.csv covers
	 * every change in the feed. */
	if (store_seal_all(st) < 0) {
		fprintf(stderr, "placard export: cannot seal pending events: %s\n",
		        store_error_message(st));
		store_close(st);
		return 1;
	}
	long long version;
	int rc = rec_lives_export(st, argv[2], &version, err, sizeof(err));
	store_close(st);
	if (rc < 0) {
		fprintf(stderr, "placard export: %s\n", err);
		return 1;
	}
	printf("placard export: wrote %s (data version %lld)\n", argv[2], version);
	return 0;
}
