/*
 * ident/bank_account.c - bank accounts: a Taiwanese financial-institution
 * code (3 digits, or 7 with the branch) checked against the shipped table
 * (bank_codes.c) and an account number of 8-16 digits, written with a
 * separator between them ("822-1234567890", "(822)1234567890",
 * "822 1234 5678 90"); canonical "822-1234567890", leading zeros kept.
 * An IBAN (foreign accounts in fraud reports) is validated with its
 * country's length and the ISO 13616 mod-97 check; canonical compact, upper case.
 */
#include "ident/internal.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"

#define ACCOUNT_MIN 8
#define ACCOUNT_MAX 16
#define IBAN_MAX 34

/* IBAN lengths by country (SWIFT IBAN registry). */
static const struct {
	char country[3];
	int len;
} iban_lengths[] = {
	{ "AD", 24 }, { "AE", 23 }, { "AL", 28 }, { "AT", 20 }, { "AZ", 28 }, { "BA", 20 },
	{ "BE", 16 }, { "BG", 22 }, { "BH", 22 }, { "BR", 29 }, { "BY", 28 }, { "CH", 21 },
	{ "CR", 22 }, { "CY", 28 }, { "CZ", 24 }, { "DE", 22 }, { "DK", 18 }, { "DO", 28 },
	{ "EE", 20 }, { "EG", 29 }, { "ES", 24 }, { "FI", 18 }, { "FO", 18 }, { "FR", 27 },
	{ "GB", 22 }, { "GE", 22 }, { "GI", 23 }, { "GL", 18 }, { "GR", 27 }, { "GT", 28 },
	{ "HR", 21 }, { "HU", 28 }, { "IE", 22 }, { "IL", 23 }, { "IQ", 23 }, { "IS", 26 },
	{ "IT", 27 }, { "JO", 30 }, { "KW", 30 }, { "KZ", 20 }, { "LB", 28 }, { "LC", 32 },
	{ "LI", 21 }, { "LT", 20 }, { "LU", 20 }, { "LV", 21 }, { "MC", 27 }, { "MD", 24 },
	{ "ME", 22 }, { "MK", 19 }, { "MR", 27 }, { "MT", 31 }, { "MU", 30 }, { "NL", 18 },
	{ "NO", 15 }, { "PK", 24 }, { "PL", 28 }, { "PS", 29 }, { "PT", 25 }, { "QA", 29 },
	{ "RO", 24 }, { "RS", 22 }, { "SA", 24 }, { "SC", 31 }, { "SE", 24 }, { "SI", 19 },
	{ "SK", 24 }, { "SM", 27 }, { "ST", 25 }, { "SV", 28 }, { "TL", 23 }, { "TN", 24 },
	{ "TR", 26 }, { "UA", 29 }, { "VA", 22 }, { "VG", 24 }, { "XK", 20 },
};

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int iban_length(const char *country)
{
	for (size_t i = 0; i < sizeof(iban_lengths) / sizeof(iban_lengths[0]); i++)
		if (memcmp(iban_lengths[i].country, country, 2) == 0)
			return iban_lengths[i].len;
	return 0;
}

/* ISO 7064 mod 97-10 over the rearranged IBAN (first four characters moved last). */
static int iban_mod97(const char *iban)
{
	size_t len = strlen(iban);
	int rem = 0;

	for (size_t i = 0; i < len; i++) {
		char c = iban[(i + 4) % len];

		if (is_digit(c))
			rem = (rem * 10 + (c - '0')) % 97;
		else
			rem = (rem * 100 + (c - 'A' + 10)) % 97;
	}
	return rem;
}

static void iban_display(const char *iban, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; iban[i] && o + 2 < size; i++) {
		if (i && i % 4 == 0)
			out[o++] = ' ';
		out[o++] = iban[i];
	}
	out[o] = '\0';
}

