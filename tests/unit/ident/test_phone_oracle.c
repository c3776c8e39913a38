/*
 * tests/unit/ident/test_phone_oracle.c - compare phone normalisation with
 * Debian's libphonenumber (the oracle program phone_oracle, built next to
 * this test binary by tests/unit/ident/oracle.mk; ROOTCUT_PHONE_ORACLE names
 * another path). The test is skipped, and says so, when the oracle is absent.
 * Known, documented divergences are listed apart and checked to stay so.
 */
#include <criterion/criterion.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"

#include "check.h"

/* Real spellings on which rootcut and libphonenumber (region TW) must agree. */
static const char *const agree[] = {
	"0912-345-678", "0912345678", "+886 912 345 678", "886-9-12345678", "(02)2311-5224",
	"02-23115224", "０９１２３４５６７８", "912345678", "+886 (0)2 2311 5224",
	"+886 0912345678", "03-4567890", "03-5712121", "037-123456", "04-22345678",
	"04-7123456", "049-2345678", "05-2345678", "06-2345678", "07-1234567", "08-7345678",
	"082-312345", "0836-22345", "089-123456", "0800-123-456", "0809-123-456",
	"070-1234-5678", "0958-123-456", "+886227458106", "+886226757041", "+886432542030",
	"+1 202 555 0100", "002-1-202-555-0100", "+1 800 555 0100", "+86 138 0013 8000",
	"+86-13800138000", "002-86-138-0013-8000", "+86 10 6552 9988", "+86 755 8888 8888",
	"+852 6123 4567", "+852 2123 4567", "+853 6612 3456", "+855 12 345 678",
	"+855 97 123 4567", "+60 12-345 6789", "+60 11-1234 5678", "+60 3-2161 1234",
	"+63 917 123 4567", "+66 81 234 5678", "+84 912 345 678", "+81 90-1234-5678",
	"+81 3-1234-5678", "+82 10-1234-5678", "+65 9123 4567", "+61 412 345 678",
	"+44 20 7946 0958", "+44 7911 123456", "+7 912 345-67-89", "+49 30 123456",
	"+62 812-3456-7890", "+856 20 5512 3456", "0912", "02-2311-522", "+1 102 555 0100",
};

/*
 * Where rootcut decides differently on purpose (docs/user/identifiers.md):
 * short codes are kept as dialled; "00" is accepted as an international
 * prefix although Taiwan's own are 002/005/006/007/009/019.
 */
static const char *const diverge[] = { "165", "110", "00886912345678" };

static int oracle_path(char *out, size_t size)
{
	const char *env = getenv("ROOTCUT_PHONE_ORACLE");
	char exe[4096];
	ssize_t n;

	if (env) {
		snprintf(out, size, "%s", env);
		return access(out, X_OK);
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -1;
	exe[n] = '\0';
	snprintf(out, size, "%s/phone_oracle", dirname(exe));
	return access(out, X_OK);
}

/* Run the oracle over inputs; answers[i] receives its line for inputs[i]. */
static void run_oracle(const char *oracle, const char *const *inputs, size_t n,
	char answers[][64])
{
	char tmpl[] = "/tmp/rootcut-oracle-XXXXXX";
	char cmd[8192];
	int fd = mkstemp(tmpl);
	FILE *f;

	cr_assert_geq(fd, 0, "cannot create a temporary file");
	f = fdopen(fd, "w");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", inputs[i]);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "'%s' < '%s'", oracle, tmpl);
	f = popen(cmd, "r");
	cr_assert_not_null(f, "cannot run %s", oracle);
	for (size_t i = 0; i < n; i++) {
		cr_assert_not_null(fgets(answers[i], 64, f), "oracle gave no answer for '%s'",
			inputs[i]);
		answers[i][strcspn(answers[i], "\t\n")] = '\0';
	}
	pclose(f);
	unlink(tmpl);
}

/* Our answer in the oracle's terms: the E.164 value, or "invalid". */
static void ours(const char *in, char *out, size_t size)
{
	struct ident id;

	if (ident_parse(&id, IDENT_PHONE, in, strlen(in), NULL) == 0)
		str_copy(out, size, id.value);
	else
		str_copy(out, size, "invalid");
}

Test(phone_oracle, agrees_with_libphonenumber)
{
	char oracle[4096], answers[N_ELEMS(agree)][64], mine[64];

	if (oracle_path(oracle, sizeof(oracle)) != 0)
		cr_skip_test("phone oracle not built (tests/unit/ident/oracle.mk)");
	run_oracle(oracle, agree, N_ELEMS(agree), answers);
	for (size_t i = 0; i < N_ELEMS(agree); i++) {
		if (strcmp(answers[i], "error") == 0)
			snprintf(answers[i], sizeof(answers[i]), "invalid");
		ours(agree[i], mine, sizeof(mine));
		cr_expect_str_eq(mine, answers[i], "phone '%s': rootcut '%s', libphonenumber '%s'",
			agree[i], mine, answers[i]);
	}
}

Test(phone_oracle, documented_divergences_stay_divergent)
{
	char oracle[4096], answers[N_ELEMS(diverge)][64], mine[64];

	if (oracle_path(oracle, sizeof(oracle)) != 0)
		cr_skip_test("phone oracle not built (tests/unit/ident/oracle.mk)");
	run_oracle(oracle, diverge, N_ELEMS(diverge), answers);
	for (size_t i = 0; i < N_ELEMS(diverge); i++) {
		ours(diverge[i], mine, sizeof(mine));
		cr_expect_str_neq(mine, answers[i], "phone '%s': now agrees ('%s'); update the docs",
			diverge[i], mine);
	}
}
