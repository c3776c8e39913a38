/*
 * graph/graph_cmd.c - `rootcut graph ANALYSIS [--option VALUE ...]`: the
 * analyses of the API from the console (which sees every case), printed as
 * JSON on stdout and audited as graph.query.
 */
#include <string.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/err.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "graph/internal.h"
#include "store/store.h"

/* The options after the analysis: --name VALUE or --name=VALUE. */
static int read_options(const struct cli_command *self, struct graph_query *q,
	struct store_conn *c, int argc, char **argv, struct buf *detail, struct err_msg *err)
{
	for (int i = 2; i < argc; i++) {
		char name[32];
		const char *eq, *val;
		int ret;
		if (strncmp(argv[i], "--", 2))
			return cli_usage_error(self, "unexpected '%s'", argv[i]);
		eq = strchr(argv[i], '=');
		if (eq) {
			snprintf(name, sizeof(name), "%.*s", (int)(eq - argv[i] - 2), argv[i] + 2);
			val = eq + 1;
		} else {
			if (i + 1 >= argc)
				return cli_usage_error(self, "%s needs a value", argv[i]);
			snprintf(name, sizeof(name), "%s", argv[i] + 2);
			val = argv[++i];
		}
		for (char *p = name; *p; p++)
			if (*p == '-')
				*p = '_';
		ret = graph_query_set(q, c, name, val, err);
		if (ret == ERR_NOTFOUND && !err->field[0])
			return cli_usage_error(self, "--%s is not an option of %s", name,
				graph_analysis_name(q->what));
		if (ret)
			return cli_fail(ret, err, "graph");
		buf_addf(detail, "%s%s=%s", detail->len ? " " : "", name, val);
	}
	return 0;
}

int cmd_graph(struct cli_ctx *ctx)
{
	const struct cli_command *self = cli_find("graph");
	struct err_msg err = ERR_MSG_INIT;
	struct store_conn *c = store_acquire(ctx->store);
	struct graph_viewer v = { c, NULL, 0 };
	struct buf detail = BUF_INIT;
	struct audit_event ev;
	struct graph_query q;
	enum graph_analysis what;
	json_t *out = NULL;
	int ret;

	if (ctx->argc < 2 || graph_analysis_parse(ctx->argv[1], &what)) {
		ret = cli_usage_error(self, "which analysis: clusters, layering, call-centers, path, "
					    "neighbourhood, upstream or case-priority");
		goto out;
	}
	graph_query_defaults(&q, what);
	ret = read_options(self, &q, c, ctx->argc, ctx->argv, &detail, &err);
	if (ret)
		goto out;
	ret = graph_query_run(&q, &v, &out, &err);
	audit_event_console(&ev, "graph.query", "graph", graph_analysis_name(what),
		ret ? AUDIT_FAILED : AUDIT_OK);
	ev.actor = cli_actor();
	ev.detail = detail.s;
	audit_append_now(c, &ev);
	if (ret) {
		ret = cli_fail(ret, &err, "graph");
		goto out;
	}
	{
		char *text = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (text)
			puts(text);
		free(text);
	}
out:
	json_decref(out);
	buf_release(&detail);
	store_release(c);
	return ret;
}
