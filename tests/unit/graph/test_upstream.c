/*
 * tests/unit/graph/test_upstream.c - the upstream ranking and case priority
 * on a small hand-made graph whose order follows from the documented score:
 * a money house above two mules, an organiser calling two call-center
 * phones, an older organiser (recency), a warning-listed collector (hub
 * discount), an account paid before the money arrived (time order), and
 * three cases of which one is closed.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "graph/internal.h"

static const struct graph_viewer console = { NULL, NULL, 0 };
static const struct graph_limits lim = { 4, 100000, 0, 50 };
static const struct graph_upstream_options opts = { 1000, 180.0 * 86400, 2, 50 };

#define T 1700000000LL
#define DAY 86400LL

enum { H = 20, M1, M2, V1, V2, V3, V4, W, O, O2, C1, C2, X };

static uint32_t ident(struct graph_builder *b, int64_t id, enum ident_type t)
{
	return graph_builder_node(b, GN_IDENT, id, (uint8_t)t);
}

/*
 * Victims v1..v4 pay mules m1 (named by reports 1, 2) and m2 (reports 3, 4);
 * the mules pay house h later, and the collector w (warning list) too.
 * Organiser o calls c1 (named by reports 1, 2 as the caller) and c2 (report
 * 4); o2 called c1 400 days before the newest flow. With with_x, m2 paid x
 * before any victim's money arrived. Cases: 1 = reports 1, 2; 2 = report 3;
 * 3 = report 4, closed.
 */
static struct graph *hand_graph(bool with_x)
{
	struct graph_builder *b = graph_builder_new();
	uint32_t r[5], k[4], n[X + 1];

	for (int i = 1; i <= 4; i++) {
		r[i] = graph_builder_node(b, GN_REPORT, i, 0);
		graph_builder_report(b, r[i], 1, 1, 90000);
	}
	for (int i = 1; i <= 3; i++) {
		k[i] = graph_builder_node(b, GN_CASE, i, 0);
		graph_builder_case(b, k[i], 1);
	}
	graph_builder_close(b, k[3]);
	graph_builder_edge(b, r[1], k[1], GE_IN_CASE, 0, 0);
	graph_builder_edge(b, r[2], k[1], GE_IN_CASE, 0, 0);
	graph_builder_edge(b, r[3], k[2], GE_IN_CASE, 0, 0);
	graph_builder_edge(b, r[4], k[3], GE_IN_CASE, 0, 0);
	for (int id = H; id <= (with_x ? X : C2); id++)
		n[id] = ident(b, id, id >= O ? IDENT_PHONE : IDENT_BANK_ACCOUNT);
	graph_builder_edge(b, n[M1], r[1], GE_OBSERVED, 0, 0);
	graph_builder_edge(b, n[M1], r[2], GE_OBSERVED, 0, 0);
	graph_builder_edge(b, n[M2], r[3], GE_OBSERVED, 0, 0);
	graph_builder_edge(b, n[M2], r[4], GE_OBSERVED, 0, 0);
	graph_builder_edge(b, n[C1], r[1], GE_OBSERVED, 0, 0);
	graph_builder_edge(b, n[C1], r[2], GE_OBSERVED, 0, 0);
	graph_builder_edge(b, n[C2], r[4], GE_OBSERVED, 0, 0);
	graph_builder_edge(b, n[V1], n[M1], GE_TRANSFER, T + 100, 90000);
	graph_builder_edge(b, n[V2], n[M1], GE_TRANSFER, T + 110, 90000);
	graph_builder_edge(b, n[V3], n[M2], GE_TRANSFER, T + 100, 90000);
	graph_builder_edge(b, n[V4], n[M2], GE_TRANSFER, T + 120, 90000);
	graph_builder_edge(b, n[M1], n[H], GE_TRANSFER, T + 200, 170000);
	graph_builder_edge(b, n[M2], n[H], GE_TRANSFER, T + 210, 170000);
	graph_builder_edge(b, n[M1], n[W], GE_TRANSFER, T + 150, 500);
	graph_builder_edge(b, n[M2], n[W], GE_TRANSFER, T + 160, 500);
	graph_builder_edge(b, n[O], n[C1], GE_CALL, T + 50, 60);
	graph_builder_edge(b, n[O], n[C2], GE_CALL, T + 60, 60);
	graph_builder_edge(b, n[O2], n[C1], GE_CALL, T - 400 * DAY, 60);
	if (with_x)
		graph_builder_edge(b, n[M2], n[X], GE_TRANSFER, T + 50, 1000);
	graph_builder_warn(b, n[W]);
	return graph_builder_finish(b);
}

