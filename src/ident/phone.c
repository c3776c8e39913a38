/*
 * ident/phone.c - phone numbers: Taiwanese spellings (0912-345-678,
 * +886 912 345 678, 886-9-12345678, (02)2311-5224, 分機 extensions) and
 * international numbers, normalised to E.164 ("+886912345678"). Taiwanese
 * short codes (165, 110, 119 …) stay as dialled ("165"): they are not
 * reachable from abroad and have no E.164 form.
 *
 * Steps: split off the extension → collect digits → decide national,
 * international (+, 00, Taiwanese IDD 002/005/006/007/009/019) or short code →
 * split the country code → check the national number against the country's
 * rule (a detailed one for Taiwan, lengths and kinds for a few neighbours,
 * the E.164 length limits for the rest).
 */
#include "ident/internal.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"

#define MAX_DIGITS 20

struct country {
	int code;
	const char *region;
};

/* ITU-T E.164 country calling codes (assigned list, 2023); prefix-free. */
static const struct country countries[] = {
	{ 1, "" }, { 7, "RU" }, { 20, "EG" }, { 27, "ZA" }, { 30, "GR" }, { 31, "NL" },
	{ 32, "BE" }, { 33, "FR" }, { 34, "ES" }, { 36, "HU" }, { 39, "IT" }, { 40, "RO" },
	{ 41, "CH" }, { 43, "AT" }, { 44, "GB" }, { 45, "DK" }, { 46, "SE" }, { 47, "NO" },
	{ 48, "PL" }, { 49, "DE" }, { 51, "PE" }, { 52, "MX" }, { 53, "CU" }, { 54, "AR" },
	{ 55, "BR" }, { 56, "CL" }, { 57, "CO" }, { 58, "VE" }, { 60, "MY" }, { 61, "AU" },
	{ 62, "ID" }, { 63, "PH" }, { 64, "NZ" }, { 65, "SG" }, { 66, "TH" }, { 81, "JP" },
	{ 82, "KR" }, { 84, "VN" }, { 86, "CN" }, { 90, "TR" }, { 91, "IN" }, { 92, "PK" },
	{ 93, "AF" }, { 94, "LK" }, { 95, "MM" }, { 98, "IR" }, { 211, "SS" }, { 212, "MA" },
	{ 213, "DZ" }, { 216, "TN" }, { 218, "LY" }, { 220, "GM" }, { 221, "SN" }, { 222, "MR" },
	{ 223, "ML" }, { 224, "GN" }, { 225, "CI" }, { 226, "BF" }, { 227, "NE" }, { 228, "TG" },
	{ 229, "BJ" }, { 230, "MU" }, { 231, "LR" }, { 232, "SL" }, { 233, "GH" }, { 234, "NG" },
	{ 235, "TD" }, { 236, "CF" }, { 237, "CM" }, { 238, "CV" }, { 239, "ST" }, { 240, "GQ" },
	{ 241, "GA" }, { 242, "CG" }, { 243, "CD" }, { 244, "AO" }, { 245, "GW" }, { 246, "IO" },
	{ 247, "AC" }, { 248, "SC" }, { 249, "SD" }, { 250, "RW" }, { 251, "ET" }, { 252, "SO" },
	{ 253, "DJ" }, { 254, "KE" }, { 255, "TZ" }, { 256, "UG" }, { 257, "BI" }, { 258, "MZ" },
	{ 260, "ZM" }, { 261, "MG" }, { 262, "RE" }, { 263, "ZW" }, { 264, "NA" }, { 265, "MW" },
	{ 266, "LS" }, { 267, "BW" }, { 268, "SZ" }, { 269, "KM" }, { 290, "SH" }, { 291, "ER" },
	{ 297, "AW" }, { 298, "FO" }, { 299, "GL" }, { 350, "GI" }, { 351, "PT" }, { 352, "LU" },
	{ 353, "IE" }, { 354, "IS" }, { 355, "AL" }, { 356, "MT" }, { 357, "CY" }, { 358, "FI" },
	{ 359, "BG" }, { 370, "LT" }, { 371, "LV" }, { 372, "EE" }, { 373, "MD" }, { 374, "AM" },
	{ 375, "BY" }, { 376, "AD" }, { 377, "MC" }, { 378, "SM" }, { 379, "VA" }, { 380, "UA" },
	{ 381, "RS" }, { 382, "ME" }, { 383, "XK" }, { 385, "HR" }, { 386, "SI" }, { 387, "BA" },
	{ 389, "MK" }, { 420, "CZ" }, { 421, "SK" }, { 423, "LI" }, { 500, "FK" }, { 501, "BZ" },
	{ 502, "GT" }, { 503, "SV" }, { 504, "HN" }, { 505, "NI" }, { 506, "CR" }, { 507, "PA" },
	{ 508, "PM" }, { 509, "HT" }, { 590, "GP" }, { 591, "BO" }, { 592, "GY" }, { 593, "EC" },
	{ 594, "GF" }, { 595, "PY" }, { 596, "MQ" }, { 597, "SR" }, { 598, "UY" }, { 599, "CW" },
	{ 670, "TL" }, { 672, "NF" }, { 673, "BN" }, { 674, "NR" }, { 675, "PG" }, { 676, "TO" },
	{ 677, "SB" }, { 678, "VU" }, { 679, "FJ" }, { 680, "PW" }, { 681, "WF" }, { 682, "CK" },
	{ 683, "NU" }, { 685, "WS" }, { 686, "KI" }, { 687, "NC" }, { 688, "TV" }, { 689, "PF" },
	{ 690, "TK" }, { 691, "FM" }, { 692, "MH" }, { 800, "" }, { 808, "" }, { 850, "KP" },
	{ 852, "HK" }, { 853, "MO" }, { 855, "KH" }, { 856, "LA" }, { 870, "" }, { 878, "" },
	{ 880, "BD" }, { 881, "" }, { 882, "" }, { 883, "" }, { 886, "TW" }, { 888, "" },
	{ 960, "MV" }, { 961, "LB" }, { 962, "JO" }, { 963, "SY" }, { 964, "IQ" }, { 965, "KW" },
	{ 966, "SA" }, { 967, "YE" }, { 968, "OM" }, { 970, "PS" }, { 971, "AE" }, { 972, "IL" },
	{ 973, "BH" }, { 974, "QA" }, { 975, "BT" }, { 976, "MN" }, { 977, "NP" }, { 979, "" },
	{ 992, "TJ" }, { 993, "TM" }, { 994, "AZ" }, { 995, "GE" }, { 996, "KG" }, { 998, "UZ" },
};

