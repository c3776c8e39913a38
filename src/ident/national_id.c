/*
 * ident/national_id.c - Taiwanese national identification numbers
 * (國民身分證統一編號, A123456789: second character 1 or 2) and resident
 * certificate numbers (居留證統一證號: new format 2021+, second character 8
 * or 9; old format, second character A-D), with the checksum. Personal data:
 * the identifier is marked IDENT_SENSITIVE and shown masked ("A12****789")
 * to anyone who is not a member of the case.
 */
#include "ident/internal.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"

#define NID_LEN 10

/* Two-digit codes of the first letter (A=10 … Z=33, in the official order). */
static int letter_code(char c)
{
	static const int codes[26] = { 10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
		22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33 };

	return c >= 'A' && c <= 'Z' ? codes[c - 'A'] : -1;
}

static int checksum_ok(const char *id)
{
	int code = letter_code(id[0]);
	int second = id[1] >= 'A' && id[1] <= 'D' ? letter_code(id[1]) % 10 : id[1] - '0';
	int sum = code / 10 + (code % 10) * 9 + second * 8;

	for (int i = 2; i < 9; i++)
		sum += (id[i] - '0') * (9 - i);
	sum += id[9] - '0';
	return sum % 10 == 0;
}

static int kind_of(char second, enum ident_national_id_kind *kind, char *why)
{
	if (second == '1' || second == '2')
		*kind = IDENT_NID_CITIZEN;
	else if (second == '8' || second == '9')
		*kind = IDENT_NID_RESIDENT;
	else if (second >= 'A' && second <= 'D')
		*kind = IDENT_NID_RESIDENT_OLD;
	else
		return ident_why(why, "second character must be 1, 2, 8, 9 or A-D");
	return 0;
}

int ident_national_id_parse(struct ident *out, const char *s, char *why)
{
	char id[NID_LEN + 1];
	size_t len = strlen(s);
	int ret;

	if (len != NID_LEN)
		return ident_why(why, "a national ID has 10 characters, not %zu", len);
	str_copy(id, sizeof(id), s);
	for (int i = 0; i < 2; i++)
		if (id[i] >= 'a' && id[i] <= 'z')
			id[i] = (char)(id[i] - 'a' + 'A');
	if (id[0] < 'A' || id[0] > 'Z')
		return ident_why(why, "must start with a letter");
	ret = kind_of(id[1], &out->national_id.kind, why);
	if (ret)
		return ret;
	if (!ident_all_digits(id + 2))
		return ident_why(why, "the last 8 characters must be digits");
	if (!checksum_ok(id))
		return ident_why(why, "checksum mismatch (a typo?)");
	str_copy(out->value, sizeof(out->value), id);
	str_copy(out->display, sizeof(out->display), id);
	out->flags |= IDENT_SENSITIVE;
	return 0;
}

void ident_national_id_mask(const char *value, char *out, size_t size)
{
	if (strlen(value) != NID_LEN) {
		str_copy(out, size, "**********");
		return;
	}
	ident_fmt(out, size, "%.3s****%s", value, value + 7);
}
