/*
 * graph/export.c - a neighbourhood or a cluster as a file for Gephi, yEd or
 * a spreadsheet: GraphML, GEXF 1.3 or CSV (one row per edge with both ends).
 *
 * The subgraph is a bounded breadth-first walk from an identifier or a case,
 * with the rules of path.c: a report or case the viewer may not read is
 * included (it exists, with its office) but never walked through, and
 * warning-listed identifiers are not walked through. A neighbourhood follows
 * every edge; a cluster only the edges that bind a ring (an identifier named
 * in a report, a report in a case, a repeated report).
 */
#include "graph/internal.h"

#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/mem.h"

static bool binds(uint8_t kind)
{
	return kind == GE_OBSERVED || kind == GE_IN_CASE || kind == GE_DUPLICATE;
}

struct sub {
	uint32_t *nodes; /* in the order reached */
	size_t n;
	int32_t *index;  /* node → index in nodes, -1 */
	bool truncated;
	bool cluster;    /* only the edges that bind a ring */
};

/* Is adj entry x an edge of the subgraph (written once, at the end it leaves)? */
static bool kept(const struct sub *s, const struct graph_edge *x)
{
	return x->out && s->index[x->to] >= 0 && (!s->cluster || binds(x->kind));
}


static void walk(const struct graph *g, const struct graph_viewer *v, uint32_t s, bool cluster,
	const struct graph_limits *lim, struct sub *out)
{
	int32_t *depth = xreallocarray(NULL, g->n ? g->n : 1, sizeof(*depth));
	int64_t deadline = graph_deadline(lim), expanded = 0;
	size_t head = 0;

	memset(depth, 0xff, (g->n ? g->n : 1) * sizeof(*depth));
	out->nodes = xreallocarray(NULL, g->n ? g->n : 1, sizeof(*out->nodes));
	out->index = xreallocarray(NULL, g->n ? g->n : 1, sizeof(*out->index));
	memset(out->index, 0xff, (g->n ? g->n : 1) * sizeof(*out->index));
	depth[s] = 0;
	out->index[s] = 0;
	out->nodes[out->n++] = s;
	while (head < out->n) {
		uint32_t u = out->nodes[head++];
		if (depth[u] >= lim->depth)
			continue;
		if (u != s && ((g->flags[u] & GN_WARNED) || !graph_node_visible(g, v, u)))
			continue;
		if (++expanded > lim->max_nodes || graph_past(deadline)) {
			out->truncated = true;
			break;
		}
		for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++) {
			uint32_t w = g->adj[e].to;
			if (depth[w] >= 0 || (cluster && !binds(g->adj[e].kind)))
				continue;
			if (out->n >= (size_t)lim->max_results) {
				out->truncated = true;
				continue;
			}
			depth[w] = depth[u] + 1;
			out->index[w] = (int32_t)out->n;
			out->nodes[out->n++] = w;
		}
	}
	free(depth);
}

/* The text of a JSON field, "" when absent. */
static const char *field(json_t *o, const char *key)
{
	json_t *x = json_object_get(o, key);
	static char num[32];

	if (json_is_string(x))
		return json_string_value(x);
	if (json_is_integer(x)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(x));
		return num;
	}
	if (json_is_boolean(x))
		return json_is_true(x) ? "true" : "false";
	return "";
}

/* A node's label: the identifier's value, "case 115年度偵字第1001號", "report 12". */
static void label(json_t *o, char *out, size_t size)
{
	const char *kind = field(o, "kind");

	if (!strcmp(kind, "identifier") || !strcmp(kind, "cell"))
		snprintf(out, size, "%s", field(o, "value"));
	else if (!strcmp(kind, "case") && *field(o, "number"))
		snprintf(out, size, "case %s", field(o, "number"));
	else
		snprintf(out, size, "%s %s", kind, field(o, "id"));
}

/* s escaped for XML text and attributes; control characters dropped. */
static void xml(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '&')
			buf_adds(b, "&amp;");
		else if (c == '<')
			buf_adds(b, "&lt;");
		else if (c == '>')
			buf_adds(b, "&gt;");
		else if (c == '"')
			buf_adds(b, "&quot;");
		else if (c >= 0x20 || c == '\t' || c == '\n')
			buf_addch(b, (char)c);
	}
}

