/*
 * base/buf.c - growable byte strings with an optional size limit.
 */
#include "base/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"

char buf_empty[1];

void buf_init(struct buf *b, size_t max)
{
	b->s = buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->max = max;
}

void buf_release(struct buf *b)
{
	if (b->alloc)
		free(b->s);
	buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->s[0] = '\0';
	if (!b->alloc)
		b->s = buf_empty;
}

int buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t n;

	if (extra > SIZE_MAX / 2 || (b->max && b->len + extra > b->max))
		return ERR_LIMIT;
	if (need <= b->alloc)
		return 0;
	n = b->alloc ? b->alloc : 64;
	while (n < need)
		n *= 2;
	if (b->alloc) {
		b->s = xrealloc(b->s, n);
	} else {
		b->s = xmalloc(n);
		b->s[0] = '\0';
	}
	b->alloc = n;
	return 0;
}

int buf_add(struct buf *b, const void *data, size_t len)
{
	int ret = buf_grow(b, len);

	if (ret)
		return ret;
	memcpy(b->s + b->len, data, len);
	b->len += len;
	b->s[b->len] = '\0';
	return 0;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addch(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	int ret;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return ERR_INVAL;
	ret = buf_grow(b, (size_t)n);
	if (ret)
		return ret;
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return ret;
}

int buf_add_json_escaped(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	int ret = 0;

	for (; *s && !ret; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };
			ret = buf_add(b, esc, 2);
		} else if (c < 0x20) {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			ret = buf_add(b, esc, 6);
		} else {
			ret = buf_addch(b, (char)c);
		}
	}
	return ret;
}

char *buf_detach(struct buf *b, size_t *len_out)
{
	char *s = b->alloc ? b->s : xstrdup("");

	if (len_out)
		*len_out = b->len;
	buf_init(b, b->max);
	return s;
}

int buf_getline(struct buf *b, FILE *f)
{
	int c;
	int ret;

	buf_reset(b);
	c = getc(f);
	if (c == EOF)
		return ERR_EOF;
	for (; c != EOF && c != '\n'; c = getc(f)) {
		ret = buf_addch(b, (char)c);
		if (ret)
			return ret;
	}
	if (b->len && b->s[b->len - 1] == '\r')
		b->s[--b->len] = '\0';
	return 0;
}
