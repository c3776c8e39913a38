/*
 * base/crypto.h - random bytes, SHA-256, HMAC-SHA256 and encodings (OpenSSL 3).
 *
 * Secrets (session ids, API tokens) are random bytes from the OS generator,
 * stored only as their SHA-256; comparisons of secrets are constant-time.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_SHA256_LEN 32
#define CRYPTO_SHA256_HEX_LEN 65 /* 64 hex digits + NUL */

/* Fill out with len cryptographically secure random bytes. Returns 0 or ERR_INTERNAL. */
int crypto_random(void *out, size_t len);
void crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_LEN]);
/* SHA-256 of data as 64 lower-case hex digits in out. */
void crypto_sha256_hex(const void *data, size_t len, char out[CRYPTO_SHA256_HEX_LEN]);
void crypto_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
	uint8_t out[CRYPTO_SHA256_LEN]);
/* Lower-case hex of len bytes into out (2*len+1 bytes). */
void crypto_hex(const uint8_t *data, size_t len, char *out);
/* Decode 2*len hex digits into out; returns 0 or ERR_INVAL. */
int crypto_unhex(const char *hex, uint8_t *out, size_t len);
/* Unpadded base64url of len bytes into out (needs 4*len/3+4 bytes). */
void crypto_b64url(const uint8_t *data, size_t len, char *out);
/* A random secret of nbytes as unpadded base64url in out (4*nbytes/3+4 bytes). */
int crypto_random_token(size_t nbytes, char *out);
