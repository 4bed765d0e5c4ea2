/*
 * tlog.h - the public log as a Merkle tree: its size, its tiles (C2SP tlog-tiles), inclusion
 * and consistency proofs, and checkpoints signed with the server's key (C2SP tlog-checkpoint,
 * signed-note). The tree itself is kept by the sealer (sql/functions/tlog_extend_sealed.sql);
 * the hashing rules are in domain/tlog.h.
 */
#ifndef PLACARD_RECORDS_TLOG_H
#define PLACARD_RECORDS_TLOG_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/tlog.h"
#include "records/records.h"

/* How many characters of the public key a printed card's link carries (12 bytes, base64url). */
#define REC_TLOG_PIN_LEN 16

/*
 * The server's checkpoint signer: its key, the log's origin line, the published verifier key,
 * and its pin: the first 12 bytes of the public key in base64url without padding, which a
 * grade card's QR code carries so that the page it opens can tell whether the key that signs
 * the record now is the one the card was printed under.
 */
struct rec_tlog_signer {
	struct tlog_key key;
	char origin[TLOG_NAME_MAX];
	char vkey[TLOG_VKEY_MAX];
	char pin[REC_TLOG_PIN_LEN + 1];
	/* During a rotation, the key being replaced: it signs every checkpoint too, so that a
	 * card or a reader that knows only the old key checks the new one through it. */
	bool has_previous;
	struct tlog_key previous;
	char previous_vkey[TLOG_VKEY_MAX];
};

/*
 * Read the signer key file at @path (as placard log keygen writes it: mode 0600, one line
 * PRIVATE+KEY+...) into @ret, with @origin as the checkpoints' origin line (NULL or "": the
 * key's name). 0, or a negative errno with a sentence in @err: the file cannot be read, is
 * readable by others than its owner, or is not a key; the origin is not a valid name.
 */
int rec_tlog_signer_load(const char *path, const char *origin, struct rec_tlog_signer *ret,
                         char *err, size_t errsize);

/*
 * Add the key being replaced, read from @path as rec_tlog_signer_load() reads a key, to @s:
 * every checkpoint is then signed by both. Refused (a negative errno, a sentence in @err)
 * as a key file is, and when it is the same key or carries another name than @s's key (a
 * new key keeps the log's name, so that verifiers find both signatures).
 */
int rec_tlog_signer_add_previous(struct rec_tlog_signer *s, const char *path, char *err,
                                 size_t errsize);

/* The number of entries the tree has now. */
int rec_tlog_size(struct rec *r, long long *ret);

/* The root hash of the tree of the first @size entries (refused unless within the tree). */
int rec_tlog_root(struct rec *r, long long size, struct tlog_hash *ret);

/*
 * The bytes of tile (@level, @index) of width @width (TLOG_TILE_WIDTH for a full tile;
 * TLOG_ENTRIES_LEVEL for an entry bundle: each entry's leaf data prefixed by its length as
 * two bytes, big-endian), in r->a. Refused (404) while the tree does not have that tile
 * with at least that width.
 */
int rec_tlog_tile(struct rec *r, int level, long long index, int width, const unsigned char **ret,
                  size_t *ret_len);

/*
 * The inclusion proof of leaf @index in the tree of @size entries, and the consistency proof
 * from @old entries to @size, as JSON text in r->a:
 *     {"index": N, "size": S, "root_hash": b64, "proof": [b64, ...]}
 *     {"old": M, "size": S, "old_root_hash": b64, "root_hash": b64, "proof": [b64, ...]}
 * Refused (400) for an index, old size or size outside the tree.
 */
int rec_tlog_inclusion(struct rec *r, long long index, long long size, const char **ret_json);
int rec_tlog_consistency(struct rec *r, long long old, long long size, const char **ret_json);

/*
 * The checkpoint of the tree as it is now, signed by @s, in r->a, with its tree size; the
 * last one kept is reused while the tree has not grown (*@ret_kept true). Read it where the
 * tiles and proofs are read (a replica), so that it never names a tree they lack yet.
 */
int rec_tlog_checkpoint(struct rec *r, const struct rec_tlog_signer *s, const char **ret_note,
                        long long *ret_size, bool *ret_kept);

/* Keep checkpoint @note of @size entries signed by @s in tlog_checkpoint (a writing
 * connection), and reuse it from then on while the tree has that size. */
int rec_tlog_checkpoint_keep(struct rec *r, const struct rec_tlog_signer *s, long long size,
                             const char *note);

/* A witness Placard asks to cosign its checkpoints (PLACARD_WITNESSES). */
#define REC_TLOG_WITNESSES_MAX 16
struct rec_tlog_witness {
	char name[TLOG_NAME_MAX];
	char vkey[TLOG_VKEY_MAX];
	char url[512];
};

/*
 * Read PLACARD_WITNESSES: entries separated by ';' or newlines, each a witness's cosignature
 * verifier key and the URL its add-checkpoint is under, separated by spaces
 * ("name+hash+key https://witness.example/"), into @ret (at most REC_TLOG_WITNESSES_MAX).
 * 0, or -EINVAL with a sentence in @err.
 */
int rec_tlog_witnesses_parse(const char *text, struct rec_tlog_witness *ret, int *ret_n, char *err,
                             size_t errsize);

/*
 * The witnesses configured (set once at start, before requests; kept by reference), and the
 * cosignature line witness @i gave for checkpoint body @body, kept until a newer one comes.
 */
void rec_tlog_witnesses_set(const struct rec_tlog_witness *list, int n);
void rec_tlog_cosignature_put(int i, const char *body, const char *line);

/* Signed checkpoint @note with the cosignature lines kept for its body appended, in r->a, and
 * how many there are. */
const char *rec_tlog_cosigned(struct rec *r, const char *note, int *ret_n);

/* The configured witnesses as JSON text in r->a, and whether the server signs checkpoints:
 * {"signed": bool, "witnesses": [{"name", "vkey"}, ...]}. */
const char *rec_tlog_witnesses_json(struct rec *r, bool signs);

#endif
