/*
 * ident/imei.c - IMEI (15 digits: 8-digit TAC, 6-digit serial, Luhn check
 * digit). Separators (space - / .) are accepted. 14 digits (the check digit
 * left out, as in many call-detail records) get the check digit computed;
 * an IMEISV (16 digits: no check digit, 2-digit software version) becomes the
 * IMEI of the same device with its version kept aside, so one handset is one
 * identifier however it was recorded.
 */
#include "ident/internal.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"

#define IMEI_LEN 15

static int collect(const char *s, char *digits, size_t size, char *why)
{
	size_t n = 0;
	size_t skip = ident_prefix_ci(s, "imeisv");

	s += skip ? skip : ident_prefix_ci(s, "imei");
	while (*s == ':' || *s == ' ')
		s++;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (n + 1 >= size)
				return ident_why(why, "too many digits");
			digits[n++] = *s;
		} else if (!strchr(" -/.", *s)) {
			if ((unsigned char)*s >= 0x80)
				return ident_why(why, "unexpected non-ASCII character");
			return ident_why(why, "unexpected character '%c'", *s);
		}
	}
	digits[n] = '\0';
	return 0;
}

int ident_imei_parse(struct ident *out, const char *s, char *why)
{
	char d[24];
	size_t len;
	int check, ret;

	ret = collect(s, d, sizeof(d), why);
	if (ret)
		return ret;
	len = strlen(d);
	if (len < 14)
		return ident_why(why, "too few digits (an IMEI has 15)");
	if (len > 16)
		return ident_why(why, "too many digits (an IMEI has 15, an IMEISV 16)");
	if (strspn(d, "0") >= 14)
		return ident_why(why, "all zeros");
	check = ident_luhn_digit(d, 14);
	if (len == 15 && d[14] - '0' != check)
		return ident_why(why, "check digit is %c, expected %d (a typo?)", d[14], check);
	if (len == 16)
		ident_fmt(out->imei.svn, sizeof(out->imei.svn), "%s", d + 14);
	out->imei.check_digit_computed = len != 15;
	ident_fmt(out->value, sizeof(out->value), "%.14s%d", d, check);
	ident_fmt(out->display, sizeof(out->display), "%.2s-%.6s-%.6s-%c", out->value,
		out->value + 2, out->value + 8, out->value[14]);
	return 0;
}
