/*
 * intel/extract.c - find the identifiers written inside a narrative
 * ("對方LINE ID是abc123，叫我匯到中信822-1234567890") and offer them for
 * confirmation: the victim's words become structured identifiers only
 * after a person confirms them.
 *
 * The text is cut into candidate tokens (runs of ASCII and full-width
 * letters, digits and URL punctuation; digit groups may be split by single
 * spaces), each token is given to ident_detect(), and the few words before it
 * decide what detection cannot: "LINE"/"賴" before a bare word makes it a LINE
 * ID, "Telegram"/"TG"/"飛機" a Telegram handle, a bank's short name before a
 * digit run a bank account at that bank.
 */
#include "intel/internal.h"

#include <ctype.h>
#include <string.h>

#include "base/str.h"

struct bank_alias {
	const char *name;
	const char *code;
};

/* Short names victims write for banks, with their 3-digit codes. */
static const struct bank_alias bank_aliases[] = {
	{ "台銀", "004" }, { "臺銀", "004" }, { "土銀", "005" }, { "合庫", "006" },
	{ "一銀", "007" }, { "第一", "007" }, { "華南", "008" }, { "彰銀", "009" },
	{ "上海", "011" }, { "富邦", "012" }, { "國泰", "013" }, { "兆豐", "017" },
	{ "花旗", "021" }, { "王道", "048" }, { "企銀", "050" }, { "渣打", "052" },
	{ "匯豐", "081" }, { "新光", "103" }, { "陽信", "108" }, { "郵局", "700" },
	{ "郵政", "700" }, { "聯邦", "803" }, { "遠東", "805" }, { "元大", "806" },
	{ "永豐", "807" }, { "玉山", "808" }, { "凱基", "809" }, { "星展", "810" },
	{ "台新", "812" }, { "中信", "822" }, { "中國信託", "822" }, { "將來", "823" },
	{ "連線", "824" }, { "LINE Bank", "824" }, { "樂天", "826" },
};

static const char *const line_words[] = { "LINE", "Line", "line", "賴", NULL };
static const char *const telegram_words[] = { "Telegram", "telegram", "TG", "飛機", "纸飞机",
	"紙飛機", NULL };

/* Bytes of the character at p if it may be part of a token, else 0. */
static size_t token_char(const unsigned char *p)
{
	/* Full-width digits, letters, '-', '.', '/', ':' and '@' (not the comma or brackets). */
	if (p[0] == 0xef && p[1] == 0xbc &&
		((p[2] >= 0x8d && p[2] <= 0x9a) || (p[2] >= 0xa0 && p[2] <= 0xba)))
		return 3;
	if (p[0] == 0xef && p[1] == 0xbd && p[2] >= 0x81 && p[2] <= 0x9a)
		return 3;
	if (isalnum(*p) || (*p && strchr("@._:/-+?=&%#~[]", *p)))
		return 1;
	return 0;
}

/* Where the token starting at s ends: a single space between digits is kept. */
static const char *token_end(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	for (;;) {
		while ((n = token_char(p)))
			p += n;
		if (*p == ' ' && p > (const unsigned char *)s && isdigit(p[-1]) && isdigit(p[1]))
			p++;
		else
			return (const char *)p;
	}
}

/* Does one of words end within the few bytes before s (after skipping 是, :, ID …)? */
static bool preceded_by(const char *text, const char *s, const char *const *words)
{
	size_t back = (size_t)(s - text) < 24 ? (size_t)(s - text) : 24;
	char window[32];

	memcpy(window, s - back, back);
	window[back] = '\0';
	for (const char *const *w = words; *w; w++)
		if (strstr(window, *w))
			return true;
	return false;
}

static const char *bank_before(const char *text, const char *s)
{
	size_t back = (size_t)(s - text) < 24 ? (size_t)(s - text) : 24;
	char window[32];

	memcpy(window, s - back, back);
	window[back] = '\0';
	for (size_t i = 0; i < sizeof(bank_aliases) / sizeof(bank_aliases[0]); i++)
		if (strstr(window, bank_aliases[i].name))
			return bank_aliases[i].code;
	return NULL;
}

static const char *suggested_role(const struct ident *id)
{
	switch (id->type) {
	case IDENT_PHONE:
		return "caller";
	case IDENT_BANK_ACCOUNT:
		return "receiving_account";
	case IDENT_URL:
	case IDENT_DOMAIN:
		return "website";
	case IDENT_WALLET:
		return "wallet";
	case IDENT_EMAIL:
		return "email";
	case IDENT_IP:
		return "ip";
	case IDENT_IMEI:
		return "device";
	default:
		return "contact_account";
	}
}

/* Read the token [s, e) as an identifier, using the words before it. */
static bool read_token(const char *text, const char *s, size_t len, struct ident *id)
{
	bool digits = strspn(s, "0123456789- ") >= len;
	const char *code;
	char buf[96];

	if (preceded_by(text, s, line_words) &&
		!ident_parse(id, IDENT_LINE_ID, s, len, NULL))
		return true;
	if (preceded_by(text, s, telegram_words) &&
		!ident_parse(id, IDENT_TELEGRAM, s, len, NULL))
		return true;
	if (digits && (code = bank_before(text, s)) && len < 64) {
		/* "中信1234567890": the bank is named in words; "中信822-…" names it twice. */
		if (!ident_parse(id, IDENT_BANK_ACCOUNT, s, len, NULL))
			return true;
		snprintf(buf, sizeof(buf), "%s-%.*s", code, (int)len, s);
		if (!ident_parse(id, IDENT_BANK_ACCOUNT, buf, strlen(buf), NULL))
			return true;
	}
	return !ident_detect(id, s, len, NULL);
}

size_t intel_extract(const char *text, struct intel_extracted *out, size_t max)
{
	size_t n = 0;

	for (const char *p = text; *p && n < max;) {
		const char *s = p, *e;
		size_t len;
		if (!token_char((const unsigned char *)p)) {
			p++;
			continue;
		}
		e = token_end(s);
		p = e;
		/* Sentence punctuation is not part of an identifier. */
		while (e > s && strchr(".,;:)]-", e[-1]))
			e--;
		while (s < e && strchr("([", *s))
			s++;
		len = (size_t)(e - s);
		if (len < 3 || len > IDENT_INPUT_MAX)
			continue;
		/* Service numbers (165, 110 …) are what victims call for help, not suspects. */
		if (!read_token(text, s, len, &out[n].id) ||
			(out[n].id.type == IDENT_PHONE && out[n].id.phone.kind == IDENT_PHONE_SHORT_CODE))
			continue;
		bool repeat = false;
		for (size_t i = 0; i < n; i++)
			repeat |= out[i].id.type == out[n].id.type &&
				!strcmp(out[i].id.value, out[n].id.value);
		if (repeat)
			continue;
		out[n].start = (size_t)(s - text);
		out[n].end = (size_t)(e - text);
		str_copy(out[n].role, sizeof(out[n].role), suggested_role(&out[n].id));
		n++;
	}
	return n;
}
