/*
 * tests/unit/base/test_crypto.c - SHA-256 (FIPS 180-2 / NIST examples),
 * HMAC-SHA256 (RFC 4231 test cases 1-7), hex and base64url encodings, and the
 * random secrets of src/base/crypto.c.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "base/crypto.h"
#include "base/err.h"
#include "base/mem.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Input as repeated byte or as text. */
struct bytes {
	const char *text; /* used when not NULL */
	uint8_t fill;
	size_t len;
	const char *label;
};

static uint8_t *make(const struct bytes *b, size_t *len)
{
	uint8_t *p;

	if (b->text) {
		*len = strlen(b->text);
		return (uint8_t *)xstrdup(b->text);
	}
	*len = b->len;
	p = xmalloc(b->len);
	memset(p, b->fill, b->len);
	return p;
}

Test(crypto, sha256_nist_vectors)
{
	static const struct {
		struct bytes in;
		const char *hex;
	} cases[] = {
		{ { "", 0, 0, "empty" },
			"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ { "abc", 0, 0, "abc" },
			"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 0, 0, "448 bits" },
			"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ { "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
		    "klmnopqrlmnopqrsmnopqrstnopqrstu",
			  0, 0, "896 bits" },
			"cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
		{ { NULL, 'a', 1000000, "one million 'a'" },
			"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char hex[CRYPTO_SHA256_HEX_LEN];
		uint8_t raw[CRYPTO_SHA256_LEN];
		char rawhex[CRYPTO_SHA256_HEX_LEN];
		size_t len;
		uint8_t *data = make(&cases[i].in, &len);

		crypto_sha256_hex(data, len, hex);
		cr_expect_str_eq(hex, cases[i].hex, "sha256(%s) = %s, expected %s",
			cases[i].in.label, hex, cases[i].hex);
		crypto_sha256(data, len, raw);
		crypto_hex(raw, sizeof(raw), rawhex);
		cr_expect_str_eq(rawhex, cases[i].hex, "raw sha256(%s) = %s", cases[i].in.label,
			rawhex);
		free(data);
	}
}

/* Each thread hashes with its own context: interleaved digests from threads stay right. */
static void *hash_many(void *arg)
{
	static const char abc_hex[] =
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	static const char empty_hex[] =
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	char hex[CRYPTO_SHA256_HEX_LEN];
	intptr_t bad = 0;

	(void)arg;
	for (int i = 0; i < 2000; i++) {
		crypto_sha256_hex(i % 2 ? "abc" : "", i % 2 ? 3 : 0, hex);
		bad += strcmp(hex, i % 2 ? abc_hex : empty_hex) != 0;
	}
	return (void *)bad;
}

Test(crypto, sha256_from_threads)
{
	pthread_t t[4];
	void *bad;

	for (size_t i = 0; i < N_ELEMS(t); i++)
		cr_assert_eq(pthread_create(&t[i], NULL, hash_many, NULL), 0, "pthread_create");
	for (size_t i = 0; i < N_ELEMS(t); i++) {
		pthread_join(t[i], &bad);
		cr_expect_null(bad, "thread %zu: %ld wrong digests", i, (long)(intptr_t)bad);
	}
	cr_expect_null(hash_many(NULL), "the main thread after the others ended");
}

Test(crypto, hmac_sha256_rfc4231)
{
	static const uint8_t key4[25] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		17, 18, 19, 20, 21, 22, 23, 24, 25 };
	static const struct {
		struct bytes key, data;
		const char *hex; /* a prefix: case 5 checks the first 128 bits */
	} cases[] = {
		{ { NULL, 0x0b, 20, "case 1" }, { "Hi There", 0, 0, "" },
			"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
		{ { "Jefe", 0, 0, "case 2" }, { "what do ya want for nothing?", 0, 0, "" },
			"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
		{ { NULL, 0xaa, 20, "case 3" }, { NULL, 0xdd, 50, "" },
			"773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
		{ { NULL, 0, 0, "case 4" }, { NULL, 0xcd, 50, "" },
			"82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
		{ { NULL, 0x0c, 20, "case 5" }, { "Test With Truncation", 0, 0, "" },
			"a3b6167473100ee06e0c796c2955552b" },
		{ { NULL, 0xaa, 131, "case 6" },
			{ "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0, "" },
			"60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
		{ { NULL, 0xaa, 131, "case 7" },
			{ "This is a test using a larger than block-size key and a larger than "
			  "block-size data. The key needs to be hashed before being used by the HMAC "
			  "algorithm.",
				0, 0, "" },
			"9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		uint8_t mac[CRYPTO_SHA256_LEN];
		char hex[CRYPTO_SHA256_HEX_LEN];
		size_t klen, dlen;
		uint8_t *key = make(&cases[i].key, &klen);
		uint8_t *data = make(&cases[i].data, &dlen);

		if (i == 3) { /* case 4: the key 0x01..0x19 */
			free(key);
			key = xmalloc(sizeof(key4));
			memcpy(key, key4, sizeof(key4));
			klen = sizeof(key4);
		}
		crypto_hmac_sha256(key, klen, data, dlen, mac);
		crypto_hex(mac, sizeof(mac), hex);
		cr_expect(strncmp(hex, cases[i].hex, strlen(cases[i].hex)) == 0,
			"hmac-sha256 RFC 4231 %s = %s, expected %s", cases[i].key.label, hex,
			cases[i].hex);
		free(key);
		free(data);
	}
}

Test(crypto, hex_round_trip)
{
	static const uint8_t raw[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
	char hex[2 * sizeof(raw) + 1];
	uint8_t back[sizeof(raw)];

	crypto_hex(raw, sizeof(raw), hex);
	cr_assert_str_eq(hex, "00017f80abff", "hex of 00 01 7f 80 ab ff = '%s'", hex);
	cr_assert_eq(crypto_unhex(hex, back, sizeof(back)), 0, "unhex '%s'", hex);
	cr_assert_eq(memcmp(back, raw, sizeof(raw)), 0, "unhex '%s' differs", hex);
	cr_assert_eq(crypto_unhex("00017F80ABFF", back, sizeof(back)), 0, "unhex upper case");
	cr_assert_eq(memcmp(back, raw, sizeof(raw)), 0, "unhex upper case differs");
	crypto_hex(raw, 0, hex);
	cr_assert_str_eq(hex, "", "hex of nothing = '%s'", hex);
}

Test(crypto, unhex_rejects)
{
	static const char *const bad[] = {
		"",          /* too short */
		"0",         /* odd */
		"001",       /* odd */
		"00112",     /* one digit too many */
		"001122",    /* two digits too many */
		"0g",        /* not hex */
		"g0",        /* not hex */
		" 001",      /* space */
		"00-1",      /* dash */
	};
	uint8_t out[2];

	for (size_t i = 0; i < N_ELEMS(bad); i++)
		cr_expect_eq(crypto_unhex(bad[i], out, sizeof(out)), ERR_INVAL,
			"unhex('%s') into 2 bytes accepted", bad[i]);
	cr_expect_eq(crypto_unhex("0011", out, sizeof(out)), 0, "unhex('0011') refused");
}

Test(crypto, b64url_rfc4648)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "", "" },
		{ "f", "Zg" },
		{ "fo", "Zm8" },
		{ "foo", "Zm9v" },
		{ "foob", "Zm9vYg" },
		{ "fooba", "Zm9vYmE" },
		{ "foobar", "Zm9vYmFy" },
		{ "\xfb\xff", "-_8" }, /* the two URL-safe letters, no '+', '/' or '=' */
		{ "\xff\xff\xff", "____" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char out[32];
		crypto_b64url((const uint8_t *)cases[i].in, strlen(cases[i].in), out);
		cr_expect_str_eq(out, cases[i].want, "b64url('%s') = '%s', expected '%s'",
			cases[i].in, out, cases[i].want);
	}
}

Test(crypto, random_tokens)
{
	static const size_t sizes[] = { 1, 16, 24, 32, 64 };
	char a[4 * 64 / 3 + 4], b[sizeof(a)];

	for (size_t i = 0; i < N_ELEMS(sizes); i++) {
		size_t n = sizes[i];
		cr_assert_eq(crypto_random_token(n, a), 0, "random_token(%zu)", n);
		cr_assert_eq(crypto_random_token(n, b), 0, "random_token(%zu)", n);
		cr_expect_eq(strlen(a), (4 * n + 2) / 3, "random_token(%zu) has %zu characters", n,
			strlen(a));
		cr_expect_eq(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
			strlen(a), "random_token(%zu) = '%s' has a non-base64url character", n, a);
		if (n >= 16)
			cr_expect_str_neq(a, b, "two random_token(%zu) are equal: '%s'", n, a);
	}
	cr_expect_eq(crypto_random_token(65, a), ERR_INVAL, "random_token(65) accepted");
}

Test(crypto, random_bytes_vary)
{
	uint8_t a[32], b[32];

	cr_assert_eq(crypto_random(a, sizeof(a)), 0, "crypto_random(32)");
	cr_assert_eq(crypto_random(b, sizeof(b)), 0, "crypto_random(32)");
	cr_expect_neq(memcmp(a, b, sizeof(a)), 0, "two 32-byte random draws are equal");
	cr_expect_eq(crypto_random(a, 0), 0, "crypto_random(0)");
}
