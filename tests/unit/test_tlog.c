/*
 * Unit tests for domain/tlog.c: the RFC 6962 test vectors, and tree hashes, proofs, tile paths
 * and signed notes compared with what golang.org/x/mod/sumdb/tlog and note give for the same
 * input (the expected values below were printed by those packages).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "domain/tlog.h"

static void hex(const struct tlog_hash *h, char out[65])
{
	sodium_bin2hex(out, 65, h->b, TLOG_HASH_LEN);
}

static void b64(const struct tlog_hash *h, char out[48])
{
	tlog_hash_base64(h, out);
}

/* An in-memory tile store, filled by a builder, read by the proof functions. */
#define MEM_LEAVES 1000
struct mem {
	struct tlog_hash level[2][MEM_LEAVES]; /* tile levels 0 and 1 */
	long long count[2];
	int tiles_reported;
};

static int mem_tile(void *ctx, int level, long long index, int width,
                    const struct tlog_hash *hashes)
{
	struct mem *m = ctx;
	assert_true(level < 2);
	memcpy(&m->level[level][index * TLOG_TILE_WIDTH], hashes, (size_t)width * sizeof(*hashes));
	if (index * TLOG_TILE_WIDTH + width > m->count[level])
		m->count[level] = index * TLOG_TILE_WIDTH + width;
	m->tiles_reported++;
	return 0;
}

static int mem_read(void *ctx, int tile_level, long long first, int count, struct tlog_hash *out)
{
	struct mem *m = ctx;
	if (tile_level > 1 || first + count > m->count[tile_level])
		return -ENOENT;
	/* All within one tile, as the reader's contract says. */
	assert_int_equal(first / TLOG_TILE_WIDTH, (first + count - 1) / TLOG_TILE_WIDTH);
	memcpy(out, &m->level[tile_level][first], (size_t)count * sizeof(*out));
	return 0;
}

/* Leaves as the Go program made them: leaf data = SHA-256 of the decimal index. */
static struct mem *build(long long n, struct tlog_hash *ret_root)
{
	struct mem *m = calloc(1, sizeof(*m));
	struct tlog_builder *b = malloc(sizeof(*b));
	tlog_builder_init(b);
	b->on_tile = mem_tile;
	b->ctx = m;
	for (long long i = 0; i < n; i++) {
		char d[24];
		unsigned char data[32];
		snprintf(d, sizeof(d), "%lld", i);
		crypto_hash_sha256(data, (const unsigned char *)d, strlen(d));
		struct tlog_hash leaf;
		tlog_leaf_hash(data, sizeof(data), &leaf);
		assert_int_equal(tlog_builder_add(b, &leaf), 0);
	}
	assert_int_equal(tlog_builder_flush(b), 0);
	tlog_builder_root(b, ret_root);
	free(b);
	return m;
}

static void test_rfc6962_vectors(void **state)
{
	(void)state;
	static const char *const leaves[] = { "",
		                              "00",
		                              "10",
		                              "2021",
		                              "3031",
		                              "40414243",
		                              "5051525354555657",
		                              "606162636465666768696a6b6c6d6e6f" };
	static const char *const roots[] = {
		"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
		"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
		"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
		"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
		"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
		"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
		"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
	};
	struct tlog_builder *b = malloc(sizeof(*b));
	tlog_builder_init(b);
	struct tlog_hash root;
	char h[65];
	tlog_builder_root(b, &root);
	hex(&root, h);
	/* The empty tree: SHA-256 of nothing. */
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	for (int i = 0; i < 8; i++) {
		unsigned char data[16];
		size_t n = 0;
		sodium_hex2bin(data, sizeof(data), leaves[i], strlen(leaves[i]), NULL, &n, NULL);
		struct tlog_hash leaf;
		tlog_leaf_hash(data, n, &leaf);
		tlog_builder_add(b, &leaf);
		tlog_builder_root(b, &root);
		hex(&root, h);
		assert_string_equal(h, roots[i]);
	}
	free(b);
}

