/*
 * graph/graph.h - trace to root (溯源斷根): flows between identifiers (the
 * telecom, internet and money flows: 電信流、網路流、資金流), the graph they
 * make with reports and cases, and the analyses over it (rings of cases,
 * money-flow layering to the money house 水房, call centers 機房, paths and
 * neighbourhoods).
 *
 * Data flow: bulk records (CSV / JSON Lines) → flow.c (a row → struct
 * graph_flow, identifiers through src/ident) → flow_import.c (identifiers
 * found or stored through intel, flows stored by natural key) → store →
 * build.c (a compact CSR graph, cached until the store changes) → the
 * analyses → graph_api.c / graph_cmd.c.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ident/ident.h"

struct audit_event;
struct err_msg;
struct store;
struct store_conn;
struct store_module_schema;

/* The graph module's schema (the flows table), for store_migrate(). */
const struct store_module_schema *graph_schema(void);

/* ---- flows (flow.c) ---- */

enum graph_flow_kind {
	GRAPH_FLOW_TRANSFER = 1, /* bank account → bank account, amount in TWD */
	GRAPH_FLOW_CALL,         /* phone → phone (a call detail record) */
	GRAPH_FLOW_RESOLUTION,   /* domain → IP address */
	GRAPH_FLOW_CONTACT,      /* chat or social contact between two accounts */
	GRAPH_FLOW_CHAIN,        /* wallet → wallet on a public ledger */
};
#define GRAPH_FLOW_KIND_LAST GRAPH_FLOW_CHAIN

/* "transfer", "call" … ; NULL for a value out of range. */
const char *graph_flow_kind_name(enum graph_flow_kind kind);
/* Parse a kind name. Returns 0 or ERR_INVAL. */
int graph_flow_kind_parse(const char *name, enum graph_flow_kind *out);

/* One flow, as a row of an import file becomes. */
struct graph_flow {
	enum graph_flow_kind kind;
	char source_ref[128];   /* the source's reference; "" = derive one from the content */
	struct ident src, dst;  /* the two ends, canonical */
	int64_t at;             /* when (seconds since the epoch, UTC) */
	int64_t amount_twd;     /* transfer (and chain when given): whole TWD */
	int64_t duration_s;     /* call */
	char channel[32];       /* transfer: ATM, online, counter …; contact: platform */
	char cell[64];          /* call: the caller's cell (基地台) id */
	bool has_imei;
	struct ident imei;      /* call: the caller's handset */
	char asset[16];         /* chain: USDT, BTC, ETH … */
	char amount_asset[40];  /* chain: the amount in the asset, as a decimal string */
};

/* The fields a column can fill. */
enum graph_field {
	GRAPH_F_IGNORE = 0,
	GRAPH_F_REF,
	GRAPH_F_SRC,
	GRAPH_F_DST,
	GRAPH_F_TIME,
	GRAPH_F_AMOUNT_TWD,
	GRAPH_F_DURATION,
	GRAPH_F_CHANNEL,
	GRAPH_F_CELL,
	GRAPH_F_IMEI,
	GRAPH_F_ASSET,
	GRAPH_F_AMOUNT_ASSET,
};

/*
 * The field that column name fills for kind (the names of docs/user/flows.md,
 * English or the Chinese headings banks and telecoms use; case-insensitive).
 * Returns 0 and *out; ERR_NOTFOUND when kind has no such column.
 */
int graph_flow_column(enum graph_flow_kind kind, const char *name, enum graph_field *out);
/* The canonical column name of field f for kind ("from_account"); "" when none. */
const char *graph_flow_field_name(enum graph_flow_kind kind, enum graph_field f);

/*
 * Start a flow of kind: zero f and set its kind. Then graph_flow_set() each
 * field, then graph_flow_finish().
 */
void graph_flow_init(struct graph_flow *f, enum graph_flow_kind kind);
/*
 * Set field of f from the text v (len bytes; need not be NUL-terminated).
 * An empty value leaves the field unset. Returns 0, or ERR_INVAL with err
 * naming the column (graph_flow_field_name()) and the reason.
 */
int graph_flow_set(struct graph_flow *f, enum graph_field field, const char *v, size_t len,
	struct err_msg *err);