static void csv(struct buf *b, const char *s, bool comma)
{
	if (comma)
		buf_addch(b, ',');
	if (!strpbrk(s, ",\"\r\n")) {
		buf_adds(b, s);
		return;
	}
	buf_addch(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_addch(b, '"');
		buf_addch(b, *s);
	}
	buf_addch(b, '"');
}

static const char *const node_keys[] = { "kind", "type", "value", "id", "visible",
	"warning_list", "office_id", "agency_id", NULL };

static void write_graphml(struct buf *b, json_t **nodes, const struct sub *s,
	const struct graph *g)
{
	char lab[512], at[32];
	size_t ne = 0;

	buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
		    "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n");
	for (int k = 0; node_keys[k]; k++)
		buf_addf(b, "  <key id=\"%s\" for=\"node\" attr.name=\"%s\" attr.type=\"string\"/>\n",
			node_keys[k], node_keys[k]);
	buf_adds(b, "  <key id=\"edge_kind\" for=\"edge\" attr.name=\"kind\" attr.type=\"string\"/>\n"
		    "  <key id=\"at\" for=\"edge\" attr.name=\"at\" attr.type=\"string\"/>\n"
		    "  <key id=\"amount\" for=\"edge\" attr.name=\"amount\" attr.type=\"long\"/>\n"
		    "  <graph id=\"rootcut\" edgedefault=\"directed\">\n");
	for (size_t i = 0; i < s->n; i++) {
		label(nodes[i], lab, sizeof(lab));
		buf_addf(b, "    <node id=\"n%zu\">\n      <data key=\"label\">", i);
		xml(b, lab);
		buf_adds(b, "</data>\n");
		for (int k = 0; node_keys[k]; k++) {
			const char *val = field(nodes[i], node_keys[k]);
			if (!*val)
				continue;
			buf_addf(b, "      <data key=\"%s\">", node_keys[k]);
			xml(b, val);
			buf_adds(b, "</data>\n");
		}
		buf_adds(b, "    </node>\n");
	}
	for (size_t i = 0; i < s->n; i++) {
		uint32_t u = s->nodes[i];
		for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++) {
			const struct graph_edge *x = &g->adj[e];
			if (!kept(s, x))
				continue;
			graph_time(x->at, at);
			buf_addf(b, "    <edge id=\"e%zu\" source=\"n%zu\" target=\"n%d\">\n"
				    "      <data key=\"edge_kind\">%s</data>\n",
				ne++, i, s->index[x->to], graph_edge_kind_name(x->kind));
			if (*at)
				buf_addf(b, "      <data key=\"at\">%s</data>\n", at);
			if (x->amount)
				buf_addf(b, "      <data key=\"amount\">%lld</data>\n", (long long)x->amount);
			buf_adds(b, "    </edge>\n");
		}
	}
	buf_adds(b, "  </graph>\n</graphml>\n");
}

static void write_gexf(struct buf *b, json_t **nodes, const struct sub *s, const struct graph *g)
{
	char lab[512], at[32];
	size_t ne = 0;

	buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n"
		    "  <meta><creator>rootcut</creator></meta>\n"
		    "  <graph defaultedgetype=\"directed\" mode=\"static\">\n"
		    "    <attributes class=\"node\">\n");
	for (int k = 0; node_keys[k]; k++)
		buf_addf(b, "      <attribute id=\"%d\" title=\"%s\" type=\"string\"/>\n", k,
			node_keys[k]);
	buf_adds(b, "    </attributes>\n    <attributes class=\"edge\">\n"
		    "      <attribute id=\"0\" title=\"at\" type=\"string\"/>\n"
		    "      <attribute id=\"1\" title=\"amount\" type=\"long\"/>\n"
		    "    </attributes>\n    <nodes>\n");
	for (size_t i = 0; i < s->n; i++) {
		label(nodes[i], lab, sizeof(lab));
		buf_addf(b, "      <node id=\"n%zu\" label=\"", i);
		xml(b, lab);
		buf_adds(b, "\">\n        <attvalues>\n");
		for (int k = 0; node_keys[k]; k++) {
			const char *val = field(nodes[i], node_keys[k]);
			if (!*val)
				continue;
			buf_addf(b, "          <attvalue for=\"%d\" value=\"", k);
			xml(b, val);
			buf_adds(b, "\"/>\n");
		}
		buf_adds(b, "        </attvalues>\n      </node>\n");
	}
	buf_adds(b, "    </nodes>\n    <edges>\n");
	for (size_t i = 0; i < s->n; i++) {
		uint32_t u = s->nodes[i];
		for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++) {
			const struct graph_edge *x = &g->adj[e];
			if (!kept(s, x))
				continue;
			graph_time(x->at, at);
			buf_addf(b, "      <edge id=\"e%zu\" source=\"n%zu\" target=\"n%d\" label=\"%s\">\n"
				    "        <attvalues>\n",
				ne++, i, s->index[x->to], graph_edge_kind_name(x->kind));
			if (*at)
				buf_addf(b, "          <attvalue for=\"0\" value=\"%s\"/>\n", at);
			buf_addf(b, "          <attvalue for=\"1\" value=\"%lld\"/>\n"
				    "        </attvalues>\n      </edge>\n",
				(long long)x->amount);
		}
	}
	buf_adds(b, "    </edges>\n  </graph>\n</gexf>\n");
}

