/*
 * graph/flow_import.c - bulk import of flows (`rootcut import flows`,
 * POST /api/v1/flows/import): CSV (the reader of report import,
 * intel/import_csv.c) or JSON Lines in, one flow per good row stored, every
 * bad row reported with its line, field and reason.
 *
 *   records → flow.c (a struct graph_flow per row) → ends resolved to
 *   identifier ids (an in-memory cache; new identifiers stored through
 *   intel_ident_upsert()) → the batch's flows, sorted by source reference,
 *   written with multi-row INSERTs → commit every opt->batch rows.
 *
 * Invariants:
 *  1. A flow is stored once: its source reference is unique, and a row whose
 *     reference is stored (now or by an earlier import) counts as a duplicate.
 *  2. The identifier cache holds only ids committed or in the open batch; a
 *     failed batch ends the import (the batches before it stay).
 *  3. The batch's texts live in its arena until its INSERTs have run (they are
 *     bound without copies).
 */
#include "graph/graph.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/sort.h"
#include "base/str.h"
#include "graph/internal.h"
#include "intel/import_csv.h"
#include "intel/intel.h"
#include "store/store.h"

#define FLOW_ROWS 25
#define FLOW_COLS 13
#define ROW_SQL "(?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?)"
#define ROWS5 ROW_SQL ", " ROW_SQL ", " ROW_SQL ", " ROW_SQL ", " ROW_SQL
#define INSERT_HEAD                                                                              \
	"INSERT INTO flows (source_ref, kind, src_id, dst_id, at, amount_twd, duration_s,"      \
	" channel, cell, imei_id, asset, amount_asset, created_at) VALUES "
#define INSERT_TAIL " ON CONFLICT (source_ref) DO NOTHING"
static const char sql_one[] = INSERT_HEAD ROW_SQL INSERT_TAIL;
static const char sql_many[] =
	INSERT_HEAD ROWS5 ", " ROWS5 ", " ROWS5 ", " ROWS5 ", " ROWS5 INSERT_TAIL;

/* A flow of the batch, its ends resolved (texts in the batch's arena). */
struct pend {
	const char *ref, *channel, *cell, *asset, *amount_asset;
	int64_t src, dst, imei, at, amount_twd, duration_s;
};

struct importer {
	const struct graph_import_options *opt;
	struct graph_import_result *res;
	struct store_conn *c;
	struct graph_ident_cache *cache;
	struct graph_arena arena;
	struct pend *pend;
	size_t npend, cap;
	bool in_tx;
	char now[32];
	enum graph_field cols[IMPORT_CSV_FIELDS_MAX];
	size_t ncols;
};

void graph_import_result_release(struct graph_import_result *res)
{
	if (!res)
		return;
	free(res->rejects);
	res->rejects = NULL;
	res->nrejects = 0;
}

static void reject(struct importer *im, int64_t line, const struct err_msg *e, const char *raw)
{
	struct graph_import_reject rj = { .line = line, .raw = raw ? raw : "" };

	str_copy(rj.field, sizeof(rj.field), e->field[0] ? e->field : "record");
	str_copy(rj.reason, sizeof(rj.reason), e->message);
	im->res->rejected++;
	if (im->opt->on_reject)
		im->opt->on_reject(im->opt->ctx, &rj);
	if (im->res->nrejects < GRAPH_IMPORT_REJECTS_KEPT) {
		rj.raw = NULL;
		im->res->rejects = xreallocarray(im->res->rejects, im->res->nrejects + 1,
			sizeof(*im->res->rejects));
		im->res->rejects[im->res->nrejects++] = rj;
	}
}

static int cmp_pend(const void *a, const void *b)
{
	return strcmp(((const struct pend *)a)->ref, ((const struct pend *)b)->ref);
}

