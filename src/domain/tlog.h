/*
 * tlog.h - the Merkle tree over the public event log, its tiles, and signed checkpoints, as
 * pure computations.
 *
 * The tree is the one of RFC 6962 / RFC 9162 with SHA-256: a leaf's hash is
 * SHA-256(0x00 || leaf data), an interior node's SHA-256(0x01 || left || right). Leaf i (from
 * 0) is event_log entry seq = i + 1, and its leaf data are the 32 bytes of that entry's chain
 * hash (the hex in event_log.hash, decoded). The chain hash already pins the entry's content,
 * and a redacted entry keeps it, so a redaction leaves the tree as it was.
 *
 * The tree is stored and published as C2SP tlog-tiles (https://c2sp.org/tlog-tiles): tiles of
 * height 8. Tile (L, N) holds the hashes at tree level 8*L with indexes 256*N to 256*N+255
 * (level 0: the leaf hashes); a partial tile holds the first W of them. A level-(L+1) hash is
 * the root of a full level-L tile.
 *
 * Checkpoints are C2SP tlog-checkpoint notes (https://c2sp.org/tlog-checkpoint) signed as
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519:
 *     <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64(key hash || sig)>\n
 * where the key hash is the first 4 bytes of SHA-256(key name || 0x0A || 0x01 || public key)
 * and the signature covers the text up to and including the newline before the blank line.
 * Keys are written as the note formats give them (golang.org/x/mod/sumdb/note):
 *     verifier key  <name>+<key hash, 8 hex>+<base64(0x01 || public key)>
 *     signer key    PRIVATE+KEY+<name>+<key hash, 8 hex>+<base64(0x01 || Ed25519 seed)>
 *
 * Domain layer: no I/O. Hashes that live in the database come in through a reader callback.
 */
#ifndef PLACARD_DOMAIN_TLOG_H
#define PLACARD_DOMAIN_TLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define TLOG_HASH_LEN    32
#define TLOG_TILE_HEIGHT 8
#define TLOG_TILE_WIDTH  256
/* The longest tile path: "tile/entries/" and seven x-groups and ".p/255". */
#define TLOG_PATH_MAX 64
/* The longest proof: one hash per level of a tree of 2^63 leaves, twice for consistency. */
#define TLOG_PROOF_MAX 128
#define TLOG_NAME_MAX  256
/* Room for a verifier key: a name, '+', 8 hex digits, '+', base64 of 33 bytes. */
#define TLOG_VKEY_MAX (TLOG_NAME_MAX + 64)
/* The level that stands for the entry bundles in a tile path (tile/entries/...). */
#define TLOG_ENTRIES_LEVEL (-1)

struct tlog_hash {
	unsigned char b[TLOG_HASH_LEN];
};

/* SHA-256(0x00 || data) / SHA-256(0x01 || left || right). */
void tlog_leaf_hash(const void *data, size_t len, struct tlog_hash *out);
void tlog_node_hash(const struct tlog_hash *left, const struct tlog_hash *right,
                    struct tlog_hash *out);

/* The root of the 2^k hashes at @h (k up to 8: a tile's root when @n is 256). */
void tlog_fold(const struct tlog_hash *h, size_t n, struct tlog_hash *out);

/* Base64 (standard alphabet, padded) of a hash into @out; and back, 0 or -EINVAL. */
void tlog_hash_base64(const struct tlog_hash *h, char out[48]);
int tlog_hash_from_base64(const char *s, struct tlog_hash *out);
/* 64 hex digits (either case) to a hash; 0 or -EINVAL. */
int tlog_hash_from_hex(const char *s, struct tlog_hash *out);

/*
 * Where the tree's stored hashes come from: @count consecutive hashes at tree level
 * 8 * @tile_level from index @first (all within one tile), into @out. 0, or a negative errno
 * (which the proof functions return as it is).
 */
struct tlog_reader {
	int (*read)(void *ctx, int tile_level, long long first, int count, struct tlog_hash *out);
	void *ctx;
};