static void test_tree_hash_from_tiles_as_go(void **state)
{
	(void)state;
	static const struct {
		long long size;
		const char *root;
	} want[] = {
		{ 1, "E6dxdeNesdnake4U3w13cs6nEomAAgbitFyILssG778=" },
		{ 2, "u7RBUwvd7VTm4r/NyCmBn/ObMHaOufAjBx3/wWtBDxA=" },
		{ 3, "i+hx8TeFtMgaFwBFnHasKzriyuu3h2w3biI8at/5jEc=" },
		{ 255, "EUJGmqCKlxPj3+RmpnXtH71c5HGJU2fzNc5lcTzYfeg=" },
		{ 256, "iMPe0O1SC1wLdDrpFksN/haaS9AHnm1F0DroLRy9Alk=" },
		{ 257, "FNH7OxYSRxi+H5A9ry4+3VcS0ctqESWCfFrR8Z6et0o=" },
		{ 511, "0dil5UeyvJ9CLcIVCM6oi9gf2Lu0Dr1K2htMy9RstD4=" },
		{ 512, "zKX6vyhgz1Kod+1hApjYczAx2vd1birkPBqv0MAKXGw=" },
		{ 513, "f62VjLE1rNS9T6vCCuKqxMhU5/g4DT5TlmgjD+EL4GE=" },
		{ 1000, "O5O3DtaN54R8+vs5jz3wzyMv4F37EX+KjPncMZkN2zs=" },
	};
	struct tlog_hash built;
	struct mem *m = build(1000, &built);
	/* Three full level-0 tiles, the partial fourth and the partial level-1 tile. */
	assert_int_equal(m->tiles_reported, 5);
	assert_int_equal(m->count[0], 1000);
	assert_int_equal(m->count[1], 3);
	struct tlog_reader r = { mem_read, m };
	char got[48];
	b64(&built, got);
	assert_string_equal(got, want[9].root);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct tlog_hash h;
		assert_int_equal(tlog_tree_hash(&r, want[i].size, &h), 0);
		b64(&h, got);
		assert_string_equal(got, want[i].root);
	}
	free(m);
}