/*
 * Lengths and kinds of national numbers for the countries whose numbers turn
 * up most in Taiwanese fraud reports. Prefix lists are comma-separated.
 */
struct country_rule {
	int code;
	int min_len, max_len; /* national significant number */
	const char *mobile;   /* prefixes of mobile numbers */
	int mobile_len;       /* their exact length, 0 = min..max */
	const char *toll_free;
	bool rest_landline;   /* numbers matching neither list are landlines */
};

static const struct country_rule rules[] = {
	{ 1, 10, 10, NULL, 0, "800,833,844,855,866,877,888", false },
	{ 86, 9, 11, "13,14,15,16,17,18,19", 11, "400,800", true },
	{ 852, 8, 9, "5,6,7,9", 8, "800", true },
	{ 853, 8, 8, "6", 8, NULL, true },
	{ 855, 8, 9, "1,6,7,8,9", 0, NULL, true },
	{ 60, 8, 10, "1", 0, "1300,1800", true },
	{ 63, 8, 10, "9", 10, "1800", true },
	{ 66, 8, 9, "6,8,9", 9, "1800", true },
	{ 84, 9, 10, "3,5,7,8,9", 9, "1800", true },
	{ 81, 9, 10, "70,80,90", 10, "120,800", true },
	{ 82, 8, 10, "1", 0, "80", true },
	{ 65, 8, 8, "8,9", 8, "800", true },
	{ 61, 9, 9, "4", 9, NULL, true },
	{ 44, 9, 10, "7", 10, "800,808", true },
};

