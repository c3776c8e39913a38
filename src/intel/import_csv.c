/*
 * intel/import_csv.c - the delimited-text reader of bulk import (see
 * import_csv.h): physical lines → UTF-8 → records of fields.
 *
 * Each physical line is converted on its own: a line feed (0x0a) is never
 * part of a Big5 character, so a line is always whole characters, and a bad
 * byte spoils one record, not the rest of the file. The record state machine:
 *
 *   START --'"'--> QUOTED --'"'--> QUOTE --'"'--> QUOTED  (an escaped quote)
 *     |               ^  \__ end of line: keep '\n', read the next line
 *     +--other--> BARE                QUOTE --sep--> START, --end--> record
 *                   +--sep--> START, --end of line--> record
 *
 * Anything else after a closing quote is an error; a quote inside a bare
 * field is kept as text (as spreadsheets write it).
 */
#include "intel/import_csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

enum state { START, BARE, QUOTED, QUOTE };

int import_csv_init(struct import_csv *r, FILE *in, char sep, bool quoting,
	enum import_csv_encoding encoding, struct err_msg *err)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	r->sep = sep;
	r->quoting = quoting;
	r->encoding = encoding;
	buf_init(&r->conv, 0);
	buf_init(&r->text, IMPORT_CSV_RECORD_MAX);
	if (encoding == IMPORT_CSV_BIG5) {
		iconv_t cd = iconv_open("UTF-8", "CP950");
		iconv_t hk = iconv_open("UTF-8", "BIG5-HKSCS");
		if (cd == (iconv_t)-1 || hk == (iconv_t)-1) {
			if (cd != (iconv_t)-1)
				iconv_close(cd);
			if (hk != (iconv_t)-1)
				iconv_close(hk);
			return err_set(err, ERR_UNSUPPORTED, "encoding",
				"this system's iconv cannot convert Big5 (CP950, BIG5-HKSCS)");
		}
		r->cd = cd;
		r->cd_hkscs = hk;
	}
	return 0;
}

void import_csv_release(struct import_csv *r)
{
	if (!r)
		return;
	if (r->cd)
		iconv_close((iconv_t)r->cd);
	if (r->cd_hkscs)
		iconv_close((iconv_t)r->cd_hkscs);
	r->cd = r->cd_hkscs = NULL;
	free(r->line_buf);
	r->line_buf = NULL;
	buf_release(&r->conv);
	buf_release(&r->text);
}

/* Read one physical line into r->raw without its line feed. ERR_EOF when none. */
static int read_line(struct import_csv *r)
{
	ssize_t n;

	if (r->eof)
		return ERR_EOF;
	n = getline(&r->line_buf, &r->line_cap, r->in);
	if (n < 0) {
		r->eof = true;
		return ferror(r->in) ? ERR_IO : ERR_EOF;
	}
	r->bytes += (uint64_t)n;
	r->line++;
	if (n && r->line_buf[n - 1] == '\n')
		n--;
	else
		r->eof = true; /* the last line has no line feed */
	if (n && r->line_buf[n - 1] == '\r')
		n--;
	r->line_buf[n] = '\0';
	r->raw.s = r->line_buf;
	r->raw.len = (size_t)n;
	return 0;
}

/* Offset of the first byte of s that is not valid UTF-8, or len when all is. */
static size_t utf8_bad_at(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			n = 2, cp = c & 0x1f;
		else if ((c & 0xf0) == 0xe0)
			n = 3, cp = c & 0x0f;
		else if ((c & 0xf8) == 0xf0)
			n = 4, cp = c & 0x07;
		else
			return i;
		if (i + n > len)
			return i;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
			cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n;
	}
	return len;
}

/* Convert r->raw with cd into r->conv; returns the offset of a bad byte or -1 when all converted. */
static long convert(struct import_csv *r, iconv_t cd)
{
	char *in = r->raw.s, *out;
	size_t inleft = r->raw.len, outleft;

	iconv(cd, NULL, NULL, NULL, NULL);
	buf_reset(&r->conv);
	while (inleft) {
		size_t rc;
		if (buf_grow(&r->conv, inleft * 2 + 16))
			return (long)(in - r->raw.s);
		out = r->conv.s + r->conv.len;
		outleft = r->conv.alloc - r->conv.len - 1;
		rc = iconv(cd, &in, &inleft, &out, &outleft);
		r->conv.len = (size_t)(out - r->conv.s);
		r->conv.s[r->conv.len] = '\0';
		if (rc == (size_t)-1 && errno != E2BIG)
			return (long)(in - r->raw.s);
	}
	return -1;
}

