/*
 * tests/unit/ident/test_accounts.c - LINE IDs, Telegram handles, social
 * profiles (src/ident/social.c), national IDs (national_id.c) and IMEIs
 * (imei.c), with the real list of reported LINE IDs.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static const struct ok_case line_ok[] = {
	{ "abc123", "abc123", "abc123" },
	{ "ABC123", "abc123", NULL },
	{ "ｚｔｙ８５０", "zty850", NULL },
	{ "yutongˍ417", "yutong_417", NULL },
	{ "chou＿207", "chou_207", NULL },
	{ "yy.ˍ0420", "yy._0420", NULL },
	{ "@abc1234", "@abc1234", NULL },
	{ "@123abcde", "@123abcde", NULL },
	{ "https://line.me/ti/p/~abc123", "abc123", NULL },
	{ "line.me/R/ti/p/~abc123", "abc123", NULL },
	{ "https://line.me/R/ti/p/@abc1234", "@abc1234", NULL },
	{ "https://line.me/R/ti/p/%40abc1234", "@abc1234", NULL },
	{ " kpa766\t", "kpa766", NULL },
	/* found by fuzz/fuzz_ident.c: a link naming "line.me" must re-parse as that ID */
	{ "https://line.me/R/ti/p/line.me/R//c", "line.me", NULL },
};

static const struct bad_case line_bad[] = {
	{ "abc", "too short (a LINE ID has at least 4 characters)" },
	{ "abcdefghijklmnopqrstu", "too long (a LINE ID has at most 20 characters)" },
	{ "+447727189556", "character '+' not allowed in a LINE ID" },
	{ "14line id", "character ' ' not allowed in a LINE ID" },
	{ "iu91638+ac59", "character '+' not allowed" },
	{ "小明1234", "non-ASCII character not allowed" },
	{ "https://lin.ee/AbCdEf", "short link cannot be resolved offline" },
	{ "https://line.me/en/", "names no ID" },
};

Test(line_id, spellings)
{
	check_ok_table(IDENT_LINE_ID, line_ok, N_ELEMS(line_ok));
	check_bad_table(IDENT_LINE_ID, line_bad, N_ELEMS(line_bad));
}

/*
 * The 13,146 reported LINE IDs: every row is accepted or rejected for a
 * stated reason; most are accepted.
 */
Test(line_id, real_reported_list)
{
	FILE *f = fopen("tests/data/real/malicious-LINE-ID.txt", "r");
	struct err_msg err = ERR_MSG_INIT;
	struct ident id;
	char line[512];
	int accepted = 0, rejected = 0, row = 0;

	cr_assert_not_null(f, "tests/data/real/malicious-LINE-ID.txt");
	while (fgets(line, sizeof(line), f)) {
		char *start, *end;

		if (row++ == 0)
			continue; /* header: 編號,帳號,通報日期 */
		start = strchr(line, ',');
		end = strrchr(line, ',');
		if (!start || end == start)
			continue;
		start++;
		if (ident_parse(&id, IDENT_LINE_ID, start, (size_t)(end - start), &err) == 0) {
			accepted++;
			continue;
		}
		cr_assert(strstr(err.message, "cannot parse LINE ID '") == err.message,
			"LINE row %d: %s", row, err.message);
		rejected++;
	}
	fclose(f);
	cr_assert_geq(accepted, 12900, "LINE IDs: %d accepted, %d rejected", accepted, rejected);
	cr_assert_gt(rejected, 0, "LINE IDs: none rejected");
}

static const struct ok_case telegram_ok[] = {
	{ "@Durov", "durov", "@durov" },
	{ "durov", "durov", NULL },
	{ "https://t.me/scam_group", "scam_group", NULL },
	{ "t.me/s/scam_group", "scam_group", NULL },
	{ "t.me/scam_group/123", "scam_group", NULL },
	{ "telegram.me/scam_group", "scam_group", NULL },
	{ "tg://resolve?domain=scam_group", "scam_group", NULL },
};

