/*
 * graph/internal.h - shared by the files of src/graph/ only: the arena, the
 * identifier cache of the importer, and the in-memory graph (build.c) that
 * the analyses walk.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "graph/graph.h"

struct store_conn;

/* ---- arena.c ---- */

struct graph_arena_chunk;
struct graph_arena {
	struct graph_arena_chunk *head;
};
/* n bytes (8-aligned) valid until graph_arena_reset() or _release(). */
void *graph_arena_alloc(struct graph_arena *a, size_t n);
const char *graph_arena_strdup(struct graph_arena *a, const char *s);
void graph_arena_reset(struct graph_arena *a);
void graph_arena_release(struct graph_arena *a);

/* ---- ident_cache.c ---- */

struct graph_ident_cache;
struct graph_ident_cache *graph_ident_cache_new(void);
void graph_ident_cache_free(struct graph_ident_cache *ic);
/*
 * The identifier row of id in *row: from the cache, else from the database,
 * else stored now with intel_ident_upsert() (inside c's write transaction),
 * counting it in *created. Returns 0 or a store error.
 */
int graph_ident_cache_resolve(struct graph_ident_cache *ic, struct store_conn *c,
	const struct ident *id, int64_t *row, int64_t *created);

/* ---- the in-memory graph (build.c) ---- */

/*
 * Nodes are identifiers, reports, cases and cells (the cell ids of call
 * records, which are not identifiers). Every edge is stored at both of its
 * ends (CSR: adj[off[v] .. off[v+1]) are v's edges), with out = 1 at the end
 * it leaves (the sender of a transfer, the caller) and 0 at the other.
 */
enum graph_node_kind { GN_IDENT = 1, GN_REPORT, GN_CASE, GN_CELL };

enum graph_edge_kind {
	GE_OBSERVED = 1, /* identifier — report that names it (not as the victim's own) */
	GE_VICTIM,       /* identifier — report naming it as the victim's own */
	GE_IN_CASE,      /* report — case */
	GE_DUPLICATE,    /* report — the report it repeats (another channel) */
	GE_TRANSFER,     /* account → account (amount, time) */
	GE_CALL,         /* phone → phone */
	GE_RESOLUTION,   /* domain → IP */
	GE_CONTACT,
	GE_CHAIN,        /* wallet → wallet */
	GE_IMEI,         /* phone — handset it called from (once per pair) */
	GE_CELL,         /* phone — cell it called from (once per pair) */
};

#define GRAPH_NONE UINT32_MAX
#define GN_WARNED 0x01 /* on the warning list: never binds, never a hub */
#define GN_CLOSED 0x02 /* a case indicted or closed: no longer a way upstream */

struct graph_edge {
	int64_t amount;   /* TWD (transfers, chain when known); call duration in seconds */
	uint32_t to;
	uint32_t at;      /* seconds since the epoch (UTC); 0 when none */
	uint8_t kind;     /* enum graph_edge_kind */
	uint8_t out;      /* 1 at the end the flow leaves */
};

struct graph {
	uint32_t n;               /* nodes */
	uint8_t *kind;            /* enum graph_node_kind, per node */
	uint8_t *type;            /* ident type (GN_IDENT) */
	uint8_t *flags;           /* GN_WARNED */
	int64_t *ref;             /* the row id (identifier, report, case); cell: index in cells */
	int64_t *agency;          /* report: its agency; case: its office */
	int64_t *owner;           /* report: created_by */
	uint32_t *report_case;    /* report: its case node, GRAPH_NONE */
	int64_t *loss;            /* report: loss_twd */
	uint64_t *off;            /* n + 1 */
	struct graph_edge *adj;
	uint64_t nedges;          /* entries of adj (twice the edges) */
	uint32_t *ident_node;     /* identifier id → node (GRAPH_NONE), ids below max_ident */
	int64_t max_ident;
	uint32_t *report_node;
	int64_t max_report;
	uint32_t *case_node;
	int64_t max_case;
	char **cells;             /* cell names */
	uint32_t ncells;
	int refs;                 /* holders (cache.c) */
};

/* A graph built by hand (unit tests) or from the store. */
struct graph_builder;
struct graph_builder *graph_builder_new(void);
/* Add a node; returns its index. ref is its row id (or cell index). */
uint32_t graph_builder_node(struct graph_builder *b, enum graph_node_kind kind, int64_t ref,
	uint8_t type);