/* Taiwanese area codes (without the trunk 0) and their subscriber lengths. */
static const struct {
	const char *area;
	int min_len, max_len;
} tw_areas[] = {
	{ "826", 5, 5 }, { "836", 5, 5 }, { "37", 6, 6 }, { "49", 7, 7 }, { "82", 6, 6 },
	{ "89", 6, 6 }, { "2", 8, 8 }, { "3", 7, 7 }, { "4", 7, 8 }, { "5", 7, 7 },
	{ "6", 7, 7 }, { "7", 7, 7 }, { "8", 7, 7 },
};

static const struct country *country_find(const char *digits, size_t *cc_len)
{
	int code = 0;

	for (size_t n = 1; n <= 3 && digits[n - 1]; n++) {
		code = code * 10 + (digits[n - 1] - '0');
		for (size_t i = 0; i < sizeof(countries) / sizeof(countries[0]); i++) {
			if (countries[i].code == code) {
				*cc_len = n;
				return &countries[i];
			}
		}
	}
	return NULL;
}

static bool has_prefix_in(const char *nsn, const char *list)
{
	const char *p = list;

	while (p && *p) {
		size_t n = strcspn(p, ",");

		if (n && strncmp(nsn, p, n) == 0)
			return true;
		p += n;
		if (*p == ',')
			p++;
	}
	return false;
}

/* Check a Taiwanese national significant number; fill kind or a reason. */
static int tw_check(const char *nsn, enum ident_phone_kind *kind, char *why)
{
	size_t len = strlen(nsn);

	if (nsn[0] == '9') {
		*kind = IDENT_PHONE_MOBILE;
		if (len != 9)
			return ident_why(why,
				"too %s digits (a mobile number has 10: 09xx-xxx-xxx)",
				len < 9 ? "few" : "many");
		return 0;
	}
	if (str_has_prefix(nsn, "800") || str_has_prefix(nsn, "809")) {
		*kind = IDENT_PHONE_TOLL_FREE;
		if (len != 9)
			return ident_why(why, "too %s digits (a toll-free number is 0800-xxx-xxx)",
				len < 9 ? "few" : "many");
		return 0;
	}
	if (str_has_prefix(nsn, "70")) {
		*kind = IDENT_PHONE_VOIP;
		if (len != 10)
			return ident_why(why, "too %s digits (a VoIP number is 070-xxxx-xxxx)",
				len < 10 ? "few" : "many");
		return 0;
	}
	for (size_t i = 0; i < sizeof(tw_areas) / sizeof(tw_areas[0]); i++) {
		size_t alen = strlen(tw_areas[i].area);
		int sub = (int)(len - alen);

		if (strncmp(nsn, tw_areas[i].area, alen) != 0)
			continue;
		*kind = IDENT_PHONE_LANDLINE;
		if (sub < tw_areas[i].min_len)
			return ident_why(why, "too few digits (area code 0%s takes %d more)",
				tw_areas[i].area, tw_areas[i].min_len);
		if (sub > tw_areas[i].max_len)
			return ident_why(why, "too many digits (area code 0%s takes %d more)",
				tw_areas[i].area, tw_areas[i].max_len);
		return 0;
	}
	return ident_why(why, "no Taiwanese number starts with 0%c", nsn[0]);
}

static const struct country_rule *rule_find(int code)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].code == code)
			return &rules[i];
	return NULL;
}

static int foreign_check(int code, const char *nsn, enum ident_phone_kind *kind, char *why)
{
	const struct country_rule *r = rule_find(code);
	int len = (int)strlen(nsn);
	int cc_len = code >= 100 ? 3 : code >= 10 ? 2 : 1;

	*kind = IDENT_PHONE_UNKNOWN;
	if (len + cc_len > 15)
		return ident_why(why, "too many digits (E.164 allows 15)");
	if (!r)
		return len < 4 ? ident_why(why, "too few digits after +%d", code) : 0;
	if (len < r->min_len || len > r->max_len)
		return ident_why(why, "too %s digits after +%d (%d to %d expected)",
			len < r->min_len ? "few" : "many", code, r->min_len, r->max_len);
	if (code == 1 && (nsn[0] < '2' || nsn[3] < '2'))
		return ident_why(why, "a North American area code and exchange start with 2-9");
	if (r->toll_free && has_prefix_in(nsn, r->toll_free)) {
		*kind = IDENT_PHONE_TOLL_FREE;
	} else if (r->mobile && has_prefix_in(nsn, r->mobile)) {
		*kind = IDENT_PHONE_MOBILE;
		if (r->mobile_len && len != r->mobile_len)
			return ident_why(why,
				"too %s digits for a mobile number after +%d (%d expected)",
				len < r->mobile_len ? "few" : "many", code, r->mobile_len);
	} else if (r->rest_landline) {
		*kind = IDENT_PHONE_LANDLINE;
	}
	return 0;
}

