/*
 * tests/unit/ident/test_wallet.c - wallets (src/ident/wallet.c, base58.c,
 * bech32.c) against the published vectors: BIP173 and BIP350 (checksums and
 * segwit addresses), EIP-55, and well-known base58check addresses.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/str.h"
#include "ident/internal.h"

#include "check.h"

/* BIP173 "valid bech32" and BIP350 "valid bech32m" checksum vectors. */
static const struct {
	const char *s;
	enum ident_bech32_encoding enc;
} valid_checksums[] = {
	{ "A12UEL5L", IDENT_BECH32 },
	{ "a12uel5l", IDENT_BECH32 },
	{ "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
		IDENT_BECH32 },
	{ "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", IDENT_BECH32 },
	{ "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
		IDENT_BECH32 },
	{ "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", IDENT_BECH32 },
	{ "?1ezyfcl", IDENT_BECH32 },
	{ "A1LQFN3A", IDENT_BECH32M },
	{ "a1lqfn3a", IDENT_BECH32M },
	{ "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
		IDENT_BECH32M },
	{ "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx", IDENT_BECH32M },
	{ "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
		IDENT_BECH32M },
	{ "split1checkupstagehandshakeupstreamerranterredcaperredlc445v", IDENT_BECH32M },
	{ "?1v759aa", IDENT_BECH32M },
};

/* BIP173 "invalid bech32" vectors with the reason each one fails. */
static const char *const invalid_checksums[] = {
	"\x20" "1nwldj5",
	"\x7f" "1axkwrx",
	"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
	"pzry9x0s0muk",
	"1pzry9x0s0muk",
	"x1b4n0q5v",
	"li1dgmt3",
	"A1G7SGD8",
	"10a06t8",
	"1qzzfhee",
};

Test(wallet, bech32_checksum_vectors)
{
	char hrp[91];
	uint8_t data[90];
	size_t n;
	enum ident_bech32_encoding enc;
	char why[IDENT_WHY_SIZE];

	for (size_t i = 0; i < N_ELEMS(valid_checksums); i++) {
		const char *s = valid_checksums[i].s;

		cr_assert_eq(ident_bech32_decode(s, hrp, data, &n, &enc, why), 0, "bech32 '%s': %s",
			s, why);
		cr_assert_eq(enc, valid_checksums[i].enc, "bech32 '%s': wrong encoding", s);
	}
	for (size_t i = 0; i < N_ELEMS(invalid_checksums); i++) {
		const char *s = invalid_checksums[i];

		cr_assert_neq(ident_bech32_decode(s, hrp, data, &n, &enc, why), 0,
			"bech32 invalid vector %zu '%s' accepted", i, s);
	}
}

/* BIP350 valid segwit addresses (mainnet ones; testnet ones are refused by design). */
static const struct ok_case segwit_ok[] = {
	{ "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
		NULL },
	{ "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
		"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", NULL },
	{ "BC1SW50QGDZ25J", "bc1sw50qgdz25j", NULL },
	{ "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", NULL },
	{ "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
		"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", NULL },
	{ "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
		"bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3", NULL },
};

