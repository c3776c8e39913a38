/*
 * tests/unit/ident/test_bank_account.c - bank accounts
 * (src/ident/bank_account.c, bank_codes.c): Taiwanese code + account
 * spellings, IBANs, the bank-code table, and the real offshore-account list.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "ident/internal.h"

#include "check.h"

static const struct ok_case ok[] = {
	{ "822-1234567890", "822-1234567890", "822-1234567890 (中國信託商業銀行)" },
	{ "(822)1234567890", "822-1234567890", NULL },
	{ "(822) 1234567890", "822-1234567890", NULL },
	{ "822 1234 5678 90", "822-1234567890", NULL },
	{ "822.1234.5678.90", "822-1234567890", NULL },
	{ "８２２－１２３４５６７８９０", "822-1234567890", NULL },
	{ "004-0012345678", "004-0012345678", "004-0012345678 (臺灣銀行)" },
	{ "700-00012345678901", "700-00012345678901", "700-00012345678901 (中華郵政股份有限公司)" },
	{ "8220901-1234567890", "822-1234567890", NULL },
	{ "6190015-12345678901", "619-12345678901", "619-12345678901 (高雄市鳳山區農會)" },
	{ "GB32TSBS77687400054875", "GB32TSBS77687400054875", "GB32 TSBS 7768 7400 0548 75" },
	{ "gb32 tsbs 7768 7400 0548 75", "GB32TSBS77687400054875", NULL },
	{ "DE46422600010147732900", "DE46422600010147732900", NULL },
	{ "TR150020600302042941310101", "TR150020600302042941310101", NULL },
};

static const struct bad_case bad[] = {
	{ "999-1234567890", "unknown bank code '999'" },
	{ "822-123456", "account number of 6 digits (8 to 16 expected)" },
	{ "822-12345678901234567", "more than 16 digits" },
	{ "8221234567890", "no separator between the bank code and the account number" },
	{ "1234567", "missing the 3-digit bank code" },
	{ "82-1234567890", "bank code '82' is not 3 (or 7) digits" },
	{ "822-12345A7890", "unexpected character 'A'" },
	{ "-1234567890", "must start with the 3-digit bank code" },
	{ "GB32TSBS77687400054876", "IBAN check digits do not match" },
	{ "GB32TSBS7768740005487", "an IBAN of GB has 22 characters, not 21" },
	{ "ZZ32TSBS77687400054875", "IBAN country 'ZZ' not known" },
};

Test(bank_account, spellings)
{
	check_ok_table(IDENT_BANK_ACCOUNT, ok, N_ELEMS(ok));
}

Test(bank_account, rejections)
{
	check_bad_table(IDENT_BANK_ACCOUNT, bad, N_ELEMS(bad));
}

Test(bank_account, details)
{
	struct ident id;

	check_ok(IDENT_BANK_ACCOUNT, "8220901-0012345678", "822-0012345678", NULL, &id);
	cr_assert_str_eq(id.bank.bank_code, "822", "bank '8220901-0012345678' code");
	cr_assert_str_eq(id.bank.branch_code, "0901", "bank '8220901-0012345678' branch");
	cr_assert_str_eq(id.bank.account, "0012345678", "bank '8220901-0012345678' account");
	cr_assert_str_eq(id.bank.bank_name, "中國信託商業銀行", "bank '8220901-0012345678' name");
	cr_assert(!id.bank.iban, "bank '8220901-0012345678' is not an IBAN");
}

Test(bank_account, table_is_sorted_and_complete)
{
	static const char *const known[][2] = {
		{ "004", "臺灣銀行" }, { "012", "台北富邦商業銀行" }, { "013", "國泰世華商業銀行" },
		{ "700", "中華郵政股份有限公司" }, { "808", "玉山商業銀行" },
		{ "812", "台新國際商業銀行" }, { "822", "中國信託商業銀行" },
		{ "823", "將來商業銀行" }, { "824", "連線商業銀行" }, { "826", "樂天國際商業銀行" },
		{ "025", "菲律賓首都銀行" },
	};

	for (size_t i = 1; i < ident_bank_codes_len; i++)
		cr_assert(strcmp(ident_bank_codes[i - 1].code, ident_bank_codes[i].code) < 0,
			"bank codes out of order at '%s'", ident_bank_codes[i].code);
	for (size_t i = 1; i < ident_bank_branches_len; i++)
		cr_assert(strcmp(ident_bank_branches[i - 1].code, ident_bank_branches[i].code) < 0,
			"branch codes out of order at '%s'", ident_bank_branches[i].code);
	for (size_t i = 0; i < N_ELEMS(known); i++) {
		const char *name = ident_bank_name(known[i][0]);

		cr_assert_not_null(name, "bank code '%s' missing", known[i][0]);
		cr_assert_str_eq(name, known[i][1], "bank code '%s' is '%s'", known[i][0], name);
	}
	cr_assert_null(ident_bank_name("999"), "bank code '999' should be unknown");
	cr_assert_geq(ident_bank_codes_len, 280, "only %zu bank codes", ident_bank_codes_len);
}

/*
 * The notified offshore accounts: every IBAN is accepted or rejected for its
 * checksum; every bare number is rejected for its missing bank code (they are
 * foreign accounts and cards written without one).
 */
Test(bank_account, real_offshore_accounts)
{
	FILE *f = fopen("tests/data/real/notified-offshore-accounts.txt", "r");
	struct err_msg err = ERR_MSG_INIT;
	struct ident id;
	char line[128];
	int accepted = 0, rejected = 0;

	cr_assert_not_null(f, "tests/data/real/notified-offshore-accounts.txt");
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		if (ident_parse(&id, IDENT_BANK_ACCOUNT, line, strlen(line), &err) == 0) {
			cr_assert(id.bank.iban, "offshore '%s' accepted as '%s'", line, id.value);
			accepted++;
			continue;
		}
		cr_assert(strstr(err.message, "bank code") || strstr(err.message, "IBAN"),
			"offshore '%s': %s", line, err.message);
		rejected++;
	}
	fclose(f);
	cr_assert_geq(accepted, 15, "offshore accounts: %d IBANs accepted", accepted);
	cr_assert_geq(rejected, 100, "offshore accounts: %d rejected", rejected);
}
