/*
 * intel/import_csv.h - a streaming reader of delimited text for bulk import:
 * CSV as RFC 4180 writes it (quoted fields with "" for a quote, line breaks
 * inside quotes, CRLF or LF), plain tab-separated values, a UTF-8 byte order
 * mark, and Big5 input converted to UTF-8 line by line with iconv.
 *
 * Data flow: file → import_csv (records of fields, with line numbers) →
 * import.c (header mapping, rows → reports) → store.
 *
 * Like every bulk parser here it keeps going: a malformed record is reported
 * (ERR_PARSE with the reason) and the next call reads the record after it.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/buf.h"

struct err_msg;

/* Longest record accepted (bytes after conversion); longer ones are rejected. */
#define IMPORT_CSV_RECORD_MAX (1024 * 1024)
/* Most fields in one record. */
#define IMPORT_CSV_FIELDS_MAX 256

enum import_csv_encoding {
	IMPORT_CSV_UTF8 = 0,
	IMPORT_CSV_BIG5, /* Big5 as Windows writes it (CP950), HKSCS as fallback */
};

struct import_csv {
	FILE *in;               /* not owned */
	char sep;               /* ',' or '\t' */
	bool quoting;           /* honour RFC 4180 quotes (off for plain TSV) */
	enum import_csv_encoding encoding;
	void *cd, *cd_hkscs;    /* iconv_t for Big5 input, else NULL */
	int64_t line;           /* physical lines read so far */
	int64_t record_line;    /* first line of the record last returned */
	uint64_t bytes;         /* input bytes consumed (for progress) */
	char *line_buf;         /* getline()'s buffer */
	size_t line_cap;
	struct {
		char *s;        /* the physical line as read (in line_buf) */
		size_t len;
	} raw;
	struct buf conv;        /* the physical line in UTF-8 */
	struct buf text;        /* the record's fields, each NUL-terminated */
	size_t nfields;
	size_t start[IMPORT_CSV_FIELDS_MAX]; /* offset of field i in text */
	size_t len[IMPORT_CSV_FIELDS_MAX];   /* length of field i */
	bool eof;
};

/*
 * Set up r to read in (which the caller keeps open and closes) with the
 * separator sep (',' or '\t'); quoting false reads every quote literally.
 * Returns 0, or ERR_UNSUPPORTED (field "encoding") when iconv lacks Big5.
 * Release with import_csv_release() in every case.
 */
int import_csv_init(struct import_csv *r, FILE *in, char sep, bool quoting,
	enum import_csv_encoding encoding, struct err_msg *err);
/* Free what r holds (not the FILE). Accepts a reader that failed to init. */
void import_csv_release(struct import_csv *r);

/*
 * Read the next record. Returns 0 with its fields available through
 * import_csv_field(); ERR_EOF at the end of the input; ERR_PARSE for a
 * record that cannot be read (unclosed quote at the end of the file, text
 * after a closing quote, invalid Big5 or UTF-8, too long, too many fields),
 * with err naming the reason — r->record_line tells where it started and
 * the next call continues after it; ERR_IO when reading fails. Lines that
 * are entirely empty are skipped.
 */
int import_csv_next(struct import_csv *r, struct err_msg *err);

/* Field i (< r->nfields) of the current record: NUL-terminated, *len set when len is not NULL. */
const char *import_csv_field(const struct import_csv *r, size_t i, size_t *len);
