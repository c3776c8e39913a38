/*
 * ident/base58.c - Base58 and Base58Check decoding (Bitcoin alphabet), for
 * Bitcoin P2PKH/P2SH and TRON addresses. Checksum: the first four bytes of
 * SHA-256(SHA-256(payload)) (base/crypto.h).
 */
#include "ident/internal.h"

#include <string.h>

#include "base/crypto.h"

#define MAX_BYTES 64

static const char alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

static int digit(char c)
{
	const char *p = c ? strchr(alphabet, c) : NULL;

	return p ? (int)(p - alphabet) : -1;
}

int ident_base58_decode(const char *s, uint8_t *out, size_t size)
{
	uint8_t num[MAX_BYTES] = { 0 }; /* big-endian accumulator */
	size_t zeros = 0, len = strlen(s), used;

	if (len == 0 || len > 90)
		return -1;
	while (s[zeros] == '1')
		zeros++;
	for (size_t i = 0; i < len; i++) {
		int carry = digit(s[i]);

		if (carry < 0)
			return -1;
		for (size_t j = MAX_BYTES; j-- > 0;) {
			carry += 58 * num[j];
			num[j] = (uint8_t)(carry & 0xff);
			carry >>= 8;
		}
		if (carry)
			return -1;
	}
	used = 0;
	while (used < MAX_BYTES && num[used] == 0)
		used++;
	if (zeros + (MAX_BYTES - used) > size)
		return -1;
	memset(out, 0, zeros);
	memcpy(out + zeros, num + used, MAX_BYTES - used);
	return (int)(zeros + MAX_BYTES - used);
}

int ident_base58check_decode(const char *s, uint8_t *out, size_t size, char *why)
{
	uint8_t buf[MAX_BYTES], h1[CRYPTO_SHA256_LEN], h2[CRYPTO_SHA256_LEN];
	int n;

	for (const char *p = s; *p; p++) {
		if (digit(*p) < 0) {
			ident_why(why, "character '%c' is not base58", *p);
			return -1;
		}
	}
	n = ident_base58_decode(s, buf, sizeof(buf));
	if (n < 5) {
		ident_why(why, "not a base58check string");
		return -1;
	}
	crypto_sha256(buf, (size_t)n - 4, h1);
	crypto_sha256(h1, sizeof(h1), h2);
	if (memcmp(h2, buf + n - 4, 4) != 0) {
		ident_why(why, "checksum mismatch (a typo?)");
		return -1;
	}
	if ((size_t)n - 4 > size) {
		ident_why(why, "too long");
		return -1;
	}
	memcpy(out, buf, (size_t)n - 4);
	return n - 4;
}
