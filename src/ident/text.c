/*
 * ident/text.c - input text helpers for the identifier parsers: UTF-8
 * checking and full-width folding, defanging, reasons, small string tests.
 * Every parser sees its input only through ident_fold(), so no parser reads
 * past the caller's length or meets an invalid byte.
 */
#include "ident/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"

int ident_why(char *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, IDENT_WHY_SIZE, fmt, ap);
	va_end(ap);
	return ERR_INVAL;
}

void ident_fmt(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (!size)
		return;
	va_start(ap, fmt);
	vsnprintf(out, size, fmt, ap);
	va_end(ap);
}

/* Decode one UTF-8 sequence at s (n bytes left); returns its length, 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	if (c >= 0xd800 && c <= 0xdfff)
		return 0;
	*cp = c;
	return len;
}

/* The ASCII character cp folds to, 0 to drop it, or -1 to keep it as UTF-8. */
static int fold_char(uint32_t cp)
{
	if (cp >= 0xff01 && cp <= 0xff5e)
		return (int)(cp - 0xff01 + 0x21);
	if (cp == '\t' || cp == '\r' || cp == '\n' || cp == 0xa0 || cp == 0x3000 ||
		(cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f || cp == 0x205f)
		return ' ';
	if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xfe63 || cp == 0x30fc)
		return '-';
	if (cp == 0x3002 || cp == 0xff61)
		return '.';
	if (cp == 0x02cd)
		return '_';
	if ((cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 || cp == 0xfeff)
		return 0;
	return -1;
}

static void trim_spaces(char *s)
{
	size_t len = strlen(s), start = 0;

	while (len && s[len - 1] == ' ')
		s[--len] = '\0';
	while (s[start] == ' ')
		start++;
	if (start)
		memmove(s, s + start, len - start + 1);
}

int ident_fold(const char *s, size_t len, char *out, size_t size, char *why)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0;

	if (len > IDENT_INPUT_MAX)
		return ident_why(why, "too long (more than %d bytes)", IDENT_INPUT_MAX);
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		int c;

		if (!n)
			return ident_why(why, "invalid UTF-8 at byte %zu", i + 1);
		if (cp < 0x20 && cp != '\t' && cp != '\r' && cp != '\n')
			return ident_why(why, "control character at byte %zu", i + 1);
		if (cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return ident_why(why, "control character at byte %zu", i + 1);
		c = fold_char(cp);
		if (c > 0 || (c < 0 && n == 1)) {
			if (o + 1 >= size)
				return ident_why(why, "too long");
			out[o++] = (char)(c > 0 ? c : (int)cp);
		} else if (c < 0) {
			if (o + n >= size)
				return ident_why(why, "too long");
			memcpy(out + o, p + i, n);
			o += n;
		}
		i += n;
	}
	out[o] = '\0';
	trim_spaces(out);
	return 0;
}

/* Replace the n bytes at p with rep (not longer than n) in the string s. */
static void splice(char *p, size_t n, const char *rep)
{
	size_t r = strlen(rep);

	memcpy(p, rep, r);
	memmove(p + r, p + n, strlen(p + n) + 1);
}

static bool replace_all_ci(char *s, const char *pat, const char *rep)
{
	size_t n = strlen(pat);
	bool changed = false;
	char *p = s;

	while (*p) {
		/* A pattern that starts with punctuation can only match where that character is. */
		if (!((pat[0] | 0x20) >= 'a' && (pat[0] | 0x20) <= 'z')) {
			p = strchr(p, pat[0]);
			if (!p)
				break;
		}
		if (ident_prefix_ci(p, pat)) {
			splice(p, n, rep);
			p += strlen(rep);
			changed = true;
		} else {
			p++;
		}
	}
	return changed;
}

bool ident_defang(char *s)
{
	static const char *const pats[][2] = {
		{ "[://]", "://" }, { "[:]", ":" }, { "[.]", "." }, { "(.)", "." },
		{ "{.}", "." }, { "[dot]", "." }, { "(dot)", "." }, { "{dot}", "." },
		{ "[@]", "@" }, { "(@)", "@" }, { "[at]", "@" }, { "(at)", "@" },
		{ "[/]", "/" },
	};
	static const char *const schemes[][2] = {
		{ "hxxps", "https" }, { "hxxp", "http" }, { "hxps", "https" },
		{ "hxp", "http" }, { "fxp", "ftp" },
	};
	bool changed = false;
	size_t i;

	/* Every bracketed pattern starts with one of these; most input has none of them. */
	for (i = 0; strpbrk(s, "[({") && i < sizeof(pats) / sizeof(pats[0]); i++)
		changed |= replace_all_ci(s, pats[i][0], pats[i][1]);
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t n = ident_prefix_ci(s, schemes[i][0]);

		if (n && s[n] == ':') {
			char tail[IDENT_INPUT_MAX + 8];

			ident_fmt(tail, sizeof(tail), "%s%s", schemes[i][1], s + n);
			memcpy(s, tail, strlen(tail) + 1);
			changed = true;
			break;
		}
	}
	return changed;
}

void ident_strip(char *s, const char *chars)
{
	char *w = s;

	for (; *s; s++)
		if (!strchr(chars, *s))
			*w++ = *s;
	*w = '\0';
}

bool ident_all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

size_t ident_prefix_ci(const char *s, const char *prefix)
{
	size_t i;

	for (i = 0; prefix[i]; i++) {
		char a = s[i], b = prefix[i];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (!a || a != b)
			return 0;
	}
	return i;
}

int ident_luhn_digit(const char *s, size_t n)
{
	int sum = 0;
	size_t i;

	/* Double every second digit counting from the right of the payload. */
	for (i = 0; i < n; i++) {
		int d = s[n - 1 - i] - '0';

		if (i % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (10 - sum % 10) % 10;
}

void ident_quote(const char *s, size_t len, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0;

	while (i < len && o + 8 < size) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (o >= IDENT_QUOTE_MAX) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (!n || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", p[i]);
			i++;
			continue;
		}
		memcpy(out + o, p + i, n);
		o += n;
		i += n;
	}
	if (size)
		out[o < size ? o : size - 1] = '\0';
}
