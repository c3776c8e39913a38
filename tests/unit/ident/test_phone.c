/*
 * tests/unit/ident/test_phone.c - phone numbers (src/ident/phone.c):
 * Taiwanese and international spellings, kinds, extensions, short codes,
 * rejections with their reasons, and the real scam-call list.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static const struct ok_case taiwan[] = {
	{ "0912-345-678", "+886912345678", "+886 912 345 678" },
	{ "0912345678", "+886912345678", NULL },
	{ "+886 912 345 678", "+886912345678", NULL },
	{ "886-9-12345678", "+886912345678", NULL },
	{ "+886-912-345-678", "+886912345678", NULL },
	{ "+886 (0)912 345 678", "+886912345678", NULL },
	{ "00886912345678", "+886912345678", NULL },
	{ "912345678", "+886912345678", NULL },
	{ "０９１２３４５６７８", "+886912345678", NULL },
	{ "０９１２－３４５－６７８", "+886912345678", NULL },
	{ "＋８８６　９１２　３４５　６７８", "+886912345678", NULL },
	{ "tel:+886912345678", "+886912345678", NULL },
	{ "(02)2311-5224", "+886223115224", "+886 2 2311 5224" },
	{ "02-23115224", "+886223115224", NULL },
	{ "02 2311 5224", "+886223115224", NULL },
	{ "(02) 2311.5224", "+886223115224", NULL },
	{ "+886 2 2311 5224", "+886223115224", NULL },
	{ "03-4567890", "+88634567890", "+886 3 456 7890" },
	{ "037-123456", "+88637123456", NULL },
	{ "04-22345678", "+886422345678", NULL },
	{ "04-7123456", "+88647123456", NULL },
	{ "049-2345678", "+886492345678", NULL },
	{ "05-2345678", "+88652345678", NULL },
	{ "06-2345678", "+88662345678", NULL },
	{ "07-1234567", "+88671234567", NULL },
	{ "08-7345678", "+88687345678", NULL },
	{ "082-312345", "+88682312345", NULL },
	{ "0836-22345", "+88683622345", NULL },
	{ "089-123456", "+88689123456", NULL },
	{ "0800-123-456", "+886800123456", "+886 800 123 456" },
	{ "0809-123-456", "+886809123456", NULL },
	{ "070-1234-5678", "+8867012345678", "+886 70 1234 5678" },
	{ "165", "165", "165" },
	{ "110", "110", NULL },
	{ "119", "119", NULL },
	{ "113", "113", NULL },
	{ "1999", "1999", NULL },
	{ "１６５", "165", NULL },
};

static const struct ok_case international[] = {
	{ "+1 202 555 0100", "+12025550100", NULL },
	{ "+1 (202) 555-0100", "+12025550100", NULL },
	{ "002-1-202-555-0100", "+12025550100", NULL },
	{ "009 1 202 555 0100", "+12025550100", NULL },
	{ "+1 800 555 0100", "+18005550100", NULL },
	{ "+86 138 0013 8000", "+8613800138000", "+86 13800138000" },
	{ "+86-13800138000", "+8613800138000", NULL },
	{ "0086 138 0013 8000", "+8613800138000", NULL },
	{ "+86 10 6552 9988", "+861065529988", NULL },
	{ "+852 6123 4567", "+85261234567", NULL },
	{ "+852 2123 4567", "+85221234567", NULL },
	{ "+853 6612 3456", "+85366123456", NULL },
	{ "+855 12 345 678", "+85512345678", NULL },
	{ "+855 97 123 4567", "+855971234567", NULL },
	{ "+60 12-345 6789", "+60123456789", NULL },
	{ "+60 11-1234 5678", "+601112345678", NULL },
	{ "+63 917 123 4567", "+639171234567", NULL },
	{ "+66 81 234 5678", "+66812345678", NULL },
	{ "+84 912 345 678", "+84912345678", NULL },
	{ "+81 90-1234-5678", "+819012345678", NULL },
	{ "+82 10-1234-5678", "+821012345678", NULL },
	{ "+65 9123 4567", "+6591234567", NULL },
	{ "+61 412 345 678", "+61412345678", NULL },
	{ "+44 20 7946 0958", "+442079460958", NULL },
	{ "+44 (0)20 7946 0958", "+442079460958", NULL },
	{ "+7 912 345-67-89", "+79123456789", NULL },
	{ "+49 30 123456", "+4930123456", NULL },
	{ "+62 812-3456-7890", "+6281234567890", NULL },
};

static const struct bad_case bad[] = {
	{ "0912", "too few digits" },
	{ "0912-345-6789", "too many digits" },
	{ "02-2311-522", "too few digits" },
	{ "02-2311-52245", "too many digits" },
	{ "0800-123-45", "too few digits" },
	{ "01-2345678", "no Taiwanese number starts with 01" },
	{ "+999 1234 5678", "unknown country code" },
	{ "+1 202 555 010", "too few digits after +1" },
	{ "+1 102 555 0100", "North American" },
	{ "+86 138 0013 800", "for a mobile number after +86" },
	{ "+852 1234", "too few digits after +852" },
	{ "1-202-555-0100", "no country code" },
	{ "13800138000", "no country code" },
	{ "0912-ABC-678", "unexpected character 'A'" },
	{ "", "empty" },
	{ "   ", "empty" },
	{ "+", "no digits" },
	{ "+886", "no number after country code +886" },
	{ "0912345678 分機", "extension must be 1 to 7 digits" },
	{ "165 ext. 12", "a short code has no extension" },
	{ "12345678901234567890123", "too many digits" },
	{ "0912\x01" "345678", "control character" },
	{ "0912\xff" "345678", "invalid UTF-8" },
};

Test(phone, taiwanese_spellings)
{
	check_ok_table(IDENT_PHONE, taiwan, N_ELEMS(taiwan));
}

Test(phone, international_spellings)
{
	check_ok_table(IDENT_PHONE, international, N_ELEMS(international));
}

Test(phone, rejections_name_the_reason)
{
	check_bad_table(IDENT_PHONE, bad, N_ELEMS(bad));
}

Test(phone, exact_message)
{
	struct ident id;
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(ident_parse(&id, IDENT_PHONE, "0912", 4, &err), ERR_INVAL);
	cr_assert_str_eq(err.field, "phone");
	cr_assert_str_eq(err.message, "cannot parse phone '0912': too few digits (a mobile number "
				      "has 10: 09xx-xxx-xxx)");
}

Test(phone, extensions_are_kept_apart)
{
	static const struct {
		const char *in, *value, *ext;
	} cases[] = {
		{ "02-23115224 分機 12", "+886223115224", "12" },
		{ "(02)2311-5224轉123", "+886223115224", "123" },
		{ "02-2311-5224 ext. 9", "+886223115224", "9" },
		{ "02-2311-5224 #88", "+886223115224", "88" },
		{ "+886 2 2311 5224 x 7", "+886223115224", "7" },
		{ "tel:+886223115224;ext=45", "+886223115224", "45" },
		{ "０２－２３１１５２２４分機１２", "+886223115224", "12" },
	};
	struct ident id;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		check_ok(IDENT_PHONE, cases[i].in, cases[i].value, NULL, &id);
		cr_assert_str_eq(id.phone.extension, cases[i].ext, "phone '%s' extension '%s'",
			cases[i].in, id.phone.extension);
		cr_assert(strstr(id.display, " ext. ") != NULL, "phone '%s' display '%s'",
			cases[i].in, id.display);
	}
}

Test(phone, kinds_and_regions)
{
	static const struct {
		const char *in;
		enum ident_phone_kind kind;
		int cc;
		const char *region;
	} cases[] = {
		{ "0912345678", IDENT_PHONE_MOBILE, 886, "TW" },
		{ "02-23115224", IDENT_PHONE_LANDLINE, 886, "TW" },
		{ "0800-123-456", IDENT_PHONE_TOLL_FREE, 886, "TW" },
		{ "070-1234-5678", IDENT_PHONE_VOIP, 886, "TW" },
		{ "165", IDENT_PHONE_SHORT_CODE, 886, "TW" },
		{ "+86 138 0013 8000", IDENT_PHONE_MOBILE, 86, "CN" },
		{ "+852 2123 4567", IDENT_PHONE_LANDLINE, 852, "HK" },
		{ "+1 800 555 0100", IDENT_PHONE_TOLL_FREE, 1, "" },
		{ "+49 30 123456", IDENT_PHONE_UNKNOWN, 49, "DE" },
	};
	struct ident id;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const char *in = cases[i].in;

		cr_assert_eq(ident_parse(&id, IDENT_PHONE, in, strlen(in), NULL), 0, "phone '%s'", in);
		cr_assert_eq(id.phone.kind, cases[i].kind, "phone '%s' kind %s", in,
			ident_phone_kind_name(id.phone.kind));
		cr_assert_eq(id.phone.country_code, cases[i].cc, "phone '%s' country code %d", in,
			id.phone.country_code);
		cr_assert_str_eq(id.phone.region, cases[i].region, "phone '%s' region '%s'", in,
			id.phone.region);
	}
}

/* Every number of the 165 hotline's scam-call list (E.164 already) is kept as is. */
Test(phone, real_scam_call_list)
{
	FILE *f = fopen("tests/data/real/scam-call-blacklist.txt", "r");
	char line[128];
	int n = 0;

	cr_assert_not_null(f, "tests/data/real/scam-call-blacklist.txt (run from the top folder)");
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		check_ok(IDENT_PHONE, line, line, NULL, NULL);
		n++;
	}
	fclose(f);
	cr_assert_geq(n, 19, "scam-call list has %d numbers", n);
}
