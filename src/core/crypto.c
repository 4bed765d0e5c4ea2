/*
 * crypto.c - SHA-256 and random codes on libsodium. See crypto.h.
 */
#include "core/crypto.h"

#include <sodium.h>

#include "core/util.h"

/* 31 symbols: digits and capitals without 0, 1, I, L, O. */
static const char code_alphabet[] = RANDOM_CODE_ALPHABET;

void crypto_init(void)
{
	if (sodium_init() < 0)
		die("libsodium could not be initialised");
}

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1])
{
	unsigned char hash[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(hash, data, len);
	sodium_bin2hex(out, SHA256_HEX_LEN + 1, hash, sizeof(hash));
}

void random_code(char *out, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out[i] = code_alphabet[randombytes_uniform(sizeof(code_alphabet) - 1)];
	out[len] = '\0';
}
