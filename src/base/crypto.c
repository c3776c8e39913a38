/*
 * base/crypto.c - thin wrappers over OpenSSL libcrypto.
 */
#include "base/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "base/err.h"

int crypto_random(void *out, size_t len)
{
	return RAND_bytes(out, (int)len) == 1 ? 0 : ERR_INTERNAL;
}

void crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_LEN])
{
	SHA256(data, len, out);
}

void crypto_sha256_hex(const void *data, size_t len, char out[CRYPTO_SHA256_HEX_LEN])
{
	uint8_t d[CRYPTO_SHA256_LEN];

	SHA256(data, len, d);
	crypto_hex(d, sizeof(d), out);
}

void crypto_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
	uint8_t out[CRYPTO_SHA256_LEN])
{
	unsigned int outlen = CRYPTO_SHA256_LEN;

	HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &outlen);
}

void crypto_hex(const uint8_t *data, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 15];
	}
	out[2 * len] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int crypto_unhex(const char *hex, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		int hi = hexval(hex[2 * i]);
		int lo = hi < 0 ? -1 : hexval(hex[2 * i + 1]);
		if (lo < 0)
			return ERR_INVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return hex[2 * len] ? ERR_INVAL : 0;
}

void crypto_b64url(const uint8_t *data, size_t len, char *out)
{
	static const char a[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t o = 0;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];
		out[o++] = a[v >> 18 & 63];
		out[o++] = a[v >> 12 & 63];
		out[o++] = a[v >> 6 & 63];
		out[o++] = a[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)data[i] << 16;
		out[o++] = a[v >> 18 & 63];
		out[o++] = a[v >> 12 & 63];
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8;
		out[o++] = a[v >> 18 & 63];
		out[o++] = a[v >> 12 & 63];
		out[o++] = a[v >> 6 & 63];
	}
	out[o] = '\0';
}

int crypto_random_token(size_t nbytes, char *out)
{
	uint8_t raw[64];
	int ret;

	if (nbytes > sizeof(raw))
		return ERR_INVAL;
	ret = crypto_random(raw, nbytes);
	if (ret)
		return ret;
	crypto_b64url(raw, nbytes, out);
	return 0;
}
