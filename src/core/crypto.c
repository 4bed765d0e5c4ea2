/*
 * crypto.c - SHA-256 and random codes on libsodium. See crypto.h.
 */
#include "core/crypto.h"

#include <errno.h>
#include <string.h>

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

int password_hash(const char *password, size_t len, char ret_hash[128])
{
	char out[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str_alg(out, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE,
	                          crypto_pwhash_ALG_ARGON2ID13) != 0)
		return -ENOMEM;
	memcpy(ret_hash, out, sizeof(out));
	return 0;
}

bool password_matches(const char *hash, const char *password)
{
	return hash && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
