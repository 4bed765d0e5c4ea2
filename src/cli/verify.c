/*
 * verify.c - placard verify-log: recompute the event log's hash chain from the database and
 * name the first entry that does not hold. Pending events are sealed first, so the check
 * covers everything committed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/crypto.h"
#include "core/util.h"
#include "domain/eventlog.h"
#include "domain/tlog.h"
#include "store/sealer.h"
#include "store/store.h"

#define VERIFY_PAGE 5000

static const char verify_usage[] =
        "usage: placard verify-log [--no-seal] [--head SEQ:HASH] [--checkpoint FILE]\n"
        "                          [--key VKEY]\n"
        "\n"
        "Recompute the SHA-256 chain of the public event log in PLACARD_DATABASE_URL, and\n"
        "the Merkle tree over it: every stored tile, and the root of the newest signed\n"
        "checkpoint, whose signature is checked. Exits 0 when everything holds, 1 naming\n"
        "the first thing that does not otherwise.\n"
        "  --no-seal         do not seal pending events first\n"
        "  --head SEQ:HASH   a head kept earlier (GET /api/v1/log/head, or log_seq and\n"
        "                    log_hash in an open-data feed's feed_info.csv): also check\n"
        "                    that entry SEQ is still there with that hash, so that the\n"
        "                    log has only been added to since\n"
        "  --checkpoint FILE a signed checkpoint kept earlier (GET /checkpoint): check its\n"
        "                    signature and that the log's first entries still have its\n"
        "                    root, so that the log has only been added to since\n"
        "  --key VKEY        the verifier key published for the log (GET /api/v1/log/key):\n"
        "                    checkpoints must be signed with it (without it, with the key\n"
        "                    the database records with the newest checkpoint); give it\n"
        "                    up to four times around a key rotation: each checkpoint\n"
        "                    must then be signed with one of them\n";

#define VERIFY_KEYS_MAX 4

/* What the tree check needs while the entries stream past. */
struct tree_check {
	struct store *st;
	struct tlog_builder *b;
	long long fault_level, fault_index; /* the first stored tile that differs, or -1 */
	/* Checkpoints to compare: their sizes and the roots recomputed at those sizes. */
	long long want[2];
	struct tlog_hash got[2];
};

/* A tile recomputed from the entries: the stored one must begin with the same hashes (a
 * full tile is equal; the last, partial one may be wider when the log lost entries since,
 * which the checkpoints and the tree's size show). Records the first that does not. */
static int compare_tile(void *ctx, int level, long long index, int width,
                        const struct tlog_hash *hashes)
{
	struct tree_check *t = ctx;
	if (t->fault_level >= 0)
		return 0;
	struct arena *a = arena_new();
	char l[8], n[24];
	snprintf(l, sizeof(l), "%d", level);
	snprintf(n, sizeof(n), "%lld", index);
	const char *p[] = { l, n };
	struct store_result *r;
	int rc = store_exec(t->st, a, STMT_TLOG_TILE, p, &r);
	if (rc == 0) {
		const char *hex = store_nrows(r) ? store_get(r, 0, "hashes") : "";
		bool same = strlen(hex) >= (size_t)width * 64;
		for (int i = 0; same && i < width; i++) {
			char h[SHA256_HEX_LEN + 1];
			struct tlog_hash stored;
			memcpy(h, hex + i * 64, 64);
			h[64] = '\0';
			same = tlog_hash_from_hex(h, &stored) == 0 &&
			       memcmp(stored.b, hashes[i].b, TLOG_HASH_LEN) == 0;
		}
		if (!same) {
			t->fault_level = level;
			t->fault_index = index;
		}
	}
	arena_destroy(a);
	return rc;
}

/* The signed note in @text: its body's size, root and origin when the signature of one of
 * the @nkeys verifier keys holds, that key in *@ret_key; prints why not and returns -1
 * otherwise. */
