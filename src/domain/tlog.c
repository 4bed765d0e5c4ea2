/*
 * tlog.c - the Merkle tree, its tiles and signed checkpoints of the public event log. See
 * tlog.h.
 */
#include "domain/tlog.h"

#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

/* The signature line's dash: U+2014, in UTF-8. */
#define EM_DASH     "\xe2\x80\x94"
#define ALG_ED25519 0x01
/* A cosignature/v1 key (c2sp.org/tlog-cosignature): Ed25519 over a timestamped message. */
#define ALG_COSIG 0x04

void tlog_leaf_hash(const void *data, size_t len, struct tlog_hash *out)
{
	crypto_hash_sha256_state s;
	const unsigned char prefix = 0x00;
	crypto_hash_sha256_init(&s);
	crypto_hash_sha256_update(&s, &prefix, 1);
	crypto_hash_sha256_update(&s, data, len);
	crypto_hash_sha256_final(&s, out->b);
}

void tlog_node_hash(const struct tlog_hash *left, const struct tlog_hash *right,
                    struct tlog_hash *out)
{
	unsigned char in[1 + 2 * TLOG_HASH_LEN];
	in[0] = 0x01;
	memcpy(in + 1, left->b, TLOG_HASH_LEN);
	memcpy(in + 1 + TLOG_HASH_LEN, right->b, TLOG_HASH_LEN);
	crypto_hash_sha256(out->b, in, sizeof(in));
}

void tlog_fold(const struct tlog_hash *h, size_t n, struct tlog_hash *out)
{
	struct tlog_hash level[TLOG_TILE_WIDTH];
	memcpy(level, h, n * sizeof(*h));
	while (n > 1) {
		for (size_t i = 0; i < n / 2; i++)
			tlog_node_hash(&level[2 * i], &level[2 * i + 1], &level[i]);
		n /= 2;
	}
	*out = level[0];
}

void tlog_hash_base64(const struct tlog_hash *h, char out[48])
{
	sodium_bin2base64(out, 48, h->b, TLOG_HASH_LEN, sodium_base64_VARIANT_ORIGINAL);
}

/* Decode standard padded base64 @s (all of it) into at most @max bytes. */
static int base64_decode(const char *s, size_t slen, unsigned char *out, size_t max,
                         size_t *ret_len)
{
	const char *end;
	if (slen == 0 || sodium_base642bin(out, max, s, slen, NULL, ret_len, &end,
	                                   sodium_base64_VARIANT_ORIGINAL) != 0)
		return -EINVAL;
	return end == s + slen ? 0 : -EINVAL;
}

int tlog_hash_from_base64(const char *s, struct tlog_hash *out)
{
	size_t n;
	if (base64_decode(s, strlen(s), out->b, TLOG_HASH_LEN, &n) < 0 || n != TLOG_HASH_LEN)
		return -EINVAL;
	return 0;
}

int tlog_hash_from_hex(const char *s, struct tlog_hash *out)
{
	size_t n;
	const char *end;
	if (strlen(s) != 2 * TLOG_HASH_LEN ||
	    sodium_hex2bin(out->b, TLOG_HASH_LEN, s, strlen(s), NULL, &n, &end) != 0 ||
	    n != TLOG_HASH_LEN)
		return -EINVAL;
	return 0;
}

/* The hash of the complete subtree of 2^@level leaves numbered @index at that level. */
static int subtree(const struct tlog_reader *r, int level, long long index, struct tlog_hash *out)
{
	struct tlog_hash h[TLOG_TILE_WIDTH];
	int tile_level = level / TLOG_TILE_HEIGHT, rest = level % TLOG_TILE_HEIGHT;
	int count = 1 << rest;
	int rc = r->read(r->ctx, tile_level, index << rest, count, h);
	if (rc < 0)
		return rc;
	tlog_fold(h, (size_t)count, out);
	return 0;
}

static int log2_exact(long long n)
{
	int l = 0;
	while ((1LL << l) < n)
		l++;
	return l;
}

/* The largest power of two below @n (n > 1). */
static long long split(long long n)
{
	long long k = 1;
	while (k * 2 < n)
		k *= 2;
	return k;
}

