/*
 * erase.c - placard text erase and placard log redact: the ways personal text leaves the
 * record while the public log stays verifiable (sql/0022_log_text.sql, docs/operations.md,
 * "Erasing personal text").
 *
 *   placard text erase ID --reason TEXT --by USERNAME
 *       blanks text ID (and its salt) in log_text and where the record displays it, and logs
 *       "text.erased" (no text). The log only ever held the text's reference and salted hash.
 *   placard log redact SEQ --reason TEXT --by USERNAME
 *       records that log entry SEQ (written before free text was kept out of the log) is to
 *       be redacted, and logs "log.redacted".
 *   placard log redact SEQ --apply
 *       the separate, deliberate step, run as the database's owner: replaces that entry's
 *       payload by JSON null. Verifiers then check its link but not its content.
 *
 * The administrator named by --by must be an active staff account with the admin role, and
 * proves it with their password on standard input (asked for without echo on a terminal):
 * holding the database's credentials is not enough to act in an administrator's name. The
 * reason is kept with the erasure, never logged.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "core/arena.h"
#include "core/crypto.h"
#include "core/util.h"
#include "store/store.h"

static const char text_usage[] =
        "usage: placard text erase ID --reason TEXT --by USERNAME\n"
        "\n"
        "Erase a text kept out of the public log (a decision's reasons, a review note, an\n"
        "adjournment's reason, a licence action's reason, a moderation reason): its words and\n"
        "salt are blanked here and where the record shows them, and the log gains a\n"
        "\"text.erased\" entry. USERNAME is the administrator who carries out the request,\n"
        "who gives their password on standard input; the reason (e.g. \"erasure request\n"
        "under GDPR Art. 17\") is kept, not logged.\n";

static const char log_usage[] =
        "usage: placard log redact SEQ --reason TEXT --by USERNAME\n"
        "       placard log redact SEQ --apply\n"
        "\n"
        "Withhold the payload of log entry SEQ, written before free text was kept out of the\n"
        "log. The first form records the redaction and logs \"log.redacted\" (USERNAME, an\n"
        "administrator, gives their password on standard input); the second, a\n"
        "separate step run with the database owner's PLACARD_DATABASE_URL, replaces the\n"
        "entry's payload by JSON null. The chain still verifies: the next entry pins the\n"
        "redacted entry's hash; its own content can no longer be checked.\n"
        "\n"
        "       placard log keygen [--origin NAME] FILE\n"
        "\n"
        "Make the key that signs the log's checkpoints (placard log keygen --help).\n";

/* One line from standard input into @buf, without echo when it is a terminal (after
 * printing @prompt). 0, or -EIO at end of input. */