static void test_proofs_as_go(void **state)
{
	(void)state;
	static const char *const incl[] = {
		"f7vRyorXdm/SbQ3o6zPxvACrr6+RszKSrj2i+wqzM8s=",
		"mYcdyAR6Fy6keHkwRVBz/ojCdg4dRySqggjry9Tx1Fg=",
		"BDt3I7CKtVti71K24QYREsii2NyTbVyerZmppAI11ks=",
		"Y/jP4YoRATSlFlT2GSonsNuU6vvcRTKPzbNrsFrLMqM=",
		"0SJBsvOdMXh1xJvUx6Z05BqMj1CxkmYzu2rZPl4Ti7s=",
		"HT71i4oNYoDw4JTpSY0E24y8rIRDGwtiFgOfa4etFrE=",
		"Os4RqDASkklvy21uFmWl8Y0PJ2zdfhaEh4zhnkBnI/g=",
		"qdAToKRXHLguZaQWnSVvardhVRh9GQkTZym4RAhFCTg=",
		"ra7N2DQERALJ2lBFfV8blqnERwkhx7zA7/golULHj4c=",
		"zKX6vyhgz1Kod+1hApjYczAx2vd1birkPBqv0MAKXGw=",
	};
	static const char *const cons[] = {
		"86/PUWdce4TuuvkM9y/BEpQD3OcctrRx5khxbAX01jU=",
		"7kwmepsada26wC59wZgsghbkZIwk5qBs7Q64NJL6HYA=",
		"3Usfb4uOD3qRL32x6TkOkn4/vYaIJsB9CdAuVfdaGgs=",
		"LwRhxSUkacP6PPDQrpNRMLtpjvpZSfWbH/mQ7y6NN6c=",
		"SWp0HCsuh58NOu5IDCGgKQ7BMum01Euq0cJ+ZwIQGdk=",
		"75n9UVIFKCNL/BSusb+m7tSX/SsC1LAqPOxz9aErV2U=",
		"Ofyp+Q34qSfhbSswqtLQsmc78uhrzJStrBMTCcrrhIs=",
		"iMPe0O1SC1wLdDrpFksN/haaS9AHnm1F0DroLRy9Alk=",
		"KcSPXPUlamkLX0lEiqMj53VQh9nxyXp/Pc7NIblW0Vg=",
	};
	struct tlog_hash root;
	struct mem *m = build(1000, &root);
	struct tlog_reader r = { mem_read, m };
	struct tlog_hash proof[TLOG_PROOF_MAX];
	int n;
	char got[48];
	assert_int_equal(tlog_prove_inclusion(&r, 700, 1000, proof, &n), 0);
	assert_int_equal(n, 10);
	for (int i = 0; i < n; i++) {
		b64(&proof[i], got);
		assert_string_equal(got, incl[i]);
	}
	struct tlog_hash leaf = m->level[0][700];
	assert_int_equal(tlog_check_inclusion(&leaf, 700, 1000, &root, proof, n), 0);
	/* Another leaf, another index, a changed proof: refused. */
	assert_int_equal(tlog_check_inclusion(&m->level[0][701], 700, 1000, &root, proof, n),
	                 -EINVAL);
	assert_int_equal(tlog_check_inclusion(&leaf, 701, 1000, &root, proof, n), -EINVAL);
	assert_int_equal(tlog_check_inclusion(&leaf, 700, 1000, &root, proof, n - 1), -EINVAL);
	proof[3].b[0] ^= 1;
	assert_int_equal(tlog_check_inclusion(&leaf, 700, 1000, &root, proof, n), -EINVAL);

	assert_int_equal(tlog_prove_consistency(&r, 300, 1000, proof, &n), 0);
	assert_int_equal(n, 9);
	for (int i = 0; i < n; i++) {
		b64(&proof[i], got);
		assert_string_equal(got, cons[i]);
	}
	struct tlog_hash old;
	assert_int_equal(tlog_tree_hash(&r, 300, &old), 0);
	assert_int_equal(tlog_check_consistency(300, &old, 1000, &root, proof, n), 0);
	assert_int_equal(tlog_check_consistency(301, &old, 1000, &root, proof, n), -EINVAL);
	struct tlog_hash forked = old;
	forked.b[31] ^= 0x80;
	assert_int_equal(tlog_check_consistency(300, &forked, 1000, &root, proof, n), -EINVAL);

	/* Every pair of sizes up to 40 and every leaf: proofs made are proofs that hold. */
	for (long long size = 1; size <= 40; size++) {
		struct tlog_hash rs;
		assert_int_equal(tlog_tree_hash(&r, size, &rs), 0);
		for (long long i = 0; i < size; i++) {
			assert_int_equal(tlog_prove_inclusion(&r, i, size, proof, &n), 0);
			assert_int_equal(
			        tlog_check_inclusion(&m->level[0][i], i, size, &rs, proof, n), 0);
		}
		for (long long o = 1; o <= size; o++) {
			struct tlog_hash ro;
			assert_int_equal(tlog_tree_hash(&r, o, &ro), 0);
			assert_int_equal(tlog_prove_consistency(&r, o, size, proof, &n), 0);
			assert_int_equal(tlog_check_consistency(o, &ro, size, &rs, proof, n), 0);
			if (o < size)
				assert_int_equal(
				        tlog_check_consistency(o, &rs, size, &rs, proof, n),
				        -EINVAL);
		}
	}
	assert_int_equal(tlog_prove_inclusion(&r, 1000, 1000, proof, &n), -EINVAL);
	assert_int_equal(tlog_prove_consistency(&r, 0, 1000, proof, &n), -EINVAL);
	assert_int_equal(tlog_prove_consistency(&r, 1001, 1000, proof, &n), -EINVAL);
	/* A hash the store does not have is the reader's error. */
	assert_int_equal(tlog_tree_hash(&r, 1001, &old), -ENOENT);
	free(m);
}