static const struct bad_case telegram_bad[] = {
	{ "@abcd", "too short" },
	{ "@_abc12", "starts with a letter" },
	{ "@1abcde", "starts with a letter" },
	{ "@abcde_", "does not end with '_'" },
	{ "@abc-def", "character '-' not allowed" },
	{ "https://t.me/joinchat/AAAAAEx", "an invite link" },
	{ "https://t.me/+AbCdEf123", "an invite link" },
	{ "@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "too long" },
};

Test(telegram, spellings)
{
	check_ok_table(IDENT_TELEGRAM, telegram_ok, N_ELEMS(telegram_ok));
	check_bad_table(IDENT_TELEGRAM, telegram_bad, N_ELEMS(telegram_bad));
}

static const struct ok_case social_ok[] = {
	{ "https://www.facebook.com/john.smith", "facebook:johnsmith", "facebook.com/johnsmith" },
	{ "facebook.com/John.Smith/", "facebook:johnsmith", NULL },
	{ "https://m.facebook.com/johnsmith?ref=bookmarks", "facebook:johnsmith", NULL },
	{ "https://www.facebook.com/profile.php?id=100012345678", "facebook:100012345678",
		"facebook.com/profile.php?id=100012345678" },
	{ "https://www.facebook.com/people/Some-Name/100012345678/", "facebook:100012345678",
		NULL },
	{ "https://fb.com/johnsmith", "facebook:johnsmith", NULL },
	{ "facebook:johnsmith", "facebook:johnsmith", NULL },
	{ "https://www.instagram.com/some_user/", "instagram:some_user", "instagram.com/some_user" },
	{ "instagram.com/Some.User", "instagram:some.user", NULL },
	{ "https://www.instagram.com/stories/some_user/123/", "instagram:some_user", NULL },
	{ "instagram:some_user", "instagram:some_user", NULL },
};

static const struct bad_case social_bad[] = {
	{ "https://www.facebook.com/groups/123456", "a Facebook 'groups' link, not a profile" },
	{ "https://www.facebook.com/watch?v=1", "a Facebook 'watch' link, not a profile" },
	{ "https://www.facebook.com/profile.php", "profile.php without id=" },
	{ "https://www.facebook.com/", "a link to no profile" },
	{ "https://www.facebook.com/abc", "too short" },
	{ "https://www.instagram.com/p/Cabc123/", "an Instagram 'p' link, not a profile" },
	{ "https://twitter.com/someone", "not a Facebook or Instagram profile link" },
	{ "instagram.com/bad-name", "character '-' not allowed" },
	/* found by fuzz/fuzz_ident.c: digits and dots are no username */
	{ "facebook.com/7777.71", "a Facebook username has a letter" },
};

Test(social_profile, spellings)
{
	check_ok_table(IDENT_SOCIAL_PROFILE, social_ok, N_ELEMS(social_ok));
	check_bad_table(IDENT_SOCIAL_PROFILE, social_bad, N_ELEMS(social_bad));
}

static const struct ok_case nid_ok[] = {
	{ "A123456789", "A123456789", NULL },
	{ "a123456789", "A123456789", NULL },
	{ "Ａ１２３４５６７８９", "A123456789", NULL },
	{ "F131104093", "F131104093", NULL },
	{ "A800000014", "A800000014", NULL },
	{ "AC01234567", "AC01234567", NULL },
};

static const struct bad_case nid_bad[] = {
	{ "A123456788", "checksum mismatch" },
	{ "A12345678", "a national ID has 10 characters, not 9" },
	{ "1123456789", "must start with a letter" },
	{ "A323456789", "second character must be 1, 2, 8, 9 or A-D" },
	{ "A1234567X9", "the last 8 characters must be digits" },
};

Test(national_id, spellings_and_mask)
{
	struct ident id;
	char masked[32], described[256];

	check_ok_table(IDENT_NATIONAL_ID, nid_ok, N_ELEMS(nid_ok));
	check_bad_table(IDENT_NATIONAL_ID, nid_bad, N_ELEMS(nid_bad));
	check_ok(IDENT_NATIONAL_ID, "A123456789", "A123456789", NULL, &id);
	cr_assert(id.flags & IDENT_SENSITIVE, "national ID 'A123456789' is sensitive");
	cr_assert_eq(id.national_id.kind, IDENT_NID_CITIZEN, "national ID 'A123456789' kind");
	ident_mask(&id, masked, sizeof(masked));
	cr_assert_str_eq(masked, "A12****789", "national ID 'A123456789' masked '%s'", masked);
	ident_describe(&id, described, sizeof(described));
	cr_assert_null(strstr(described, "A123456789"), "describe leaks '%s'", described);
	check_ok(IDENT_NATIONAL_ID, "A800000014", "A800000014", NULL, &id);
	cr_assert_eq(id.national_id.kind, IDENT_NID_RESIDENT, "national ID 'A800000014' kind");
}

static const struct ok_case imei_ok[] = {
	{ "490154203237518", "490154203237518", "49-015420-323751-8" },
	{ "35-209900-176148-1", "352099001761481", NULL },
	{ "35 209900 176148 1", "352099001761481", NULL },
	{ "IMEI: 352099001761481", "352099001761481", NULL },
	{ "35209900176148", "352099001761481", NULL },
	{ "3520990017614823", "352099001761481", NULL },
};

static const struct bad_case imei_bad[] = {
	{ "490154203237519", "check digit is 9, expected 8" },
	{ "4901542032375", "too few digits" },
	{ "49015420323751812", "too many digits" },
	{ "000000000000000", "all zeros" },
	{ "49015420323751A", "unexpected character 'A'" },
};

Test(imei, spellings)
{
	struct ident id;

	check_ok_table(IDENT_IMEI, imei_ok, N_ELEMS(imei_ok));
	check_bad_table(IDENT_IMEI, imei_bad, N_ELEMS(imei_bad));
	check_ok(IDENT_IMEI, "3520990017614823", "352099001761481", NULL, &id);
	cr_assert_str_eq(id.imei.svn, "23", "imei '3520990017614823' software version");
	cr_assert(id.imei.check_digit_computed, "imei '3520990017614823' check digit computed");
}
