/*
 * intel/import.c - bulk import of reports (see import.h): the column
 * mapping, rows → struct intel_report, and the two threads.
 *
 *   caller ─ intel_import(): header and options checked, threads started
 *   parser thread:  records (import_csv.c or JSON Lines) → rows: fields
 *                   filled, identifiers parsed, intel_report_check(),
 *                   source reference → batches of IMPORT_BATCH rows
 *   writer (the caller's thread): per batch one transaction: agency and
 *                   case resolved, import_store_add() per row, counts, commit
 *
 * The two meet at a queue of at most QUEUE_MAX batches, so memory stays
 * bounded however large the input. Parsing (identifiers, dates, SHA-256)
 * costs about as much as writing, so on two cores the import takes the time
 * of the slower of the two rather than their sum.
 */
#include "intel/import.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "auth/auth.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/rocdate.h"
#include "base/str.h"
#include "intel/import_store.h"
#include "intel/internal.h"
#include "store/store.h"

#define QUEUE_MAX 4
#define PARSE_CHUNK 2000 /* rows the parser hands over at a time */
#define BATCH_MAX 1000000
#define BULK_FLUSH 1000000 /* --bulk: rows written (not committed) at a time, at most */

/* ---- the fields a column can fill ---- */

enum field {
	F_IGNORE = 0,
	F_SOURCE_REF,
	F_AGENCY,
	F_CHANNEL,
	F_OCCURRED_AT,
	F_REPORTED_AT,
	F_VICTIM_KIND,
	F_VICTIM_SECTOR,
	F_CRIME_TYPE,
	F_LOSS_TWD,
	F_LOSS_CURRENCY,
	F_LOSS_AMOUNT,
	F_PAYMENT_METHOD,
	F_NARRATIVE,
	F_CASE_NUMBER,
	F_IDENT,
};

static const char *const field_names[] = { "-", "source_ref", "agency", "channel",
	"occurred_at", "reported_at", "victim_kind", "victim_sector", "crime_type", "loss_twd",
	"loss_currency", "loss_amount", "payment_method", "narrative", "case_number", NULL };

/* Where a column (or a --set value) goes. */
struct target {
	enum field field;
	enum ident_type type; /* F_IDENT: 0 = detect */
	char role[32];        /* F_IDENT */
	char name[64];        /* as written: "crime_type", "url:website" */
};

struct setting {
	struct target t;
	const char *value;
};

/* One row on its way from the parser to the writer. */
struct row {
	int64_t line;
	bool rejected;
	struct err_msg err;      /* why, when rejected */
	char *raw;               /* the record as read, kept for rejected rows */
	struct intel_report r;
	char agency_key[64];     /* the row's agency (code, name or id), "" when none */
	char case_number[96];
};

struct batch {
	struct row *rows;
	size_t n, cap;
	uint64_t bytes_end;      /* input consumed when the batch was full */
	bool last;
};

/* Content digests seen in this import, to number repeats ("#2"). */
struct seen_set {
	struct seen_slot {
		uint8_t digest[16];
		uint32_t count; /* 0 = empty slot */
	} *slots;
	size_t cap, used;
};

struct import_job {
	const struct import_options *opt;
	struct import_csv csv;
	FILE *in;
	bool csv_open;
	int64_t jsonl_line;
	struct buf line;            /* JSON Lines: the current line */
	struct target cols[IMPORT_CSV_FIELDS_MAX];
	char *header[IMPORT_CSV_FIELDS_MAX]; /* the header's cells (malloc'ed) */
	size_t ncols;
	struct setting *sets;
	size_t nsets;
	struct seen_set seen;
	int64_t rows;               /* records read, header excluded */
	/* the queue */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct batch *queue[QUEUE_MAX];
	size_t nqueued;
	bool stop;                  /* the writer gave up: the parser ends */
	int parse_ret;              /* fatal error of the parser (ERR_IO) */
	struct err_msg parse_err;
};

void import_result_release(struct import_result *res)
{
	if (!res)
		return;
	free(res->report_ids);
	free(res->rejects);
	res->report_ids = NULL;
	res->rejects = NULL;
	res->nreport_ids = res->nrejects = 0;
}

int import_format_parse(const char *name, enum import_format *out)
{
	if (!strcasecmp(name, "csv"))
		*out = IMPORT_FORMAT_CSV;
	else if (!strcasecmp(name, "tsv"))
		*out = IMPORT_FORMAT_TSV;
	else if (!strcasecmp(name, "jsonl") || !strcasecmp(name, "json") ||
		!strcasecmp(name, "ndjson"))
		*out = IMPORT_FORMAT_JSONL;
	else
		return ERR_INVAL;
	return 0;
}

int import_encoding_parse(const char *name, enum import_csv_encoding *out)
{
	if (!strcasecmp(name, "utf-8") || !strcasecmp(name, "utf8"))
		*out = IMPORT_CSV_UTF8;
	else if (!strcasecmp(name, "big5") || !strcasecmp(name, "cp950") ||
		!strcasecmp(name, "big5-hkscs"))
		*out = IMPORT_CSV_BIG5;
	else
		return ERR_INVAL;
	return 0;
}

/* ---- targets: "crime_type", "phone:caller", "auto:website", "-" ---- */