static void test_tile_paths(void **state)
{
	(void)state;
	char p[TLOG_PATH_MAX];
	tlog_tile_path(0, 1234067, 5, p);
	/* What Go writes, without its tile height segment (tile/8/0/x001/x234/067.p/5). */
	assert_string_equal(p, "tile/0/x001/x234/067.p/5");
	tlog_tile_path(1, 0, 256, p);
	assert_string_equal(p, "tile/1/000");
	tlog_tile_path(TLOG_ENTRIES_LEVEL, 1000, 256, p);
	assert_string_equal(p, "tile/entries/x001/000");
	int l, w;
	long long n;
	assert_int_equal(tlog_tile_parse("tile/0/x001/x234/067.p/5", &l, &n, &w), 0);
	assert_int_equal(l, 0);
	assert_int_equal(n, 1234067);
	assert_int_equal(w, 5);
	assert_int_equal(tlog_tile_parse("tile/entries/x001/000", &l, &n, &w), 0);
	assert_int_equal(l, TLOG_ENTRIES_LEVEL);
	assert_int_equal(n, 1000);
	assert_int_equal(w, 256);
	assert_int_equal(tlog_tile_parse("tile/2/999", &l, &n, &w), 0);
	static const char *const bad[] = {
		"tile/0/1",         "tile/0/x000/001",  "tile/0/001.p/0",
		"tile/0/001.p/256", "tile/0/001.p/05",  "tile/01/001",
		"tile/8/001",       "tile/0/001/",      "tile/0/x001",
		"tile/0/0001",      "tile/data/000",    "tiles/0/000",
		"tile/0/001.p/",    "tile//001",        "tile/0/x01/000",
		"tile/0/001.p/5/",  "tile/entries/00a", "",
		"tile/0/-01",       "tile/0/001 ",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (tlog_tile_parse(bad[i], &l, &n, &w) == 0)
			fail_msg("\"%s\" was read as a tile path", bad[i]);
	/* Every path written is read back as the same tile. */
	static const long long idx[] = { 0, 1, 999, 1000, 1001, 999999, 1000000, 123456789012LL };
	for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++) {
		for (int lev = -1; lev < 8; lev++) {
			tlog_tile_path(lev, idx[i], lev == 3 ? 17 : 256, p);
			assert_int_equal(tlog_tile_parse(p, &l, &n, &w), 0);
			assert_int_equal(l, lev);
			assert_int_equal(n, idx[i]);
			assert_int_equal(w, lev == 3 ? 17 : 256);
		}
	}
}

static const char peter_skey[] =
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char peter_vkey[] =
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

