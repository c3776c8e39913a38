/*
 * ident/ident.c - the public face of src/ident/: type names, ident_parse()
 * (fold the input, dispatch to the type's parser, word the error),
 * ident_detect() (guess the type of one identifier), derived identifiers,
 * masking and one-line descriptions.
 */
#include "ident/ident.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"
#include "ident/internal.h"

typedef int (*parse_fn)(struct ident *out, const char *s, char *why);

static const struct {
	const char *name;
	parse_fn parse;
} types[] = {
	[IDENT_PHONE] = { "phone", ident_phone_parse },
	[IDENT_BANK_ACCOUNT] = { "bank_account", ident_bank_account_parse },
	[IDENT_DOMAIN] = { "domain", ident_domain_parse },
	[IDENT_URL] = { "url", ident_url_parse },
	[IDENT_IP] = { "ip", ident_ip_parse },
	[IDENT_EMAIL] = { "email", ident_email_parse },
	[IDENT_WALLET] = { "wallet", ident_wallet_parse },
	[IDENT_LINE_ID] = { "line_id", ident_line_id_parse },
	[IDENT_TELEGRAM] = { "telegram", ident_telegram_parse },
	[IDENT_SOCIAL_PROFILE] = { "social_profile", ident_social_profile_parse },
	[IDENT_NATIONAL_ID] = { "national_id", ident_national_id_parse },
	[IDENT_IMEI] = { "imei", ident_imei_parse },
};

static const struct {
	const char *alias;
	enum ident_type type;
} aliases[] = {
	{ "tel", IDENT_PHONE }, { "bank", IDENT_BANK_ACCOUNT }, { "account", IDENT_BANK_ACCOUNT },
	{ "host", IDENT_DOMAIN }, { "ipv4", IDENT_IP }, { "ipv6", IDENT_IP }, { "cidr", IDENT_IP },
	{ "crypto", IDENT_WALLET }, { "line", IDENT_LINE_ID }, { "tg", IDENT_TELEGRAM },
	{ "social", IDENT_SOCIAL_PROFILE }, { "facebook", IDENT_SOCIAL_PROFILE },
	{ "instagram", IDENT_SOCIAL_PROFILE }, { "nid", IDENT_NATIONAL_ID },
};

static bool type_valid(enum ident_type type)
{
	return type >= IDENT_TYPE_FIRST && type <= IDENT_TYPE_LAST;
}

const char *ident_type_name(enum ident_type type)
{
	return type_valid(type) ? types[type].name : "unknown";
}

int ident_type_parse(const char *name, enum ident_type *out)
{
	int t;

	for (t = IDENT_TYPE_FIRST; t <= IDENT_TYPE_LAST; t++) {
		if (strcmp(name, types[t].name) == 0) {
			*out = (enum ident_type)t;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcmp(name, aliases[i].alias) == 0) {
			*out = aliases[i].type;
			return 0;
		}
	}
	return ERR_INVAL;
}

static int fail(struct err_msg *err, const char *field, const char *what, const char *s,
	size_t len, const char *why)
{
	char quoted[IDENT_QUOTE_MAX * 4 + 16];

	ident_quote(s, len, quoted, sizeof(quoted));
	return err_set(err, ERR_INVAL, field, "cannot parse %s '%s': %s", what, quoted, why);
}

/* What an error message calls each type ("bank account", "LINE ID" …). */
static const char *type_words(enum ident_type type)
{
	static const char *const words[] = {
		[IDENT_PHONE] = "phone", [IDENT_BANK_ACCOUNT] = "bank account",
		[IDENT_DOMAIN] = "domain", [IDENT_URL] = "URL", [IDENT_IP] = "IP address",
		[IDENT_EMAIL] = "email address", [IDENT_WALLET] = "wallet",
		[IDENT_LINE_ID] = "LINE ID", [IDENT_TELEGRAM] = "Telegram handle",
		[IDENT_SOCIAL_PROFILE] = "social profile", [IDENT_NATIONAL_ID] = "national ID",
		[IDENT_IMEI] = "IMEI",
	};
	return type_valid(type) ? words[type] : "identifier";
}