/* Add an edge between nodes a (the end it leaves) and b. */
void graph_builder_edge(struct graph_builder *b, uint32_t a, uint32_t bnode,
	enum graph_edge_kind kind, int64_t at, int64_t amount);
/* Node facts of reports and cases. */
void graph_builder_report(struct graph_builder *b, uint32_t node, int64_t agency, int64_t owner,
	int64_t loss);
void graph_builder_case(struct graph_builder *b, uint32_t node, int64_t office);
void graph_builder_warn(struct graph_builder *b, uint32_t node);
/* Mark case node as indicted or closed. */
void graph_builder_close(struct graph_builder *b, uint32_t node);
/* Turn b into a graph (frees b). Never fails except for memory. */
struct graph *graph_builder_finish(struct graph_builder *b);

/* Read the whole graph from the store (a read snapshot on c). */
int graph_load(struct store_conn *c, struct graph **out);
void graph_free(struct graph *g);

/* The node of identifier row id; GRAPH_NONE when it has none. */
uint32_t graph_ident_node(const struct graph *g, int64_t id);

/* ---- view.c: what a viewer may see of a node, as JSON ---- */

struct graph_viewer;
struct graph_limits;
#include <jansson.h>

/* May the viewer read report or case node u in full? Identifiers and cells: true. */
bool graph_node_visible(const struct graph *g, const struct graph_viewer *v, uint32_t u);
/*
 * Node u as JSON for the viewer: identifiers with type, value and display
 * (read from the store), reports and cases with their id and owning office,
 * and their details only when visible ("visible": false is a blind hit).
 */
json_t *graph_node_json(const struct graph *g, const struct graph_viewer *v, uint32_t u);
/* The name of an edge kind ("transfer", "observed" …). */
const char *graph_edge_kind_name(uint8_t kind);
/* Seconds → ISO 8601 UTC text into out (32 bytes); "" for 0. */
void graph_time(int64_t t, char out[32]);
/* True when the clock has passed the deadline (ms, 0 = none). */
bool graph_past(int64_t deadline_ms);
int64_t graph_deadline(const struct graph_limits *lim);

/* ---- ident_ref.c ---- */

/*
 * The identifier row named by text: a row id ("1234") or "TYPE:VALUE" in any
 * accepted spelling ("phone:0912-345-678"). ERR_NOTFOUND / ERR_INVAL with err
 * naming field.
 */
int graph_ident_ref(struct store_conn *c, const char *text, const char *field, int64_t *id,
	struct err_msg *err);

/* ---- query.c: the options every front end reads ---- */

enum graph_analysis { GRAPH_CLUSTERS = 1, GRAPH_LAYERING, GRAPH_CALLCENTERS, GRAPH_PATH,
	GRAPH_NEIGHBOURHOOD, GRAPH_UPSTREAM, GRAPH_CASE_PRIORITY };
#define GRAPH_ANALYSIS_LAST GRAPH_CASE_PRIORITY

struct graph_query {
	enum graph_analysis what;
	struct graph_limits lim;
	int64_t a, b;          /* identifier ids: start, from/to, id */
	int64_t min;           /* min_units, min_victims */
	int64_t max_fanout;
	int64_t max_gap_s;
	struct graph_upstream_options up; /* upstream, case-priority */
};

/* Defaults of what (depth, nodes, time, results, minimums). */
void graph_query_defaults(struct graph_query *q, enum graph_analysis what);
/*
 * Set option name (the API's query argument and the CLI's --name) from text.
 * Returns 0, ERR_NOTFOUND for a name what does not take, ERR_INVAL with err.
 */
int graph_query_set(struct graph_query *q, struct store_conn *c, const char *name,
	const char *text, struct err_msg *err);
/* Check that what has the identifiers it needs. */
int graph_query_check(const struct graph_query *q, struct err_msg *err);
/* Run q on the store's graph as v. Audits as action (with the options) through ev. */
int graph_query_run(const struct graph_query *q, const struct graph_viewer *v, json_t **out,
	struct err_msg *err);
/*
 * Parse an analysis name ("clusters", "layering", "call-centers", "path",
 * "neighbourhood", "upstream", "case-priority").
 */
int graph_analysis_parse(const char *name, enum graph_analysis *out);
const char *graph_analysis_name(enum graph_analysis what);
