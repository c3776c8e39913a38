/*
 * tests/unit/ident/test_ident.c - the public face of src/ident/ (ident.c,
 * text.c): type names, detection, derived identifiers, masking, folding and
 * defanging, inputs that are not NUL-terminated, and the real
 * fake-investment domain list.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident/internal.h"

#include "check.h"

Test(ident, type_names_round_trip)
{
	enum ident_type t;

	for (int i = IDENT_TYPE_FIRST; i <= IDENT_TYPE_LAST; i++) {
		const char *name = ident_type_name((enum ident_type)i);

		cr_assert_eq(ident_type_parse(name, &t), 0, "type name '%s'", name);
		cr_assert_eq((int)t, i, "type name '%s' parses to %d", name, (int)t);
	}
	cr_assert_eq(ident_type_parse("tg", &t), 0, "alias 'tg'");
	cr_assert_eq(t, IDENT_TELEGRAM, "alias 'tg'");
	cr_assert_eq(ident_type_parse("nonsense", &t), ERR_INVAL, "type 'nonsense'");
	cr_assert_str_eq(ident_type_name((enum ident_type)99), "unknown", "type 99");
}

static const struct {
	const char *in;
	enum ident_type type;
	const char *value;
} detect_ok[] = {
	{ "0912-345-678", IDENT_PHONE, "+886912345678" },
	{ "+886 912 345 678", IDENT_PHONE, "+886912345678" },
	{ "886-9-12345678", IDENT_PHONE, "+886912345678" },
	{ "(02)2311-5224", IDENT_PHONE, "+886223115224" },
	{ "165", IDENT_PHONE, "165" },
	{ "822-1234567890", IDENT_BANK_ACCOUNT, "822-1234567890" },
	{ "(822)1234567890", IDENT_BANK_ACCOUNT, "822-1234567890" },
	{ "GB32 TSBS 7768 7400 0548 75", IDENT_BANK_ACCOUNT, "GB32TSBS77687400054875" },
	{ "example[.]com", IDENT_DOMAIN, "example.com" },
	{ "例子.台灣", IDENT_DOMAIN, "xn--fsqu00a.xn--kpry57d" },
	{ "hxxp://evil[.]com/login", IDENT_URL, "http://evil.com/login" },
	{ "www.vvtaa3.com/rk/vip", IDENT_URL, "http://www.vvtaa3.com/rk/vip" },
	{ "1.2.3.4", IDENT_IP, "1.2.3.4" },
	{ "2001:db8::1", IDENT_IP, "2001:db8::1" },
	{ "10.0.0.0/8", IDENT_IP, "10.0.0.0/8" },
	{ "User@Example.com", IDENT_EMAIL, "user@example.com" },
	{ "user[at]example[.]com", IDENT_EMAIL, "user@example.com" },
	{ "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", IDENT_WALLET,
		"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed" },
	{ "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", IDENT_WALLET, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa" },
	{ "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", IDENT_WALLET,
		"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4" },
	{ "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", IDENT_WALLET, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t" },
	{ "A123456789", IDENT_NATIONAL_ID, "A123456789" },
	{ "490154203237518", IDENT_IMEI, "490154203237518" },
	{ "https://www.facebook.com/john.smith", IDENT_SOCIAL_PROFILE, "facebook:johnsmith" },
	{ "instagram:some_user", IDENT_SOCIAL_PROFILE, "instagram:some_user" },
	{ "https://t.me/scam_group", IDENT_TELEGRAM, "scam_group" },
	{ "https://line.me/ti/p/~abc123", IDENT_LINE_ID, "abc123" },
	{ "@123abcde", IDENT_LINE_ID, "@123abcde" },
	{ "  ０９１２３４５６７８  ", IDENT_PHONE, "+886912345678" },
};

static const struct bad_case detect_bad[] = {
	{ "@scammer99", "ambiguous: a LINE ID or a Telegram handle" },
	{ "0912", "not a phone number: too few digits" },
	{ "www.oxkiyxyz", "not a domain: unknown top-level domain '.oxkiyxyz'" },
	{ "A123456788", "not a national ID: checksum mismatch" },
	{ "1A1zP1eFzhQPjKvz4J8G9jL7umJ3Wd6S7tJ", "not a wallet: checksum mismatch" },
	{ "hello world", "not recognised" },
	{ "", "empty" },
};

Test(ident, detect)
{
	struct ident id;
	struct err_msg err = ERR_MSG_INIT;

	for (size_t i = 0; i < N_ELEMS(detect_ok); i++) {
		const char *in = detect_ok[i].in;

		cr_assert_eq(ident_detect(&id, in, strlen(in), &err), 0, "detect '%s': %s", in,
			err.message);
		cr_assert_eq(id.type, detect_ok[i].type, "detect '%s' gave %s", in,
			ident_type_name(id.type));
		cr_assert_str_eq(id.value, detect_ok[i].value, "detect '%s' → '%s'", in, id.value);
	}
	for (size_t i = 0; i < N_ELEMS(detect_bad); i++) {
		const char *in = detect_bad[i].in;

		cr_assert_eq(ident_detect(&id, in, strlen(in), &err), ERR_PARSE, "detect '%s' gave %s",
			in, id.value);
		cr_assert_str_eq(err.field, "identifier", "detect '%s' field", in);
		cr_assert(strstr(err.message, detect_bad[i].reason) != NULL,
			"detect '%s': message '%s' lacks '%s'", in, err.message, detect_bad[i].reason);
	}
}

Test(ident, related)
{
	static const struct {
		enum ident_type type;
		const char *in;
		size_t n;
		enum ident_type types[2];
		const char *values[2];
	} cases[] = {
		{ IDENT_URL, "https://shop.example.co.uk/x", 1, { IDENT_DOMAIN },
			{ "shop.example.co.uk" } },
		{ IDENT_URL, "http://1.2.3.4/x", 1, { IDENT_IP }, { "1.2.3.4" } },
		{ IDENT_URL, "https://www.facebook.com/john.smith", 2,
			{ IDENT_DOMAIN, IDENT_SOCIAL_PROFILE }, { "www.facebook.com", "facebook:johnsmith" } },
		{ IDENT_URL, "https://t.me/scam_group", 2, { IDENT_DOMAIN, IDENT_TELEGRAM },
			{ "t.me", "scam_group" } },
		{ IDENT_URL, "https://line.me/R/ti/p/~abc123", 2, { IDENT_DOMAIN, IDENT_LINE_ID },
			{ "line.me", "abc123" } },
		{ IDENT_EMAIL, "someone@例子.台灣", 1, { IDENT_DOMAIN }, { "xn--fsqu00a.xn--kpry57d" } },
		{ IDENT_PHONE, "0912345678", 0, { 0 }, { NULL } },
	};
	struct ident id, rel[4];

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const char *in = cases[i].in;
		size_t n;

		cr_assert_eq(ident_parse(&id, cases[i].type, in, strlen(in), NULL), 0, "'%s'", in);
		n = ident_related(&id, rel, 4);
		cr_assert_eq(n, cases[i].n, "related('%s') gave %zu", in, n);
		for (size_t k = 0; k < n; k++) {
			cr_assert_eq(rel[k].type, cases[i].types[k], "related('%s')[%zu] type %s", in, k,
				ident_type_name(rel[k].type));
			cr_assert_str_eq(rel[k].value, cases[i].values[k], "related('%s')[%zu] '%s'", in,
				k, rel[k].value);
		}
		cr_assert_eq(ident_related(&id, rel, 0), 0, "related('%s', max 0)", in);
	}
}

Test(ident, mask_and_describe)
{
	struct ident id;
	char out[IDENT_VALUE_SIZE + 256];

	check_ok(IDENT_PHONE, "0912345678", "+886912345678", NULL, &id);
	ident_mask(&id, out, sizeof(out));
	cr_assert_str_eq(out, "+886 912 345 678", "mask of a phone is its display");
	ident_describe(&id, out, sizeof(out));
	cr_assert_str_eq(out, "phone +886912345678 (mobile, +886 TW) display '+886 912 345 678'",
		"describe phone '0912345678': %s", out);
	ident_mask(&id, out, 4);
	cr_assert_str_eq(out, "+88", "mask truncates to its size");
}

Test(ident, fold_and_defang)
{
	static const char *const fold[][2] = {
		{ "０９１２", "0912" }, { "\xe3\x80\x80 abc \t", "abc" }, { "a\xe2\x80\x8b" "b", "ab" },
		{ "\xef\xbb\xbf" "abc", "abc" }, { "a\xe2\x80\x94" "b", "a-b" }, { "例子。台灣", "例子.台灣" },
	};
	static const char *const defang[][2] = {
		{ "hxxp://a[.]b", "http://a.b" }, { "HXXPS[://]a(.)b", "https://a.b" },
		{ "a[at]b[dot]c", "a@b.c" }, { "fxp://a{.}b", "ftp://a.b" },
	};
	char out[IDENT_INPUT_MAX + 16], why[IDENT_WHY_SIZE];

	for (size_t i = 0; i < N_ELEMS(fold); i++) {
		cr_assert_eq(ident_fold(fold[i][0], strlen(fold[i][0]), out, IDENT_INPUT_MAX + 1, why),
			0, "fold '%s': %s", fold[i][0], why);
		cr_assert_str_eq(out, fold[i][1], "fold '%s' → '%s'", fold[i][0], out);
	}
	for (size_t i = 0; i < N_ELEMS(defang); i++) {
		snprintf(out, sizeof(out), "%s", defang[i][0]);
		ident_defang(out);
		cr_assert_str_eq(out, defang[i][1], "defang '%s' → '%s'", defang[i][0], out);
	}
}

/* Parsers read only len bytes: the bytes after them must not matter. */
Test(ident, input_need_not_be_nul_terminated)
{
	static const char buf[] = "0912345678999999";
	char *heap = malloc(10);
	struct ident id;
	struct err_msg err = ERR_MSG_INIT;

	memcpy(heap, "0912345678", 10); /* no NUL: ASan catches any read past it */
	cr_assert_eq(ident_parse(&id, IDENT_PHONE, heap, 10, &err), 0, "phone of 10 bytes: %s",
		err.message);
	cr_assert_str_eq(id.value, "+886912345678", "phone of 10 bytes");
	for (int t = IDENT_TYPE_FIRST; t <= IDENT_TYPE_LAST; t++)
		(void)ident_parse(&id, (enum ident_type)t, heap, 10, NULL);
	(void)ident_detect(&id, heap, 10, NULL);
	free(heap);
	cr_assert_eq(ident_parse(&id, IDENT_PHONE, buf, 10, NULL), 0, "phone prefix of '%s'", buf);
	cr_assert_str_eq(id.value, "+886912345678", "phone prefix of '%s'", buf);
	cr_assert_eq(ident_parse(&id, IDENT_PHONE, NULL, 5, &err), ERR_INVAL, "NULL input");
	cr_assert_eq(ident_parse(&id, (enum ident_type)0, "x", 1, &err), ERR_INVAL, "type 0");
}