static int parse_iban(struct ident *out, const char *s, char *why)
{
	char iban[IDENT_INPUT_MAX + 16];
	size_t len;
	int want;

	str_copy(iban, sizeof(iban), s);
	ident_strip(iban, " -");
	for (char *p = iban; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	len = strlen(iban);
	for (size_t i = 4; i < len; i++)
		if (!is_upper(iban[i]) && !is_digit(iban[i]))
			return ident_why(why, "character '%c' not allowed in an IBAN", iban[i]);
	want = iban_length(iban);
	if (!want)
		return ident_why(why, "IBAN country '%.2s' not known", iban);
	if ((int)len != want)
		return ident_why(why, "an IBAN of %.2s has %d characters, not %zu", iban, want,
			len);
	if (iban_mod97(iban) != 1)
		return ident_why(why, "IBAN check digits do not match (a typo?)");
	out->bank.iban = true;
	out->bank.bank_name = "";
	str_copy(out->bank.account, sizeof(out->bank.account), iban);
	str_copy(out->value, sizeof(out->value), iban);
	iban_display(iban, out->display, sizeof(out->display));
	return 0;
}

static bool looks_like_iban(const char *s)
{
	return is_upper((char)(s[0] & ~0x20)) && is_upper((char)(s[1] & ~0x20)) &&
		is_digit(s[2]) && is_digit(s[3]);
}

/* Split "(code) account" / "code-account" into its digit groups. */
static int split_code(const char *s, char *code, char *account, char *why)
{
	size_t n, a = 0;

	if (*s == '(')
		s++;
	n = strspn(s, "0123456789");
	if (!s[n]) {
		if (n >= 11)
			return ident_why(why, "no separator between the bank code and the account "
					      "number (write 822-1234567890)");
		return ident_why(why, "missing the 3-digit bank code (write 822-1234567890)");
	}
	if (n == 0)
		return ident_why(why, "must start with the 3-digit bank code");
	if (n != 3 && n != 7)
		return ident_why(why, "bank code '%.*s' is not 3 (or 7) digits",
			(int)(n > 8 ? 8 : n), s);
	memcpy(code, s, n);
	code[n] = '\0';
	for (s += n; *s; s++) {
		if (is_digit(*s)) {
			if (a == ACCOUNT_MAX + 1)
				break;
			account[a++] = *s;
		} else if (!strchr(" -.)/", *s)) {
			if ((unsigned char)*s >= 0x80)
				return ident_why(why, "unexpected non-ASCII character");
			return ident_why(why, "unexpected character '%c'", *s);
		}
	}
	account[a] = '\0';
	return 0;
}

static int lookup_code(struct ident *out, const char *code, char *why)
{
	const char *name = ident_bank_name(code);
	char bank[4];

	memcpy(bank, code, 3);
	bank[3] = '\0';
	if (!name)
		name = ident_bank_name(bank);
	if (!name)
		return ident_why(why, "unknown bank code '%s'", bank);
	str_copy(out->bank.bank_code, sizeof(out->bank.bank_code), bank);
	if (code[3])
		str_copy(out->bank.branch_code, sizeof(out->bank.branch_code), code + 3);
	out->bank.bank_name = name;
	return 0;
}

int ident_bank_account_parse(struct ident *out, const char *s, char *why)
{
	char code[8], account[ACCOUNT_MAX + 2];
	size_t len;
	int ret;

	if (looks_like_iban(s))
		return parse_iban(out, s, why);
	ret = split_code(s, code, account, why);
	if (!ret)
		ret = lookup_code(out, code, why);
	if (ret)
		return ret;
	len = strlen(account);
	if (len < ACCOUNT_MIN || len > ACCOUNT_MAX)
		return ident_why(why, "account number of %s%zu digits (%d to %d expected)",
			len > ACCOUNT_MAX ? "more than " : "", len > ACCOUNT_MAX ? len - 1 : len,
			ACCOUNT_MIN, ACCOUNT_MAX);
	str_copy(out->bank.account, sizeof(out->bank.account), account);
	ident_fmt(out->value, sizeof(out->value), "%s-%s", out->bank.bank_code, account);
	ident_fmt(out->display, sizeof(out->display), "%s (%s)", out->value, out->bank.bank_name);
	return 0;
}