/* Parse folded text f as type; on failure leave the reason in why. */
static int parse_folded(struct ident *out, enum ident_type type, const char *f, char *why)
{
	memset(out, 0, sizeof(*out));
	out->type = type;
	if (!*f)
		return ident_why(why, "empty");
	return types[type].parse(out, f, why);
}

int ident_parse(struct ident *out, enum ident_type type, const char *s, size_t len,
	struct err_msg *err)
{
	char folded[IDENT_INPUT_MAX + 16];
	char why[IDENT_WHY_SIZE];
	int ret;

	if (!type_valid(type))
		return err_set(err, ERR_INVAL, "type", "unknown identifier type %d", (int)type);
	if (!s)
		len = 0;
	ret = ident_fold(s, len, folded, IDENT_INPUT_MAX + 1, why);
	if (!ret)
		ret = parse_folded(out, type, folded, why);
	if (ret)
		return fail(err, ident_type_name(type), type_words(type), s, len, why);
	return 0;
}

/* ---- detection ---------------------------------------------------------- */

static bool try_type(struct ident *out, enum ident_type type, const char *f)
{
	char why[IDENT_WHY_SIZE];

	return parse_folded(out, type, f, why) == 0;
}

static bool is_profile_link(const char *f)
{
	static const char *const hosts[] = { "facebook.com/", "fb.com/", "instagram.com/",
		"t.me/", "telegram.me/", "line.me/" };
	const char *p = f;
	size_t n;

	n = ident_prefix_ci(p, "https://");
	p += n ? n : ident_prefix_ci(p, "http://");
	n = ident_prefix_ci(p, "www.");
	p += n ? n : ident_prefix_ci(p, "m.");
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		if (ident_prefix_ci(p, hosts[i]))
			return true;
	return false;
}

static bool looks_like_url(const char *f)
{
	const char *slash = strchr(f, '/');
	const char *dot = strchr(f, '.');

	if (strstr(f, "://"))
		return true;
	if (strspn(f, "0123456789./") == strlen(f))
		return false; /* an IPv4 range */
	return slash && dot && dot < slash && !strchr(f, ' ') && !strchr(f, '@');
}

/* The first group of digits is a known bank code followed by a separator. */
static bool looks_like_bank(const char *f)
{
	char code[8];
	size_t n;

	if (*f == '(')
		f++;
	n = strspn(f, "0123456789");
	if ((n != 3 && n != 7) || !strchr("-) ", f[n]))
		return false;
	memcpy(code, f, n);
	code[n] = '\0';
	return ident_bank_name(code) != NULL;
}