/*
 * Split s at an extension marker (分機, 轉, ext, x, #, ",", ";ext=") into the
 * number (copied to number) and the extension digits.
 */
static int split_extension(const char *s, char *number, size_t size, char ext[8], char *why)
{
	static const char *const markers[] = { "分機", "轉", ";ext=", "ext.", "extension",
		"ext", "x", "#", ",", "p", "~" };
	const char *cut = NULL, *rest = NULL;
	size_t n = 0;

	for (const char *p = s; *p && !cut; p++) {
		for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++) {
			size_t m = ident_prefix_ci(p, markers[i]);

			if (m && p != s) {
				cut = p;
				rest = p + m;
				break;
			}
		}
	}
	ext[0] = '\0';
	if (!cut) {
		str_copy(number, size, s);
		return 0;
	}
	ident_fmt(number, size, "%.*s", (int)(cut - s), s);
	while (*rest == ' ' || *rest == ':' || *rest == '.')
		rest++;
	while (rest[n] >= '0' && rest[n] <= '9')
		n++;
	if (n == 0 || n > 7)
		return ident_why(why, "extension must be 1 to 7 digits");
	if (rest[n] && strcmp(rest + n, "號") != 0 && strspn(rest + n, " )") != strlen(rest + n))
		return ident_why(why, "unexpected text after the extension");
	memcpy(ext, rest, n);
	ext[n] = '\0';
	return 0;
}

/*
 * Collect the digits of s into digits; note a leading '+' and an explicit
 * "(0)" trunk. Only digits, space, - . / ( ) and one leading + are allowed.
 */
static int collect_digits(const char *s, char digits[MAX_DIGITS + 1], bool *plus,
	bool *paren_zero, char *why)
{
	size_t n = 0;

	*plus = false;
	*paren_zero = false;
	if (str_has_prefix(s, "tel:"))
		s += 4;
	while (*s == ' ')
		s++;
	if (*s == '+') {
		*plus = true;
		s++;
	}
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (n == MAX_DIGITS)
				return ident_why(why, "too many digits");
			digits[n++] = *s;
		} else if (strncmp(s, "(0)", 3) == 0 && n > 0) {
			*paren_zero = true;
			s += 2;
		} else if (!strchr(" -./()", *s)) {
			if ((unsigned char)*s >= 0x80)
				return ident_why(why, "unexpected non-ASCII character");
			return ident_why(why, "unexpected character '%c'", *s);
		}
	}
	digits[n] = '\0';
	if (n == 0)
		return ident_why(why, "no digits");
	return 0;
}

/* The international part after an IDD prefix, or NULL when digits has none. */
static const char *after_idd(const char *digits)
{
	static const char *const tw_idd[] = { "002", "005", "006", "007", "009", "019" };
	size_t cc_len;

	for (size_t i = 0; i < sizeof(tw_idd) / sizeof(tw_idd[0]); i++)
		if (str_has_prefix(digits, tw_idd[i]) && country_find(digits + 3, &cc_len))
			return digits + 3;
	if (str_has_prefix(digits, "00"))
		return digits + 2;
	return NULL;
}