/* MTH(D[lo:hi]), hi > lo, lo a multiple of the largest power of two not above hi - lo. */
static int range_hash(const struct tlog_reader *r, long long lo, long long hi,
                      struct tlog_hash *out)
{
	long long n = hi - lo;
	if ((n & (n - 1)) == 0)
		return subtree(r, log2_exact(n), lo / n, out);
	long long k = split(n);
	struct tlog_hash left, right;
	int rc = range_hash(r, lo, lo + k, &left);
	if (rc == 0)
		rc = range_hash(r, lo + k, hi, &right);
	if (rc == 0)
		tlog_node_hash(&left, &right, out);
	return rc;
}

int tlog_tree_hash(const struct tlog_reader *r, long long size, struct tlog_hash *out)
{
	if (size < 0)
		return -EINVAL;
	if (size == 0) {
		crypto_hash_sha256(out->b, (const unsigned char *)"", 0);
		return 0;
	}
	return range_hash(r, 0, size, out);
}

static int emit(const struct tlog_reader *r, long long lo, long long hi,
                struct tlog_hash proof[TLOG_PROOF_MAX], int *n)
{
	if (*n >= TLOG_PROOF_MAX)
		return -EINVAL;
	int rc = range_hash(r, lo, hi, &proof[*n]);
	if (rc == 0)
		(*n)++;
	return rc;
}

static int path(const struct tlog_reader *r, long long m, long long lo, long long hi,
                struct tlog_hash proof[TLOG_PROOF_MAX], int *n)
{
	if (hi - lo == 1)
		return 0;
	long long k = split(hi - lo);
	int rc;
	if (m < lo + k) {
		if ((rc = path(r, m, lo, lo + k, proof, n)) < 0)
			return rc;
		return emit(r, lo + k, hi, proof, n);
	}
	if ((rc = path(r, m, lo + k, hi, proof, n)) < 0)
		return rc;
	return emit(r, lo, lo + k, proof, n);
}

int tlog_prove_inclusion(const struct tlog_reader *r, long long index, long long size,
                         struct tlog_hash proof[TLOG_PROOF_MAX], int *ret_n)
{
	*ret_n = 0;
	if (index < 0 || index >= size)
		return -EINVAL;
	return path(r, index, 0, size, proof, ret_n);
}

static int subproof(const struct tlog_reader *r, long long m, long long lo, long long hi, bool b,
                    struct tlog_hash proof[TLOG_PROOF_MAX], int *n)
{
	long long size = hi - lo;
	if (m == size)
		return b ? 0 : emit(r, lo, hi, proof, n);
	long long k = split(size);
	int rc;
	if (m <= k) {
		if ((rc = subproof(r, m, lo, lo + k, b, proof, n)) < 0)
			return rc;
		return emit(r, lo + k, hi, proof, n);
	}
	if ((rc = subproof(r, m - k, lo + k, hi, false, proof, n)) < 0)
		return rc;
	return emit(r, lo, lo + k, proof, n);
}

int tlog_prove_consistency(const struct tlog_reader *r, long long old, long long size,
                           struct tlog_hash proof[TLOG_PROOF_MAX], int *ret_n)
{
	*ret_n = 0;
	if (old <= 0 || old > size)
		return -EINVAL;
	if (old == size)
		return 0;
	return subproof(r, old, 0, size, true, proof, ret_n);
}

static bool hash_eq(const struct tlog_hash *a, const struct tlog_hash *b)
{
	return sodium_memcmp(a->b, b->b, TLOG_HASH_LEN) == 0;
}