/*
 * Check that f has what its kind needs (both ends, a time; an amount for a
 * transfer) and derive its source reference when it has none:
 * "<kind>:<24 hex of SHA-256 of the content>". Returns 0 or ERR_INVAL naming
 * the missing column.
 */
int graph_flow_finish(struct graph_flow *f, struct err_msg *err);

/* ---- bulk import of flows (flow_import.c) ---- */

enum graph_import_format { GRAPH_IMPORT_CSV = 1, GRAPH_IMPORT_JSONL };

#define GRAPH_IMPORT_REJECTS_KEPT 1000
#define GRAPH_IMPORT_BATCH 50000

struct graph_import_reject {
	int64_t line;       /* first line of the row (1-based) */
	char field[64];
	char reason[512];
	const char *raw;    /* the row as read; valid during the callback */
};

struct graph_import_options {
	enum graph_flow_kind kind;
	enum graph_import_format format;
	int batch;              /* flows per transaction; 0 = GRAPH_IMPORT_BATCH */
	const char *name;       /* the input's name for the audit event */
	const struct audit_event *ev; /* audited once, with the counts, at the end */
	void (*on_reject)(void *ctx, const struct graph_import_reject *rj);
	void (*on_progress)(void *ctx, uint64_t bytes);
	void *ctx;
};

struct graph_import_result {
	int64_t rows;        /* rows read (header excluded) */
	int64_t accepted;    /* flows stored now */
	int64_t duplicates;  /* already stored (same source reference) */
	int64_t rejected;
	int64_t identifiers; /* identifiers new to the database */
	struct graph_import_reject *rejects; /* the first GRAPH_IMPORT_REJECTS_KEPT (raw NULL) */
	size_t nrejects;
};

void graph_import_result_release(struct graph_import_result *res);

/*
 * Import every row of in (read to its end) as flows of opt->kind into db.
 * Returns 0 when the input was read to its end (see res->rejected); a
 * negative error with err when it cannot start (an unknown column in the
 * header) or stops (a database error: the batches committed stay, and
 * importing the same input again adds only the rest).
 */
int graph_import(struct store *db, FILE *in, const struct graph_import_options *opt,
	struct graph_import_result *res, struct err_msg *err);

/* ---- demonstration flows (demo_load.c) ---- */

/*
 * Import the flows that fit the `reports` demo reports of `rootcut init
 * --demo` (intel/demo_flows.h) into db, and put the payment collector they
 * pay on the warning list. Idempotent: flows already stored are not added
 * again. *accepted: the flows stored now. Returns 0 or an error with err.
 */
int graph_demo_load(struct store *db, int64_t reports, int64_t *accepted, struct err_msg *err);

/* ---- the graph and its analyses (cache.c, cluster.c, layering.c, callcenter.c, path.c) ---- */

#include <jansson.h>

struct auth_principal;
struct graph;

/*
 * The graph of the store as c sees it: built on first use and kept until the
 * store changes (store_stamp(), then the graph's own change signature: new
 * flows, reports, identifiers, cases, case links or warning-list entries).
 * Shared by every caller; release it with graph_release(). Thread-safe.
 */
int graph_acquire(struct store_conn *c, struct graph **out);
void graph_release(struct graph *g);
/* Drop the cached graph (tests; after a restore). */
void graph_cache_clear(void);

/* Who asks: need-to-know decides which reports and cases are shown in full. */
struct graph_viewer {
	struct store_conn *c;
	const struct auth_principal *p; /* NULL: the console, which sees everything */
	int reach;                      /* enum auth_reach */
};

/* Bounds of every query; a query that reaches one says so ("truncated"). */
struct graph_limits {
	int depth;          /* hops or layers */
	int64_t max_nodes;  /* nodes expanded */
	int64_t time_ms;    /* wall time */
	int max_results;    /* items returned (the rest are summarised) */
};

/*
 * Rings: units (a case, or a report in no case) bound by identifiers they
 * share, hubs on the warning list excluded, and identifiers shared by more
 * than max_fanout units treated as hubs too. Clusters of at least min_units,
 * largest first. *out: {clusters: [{units, size, reports, loss_twd,
 * binding: [identifiers]}], truncated, …}.
 */
