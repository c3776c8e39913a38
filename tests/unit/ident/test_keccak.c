/*
 * tests/unit/ident/test_keccak.c - Keccak-256 (src/ident/keccak.c) against
 * published vectors (the Keccak team's and Ethereum's), including inputs
 * across the 136-byte rate boundary.
 */
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <string.h>

#include "base/crypto.h"
#include "ident/internal.h"

#include "check.h"

static void check_hex(const void *data, size_t len, const char *want, const char *name)
{
	uint8_t out[32];
	char hex[65];

	ident_keccak256(data, len, out);
	crypto_hex(out, 32, hex);
	cr_assert_str_eq(hex, want, "keccak256(%s) = %s", name, hex);
}

Test(keccak, published_vectors)
{
	check_hex("", 0, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", "''");
	check_hex("abc", 3, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
		"'abc'");
	check_hex("The quick brown fox jumps over the lazy dog", 43,
		"4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15",
		"'The quick brown fox jumps over the lazy dog'");
}

/*
 * The same sponge with SHA3's padding must match OpenSSL's SHA3-256 for every
 * length from 0 to 400 bytes: this checks the permutation and the absorption
 * across the 136-byte rate boundary, which Keccak-256 shares.
 */
Test(keccak, sponge_matches_openssl_sha3)
{
	uint8_t data[400], mine[32], theirs[32];
	unsigned int n = 0;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	for (size_t len = 0; len <= sizeof(data); len++) {
		ident_keccak_sponge(data, len, 0x06, mine);
		cr_assert(EVP_Digest(data, len, theirs, &n, EVP_sha3_256(), NULL), "openssl sha3");
		cr_assert(memcmp(mine, theirs, 32) == 0, "sha3-256 of %zu bytes differs", len);
	}
}