static int read_secret(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fputs(prompt, stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *got = fgets(buf, (int)size, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputs("\n", stderr);
	}
	if (!got)
		return -EIO;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

/* Whether @by is an active administrator who gave their password: 0, or -EACCES after
 * printing why as @cmd (the same sentence whether the account, the role or the password is
 * wrong). */
static int prove_admin(struct store *st, struct arena *a, const char *cmd, const char *by)
{
	char password[1024];
	char prompt[300];
	snprintf(prompt, sizeof(prompt), "Password of %s: ", by);
	if (read_secret(prompt, password, sizeof(password)) < 0) {
		fprintf(stderr,
		        "placard %s: give the password of %s on standard input (one line)\n", cmd,
		        by);
		return -EACCES;
	}
	const char *p[] = { by };
	struct store_result *r;
	int rc = store_exec(st, a, STMT_STAFF_BY_USERNAME, p, &r);
	bool ok = rc == 0 && store_nrows(r) == 1 &&
	          password_matches(store_get(r, 0, "password_hash"), password) &&
	          streq(store_get(r, 0, "role"), "admin");
	sodium_memzero(password, sizeof(password));
	if (!ok) {
		fprintf(stderr,
		        "placard %s: %s is not an active administrator, or the password is "
		        "wrong\n",
		        cmd, by);
		return -EACCES;
	}
	return 0;
}

/* Run @stmt with @p in one transaction on PLACARD_DATABASE_URL, in the name of administrator
 * @by (NULL: the database owner's step) once they proved it; prints errors as @cmd. */
static int run(const struct config *cfg, const char *cmd, const char *by, enum store_stmt stmt,
               const char *const *p, const char *col, char *ret_value, size_t size)
{
	struct store *st;
	char err[512];
	if (store_open(cfg->database_url, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "placard %s: %s\n", cmd, err);
		return 1;
	}
	struct arena *a = arena_new();
	struct store_result *r;
	if (by && prove_admin(st, a, cmd, by) < 0) {
		arena_destroy(a);
		store_close(st);
		return 1;
	}
	int rc = store_begin(st);
	if (rc == 0)
		rc = store_exec(st, a, stmt, p, &r);
	if (rc == 0 && ret_value)
		snprintf(ret_value, size, "%s", store_get(r, 0, col) ? store_get(r, 0, col) : "");
	if (rc == 0)
		rc = store_commit(st);
	if (rc < 0) {
		fprintf(stderr, "placard %s: %s\n", cmd, store_error_message(st));
		store_rollback(st);
	}
	arena_destroy(a);
	store_close(st);
	return rc < 0 ? 1 : 0;
}

/* --reason and --by after the id at @argv[2]; 0, or 2 after printing @usage. */
static int reason_and_by(int argc, char **argv, const char *usage, const char **ret_reason,
                         const char **ret_by)
{
	*ret_reason = *ret_by = NULL;
	for (int i = 3; i < argc; i++) {
		if (streq(argv[i], "--reason") && i + 1 < argc)
			*ret_reason = argv[++i];
		else if (streq(argv[i], "--by") && i + 1 < argc)
			*ret_by = argv[++i];
		else
			goto bad;
	}
	if (*ret_reason && **ret_reason && *ret_by && **ret_by)
		return 0;
bad:
	fputs(usage, stderr);
	return 2;
}

static bool is_id(const char *s)
{
	long long v;
	return parse_int64(s, 1, INT64_MAX, &v) == 0;
}

int cli_text(const struct config *cfg, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, text_usage))
		return 0;
	const char *reason, *by;
	if (argc < 3 || !streq(argv[1], "erase") || !is_id(argv[2])) {
		fputs(text_usage, stderr);
		return 2;
	}
	if (reason_and_by(argc, argv, text_usage, &reason, &by))
		return 2;
	crypto_init();
	const char *p[] = { argv[2], by, reason };
	char ref[256];
	int status = run(cfg, "text erase", by, STMT_LOG_TEXT_ERASE, p, "ref", ref, sizeof(ref));
	if (status == 0)
		printf("placard text erase: text %s erased; the log keeps only %s\n", argv[2], ref);
	return status;
}

int cli_log(const struct config *cfg, int argc, char **argv)
{
	if (argc >= 2 && streq(argv[1], "keygen"))
		return cli_log_keygen(cfg, argc - 1, argv + 1);
	if (cli_wants_help(argc, argv, log_usage))
		return 0;
	if (argc < 3 || !streq(argv[1], "redact") || !is_id(argv[2])) {
		fputs(log_usage, stderr);
		return 2;
	}
	crypto_init();
	if (argc == 4 && streq(argv[3], "--apply")) {
		const char *p[] = { argv[2] };
		char changed[8];
		int status = run(cfg, "log redact", NULL, STMT_LOG_REDACT_APPLY, p, "applied",
		                 changed, sizeof(changed));
		if (status == 0)
			printf("placard log redact: entry %s %s\n", argv[2],
			       streq(changed, "t") ? "redacted (payload withheld)"
			                           : "was already redacted");
		return status;
	}
	const char *reason, *by;
	if (reason_and_by(argc, argv, log_usage, &reason, &by))
		return 2;
	const char *p[] = { argv[2], by, reason };
	int status = run(cfg, "log redact", by, STMT_LOG_REDACTION_REQUEST, p, NULL, NULL, 0);
	if (status == 0)
		printf("placard log redact: redaction of entry %s recorded; apply it with "
		       "'placard log redact %s --apply' as the database owner\n",
		       argv[2], argv[2]);
	return status;
}