int graph_clusters(struct graph *g, const struct graph_viewer *v, int min_units,
	int64_t max_fanout, const struct graph_limits *lim, json_t **out);

/*
 * Money-flow layering from the victims' transfers into start (an identifier
 * id; 0 = every account named in a report as receiving or first-layer):
 * layer 1 is the receiving accounts, layer n+1 the accounts they paid after
 * the money arrived (never before: money cannot flow backwards in time) and
 * within max_gap_s of it. *out: {layers: [[accounts]], converge: [accounts
 * reached from several victims' transfers, most first], truncated}.
 */
int graph_layering(struct graph *g, const struct graph_viewer *v, int64_t start,
	int64_t max_gap_s, const struct graph_limits *lim, json_t **out, struct err_msg *err);

/*
 * Call centers: callers joined by the handsets (IMEI) and cells they share,
 * with the distinct victims they called (callees named as a victim's phone in
 * a report, or callees that called no one), at least min_victims.
 */
int graph_callcenters(struct graph *g, const struct graph_viewer *v, int min_victims,
	const struct graph_limits *lim, json_t **out);

/* A shortest path between identifiers from and to (ids), over every edge. */
int graph_path(struct graph *g, const struct graph_viewer *v, int64_t from, int64_t to,
	const struct graph_limits *lim, json_t **out, struct err_msg *err);

/* The nodes within lim->depth hops of identifier id, and the edges among them. */
int graph_neighbourhood(struct graph *g, const struct graph_viewer *v, int64_t id,
	const struct graph_limits *lim, json_t **out, struct err_msg *err);

/* Options of the upstream ranking and of case priority (upstream.c). */
struct graph_upstream_options {
	int64_t max_fanout;  /* more identifiers directly below: a hub, discounted */
	double half_life_s;  /* recency: a candidate's weight halves per this much age */
	int64_t min_victims; /* reports a candidate must reach to be ranked */
	int64_t candidates;  /* case priority: the top candidates that count */
};

/*
 * Upstream candidates (上游目標): every identifier with something below it
 * (accounts that paid it, phones it called, domains resolving to it),
 * scored by the reports reached within lim->depth hops down (the score of
 * upstream.c and docs/user/en/graph.md), best first, each with up to three
 * evidence paths down to the reports. A candidate whose reports the viewer
 * may read none of is counted in "hidden", not listed.
 */
int graph_upstream(struct graph *g, const struct graph_viewer *v,
	const struct graph_upstream_options *o, const struct graph_limits *lim, json_t **out);

/*
 * Case priority: the open cases (not indicted or closed) the viewer may read,
 * by the scores of the top o->candidates upstream candidates whose walks reach
 * their reports (each divided by 1 + the hops), with those candidates as the
 * reason.
 */
int graph_case_priority(struct graph *g, const struct graph_viewer *v,
	const struct graph_upstream_options *o, const struct graph_limits *lim, json_t **out);

/* ---- export (export.c) ---- */

enum graph_export_format { GRAPH_EXPORT_GRAPHML = 1, GRAPH_EXPORT_GEXF, GRAPH_EXPORT_CSV };

/* "graphml", "gexf", "csv" → *out; ERR_INVAL otherwise. */
int graph_export_format_parse(const char *name, enum graph_export_format *out);
/* The HTTP content type of a format. */
const char *graph_export_content_type(enum graph_export_format f);

struct buf;
/*
 * Write the neighbourhood (cluster false: every edge) or the cluster (only
 * the edges that bind a ring: identifier named in a report, report in a
 * case, repeat) around identifier ident or, when ident is 0, case case_id,
 * to out in fmt: the nodes within lim->depth hops, at most lim->max_results,
 * and the edges among them, with need-to-know as graph_neighbourhood().
 * *truncated: a bound was reached. ERR_NOTFOUND with err when the start is
 * not in the graph.
 */
int graph_export(struct graph *g, const struct graph_viewer *v, int64_t ident, int64_t case_id,
	bool cluster, enum graph_export_format fmt, const struct graph_limits *lim,
	struct buf *out, bool *truncated, struct err_msg *err);
