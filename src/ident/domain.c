/*
 * ident/domain.c - domain names: defang, lower-case, drop the trailing dot,
 * convert internationalised names to A-labels with libidn2 (IDNA2008 with
 * UTS #46 non-transitional mapping, falling back to transitional for input
 * that only that accepts), and find the registrable domain and check the
 * top-level domain with libpsl (the newer of the built-in list and Debian's
 * publicsuffix file).
 */
#include "ident/internal.h"

#include <idn2.h>
#include <libpsl.h>
#include <pthread.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"

#define MAX_NAME 253
#define MAX_LABEL 63

static const psl_ctx_t *psl;
static pthread_once_t psl_once = PTHREAD_ONCE_INIT;

/* The context lives for the whole process; it is never freed. */
static void psl_load(void)
{
	psl = psl_latest(NULL);
	if (!psl)
		psl = psl_builtin();
}

static const psl_ctx_t *psl_get(void)
{
	pthread_once(&psl_once, psl_load);
	return psl;
}

static bool has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

static int check_chars(const char *s, char *why)
{
	static const char *const bad[][2] = {
		{ "/", "contains '/' (a URL, not a domain)" },
		{ "@", "contains '@' (an email address, not a domain)" },
		{ ":", "contains ':' (a port or an IPv6 address, not a domain)" },
		{ " ", "contains a space" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strchr(s, bad[i][0][0]))
			return ident_why(why, "%s", bad[i][1]);
	return 0;
}

/* Check every label of an ASCII name: LDH (and '_'), 1-63 bytes, no edge hyphen. */
static int check_labels(const char *name, char *why)
{
	const char *p = name;

	for (;;) {
		size_t n = strcspn(p, ".");

		if (n == 0)
			return ident_why(why, "empty label");
		if (n > MAX_LABEL)
			return ident_why(why, "label longer than %d characters", MAX_LABEL);
		if (p[0] == '-' || p[n - 1] == '-')
			return ident_why(why, "label '%.*s' starts or ends with '-'", (int)n, p);
		for (size_t i = 0; i < n; i++) {
			char c = p[i];

			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
				c == '_'))
				return ident_why(why, "character '%c' not allowed in a domain", c);
		}
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

static int idn_fail(int rc, char *why)
{
	char msg[IDENT_WHY_SIZE];

	str_copy(msg, sizeof(msg), idn2_strerror(rc));
	if (msg[0] >= 'A' && msg[0] <= 'Z')
		msg[0] = (char)(msg[0] - 'A' + 'a');
	return ident_why(why, "invalid internationalised name (%s)", msg);
}

/* Convert name (UTF-8 or with xn-- labels) to lower-case A-labels in out. */
static int to_ascii(const char *name, char *out, size_t size, char *why)
{
	uint8_t *ascii = NULL;
	int rc;

	rc = idn2_lookup_u8((const uint8_t *)name, &ascii, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
	if (rc != IDN2_OK)
		rc = idn2_lookup_u8((const uint8_t *)name, &ascii,
			IDN2_NFC_INPUT | IDN2_TRANSITIONAL);
	if (rc != IDN2_OK)
		return idn_fail(rc, why);
	if (strlen((char *)ascii) >= size) {
		idn2_free(ascii);
		return ident_why(why, "longer than %d characters", MAX_NAME);
	}
	str_copy(out, size, (char *)ascii);
	idn2_free(ascii);
	str_lower(out);
	return 0;
}

static bool has_alabel(const char *name)
{
	const char *p = name;

	for (;;) {
		if (str_has_prefix(p, "xn--"))
			return true;
		p = strchr(p, '.');
		if (!p)
			return false;
		p++;
	}
}

/* Normalise s into out: defanged, lower-case A-labels, no trailing dot. */
static int normalise(const char *s, char *out, size_t size, char *why)
{
	char name[IDENT_INPUT_MAX + 16];
	size_t len;
	int ret;

	str_copy(name, sizeof(name), s);
	ident_defang(name);
	ret = check_chars(name, why);
	if (ret)
		return ret;
	len = strlen(name);
	if (len && name[len - 1] == '.')
		name[--len] = '\0';
	if (!len || name[0] == '.' || strstr(name, ".."))
		return ident_why(why, "empty label");
	str_lower(name);
	if (has_non_ascii(name) || has_alabel(name)) {
		ret = to_ascii(name, out, size, why);
		if (ret)
			return ret;
	} else {
		str_copy(out, size, name);
	}
	if (strlen(out) > MAX_NAME)
		return ident_why(why, "longer than %d characters", MAX_NAME);
	return check_labels(out, why);
}

/*
 * True when some suffix of name is on the list by its own rule (not the "*"
 * default): "example.co.za" is known through "co.za" although "za" alone is
 * not listed.
 */
static bool known_suffix(const psl_ctx_t *ctx, const char *name)
{
	for (const char *p = name; p; p = strchr(p, '.')) {
		p += *p == '.';
		if (psl_is_public_suffix2(ctx, p, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE))
			return true;
	}
	return false;
}

static int check_tld(const char *name, char *why)
{
	const char *dot = strrchr(name, '.');
	const char *tld = dot ? dot + 1 : name;
	const psl_ctx_t *ctx = psl_get();

	if (!dot)
		return ident_why(why, "a single label (a domain needs a dot)");
	if (ident_all_digits(tld))
		return ident_why(why, "numeric top-level domain (an IP address?)");
	if (strcmp(tld, "onion") == 0 || !ctx)
		return 0;
	if (!known_suffix(ctx, name))
		return ident_why(why, "unknown top-level domain '.%s'", tld);
	if (psl_is_public_suffix2(ctx, name, PSL_TYPE_ANY))
		return ident_why(why, "a public suffix, not a registrable domain");
	return 0;
}

static void fill_registrable(struct ident *out)
{
	const psl_ctx_t *ctx = psl_get();
	const char *reg = ctx ? psl_registrable_domain(ctx, out->value) : NULL;

	str_copy(out->domain.registrable, sizeof(out->domain.registrable), reg ? reg : out->value);
}

static void fill_unicode(struct ident *out)
{
	char *u = NULL;

	if (has_alabel(out->value) && idn2_to_unicode_8z8z(out->value, &u, 0) == IDN2_OK && u)
		str_copy(out->domain.unicode, sizeof(out->domain.unicode), u);
	else
		str_copy(out->domain.unicode, sizeof(out->domain.unicode), out->value);
	idn2_free(u);
}

int ident_domain_parse(struct ident *out, const char *s, char *why)
{
	int ret;

	ret = normalise(s, out->value, IDENT_DOMAIN_SIZE, why);
	if (ret)
		return ret;
	ret = check_tld(out->value, why);
	if (ret)
		return ret;
	fill_registrable(out);
	fill_unicode(out);
	str_copy(out->display, sizeof(out->display), out->domain.unicode);
	return 0;
}
