/*
 * tests/unit/graph/test_flow.c - one row of each kind → struct graph_flow:
 * columns (English and Chinese), identifiers normalised, bad values refused
 * naming the column, natural keys stable.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/err.h"
#include "graph/graph.h"

static int set(struct graph_flow *f, enum graph_field field, const char *v, struct err_msg *e)
{
	return graph_flow_set(f, field, v, strlen(v), e);
}

Test(flow, columns_by_name)
{
	enum graph_field f;

	cr_assert_eq(graph_flow_column(GRAPH_FLOW_TRANSFER, "轉出帳號", &f), 0);
	cr_assert_eq(f, GRAPH_F_SRC);
	cr_assert_eq(graph_flow_column(GRAPH_FLOW_CALL, "IMEI", &f), 0);
	cr_assert_eq(f, GRAPH_F_IMEI);
	cr_assert_eq(graph_flow_column(GRAPH_FLOW_CALL, "from_account", &f), ERR_NOTFOUND);
}

Test(flow, transfer_normalised_and_keyed)
{
	struct graph_flow a, b;
	struct err_msg e = ERR_MSG_INIT;

	graph_flow_init(&a, GRAPH_FLOW_TRANSFER);
	cr_assert_eq(set(&a, GRAPH_F_SRC, "822-123456789012", &e), 0, "%s", e.message);
	cr_assert_eq(set(&a, GRAPH_F_DST, "(808)1234567890123", &e), 0, "%s", e.message);
	cr_assert_eq(set(&a, GRAPH_F_AMOUNT_TWD, "NT$50,000", &e), 0);
	cr_assert_eq(set(&a, GRAPH_F_TIME, "113/03/01 10:00", &e), 0);
	cr_assert_eq(graph_flow_finish(&a, &e), 0, "%s", e.message);
	cr_assert_eq(a.amount_twd, 50000);
	cr_assert(!strncmp(a.source_ref, "transfer:", 9), "derived ref '%s'", a.source_ref);
	graph_flow_init(&b, GRAPH_FLOW_TRANSFER);
	set(&b, GRAPH_F_SRC, "822 123456789012", &e);
	set(&b, GRAPH_F_DST, "808-1234567890123", &e);
	set(&b, GRAPH_F_AMOUNT_TWD, "50000", &e);
	set(&b, GRAPH_F_TIME, "2024-03-01T10:00:00+08:00", &e);
	cr_assert_eq(graph_flow_finish(&b, &e), 0, "%s", e.message);
	cr_assert_str_eq(a.source_ref, b.source_ref, "the same transfer however it was typed");
}

Test(flow, bad_values_name_their_column)
{
	static const struct {
		enum graph_flow_kind kind;
		enum graph_field field;
		const char *value, *column;
	} cases[] = {
		{ GRAPH_FLOW_TRANSFER, GRAPH_F_SRC, "bad", "from_account" },
		{ GRAPH_FLOW_TRANSFER, GRAPH_F_AMOUNT_TWD, "12.5", "amount" },
		{ GRAPH_FLOW_CALL, GRAPH_F_DST, "12", "callee" },
		{ GRAPH_FLOW_CALL, GRAPH_F_DURATION, "-3", "duration" },
		{ GRAPH_FLOW_CALL, GRAPH_F_IMEI, "123", "imei" },
		{ GRAPH_FLOW_CALL, GRAPH_F_TIME, "yesterday", "start" },
		{ GRAPH_FLOW_RESOLUTION, GRAPH_F_DST, "999.1.1.1", "ip" },
		{ GRAPH_FLOW_CHAIN, GRAPH_F_AMOUNT_ASSET, "1.2.3", "amount" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct graph_flow f;
		struct err_msg e = ERR_MSG_INIT;
		graph_flow_init(&f, cases[i].kind);
		cr_assert_eq(set(&f, cases[i].field, cases[i].value, &e), ERR_INVAL, "'%s' accepted",
			cases[i].value);
		cr_assert_str_eq(e.field, cases[i].column, "'%s' → field '%s'", cases[i].value,
			e.field);
	}
}

Test(flow, missing_ends_and_time)
{
	struct graph_flow f;
	struct err_msg e = ERR_MSG_INIT;

	graph_flow_init(&f, GRAPH_FLOW_CALL);
	set(&f, GRAPH_F_SRC, "0912-345-678", &e);
	cr_assert_eq(graph_flow_finish(&f, &e), ERR_INVAL);
	cr_assert_str_eq(e.field, "callee");
	set(&f, GRAPH_F_DST, "+886 912 345 678", &e);
	set(&f, GRAPH_F_TIME, "2024-03-01 10:00", &e);
	cr_assert_eq(graph_flow_finish(&f, &e), ERR_INVAL, "a call to oneself");
}