/* Two letters, two digits, then letters and digits: an IBAN. */
static bool looks_like_iban(const char *f)
{
	size_t n = strspn(f, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");

	return n == 2 && f[2] >= '0' && f[2] <= '9' && f[3] >= '0' && f[3] <= '9' &&
		strspn(f, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ") == strlen(f);
}

/* Input shaped like an identifier of type: its parser's reason is the one to give. */
static bool has_shape(enum ident_type type, const char *f)
{
	static const char base58[] =
		"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
	size_t len = strlen(f);
	bool letter = (f[0] >= 'A' && f[0] <= 'Z') || (f[0] >= 'a' && f[0] <= 'z');

	switch (type) {
	case IDENT_WALLET:
		return ident_prefix_ci(f, "0x") || ident_prefix_ci(f, "bc1") ||
			(len >= 26 && len <= 35 && strchr("13T", f[0]) &&
				strspn(f, base58) == len);
	case IDENT_NATIONAL_ID:
		return len == 10 && letter &&
			strspn(f + 2, "0123456789") == 8;
	default:
		return false;
	}
}

/* "@name": LINE official accounts may start with a digit or hold . and -. */
static int detect_at_name(struct ident *out, const char *f, char *why)
{
	const char *name = f + 1;

	if ((*name >= '0' && *name <= '9') || strpbrk(name, ".-") || strlen(name) < 5) {
		if (try_type(out, IDENT_LINE_ID, f))
			return 0;
	}
	if (strlen(name) < 5 || (*name >= '0' && *name <= '9'))
		return ident_why(why, "not a LINE ID or a Telegram handle");
	return ident_why(why, "ambiguous: a LINE ID or a Telegram handle (say which)");
}

/*
 * Digits and separators: a bank account when the first group is a bank code
 * (but 886-… is Taiwan's country code), an IMEI when 15 digits pass Luhn,
 * else a phone number, whose reason is kept when nothing fits.
 */
static int detect_numeric(struct ident *out, const char *f, char *why)
{
	size_t len = strlen(f);
	bool bank = looks_like_bank(f) && !str_has_prefix(f, "886");

	if (bank && try_type(out, IDENT_BANK_ACCOUNT, f))
		return 0;
	if (len == 15 && ident_all_digits(f) && try_type(out, IDENT_IMEI, f))
		return 0;
	if (parse_folded(out, IDENT_PHONE, f, why) == 0)
		return 0;
	if (looks_like_bank(f) && try_type(out, IDENT_BANK_ACCOUNT, f))
		return 0;
	return ERR_INVAL;
}

static bool phone_chars(const char *f)
{
	return strspn(f, "+0123456789 -.()/") == strlen(f) && strpbrk(f, "0123456789");
}

static int detect_folded(struct ident *out, const char *f, char *why)
{
	static const enum ident_type textual[] = { IDENT_WALLET, IDENT_IP, IDENT_NATIONAL_ID,
		IDENT_SOCIAL_PROFILE };
	char copy[IDENT_INPUT_MAX + 16];

	if (!*f)
		return ident_why(why, "empty");
	if (f[0] == '@')
		return detect_at_name(out, f, why);
	if (is_profile_link(f) && (try_type(out, IDENT_SOCIAL_PROFILE, f) ||
		try_type(out, IDENT_TELEGRAM, f) || try_type(out, IDENT_LINE_ID, f)))
		return 0;
	if (looks_like_url(f) && try_type(out, IDENT_URL, f))
		return 0;
	if (strchr(f, '@') && try_type(out, IDENT_EMAIL, f))
		return 0;
	for (size_t i = 0; i < sizeof(textual) / sizeof(textual[0]); i++) {
		char type_why[IDENT_WHY_SIZE];

		if (parse_folded(out, textual[i], f, type_why) == 0)
			return 0;
		if (has_shape(textual[i], f))
			return ident_why(why, "not a %s: %s", type_words(textual[i]), type_why);
	}
	if (phone_chars(f)) {
		char phone_why[IDENT_WHY_SIZE];

		if (detect_numeric(out, f, phone_why) == 0)
			return 0;
		return ident_why(why, "not a phone number: %s", phone_why);
	}
	if (strspn(f, "+0123456789(") && try_type(out, IDENT_PHONE, f))
		return 0;
	if (looks_like_iban(f) && try_type(out, IDENT_BANK_ACCOUNT, f))
		return 0;
	str_copy(copy, sizeof(copy), f);
	ident_defang(copy);
	if (strchr(copy, '@') && try_type(out, IDENT_EMAIL, copy))
		return 0;
	if (strchr(copy, '.') && !strpbrk(copy, "/@ ")) {
		char domain_why[IDENT_WHY_SIZE];

		if (parse_folded(out, IDENT_DOMAIN, copy, domain_why) == 0)
			return 0;
		return ident_why(why, "not a domain: %s", domain_why);
	}
	return ident_why(why, "not recognised as any identifier type");
}

int ident_detect(struct ident *out, const char *s, size_t len, struct err_msg *err)
{
	char folded[IDENT_INPUT_MAX + 16];
	char why[IDENT_WHY_SIZE];
	char quoted[IDENT_QUOTE_MAX * 4 + 16];
	int ret;

	if (!s)
		len = 0;
	ret = ident_fold(s, len, folded, IDENT_INPUT_MAX + 1, why);
	if (!ret)
		ret = detect_folded(out, folded, why);
	if (!ret)
		return 0;
	memset(out, 0, sizeof(*out));
	ident_quote(s, len, quoted, sizeof(quoted));
	return err_set(err, ERR_PARSE, "identifier", "cannot parse identifier '%s': %s", quoted,
		why);
}

/* ---- derived identifiers, masking, description -------------------------- */

size_t ident_related(const struct ident *id, struct ident *out, size_t max)
{
	const char *host = NULL;
	enum ident_type host_type = IDENT_DOMAIN;
	size_t n = 0;

	if (id->type == IDENT_URL) {
		host = id->url.host;
		host_type = id->url.host_is_ip ? IDENT_IP : IDENT_DOMAIN;
	} else if (id->type == IDENT_EMAIL) {
		host = id->email.domain;
	}
	if (host && n < max && try_type(&out[n], host_type, host))
		n++;
	if (id->type == IDENT_URL && n < max && ident_social_from_url(id, &out[n]))
		n++;
	return n;
}

void ident_mask(const struct ident *id, char *out, size_t size)
{
	if (!size)
		return;
	if (id->type == IDENT_NATIONAL_ID)
		ident_national_id_mask(id->value, out, size);
	else if (id->flags & IDENT_SENSITIVE)
		str_copy(out, size, "****");
	else
		str_copy(out, size, id->display);
}

const char *ident_phone_kind_name(enum ident_phone_kind kind)
{
	static const char *const names[] = { "unknown", "mobile", "landline", "toll_free",
		"short_code", "voip" };

	return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}

const char *ident_chain_name(enum ident_chain chain)
{
	switch (chain) {
	case IDENT_CHAIN_BTC:
		return "btc";
	case IDENT_CHAIN_ETH:
		return "eth";
	case IDENT_CHAIN_TRON:
		return "tron";
	}
	return "unknown";
}

const char *ident_wallet_kind_name(enum ident_wallet_kind kind)
{
	static const char *const names[] = { "unknown", "p2pkh", "p2sh", "p2wpkh", "p2wsh",
		"p2tr", "witness", "account" };

	return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}

const char *ident_ip_scope_name(enum ident_ip_scope scope)
{
	static const char *const names[] = { "public", "private", "loopback", "link_local",
		"reserved" };

	return (unsigned)scope < sizeof(names) / sizeof(names[0]) ? names[scope] : "unknown";
}

static void describe_detail(const struct ident *id, char *out, size_t size)
{
	out[0] = '\0';
	switch (id->type) {
	case IDENT_PHONE:
		ident_fmt(out, size, "%s, +%d%s%s%s%s", ident_phone_kind_name(id->phone.kind),
			id->phone.country_code, id->phone.region[0] ? " " : "", id->phone.region,
			id->phone.extension[0] ? ", ext. " : "", id->phone.extension);
		break;
	case IDENT_BANK_ACCOUNT:
		ident_fmt(out, size, "%s%s%s", id->bank.iban ? "iban" : id->bank.bank_code,
			id->bank.bank_name[0] ? " " : "", id->bank.bank_name);
		break;
	case IDENT_DOMAIN:
		ident_fmt(out, size, "registrable %s", id->domain.registrable);
		break;
	case IDENT_URL:
		ident_fmt(out, size, "host %s", id->url.host);
		break;
	case IDENT_IP:
		ident_fmt(out, size, "ipv%d, %s%s", id->ip.family,
			ident_ip_scope_name(id->ip.scope), id->ip.prefix_len >= 0 ? ", range" : "");
		break;
	case IDENT_EMAIL:
		ident_fmt(out, size, "domain %s", id->email.domain);
		break;
	case IDENT_WALLET:
		ident_fmt(out, size, "%s, %s", ident_chain_name(id->wallet.chain),
			ident_wallet_kind_name(id->wallet.kind));
		break;
	default:
		break;
	}
}

void ident_describe(const struct ident *id, char *out, size_t size)
{
	char detail[IDENT_DOMAIN_SIZE * 2];
	char shown[IDENT_VALUE_SIZE];

	if (!size)
		return;
	describe_detail(id, detail, sizeof(detail));
	if (id->flags & IDENT_SENSITIVE) {
		ident_mask(id, shown, sizeof(shown));
		ident_fmt(out, size, "%s %s (sensitive)", ident_type_name(id->type), shown);
		return;
	}
	ident_fmt(out, size, "%s %s%s%s%s display '%s'", ident_type_name(id->type), id->value,
		detail[0] ? " (" : "", detail, detail[0] ? ")" : "", id->display);
}
