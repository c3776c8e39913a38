/*
 * base/jsonw.c - the streaming JSON writer of jsonw.h.
 *
 * A string (with its quotes, and a key with its comma and colon) is escaped
 * straight into the output after one buf_grow() for the worst case, six
 * bytes per input byte. A buffer with a maximum size that refuses that
 * reservation gets the string through a small buffer on the stack instead,
 * appended in pieces, so it fails exactly where the output would pass it.
 */
#include "base/jsonw.h"

#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"

#define STAGE 256
#define JSONW_RESERVE 1023 /* a first allocation of 1 KiB: most answers fit */
#define MAX_ESCAPE 12 /* the longest escape: a surrogate pair, \uD83D\uDE00 */

static const char hex[] = "0123456789ABCDEF";

/* Printable ASCII that JSON takes as it is. */
static inline bool is_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* True when all 8 bytes at s are plain: no byte < 0x20, >= 0x80, '"' or '\\'. */
static inline bool plain8(const unsigned char *s)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t x, q, b;

	memcpy(&x, s, 8);
	q = x ^ (ones * '"');
	b = x ^ (ones * '\\');
	/* (v - ones) & ~v & high is non-zero exactly when v has a zero byte. */
	return ((x | ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b)) & high) == 0;
}

/*
 * Decode one UTF-8 sequence at s (len > 0 bytes, s[0] >= 0x80) with the
 * rules jansson applies. Returns its length and *cp, or 0 when s does not
 * start a valid sequence.
 */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v;

	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
	} else {
		return 0; /* a continuation byte, 0xC0/0xC1 (overlong), or 0xF5.. */
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3F);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000) || v > 0x10FFFF ||
		(v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

static inline size_t put_u(char *p, uint32_t u)
{
	p[0] = '\\';
	p[1] = 'u';
	p[2] = hex[u >> 12 & 15];
	p[3] = hex[u >> 8 & 15];
	p[4] = hex[u >> 4 & 15];
	p[5] = hex[u & 15];
	return 6;
}

/* Write the escape of the character at s[0] (not plain) into p; returns its length. */
static size_t escape_one(const unsigned char *s, size_t len, char *p, size_t *used)
{
	unsigned char c = s[0];
	uint32_t cp;
	size_t n;

	*used = 1;
	if (c < 0x80) {
		char e = 0;
		switch (c) {
		case '"': e = '"'; break;
		case '\\': e = '\\'; break;
		case '\b': e = 'b'; break;
		case '\f': e = 'f'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		case '\t': e = 't'; break;
		default: return put_u(p, c);
		}
		p[0] = '\\';
		p[1] = e;
		return 2;
	}
	n = utf8_decode(s, len, &cp);
	if (!n)
		return put_u(p, 0xFFFD);
	*used = n;
	if (cp < 0x10000)
		return put_u(p, cp);
	cp -= 0x10000;
	put_u(p, 0xD800 | cp >> 10);
	return 6 + put_u(p + 6, 0xDC00 | (cp & 0x3FF));
}

/*
 * Escape s into p, which has room for 6 * len bytes (the most one input byte
 * can become: a control character or a bad byte as \uXXXX; two-, three- and
 * four-byte characters take 6, 6 and 12). Returns the end of what was written.
 */
static char *escape_into(char *p, const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t used;

		while (i + 8 <= len && plain8(s + i)) {
			memcpy(p, s + i, 8);
			p += 8;
			i += 8;
		}
		while (i < len && is_plain(s[i]))
			*p++ = (char)s[i++];
		if (i == len)
			break;
		p += escape_one(s + i, len - i, p, &used);
		i += used;
	}
	return p;
}

/*
 * The same through a buffer on the stack, appended in pieces: for a buffer
 * with a maximum size, which must fail exactly where the output passes it.
 */
static int put_staged(struct buf *out, const char *lead, size_t leadlen, const char *s,
	size_t len, const char *trail, size_t traillen)
{
	const unsigned char *u = (const unsigned char *)s;
	char stage[STAGE];
	size_t n = leadlen, i = 0;
	int ret;

	memcpy(stage, lead, leadlen);
	while (i < len) {
		if (n + MAX_ESCAPE > sizeof(stage)) {
			ret = buf_add(out, stage, n);
			if (ret)
				return ret;
			n = 0;
		}
		if (is_plain(u[i])) {
			stage[n++] = (char)u[i++];
		} else {
			size_t used;
			n += escape_one(u + i, len - i, stage + n, &used);
			i += used;
		}
	}
	ret = buf_add(out, stage, n);
	return ret ? ret : buf_add(out, trail, traillen);
}

