/*
 * ident/email.c - email addresses: local@domain with the domain normalised as
 * a domain identifier and the whole address lower-cased (providers treat the
 * local part case-insensitively in practice, and matching across reports
 * matters more than the rare case-sensitive mailbox). Defanged "[at]", "(at)"
 * and a "mailto:" prefix are accepted; quoted local parts and address
 * literals are not. Provider rules (Gmail dots, "+tag") are not applied.
 */
#include "ident/internal.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"

#define MAX_LOCAL 64

/* RFC 5322 dot-atom text, plus UTF-8 (RFC 6531). */
static int check_local(const char *local, size_t n, char *why)
{
	static const char atext[] = "!#$%&'*+-/=?^_`{|}~";

	if (n == 0)
		return ident_why(why, "nothing before '@'");
	if (n > MAX_LOCAL)
		return ident_why(why, "the part before '@' is longer than %d characters",
			MAX_LOCAL);
	if (local[0] == '"')
		return ident_why(why, "quoted local parts are not supported");
	if (local[0] == '.' || local[n - 1] == '.')
		return ident_why(why, "the part before '@' starts or ends with '.'");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)local[i];

		if (c == '.' && local[i + 1] == '.')
			return ident_why(why, "'..' before '@'");
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
			c >= 0x80 || strchr(atext, c)))
			return ident_why(why, "character '%c' not allowed before '@'", c);
	}
	return 0;
}

int ident_email_parse(struct ident *out, const char *s, char *why)
{
	char copy[IDENT_INPUT_MAX + 16];
	struct ident dom;
	char *at;
	int ret;

	str_copy(copy, sizeof(copy), s);
	ident_defang(copy);
	if (ident_prefix_ci(copy, "mailto:"))
		memmove(copy, copy + 7, strlen(copy + 7) + 1);
	str_lower(copy);
	if (strchr(copy, ' '))
		return ident_why(why, "contains a space");
	at = strrchr(copy, '@');
	if (!at)
		return ident_why(why, "no '@'");
	ret = check_local(copy, (size_t)(at - copy), why);
	if (ret)
		return ret;
	if (at[1] == '[')
		return ident_why(why, "address literals ('@[…]') are not supported");
	if (!at[1])
		return ident_why(why, "nothing after '@'");
	memset(&dom, 0, sizeof(dom));
	dom.type = IDENT_DOMAIN;
	ret = ident_domain_parse(&dom, at + 1, why);
	if (ret)
		return ret;
	str_copy(out->email.domain, sizeof(out->email.domain), dom.value);
	ident_fmt(out->value, sizeof(out->value), "%.*s@%s", (int)(at - copy), copy, dom.value);
	ident_fmt(out->display, sizeof(out->display), "%.*s@%s", (int)(at - copy), copy,
		dom.domain.unicode);
	return 0;
}
