/*
 * graph/graph_cmd.c - `rootcut graph ANALYSIS [--option VALUE ...]`: the
 * analyses of the API from the console (which sees every case), printed as
 * JSON on stdout and audited as graph.query; `rootcut graph export` writes a
 * neighbourhood or cluster as GraphML, GEXF or CSV (graph.export).
 */
#include <string.h>

#include "audit/audit.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"
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

/* `rootcut graph export --what W --format F (--id IDENT | --case ID) [--depth N] [--limit N] [--out FILE]` */
static int cmd_export(const struct cli_command *self, struct cli_ctx *ctx, struct store_conn *c)
{
	struct err_msg err = ERR_MSG_INIT;
	struct graph_viewer v = { c, NULL, 0 };
	struct graph_limits lim = { 2, 1000000, 10000, 5000 };
	enum graph_export_format fmt = GRAPH_EXPORT_GRAPHML;
	const char *what = "neighbourhood", *id = NULL, *kase = NULL, *out_path = NULL;
	int64_t ident = 0, case_id = 0, n, depth = 0;
	struct buf body = BUF_INIT, detail = BUF_INIT;
	struct audit_event ev;
	struct graph *g = NULL;
	bool truncated = false;
	int ret = 0;

	for (int i = 2; i < ctx->argc; i++) {
		const char *opt = ctx->argv[i], *val = i + 1 < ctx->argc ? ctx->argv[i + 1] : NULL;
		if (!val)
			return cli_usage_error(self, "%s needs a value", opt);
		i++;
		if (!strcmp(opt, "--what") && (!strcmp(val, "cluster") || !strcmp(val, "neighbourhood")))
			what = val;
		else if (!strcmp(opt, "--format") && !graph_export_format_parse(val, &fmt))
			;
		else if (!strcmp(opt, "--id"))
			id = val;
		else if (!strcmp(opt, "--case"))
			kase = val;
		else if (!strcmp(opt, "--out"))
			out_path = val;
		else if (!strcmp(opt, "--depth") && !str_to_int64(val, 1, 10, &n))
			depth = n;
		else if (!strcmp(opt, "--limit") && !str_to_int64(val, 1, 100000, &n))
			lim.max_results = (int)n;
		else
			return cli_usage_error(self, "bad export option %s %s", opt, val);
	}
	lim.depth = depth ? (int)depth : !strcmp(what, "cluster") ? 6 : 2;
	if (id)
		ret = graph_ident_ref(c, id, "id", &ident, &err);
	else if (!kase || str_to_int64(kase, 1, INT64_MAX, &case_id))
		return cli_usage_error(self, "export needs --id IDENT or --case ID");
	if (ret)
		return cli_fail(ret, &err, "graph");
	buf_addf(&detail, "what=%s %s=%s", what, id ? "id" : "case", id ? id : kase);
	ret = graph_acquire(c, &g);
	if (!ret)
		ret = graph_export(g, &v, ident, case_id, !strcmp(what, "cluster"), fmt, &lim, &body,
			&truncated, &err);
	graph_release(g);
	audit_event_console(&ev, "graph.export", "graph", what, ret ? AUDIT_FAILED : AUDIT_OK);
	ev.actor = cli_actor();
	ev.detail = detail.s;
	audit_append_now(c, &ev);
	buf_release(&detail);
	if (!ret) {
		FILE *f = out_path ? fopen(out_path, "w") : stdout;
		if (!f || fwrite(body.s, 1, body.len, f) != body.len || (out_path && fclose(f)))
			ret = err_set(&err, ERR_IO, "out", "cannot write '%s'",
				out_path ? out_path : "standard output");
		if (truncated)
			fprintf(stderr, "graph export: a bound was reached; the graph is partial\n");
	}
	buf_release(&body);
	return ret ? cli_fail(ret, &err, "graph") : 0;
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

	if (ctx->argc >= 2 && !strcmp(ctx->argv[1], "export")) {
		ret = cmd_export(self, ctx, c);
		goto out;
	}
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
