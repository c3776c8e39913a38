/*
 * tests/unit/intel/test_import_csv.c - the delimited-text reader of bulk
 * import (src/intel/import_csv.c): RFC 4180 quoting (doubled quotes, line
 * breaks inside quotes), CRLF, the UTF-8 byte order mark, empty fields and
 * lines, plain TSV, Big5, record line numbers, and bad records that are
 * reported while the records after them are still read.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "intel/import_csv.h"
#include "testutil.h"

/*
 * Read all of text; write each record as "line:field|field|…" and each bad
 * record as "line:!reason" into out, one per line.
 */
static void read_all(const char *text, size_t len, char sep, bool quoting,
	enum import_csv_encoding enc, struct buf *out)
{
	FILE *f = fmemopen((void *)text, len, "r");
	struct import_csv r;
	struct err_msg err = ERR_MSG_INIT;
	int ret;

	cr_assert_not_null(f);
	cr_assert_eq(import_csv_init(&r, f, sep, quoting, enc, &err), 0, "init: %s", err.message);
	while ((ret = import_csv_next(&r, &err)) != ERR_EOF) {
		buf_addf(out, "%lld:", (long long)r.record_line);
		if (ret) {
			buf_addf(out, "!%s\n", err.message);
			err_clear(&err);
			continue;
		}
		for (size_t i = 0; i < r.nfields; i++)
			buf_addf(out, "%s%s", i ? "|" : "", import_csv_field(&r, i, NULL));
		buf_addch(out, '\n');
	}
	import_csv_release(&r);
	fclose(f);
}

struct csv_case {
	const char *name, *in, *out;
};

static const struct csv_case cases[] = {
	{ "plain", "a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n" },
	{ "no final line feed", "a,b\n1,2", "1:a|b\n2:1|2\n" },
	{ "CRLF", "a,b\r\n1,2\r\n", "1:a|b\n2:1|2\n" },
	{ "BOM", "\xef\xbb\xbf編號,帳號\n1,x\n", "1:編號|帳號\n2:1|x\n" },
	{ "empty fields", ",,\na,,b\n", "1:||\n2:a||b\n" },
	{ "empty lines are no records", "a\n\n\nb\n", "1:a\n4:b\n" },
	{ "quoted separator", "\"a,b\",c\n", "1:a,b|c\n" },
	{ "doubled quote", "\"say \"\"hi\"\"\",x\n", "1:say \"hi\"|x\n" },
	{ "line break inside quotes", "\"one\ntwo\",x\nnext,y\n", "1:one\ntwo|x\n3:next|y\n" },
	{ "CRLF inside quotes", "\"one\r\ntwo\",x\r\n", "1:one\ntwo|x\n" },
	{ "empty quoted field", "\"\",a\n", "1:|a\n" },
	{ "quote inside a bare field is text", "ab\"c,d\n", "1:ab\"c|d\n" },
	{ "text after a closing quote", "\"a\"b,c\nok,1\n",
		"1:!line 1: 'b' after the closing quote of field 1 (write a quote inside a quoted "
		"field as \"\")\n2:ok|1\n" },
	{ "unclosed quote at the end", "a,\"open\nmore\n",
		"1:!a quoted field is not closed before the end of the file\n" },
	{ "invalid UTF-8", "a,\xff\nb,c\n",
		"1:!line 1: byte 3 (0xff) is not valid UTF-8 (a Big5 file? use --encoding big5)\n"
		"2:b|c\n" },
	{ "overlong UTF-8", "\xc0\xaf\n", "1:!line 1: byte 1 (0xc0) is not valid UTF-8 (a Big5 "
					"file? use --encoding big5)\n" },
};

Test(import_csv, rfc4180)
{
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct buf out = BUF_INIT;
		read_all(cases[i].in, strlen(cases[i].in), ',', true, IMPORT_CSV_UTF8, &out);
		cr_expect_str_eq(out.s, cases[i].out, "csv '%s':\n got: %s\nwant: %s", cases[i].name,
			out.s, cases[i].out);
		buf_release(&out);
	}
}

Test(import_csv, tsv_without_quoting)
{
	struct buf out = BUF_INIT;
	const char *in = "網站名稱\t網址\t件數\n\"quoted\"\twww.x.com\t1\n";

	read_all(in, strlen(in), '\t', false, IMPORT_CSV_UTF8, &out);
	cr_assert_str_eq(out.s, "1:網站名稱|網址|件數\n2:\"quoted\"|www.x.com|1\n", "tsv: %s", out.s);
	buf_release(&out);
}

Test(import_csv, big5)
{
	/* "網址,案情\n" and "x,假投資\n" in Big5 (CP950). */
	static const char in[] = "\xba\xf4\xa7\x7d,\xae\xd7\xb1\xa1\nx,\xb0\xb2\xa7\xeb\xb8\xea\n"
				 "y,\xff\xff\n";
	struct buf out = BUF_INIT;

	read_all(in, sizeof(in) - 1, ',', true, IMPORT_CSV_BIG5, &out);
	cr_assert_str_eq(out.s,
		"1:網址|案情\n2:x|假投資\n3:!line 3: byte 3 (0xff) is not valid Big5\n",
		"big5: %s", out.s);
	buf_release(&out);
}

Test(import_csv, big5_second_byte_is_a_separator)
{
	/* 許 is 0xb3 0x5c in Big5: its second byte is a backslash; 功 is 0xa5 0x5c. */
	static const char in[] = "\xb3\x5c,\xa5\x5c\n";
	struct buf out = BUF_INIT;

	read_all(in, sizeof(in) - 1, ',', true, IMPORT_CSV_BIG5, &out);
	cr_assert_str_eq(out.s, "1:許|功\n", "big5 with 0x5c bytes: %s", out.s);
	buf_release(&out);
}

Test(import_csv, too_many_fields)
{
	struct buf in = BUF_INIT, out = BUF_INIT;

	for (int i = 0; i <= IMPORT_CSV_FIELDS_MAX; i++)
		buf_adds(&in, i ? ",x" : "x");
	buf_adds(&in, "\nok\n");
	read_all(in.s, in.len, ',', true, IMPORT_CSV_UTF8, &out);
	cr_assert_str_eq(out.s, "1:!more than 256 fields\n2:ok\n", "fields: %s", out.s);
	buf_release(&in);
	buf_release(&out);
}

Test(import_csv, too_long)
{
	struct buf in = BUF_INIT, out = BUF_INIT;

	buf_addch(&in, '"');
	for (int i = 0; i < IMPORT_CSV_RECORD_MAX / 1000 + 2; i++) {
		for (int k = 0; k < 999; k++)
			buf_addch(&in, 'x');
		buf_addch(&in, '\n');
	}
	read_all(in.s, in.len, ',', true, IMPORT_CSV_UTF8, &out);
	cr_assert(strstr(out.s, "1:!longer than 1048576 bytes (an unclosed quote?)") == out.s,
		"long: %.100s", out.s);
	buf_release(&in);
	buf_release(&out);
}
