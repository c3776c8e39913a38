/*
 * graph/view.c - need-to-know at the edge of every analysis: a report or
 * case is always shown to exist, with its owning office (a blind hit), and
 * in full only when intel's visibility rules allow (src/intel/visibility.c,
 * case.c). Identifiers are read from the store for the few nodes shown.
 */
#include "graph/internal.h"

#include "auth/auth.h"
#include "base/clock.h"
#include "intel/intel.h"
#include "store/store.h"

static const char *const edge_names[] = { "", "observed", "victim", "in_case", "duplicate",
	"transfer", "call", "resolution", "contact", "chain", "imei", "cell" };

const char *graph_edge_kind_name(uint8_t kind)
{
	return kind < sizeof(edge_names) / sizeof(edge_names[0]) ? edge_names[kind] : "";
}

void graph_time(int64_t t, char out[32])
{
	out[0] = '\0';
	if (t > 0)
		clock_format_iso_s(t, out, 32);
}

int64_t graph_deadline(const struct graph_limits *lim)
{
	return lim->time_ms > 0 ? clock_mono_ms() + lim->time_ms : 0;
}

bool graph_past(int64_t deadline_ms)
{
	return deadline_ms && clock_mono_ms() > deadline_ms;
}

bool graph_node_visible(const struct graph *g, const struct graph_viewer *v, uint32_t u)
{
	if (!v->p || v->reach == REACH_ALL)
		return true;
	if (g->kind[u] == GN_REPORT) {
		struct intel_report r = { 0 };
		r.agency_id = g->agency[u];
		r.created_by = g->owner[u];
		r.case_id = g->report_case[u] != GRAPH_NONE ? g->ref[g->report_case[u]] : 0;
		return intel_report_visible(v->c, v->p, v->reach, &r);
	}
	if (g->kind[u] == GN_CASE) {
		struct intel_case k = { 0 };
		k.id = g->ref[u];
		k.office_id = g->agency[u];
		return intel_case_visible(v->c, v->p, v->reach, &k);
	}
	return true;
}

static json_t *ident_json(const struct graph_viewer *v, int64_t id)
{
	struct store_stmt *st;
	json_t *o = json_pack("{s:s,s:I}", "kind", "identifier", "id", (json_int_t)id);

	if (!v->c || store_query(v->c, &st,
			     "SELECT type, value, display FROM identifiers WHERE id = ?", "i", id))
		return o;
	if (store_step(st) == STORE_ROW) {
		json_object_set_new(o, "type", json_string(store_col_text(st, 0)));
		json_object_set_new(o, "value", json_string(store_col_text(st, 1)));
		json_object_set_new(o, "display", json_string(store_col_text(st, 2)));
	}
	store_finish(st);
	return o;
}

static json_t *case_json(const struct graph *g, const struct graph_viewer *v, uint32_t u)
{
	bool visible = graph_node_visible(g, v, u);
	json_t *o = json_pack("{s:s,s:I,s:I,s:b}", "kind", "case", "id", (json_int_t)g->ref[u],
		"office_id", (json_int_t)g->agency[u], "visible", visible);
	struct intel_case k;

	if (visible && v->c && !intel_case_get(v->c, g->ref[u], &k)) {
		json_object_set_new(o, "number", json_string(k.number));
		json_object_set_new(o, "status", json_string(k.status));
	}
	return o;
}

/* A visible report's source reference and crime type. */
static void report_details(const struct graph_viewer *v, int64_t id, json_t *o)
{
	struct store_stmt *st;

	if (!v->c || store_query(v->c, &st,
			     "SELECT source_ref, crime_type FROM reports WHERE id = ?", "i", id))
		return;
	if (store_step(st) == STORE_ROW) {
		if (!store_col_null(st, 0))
			json_object_set_new(o, "source_ref", json_string(store_col_text(st, 0)));
		json_object_set_new(o, "crime_type", json_string(store_col_text(st, 1)));
	}
	store_finish(st);
}

json_t *graph_node_json(const struct graph *g, const struct graph_viewer *v, uint32_t u)
{
	bool visible;
	json_t *o;

	switch (g->kind[u]) {
	case GN_IDENT:
		o = ident_json(v, g->ref[u]);
		if (g->flags[u] & GN_WARNED)
			json_object_set_new(o, "warning_list", json_true());
		return o;
	case GN_CELL:
		return json_pack("{s:s,s:s}", "kind", "cell", "value", g->cells[g->ref[u]]);
	case GN_CASE:
		return case_json(g, v, u);
	default:
		visible = graph_node_visible(g, v, u);
		o = json_pack("{s:s,s:I,s:I,s:b}", "kind", "report", "id", (json_int_t)g->ref[u],
			"agency_id", (json_int_t)g->agency[u], "visible", visible);
		if (visible) {
			report_details(v, g->ref[u], o);
			json_object_set_new(o, "loss_twd", json_integer(g->loss[u]));
			if (g->report_case[u] != GRAPH_NONE)
				json_object_set_new(o, "case_id",
					json_integer(g->ref[g->report_case[u]]));
		}
		return o;
	}
}
