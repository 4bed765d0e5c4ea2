/*
 * fuzz_tlog.c - libFuzzer harness for what the log's Merkle tree reads from outside
 * (src/domain/tlog.c): tile paths (from request URLs), checkpoint bodies and signed notes
 * (files people keep), and note keys. A tile path read is written back exactly as it was
 * (one path per tile); a checkpoint or key read, written and read again, is the same; a
 * note verified by a key its signer never had is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/tlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char peter_vkey[] =
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';

	int level, width;
	long long index;
	if (tlog_tile_parse(s, &level, &index, &width) == 0) {
		char again[TLOG_PATH_MAX];
		tlog_tile_path(level, index, width, again);
		if (strcmp(again, s) != 0 || width < 1 || width > TLOG_TILE_WIDTH || index < 0)
			abort();
	}

	char origin[TLOG_NAME_MAX];
	long long tree_size;
	struct tlog_hash root;
	if (tlog_checkpoint_parse(s, size, origin, &tree_size, &root) == 0) {
		struct buf b = BUF_INIT;
		tlog_checkpoint_body(origin, tree_size, &root, &b);
		char origin2[TLOG_NAME_MAX];
		long long size2;
		struct tlog_hash root2;
		if (tlog_checkpoint_parse(b.data, b.len, origin2, &size2, &root2) != 0 ||
		    strcmp(origin, origin2) != 0 || size2 != tree_size ||
		    memcmp(root.b, root2.b, TLOG_HASH_LEN) != 0)
			abort();
		buf_release(&b);
	}

	/* Nobody holds PeterNeumann's key here but the test vectors: no input verifies unless
	 * it carries a signature made with it, which the fuzzer cannot forge. */
	size_t body;
	int rc = tlog_note_verify(s, size, peter_vkey, &body);
	if (rc == 0 && body >= size)
		abort();

	char name[TLOG_NAME_MAX];
	unsigned char pk[32];
	uint32_t hash;
	if (tlog_parse_vkey(s, name, pk, &hash) == 0 && tlog_key_hash(name, pk) != hash)
		abort();
	struct tlog_key k;
	if (tlog_key_parse_skey(s, &k) == 0) {
		struct buf b = BUF_INIT;
		tlog_key_skey(&k, &b);
		struct tlog_key k2;
		if (tlog_key_parse_skey(b.data, &k2) != 0 || memcmp(&k, &k2, sizeof(k)) != 0)
			abort();
		buf_release(&b);
	}
	free(s);
	return 0;
}
