/*
 * ident/encode.c - wallet addresses from their hash (see encode.h):
 * base58check (BTC P2PKH, TRON), bech32 (BIP173, witness v0) and EIP-55.
 */
#include "ident/encode.h"

#include <string.h>

#include "base/crypto.h"
#include "base/err.h"
#include "ident/internal.h"

static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
static const char b32[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/* version byte + 20-byte hash + 4-byte double-SHA-256 checksum, in base58. */
static void base58check(uint8_t version, const uint8_t hash[20], char *out)
{
	uint8_t buf[25], d1[32], d2[32], digits[40];
	size_t nd = 0, zeros = 0, o = 0;

	buf[0] = version;
	memcpy(buf + 1, hash, 20);
	crypto_sha256(buf, 21, d1);
	crypto_sha256(d1, 32, d2);
	memcpy(buf + 21, d2, 4);
	while (zeros < sizeof(buf) && buf[zeros] == 0)
		zeros++;
	for (size_t i = zeros; i < sizeof(buf); i++) {
		unsigned carry = buf[i];
		for (size_t k = 0; k < nd; k++) {
			carry += (unsigned)digits[k] << 8;
			digits[k] = (uint8_t)(carry % 58);
			carry /= 58;
		}
		while (carry) {
			digits[nd++] = (uint8_t)(carry % 58);
			carry /= 58;
		}
	}
	for (size_t i = 0; i < zeros; i++)
		out[o++] = '1';
	while (nd)
		out[o++] = b58[digits[--nd]];
	out[o] = '\0';
}

static uint32_t polymod(uint32_t chk, uint8_t v)
{
	uint8_t b = (uint8_t)(chk >> 25);

	chk = ((chk & 0x1ffffff) << 5) ^ v;
	if (b & 1)
		chk ^= 0x3b6a57b2u;
	if (b & 2)
		chk ^= 0x26508e6du;
	if (b & 4)
		chk ^= 0x1ea119fau;
	if (b & 8)
		chk ^= 0x3d4233ddu;
	if (b & 16)
		chk ^= 0x2a1462b3u;
	return chk;
}

/* bc1q… : witness version 0, 20-byte program, bech32 checksum (constant 1). */
static void segwit_v0(const uint8_t hash[20], char *out)
{
	uint8_t data[40];
	size_t n = 0, o = 0;
	uint32_t acc = 0, chk = 1;
	int bits = 0;

	data[n++] = 0;
	for (int i = 0; i < 20; i++) {
		acc = acc << 8 | hash[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			data[n++] = (uint8_t)((acc >> bits) & 31);
		}
	}
	if (bits)
		data[n++] = (uint8_t)((acc << (5 - bits)) & 31);
	for (const char *h = "bc"; *h; h++)
		chk = polymod(chk, (uint8_t)(*h >> 5));
	chk = polymod(chk, 0);
	for (const char *h = "bc"; *h; h++)
		chk = polymod(chk, (uint8_t)(*h & 31));
	for (size_t i = 0; i < n; i++)
		chk = polymod(chk, data[i]);
	for (int i = 0; i < 6; i++)
		chk = polymod(chk, 0);
	chk ^= 1;
	memcpy(out, "bc1", 3);
	o = 3;
	for (size_t i = 0; i < n; i++)
		out[o++] = b32[data[i]];
	for (int i = 0; i < 6; i++)
		out[o++] = b32[(chk >> (5 * (5 - i))) & 31];
	out[o] = '\0';
}

static void eip55(const uint8_t hash[20], char *out)
{
	char hex[41];
	uint8_t k[32];

	crypto_hex(hash, 20, hex);
	ident_keccak256(hex, 40, k);
	out[0] = '0';
	out[1] = 'x';
	for (int i = 0; i < 40; i++) {
		int nib = (k[i / 2] >> (i % 2 ? 0 : 4)) & 15;
		char c = hex[i];
		out[2 + i] = (c >= 'a' && nib >= 8) ? (char)(c - 32) : c;
	}
	out[42] = '\0';
}

int ident_wallet_encode(enum ident_chain chain, const uint8_t hash[20], int segwit, char *out,
	size_t size)
{
	if (size < 64)
		return ERR_INVAL;
	switch (chain) {
	case IDENT_CHAIN_BTC:
		if (segwit)
			segwit_v0(hash, out);
		else
			base58check(0x00, hash, out);
		return 0;
	case IDENT_CHAIN_ETH:
		eip55(hash, out);
		return 0;
	case IDENT_CHAIN_TRON:
		base58check(0x41, hash, out);
		return 0;
	}
	return ERR_INVAL;
}
