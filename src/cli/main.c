/*
 * main.c - the placard command: placard COMMAND [ARGS]. Reads the configuration from the
 * environment and hands over to the subcommand.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "core/version.h"
#include "store/store.h"

static const char usage[] =
        "usage: placard COMMAND [ARGS]\n"
        "\n"
        "Food-safety inspection records: licences, inspections, published grades, appeals.\n"
        "\n"
        "commands:\n"
        "  serve      run the HTTP server (PLACARD_LISTEN, default 127.0.0.1:8080)\n"
        "  migrate    apply the pending migrations in sql/ to PLACARD_DATABASE_URL\n"
        "  verify-log recompute the public event log's hash chain\n"
        "  demo       load a demo city (staff, establishments, inspections)\n"
        "  user       add staff accounts (password on standard input) or list them\n"
        "  import     load open data: NYC inspection results, LIVES feeds\n"
        "  export     write an open-data feed (LIVES ZIP, or Placard's own JSON lines)\n"
        "  text       erase a text kept out of the public log (personal data)\n"
        "  log        redact an old log entry that holds personal text\n"
        "  scheme     publish a scoring scheme's document as a new version\n"
        "  witness    run a witness that cosigns another Placard log's checkpoints\n"
        "  version    print the version\n"
        "\n"
        "Run 'placard COMMAND --help' for a command's options. Settings come from the\n"
        "environment, which wins over the configuration file PLACARD_CONFIG names (for the\n"
        "installed binary, by default " PLACARD_CONFIG_FILE "); see docs/operations.md.\n";

bool cli_wants_help(int argc, char **argv, const char *text)
{
	for (int i = 1; i < argc; i++) {
		if (streq(argv[i], "-h") || streq(argv[i], "--help")) {
			fputs(text, stdout);
			return true;
		}
	}
	return false;
}

static int cli_version(const struct config *cfg, int argc, char **argv)
{
	(void)cfg;
	if (cli_wants_help(argc, argv, "usage: placard version\n\nPrint the version.\n"))
		return 0;
	printf("placard %s\n", PLACARD_VERSION);
	return 0;
}

static const struct {
	const char *name;
	int (*run)(const struct config *cfg, int argc, char **argv);
} commands[] = {
	{ "serve", cli_serve },   { "migrate", cli_migrate }, { "verify-log", cli_verify_log },
	{ "demo", cli_demo },     { "user", cli_user },       { "version", cli_version },
	{ "import", cli_import }, { "export", cli_export },   { "text", cli_text },
	{ "log", cli_log },       { "scheme", cli_scheme },   { "witness", cli_witness },
};

int main(int argc, char **argv)
{
	if (argc < 2 || streq(argv[1], "-h") || streq(argv[1], "--help") ||
	    streq(argv[1], "help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (streq(argv[1], "--version"))
		argv[1] = "version";
	/* Before any thread and any database connection (store.c says why). */
	store_init();
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!streq(argv[1], commands[i].name))
			continue;
		struct config cfg;
		char err[512];
		/* The configuration file's settings join the environment (which wins). */
		if (config_file_load_default(err, sizeof(err)) < 0) {
			fprintf(stderr, "placard: %s\n", err);
			return 2;
		}
		if (config_from_env(&cfg, err, sizeof(err)) < 0) {
			fprintf(stderr, "placard: %s\n", err);
			return 2;
		}
		int rc = log_use_journal(cfg.log_journal);
		if (rc < 0) {
			fprintf(stderr, "placard: PLACARD_LOG_TARGET=journal, but %s\n",
			        rc == -ENOTSUP ? "this placard was built without libsystemd"
			                       : "no journald listens at " LOG_JOURNAL_SOCKET);
			return 2;
		}
		/* The catalogues the records layer's refusals are written from (in English for a
		 * command); "placard serve" loads them again, and stops when they do not load. */
		char i18n_err[512];
		(void)i18n_load(cfg.web_dir, i18n_err, sizeof(i18n_err));
		return commands[i].run(&cfg, argc - 1, argv + 1);
	}
	fprintf(stderr, "placard: unknown command \"%s\"\n\n%s", argv[1], usage);
	return 2;
}
