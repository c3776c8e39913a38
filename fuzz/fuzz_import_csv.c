/*
 * fuzz/fuzz_import_csv.c - libFuzzer target for bulk import: the delimited
 * text reader (import_csv.c: quotes, line breaks, BOM, UTF-8 and Big5) and
 * the whole import of a file (import.c: header mapping, rows to reports,
 * identifiers, dates, JSON Lines, source references, the writer) into a
 * scratch database. The first input byte picks the format and encoding.
 * Every row must end stored, already stored or rejected, never lost.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/account.h"
#include "base/err.h"
#include "base/log.h"
#include "cli/cli.h"
#include "intel/import.h"
#include "intel/import_csv.h"
#include "intel/intel.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *db;

static void open_db(void)
{
	static const struct store_options opt = { 2, 5000, false, false };
	const struct store_module_schema *schemas;
	struct err_msg err = ERR_MSG_INIT;
	struct store_conn *c;
	struct agency a = { 0 };
	char dir[] = "/tmp/rootcut-fuzz-import-XXXXXX", path[64];
	size_t n;

	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/fuzz.db", dir);
	if (store_open(path, &opt, &db, &err))
		abort();
	c = store_acquire(db);
	schemas = cli_schemas(&n);
	if (store_migrate(c, schemas, n, &err))
		abort();
	snprintf(a.code, sizeof(a.code), "CIB");
	snprintf(a.name, sizeof(a.name), "刑事警察局");
	a.kind = AGENCY_POLICE;
	if (agency_create(c, &a, NULL, &err) || intel_warning_seed(c, &(int){ 0 }))
		abort();
	store_release(c);
}

static void read_records(const uint8_t *data, size_t size, char sep, bool quoting,
	enum import_csv_encoding enc)
{
	FILE *f = fmemopen((void *)data, size, "r");
	struct import_csv r;
	struct err_msg err = ERR_MSG_INIT;
	int ret;

	if (!f)
		return;
	if (import_csv_init(&r, f, sep, quoting, enc, &err) == 0) {
		while ((ret = import_csv_next(&r, &err)) != ERR_EOF && ret != ERR_IO)
			for (size_t i = 0; !ret && i < r.nfields; i++) {
				size_t len;
				const char *s = import_csv_field(&r, i, &len);
				if (strlen(s) != len && !memchr(s, '\0', len))
					abort(); /* a field is NUL-terminated at its length */
			}
	}
	import_csv_release(&r);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sets[] = { "crime_type=other", "channel=165",
		"reported_at=2024-01-01" };
	struct import_options opt = { 0 };
	struct import_result res;
	struct err_msg err = ERR_MSG_INIT;
	FILE *in;

	if (!db) {
		log_set_level(LOG_ERROR);
		open_db();
	}
	if (size < 2)
		return 0;
	read_records(data + 1, size - 1, ',', true, IMPORT_CSV_UTF8);
	read_records(data + 1, size - 1, '\t', false, IMPORT_CSV_BIG5);
	opt.format = data[0] % 3 == 0 ? IMPORT_FORMAT_CSV
		     : data[0] % 3 == 1 ? IMPORT_FORMAT_TSV : IMPORT_FORMAT_JSONL;
	opt.encoding = data[0] & 0x10 ? IMPORT_CSV_BIG5 : IMPORT_CSV_UTF8;
	opt.set = sets;
	opt.nset = 3;
	opt.agency_id = 1;
	opt.batch = 1 + (data[0] >> 5);
	in = fmemopen((void *)(data + 1), size - 1, "r");
	if (!in)
		return 0;
	if (intel_import(db, in, &opt, &res, &err) == 0 &&
		res.accepted + res.rejected + res.duplicates != res.rows)
		abort(); /* a row neither stored, already stored nor rejected */
	import_result_release(&res);
	fclose(in);
	return 0;
}