/* BIP350 invalid segwit addresses, with the reason rootcut gives. */
static const struct bad_case segwit_bad[] = {
	{ "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut", "not a Bitcoin" },
	{ "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", "must use bech32m" },
	{ "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf", "testnet" },
	{ "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", "must use bech32m" },
	{ "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "must use bech32, not bech32m" },
	{ "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47", "testnet" },
	{ "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", "not bech32" },
	{ "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", "above 16" },
	{ "bc1pw5dgrnzv", "witness program of 1 bytes" },
	{ "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
		"longer than 40 bytes" },
	{ "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "version 0 witness program of 16 bytes" },
	{ "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", "testnet" },
	{ "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", "padding" },
	{ "bc1gmk9yu", "no witness version" },
	{ "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "checksum mismatch" },
	{ "bc1QW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "mixed upper and lower case" },
};

Test(wallet, segwit_vectors)
{
	check_ok_table(IDENT_WALLET, segwit_ok, N_ELEMS(segwit_ok));
	check_bad_table(IDENT_WALLET, segwit_bad, N_ELEMS(segwit_bad));
}

/* EIP-55's examples: checksummed, all upper and all lower case. */
static const char *const eip55[] = {
	"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
	"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
	"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
	"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
};

Test(wallet, eip55_vectors)
{
	for (size_t i = 0; i < N_ELEMS(eip55); i++) {
		char lower[64];

		snprintf(lower, sizeof(lower), "%s", eip55[i]);
		str_lower(lower);
		check_ok(IDENT_WALLET, eip55[i], lower, eip55[i], NULL);
	}
	check_ok(IDENT_WALLET, "0x52908400098527886E0F7030069857D2E4169EE7",
		"0x52908400098527886e0f7030069857d2e4169ee7",
		"0x52908400098527886E0F7030069857D2E4169EE7", NULL);
	check_ok(IDENT_WALLET, "0xde709f2102306220921060314715629080e2fb77",
		"0xde709f2102306220921060314715629080e2fb77",
		"0xde709f2102306220921060314715629080e2fb77", NULL);
	check_ok(IDENT_WALLET, "0x27b1fdb04752bbc536007a920d24acb045561c26",
		"0x27b1fdb04752bbc536007a920d24acb045561c26", NULL, NULL);
}

static const struct bad_case eth_bad[] = {
	{ "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "EIP-55 checksum mismatch" },
	{ "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae", "40 hex digits after 0x, not 39" },
	{ "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaedd", "not 41" },
	{ "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg", "'g' is not hexadecimal" },
	{ "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "without '0x'" },
};

static const struct ok_case base58_ok[] = {
	{ "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", NULL },
	{ "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", NULL },
	{ "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", NULL },
	{ "bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa?amount=1",
		"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", NULL },
	{ "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", NULL },
	/* TRON addresses that begin "TB1", like a Bitcoin testnet bech32 address */
	{ "TB1xy6PTXmBjkgorZxXY8TCC1RFM3YScNw", "TB1xy6PTXmBjkgorZxXY8TCC1RFM3YScNw", NULL },
	{ "TB1xxxxxxxxxxxxksyRkdKgySGqqTgEhem", "TB1xxxxxxxxxxxxksyRkdKgySGqqTgEhem", NULL },
	{ "tron:TB1xy6PTXmBjkgorZxXY8TCC1RFM3YScNw", "TB1xy6PTXmBjkgorZxXY8TCC1RFM3YScNw", NULL },
};

static const struct bad_case base58_bad[] = {
	{ "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", "checksum mismatch" },
	{ "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0", "'0' is not base58" },
	{ "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", "testnet" },
	/* "TB1…" with a wrong checksum is neither TRON nor bech32 */
	{ "TB1xy6PTXmBjkgorZxXY8TCC1RFM3YScNx", "checksum mismatch" },
	{ "TB1Q0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K", "testnet" },
	{ "1A1z", "length 4" },
	{ "", "empty" },
};

Test(wallet, ethereum_and_base58)
{
	check_bad_table(IDENT_WALLET, eth_bad, N_ELEMS(eth_bad));
	check_ok_table(IDENT_WALLET, base58_ok, N_ELEMS(base58_ok));
	check_bad_table(IDENT_WALLET, base58_bad, N_ELEMS(base58_bad));
}

Test(wallet, chain_and_kind)
{
	static const struct {
		const char *in;
		enum ident_chain chain;
		enum ident_wallet_kind kind;
	} cases[] = {
		{ "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", IDENT_CHAIN_BTC, IDENT_WALLET_P2PKH },
		{ "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", IDENT_CHAIN_BTC, IDENT_WALLET_P2SH },
		{ "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", IDENT_CHAIN_BTC, IDENT_WALLET_P2WPKH },
		{ "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3", IDENT_CHAIN_BTC,
			IDENT_WALLET_P2WSH },
		{ "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", IDENT_CHAIN_BTC,
			IDENT_WALLET_P2TR },
		{ "BC1SW50QGDZ25J", IDENT_CHAIN_BTC, IDENT_WALLET_WITNESS },
		{ "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", IDENT_CHAIN_ETH, IDENT_WALLET_ACCOUNT },
		{ "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", IDENT_CHAIN_TRON, IDENT_WALLET_P2PKH },
		{ "TB1xy6PTXmBjkgorZxXY8TCC1RFM3YScNw", IDENT_CHAIN_TRON, IDENT_WALLET_P2PKH },
	};
	struct ident id;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const char *in = cases[i].in;

		cr_assert_eq(ident_parse(&id, IDENT_WALLET, in, strlen(in), NULL), 0, "wallet '%s'",
			in);
		cr_assert_eq(id.wallet.chain, cases[i].chain, "wallet '%s' chain %s", in,
			ident_chain_name(id.wallet.chain));
		cr_assert_eq(id.wallet.kind, cases[i].kind, "wallet '%s' kind %s", in,
			ident_wallet_kind_name(id.wallet.kind));
	}
}
