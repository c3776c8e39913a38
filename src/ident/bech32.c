/*
 * ident/bech32.c - Bech32 (BIP173) and Bech32m (BIP350) decoding and segwit
 * address rules: one case only, at most 90 characters, the checksum that the
 * witness version requires (v0 Bech32, v1-16 Bech32m), 2-40 byte programs
 * (20 or 32 for v0), at most 4 zero padding bits.
 */
#include "ident/internal.h"

#include <string.h>

#include "base/err.h"

#define BECH32_CONST 1u
#define BECH32M_CONST 0x2bc830a3u
#define MAX_LEN 90

static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static uint32_t polymod_step(uint32_t pre)
{
	uint8_t b = (uint8_t)(pre >> 25);

	return ((pre & 0x1ffffff) << 5) ^ (-((b >> 0) & 1) & 0x3b6a57b2u) ^
		(-((b >> 1) & 1) & 0x26508e6du) ^ (-((b >> 2) & 1) & 0x1ea119fau) ^
		(-((b >> 3) & 1) & 0x3d4233ddu) ^ (-((b >> 4) & 1) & 0x2a1462b3u);
}

/* Check case and characters; returns the position of the separator '1' or a reason. */
static int find_separator(const char *s, size_t len, char *why)
{
	bool lower = false, upper = false;
	size_t sep = 0;

	if (len > MAX_LEN)
		return ident_why(why, "longer than %d characters", MAX_LEN);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 33 || c > 126)
			return ident_why(why, "character out of range");
		lower |= c >= 'a' && c <= 'z';
		upper |= c >= 'A' && c <= 'Z';
		if (c == '1')
			sep = i;
	}
	if (lower && upper)
		return ident_why(why, "mixed upper and lower case");
	if (sep == 0)
		return ident_why(why, "no human-readable part before the separator '1'");
	if (sep + 7 > len)
		return ident_why(why, "checksum too short");
	return (int)sep;
}

int ident_bech32_decode(const char *s, char *hrp, uint8_t *data, size_t *data_len,
	enum ident_bech32_encoding *enc, char *why)
{
	size_t len = strlen(s), n = 0;
	uint32_t chk = 1;
	int sep = find_separator(s, len, why);

	if (sep < 0)
		return sep;
	for (int i = 0; i < sep; i++) {
		char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];

		hrp[i] = c;
		chk = polymod_step(chk) ^ ((unsigned char)c >> 5);
	}
	hrp[sep] = '\0';
	chk = polymod_step(chk);
	for (int i = 0; i < sep; i++)
		chk = polymod_step(chk) ^ ((unsigned char)hrp[i] & 0x1f);
	for (size_t i = (size_t)sep + 1; i < len; i++) {
		char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
		const char *p = strchr(charset, c);

		if (!p || !c)
			return ident_why(why, "character '%c' is not bech32", s[i]);
		chk = polymod_step(chk) ^ (uint32_t)(p - charset);
		if (i + 6 < len)
			data[n++] = (uint8_t)(p - charset);
	}
	if (chk == BECH32_CONST)
		*enc = IDENT_BECH32;
	else if (chk == BECH32M_CONST)
		*enc = IDENT_BECH32M;
	else
		return ident_why(why, "checksum mismatch (a typo?)");
	*data_len = n;
	return 0;
}

/* Regroup 5-bit values into bytes; padding must be under 5 bits and zero. */
static int from_5bit(const uint8_t *in, size_t n, uint8_t *out, size_t *out_len, char *why)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		acc = (acc << 5) | in[i];
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o == 40)
				return ident_why(why, "witness program longer than 40 bytes");
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	if (bits >= 5 || (acc & ((1u << bits) - 1)))
		return ident_why(why, "invalid padding");
	*out_len = o;
	return 0;
}

int ident_segwit_decode(const char *addr, const char *hrp, int *version, uint8_t *program,
	size_t *prog_len, char *why)
{
	char got[MAX_LEN + 1];
	uint8_t data[MAX_LEN];
	size_t n;
	enum ident_bech32_encoding enc;
	int ret;

	ret = ident_bech32_decode(addr, got, data, &n, &enc, why);
	if (ret)
		return ret;
	if (strcmp(got, hrp) != 0)
		return ident_why(why, "human-readable part '%s' is not '%s'", got, hrp);
	if (n < 1)
		return ident_why(why, "no witness version");
	if (data[0] > 16)
		return ident_why(why, "witness version %d is above 16", data[0]);
	*version = data[0];
	if (*version == 0 && enc != IDENT_BECH32)
		return ident_why(why, "witness version 0 must use bech32, not bech32m");
	if (*version != 0 && enc != IDENT_BECH32M)
		return ident_why(why, "witness version %d must use bech32m, not bech32", *version);
	ret = from_5bit(data + 1, n - 1, program, prog_len, why);
	if (ret)
		return ret;
	if (*prog_len < 2 || *prog_len > 40)
		return ident_why(why, "witness program of %zu bytes (2 to 40 allowed)", *prog_len);
	if (*version == 0 && *prog_len != 20 && *prog_len != 32)
		return ident_why(why, "version 0 witness program of %zu bytes (20 or 32 allowed)",
			*prog_len);
	return 0;
}