static int parse_target(const char *text, struct target *t, struct err_msg *err)
{
	const char *colon = strchr(text, ':');

	memset(t, 0, sizeof(*t));
	str_copy(t->name, sizeof(t->name), text);
	if (!colon) {
		for (int i = 0; field_names[i]; i++)
			if (!strcmp(field_names[i], text)) {
				t->field = (enum field)i;
				return 0;
			}
		return err_set(err, ERR_INVAL, "field",
			"'%s' is not a field (source_ref, agency, channel, occurred_at, reported_at, "
			"victim_kind, victim_sector, crime_type, loss_twd, loss_currency, loss_amount, "
			"payment_method, narrative, case_number, TYPE:ROLE for identifiers, or - to "
			"skip)",
			text);
	}
	{
		char type[32];
		size_t n = (size_t)(colon - text);
		if (n == 0 || n >= sizeof(type))
			return err_set(err, ERR_INVAL, "field", "'%s' is not TYPE:ROLE", text);
		memcpy(type, text, n);
		type[n] = '\0';
		if (strcmp(type, "auto") && ident_type_parse(type, &t->type))
			return err_set(err, ERR_INVAL, "field", "'%s': unknown identifier type '%s'",
				text, type);
		if (!intel_enum_valid(intel_roles, colon + 1))
			return err_set(err, ERR_INVAL, "field",
				"'%s': unknown role '%s' (caller, sms_sender, receiving_account, "
				"first_layer_account, website, domain, ip, email, wallet, "
				"contact_account, device, suspect, victim)",
				text, colon + 1);
		str_copy(t->role, sizeof(t->role), colon + 1);
		t->field = F_IDENT;
	}
	return 0;
}

/* ---- filling a report from text ---- */

static int copy_text(struct err_msg *err, const char *field, char *dst, size_t size,
	const char *v)
{
	if (strlen(v) >= size)
		return err_set(err, ERR_INVAL, field, "must be at most %zu bytes", size - 1);
	str_copy(dst, size, v);
	return 0;
}

/* "12345", "12,345", "12345.00", "NT$12,345": whole TWD. */
static int parse_twd(const char *v, int64_t *out)
{
	char digits[32];
	size_t n = 0;
	const char *p = v;

	if (!strncasecmp(p, "NT$", 3))
		p += 3;
	else if (*p == '$')
		p++;
	for (; *p && *p != '.'; p++) {
		if (*p == ',')
			continue;
		if (*p < '0' || *p > '9' || n + 1 >= sizeof(digits))
			return ERR_INVAL;
		digits[n++] = *p;
	}
	if (*p == '.') {
		for (p++; *p == '0'; p++)
			;
		if (*p)
			return ERR_INVAL; /* cents: not a whole amount */
	}
	digits[n] = '\0';
	return str_to_int64(digits, 0, INT64_MAX / 4, out);
}

static bool empty_field(const struct row *row, enum field f)
{
	const struct intel_report *r = &row->r;

	switch (f) {
	case F_SOURCE_REF: return !r->source_ref[0];
	case F_AGENCY: return !row->agency_key[0] && !r->agency_id;
	case F_CHANNEL: return !r->channel[0];
	case F_OCCURRED_AT: return !r->occurred_at;
	case F_REPORTED_AT: return !r->reported_at;
	case F_VICTIM_KIND: return !r->victim_kind[0];
	case F_VICTIM_SECTOR: return !r->victim_sector[0];
	case F_CRIME_TYPE: return !r->crime_type[0];
	case F_LOSS_TWD: return !r->loss_twd;
	case F_LOSS_CURRENCY: return !r->loss_currency[0];
	case F_LOSS_AMOUNT: return !r->loss_amount[0];
	case F_PAYMENT_METHOD: return !r->payment_method[0];
	case F_NARRATIVE: return !r->narrative;
	case F_CASE_NUMBER: return !row->case_number[0] && !r->case_id;
	default: return true;
	}
}

/* Split a cell of identifiers at ';' and '|' and add each. */
static int add_idents(struct row *row, const struct target *t, const char *v,
	struct err_msg *err)
{
	char one[IDENT_INPUT_MAX + 1];
	const char *p = v;

