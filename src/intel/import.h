/*
 * intel/import.h - bulk import of reports (`rootcut import reports`,
 * POST /api/v1/import): CSV, TSV (UTF-8 or Big5) and JSON Lines in, stored
 * reports with their identifiers out, at hundreds of thousands of rows a
 * minute.
 *
 * Data flow: file → import_csv.c or JSON Lines → rows mapped to struct
 * intel_report (parser thread: ident parsing, validation, source refs) →
 * batches → the writer thread (one transaction per batch, the counting rules
 * of report.c applied from an in-memory identifier cache) → store.
 *
 * Guarantees (docs/user/import.md):
 *  1. Every row is either stored, recognised as already stored (its source
 *     reference exists), or rejected with its line, field and reason.
 *  2. A row without a source_ref gets one from its content
 *     ("import:<24 hex of SHA-256>", "#n" for the n-th repeat of identical
 *     content in the same input), so importing the same content again adds
 *     nothing.
 *  3. The database afterwards is the one intel_report_create() would leave
 *     after storing the accepted rows one by one (tests/unit/intel compares).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "intel/import_csv.h"

struct audit_event;
struct auth_principal;
struct err_msg;
struct store;

enum import_format {
	IMPORT_FORMAT_CSV = 1,
	IMPORT_FORMAT_TSV,   /* tab-separated, no quoting */
	IMPORT_FORMAT_JSONL, /* one JSON object per line, the fields of POST /api/v1/reports */
};

/* Default number of reports per transaction (see write_all() in import.c for why so many). */
#define IMPORT_BATCH_DEFAULT 50000
/* Rejected rows kept in struct import_result (all are passed to on_reject). */
#define IMPORT_REJECTS_KEPT 1000

/* One rejected row. */
struct import_reject {
	int64_t line;      /* first line of the row in the input (1-based) */
	char field[64];    /* the column's field name, "record", "encoding" … */
	char reason[512];
	const char *raw;   /* the row as read (UTF-8 where convertible), valid during the callback */
};

struct import_options {
	enum import_format format;
	enum import_csv_encoding encoding;
	const char *const *map;     /* "COLUMN=FIELD" (FIELD "-" ignores the column) */
	size_t nmap;
	const char *const *set;     /* "FIELD=VALUE": the value of FIELD where a row leaves it empty */
	size_t nset;
	int64_t agency_id;          /* agency of rows that name none; 0 = rows must name one */
	bool agency_forced;         /* every row is filed as agency_id; naming another is rejected */
	int64_t created_by;         /* user id recorded on the reports (0 = console) */
	const struct auth_principal *principal; /* when set, cases must be visible to it */
	int reach;                  /* the principal's reach (enum auth_reach) */
	int batch;                  /* reports per transaction; 0 = IMPORT_BATCH_DEFAULT */
	/*
	 * One transaction for the whole input, all or nothing, with the indexes
	 * that rows hit at random rebuilt at its end instead of updated row by
	 * row: the fastest way to load a large input into an empty or small
	 * database, but other writers wait (or fail after their busy timeout)
	 * until it ends. batch is ignored.
	 */
	bool bulk;
	int skip_lines;             /* physical lines to skip before the header (CSV/TSV) */
	const char *columns;        /* "A,B,C": the header of a file that has none (CSV/TSV) */
	const char *name;           /* the input's name for the audit event */
	const struct audit_event *ev; /* audited once, with the counts, in the last batch */
	/* Called for every rejected row, in input order, from the writer thread. */
	void (*on_reject)(void *ctx, const struct import_reject *rj);
	/* Called after each committed batch with the input bytes consumed so far. */
	void (*on_progress)(void *ctx, uint64_t bytes);
	void *ctx;
};

struct import_result {
	int64_t rows;              /* rows read (header excluded) */
	int64_t accepted;          /* stored now */
	int64_t rejected;
	int64_t duplicates;        /* already stored (same source_ref): not added again */
	int64_t likely_duplicates; /* stored, and linked as the same report through another channel */
	int64_t *report_ids;       /* ids of the first IMPORT_REJECTS_KEPT stored reports (malloc'ed) */
	size_t nreport_ids;
	struct import_reject *rejects; /* the first IMPORT_REJECTS_KEPT rejected rows (raw NULL) */
	size_t nrejects;
};

/* Free what res holds. Accepts NULL. */
void import_result_release(struct import_result *res);

/*
 * Import every row of in (read to its end; the caller closes it) into db.
 * Fills *res. Returns 0 when the input was read to its end (rows may have
 * been rejected: see res->rejected); a negative error, with err naming the
 * problem, when the import cannot start (an unknown column or field in the
 * header, --map or --set; an unknown agency) or stops (a database error:
 * the batches committed before it stay, and a new import of the same input
 * adds the rest).
 */
int intel_import(struct store *db, FILE *in, const struct import_options *opt,
	struct import_result *res, struct err_msg *err);

/* Parse "csv", "tsv" or "jsonl" (also "json", "ndjson"). Returns 0 or ERR_INVAL. */
int import_format_parse(const char *name, enum import_format *out);
/* Parse "utf-8"/"utf8" or "big5"/"cp950". Returns 0 or ERR_INVAL. */
int import_encoding_parse(const char *name, enum import_csv_encoding *out);