/* The hash of the tree of the first @size leaves (the empty tree's for 0: SHA-256 of ""). */
int tlog_tree_hash(const struct tlog_reader *r, long long size, struct tlog_hash *out);

/*
 * The inclusion proof of leaf @index in the tree of @size leaves (RFC 9162 2.1.3), into
 * @proof, its length in *@ret_n. -EINVAL unless 0 <= @index < @size.
 */
int tlog_prove_inclusion(const struct tlog_reader *r, long long index, long long size,
                         struct tlog_hash proof[TLOG_PROOF_MAX], int *ret_n);

/* The consistency proof from size @old to @size (RFC 9162 2.1.4). -EINVAL unless
 * 0 < @old <= @size (an empty proof when they are equal). */
int tlog_prove_consistency(const struct tlog_reader *r, long long old, long long size,
                           struct tlog_hash proof[TLOG_PROOF_MAX], int *ret_n);

/* Check proofs (RFC 9162 2.1.3.2 and 2.1.4.2): 0 when they hold, -EINVAL otherwise. */
int tlog_check_inclusion(const struct tlog_hash *leaf, long long index, long long size,
                         const struct tlog_hash *root, const struct tlog_hash *proof, int n);
int tlog_check_consistency(long long old, const struct tlog_hash *old_root, long long size,
                           const struct tlog_hash *root, const struct tlog_hash *proof, int n);

/*
 * The tree built leaf by leaf, in constant memory, with the tiles it completes: what
 * verify-log recomputes from the entries. A tile is reported to @tile (if set) when it becomes
 * full, and by tlog_builder_flush for the partial ones at the end.
 */
struct tlog_builder {
	long long size;
	/* The roots of the complete subtrees, largest first (a binary counter of the size). */
	struct tlog_hash stack[64];
	int depth;
	/* Per tile level, the hashes of the tile being filled. */
	struct tlog_hash tile[8][TLOG_TILE_WIDTH];
	int width[8];
	int (*on_tile)(void *ctx, int level, long long index, int width,
	               const struct tlog_hash *hashes);
	void *ctx;
};
void tlog_builder_init(struct tlog_builder *b);
/* Add the next leaf hash; 0 or what on_tile returned. */
int tlog_builder_add(struct tlog_builder *b, const struct tlog_hash *leaf);
/* The root of the tree so far. */
void tlog_builder_root(const struct tlog_builder *b, struct tlog_hash *out);
/* Report the partial tiles (width above 0) to on_tile; 0 or what it returned. */
int tlog_builder_flush(struct tlog_builder *b);

/*
 * A tile's path: "tile/<L>/<N>[.p/<W>]" (L is "entries" for TLOG_ENTRIES_LEVEL), with N in
 * three-digit groups, all but the last prefixed with x ("x001/x234/067"). @width 256 is a full
 * tile. tlog_tile_parse reads one (without a leading '/'): 0, or -EINVAL when it is not one in
 * exactly this form (so every tile has one path).
 */
void tlog_tile_path(int level, long long index, int width, char out[TLOG_PATH_MAX]);
int tlog_tile_parse(const char *path, int *ret_level, long long *ret_index, int *ret_width);

/* The checkpoint body "<origin>\n<size>\n<base64 root>\n", appended to @out. */
void tlog_checkpoint_body(const char *origin, long long size, const struct tlog_hash *root,
                          struct buf *out);
/* An origin line: 1 to 255 bytes, no control characters (spaces are allowed). */
bool tlog_origin_valid(const char *origin);
/* Parse a checkpoint body (extension lines after the root are allowed): 0 or -EINVAL. */
int tlog_checkpoint_parse(const char *body, size_t len, char origin[TLOG_NAME_MAX],
                          long long *ret_size, struct tlog_hash *ret_root);

/* A signing key: its name, the Ed25519 secret key (seed || public key) and the key hash. */
struct tlog_key {
	char name[TLOG_NAME_MAX];
	unsigned char sk[64];
	unsigned char pk[32];
	uint32_t hash;
};