static void fill_vals(struct importer *im, const struct pend *p, struct store_val *v)
{
	const char *kind = graph_flow_kind_name(im->opt->kind);
	struct store_val row[FLOW_COLS] = {
		{ 'T', 0, p->ref }, { 'T', 0, kind }, { 'i', p->src, NULL }, { 'i', p->dst, NULL },
		{ 't', 0, NULL }, { 'i', p->amount_twd, NULL }, { 'i', p->duration_s, NULL },
		{ 'T', 0, p->channel }, { 'T', 0, p->cell }, { 'i', p->imei, NULL },
		{ 'T', 0, p->asset }, { 'T', 0, p->amount_asset }, { 'T', 0, im->now },
	};

	memcpy(v, row, sizeof(row));
}

/* Write the batch's flows in source-reference order; count what was new. */
static int write_pending(struct importer *im)
{
	struct store_val v[FLOW_ROWS * FLOW_COLS];
	char at[FLOW_ROWS][32];
	size_t k = 0;
	int ret = 0;

	sort_items(im->pend, im->npend, sizeof(*im->pend), cmp_pend);
	while (k < im->npend && !ret) {
		size_t n = im->npend - k >= FLOW_ROWS ? FLOW_ROWS : 1;
		for (size_t j = 0; j < n; j++) {
			fill_vals(im, &im->pend[k + j], v + j * FLOW_COLS);
			clock_format_iso_s(im->pend[k + j].at, at[j], sizeof(at[j]));
			v[j * FLOW_COLS + 4].t = at[j];
		}
		ret = store_exec_vals(im->c, n == 1 ? sql_one : sql_many, v, n * FLOW_COLS);
		if (ret >= 0) {
			im->res->accepted += ret;
			im->res->duplicates += (int64_t)n - ret;
			ret = 0;
		}
		k += n;
	}
	im->npend = 0;
	return ret;
}

static int begin(struct importer *im)
{
	int ret;

	if (im->in_tx)
		return 0;
	ret = store_begin(im->c);
	if (!ret)
		im->in_tx = true;
	clock_format_iso_s(clock_now(), im->now, sizeof(im->now));
	return ret;
}

static int commit(struct importer *im, uint64_t bytes)
{
	int ret = write_pending(im);

	if (!ret)
		ret = store_commit(im->c);
	im->in_tx = false;
	if (ret) {
		store_rollback(im->c);
		return ret;
	}
	graph_arena_reset(&im->arena);
	if (im->opt->on_progress)
		im->opt->on_progress(im->opt->ctx, bytes);
	return 0;
}

/* A good flow into the batch: its ends resolved to identifier ids. */
static int add_flow(struct importer *im, const struct graph_flow *f, uint64_t bytes)
{
	struct pend *p;
	int64_t src, dst, imei = 0;
	int ret = begin(im);

	if (!ret)
		ret = graph_ident_cache_resolve(im->cache, im->c, &f->src, &src, &im->res->identifiers);
	if (!ret)
		ret = graph_ident_cache_resolve(im->cache, im->c, &f->dst, &dst, &im->res->identifiers);
	if (!ret && f->has_imei)
		ret = graph_ident_cache_resolve(im->cache, im->c, &f->imei, &imei,
			&im->res->identifiers);
	if (ret)
		return ret;
	if (im->npend == im->cap) {
		im->cap = im->cap ? im->cap * 2 : 1024;
		im->pend = xreallocarray(im->pend, im->cap, sizeof(*im->pend));
	}
	p = &im->pend[im->npend++];
	p->ref = graph_arena_strdup(&im->arena, f->source_ref);
	p->channel = graph_arena_strdup(&im->arena, f->channel);
	p->cell = graph_arena_strdup(&im->arena, f->cell);
	p->asset = graph_arena_strdup(&im->arena, f->asset);
	p->amount_asset = graph_arena_strdup(&im->arena, f->amount_asset);
	p->src = src;
	p->dst = dst;
	p->imei = imei;
	p->at = f->at;
	p->amount_twd = f->amount_twd;
	p->duration_s = f->duration_s;
	if (im->npend >= (size_t)(im->opt->batch > 0 ? im->opt->batch : GRAPH_IMPORT_BATCH))
		return commit(im, bytes);
	return 0;
}

/* ---- CSV ---- */

