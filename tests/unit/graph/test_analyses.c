/*
 * tests/unit/graph/test_analyses.c - each analysis on a small hand-made graph
 * with a known answer: rings of cases (a warning-listed hub binds nothing),
 * money layering in time order (a transfer made before the money arrived is
 * not followed) with the money house named, call centers by shared IMEIs,
 * path and neighbourhood bounds.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/err.h"
#include "graph/internal.h"

static const struct graph_viewer console = { NULL, NULL, 0 };
static const struct graph_limits lim = { 5, 100000, 0, 50 };

static uint32_t ident(struct graph_builder *b, int64_t id, enum ident_type t)
{
	return graph_builder_node(b, GN_IDENT, id, (uint8_t)t);
}

static uint32_t report(struct graph_builder *b, int64_t id)
{
	uint32_t r = graph_builder_node(b, GN_REPORT, id, 0);

	graph_builder_report(b, r, 1, 1, 1000);
	return r;
}

/* The ids of the identifiers in a JSON array of nodes, as "1,2,3". */
static void ids(json_t *arr, char *out, size_t size)
{
	size_t i;
	json_t *o;

	out[0] = '\0';
	json_array_foreach(arr, i, o)
		snprintf(out + strlen(out), size - strlen(out), "%s%lld", i ? "," : "",
			(long long)json_integer_value(json_object_get(o, "id")));
}

static struct graph *ring_graph(void)
{
	/*
	 * Reports 1, 2, 3 share phone 10 / account 11; report 4 shares phone 12
	 * (on the warning list: 165) with report 1 only; report 5 stands alone.
	 */
	struct graph_builder *b = graph_builder_new();
	uint32_t r1 = report(b, 1), r2 = report(b, 2), r3 = report(b, 3), r4 = report(b, 4);
	uint32_t r5 = report(b, 5);
	uint32_t p10 = ident(b, 10, IDENT_PHONE), a11 = ident(b, 11, IDENT_BANK_ACCOUNT);
	uint32_t hub = ident(b, 12, IDENT_PHONE), own = ident(b, 13, IDENT_PHONE);

	graph_builder_edge(b, p10, r1, GE_OBSERVED, 0, 0);
	graph_builder_edge(b, p10, r2, GE_OBSERVED, 0, 0);
	graph_builder_edge(b, a11, r2, GE_OBSERVED, 0, 0);
	graph_builder_edge(b, a11, r3, GE_OBSERVED, 0, 0);
	graph_builder_edge(b, hub, r1, GE_OBSERVED, 0, 0);
	graph_builder_edge(b, hub, r4, GE_OBSERVED, 0, 0);
	graph_builder_edge(b, own, r5, GE_OBSERVED, 0, 0);
	graph_builder_warn(b, hub);
	return graph_builder_finish(b);
}

Test(clusters, shared_identifiers_bind_and_the_warning_list_does_not)
{
	struct graph *g = ring_graph();
	json_t *out = NULL, *c;
	char got[64];

	cr_assert_eq(graph_clusters(g, &console, 2, 1000, &lim, &out), 0);
	cr_assert_eq(json_array_size(json_object_get(out, "clusters")), 1, "one ring");
	c = json_array_get(json_object_get(out, "clusters"), 0);
	ids(json_object_get(c, "units"), got, sizeof(got));
	cr_assert_str_eq(got, "1,2,3", "ring members: %s", got);
	ids(json_object_get(c, "binding"), got, sizeof(got));
	cr_assert_str_eq(got, "10,11", "binding identifiers: %s", got);
	cr_assert_eq(json_integer_value(json_object_get(out, "warning_list_excluded")), 1);
	json_decref(out);
	/* a fan-out cap of 1 makes every shared identifier a hub */
	cr_assert_eq(graph_clusters(g, &console, 2, 1, &lim, &out), 0);
	cr_assert_eq(json_array_size(json_object_get(out, "clusters")), 0);
	json_decref(out);
	graph_free(g);
}

Test(clusters, a_case_is_one_unit)
{
	struct graph_builder *b = graph_builder_new();
	uint32_t r1 = report(b, 1), r2 = report(b, 2), r3 = report(b, 3);
	uint32_t k = graph_builder_node(b, GN_CASE, 7, 0);
	uint32_t p = ident(b, 10, IDENT_PHONE);
	struct graph *g;
	json_t *out = NULL, *c;

	graph_builder_edge(b, r1, k, GE_IN_CASE, 0, 0);
	graph_builder_edge(b, r2, k, GE_IN_CASE, 0, 0);
	graph_builder_edge(b, p, r1, GE_OBSERVED, 0, 0);
	graph_builder_edge(b, p, r2, GE_OBSERVED, 0, 0);
	graph_builder_edge(b, p, r3, GE_OBSERVED, 0, 0);
	g = graph_builder_finish(b);
	cr_assert_eq(graph_clusters(g, &console, 2, 1000, &lim, &out), 0);
	c = json_array_get(json_object_get(out, "clusters"), 0);
	cr_assert_eq(json_integer_value(json_object_get(c, "size")), 2, "the case and report 3");
	cr_assert_eq(json_integer_value(json_object_get(c, "reports")), 3);
	json_decref(out);
	graph_free(g);
}

