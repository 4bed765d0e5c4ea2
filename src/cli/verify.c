/*
 * verify.c - placard verify-log: recompute the event log's hash chain from the database and
 * name the first entry that does not hold. Pending events are sealed first, so the check
 * covers everything committed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/crypto.h"
#include "core/util.h"
#include "domain/eventlog.h"
#include "store/sealer.h"
#include "store/store.h"

#define VERIFY_PAGE 5000

static const char verify_usage[] =
        "usage: placard verify-log [--no-seal] [--head SEQ:HASH]\n"
        "\n"
        "Recompute the SHA-256 chain of the public event log in PLACARD_DATABASE_URL.\n"
        "Exits 0 when every entry holds, 1 naming the first broken entry otherwise.\n"
        "  --no-seal         do not seal pending events first\n"
        "  --head SEQ:HASH   a head kept earlier (GET /api/v1/log/head, or log_seq and\n"
        "                    log_hash in an open-data feed's feed_info.csv): also check\n"
        "                    that entry SEQ is still there with that hash, so that the\n"
        "                    log has only been added to since\n";

int cli_verify_log(const struct config *cfg, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, verify_usage))
		return 0;
	bool seal = true;
	long long kept_seq = 0;
	char kept_hash[SHA256_HEX_LEN + 1] = "";
	for (int i = 1; i < argc; i++) {
		if (streq(argv[i], "--no-seal")) {
			seal = false;
		} else if (streq(argv[i], "--head")) {
			if (i + 1 >= argc ||
			    eventlog_parse_head(argv[i + 1], &kept_seq, kept_hash) < 0) {
				fprintf(stderr, "placard verify-log: --head needs SEQ:HASH, a "
				                "sequence number "
				                "and the entry's 64 hex digits (as GET "
				                "/api/v1/log/head gives "
				                "them)\n");
				return 2;
			}
			i++;
		} else {
			fprintf(stderr, "placard verify-log: unknown option %s\n\n%s", argv[i],
			        verify_usage);
			return 2;
		}
	}
	crypto_init();
	struct store *st;
	char err[512];
	if (store_open(cfg->database_url, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "placard verify-log: %s\n", err);
		return 1;
	}
	if (seal && store_seal_all(st) < 0) {
		fprintf(stderr, "placard verify-log: cannot seal pending events: %s\n",
		        store_error_message(st));
		store_close(st);
		return 1;
	}
	long long prev_seq = 0, count = 0, redacted = 0;
	char prev_hash[SHA256_HEX_LEN + 1];
	snprintf(prev_hash, sizeof(prev_hash), "%s", eventlog_genesis);
	int status = 0;
	for (;;) {
		struct arena *a = arena_new();
		char after[24], limit[24];
		snprintf(after, sizeof(after), "%lld", prev_seq);
		snprintf(limit, sizeof(limit), "%d", VERIFY_PAGE);
		const char *p[] = { after, limit };
		struct store_result *r;
		int rc = store_exec(st, a, STMT_LOG_VERIFY_PAGE, p, &r);
		if (rc < 0) {
			fprintf(stderr, "placard verify-log: %s\n", store_error_message(st));
			arena_destroy(a);
			status = 1;
			break;
		}
		int n = store_nrows(r);
		int c_seq = store_column(r, "seq"), c_prev = store_column(r, "prev_hash"),
		    c_at = store_column(r, "occurred_at"), c_kind = store_column(r, "kind"),
		    c_subject = store_column(r, "subject"), c_payload = store_column(r, "payload"),
		    c_hash = store_column(r, "hash"), c_redacted = store_column(r, "redacted");
		for (int i = 0; i < n && status == 0; i++) {
			const char *seq = store_value(r, i, c_seq);
			struct eventlog_entry e = {
				.seq = seq ? strtoll(seq, NULL, 10) : 0,
				.prev_hash = store_value(r, i, c_prev),
				.occurred_at = store_value(r, i, c_at),
				.kind = store_value(r, i, c_kind),
				.subject = store_value(r, i, c_subject),
				.payload = store_value(r, i, c_payload),
				.hash = store_value(r, i, c_hash),
				.redacted = streq(store_value(r, i, c_redacted), "t"),
			};
			enum eventlog_fault f = eventlog_check(&e, prev_seq, prev_hash);
			if (f != EVENTLOG_OK) {
				printf("placard verify-log: entry %lld is broken: %s\n",
				       prev_seq + 1 == e.seq ? e.seq : prev_seq + 1,
				       eventlog_fault_text(f));
				status = 1;
				break;
			}
			if (e.seq == kept_seq && !streq(e.hash, kept_hash)) {
				printf("placard verify-log: entry %lld has hash %s, not the %s "
				       "kept: "
				       "the log was rewritten since that head was kept\n",
				       e.seq, e.hash, kept_hash);
				status = 1;
				break;
			}
			prev_seq = e.seq;
			snprintf(prev_hash, sizeof(prev_hash), "%s", e.hash);
			count++;
			redacted += e.redacted;
		}
		arena_destroy(a);
		if (status || n < VERIFY_PAGE)
			break;
	}
	if (status == 0 && kept_seq > prev_seq) {
		printf("placard verify-log: the log ends at entry %lld, before the entry %lld "
		       "kept: entries were removed since that head was kept\n",
		       prev_seq, kept_seq);
		status = 1;
	}
	if (status == 0) {
		printf("placard verify-log: %lld entries verified; head %lld:%s\n", count, prev_seq,
		       prev_hash);
		/* A redacted entry's link held, and the next entry pins its hash; its content
		 * was withheld and cannot be recomputed. */
		if (redacted)
			printf("placard verify-log: %lld entr%s redacted (content withheld)\n",
			       redacted, redacted == 1 ? "y" : "ies");
		if (kept_seq)
			printf("placard verify-log: entry %lld still has the hash kept: the log "
			       "has only been added to since\n",
			       kept_seq);
	}
	store_close(st);
	return status;
}