static int read_header(struct importer *im, struct import_csv *r, struct err_msg *err)
{
	bool have[GRAPH_F_AMOUNT_ASSET + 1] = { false };
	enum graph_field need[] = { GRAPH_F_SRC, GRAPH_F_DST, GRAPH_F_TIME };
	int ret = import_csv_next(r, err);

	if (ret == ERR_EOF)
		return err_set(err, ERR_INVAL, "header", "the input is empty");
	if (ret)
		return ret;
	im->ncols = r->nfields;
	for (size_t i = 0; i < r->nfields; i++) {
		const char *name = import_csv_field(r, i, NULL);
		char trimmed[256];
		str_copy(trimmed, sizeof(trimmed), name);
		if (graph_flow_column(im->opt->kind, str_trim(trimmed), &im->cols[i]))
			return err_set(err, ERR_INVAL, "header",
				"unknown column '%s' for %s flows (see docs/user/flows.md)", name,
				graph_flow_kind_name(im->opt->kind));
		if (have[im->cols[i]])
			return err_set(err, ERR_INVAL, "header", "column '%s' given twice", name);
		have[im->cols[i]] = true;
	}
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!have[need[i]])
			return err_set(err, ERR_INVAL, "header", "column '%s' is missing",
				graph_flow_field_name(im->opt->kind, need[i]));
	return 0;
}

static int csv_row(struct importer *im, struct import_csv *r, struct graph_flow *f,
	struct err_msg *e)
{
	if (r->nfields != im->ncols)
		return err_set(e, ERR_INVAL, "record", "has %zu fields, the header %zu", r->nfields,
			im->ncols);
	graph_flow_init(f, im->opt->kind);
	for (size_t i = 0; i < r->nfields; i++) {
		size_t len;
		const char *v = import_csv_field(r, i, &len);
		if (graph_flow_set(f, im->cols[i], v, len, e))
			return ERR_INVAL;
	}
	return graph_flow_finish(f, e);
}

static int import_csv_input(struct importer *im, FILE *in, struct graph_flow *f,
	struct err_msg *err)
{
	struct import_csv r;
	int ret = import_csv_init(&r, in, ',', true, IMPORT_CSV_UTF8, err);

	if (!ret)
		ret = read_header(im, &r, err);
	while (!ret) {
		struct err_msg e = ERR_MSG_INIT;
		ret = import_csv_next(&r, &e);
		if (ret == ERR_EOF) {
			ret = 0;
			break;
		}
		if (ret == ERR_IO) {
			err_set(err, ERR_IO, "file", "cannot read the input");
			break;
		}
		im->res->rows++;
		if (ret || csv_row(im, &r, f, &e)) {
			char raw[2048];
			snprintf(raw, sizeof(raw), "%.*s", (int)r.raw.len, r.raw.s ? r.raw.s : "");
			reject(im, r.record_line, &e, raw);
			ret = 0;
			continue;
		}
		ret = add_flow(im, f, r.bytes);
		if (ret)
			err_set(err, ret, "database", "cannot store the flows of line %lld",
				(long long)r.record_line);
	}
	if (!ret && im->in_tx)
		ret = commit(im, r.bytes);
	import_csv_release(&r);
	return ret;
}

/* ---- JSON Lines ---- */

static int json_row(struct importer *im, const char *line, size_t len, struct graph_flow *f,
	struct err_msg *e)
{
	json_error_t jerr;
	json_t *obj = json_loadb(line, len, 0, &jerr), *v;
	const char *key;
	int ret = 0;