Test(ident, long_and_binary_input_is_refused_cleanly)
{
	size_t big = IDENT_INPUT_MAX + 10;
	char *s = malloc(big);
	struct ident id;
	struct err_msg err = ERR_MSG_INIT;

	memset(s, '1', big);
	cr_assert_eq(ident_parse(&id, IDENT_PHONE, s, big, &err), ERR_INVAL, "long phone");
	cr_assert(strstr(err.message, "too long") != NULL, "long phone: %s", err.message);
	cr_assert_lt(strlen(err.message), sizeof(err.message) - 1, "message cut: %s", err.message);
	memset(s, 0, big);
	cr_assert_eq(ident_parse(&id, IDENT_DOMAIN, s, 3, &err), ERR_INVAL, "NUL bytes");
	cr_assert(strstr(err.message, "'\\x00\\x00\\x00'") != NULL, "NUL bytes quoted: %s",
		err.message);
	free(s);
}

/*
 * The fake-investment domain blacklist: every line is accepted as a domain or
 * a URL, or rejected with a reason naming it.
 */
Test(ident, real_fake_investment_list)
{
	FILE *f = fopen("tests/data/real/fake-investment-blacklist.txt", "r");
	struct err_msg err = ERR_MSG_INIT;
	struct ident id;
	char line[512];
	int accepted = 0, rejected = 0;

	cr_assert_not_null(f, "tests/data/real/fake-investment-blacklist.txt");
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		if (ident_detect(&id, line, strlen(line), &err) == 0) {
			cr_assert(id.type == IDENT_DOMAIN || id.type == IDENT_URL,
				"fake-investment '%s' detected as %s", line, ident_type_name(id.type));
			accepted++;
			continue;
		}
		cr_assert(strstr(err.message, line) != NULL, "fake-investment '%s': %s", line,
			err.message);
		rejected++;
	}
	fclose(f);
	cr_assert_geq(accepted, 60, "fake-investment list: %d accepted, %d rejected", accepted,
		rejected);
}
