/*
 * ident/wallet.c - crypto wallet addresses, chain detected from the format:
 * Bitcoin base58check (P2PKH 1…, P2SH 3…) and segwit (bc1…, BIP173 bech32 for
 * v0, BIP350 bech32m for v1+), Ethereum/EVM (0x + 40 hex, EIP-55 checksum
 * verified when mixed case) and TRON (base58check, version byte 0x41, T…).
 * Canonical forms: base58 as is (it is case-sensitive), bech32 and Ethereum in
 * lower case; Ethereum displays in its EIP-55 checksummed form.
 */
#include "ident/internal.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"

#define ETH_HEX 40

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Write the EIP-55 form of 40 lower-case hex digits into out (41 bytes). */
static void eip55(const char *lower, char *out)
{
	uint8_t hash[32];

	ident_keccak256(lower, ETH_HEX, hash);
	for (int i = 0; i < ETH_HEX; i++) {
		int nibble = (hash[i / 2] >> (i % 2 ? 0 : 4)) & 0xf;
		char c = lower[i];

		out[i] = (c >= 'a' && nibble >= 8) ? (char)(c - 'a' + 'A') : c;
	}
	out[ETH_HEX] = '\0';
}

static int parse_eth(struct ident *out, const char *hex, char *why)
{
	char lower[ETH_HEX + 1], sum[ETH_HEX + 1];
	bool has_lower = false, has_upper = false;
	size_t n = strlen(hex);

	if (n != ETH_HEX)
		return ident_why(why, "an Ethereum address has 40 hex digits after 0x, not %zu", n);
	for (size_t i = 0; i < n; i++) {
		if (!is_hex(hex[i]))
			return ident_why(why, "character '%c' is not hexadecimal", hex[i]);
		has_lower |= hex[i] >= 'a' && hex[i] <= 'f';
		has_upper |= hex[i] >= 'A' && hex[i] <= 'F';
	}
	str_copy(lower, sizeof(lower), hex);
	str_lower(lower);
	eip55(lower, sum);
	if (has_lower && has_upper && strcmp(sum, hex) != 0)
		return ident_why(why, "EIP-55 checksum mismatch (a typo?)");
	out->wallet.chain = IDENT_CHAIN_ETH;
	out->wallet.kind = IDENT_WALLET_ACCOUNT;
	ident_fmt(out->value, sizeof(out->value), "0x%s", lower);
	ident_fmt(out->display, sizeof(out->display), "0x%s", sum);
	return 0;
}

static enum ident_wallet_kind segwit_kind(int version, size_t len)
{
	if (version == 0)
		return len == 20 ? IDENT_WALLET_P2WPKH : IDENT_WALLET_P2WSH;
	if (version == 1 && len == 32)
		return IDENT_WALLET_P2TR;
	return IDENT_WALLET_WITNESS;
}

static int parse_segwit(struct ident *out, const char *s, char *why)
{
	uint8_t program[40];
	size_t len;
	int version, ret;

	if (ident_prefix_ci(s, "tb1") || ident_prefix_ci(s, "bcrt1"))
		return ident_why(why, "a Bitcoin testnet address");
	ret = ident_segwit_decode(s, "bc", &version, program, &len, why);
	if (ret)
		return ret;
	out->wallet.chain = IDENT_CHAIN_BTC;
	out->wallet.kind = segwit_kind(version, len);
	str_copy(out->value, sizeof(out->value), s);
	str_lower(out->value);
	str_copy(out->display, sizeof(out->display), out->value);
	return 0;
}

static int parse_base58(struct ident *out, const char *s, char *why)
{
	uint8_t payload[64];
	int n = ident_base58check_decode(s, payload, sizeof(payload), why);

	if (n < 0)
		return ERR_INVAL;
	if (n != 21)
		return ident_why(why, "a base58check payload of %d bytes (21 expected)", n);
	switch (payload[0]) {
	case 0x00:
		out->wallet.chain = IDENT_CHAIN_BTC;
		out->wallet.kind = IDENT_WALLET_P2PKH;
		break;
	case 0x05:
		out->wallet.chain = IDENT_CHAIN_BTC;
		out->wallet.kind = IDENT_WALLET_P2SH;
		break;
	case 0x41:
		out->wallet.chain = IDENT_CHAIN_TRON;
		out->wallet.kind = IDENT_WALLET_P2PKH;
		break;
	case 0x6f:
	case 0xc4:
		return ident_why(why, "a Bitcoin testnet address");
	default:
		return ident_why(why, "unknown version byte 0x%02x", payload[0]);
	}
	str_copy(out->value, sizeof(out->value), s);
	str_copy(out->display, sizeof(out->display), s);
	return 0;
}

/* Strip a "bitcoin:" / "tron:" / "ethereum:" URI scheme and its parameters. */
static void strip_uri(const char *s, char *out, size_t size)
{
	static const char *const uris[] = { "bitcoin:", "ethereum:", "tron:" };
	size_t n = 0;

	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]) && !n; i++)
		n = ident_prefix_ci(s, uris[i]);
	str_copy(out, size, s + n);
	if (n)
		out[strcspn(out, "?@/")] = '\0';
}

int ident_wallet_parse(struct ident *out, const char *s, char *why)
{
	char addr[IDENT_INPUT_MAX + 16];

	strip_uri(s, addr, sizeof(addr));
	if (strchr(addr, ' '))
		return ident_why(why, "contains a space");
	if (addr[0] == '0' && (addr[1] == 'x' || addr[1] == 'X'))
		return parse_eth(out, addr + 2, why);
	/*
	 * A TRON address is base58 and may begin "TB1" (TB1xy6PTXmBjkgorZxXY8TCC1RFM3YScNw),
	 * which "tb1" (Bitcoin testnet bech32, any case) also matches: a string that
	 * decodes as a TRON base58check address is one (bech32 testnet addresses are
	 * 42 or more characters, never 34, and a checksum of 4 bytes agrees too).
	 */
	if (addr[0] == 'T' && strlen(addr) == 34) {
		char why_b58[IDENT_WHY_SIZE];
		int ret = parse_base58(out, addr, why_b58);
		if (!ret && out->wallet.chain == IDENT_CHAIN_TRON)
			return 0;
		if (ret && strpbrk(addr, "abcdefghijkmnopqrstuvwxyz")) {
			/* mixed case is never bech32: the base58 reason is the one */
			str_copy(why, IDENT_WHY_SIZE, why_b58);
			return ret;
		}
	}
	if (ident_prefix_ci(addr, "bc1") || ident_prefix_ci(addr, "tb1") ||
		ident_prefix_ci(addr, "bcrt1"))
		return parse_segwit(out, addr, why);
	if (strlen(addr) == ETH_HEX && strspn(addr, "0123456789abcdefABCDEF") == ETH_HEX)
		return ident_why(why, "40 hex digits without '0x' (write 0x… for Ethereum)");
	if (strlen(addr) < 25 || strlen(addr) > 36)
		return ident_why(why, "not a Bitcoin, Ethereum or TRON address (length %zu)",
			strlen(addr));
	return parse_base58(out, addr, why);
}