	while (*p) {
		size_t n = strcspn(p, ";|");
		if (n > IDENT_INPUT_MAX)
			return err_set(err, ERR_INVAL, t->name, "a value is longer than %d bytes",
				IDENT_INPUT_MAX);
		memcpy(one, p, n);
		one[n] = '\0';
		str_trim(one);
		if (one[0]) {
			int ret = intel_report_add_ident(&row->r, t->type, one, t->role, t->name, err);
			if (ret)
				return ret;
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* Fill the field of t from the text v (not empty). */
static int fill(struct row *row, const struct target *t, const char *v, struct err_msg *err)
{
	struct intel_report *r = &row->r;
	int64_t when;

	switch (t->field) {
	case F_IGNORE: return 0;
	case F_SOURCE_REF: return copy_text(err, t->name, r->source_ref, sizeof(r->source_ref), v);
	case F_AGENCY: return copy_text(err, t->name, row->agency_key, sizeof(row->agency_key), v);
	case F_CHANNEL: return copy_text(err, t->name, r->channel, sizeof(r->channel), v);
	case F_VICTIM_KIND: return copy_text(err, t->name, r->victim_kind, sizeof(r->victim_kind), v);
	case F_VICTIM_SECTOR:
		return copy_text(err, t->name, r->victim_sector, sizeof(r->victim_sector), v);
	case F_CRIME_TYPE: return copy_text(err, t->name, r->crime_type, sizeof(r->crime_type), v);
	case F_LOSS_CURRENCY:
		return copy_text(err, t->name, r->loss_currency, sizeof(r->loss_currency), v);
	case F_LOSS_AMOUNT: return copy_text(err, t->name, r->loss_amount, sizeof(r->loss_amount), v);
	case F_PAYMENT_METHOD:
		return copy_text(err, t->name, r->payment_method, sizeof(r->payment_method), v);
	case F_CASE_NUMBER:
		return copy_text(err, t->name, row->case_number, sizeof(row->case_number), v);
	case F_NARRATIVE:
		if (strlen(v) > 65536)
			return err_set(err, ERR_INVAL, t->name, "must be at most 65536 bytes");
		free(r->narrative);
		r->narrative = xstrdup(v);
		return 0;
	case F_OCCURRED_AT:
	case F_REPORTED_AT:
		if (rocdate_parse(v, &when))
			return err_set(err, ERR_INVAL, t->name,
				"'%s' is not a time (2024-03-01T14:05:00+08:00, 2024-03-01, 113/03/01 or "
				"民國113年3月1日)",
				v);
		if (t->field == F_OCCURRED_AT)
			r->occurred_at = when;
		else
			r->reported_at = when;
		return 0;
	case F_LOSS_TWD:
		if (parse_twd(v, &r->loss_twd))
			return err_set(err, ERR_INVAL, t->name, "'%s' is not a whole amount in TWD", v);
		return 0;
	case F_IDENT:
		return add_idents(row, t, v, err);
	}
	return 0;
}

/* The --set values for fields the row left empty, and every --set identifier. */
static int apply_settings(struct import_job *job, struct row *row, struct err_msg *err)
{
	int ret = 0;

	for (size_t i = 0; i < job->nsets && !ret; i++) {
		const struct setting *s = &job->sets[i];
		if (s->t.field == F_IDENT || empty_field(row, s->t.field))
			ret = fill(row, &s->t, s->value, err);
	}
	return ret;
}

/* ---- source references ---- */

static void seen_release(struct seen_set *s)
{
	free(s->slots);
	memset(s, 0, sizeof(*s));
}

/* How many times digest was seen before in this import (and count this one). */
static uint32_t seen_add(struct seen_set *s, const uint8_t digest[16])
{
	size_t i;

	if ((s->used + 1) * 2 > s->cap) {
		struct seen_set bigger = { 0 };
		bigger.cap = s->cap ? s->cap * 2 : 4096;
		bigger.slots = xcalloc(bigger.cap, sizeof(*bigger.slots));
		for (size_t k = 0; k < s->cap; k++) {
			if (!s->slots[k].count)
				continue;
			uint64_t h;
			memcpy(&h, s->slots[k].digest, 8);
			for (i = h & (bigger.cap - 1); bigger.slots[i].count; i = (i + 1) & (bigger.cap - 1))
				;
			bigger.slots[i] = s->slots[k];
		}
		bigger.used = s->used;
		free(s->slots);
		*s = bigger;
	}
	{
		uint64_t h;
		memcpy(&h, digest, 8);
		for (i = h & (s->cap - 1); s->slots[i].count; i = (i + 1) & (s->cap - 1))
			if (!memcmp(s->slots[i].digest, digest, 16))
				return s->slots[i].count++;
	}
	memcpy(s->slots[i].digest, digest, 16);
	s->slots[i].count = 1;
	s->used++;
	return 0;
}

static void hash_field(struct buf *b, const char *s)
{
	buf_adds(b, s ? s : "");
	buf_addch(b, '\x1f');
}

/*
 * A row without a source_ref gets "import:" and 24 hex digits of the SHA-256
 * of its content (every field and identifier after mapping, canonical forms),
 * and "#n" for the n-th repeat of the same content in this input.
 */
static void derive_source_ref(struct import_job *job, struct row *row, struct buf *b)
{
	const struct intel_report *r = &row->r;
	uint8_t digest[CRYPTO_SHA256_LEN];
	char hex[CRYPTO_SHA256_HEX_LEN];
	uint32_t repeat;

	buf_reset(b);
	buf_addf(b, "v1\x1f%lld\x1f", (long long)r->agency_id);
	hash_field(b, row->agency_key);
	hash_field(b, r->channel);
	buf_addf(b, "%lld\x1f%lld\x1f", (long long)r->occurred_at, (long long)r->reported_at);
	hash_field(b, r->victim_kind);
	hash_field(b, r->victim_sector);
	hash_field(b, r->crime_type);
	buf_addf(b, "%lld\x1f", (long long)r->loss_twd);
	hash_field(b, r->loss_currency);
	hash_field(b, r->loss_amount);
	hash_field(b, r->payment_method);
	hash_field(b, r->narrative);
	hash_field(b, row->case_number);
	buf_addf(b, "%lld\x1f", (long long)r->case_id);
	for (size_t i = 0; i < r->nidents; i++) {
		hash_field(b, ident_type_name(r->idents[i].id.type));
		hash_field(b, r->idents[i].id.value);
		hash_field(b, r->idents[i].role);
	}
	crypto_sha256(b->s, b->len, digest);
	crypto_hex(digest, 12, hex);
	repeat = seen_add(&job->seen, digest);
	if (repeat)
		snprintf(row->r.source_ref, sizeof(row->r.source_ref), "import:%s#%u", hex,
			repeat + 1);
	else
		snprintf(row->r.source_ref, sizeof(row->r.source_ref), "import:%s", hex);
}

/* After the fields: defaults, required fields, the checks of report.c, the source ref. */
static int finish_row(struct import_job *job, struct row *row, struct buf *scratch,
	struct err_msg *err)
{
	struct intel_report *r = &row->r;
	int ret = apply_settings(job, row, err);

	if (ret)
		return ret;
	if (!r->victim_kind[0])
		str_copy(r->victim_kind, sizeof(r->victim_kind), "individual");
	if (!row->agency_key[0] && !r->agency_id)
		r->agency_id = job->opt->agency_id;
	if (!r->channel[0])
		return err_set(err, ERR_INVAL, "channel", "is required (a column, or --set channel=…)");
	if (!r->crime_type[0])
		return err_set(err, ERR_INVAL, "crime_type",
			"is required (a column, or --set crime_type=…)");
	if (!r->reported_at)
		return err_set(err, ERR_INVAL, "reported_at",
			"is required (a column, or --set reported_at=…)");
	ret = intel_report_check(r, err);
	if (ret)
		return ret;
	r->created_by = job->opt->created_by;
	if (!r->source_ref[0])
		derive_source_ref(job, row, scratch);
	return 0;
}

/* ---- reading rows ---- */

/* The current CSV record as one line of CSV (for the rejects file). */
static char *record_text(const struct import_csv *csv)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < csv->nfields; i++) {
		size_t len;
		const char *f = import_csv_field(csv, i, &len);
		if (i)
			buf_addch(&b, csv->sep);
		if (strpbrk(f, "\",\t\r\n")) {
			buf_addch(&b, '"');
			for (const char *p = f; *p; p++) {
				if (*p == '"')
					buf_addch(&b, '"');
				buf_addch(&b, *p);
			}
			buf_addch(&b, '"');
		} else {
			buf_add(&b, f, len);
		}
	}
	return buf_detach(&b, NULL);
}

static void csv_row(struct import_job *job, struct row *row, struct buf *scratch)
{
	const struct import_csv *csv = &job->csv;
	int ret = 0;

	if (csv->nfields != job->ncols)
		ret = err_set(&row->err, ERR_INVAL, "record", "has %zu fields, the header has %zu",
			csv->nfields, job->ncols);
	for (size_t i = 0; i < csv->nfields && i < job->ncols && !ret; i++) {
		char *v = (char *)import_csv_field(csv, i, NULL);
		if (job->cols[i].field == F_IGNORE)
			continue;
		str_trim(v);
		if (v[0])
			ret = fill(row, &job->cols[i], v, &row->err);
	}
	if (!ret)
		ret = finish_row(job, row, scratch, &row->err);
	if (ret) {
		row->rejected = true;
		row->raw = record_text(csv);
	}
}

/* JSON Lines keys beyond POST /api/v1/reports: an agency code and a case number. */
static int jsonl_extras(struct row *row, json_t *obj, struct err_msg *err)
{
	static const struct {
		const char *key;
		size_t off, size;
	} extras[] = {
		{ "agency", offsetof(struct row, agency_key), sizeof(((struct row *)0)->agency_key) },
		{ "case_number", offsetof(struct row, case_number),
			sizeof(((struct row *)0)->case_number) },
	};

	for (size_t i = 0; i < sizeof(extras) / sizeof(extras[0]); i++) {
		json_t *v = json_object_get(obj, extras[i].key);
		if (!v)
			continue;
		if (!json_is_string(v))
			return err_set(err, ERR_INVAL, extras[i].key, "must be a string");
		if (json_string_length(v) >= extras[i].size)
			return err_set(err, ERR_INVAL, extras[i].key, "must be at most %zu bytes",
				extras[i].size - 1);
		str_copy((char *)row + extras[i].off, extras[i].size, json_string_value(v));
		json_object_del(obj, extras[i].key);
	}
	return 0;
}

static void jsonl_row(struct import_job *job, struct row *row, struct buf *scratch)
{
	json_error_t je;
	json_t *obj = json_loadb(job->line.s, job->line.len, JSON_REJECT_DUPLICATES, &je);
	int ret = 0;

	if (!obj) {
		ret = err_set(&row->err, ERR_PARSE, "record", "not JSON: %s (column %d)", je.text,
			je.column);
	} else if (!json_is_object(obj)) {
		ret = err_set(&row->err, ERR_PARSE, "record", "must be a JSON object");
	} else {
		/* The required strings can come from --set. */
		for (size_t i = 0; i < job->nsets; i++) {
			const struct setting *s = &job->sets[i];
			if ((s->t.field == F_CHANNEL || s->t.field == F_CRIME_TYPE) &&
				!json_object_get(obj, s->t.name))
				json_object_set_new(obj, s->t.name, json_string(s->value));
		}
		ret = jsonl_extras(row, obj, &row->err);
		if (!ret)
			ret = intel_report_fill_json(obj, &row->r, &row->err);
	}
	json_decref(obj);
	if (!ret)
		ret = finish_row(job, row, scratch, &row->err);
	if (ret) {
		row->rejected = true;
		row->raw = xstrndup(job->line.s, job->line.len);
	}
}

/* Read the next row into row. ERR_EOF at the end; ERR_IO is fatal. */
static int next_row(struct import_job *job, struct row *row, struct buf *scratch)
{
	int ret;

	memset(row, 0, sizeof(*row));
	if (job->opt->format == IMPORT_FORMAT_JSONL) {
		do {
			ret = buf_getline(&job->line, job->in);
			if (ret == ERR_LIMIT) {
				/* NEEDSWORK: the rest of an over-long line is read as more lines. */
				job->jsonl_line++;
				row->line = job->jsonl_line;
				row->rejected = true;
				err_set(&row->err, ERR_PARSE, "record", "longer than %d bytes",
					IMPORT_CSV_RECORD_MAX);
				row->raw = xstrdup("");
				buf_reset(&job->line);
				return 0;
			}
			if (ret)
				return ret;
			job->jsonl_line++;
			if (job->line.len && job->line.s[job->line.len - 1] == '\r')
				job->line.s[--job->line.len] = '\0';
			if (job->jsonl_line == 1 && job->line.len >= 3 &&
				!memcmp(job->line.s, "\xef\xbb\xbf", 3)) {
				memmove(job->line.s, job->line.s + 3, job->line.len - 2);
				job->line.len -= 3;
			}
		} while (!job->line.len || strspn(job->line.s, " \t") == job->line.len);
		row->line = job->jsonl_line;
		job->rows++;
		jsonl_row(job, row, scratch);
		return 0;
	}
	ret = import_csv_next(&job->csv, &row->err);
	if (ret == ERR_EOF || ret == ERR_IO || ret == ERR_NOMEM)
		return ret;
	row->line = job->csv.record_line;
	job->rows++;
	if (ret) {
		row->rejected = true;
		row->raw = xstrdup("");
		return 0;
	}
	csv_row(job, row, scratch);
	return 0;
}

static void row_release(struct row *row)
{
	intel_report_release(&row->r);
	free(row->raw);
	row->raw = NULL;
}

static void batch_free(struct batch *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		row_release(&b->rows[i]);
	free(b->rows);
	free(b);
}

static uint64_t bytes_read(struct import_job *job)
{
	if (job->opt->format == IMPORT_FORMAT_JSONL) {
		long at = ftell(job->in);
		return at > 0 ? (uint64_t)at : 0;
	}
	return job->csv.bytes;
}

/* Hand b to the writer; false when the writer has stopped. */
static bool enqueue(struct import_job *job, struct batch *b)
{
	bool ok;

	pthread_mutex_lock(&job->lock);
	while (job->nqueued == QUEUE_MAX && !job->stop)
		pthread_cond_wait(&job->changed, &job->lock);
	ok = !job->stop;
	if (ok)
		job->queue[job->nqueued++] = b;
	pthread_cond_broadcast(&job->changed);
	pthread_mutex_unlock(&job->lock);
	if (!ok)
		batch_free(b);
	return ok;
}

static void *parser_main(void *arg)
{
	struct import_job *job = arg;
	size_t per_batch = job->opt->batch < PARSE_CHUNK ? (size_t)job->opt->batch : PARSE_CHUNK;
	struct buf scratch = BUF_INIT;
	struct batch *b = NULL;
	int ret = 0;

	for (;;) {
		if (!b) {
			b = xcalloc(1, sizeof(*b));
			b->cap = per_batch;
			b->rows = xcalloc(b->cap, sizeof(*b->rows));
		}
		ret = next_row(job, &b->rows[b->n], &scratch);
		if (ret)
			break;
		b->n++;
		if (b->n == b->cap) {
			b->bytes_end = bytes_read(job);
			if (!enqueue(job, b)) {
				b = NULL;
				break;
			}
			b = NULL;
		}
	}
	if (ret != ERR_EOF && ret) {
		job->parse_ret = ret;
		err_set(&job->parse_err, ret, "input", "cannot read the input: %s", err_str(ret));
	}
	if (b || ret == ERR_EOF) {
		if (!b)
			b = xcalloc(1, sizeof(*b));
		b->bytes_end = bytes_read(job);
		b->last = true;
		enqueue(job, b);
	}
	buf_release(&scratch);
	if (getenv("ROOTCUT_IMPORT_STATS")) {
		struct timespec ts;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
		fprintf(stderr, "parser cpu %.2f s\n", (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
	}
	return NULL;
}

static struct batch *dequeue(struct import_job *job)
{
	struct batch *b;

	pthread_mutex_lock(&job->lock);
	while (job->nqueued == 0)
		pthread_cond_wait(&job->changed, &job->lock);
	b = job->queue[0];
	memmove(job->queue, job->queue + 1, (job->nqueued - 1) * sizeof(*job->queue));
	job->nqueued--;
	pthread_cond_broadcast(&job->changed);
	pthread_mutex_unlock(&job->lock);
	return b;
}

/* ---- the writer ---- */

/* Names and numbers resolved once per import. */
struct lookup_cache {
	struct cached {
		char key[96];
		int64_t id;       /* 0 = not found */
		bool visible;
	} *items;
	size_t n;
};

static struct cached *cache_find(struct lookup_cache *lc, const char *key)
{
	for (size_t i = 0; i < lc->n; i++)
		if (!strcmp(lc->items[i].key, key))
			return &lc->items[i];
	return NULL;
}

static struct cached *cache_add(struct lookup_cache *lc, const char *key)
{
	lc->items = xreallocarray(lc->items, lc->n + 1, sizeof(*lc->items));
	memset(&lc->items[lc->n], 0, sizeof(lc->items[0]));
	str_copy(lc->items[lc->n].key, sizeof(lc->items[0].key), key);
	return &lc->items[lc->n++];
}

struct writer {
	struct import_job *job;
	const struct import_options *opt;
	struct store_conn *c;
	struct import_store *st;
	struct import_result *res;
	struct lookup_cache agencies, cases;
};

static int resolve_agency(struct writer *w, struct row *row, struct err_msg *err)
{
	struct intel_report *r = &row->r;
	char idkey[32];
	struct cached *hit;

	if (row->agency_key[0]) {
		hit = cache_find(&w->agencies, row->agency_key);
		if (!hit) {
			struct agency a;
			hit = cache_add(&w->agencies, row->agency_key);
			if (agency_find(w->c, row->agency_key, &a) == 0)
				hit->id = a.id;
		}
		if (!hit->id)
			return err_set(err, ERR_INVAL, "agency", "no agency '%s'", row->agency_key);
		r->agency_id = hit->id;
	} else if (r->agency_id) {
		snprintf(idkey, sizeof(idkey), "#%lld", (long long)r->agency_id);
		hit = cache_find(&w->agencies, idkey);
		if (!hit) {
			int64_t n = 0;
			hit = cache_add(&w->agencies, idkey);
			if (!store_query_int64(w->c, &n, "SELECT COUNT(*) FROM agencies WHERE id = ?",
				    "i", r->agency_id) &&
				n)
				hit->id = r->agency_id;
		}
		if (!hit->id)
			return err_set(err, ERR_INVAL, "agency_id", "no agency with id %lld",
				(long long)r->agency_id);
	} else {
		return err_set(err, ERR_INVAL, "agency", "is required (a column, or --agency)");
	}
	if (w->opt->agency_forced && r->agency_id != w->opt->agency_id)
		return err_set(err, ERR_DENIED, "agency",
			"you may file reports for your own agency only");
	return 0;
}

static int resolve_case(struct writer *w, struct row *row, struct err_msg *err)
{
	struct intel_report *r = &row->r;
	char key[96];
	struct cached *hit;

	if (!row->case_number[0] && !r->case_id)
		return 0;
	if (row->case_number[0])
		str_copy(key, sizeof(key), row->case_number);
	else
		snprintf(key, sizeof(key), "#%lld", (long long)r->case_id);
	hit = cache_find(&w->cases, key);
	if (!hit) {
		struct intel_case k;
		int ret;
		hit = cache_add(&w->cases, key);
		ret = row->case_number[0] ? intel_case_find(w->c, row->case_number, &k)
					  : intel_case_get(w->c, r->case_id, &k);
		if (!ret) {
			hit->id = k.id;
			hit->visible = !w->opt->principal ||
				intel_case_visible(w->c, w->opt->principal, w->opt->reach, &k);
		}
	}
	if (!hit->id || !hit->visible)
		return err_set(err, ERR_INVAL, row->case_number[0] ? "case_number" : "case_id",
			"no case '%s'%s", row->case_number[0] ? row->case_number : key + 1,
			w->opt->principal ? " that you are a member of" : "");
	r->case_id = hit->id;
	return 0;
}

static void reject(struct writer *w, const struct row *row)
{
	struct import_reject rj = { 0 };

	rj.line = row->line;
	str_copy(rj.field, sizeof(rj.field), row->err.field[0] ? row->err.field : "record");
	str_copy(rj.reason, sizeof(rj.reason), row->err.message);
	rj.raw = row->raw ? row->raw : "";
	w->res->rejected++;
	if (w->res->nrejects < IMPORT_REJECTS_KEPT) {
		w->res->rejects = xreallocarray(w->res->rejects, w->res->nrejects + 1,
			sizeof(*w->res->rejects));
		w->res->rejects[w->res->nrejects] = rj;
		w->res->rejects[w->res->nrejects++].raw = NULL;
	}
	if (w->opt->on_reject)
		w->opt->on_reject(w->opt->ctx, &rj);
}

static int write_row(struct writer *w, struct row *row)
{
	struct err_msg err = ERR_MSG_INIT;
	int ret;

	if (row->rejected) {
		reject(w, row);
		return 0;
	}
	ret = resolve_agency(w, row, &row->err);
	if (!ret)
		ret = resolve_case(w, row, &row->err);
	if (ret) {
		row->rejected = true;
		if (!row->raw)
			row->raw = xstrdup("");
		reject(w, row);
		return 0;
	}
	ret = import_store_add(w->st, &row->r, &err);
	if (ret == ERR_CONFLICT) {
		w->res->duplicates++;
		return 0;
	}
	if (ret)
		return ret;
	w->res->accepted++;
	if (row->r.duplicate_of)
		w->res->likely_duplicates++;
	if (w->res->nreport_ids < IMPORT_REJECTS_KEPT) {
		w->res->report_ids = xreallocarray(w->res->report_ids, w->res->nreport_ids + 1,
			sizeof(*w->res->report_ids));
		w->res->report_ids[w->res->nreport_ids++] = row->r.id;
	}
	return 0;
}

static int audit_import(struct writer *w)
{
	struct audit_event ev = *w->opt->ev;
	char detail[512];

	snprintf(detail, sizeof(detail),
		"%s: %lld rows, %lld accepted, %lld rejected, %lld already stored, %lld likely "
		"duplicates",
		w->opt->name ? w->opt->name : "input", (long long)w->job->rows,
		(long long)w->res->accepted, (long long)w->res->rejected,
		(long long)w->res->duplicates, (long long)w->res->likely_duplicates);
	ev.detail = detail;
	return audit_append(w->c, &ev);
}

/*
 * A transaction spans parser batches until it holds opt->batch reports: each
 * commit writes every page the batch dirtied (to the WAL, then the database),
 * and in large indexes that is a page per row, so fewer, larger transactions
 * write far less (bench/import.sh: 5,000 per commit took 30 times as long for
 * a million reports as 50,000). The reports of each parser chunk are written
 * at once (appends: the commit then has less to do while the parser waits);
 * identifiers and observations at the commit, sorted.
 *
 * opt->bulk: one transaction for the whole input, its secondary indexes
 * rebuilt before the commit (import_store_suspend_indexes()), rows written
 * every BULK_FLUSH reports.
 */
static int write_all(struct writer *w)
{
	bool bulk = w->opt->bulk;
	int64_t in_tx = 0, unwritten = 0;
	int ret = 0;

	for (;;) {
		struct batch *b = dequeue(w->job);
		bool last = b->last;
		if (!in_tx) {
			ret = import_store_begin(w->st);
			if (!ret && bulk)
				ret = import_store_suspend_indexes(w->st);
		}
		for (size_t i = 0; i < b->n && !ret; i++)
			ret = write_row(w, &b->rows[i]);
		in_tx += (int64_t)b->n;
		unwritten += (int64_t)b->n;
		if (!ret && last) {
			w->res->rows = w->job->rows;
			if (w->opt->ev)
				ret = audit_import(w);
		}
		if (!ret && (last || (!bulk && in_tx >= w->opt->batch))) {
			ret = import_store_commit(w->st);
			in_tx = unwritten = 0;
		} else if (!ret && bulk && unwritten >= BULK_FLUSH) {
			ret = import_store_flush(w->st);
			unwritten = 0;
		} else if (!ret) {
			ret = import_store_write_reports(w->st);
		} else {
			import_store_rollback(w->st);
		}
		if (!ret && w->opt->on_progress)
			w->opt->on_progress(w->opt->ctx, b->bytes_end);
		batch_free(b);
		if (ret || last)
			break;
	}
	return ret;
}

/* ---- setting up ---- */

static int split_option(const char *opt, const char *what, char *left, size_t size,
	const char **right, struct err_msg *err)
{
	const char *eq = strrchr(opt, '=');

	if (!eq || eq == opt || (size_t)(eq - opt) >= size)
		return err_set(err, ERR_INVAL, what, "'%s' is not %s", opt,
			!strcmp(what, "map") ? "COLUMN=FIELD" : "FIELD=VALUE");
	memcpy(left, opt, (size_t)(eq - opt));
	left[eq - opt] = '\0';
	*right = eq + 1;
	return 0;
}

static int read_settings(struct import_job *job, struct err_msg *err)
{
	const struct import_options *opt = job->opt;
	int ret = 0;

	job->sets = xcalloc(opt->nset ? opt->nset : 1, sizeof(*job->sets));
	for (size_t i = 0; i < opt->nset && !ret; i++) {
		char name[64];
		const char *value;
		struct setting *s = &job->sets[job->nsets];
		const char *eq = strchr(opt->set[i], '=');
		/* FIELD=VALUE: the first '=' ends the field (values may hold '='). */
		if (!eq || eq == opt->set[i] || (size_t)(eq - opt->set[i]) >= sizeof(name))
			return err_set(err, ERR_INVAL, "set", "'%s' is not FIELD=VALUE", opt->set[i]);
		memcpy(name, opt->set[i], (size_t)(eq - opt->set[i]));
		name[eq - opt->set[i]] = '\0';
		value = eq + 1;
		ret = parse_target(name, &s->t, err);
		if (!ret && s->t.field == F_IGNORE)
			ret = err_set(err, ERR_INVAL, "set", "'-' is not a field to set");
		if (!ret && !value[0])
			ret = err_set(err, ERR_INVAL, "set", "'%s' has no value", opt->set[i]);
		if (!ret) {
			struct row probe = { 0 };
			struct err_msg perr = ERR_MSG_INIT;
			s->value = value;
			/* A bad constant would reject every row: refuse it now. */
			if (fill(&probe, &s->t, value, &perr))
				ret = err_set(err, ERR_INVAL, "set", "%s: %s", perr.field,
					perr.message);
			row_release(&probe);
		}
		if (!ret)
			job->nsets++;
	}
	return ret;
}

/* The target of a header cell: its --map, else the cell itself. */
static int map_column(struct import_job *job, const char *cell, struct target *t,
	struct err_msg *err)
{
	for (size_t i = 0; i < job->opt->nmap; i++) {
		char col[256];
		const char *to;
		int ret = split_option(job->opt->map[i], "map", col, sizeof(col), &to, err);
		if (ret)
			return ret;
		if (!strcmp(col, cell)) {
			ret = parse_target(to, t, err);
			if (ret)
				err_prefix(err, "--map '%s': ", job->opt->map[i]);
			return ret;
		}
	}
	if (parse_target(cell, t, err))
		return err_set(err, ERR_INVAL, "header",
			"column '%s' is not a field: map it (--map '%s=FIELD') or skip it "
			"(--map '%s=-')",
			cell, cell, cell);
	return 0;
}

static int read_header(struct import_job *job, struct err_msg *err)
{
	const struct import_options *opt = job->opt;
	char sep = opt->format == IMPORT_FORMAT_CSV ? ',' : '\t';
	int ret = import_csv_init(&job->csv, job->in, sep, opt->format == IMPORT_FORMAT_CSV,
		opt->encoding, err);

	job->csv_open = true;
	if (ret)
		return ret;
	for (int i = 0; i < opt->skip_lines; i++) {
		char *skipped = NULL;
		size_t cap = 0;
		ssize_t n = getline(&skipped, &cap, job->in);
		free(skipped);
		if (n < 0)
			return err_set(err, ERR_INVAL, "skip", "the input has fewer than %d lines",
				opt->skip_lines);
		job->csv.bytes += (uint64_t)n;
		job->csv.line++;
	}
	if (opt->columns) {
		/* The header given as an option: read it as a one-record file. */
		FILE *h = fmemopen((void *)opt->columns, strlen(opt->columns), "r");
		struct import_csv hdr;
		if (!h)
			return err_set(err, ERR_INVAL, "columns", "is empty");
		ret = import_csv_init(&hdr, h, ',', true, IMPORT_CSV_UTF8, err);
		if (!ret)
			ret = import_csv_next(&hdr, err);
		if (!ret) {
			job->ncols = hdr.nfields;
			for (size_t i = 0; i < hdr.nfields; i++)
				job->header[i] = xstrdup(import_csv_field(&hdr, i, NULL));
		}
		import_csv_release(&hdr);
		fclose(h);
		if (ret)
			return err_set(err, ERR_INVAL, "columns", "'%s' is not a list of column names",
				opt->columns);
	} else {
		ret = import_csv_next(&job->csv, err);
		if (ret == ERR_EOF)
			return err_set(err, ERR_INVAL, "header", "the input is empty: no header row");
		if (ret) {
			err_prefix(err, "header: ");
			return ret;
		}
		job->ncols = job->csv.nfields;
		for (size_t i = 0; i < job->ncols; i++)
			job->header[i] = xstrdup(import_csv_field(&job->csv, i, NULL));
	}
	for (size_t i = 0; i < job->ncols && !ret; i++) {
		char cell[256];
		str_copy(cell, sizeof(cell), job->header[i]);
		str_trim(cell);
		ret = map_column(job, cell, &job->cols[i], err);
		for (size_t k = 0; k < i && !ret; k++)
			if (job->cols[i].field != F_IDENT && job->cols[i].field != F_IGNORE &&
				job->cols[k].field == job->cols[i].field)
				ret = err_set(err, ERR_INVAL, "header",
					"columns %zu and %zu both fill '%s'", k + 1, i + 1,
					field_names[job->cols[i].field]);
	}
	/* Every --map must name a column of the header: a typo would silently skip data. */
	for (size_t m = 0; m < opt->nmap && !ret; m++) {
		char col[256];
		const char *to;
		bool found = false;
		ret = split_option(opt->map[m], "map", col, sizeof(col), &to, err);
		for (size_t i = 0; i < job->ncols && !ret && !found; i++) {
			char cell[256];
			str_copy(cell, sizeof(cell), job->header[i]);
			found = !strcmp(str_trim(cell), col);
		}
		if (!ret && !found)
			ret = err_set(err, ERR_INVAL, "map", "--map '%s': the header has no column '%s'",
				opt->map[m], col);
	}
	return ret;
}

/*
 * After the last batch: the import is acknowledged only once durable (the
 * batches were committed without fsync; see store_bulk_begin()). An import
 * interrupted before is run again: source references make the re-run add
 * only what is missing.
 */
static int finish(struct store *db, struct import_store *st, struct err_msg *err)
{
	bool stats = getenv("ROOTCUT_IMPORT_STATS") != NULL;
	struct timespec t0, t1;
	int ret;

	if (stats) {
		char wal[4096];
		struct stat sb;
		snprintf(wal, sizeof(wal), "%s-wal", store_path(db));
		if (!stat(wal, &sb))
			fprintf(stderr, "WAL before the final checkpoint: %lld MiB\n",
				(long long)sb.st_size >> 20);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = import_store_finish(st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (stats)
		fprintf(stderr, "final checkpoint %.2f s\n",
			(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (ret)
		err_set(err, ret, "store",
			"the import is stored but could not be made durable: %s (a checkpoint "
			"failed; importing the same input again adds nothing and retries it)",
			err_str(ret));
	return ret;
}

int intel_import(struct store *db, FILE *in, const struct import_options *options,
	struct import_result *res, struct err_msg *err)
{
	struct import_options opt = *options;
	struct import_job job;
	struct writer w = { 0 };
	pthread_t parser;
	bool started = false;
	int ret;

	memset(res, 0, sizeof(*res));
	memset(&job, 0, sizeof(job));
	if (opt.batch <= 0)
		opt.batch = IMPORT_BATCH_DEFAULT;
	if (opt.batch > BATCH_MAX)
		opt.batch = BATCH_MAX;
	job.opt = &opt;
	job.in = in;
	buf_init(&job.line, IMPORT_CSV_RECORD_MAX);
	pthread_mutex_init(&job.lock, NULL);
	pthread_cond_init(&job.changed, NULL);
	ret = read_settings(&job, err);
	if (!ret && opt.format != IMPORT_FORMAT_JSONL)
		ret = read_header(&job, err);
	else if (!ret && opt.nmap)
		ret = err_set(err, ERR_INVAL, "map", "--map applies to CSV and TSV columns only");
	if (ret)
		goto out;
	w.job = &job;
	w.opt = &opt;
	w.res = res;
	w.c = store_acquire(db);
	ret = import_store_open(w.c, &w.st);
	if (!ret)
		ret = pthread_create(&parser, NULL, parser_main, &job) ? ERR_INTERNAL : 0;
	if (ret)
		goto out;
	started = true;
	ret = write_all(&w);
	if (!ret)
		ret = finish(db, w.st, err);
	else
		err_set(err, ret, "store", "the import stopped at a database error: %s "
					   "(the batches before it are stored; import the same input again "
					   "to add the rest)",
			err_str(ret));
	if (getenv("ROOTCUT_IMPORT_STATS")) {
		struct timespec ts;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
		fprintf(stderr, "writer cpu %.2f s\n", (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
	}
out:
	if (started) {
		/* Stop the parser and drain what it queued. */
		pthread_mutex_lock(&job.lock);
		job.stop = true;
		pthread_cond_broadcast(&job.changed);
		pthread_mutex_unlock(&job.lock);
		pthread_join(parser, NULL);
		for (size_t i = 0; i < job.nqueued; i++)
			batch_free(job.queue[i]);
		if (!ret && job.parse_ret) {
			ret = job.parse_ret;
			*err = job.parse_err;
		}
	}
	res->rows = job.rows;
	import_store_free(w.st);
	store_release(w.c);
	if (job.csv_open)
		import_csv_release(&job.csv);
	seen_release(&job.seen);
	buf_release(&job.line);
	free(job.sets);
	for (size_t i = 0; i < job.ncols; i++)
		free(job.header[i]);
	free(w.agencies.items);
	free(w.cases.items);
	pthread_mutex_destroy(&job.lock);
	pthread_cond_destroy(&job.changed);
	return ret;
}
