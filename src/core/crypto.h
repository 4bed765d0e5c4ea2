/*
 * crypto.h - the few cryptographic helpers Placard needs, on libsodium: SHA-256 as hex,
 * random codes for people to type, and password hashes. Call crypto_init() once at start.
 *
 * Core layer: no HTTP, no database.
 */
#ifndef PLACARD_CORE_CRYPTO_H
#define PLACARD_CORE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define SHA256_HEX_LEN 64

/* The characters of random_code(): digits and capitals without look-alikes (0/O, 1/I/L). */
#define RANDOM_CODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

/* Initialise libsodium; aborts if it cannot. Safe to call more than once. */
void crypto_init(void);

/* Write the SHA-256 of @len bytes at @data as 64 lowercase hex digits and a NUL to @out. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1]);

/*
 * Fill @out with @len random characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L) and a NUL; @out has room for @len + 1. Each character carries
 * log2(31), about 4.95 bits.
 */
void random_code(char *out, size_t len);

/*
 * Hash a password of @len bytes with argon2id (libsodium crypto_pwhash_str, interactive
 * limits) into @ret_hash, a NUL-terminated "$argon2id$..." string. The password's policy is
 * the caller's (auth_password_check). 0, or -ENOMEM when argon2id cannot get its memory.
 */
int password_hash(const char *password, size_t len, char ret_hash[128]);

/* Whether @password matches @hash as password_hash() writes it (false for a NULL hash). */
bool password_matches(const char *hash, const char *password);

#endif