	if (!obj || !json_is_object(obj)) {
		json_decref(obj);
		return err_set(e, ERR_INVAL, "record", "not a JSON object: %s",
			obj ? "another JSON value" : jerr.text);
	}
	graph_flow_init(f, im->opt->kind);
	json_object_foreach(obj, key, v) {
		enum graph_field field;
		char num[64];
		const char *text = num;
		if (graph_flow_column(im->opt->kind, key, &field)) {
			ret = err_set(e, ERR_INVAL, key, "unknown field for %s flows",
				graph_flow_kind_name(im->opt->kind));
			break;
		}
		if (json_is_string(v))
			text = json_string_value(v);
		else if (json_is_integer(v))
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		else if (json_is_real(v))
			snprintf(num, sizeof(num), "%.10g", json_real_value(v));
		else if (json_is_null(v))
			continue;
		else {
			ret = err_set(e, ERR_INVAL, key, "must be a string or a number");
			break;
		}
		ret = graph_flow_set(f, field, text,
			json_is_string(v) ? json_string_length(v) : strlen(text), e);
		if (ret)
			break;
	}
	json_decref(obj);
	return ret ? ret : graph_flow_finish(f, e);
}

static int import_jsonl_input(struct importer *im, FILE *in, struct graph_flow *f,
	struct err_msg *err)
{
	struct buf line = BUF_INIT;
	uint64_t bytes = 0;
	int64_t lineno = 0;
	int ret = 0;

	buf_init(&line, IMPORT_CSV_RECORD_MAX);
	while (!ret) {
		struct err_msg e = ERR_MSG_INIT;
		int got = buf_getline(&line, in);
		if (got == ERR_EOF)
			break;
		lineno++;
		if (got == ERR_LIMIT) {
			im->res->rows++;
			err_set(&e, ERR_LIMIT, "record", "longer than %d bytes", IMPORT_CSV_RECORD_MAX);
			reject(im, lineno, &e, "");
			int ch;
			while ((ch = fgetc(in)) != EOF && ch != '\n')
				;
			continue;
		}
		bytes += line.len + 1;
		if (!str_trim(line.s)[0])
			continue;
		im->res->rows++;
		if (json_row(im, line.s, strlen(line.s), f, &e)) {
			reject(im, lineno, &e, line.s);
			continue;
		}
		ret = add_flow(im, f, bytes);
		if (ret)
			err_set(err, ret, "database", "cannot store the flows of line %lld",
				(long long)lineno);
	}
	if (!ret && ferror(in))
		ret = err_set(err, ERR_IO, "file", "cannot read the input");
	if (!ret && im->in_tx)
		ret = commit(im, bytes);
	buf_release(&line);
	return ret;
}

static int audit_import(struct importer *im)
{
	struct audit_event ev = *im->opt->ev;
	char detail[512];

	snprintf(detail, sizeof(detail),
		"%s flows from %s: %lld rows, %lld accepted, %lld already stored, %lld rejected",
		graph_flow_kind_name(im->opt->kind), im->opt->name ? im->opt->name : "input",
		(long long)im->res->rows, (long long)im->res->accepted,
		(long long)im->res->duplicates, (long long)im->res->rejected);
	ev.detail = detail;
	return audit_append_now(im->c, &ev);
}

int graph_import(struct store *db, FILE *in, const struct graph_import_options *opt,
	struct graph_import_result *res, struct err_msg *err)
{
	struct importer im = { .opt = opt, .res = res };
	struct graph_flow *f = xmalloc(sizeof(*f));
	int ret;

	memset(res, 0, sizeof(*res));
	if (!graph_flow_kind_name(opt->kind)) {
		free(f);
		return err_set(err, ERR_INVAL, "kind", "must be transfer, call, resolution, contact or chain");
	}
	im.c = store_acquire(db);
	im.cache = graph_ident_cache_new();
	store_bulk_begin(im.c, 512);
	if (opt->format == GRAPH_IMPORT_JSONL)
		ret = import_jsonl_input(&im, in, f, err);
	else
		ret = import_csv_input(&im, in, f, err);
	if (im.in_tx)
		store_rollback(im.c);
	if (store_bulk_end(im.c) && !ret)
		ret = err_set(err, ERR_STORE, "database", "cannot make the import durable");
	if (!ret && opt->ev)
		ret = audit_import(&im);
	graph_ident_cache_free(im.cache);
	graph_arena_release(&im.arena);
	free(im.pend);
	free(f);
	store_release(im.c);
	return ret;
}
