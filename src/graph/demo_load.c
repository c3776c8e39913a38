/*
 * graph/demo_load.c - the demonstration flows of `rootcut init --demo`: the
 * flows that fit the demo reports (intel/demo_flows.c, seed 1, the same
 * newest time as intel/demo_load.c) imported like `rootcut import flows`,
 * and the payment collector the mules also pay put on the warning list, so
 * that the analyses show rings, layers, money houses and call centers at once.
 */
#include "graph/graph.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "base/mem.h"
#include "intel/demo_flows.h"
#include "intel/intel.h"
#include "store/store.h"

static int add_collectors(struct store *db, const struct demo_flows *f, struct err_msg *err)
{
	struct store_conn *c = store_acquire(db);
	struct ident *id = xmalloc(sizeof(*id));
	int ret = 0;

	for (int i = 0; i < 2 && !ret; i++) {
		struct audit_event ev;
		ret = ident_parse(id, IDENT_BANK_ACCOUNT, f->collectors[i], strlen(f->collectors[i]),
			err);
		audit_event_console(&ev, "warning.add", "warning", NULL, AUDIT_OK);
		if (!ret)
			ret = intel_warning_add(c, id, "超商代收帳戶 payment collector (demo)", 0, &ev,
				err);
		if (ret == ERR_CONFLICT)
			ret = 0;
	}
	free(id);
	store_release(c);
	return ret;
}

static int import_kind(struct store *db, enum graph_flow_kind kind, const struct buf *b,
	int64_t *accepted, struct err_msg *err)
{
	struct graph_import_options opt = { 0 };
	struct graph_import_result res = { 0 };
	struct audit_event ev;
	FILE *in = fmemopen((void *)b->s, b->len, "r");
	int ret;

	if (!in)
		return err_set(err, ERR_NOMEM, "demo", "cannot read the generated flows");
	opt.kind = kind;
	opt.format = GRAPH_IMPORT_CSV;
	opt.name = "demo flows";
	audit_event_console(&ev, "flow.import", "import", graph_flow_kind_name(kind), AUDIT_OK);
	opt.ev = &ev;
	ret = graph_import(db, in, &opt, &res, err);
	fclose(in);
	if (!ret && res.rejected)
		ret = err_set(err, ERR_INTERNAL, "demo",
			"%lld generated %s flows were rejected: line %lld: %s: %s",
			(long long)res.rejected, graph_flow_kind_name(kind),
			(long long)res.rejects[0].line, res.rejects[0].field, res.rejects[0].reason);
	*accepted += res.accepted;
	graph_import_result_release(&res);
	return ret;
}

int graph_demo_load(struct store *db, int64_t reports, int64_t *accepted, struct err_msg *err)
{
	struct demo_options gen = { reports, 1, demo_load_until(), false, NULL };
	struct demo_flows f;
	int ret = demo_flows_generate(&gen, &f);

	*accepted = 0;
	if (ret)
		err_set(err, ret, "demo", "cannot generate the flows");
	if (!ret)
		ret = add_collectors(db, &f, err);
	if (!ret)
		ret = import_kind(db, GRAPH_FLOW_TRANSFER, &f.transfers, accepted, err);
	if (!ret)
		ret = import_kind(db, GRAPH_FLOW_CALL, &f.calls, accepted, err);
	if (!ret)
		ret = import_kind(db, GRAPH_FLOW_RESOLUTION, &f.resolutions, accepted, err);
	if (!ret)
		ret = import_kind(db, GRAPH_FLOW_CHAIN, &f.chain, accepted, err);
	demo_flows_release(&f);
	return ret;
}
