/*
 * tests/unit/intel/test_extract.c - identifiers found in Chinese narratives.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "intel/intel.h"

struct extract_case {
	const char *text;
	const char *want; /* "type=value;type=value" in order of appearance */
};

static const struct extract_case cases[] = {
	{ "對方LINE ID是abc123，叫我匯到中信822-1234567890",
		"line_id=abc123;bank_account=822-1234567890" },
	{ "歹徒用0912-345-678打來，自稱檢察官", "phone=+886912345678" },
	{ "他說先匯到國泰帳戶 1234567890 再加賴 fake_teacher88", "bank_account=013-1234567890;line_id=fake_teacher88" },
	{ "投資網站 hxxps://win-big-invest[.]com/register?code=77 保證獲利",
		"url=https://win-big-invest.com/register?code=77" },
	{ "要我把USDT轉到 TRON 錢包，也有加他的TG @crypto_mentor", "telegram=crypto_mentor" },
	{ "客服電話０９８７６５４３２１，信箱 support@fake-shop.tw。", "phone=+886987654321;email=support@fake-shop.tw" },
	{ "打給165反詐騙專線才知道被騙", "" },
	{ "沒有任何識別碼，只有金額 30000 元", "" },
	{ "電話 0912 345 678 又打來一次，0912-345-678", "phone=+886912345678" },
};

static void render(const struct intel_extracted *found, size_t n, char *out, size_t size)
{
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s%s=%s", i ? ";" : "", ident_type_name(found[i].id.type),
			found[i].id.value);
	}
}

Test(extract, narratives)
{
	static struct intel_extracted found[16];
	char got[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = intel_extract(cases[i].text, found, 16);
		render(found, n, got, sizeof(got));
		cr_expect_str_eq(got, cases[i].want, "'%s': got '%s', want '%s'", cases[i].text, got,
			cases[i].want);
	}
}

Test(extract, offsets_point_at_the_text)
{
	static struct intel_extracted found[4];
	const char *text = "匯到中信822-1234567890";
	size_t n = intel_extract(text, found, 4);

	cr_assert_eq(n, 1, "'%s': %zu found", text, n);
	cr_expect_eq(strncmp(text + found[0].start, "822-1234567890", found[0].end - found[0].start), 0,
		"offsets %zu..%zu", found[0].start, found[0].end);
	cr_expect_str_eq(found[0].role, "receiving_account", "role '%s'", found[0].role);
}