/*
 * Victims V1, V2, V3 pay mules M1 (reported) and M2 (reported) at t=1000;
 * M1 → L2a at 2000, M2 → L2b at 2000, L2a and L2b → H (money house) at 3000.
 * M1 → X at 500: before any victim's money arrived, never followed.
 */
static struct graph *money_graph(uint32_t *house, uint32_t *early)
{
	struct graph_builder *b = graph_builder_new();
	uint32_t r1 = report(b, 1), r2 = report(b, 2);
	uint32_t v1 = ident(b, 1, IDENT_BANK_ACCOUNT), v2 = ident(b, 2, IDENT_BANK_ACCOUNT);
	uint32_t v3 = ident(b, 3, IDENT_BANK_ACCOUNT);
	uint32_t m1 = ident(b, 11, IDENT_BANK_ACCOUNT), m2 = ident(b, 12, IDENT_BANK_ACCOUNT);
	uint32_t l2a = ident(b, 21, IDENT_BANK_ACCOUNT), l2b = ident(b, 22, IDENT_BANK_ACCOUNT);
	uint32_t h = ident(b, 31, IDENT_BANK_ACCOUNT), x = ident(b, 41, IDENT_BANK_ACCOUNT);

	graph_builder_edge(b, m1, r1, GE_OBSERVED, 0, 0);
	graph_builder_edge(b, m2, r2, GE_OBSERVED, 0, 0);
	graph_builder_edge(b, v1, m1, GE_TRANSFER, 1000, 100);
	graph_builder_edge(b, v2, m1, GE_TRANSFER, 1000, 200);
	graph_builder_edge(b, v3, m2, GE_TRANSFER, 1000, 300);
	graph_builder_edge(b, m1, x, GE_TRANSFER, 500, 50);
	graph_builder_edge(b, m1, l2a, GE_TRANSFER, 2000, 290);
	graph_builder_edge(b, m2, l2b, GE_TRANSFER, 2000, 290);
	graph_builder_edge(b, l2a, h, GE_TRANSFER, 3000, 280);
	graph_builder_edge(b, l2b, h, GE_TRANSFER, 3000, 280);
	*house = 31;
	*early = 41;
	return graph_builder_finish(b);
}

static json_t *find_id(json_t *arr, int64_t id)
{
	size_t i;
	json_t *o;

	json_array_foreach(arr, i, o)
		if (json_integer_value(json_object_get(o, "id")) == id)
			return o;
	return NULL;
}

Test(layering, follows_money_forward_in_time_and_names_the_house)
{
	uint32_t house, early;
	struct graph *g = money_graph(&house, &early);
	json_t *out = NULL, *layers, *conv, *h;
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(graph_layering(g, &console, 0, 30 * 86400, &lim, &out, &err), 0);
	cr_assert_eq(json_integer_value(json_object_get(out, "origins")), 3, "three victim transfers");
	layers = json_object_get(out, "layers");
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(layers, 0), "accounts")), 2);
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(layers, 1), "accounts")), 2,
		"layer 2: L2a and L2b, never X (paid before the money came)");
	cr_assert_null(find_id(json_object_get(json_array_get(layers, 1), "top"), early));
	cr_assert_eq(json_integer_value(json_object_get(json_array_get(layers, 2), "accounts")), 1);
	conv = json_object_get(out, "converge");
	h = json_array_get(conv, 0);
	cr_assert_eq(json_integer_value(json_object_get(h, "id")), house, "the top convergence");
	cr_assert(json_is_true(json_object_get(h, "money_house")));
	cr_assert_eq(json_integer_value(json_object_get(h, "origins")), 3);
	cr_assert_eq(json_integer_value(json_object_get(h, "amount_in_twd")), 560);
	cr_assert_eq(json_integer_value(json_object_get(out, "money_houses")), 1);
	json_decref(out);
	graph_free(g);
}

Test(layering, a_transfer_before_arrival_is_not_followed)
{
	struct graph_builder *b = graph_builder_new();
	uint32_t r = report(b, 1), v = ident(b, 1, IDENT_BANK_ACCOUNT);
	uint32_t m = ident(b, 2, IDENT_BANK_ACCOUNT), y = ident(b, 3, IDENT_BANK_ACCOUNT);
	struct err_msg err = ERR_MSG_INIT;
	struct graph *g;
	json_t *out = NULL;

	graph_builder_edge(b, m, r, GE_OBSERVED, 0, 0);
	graph_builder_edge(b, v, m, GE_TRANSFER, 5000, 100);
	graph_builder_edge(b, m, y, GE_TRANSFER, 4999, 100); /* one second too early */
	g = graph_builder_finish(b);
	cr_assert_eq(graph_layering(g, &console, 0, 86400, &lim, &out, &err), 0);
	cr_assert_eq(json_integer_value(json_object_get(
			     json_array_get(json_object_get(out, "layers"), 1), "accounts")), 0);
	json_decref(out);
	graph_free(g);
}

