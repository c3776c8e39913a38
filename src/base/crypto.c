/*
 * base/crypto.c - thin wrappers over OpenSSL libcrypto.
 */
#include "base/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdbool.h>

#include "base/err.h"

int crypto_random(void *out, size_t len)
{
	return RAND_bytes(out, (int)len) == 1 ? 0 : ERR_INTERNAL;
}

/*
 * SHA-256 without OpenSSL 3's per-call set-up: SHA256() goes through
 * EVP_Q_digest(), which looks the algorithm up in the provider store (under a
 * lock) and allocates a digest context, every call. Here the EVP_MD is fetched
 * once per process and each thread keeps one context, re-initialised per
 * digest and freed when the thread ends (the key's destructor).
 */
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static EVP_MD *sha256_md;
static pthread_key_t sha256_key;
static bool sha256_key_ok;

static void sha256_ctx_free(void *ctx)
{
	EVP_MD_CTX_free(ctx);
}

static void sha256_setup(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	sha256_key_ok = pthread_key_create(&sha256_key, sha256_ctx_free) == 0;
}

static EVP_MD_CTX *sha256_ctx(void)
{
	EVP_MD_CTX *ctx;

	pthread_once(&sha256_once, sha256_setup);
	if (!sha256_md || !sha256_key_ok)
		return NULL;
	ctx = pthread_getspecific(sha256_key);
	if (!ctx) {
		ctx = EVP_MD_CTX_new();
		if (ctx && pthread_setspecific(sha256_key, ctx)) {
			EVP_MD_CTX_free(ctx);
			ctx = NULL;
		}
	}
	return ctx;
}

void crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_LEN])
{
	EVP_MD_CTX *ctx = sha256_ctx();

	if (ctx && EVP_DigestInit_ex(ctx, sha256_md, NULL) == 1 &&
		EVP_DigestUpdate(ctx, data, len) == 1 && EVP_DigestFinal_ex(ctx, out, NULL) == 1)
		return;
	SHA256(data, len, out); /* the slow path cannot fail for want of a context */
}

void crypto_sha256_hex(const void *data, size_t len, char out[CRYPTO_SHA256_HEX_LEN])
{
	uint8_t d[CRYPTO_SHA256_LEN];

	crypto_sha256(data, len, d);
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