/* Make r->conv the UTF-8 text of r->raw; ERR_PARSE with err when it is not valid. */
static int to_utf8(struct import_csv *r, struct err_msg *err)
{
	size_t bad;

	if (r->encoding == IMPORT_CSV_BIG5) {
		long at = convert(r, (iconv_t)r->cd);
		if (at >= 0)
			at = convert(r, (iconv_t)r->cd_hkscs);
		if (at >= 0)
			return err_set(err, ERR_PARSE, "encoding",
				"line %lld: byte %ld (0x%02x) is not valid Big5",
				(long long)r->line, at + 1, (unsigned char)r->raw.s[at]);
		return 0;
	}
	bad = utf8_bad_at((const unsigned char *)r->raw.s, r->raw.len);
	if (bad < r->raw.len)
		return err_set(err, ERR_PARSE, "encoding",
			"line %lld: byte %zu (0x%02x) is not valid UTF-8 (a Big5 file? use --encoding "
			"big5)",
			(long long)r->line, bad + 1, (unsigned char)r->raw.s[bad]);
	buf_reset(&r->conv);
	return buf_add(&r->conv, r->raw.s, r->raw.len) ? ERR_NOMEM : 0;
}

static int end_field(struct import_csv *r, size_t start, struct err_msg *err)
{
	if (r->nfields == IMPORT_CSV_FIELDS_MAX)
		return err_set(err, ERR_PARSE, "record", "more than %d fields",
			IMPORT_CSV_FIELDS_MAX);
	r->start[r->nfields] = start;
	r->len[r->nfields] = r->text.len - start;
	r->nfields++;
	return buf_addch(&r->text, '\0') ? ERR_LIMIT : 0;
}

static int too_long(struct import_csv *r, struct err_msg *err)
{
	(void)r;
	return err_set(err, ERR_PARSE, "record", "longer than %d bytes (an unclosed quote?)",
		IMPORT_CSV_RECORD_MAX);
}

int import_csv_next(struct import_csv *r, struct err_msg *err)
{
	enum state st = START;
	size_t start = 0;
	int ret;

	r->nfields = 0;
	buf_reset(&r->text);
	for (;;) {
		ret = read_line(r);
		if (ret == ERR_EOF && st == QUOTED)
			return err_set(err, ERR_PARSE, "record",
				"a quoted field is not closed before the end of the file");
		if (ret)
			return ret;
		if (r->raw.len > IMPORT_CSV_RECORD_MAX)
			return too_long(r, err);
		if (st == START && r->nfields == 0) {
			r->record_line = r->line;
			if (r->raw.len == 0)
				continue; /* an empty line is no record */
		}
		ret = to_utf8(r, err);
		if (ret)
			return ret;
		if (r->line == 1 && r->conv.len >= 3 && !memcmp(r->conv.s, "\xef\xbb\xbf", 3)) {
			memmove(r->conv.s, r->conv.s + 3, r->conv.len - 2);
			r->conv.len -= 3;
		}
		for (size_t i = 0; i < r->conv.len; i++) {
			char c = r->conv.s[i];
			switch (st) {
			case START:
				start = r->text.len;
				if (c == '"' && r->quoting) {
					st = QUOTED;
					continue;
				}
				st = BARE;
				/* fall through */
			case BARE:
				if (c == r->sep) {
					ret = end_field(r, start, err);
					st = START;
				} else {
					ret = buf_addch(&r->text, c);
				}
				break;
			case QUOTED:
				if (c == '"')
					st = QUOTE;
				else
					ret = buf_addch(&r->text, c);
				break;
			case QUOTE:
				if (c == '"') {
					ret = buf_addch(&r->text, '"');
					st = QUOTED;
				} else if (c == r->sep) {
					ret = end_field(r, start, err);
					st = START;
				} else {
					return err_set(err, ERR_PARSE, "record",
						"line %lld: '%c' after the closing quote of field %zu "
						"(write a quote inside a quoted field as \"\")",
						(long long)r->line, c, r->nfields + 1);
				}
				break;
			}
			if (ret == ERR_LIMIT)
				return too_long(r, err);
			if (ret)
				return ret;
		}
		if (st == QUOTED) {
			if (buf_addch(&r->text, '\n'))
				return too_long(r, err);
			if (r->eof)
				return err_set(err, ERR_PARSE, "record",
					"a quoted field is not closed before the end of the file");
			continue;
		}
		if (st == START)
			start = r->text.len;
		ret = end_field(r, start, err);
		if (ret == ERR_LIMIT)
			return too_long(r, err);
		return ret;
	}
}

const char *import_csv_field(const struct import_csv *r, size_t i, size_t *len)
{
	if (len)
		*len = r->len[i];
	return r->text.s + r->start[i];
}