static void display_tw(struct ident *out, const char *nsn)
{
	size_t len = strlen(nsn), alen = 1;
	enum ident_phone_kind kind = out->phone.kind;

	if (kind == IDENT_PHONE_MOBILE || kind == IDENT_PHONE_TOLL_FREE) {
		ident_fmt(out->display, sizeof(out->display), "+886 %.3s %.3s %s", nsn, nsn + 3,
			nsn + 6);
		return;
	}
	if (kind == IDENT_PHONE_VOIP) {
		ident_fmt(out->display, sizeof(out->display), "+886 70 %.4s %s", nsn + 2, nsn + 6);
		return;
	}
	for (size_t i = 0; i < sizeof(tw_areas) / sizeof(tw_areas[0]); i++) {
		if (str_has_prefix(nsn, tw_areas[i].area)) {
			alen = strlen(tw_areas[i].area);
			break;
		}
	}
	ident_fmt(out->display, sizeof(out->display), "+886 %.*s %.*s %s", (int)alen, nsn,
		(int)(len - alen - 4), nsn + alen, nsn + len - 4);
}

static int finish_international(struct ident *out, const char *intl, bool paren_zero, char *why)
{
	const struct country *c;
	size_t cc_len;
	const char *nsn;
	int ret;

	c = country_find(intl, &cc_len);
	if (!c)
		return ident_why(why, "unknown country code +%.3s", intl);
	nsn = intl + cc_len;
	if (!*nsn)
		return ident_why(why, "no number after country code +%d", c->code);
	if ((paren_zero || c->code == 886) && nsn[0] == '0')
		nsn++;
	out->phone.country_code = c->code;
	str_copy(out->phone.region, sizeof(out->phone.region), c->region);
	if (c->code == 886)
		ret = tw_check(nsn, &out->phone.kind, why);
	else
		ret = foreign_check(c->code, nsn, &out->phone.kind, why);
	if (ret)
		return ret;
	ident_fmt(out->value, sizeof(out->value), "+%d%s", c->code, nsn);
	if (c->code == 886)
		display_tw(out, nsn);
	else
		ident_fmt(out->display, sizeof(out->display), "+%d %s", c->code, nsn);
	return 0;
}

static int finish_short_code(struct ident *out, const char *digits)
{
	out->phone.kind = IDENT_PHONE_SHORT_CODE;
	out->phone.country_code = 886;
	str_copy(out->phone.region, sizeof(out->phone.region), "TW");
	str_copy(out->value, sizeof(out->value), digits);
	str_copy(out->display, sizeof(out->display), digits);
	return 0;
}

/* National (no + or IDD) digits: trunk 0, a leading 886, a short code, or 9xxxxxxxx. */
static int finish_national(struct ident *out, const char *digits, char *why)
{
	char intl[MAX_DIGITS + 8];
	size_t len = strlen(digits);

	if (digits[0] == '0') {
		if (len < 2)
			return ident_why(why, "too few digits");
		ident_fmt(intl, sizeof(intl), "886%s", digits + 1);
		return finish_international(out, intl, false, why);
	}
	if (digits[0] == '1' && (len == 3 || len == 4))
		return finish_short_code(out, digits);
	if (str_has_prefix(digits, "886") && len > 3)
		return finish_international(out, digits, false, why);
	if (digits[0] == '9' && len == 9) {
		ident_fmt(intl, sizeof(intl), "886%s", digits);
		return finish_international(out, intl, false, why);
	}
	if (len < 8)
		return ident_why(why, "too few digits");
	return ident_why(why, "no country code or leading 0 (write +<country code> for a "
			      "foreign number)");
}

int ident_phone_parse(struct ident *out, const char *s, char *why)
{
	char number[IDENT_INPUT_MAX + 1], digits[MAX_DIGITS + 1];
	bool plus, paren_zero;
	const char *intl;
	int ret;

	ret = split_extension(s, number, sizeof(number), out->phone.extension, why);
	if (ret)
		return ret;
	ret = collect_digits(number, digits, &plus, &paren_zero, why);
	if (ret)
		return ret;
	intl = plus ? digits : after_idd(digits);
	if (intl)
		ret = finish_international(out, intl, paren_zero, why);
	else
		ret = finish_national(out, digits, why);
	if (ret)
		return ret;
	if (out->phone.extension[0] && out->phone.kind == IDENT_PHONE_SHORT_CODE)
		return ident_why(why, "a short code has no extension");
	if (out->phone.extension[0]) {
		size_t n = strlen(out->display);

		ident_fmt(out->display + n, sizeof(out->display) - n, " ext. %s",
			out->phone.extension);
	}
	return 0;
}