/* The rank (1-based) of identifier id among the candidates; 0 when absent. */
static int rank_of(json_t *out, int64_t id, json_t **cand)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(out, "candidates"), i, c) {
		if (json_integer_value(json_object_get(c, "id")) == id) {
			if (cand)
				*cand = c;
			return (int)i + 1;
		}
	}
	return 0;
}

Test(upstream, the_documented_score_gives_the_known_order)
{
	struct graph *g = hand_graph(false);
	json_t *out = NULL, *h = NULL, *ev;
	int rh, ro, rm1, ro2, rw;

	cr_assert_eq(graph_upstream(g, &console, &opts, &lim, &out), 0);
	rh = rank_of(out, H, &h);
	ro = rank_of(out, O, NULL);
	rm1 = rank_of(out, M1, NULL);
	ro2 = rank_of(out, O2, NULL);
	rw = rank_of(out, W, NULL);
	cr_assert_eq(rh, 1, "the money house first (rank %d)", rh);
	cr_assert_eq(ro, 2, "the organiser second (rank %d)", ro);
	cr_assert(rm1 > ro && rm1 < ro2, "a first-layer mule below the organiser (rank %d)", rm1);
	cr_assert(ro2 > rm1, "the organiser of 400 days ago decays below the mules (rank %d)", ro2);
	cr_assert_eq(rw, (int)json_array_size(json_object_get(out, "candidates")),
		"the warning-listed collector last (rank %d)", rw);
	cr_assert_eq(json_integer_value(json_object_get(h, "victims")), 4, "the house reaches 4 reports");
	cr_assert_eq(json_integer_value(json_object_get(h, "fan_in")), 2, "paid by 2 mules");
	cr_assert_eq(json_integer_value(json_object_get(h, "below")), 6, "mules and victims below");
	cr_assert_float_eq(json_real_value(json_object_get(h, "level")), 1.0, 1e-9, "one hop above the mules");
	ev = json_array_get(json_object_get(h, "evidence"), 0);
	cr_assert_not_null(ev, "evidence paths");
	cr_assert_eq(json_array_size(json_object_get(ev, "nodes")), 3, "house → mule → report");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(ev, "edges"), 0), "kind")),
		"transfer");
	json_decref(out);
	graph_free(g);
}

Test(upstream, money_paid_before_it_arrived_is_not_followed_back)
{
	struct graph *g = hand_graph(true);
	json_t *out = NULL, *x = NULL;

	cr_assert_eq(graph_upstream(g, &console, &opts, &lim, &out), 0);
	cr_assert_neq(rank_of(out, X, &x), 0, "x is a candidate (m2 paid it)");
	cr_assert_eq(json_integer_value(json_object_get(x, "below")), 1,
		"only m2 is below x: the victims' money came after m2 paid x");
	json_decref(out);
	graph_free(g);
}

Test(upstream, min_victims_and_limit_bound_the_list)
{
	struct graph *g = hand_graph(false);
	struct graph_upstream_options o = opts;
	struct graph_limits l = lim;
	json_t *out = NULL;

	o.min_victims = 4;
	cr_assert_eq(graph_upstream(g, &console, &o, &l, &out), 0);
	cr_assert_eq(json_integer_value(json_object_get(out, "total")), 2, "the house and the collector");
	json_decref(out);
	l.max_results = 1;
	cr_assert_eq(graph_upstream(g, &console, &opts, &l, &out), 0);
	cr_assert_eq(json_array_size(json_object_get(out, "candidates")), 1);
	json_decref(out);
	graph_free(g);
}

Test(case_priority, open_cases_by_the_candidates_they_reach)
{
	struct graph *g = hand_graph(false);
	json_t *out = NULL, *cases, *why;

	cr_assert_eq(graph_case_priority(g, &console, &opts, &lim, &out), 0);
	cases = json_object_get(out, "cases");
	cr_assert_eq(json_array_size(cases), 2, "cases 1 and 2; case 3 is closed");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(cases, 0), "id")), 1,
		"case 1 first: it reaches the house, the organiser and both mules' reports");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(cases, 1), "id")), 2);
	why = json_object_get(json_array_get(cases, 0), "why");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(why, 0), "id")), H,
		"the house is the first reason");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(why, 0), "hops")), 1);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(why, 1), "id")), O,
		"then the organiser");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(cases, 1), "candidates_reached")), 3,
		"case 2: the house, the collector and its mule m2");
	json_decref(out);
	graph_free(g);
}