static void test_keys_and_notes_as_go(void **state)
{
	(void)state;
	struct tlog_key k;
	assert_int_equal(tlog_key_parse_skey(peter_skey, &k), 0);
	assert_string_equal(k.name, "PeterNeumann");
	assert_int_equal(k.hash, 0xc74f20a3);
	struct buf out = BUF_INIT;
	tlog_key_vkey(&k, &out);
	assert_string_equal(out.data, peter_vkey);
	buf_truncate(&out, 0);
	tlog_key_skey(&k, &out);
	assert_string_equal(out.data, peter_skey);
	buf_truncate(&out, 0);

	/* note_test.go's TestSign. */
	static const char text[] = "If you think cryptography is the answer to your problem,\n"
	                           "then you don't know what your problem is.\n";
	tlog_note_sign(&k, text, strlen(text), &out);
	assert_string_equal(
	        out.data,
	        "If you think cryptography is the answer to your problem,\n"
	        "then you don't know what your problem is.\n"
	        "\n"
	        "\xe2\x80\x94 PeterNeumann "
	        "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotp"
	        "RZb6KE6RyyBwJnAM=\n");
	size_t body;
	assert_int_equal(tlog_note_verify(out.data, out.len, peter_vkey, &body), 0);
	assert_int_equal(body, strlen(text));
	buf_truncate(&out, 0);

	/* A checkpoint Go signed (tlog's tree of 1000 leaves above, origin example.com/log). */
	static const char go_checkpoint[] =
	        "example.com/log\n1000\nO5O3DtaN54R8+vs5jz3wzyMv4F37EX+KjPncMZkN2zs=\n\n"
	        "\xe2\x80\x94 PeterNeumann "
	        "x08goyByFbXnrnylHKQRopTJjNXYG+DluIuZzWhnFF1IJCeAoseyYPg9onZqXQ2hf/"
	        "uYIJkk1kmbxmqXDHRziVgHjw0=\n";
	struct tlog_hash root;
	struct mem *m = build(1000, &root);
	free(m);
	struct buf cp = BUF_INIT;
	tlog_checkpoint_body("example.com/log", 1000, &root, &cp);
	tlog_note_sign(&k, cp.data, cp.len, &out);
	buf_release(&cp);
	assert_string_equal(out.data, go_checkpoint);
	assert_int_equal(tlog_note_verify(go_checkpoint, strlen(go_checkpoint), peter_vkey, &body),
	                 0);
	char origin[TLOG_NAME_MAX];
	long long size;
	struct tlog_hash parsed;
	assert_int_equal(tlog_checkpoint_parse(go_checkpoint, body, origin, &size, &parsed), 0);
	assert_string_equal(origin, "example.com/log");
	assert_int_equal(size, 1000);
	assert_memory_equal(parsed.b, root.b, 32);

	/* A changed size, another key, a changed signature: not verified. */
	char *forged = strdup(go_checkpoint);
	forged[17] = '2';
	assert_int_equal(tlog_note_verify(forged, strlen(forged), peter_vkey, &body), -EPERM);
	free(forged);
	unsigned char seed[32] = { 7 };
	struct tlog_key other;
	assert_int_equal(tlog_key_from_seed("PeterNeumann", seed, &other), 0);
	buf_truncate(&out, 0);
	tlog_key_vkey(&other, &out);
	assert_int_equal(tlog_note_verify(go_checkpoint, strlen(go_checkpoint), out.data, &body),
	                 -EPERM);
	buf_truncate(&out, 0);
	forged = strdup(go_checkpoint);
	forged[strlen(forged) - 10] ^= 0x01;
	assert_int_not_equal(tlog_note_verify(forged, strlen(forged), peter_vkey, &body), 0);
	free(forged);
	/* No blank line, no signature: malformed. */
	assert_int_equal(tlog_note_verify(text, strlen(text), peter_vkey, &body), -EINVAL);

	/* Signed by two keys (a rotation): each verifies it, a third does not; the first
	 * signature line is the one tlog_note_sign() writes. */
	struct buf two = BUF_INIT, vother = BUF_INIT, vthird = BUF_INIT;
	tlog_note_sign(&k, text, strlen(text), &two);
	size_t one_len = two.len;
	tlog_note_add_signature(&other, text, strlen(text), &two);
	assert_true(two.len > one_len);
	tlog_key_vkey(&other, &vother);
	assert_int_equal(tlog_note_verify(two.data, two.len, peter_vkey, &body), 0);
	assert_int_equal(body, strlen(text));
	assert_int_equal(tlog_note_verify(two.data, two.len, vother.data, &body), 0);
	unsigned char seed3[32] = { 9 };
	struct tlog_key third;
	assert_int_equal(tlog_key_from_seed("PeterNeumann", seed3, &third), 0);
	tlog_key_vkey(&third, &vthird);
	assert_int_equal(tlog_note_verify(two.data, two.len, vthird.data, &body), -EPERM);
	buf_release(&two);
	buf_release(&vother);
	buf_release(&vthird);

	/* Keys that are not keys. */
	char name[TLOG_NAME_MAX];
	unsigned char pk[32];
	uint32_t hash;
	assert_int_equal(tlog_parse_vkey(peter_vkey, name, pk, &hash), 0);
	assert_int_equal(
	        tlog_parse_vkey(
	                "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", name,
	                pk, &hash),
	        -EINVAL);
	assert_int_equal(
	        tlog_parse_vkey(
	                "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", name,
	                pk, &hash),
	        -EINVAL);
	assert_int_equal(tlog_key_parse_skey(peter_vkey, &other), -EINVAL);
	assert_int_equal(tlog_key_from_seed("two words", seed, &other), -EINVAL);
	assert_int_equal(tlog_key_from_seed("a+b", seed, &other), -EINVAL);
	assert_int_equal(tlog_key_from_seed("", seed, &other), -EINVAL);
	buf_release(&out);
}

static void test_checkpoint_parse(void **state)
{
	(void)state;
	char origin[TLOG_NAME_MAX];
	long long size;
	struct tlog_hash h;
	static const char ok[] = "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nextra\n";
	assert_int_equal(tlog_checkpoint_parse(ok, strlen(ok), origin, &size, &h), 0);
	assert_int_equal(size, 0);
	static const char *const bad[] = {
		"o\n01\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
		"o\n-1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
		"\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
		"o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF=\n",
		"o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
		"o\tx\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(tlog_checkpoint_parse(bad[i], strlen(bad[i]), origin, &size, &h),
		                 -EINVAL);
	/* A NUL in the origin line: not an origin. */
	static const char nul[] = "\0Fg\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
	assert_int_equal(tlog_checkpoint_parse(nul, sizeof(nul) - 1, origin, &size, &h), -EINVAL);
	/* Nineteen digits past LLONG_MAX (found by the fuzzer: the sum overflowed); the largest
	 * size a long long holds still parses. */
	static const char huge[] =
	        "o\n9999999999999991000\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
	assert_int_equal(tlog_checkpoint_parse(huge, strlen(huge), origin, &size, &h), -EINVAL);
	static const char over[] =
	        "o\n9223372036854775808\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
	assert_int_equal(tlog_checkpoint_parse(over, strlen(over), origin, &size, &h), -EINVAL);
	static const char max[] =
	        "o\n9223372036854775807\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n";
	assert_int_equal(tlog_checkpoint_parse(max, strlen(max), origin, &size, &h), 0);
	assert_true(size == LLONG_MAX);
}