/* Append lead, then s escaped, then trail (each at most a few bytes) to out. */
static int put_string(struct buf *out, const char *lead, size_t leadlen, const char *s,
	size_t len, const char *trail, size_t traillen)
{
	char *p;

	/* Room for the worst case, unless a size limit refuses it. */
	if (len > SIZE_MAX / 8 || buf_grow(out, leadlen + 6 * len + traillen))
		return put_staged(out, lead, leadlen, s, len, trail, traillen);
	p = out->s + out->len;
	memcpy(p, lead, leadlen);
	p = escape_into(p + leadlen, (const unsigned char *)s, len);
	memcpy(p, trail, traillen);
	p += traillen;
	*p = '\0';
	out->len = (size_t)(p - out->s);
	return 0;
}

int jsonw_escape(struct buf *out, const char *s, size_t len)
{
	return put_string(out, "", 0, s, len, "", 0);
}

void jsonw_init(struct jsonw *w, struct buf *out)
{
	if (!out->alloc)
		buf_grow(out, JSONW_RESERVE); /* may fail on a small limit: then growth does it */
	w->out = out;
	w->err = 0;
	w->depth = 0;
	w->comma = false;
}

int jsonw_finish(struct jsonw *w)
{
	if (w->err)
		return w->err;
	return w->depth ? ERR_INTERNAL : 0;
}

/* Append n bytes (at most 2) after a comma when one is due. */
static void put(struct jsonw *w, const char *s, size_t n)
{
	char tmp[3];
	size_t k = 0;

	if (w->err)
		return;
	if (w->comma)
		tmp[k++] = ',';
	memcpy(tmp + k, s, n);
	w->err = buf_add(w->out, tmp, k + n);
}

void jsonw_object_open(struct jsonw *w)
{
	put(w, "{", 1);
	w->depth++;
	w->comma = false;
}

void jsonw_object_close(struct jsonw *w)
{
	w->comma = false;
	put(w, "}", 1);
	w->depth--;
	w->comma = true;
}

void jsonw_array_open(struct jsonw *w)
{
	put(w, "[", 1);
	w->depth++;
	w->comma = false;
}

void jsonw_array_close(struct jsonw *w)
{
	w->comma = false;
	put(w, "]", 1);
	w->depth--;
	w->comma = true;
}

void jsonw_key(struct jsonw *w, const char *key)
{
	if (!w->err)
		w->err = put_string(w->out, w->comma ? ",\"" : "\"", 1u + w->comma, key, strlen(key),
			"\":", 2);
	w->comma = false;
}

void jsonw_stringn(struct jsonw *w, const char *s, size_t len)
{
	if (!w->err)
		w->err = put_string(w->out, w->comma ? ",\"" : "\"", 1u + w->comma, s, len, "\"", 1);
	w->comma = true;
}

void jsonw_string(struct jsonw *w, const char *s)
{
	if (s)
		jsonw_stringn(w, s, strlen(s));
	else
		jsonw_null(w);
}

void jsonw_int(struct jsonw *w, int64_t v)
{
	char tmp[24];
	char *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	if (w->comma)
		*--p = ',';
	if (!w->err)
		w->err = buf_add(w->out, p, (size_t)(tmp + sizeof(tmp) - p));
	w->comma = true;
}

void jsonw_bool(struct jsonw *w, bool v)
{
	const char *s = v ? ",true" : ",false";

	if (!w->err)
		w->err = buf_add(w->out, w->comma ? s : s + 1, (v ? 4u : 5u) + w->comma);
	w->comma = true;
}

void jsonw_null(struct jsonw *w)
{
	if (!w->err)
		w->err = buf_add(w->out, w->comma ? ",null" : "null", 4u + w->comma);
	w->comma = true;
}

void jsonw_key_string(struct jsonw *w, const char *key, const char *s)
{
	jsonw_key(w, key);
	jsonw_string(w, s);
}

void jsonw_key_int(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

void jsonw_key_bool(struct jsonw *w, const char *key, bool v)
{
	jsonw_key(w, key);
	jsonw_bool(w, v);
}

void jsonw_key_null(struct jsonw *w, const char *key)
{
	jsonw_key(w, key);
	jsonw_null(w);
}