/* A key name: 1 to 255 bytes, none of them a space, '+' or control character. */
bool tlog_name_valid(const char *name);
/* The key hash of an Ed25519 public key named @name. */
uint32_t tlog_key_hash(const char *name, const unsigned char pk[32]);
/* A new key from the 32-byte @seed (random in practice); -EINVAL for a bad name. */
int tlog_key_from_seed(const char *name, const unsigned char seed[32], struct tlog_key *ret);
/* The signer / verifier key text of @k, appended to @out. */
void tlog_key_skey(const struct tlog_key *k, struct buf *out);
void tlog_key_vkey(const struct tlog_key *k, struct buf *out);
/* Read a signer key text (trailing whitespace allowed): 0 or -EINVAL. */
int tlog_key_parse_skey(const char *s, struct tlog_key *ret);
/* Read a verifier key text into name, public key and key hash: 0 or -EINVAL (also when the
 * key hash does not match the key). */
int tlog_parse_vkey(const char *s, char name[TLOG_NAME_MAX], unsigned char pk[32],
                    uint32_t *ret_hash);

/* Sign @body (ends with a newline): appends body, the blank line and the signature line. */
void tlog_note_sign(const struct tlog_key *k, const char *body, size_t len, struct buf *out);
/* Append one more signature line of @k over @body to a note tlog_note_sign() wrote. */
void tlog_note_add_signature(const struct tlog_key *k, const char *body, size_t len,
                             struct buf *out);
/*
 * Verify the note @text against the verifier key @vkey: 0 when it has a signature line of
 * that key that holds, with the length of its body (up to and including the newline before
 * the blank line) in *@ret_body_len; -EINVAL for a malformed note or key, -EPERM when no
 * signature of the key holds.
 */
int tlog_note_verify(const char *text, size_t len, const char *vkey, size_t *ret_body_len);

/*
 * Witness cosignatures, C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), as C2SP
 * tlog-witness (https://c2sp.org/tlog-witness) returns them. A witness's key is an Ed25519 key
 * (kept as tlog_key, its signer key text as for a log key); its verifier key has type 0x04:
 *     <name>+<key hash, 8 hex>+<base64(0x04 || public key)>
 * with the key hash the first 4 bytes of SHA-256(name || 0x0A || 0x04 || public key). A
 * cosignature is a note signature line whose signature is key hash (4 bytes) || timestamp (8
 * bytes, big-endian Unix seconds) || Ed25519 signature of
 *     "cosignature/v1\ntime <timestamp>\n" || the checkpoint body
 */
uint32_t tlog_cosig_key_hash(const char *name, const unsigned char pk[32]);
void tlog_cosig_vkey(const struct tlog_key *k, struct buf *out);
/* Read a cosignature verifier key: 0 or -EINVAL. */
int tlog_cosig_parse_vkey(const char *s, char name[TLOG_NAME_MAX], unsigned char pk[32],
                          uint32_t *ret_hash);
/* Append the cosignature line ("— <name> <base64>\n") of checkpoint @body at time @t. */
void tlog_cosign(const struct tlog_key *k, const char *body, size_t len, uint64_t t,
                 struct buf *out);
/* Check cosignature @line (one line, its newline optional) of @body by the key @vkey: 0 with
 * its time in *@ret_time (if set), -EPERM when it does not hold, -EINVAL when malformed. */
int tlog_cosig_verify(const char *line, size_t len, const char *body, size_t blen, const char *vkey,
                      uint64_t *ret_time);

/*
 * A tlog-witness add-checkpoint request: "old <size>\n", the consistency proof from that size
 * as one base64 hash a line, a blank line, then the signed checkpoint, which starts at
 * *@ret_note_at. 0 or -EINVAL.
 */
int tlog_witness_parse(const char *req, size_t len, long long *ret_old,
                       struct tlog_hash proof[TLOG_PROOF_MAX], int *ret_n, size_t *ret_note_at);

#endif