static void write_csv(struct buf *b, json_t **nodes, const struct sub *s, const struct graph *g)
{
	char from[512], to[512], at[32], amount[24];

	buf_adds(b, "source,source_kind,target,target_kind,kind,at,amount\r\n");
	for (size_t i = 0; i < s->n; i++) {
		uint32_t u = s->nodes[i];
		for (uint64_t e = g->off[u]; e < g->off[u + 1]; e++) {
			const struct graph_edge *x = &g->adj[e];
			json_t *t;
			if (!kept(s, x))
				continue;
			t = nodes[s->index[x->to]];
			label(nodes[i], from, sizeof(from));
			label(t, to, sizeof(to));
			graph_time(x->at, at);
			snprintf(amount, sizeof(amount), "%lld", (long long)x->amount);
			csv(b, from, false);
			csv(b, *field(nodes[i], "type") ? field(nodes[i], "type") : field(nodes[i], "kind"), true);
			csv(b, to, true);
			csv(b, *field(t, "type") ? field(t, "type") : field(t, "kind"), true);
			csv(b, graph_edge_kind_name(x->kind), true);
			csv(b, at, true);
			csv(b, amount, true);
			buf_adds(b, "\r\n");
		}
	}
}

int graph_export_format_parse(const char *name, enum graph_export_format *out)
{
	if (!strcmp(name, "graphml"))
		*out = GRAPH_EXPORT_GRAPHML;
	else if (!strcmp(name, "gexf"))
		*out = GRAPH_EXPORT_GEXF;
	else if (!strcmp(name, "csv"))
		*out = GRAPH_EXPORT_CSV;
	else
		return ERR_INVAL;
	return 0;
}

const char *graph_export_content_type(enum graph_export_format f)
{
	return f == GRAPH_EXPORT_GRAPHML ? "application/graphml+xml; charset=utf-8"
	       : f == GRAPH_EXPORT_GEXF  ? "application/gexf+xml; charset=utf-8"
					 : "text/csv; charset=utf-8";
}

int graph_export(struct graph *g, const struct graph_viewer *v, int64_t ident, int64_t case_id,
	bool cluster, enum graph_export_format fmt, const struct graph_limits *lim,
	struct buf *out, bool *truncated, struct err_msg *err)
{
	struct sub s = { 0 };
	uint32_t start = GRAPH_NONE;
	json_t **nodes;

	if (ident)
		start = graph_ident_node(g, ident);
	else if (case_id > 0 && case_id <= g->max_case && g->case_node)
		start = g->case_node[case_id];
	if (start == GRAPH_NONE)
		return err_set(err, ERR_NOTFOUND, ident ? "id" : "case", "not in the graph");
	s.cluster = cluster;
	walk(g, v, start, cluster, lim, &s);
	nodes = xreallocarray(NULL, s.n ? s.n : 1, sizeof(*nodes));
	for (size_t i = 0; i < s.n; i++)
		nodes[i] = graph_node_json(g, v, s.nodes[i]);
	if (fmt == GRAPH_EXPORT_GRAPHML)
		write_graphml(out, nodes, &s, g);
	else if (fmt == GRAPH_EXPORT_GEXF)
		write_gexf(out, nodes, &s, g);
	else
		write_csv(out, nodes, &s, g);
	for (size_t i = 0; i < s.n; i++)
		json_decref(nodes[i]);
	free(nodes);
	*truncated = s.truncated;
	free(s.nodes);
	free(s.index);
	return 0;
}