static int open_checkpoint(const char *what, const char *text, const char *const *keys, int nkeys,
                           const char **ret_key, long long *ret_size, struct tlog_hash *ret_root)
{
	size_t body;
	char origin[TLOG_NAME_MAX];
	int rc = -EPERM;
	for (int i = 0; i < nkeys && rc == -EPERM; i++) {
		rc = tlog_note_verify(text, strlen(text), keys[i], &body);
		*ret_key = keys[i];
	}
	if (rc == -EPERM) {
		printf("placard verify-log: %s is not signed by the key%s", what,
		       nkeys > 1 ? "s" : "");
		for (int i = 0; i < nkeys; i++)
			printf("%s %s", i == 0 ? "" : (i == nkeys - 1 ? " nor" : ","), keys[i]);
		printf("\n");
		return -1;
	}
	if (rc < 0 || tlog_checkpoint_parse(text, body, origin, ret_size, ret_root) < 0) {
		printf("placard verify-log: %s is not a signed checkpoint%s\n", what,
		       rc == -EINVAL ? " (or the key is not a verifier key)" : "");
		return -1;
	}
	return 0;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len < (1 << 20))
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, NULL);
}

int cli_verify_log(const struct config *cfg, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, verify_usage))
		return 0;
	bool seal = true;
	long long kept_seq = 0;
	char kept_hash[SHA256_HEX_LEN + 1] = "";
	const char *checkpoint_file = NULL, *keys[VERIFY_KEYS_MAX], *signed_by = NULL;
	int nkeys = 0;
	for (int i = 1; i < argc; i++) {
		if (streq(argv[i], "--no-seal")) {
			seal = false;
		} else if (streq(argv[i], "--checkpoint") && i + 1 < argc) {
			checkpoint_file = argv[++i];
		} else if (streq(argv[i], "--key") && i + 1 < argc) {
			if (nkeys == VERIFY_KEYS_MAX) {
				fprintf(stderr, "placard verify-log: at most %d --key\n",
				        VERIFY_KEYS_MAX);
				return 2;
			}
			keys[nkeys++] = argv[++i];
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

	/* The checkpoints to check: the newest the server signed, and the one kept. */
	struct tree_check tree = { .st = st, .fault_level = -1, .want = { -1, -1 } };
	struct tlog_hash cp_root[2];
	char *cp_text[2] = { NULL, NULL };
	char *cp_vkey = NULL;
	long long tree_size = -1;
	{
		struct arena *a = arena_new();
		struct store_result *r;
		int rc = store_exec(st, a, STMT_TLOG_CHECKPOINT_LATEST, NULL, &r);
		if (rc == 0 && store_nrows(r)) {
			cp_text[0] = xstrdup(store_get(r, 0, "note"));
			cp_vkey = xstrdup(store_get(r, 0, "vkey"));
		}
		if (rc == 0)
			rc = store_exec(st, a, STMT_TLOG_SIZE, NULL, &r);
		if (rc == 0)
			tree_size = store_get_int(r, 0, "size");
		if (rc < 0) {
			fprintf(stderr, "placard verify-log: %s\n", store_error_message(st));
			status = 1;
		}
		arena_destroy(a);
	}
	if (checkpoint_file && !(cp_text[1] = read_text(checkpoint_file))) {
		fprintf(stderr, "placard verify-log: cannot read %s\n", checkpoint_file);
		status = 1;
	}
	if (nkeys == 0 && cp_vkey)
		keys[nkeys++] = cp_vkey;
	for (int k = 0; k < 2 && status == 0; k++) {
		const char *used = NULL;
		if (!cp_text[k])
			continue;
		if (nkeys == 0) {
			printf("placard verify-log: no verifier key to check %s with: give --key "
			       "VKEY "
			       "(GET /api/v1/log/key)\n",
			       checkpoint_file);
			status = 1;
		} else if (open_checkpoint(k ? checkpoint_file : "the newest checkpoint",
		                           cp_text[k], keys, nkeys, &used, &tree.want[k],
		                           &cp_root[k]) < 0) {
			status = 1;
		} else if (k == 0) {
			signed_by = used;
		}
	}
	tree.b = xcalloc(1, sizeof(*tree.b));
	tlog_builder_init(tree.b);
	tree.b->on_tile = compare_tile;
	tree.b->ctx = &tree;
	for (int k = 0; k < 2; k++)
		if (tree.want[k] == 0)
			tlog_builder_root(tree.b, &tree.got[k]);
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
			struct tlog_hash data, leaf;
			if (tlog_hash_from_hex(e.hash, &data) < 0) {
				printf("placard verify-log: entry %lld's hash is not 64 hex "
				       "digits\n",
				       e.seq);
				status = 1;
				break;
			}
			tlog_leaf_hash(data.b, TLOG_HASH_LEN, &leaf);
			if (tlog_builder_add(tree.b, &leaf) < 0) {
				fprintf(stderr, "placard verify-log: %s\n",
				        store_error_message(st));
				status = 1;
				break;
			}
			for (int k = 0; k < 2; k++)
				if (tree.want[k] == tree.b->size)
					tlog_builder_root(tree.b, &tree.got[k]);
			prev_seq = e.seq;
			snprintf(prev_hash, sizeof(prev_hash), "%s", e.hash);
			count++;
			redacted += e.redacted;
		}
		arena_destroy(a);
		if (status || n < VERIFY_PAGE)
			break;
	}
	if (status == 0 && tlog_builder_flush(tree.b) < 0) {
		fprintf(stderr, "placard verify-log: %s\n", store_error_message(st));
		status = 1;
	}
	/* The stored tree must serve what was signed: a tile that differs from the entries
	 * where a signed checkpoint covers them is a failure. Beyond every checkpoint (or before
	 * any was signed) the tree commits to nothing anyone kept, and a difference is reported:
	 * only a checkpoint (or a head) kept outside shows entries removed or rewritten. */
	long long signed_upto = tree.want[0] > tree.want[1] ? tree.want[0] : tree.want[1];
	bool tree_ok = tree_size == count && tree.fault_level < 0;
	char tree_warning[256] = "";
	if (status == 0 && tree.fault_level >= 0) {
		char path[TLOG_PATH_MAX];
		tlog_tile_path((int)tree.fault_level, tree.fault_index, TLOG_TILE_WIDTH, path);
		long long first = tree.fault_index << (TLOG_TILE_HEIGHT * (tree.fault_level + 1));
		if (first < signed_upto) {
			printf("placard verify-log: tile %s of the Merkle tree is not what the "
			       "entries give\n",
			       path);
			status = 1;
		} else {
			snprintf(tree_warning, sizeof(tree_warning),
			         "tile %s of the Merkle tree is not what the entries give (no "
			         "signed "
			         "checkpoint covers it)",
			         path);
		}
	}
	if (status == 0 && tree_size != count && !tree_warning[0])
		snprintf(tree_warning, sizeof(tree_warning),
		         "the Merkle tree has %lld entries, the log %lld", tree_size, count);
	for (int k = 0; k < 2 && status == 0; k++) {
		const char *what = k ? checkpoint_file : "the newest checkpoint";
		if (!cp_text[k])
			continue;
		if (tree.want[k] > count) {
			printf("placard verify-log: %s has %lld entries, the log only %lld: "
			       "entries were removed since it was signed\n",
			       what, tree.want[k], count);
			status = 1;
		} else if (memcmp(tree.got[k].b, cp_root[k].b, TLOG_HASH_LEN) != 0) {
			printf("placard verify-log: %s (%lld entries) has a root hash that the "
			       "log's first %lld entries do not give: the log was rewritten since "
			       "it was signed\n",
			       what, tree.want[k], tree.want[k]);
			status = 1;
		}
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
		struct tlog_hash root;
		char b64[48];
		tlog_builder_root(tree.b, &root);
		tlog_hash_base64(&root, b64);
		if (tree_ok)
			printf("placard verify-log: Merkle tree of %lld entries verified; root "
			       "%s\n",
			       count, b64);
		else
			printf("placard verify-log: warning: %s; the root of the %lld entries is "
			       "%s\n",
			       tree_warning, count, b64);
		if (cp_text[0])
			printf("placard verify-log: the newest checkpoint (%lld entries) is signed "
			       "by %s and matches the log\n",
			       tree.want[0], signed_by);
		else
			printf("placard verify-log: no checkpoint has been signed yet\n");
		if (cp_text[1])
			printf("placard verify-log: %s (%lld entries) matches the log: it has only "
			       "been added to since\n",
			       checkpoint_file, tree.want[1]);
	}
	free(tree.b);
	free(cp_text[0]);
	free(cp_text[1]);
	free(cp_vkey);
	store_close(st);
	return status;
}