/* cosignature/v1: the key's type and hash, a cosignature over exactly the body, and the
 * tlog-witness request format. */
static void test_cosignatures_and_witness_requests(void **state)
{
	(void)state;
	unsigned char seed[32] = { 9 };
	struct tlog_key k;
	assert_int_equal(tlog_key_from_seed("witness.test/w", seed, &k), 0);
	struct buf v = BUF_INIT, line = BUF_INIT;
	tlog_cosig_vkey(&k, &v);
	char name[TLOG_NAME_MAX], want[16];
	unsigned char pk[32];
	uint32_t hash;
	assert_int_equal(tlog_cosig_parse_vkey(v.data, name, pk, &hash), 0);
	assert_string_equal(name, "witness.test/w");
	assert_memory_equal(pk, k.pk, 32);
	assert_int_not_equal(hash, k.hash);            /* the key type is part of the hash */
	snprintf(want, sizeof(want), "+%08x+B", hash); /* base64 of 0x04... starts with B */
	assert_non_null(strstr(v.data, want));
	/* The log-key form of the same key is not a cosignature key, and the reverse. */
	struct buf lv = BUF_INIT;
	tlog_key_vkey(&k, &lv);
	assert_int_equal(tlog_cosig_parse_vkey(lv.data, name, pk, &hash), -EINVAL);
	assert_int_equal(tlog_parse_vkey(v.data, name, pk, &hash), -EINVAL);

	const char body[] = "test.example/log\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
	tlog_cosign(&k, body, strlen(body), 1700000123, &line);
	assert_true(strncmp(line.data, "\xe2\x80\x94 witness.test/w ", 18) == 0);
	assert_int_equal(line.data[line.len - 1], '\n');
	uint64_t t = 0;
	assert_int_equal(tlog_cosig_verify(line.data, line.len, body, strlen(body), v.data, &t), 0);
	assert_int_equal(t, 1700000123);
	char other[sizeof(body)];
	memcpy(other, body, sizeof(body));
	other[17] = '6';
	assert_int_equal(tlog_cosig_verify(line.data, line.len, other, strlen(other), v.data, NULL),
	                 -EPERM);
	/* Another witness's key does not verify it. */
	struct tlog_key k2;
	seed[0] = 10;
	assert_int_equal(tlog_key_from_seed("witness.test/w", seed, &k2), 0);
	struct buf v2 = BUF_INIT;
	tlog_cosig_vkey(&k2, &v2);
	assert_int_equal(tlog_cosig_verify(line.data, line.len, body, strlen(body), v2.data, NULL),
	                 -EPERM);

	/* Requests: "old N", proof lines, a blank line, the note. */
	struct tlog_hash proof[TLOG_PROOF_MAX];
	long long old;
	int n;
	size_t at;
	const char ok[] = "old 4\n"
	                  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
	                  "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=\n"
	                  "\n"
	                  "note";
	assert_int_equal(tlog_witness_parse(ok, strlen(ok), &old, proof, &n, &at), 0);
	assert_int_equal(old, 4);
	assert_int_equal(n, 2);
	assert_string_equal(ok + at, "note");
	assert_int_equal(tlog_witness_parse("old 0\n\nx", 8, &old, proof, &n, &at), 0);
	assert_int_equal(old, 0);
	assert_int_equal(n, 0);
	const char *bad[] = { "old 01\n\nx",
		              "old -1\n\nx",
		              "old 4\nnot a hash\n\nx",
		              "old 4\n",
		              "new 4\n\nx",
		              "old 4\nAAAA\n\nx",
		              "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(tlog_witness_parse(bad[i], strlen(bad[i]), &old, proof, &n, &at),
		                 -EINVAL);
	buf_release(&v);
	buf_release(&v2);
	buf_release(&lv);
	buf_release(&line);
}

int main(void)
{
	crypto_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6962_vectors),
		cmocka_unit_test(test_tree_hash_from_tiles_as_go),
		cmocka_unit_test(test_proofs_as_go),
		cmocka_unit_test(test_tile_paths),
		cmocka_unit_test(test_keys_and_notes_as_go),
		cmocka_unit_test(test_checkpoint_parse),
		cmocka_unit_test(test_cosignatures_and_witness_requests),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
