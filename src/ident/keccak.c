/*
 * ident/keccak.c - Keccak-256 as used by Ethereum (EIP-55 checksums): the
 * Keccak-f[1600] permutation with rate 1088 bits and the original 0x01
 * padding, which differs from FIPS 202 SHA3-256 (0x06). OpenSSL 3.0, the
 * version in Debian 12, has no KECCAK-256 digest (it arrived in 3.2).
 */
#include "ident/internal.h"

#include <string.h>

#define RATE 136 /* bytes: (1600 - 2 * 256) / 8 */

static const uint64_t round_consts[24] = {
	0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull,
	0x8000000080008000ull, 0x000000000000808bull, 0x0000000080000001ull,
	0x8000000080008081ull, 0x8000000000008009ull, 0x000000000000008aull,
	0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
	0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull,
	0x8000000000008003ull, 0x8000000000008002ull, 0x8000000000000080ull,
	0x000000000000800aull, 0x800000008000000aull, 0x8000000080008081ull,
	0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};

/* Rotation offsets and lane order of the combined rho and pi steps. */
static const int rho[24] = { 1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14,
	27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44 };
static const int pi[24] = { 10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4,
	15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1 };

static uint64_t rotl(uint64_t x, int n)
{
	return (x << n) | (x >> (64 - n));
}

static void theta(uint64_t a[25])
{
	uint64_t c[5];

	for (int x = 0; x < 5; x++)
		c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
	for (int x = 0; x < 5; x++) {
		uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);

		for (int y = 0; y < 25; y += 5)
			a[y + x] ^= d;
	}
}

static void rho_pi(uint64_t a[25])
{
	uint64_t t = a[1];

	for (int i = 0; i < 24; i++) {
		uint64_t next = a[pi[i]];

		a[pi[i]] = rotl(t, rho[i]);
		t = next;
	}
}

static void chi(uint64_t a[25])
{
	for (int y = 0; y < 25; y += 5) {
		uint64_t row[5];

		for (int x = 0; x < 5; x++)
			row[x] = a[y + x];
		for (int x = 0; x < 5; x++)
			a[y + x] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5]);
	}
}

static void keccak_f(uint64_t a[25])
{
	for (int round = 0; round < 24; round++) {
		theta(a);
		rho_pi(a);
		chi(a);
		a[0] ^= round_consts[round];
	}
}

/* XOR len bytes (len <= RATE) into the state, little-endian lanes. */
static void absorb(uint64_t a[25], const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		a[i / 8] ^= (uint64_t)p[i] << (8 * (i % 8));
}

void ident_keccak256(const void *data, size_t len, uint8_t out[32])
{
	ident_keccak_sponge(data, len, 0x01, out);
}

void ident_keccak_sponge(const void *data, size_t len, uint8_t pad, uint8_t out[32])
{
	const uint8_t *p = data;
	uint64_t a[25] = { 0 };
	uint8_t last[RATE] = { 0 };

	while (len >= RATE) {
		absorb(a, p, RATE);
		keccak_f(a);
		p += RATE;
		len -= RATE;
	}
	if (len)
		memcpy(last, p, len);
	last[len] ^= pad;
	last[RATE - 1] ^= 0x80;
	absorb(a, last, RATE);
	keccak_f(a);
	for (int i = 0; i < 32; i++)
		out[i] = (uint8_t)(a[i / 8] >> (8 * (i % 8)));
}
