/*
 * intel/case_number.c - parse and print Taiwanese case numbers.
 */
#include "intel/case_number.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/rocdate.h"
#include "base/str.h"

/* Copy s to out folding full-width digits (U+FF10..FF19) to ASCII and dropping spaces. */
static void fold(const char *s, struct buf *out)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (p[0] == 0xef && p[1] == 0xbc && p[2] >= 0x90 && p[2] <= 0x99) {
			buf_addch(out, (char)('0' + p[2] - 0x90));
			p += 3;
		} else if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) { /* ideographic space */
			p += 3;
		} else if (*p == ' ' || *p == '\t') {
			p++;
		} else {
			buf_addch(out, (char)*p++);
		}
	}
}

static bool eat(const char **p, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(*p, word, n))
		return false;
	*p += n;
	return true;
}

static int64_t number(const char **p, int max_digits)
{
	int64_t v = 0;
	int n = 0;

	while (isdigit((unsigned char)**p) && n < max_digits) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n && !isdigit((unsigned char)**p) ? v : -1;
}

/* The case word: CJK characters (3-byte UTF-8) up to 字. */
static int word(const char **p, char *out, size_t size)
{
	const char *end = strstr(*p, "字");
	size_t len;

	if (!end)
		return ERR_INVAL;
	len = (size_t)(end - *p);
	if (len == 0 || len > 18 || len % 3 || len >= size)
		return ERR_INVAL;
	for (size_t i = 0; i < len; i += 3)
		if (((unsigned char)(*p)[i] & 0xf0) != 0xe0)
			return ERR_INVAL;
	memcpy(out, *p, len);
	out[len] = '\0';
	*p = end + strlen("字");
	return 0;
}

int case_number_parse(const char *s, struct case_number *out, struct err_msg *err)
{
	struct buf b = BUF_INIT;
	const char *p;
	int ret = ERR_INVAL;
	int64_t year;

	memset(out, 0, sizeof(*out));
	fold(s, &b);
	p = b.s;
	year = number(&p, 3);
	if (year < 0) {
		err_set(err, ret, "number", "'%s' must start with the ROC year, as in 112年度偵字第1234號", s);
		goto out;
	}
	if (year < 80 || year > roc_year_now() + 1) {
		err_set(err, ret, "number", "year %lld is not a plausible ROC year (80 to %d)",
			(long long)year, roc_year_now() + 1);
		goto out;
	}
	if (!eat(&p, "年度") && !eat(&p, "年")) {
		err_set(err, ret, "number", "'%s': 年度 must follow the year", s);
		goto out;
	}
	if (word(&p, out->word, sizeof(out->word))) {
		err_set(err, ret, "number", "'%s': the case word (e.g. 偵) and 字 must follow 年度", s);
		goto out;
	}
	eat(&p, "第");
	out->serial = number(&p, 7);
	if (out->serial < 1) {
		err_set(err, ret, "number", "'%s': the serial number is missing or too long", s);
		goto out;
	}
	eat(&p, "號");
	if (*p) {
		err_set(err, ret, "number", "'%s': unexpected '%s' at the end", s, p);
		goto out;
	}
	out->roc_year = (int)year;
	snprintf(out->text, sizeof(out->text), "%d年度%s字第%lld號", out->roc_year, out->word,
		(long long)out->serial);
	ret = 0;
out:
	buf_release(&b);
	return ret;
}