int tlog_check_inclusion(const struct tlog_hash *leaf, long long index, long long size,
                         const struct tlog_hash *root, const struct tlog_hash *proof, int n)
{
	if (index < 0 || index >= size)
		return -EINVAL;
	long long fn = index, sn = size - 1;
	struct tlog_hash h = *leaf;
	for (int i = 0; i < n; i++) {
		if (sn == 0)
			return -EINVAL;
		if ((fn & 1) || fn == sn) {
			tlog_node_hash(&proof[i], &h, &h);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			tlog_node_hash(&h, &proof[i], &h);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && hash_eq(&h, root) ? 0 : -EINVAL;
}

int tlog_check_consistency(long long old, const struct tlog_hash *old_root, long long size,
                           const struct tlog_hash *root, const struct tlog_hash *proof, int n)
{
	if (old <= 0 || old > size)
		return -EINVAL;
	if (old == size)
		return n == 0 && hash_eq(old_root, root) ? 0 : -EINVAL;
	struct tlog_hash first;
	int i = 0;
	if ((old & (old - 1)) == 0) {
		first = *old_root;
	} else {
		if (n < 1)
			return -EINVAL;
		first = proof[i++];
	}
	long long fn = old - 1, sn = size - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	struct tlog_hash fr = first, sr = first;
	for (; i < n; i++) {
		if (sn == 0)
			return -EINVAL;
		if ((fn & 1) || fn == sn) {
			tlog_node_hash(&proof[i], &fr, &fr);
			tlog_node_hash(&proof[i], &sr, &sr);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			tlog_node_hash(&sr, &proof[i], &sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && hash_eq(&fr, old_root) && hash_eq(&sr, root) ? 0 : -EINVAL;
}

void tlog_builder_init(struct tlog_builder *b)
{
	memset(b, 0, sizeof(*b));
}

/* Add @h to the tile being filled at @level; report and climb when it is full. */
static int tile_add(struct tlog_builder *b, int level, const struct tlog_hash *h)
{
	if (level >= 8)
		return 0;
	b->tile[level][b->width[level]++] = *h;
	if (b->width[level] < TLOG_TILE_WIDTH)
		return 0;
	long long index = (b->size >> (TLOG_TILE_HEIGHT * level)) / TLOG_TILE_WIDTH - 1;
	if (b->on_tile) {
		int rc = b->on_tile(b->ctx, level, index, TLOG_TILE_WIDTH, b->tile[level]);
		if (rc < 0)
			return rc;
	}
	struct tlog_hash root;
	tlog_fold(b->tile[level], TLOG_TILE_WIDTH, &root);
	b->width[level] = 0;
	return tile_add(b, level + 1, &root);
}

int tlog_builder_add(struct tlog_builder *b, const struct tlog_hash *leaf)
{
	long long old = b->size++;
	b->stack[b->depth++] = *leaf;
	for (long long n = old; n & 1; n >>= 1) {
		tlog_node_hash(&b->stack[b->depth - 2], &b->stack[b->depth - 1],
		               &b->stack[b->depth - 2]);
		b->depth--;
	}
	return tile_add(b, 0, leaf);
}

void tlog_builder_root(const struct tlog_builder *b, struct tlog_hash *out)
{
	if (b->depth == 0) {
		crypto_hash_sha256(out->b, (const unsigned char *)"", 0);
		return;
	}
	struct tlog_hash h = b->stack[b->depth - 1];
	for (int i = b->depth - 2; i >= 0; i--)
		tlog_node_hash(&b->stack[i], &h, &h);
	*out = h;
}

int tlog_builder_flush(struct tlog_builder *b)
{
	for (int level = 0; level < 8 && b->on_tile; level++) {
		if (b->width[level] == 0)
			continue;
		long long index = (b->size >> (TLOG_TILE_HEIGHT * level)) / TLOG_TILE_WIDTH;
		int rc = b->on_tile(b->ctx, level, index, b->width[level], b->tile[level]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void tlog_tile_path(int level, long long index, int width, char out[TLOG_PATH_MAX])
{
	/* At most "tile/" + 11 + "/" + seven groups (34) + ".p/255": 57 bytes. */
	unsigned groups[8];
	int n = 0;
	unsigned long long v = (unsigned long long)index;
	do {
		groups[n++] = (unsigned)(v % 1000);
		v /= 1000;
	} while (v > 0 && n < 8);
	int at;
	if (level == TLOG_ENTRIES_LEVEL)
		at = snprintf(out, TLOG_PATH_MAX, "tile/entries/");
	else
		at = snprintf(out, TLOG_PATH_MAX, "tile/%d/", level);
	for (int i = n - 1; i >= 0; i--) {
		if (i > 0)
			out[at++] = 'x';
		out[at++] = (char)('0' + groups[i] / 100);
		out[at++] = (char)('0' + groups[i] / 10 % 10);
		out[at++] = (char)('0' + groups[i] % 10);
		if (i > 0)
			out[at++] = '/';
	}
	out[at] = '\0';
	if (width > 0 && width < TLOG_TILE_WIDTH)
		snprintf(out + at, (size_t)(TLOG_PATH_MAX - at), ".p/%u", (unsigned)width % 1000);
}

int tlog_tile_parse(const char *p, int *ret_level, long long *ret_index, int *ret_width)
{
	const char *whole = p;
	if (strncmp(p, "tile/", 5) != 0 || strlen(p) >= TLOG_PATH_MAX)
		return -EINVAL;
	p += 5;
	int level;
	if (strncmp(p, "entries/", 8) == 0) {
		level = TLOG_ENTRIES_LEVEL;
		p += 8;
	} else {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		level = 0;
		while (*p >= '0' && *p <= '9' && level < 100)
			level = level * 10 + (*p++ - '0');
		if (*p++ != '/' || level > 7)
			return -EINVAL;
	}
	long long index = 0;
	int width = TLOG_TILE_WIDTH;
	for (;;) {
		bool x = *p == 'x';
		p += x;
		if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
		      p[2] <= '9'))
			return -EINVAL;
		if (index > 999999999999999LL)
			return -EINVAL;
		index = index * 1000 + (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
		p += 3;
		if (x) {
			if (*p++ != '/')
				return -EINVAL;
			continue;
		}
		if (*p == '\0')
			break;
		if (strncmp(p, ".p/", 3) != 0)
			return -EINVAL;
		p += 3;
		if (*p < '1' || *p > '9')
			return -EINVAL;
		width = 0;
		while (*p >= '0' && *p <= '9' && width < 1000)
			width = width * 10 + (*p++ - '0');
		if (*p != '\0' || width >= TLOG_TILE_WIDTH)
			return -EINVAL;
		break;
	}
	/* One path per tile: the form written must be the form read (no needless groups). */
	char again[TLOG_PATH_MAX];
	tlog_tile_path(level, index, width, again);
	if (!streq(again, whole))
		return -EINVAL;
	*ret_level = level;
	*ret_index = index;
	*ret_width = width;
	return 0;
}

void tlog_checkpoint_body(const char *origin, long long size, const struct tlog_hash *root,
                          struct buf *out)
{
	char b64[48];
	tlog_hash_base64(root, b64);
	buf_addf(out, "%s\n%lld\n%s\n", origin, size, b64);
}

bool tlog_origin_valid(const char *origin)
{
	size_t n = strlen(origin);
	if (n == 0 || n >= TLOG_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)origin[i] < ' ' || origin[i] == 0x7f)
			return false;
	return true;
}

int tlog_checkpoint_parse(const char *body, size_t len, char origin[TLOG_NAME_MAX],
                          long long *ret_size, struct tlog_hash *ret_root)
{
	const char *end = body + len, *p = body;
	const char *line[3];
	size_t linelen[3];
	for (int i = 0; i < 3; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return -EINVAL;
		line[i] = p;
		linelen[i] = (size_t)(nl - p);
		p = nl + 1;
	}
	if (linelen[0] == 0 || linelen[0] >= TLOG_NAME_MAX || linelen[1] == 0 || linelen[1] > 19 ||
	    linelen[2] >= 48)
		return -EINVAL;
	long long size = 0;
	if (linelen[1] > 1 && line[1][0] == '0')
		return -EINVAL;
	for (size_t i = 0; i < linelen[1]; i++) {
		if (line[1][i] < '0' || line[1][i] > '9')
			return -EINVAL;
		int digit = line[1][i] - '0';
		/* Nineteen digits may pass LLONG_MAX: no tree is that large. */
		if (size > (LLONG_MAX - digit) / 10)
			return -EINVAL;
		size = size * 10 + digit;
	}
	char b64[48];
	memcpy(b64, line[2], linelen[2]);
	b64[linelen[2]] = '\0';
	if (tlog_hash_from_base64(b64, ret_root) < 0)
		return -EINVAL;
	memcpy(origin, line[0], linelen[0]);
	origin[linelen[0]] = '\0';
	if (!tlog_origin_valid(origin) || strlen(origin) != linelen[0])
		return -EINVAL;
	*ret_size = size;
	return 0;
}

bool tlog_name_valid(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= TLOG_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c <= ' ' || c == '+' || c == 0x7f)
			return false;
	}
	return true;
}

static uint32_t key_hash(const char *name, unsigned char alg, const unsigned char pk[32])
{
	crypto_hash_sha256_state s;
	unsigned char h[32];
	const unsigned char sep[2] = { '\n', alg };
	crypto_hash_sha256_init(&s);
	crypto_hash_sha256_update(&s, (const unsigned char *)name, strlen(name));
	crypto_hash_sha256_update(&s, sep, 2);
	crypto_hash_sha256_update(&s, pk, 32);
	crypto_hash_sha256_final(&s, h);
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

uint32_t tlog_key_hash(const char *name, const unsigned char pk[32])
{
	return key_hash(name, ALG_ED25519, pk);
}

uint32_t tlog_cosig_key_hash(const char *name, const unsigned char pk[32])
{
	return key_hash(name, ALG_COSIG, pk);
}

int tlog_key_from_seed(const char *name, const unsigned char seed[32], struct tlog_key *ret)
{
	if (!tlog_name_valid(name))
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	snprintf(ret->name, sizeof(ret->name), "%s", name);
	crypto_sign_ed25519_seed_keypair(ret->pk, ret->sk, seed);
	ret->hash = tlog_key_hash(name, ret->pk);
	return 0;
}

static void add_key_b64(struct buf *out, unsigned char alg, const unsigned char *key32)
{
	unsigned char k[33];
	char b64[64];
	k[0] = alg;
	memcpy(k + 1, key32, 32);
	sodium_bin2base64(b64, sizeof(b64), k, sizeof(k), sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(k, sizeof(k));
	buf_addf(out, "%s", b64);
	sodium_memzero(b64, sizeof(b64));
}

void tlog_key_skey(const struct tlog_key *k, struct buf *out)
{
	buf_addf(out, "PRIVATE+KEY+%s+%08x+", k->name, k->hash);
	add_key_b64(out, ALG_ED25519, k->sk); /* the first 32 bytes of sk are the seed */
}

void tlog_key_vkey(const struct tlog_key *k, struct buf *out)
{
	buf_addf(out, "%s+%08x+", k->name, k->hash);
	add_key_b64(out, ALG_ED25519, k->pk);
}

void tlog_cosig_vkey(const struct tlog_key *k, struct buf *out)
{
	buf_addf(out, "%s+%08x+", k->name, tlog_cosig_key_hash(k->name, k->pk));
	add_key_b64(out, ALG_COSIG, k->pk);
}

/* "<name>+<hash>+<base64>" (the tail of either key) into its parts. */
static int parse_key_tail(const char *s, size_t len, unsigned char alg, char name[TLOG_NAME_MAX],
                          uint32_t *hash, unsigned char key[32])
{
	const char *p1 = memchr(s, '+', len);
	if (!p1 || p1 == s || (size_t)(p1 - s) >= TLOG_NAME_MAX)
		return -EINVAL;
	const char *rest = p1 + 1, *end = s + len;
	const char *p2 = memchr(rest, '+', (size_t)(end - rest));
	if (!p2 || p2 - rest != 8)
		return -EINVAL;
	memcpy(name, s, (size_t)(p1 - s));
	name[p1 - s] = '\0';
	if (!tlog_name_valid(name))
		return -EINVAL;
	uint32_t h = 0;
	for (int i = 0; i < 8; i++) {
		char c = rest[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return -EINVAL;
		h = h << 4 | (uint32_t)v;
	}
	unsigned char k[40];
	size_t n;
	int rc = base64_decode(p2 + 1, (size_t)(end - p2 - 1), k, sizeof(k), &n);
	if (rc == 0 && (n != 33 || k[0] != alg))
		rc = -EINVAL;
	if (rc == 0)
		memcpy(key, k + 1, 32);
	sodium_memzero(k, sizeof(k));
	*hash = h;
	return rc;
}

static size_t trimmed(const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	return n;
}

int tlog_key_parse_skey(const char *s, struct tlog_key *ret)
{
	static const char prefix[] = "PRIVATE+KEY+";
	size_t n = trimmed(s);
	if (n < sizeof(prefix) || strncmp(s, prefix, sizeof(prefix) - 1) != 0)
		return -EINVAL;
	char name[TLOG_NAME_MAX];
	unsigned char seed[32];
	uint32_t hash;
	int rc = parse_key_tail(s + sizeof(prefix) - 1, n - (sizeof(prefix) - 1), ALG_ED25519, name,
	                        &hash, seed);
	if (rc == 0)
		rc = tlog_key_from_seed(name, seed, ret);
	sodium_memzero(seed, sizeof(seed));
	if (rc == 0 && ret->hash != hash) {
		sodium_memzero(ret, sizeof(*ret));
		rc = -EINVAL;
	}
	return rc;
}

int tlog_parse_vkey(const char *s, char name[TLOG_NAME_MAX], unsigned char pk[32],
                    uint32_t *ret_hash)
{
	uint32_t hash;
	int rc = parse_key_tail(s, trimmed(s), ALG_ED25519, name, &hash, pk);
	if (rc < 0)
		return rc;
	if (tlog_key_hash(name, pk) != hash)
		return -EINVAL;
	*ret_hash = hash;
	return 0;
}

int tlog_cosig_parse_vkey(const char *s, char name[TLOG_NAME_MAX], unsigned char pk[32],
                          uint32_t *ret_hash)
{
	uint32_t hash;
	int rc = parse_key_tail(s, trimmed(s), ALG_COSIG, name, &hash, pk);
	if (rc < 0)
		return rc;
	if (tlog_cosig_key_hash(name, pk) != hash)
		return -EINVAL;
	*ret_hash = hash;
	return 0;
}

/* The message a cosignature/v1 signs: its header lines, then the checkpoint body. */
static void cosig_message(uint64_t t, const char *body, size_t len, struct buf *out)
{
	buf_addf(out, "cosignature/v1\ntime %llu\n", (unsigned long long)t);
	buf_add(out, body, len);
}

void tlog_cosign(const struct tlog_key *k, const char *body, size_t len, uint64_t t,
                 struct buf *out)
{
	uint32_t h = tlog_cosig_key_hash(k->name, k->pk);
	unsigned char sig[4 + 8 + crypto_sign_ed25519_BYTES];
	for (int i = 0; i < 4; i++)
		sig[i] = (unsigned char)(h >> (24 - 8 * i));
	for (int i = 0; i < 8; i++)
		sig[4 + i] = (unsigned char)(t >> (56 - 8 * i));
	struct buf m = BUF_INIT;
	cosig_message(t, body, len, &m);
	crypto_sign_ed25519_detached(sig + 12, NULL, (const unsigned char *)m.data, m.len, k->sk);
	buf_release(&m);
	char b64[160];
	sodium_bin2base64(b64, sizeof(b64), sig, sizeof(sig), sodium_base64_VARIANT_ORIGINAL);
	buf_addf(out, EM_DASH " %s %s\n", k->name, b64);
}

int tlog_cosig_verify(const char *line, size_t len, const char *body, size_t blen, const char *vkey,
                      uint64_t *ret_time)
{
	char name[TLOG_NAME_MAX];
	unsigned char pk[32];
	uint32_t hash;
	if (tlog_cosig_parse_vkey(vkey, name, pk, &hash) < 0)
		return -EINVAL;
	if (len > 0 && line[len - 1] == '\n')
		len--;
	static const char dash[] = EM_DASH " ";
	size_t nl = strlen(name);
	if (len < sizeof(dash) + nl + 1 || memcmp(line, dash, sizeof(dash) - 1) != 0 ||
	    memcmp(line + sizeof(dash) - 1, name, nl) != 0 || line[sizeof(dash) - 1 + nl] != ' ')
		return -EINVAL;
	const char *b = line + sizeof(dash) + nl;
	unsigned char sig[4 + 8 + crypto_sign_ed25519_BYTES + 8];
	size_t n;
	if (base64_decode(b, (size_t)(line + len - b), sig, sizeof(sig), &n) < 0 ||
	    n != 4 + 8 + crypto_sign_ed25519_BYTES)
		return -EINVAL;
	uint32_t h =
	        (uint32_t)sig[0] << 24 | (uint32_t)sig[1] << 16 | (uint32_t)sig[2] << 8 | sig[3];
	uint64_t t = 0;
	for (int i = 0; i < 8; i++)
		t = t << 8 | sig[4 + i];
	if (h != hash)
		return -EPERM;
	struct buf m = BUF_INIT;
	cosig_message(t, body, blen, &m);
	int ok = crypto_sign_ed25519_verify_detached(sig + 12, (const unsigned char *)m.data, m.len,
	                                             pk);
	buf_release(&m);
	if (ok != 0)
		return -EPERM;
	if (ret_time)
		*ret_time = t;
	return 0;
}

int tlog_witness_parse(const char *req, size_t len, long long *ret_old,
                       struct tlog_hash proof[TLOG_PROOF_MAX], int *ret_n, size_t *ret_note_at)
{
	if (memchr(req, '\0', len))
		return -EINVAL;
	const char *p = req, *end = req + len;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl || nl - p < 5 || nl - p > 24 || memcmp(p, "old ", 4) != 0)
		return -EINVAL;
	long long old = 0;
	for (const char *c = p + 4; c < nl; c++) {
		if (*c < '0' || *c > '9' || old > (INT64_MAX - 9) / 10 ||
		    (c == p + 4 && *c == '0' && nl - c > 1))
			return -EINVAL;
		old = old * 10 + (*c - '0');
	}
	int n = 0;
	for (p = nl + 1; p < end && *p != '\n'; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl || n == TLOG_PROOF_MAX || nl - p != 44)
			return -EINVAL;
		char b64[45];
		memcpy(b64, p, 44);
		b64[44] = '\0';
		if (tlog_hash_from_base64(b64, &proof[n++]) < 0)
			return -EINVAL;
	}
	if (p >= end)
		return -EINVAL;
	*ret_old = old;
	*ret_n = n;
	*ret_note_at = (size_t)(p + 1 - req);
	return 0;
}

void tlog_note_sign(const struct tlog_key *k, const char *body, size_t len, struct buf *out)
{
	buf_add(out, body, len);
	buf_addstr(out, "\n");
	tlog_note_add_signature(k, body, len, out);
}

void tlog_note_add_signature(const struct tlog_key *k, const char *body, size_t len,
                             struct buf *out)
{
	unsigned char sig[4 + crypto_sign_ed25519_BYTES];
	sig[0] = (unsigned char)(k->hash >> 24);
	sig[1] = (unsigned char)(k->hash >> 16);
	sig[2] = (unsigned char)(k->hash >> 8);
	sig[3] = (unsigned char)k->hash;
	crypto_sign_ed25519_detached(sig + 4, NULL, (const unsigned char *)body, len, k->sk);
	char b64[128];
	sodium_bin2base64(b64, sizeof(b64), sig, sizeof(sig), sodium_base64_VARIANT_ORIGINAL);
	buf_addf(out, EM_DASH " %s %s\n", k->name, b64);
}

int tlog_note_verify(const char *text, size_t len, const char *vkey, size_t *ret_body_len)
{
	char name[TLOG_NAME_MAX];
	unsigned char pk[32];
	uint32_t hash;
	if (tlog_parse_vkey(vkey, name, pk, &hash) < 0)
		return -EINVAL;
	if (len < 2 || text[len - 1] != '\n' || memchr(text, '\0', len))
		return -EINVAL;
	/* The signatures follow the last blank line. */
	size_t split_at = 0;
	for (size_t i = len - 1; i > 0; i--) {
		if (text[i - 1] == '\n' && text[i] == '\n') {
			split_at = i;
			break;
		}
	}
	if (split_at == 0)
		return -EINVAL;
	size_t body_len = split_at; /* up to and including the newline before the blank line */
	const char *p = text + split_at + 1, *end = text + len;
	bool verified = false;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return -EINVAL;
		size_t ll = (size_t)(nl - p);
		static const char dash[] = EM_DASH " ";
		if (ll < sizeof(dash) || memcmp(p, dash, sizeof(dash) - 1) != 0)
			return -EINVAL;
		const char *nm = p + sizeof(dash) - 1;
		const char *sp = memchr(nm, ' ', (size_t)(nl - nm));
		if (!sp || sp == nm)
			return -EINVAL;
		size_t nmlen = (size_t)(sp - nm);
		unsigned char sig[4 + crypto_sign_ed25519_BYTES + 16];
		size_t siglen;
		if (base64_decode(sp + 1, (size_t)(nl - sp - 1), sig, sizeof(sig), &siglen) < 0 ||
		    siglen < 4)
			return -EINVAL;
		uint32_t h = (uint32_t)sig[0] << 24 | (uint32_t)sig[1] << 16 |
		             (uint32_t)sig[2] << 8 | sig[3];
		if (nmlen == strlen(name) && memcmp(nm, name, nmlen) == 0 && h == hash &&
		    siglen == 4 + crypto_sign_ed25519_BYTES &&
		    crypto_sign_ed25519_verify_detached(sig + 4, (const unsigned char *)text,
		                                        body_len, pk) == 0)
			verified = true;
		p = nl + 1;
	}
	if (!verified)
		return -EPERM;
	*ret_body_len = body_len;
	return 0;
}