Test(callcenters, phones_sharing_a_handset_are_one_center)
{
	struct graph_builder *b = graph_builder_new();
	uint32_t p1 = ident(b, 1, IDENT_PHONE), p2 = ident(b, 2, IDENT_PHONE);
	uint32_t lone = ident(b, 3, IDENT_PHONE), imei = ident(b, 9, IDENT_IMEI);
	uint32_t v[4];
	struct graph *g;
	json_t *out = NULL, *c;
	char got[32];

	for (int i = 0; i < 4; i++) {
		uint32_t r = report(b, i + 1);
		v[i] = ident(b, 100 + i, IDENT_PHONE);
		graph_builder_edge(b, v[i], r, GE_VICTIM, 0, 0);
	}
	graph_builder_edge(b, p1, v[0], GE_CALL, 10, 60);
	graph_builder_edge(b, p1, v[1], GE_CALL, 20, 60);
	graph_builder_edge(b, p2, v[2], GE_CALL, 30, 60);
	graph_builder_edge(b, p2, v[1], GE_CALL, 40, 60);
	graph_builder_edge(b, lone, v[3], GE_CALL, 50, 60);
	graph_builder_edge(b, p1, imei, GE_IMEI, 0, 0);
	graph_builder_edge(b, p2, imei, GE_IMEI, 0, 0);
	g = graph_builder_finish(b);
	cr_assert_eq(graph_callcenters(g, &console, 3, &lim, &out), 0);
	cr_assert_eq(json_array_size(json_object_get(out, "call_centers")), 1);
	c = json_array_get(json_object_get(out, "call_centers"), 0);
	cr_assert_eq(json_integer_value(json_object_get(c, "victims")), 3, "v0, v1, v2 once each");
	ids(json_object_get(c, "phones"), got, sizeof(got));
	cr_assert_str_eq(got, "1,2");
	ids(json_object_get(c, "imeis"), got, sizeof(got));
	cr_assert_str_eq(got, "9");
	json_decref(out);
	graph_free(g);
}

Test(path, shortest_and_bounded)
{
	struct graph *g = ring_graph();
	struct graph_limits short_lim = lim;
	struct err_msg err = ERR_MSG_INIT;
	json_t *out = NULL;
	char got[64];

	/* phone 10 → report 2 → account 11 */
	cr_assert_eq(graph_path(g, &console, 10, 11, &lim, &out, &err), 0);
	cr_assert(json_is_true(json_object_get(out, "found")));
	ids(json_object_get(out, "nodes"), got, sizeof(got));
	cr_assert_str_eq(got, "10,2,11", "path: %s", got);
	json_decref(out);
	/* the warning-listed 165 is not walked through: 13 is unreachable anyway, 12 → 4 only */
	cr_assert_eq(graph_path(g, &console, 10, 13, &lim, &out, &err), 0);
	cr_assert(json_is_false(json_object_get(out, "found")));
	json_decref(out);
	short_lim.depth = 1;
	cr_assert_eq(graph_path(g, &console, 10, 11, &short_lim, &out, &err), 0);
	cr_assert(json_is_false(json_object_get(out, "found")), "two hops needed, one allowed");
	json_decref(out);
	cr_assert_eq(graph_path(g, &console, 10, 999, &lim, &out, &err), ERR_NOTFOUND);
	cr_assert_str_eq(err.field, "to");
	graph_free(g);
}

Test(neighbourhood, hops_and_summary)
{
	struct graph *g = ring_graph();
	struct graph_limits l = lim;
	struct err_msg err = ERR_MSG_INIT;
	json_t *out = NULL;

	l.depth = 2;
	cr_assert_eq(graph_neighbourhood(g, &console, 10, &l, &out, &err), 0);
	/* 10; reports 1, 2; then 165 (12) and account 11 */
	cr_assert_eq(json_integer_value(json_object_get(out, "reached")), 5);
	cr_assert_eq(json_integer_value(json_array_get(json_object_get(out, "per_hop"), 1)), 2);
	json_decref(out);
	l.max_results = 2;
	cr_assert_eq(graph_neighbourhood(g, &console, 10, &l, &out, &err), 0);
	cr_assert_eq(json_array_size(json_object_get(out, "nodes")), 2);
	cr_assert(json_is_true(json_object_get(out, "truncated")), "summarised beyond the limit");
	json_decref(out);
	graph_free(g);
}
