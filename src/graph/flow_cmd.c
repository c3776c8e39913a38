/*
 * graph/flow_cmd.c - `rootcut import flows FILE --kind KIND`: bulk import of
 * flows from the console (rejected rows on stderr and in --rejects, a
 * progress bar on a terminal, a summary on stdout). Exit status as for
 * `import reports`: 0 all stored or already stored, 1 some rows rejected.
 */
#include <getopt.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "graph/graph.h"

struct console {
	const char *file;
	FILE *rejects;
	uint64_t total;
	bool quiet;
};

static void csv_cell(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void on_reject(void *ctx, const struct graph_import_reject *rj)
{
	struct console *con = ctx;

	if (!con->quiet)
		fprintf(stderr, "%srootcut: import: %s:%lld: %s: %s\n", con->total ? "\r" : "",
			con->file, (long long)rj->line, rj->field, rj->reason);
	if (con->rejects) {
		fprintf(con->rejects, "%lld,", (long long)rj->line);
		csv_cell(con->rejects, rj->field);
		fputc(',', con->rejects);
		csv_cell(con->rejects, rj->reason);
		fputc(',', con->rejects);
		csv_cell(con->rejects, rj->raw);
		fputs("\r\n", con->rejects);
	}
}

static void on_progress(void *ctx, uint64_t bytes)
{
	struct console *con = ctx;

	if (con->total)
		cli_progress("importing flows (KiB)", (int64_t)(bytes / 1024),
			(int64_t)(con->total / 1024 ? con->total / 1024 : 1));
}

static enum graph_import_format guess_format(const char *file)
{
	const char *dot = strrchr(file, '.');

	if (dot && (!strcasecmp(dot, ".jsonl") || !strcasecmp(dot, ".ndjson") ||
			   !strcasecmp(dot, ".json")))
		return GRAPH_IMPORT_JSONL;
	return GRAPH_IMPORT_CSV;
}

/* Open FILE and --rejects; fills con. Returns 0 or an exit status. */
static int open_files(struct console *con, const char *rejects, FILE **in)
{
	struct err_msg err = ERR_MSG_INIT;
	struct stat sb;

	*in = strcmp(con->file, "-") ? fopen(con->file, "rb") : stdin;
	if (!*in) {
		err_set(&err, ERR_IO, "file", "cannot open '%s': %s", con->file, strerror(errno));
		return cli_fail(ERR_IO, &err, "import");
	}
	if (!fstat(fileno(*in), &sb) && S_ISREG(sb.st_mode))
		con->total = (uint64_t)sb.st_size;
	if (rejects) {
		con->rejects = fopen(rejects, "w");
		if (!con->rejects) {
			err_set(&err, ERR_IO, "rejects", "cannot write '%s': %s", rejects,
				strerror(errno));
			return cli_fail(ERR_IO, &err, "import");
		}
		fputs("line,field,reason,raw\r\n", con->rejects);
	}
	return 0;
}

int graph_cmd_import_flows(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { "kind", required_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'f' }, { "rejects", required_argument, NULL, 'r' },
		{ "batch", required_argument, NULL, 'b' }, { "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 } };
	const struct cli_command *self = cli_find("import");
	struct graph_import_options opt = { 0 };
	struct graph_import_result res = { 0 };
	struct err_msg err = ERR_MSG_INIT;
	struct console con = { 0 };
	struct audit_event ev;
	const char *kind = NULL, *format = NULL, *rejects = NULL;
	FILE *in = NULL;
	int64_t n, t0;
	int o, ret = 0;

	optind = 0;
	while (!ret && (o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'k': kind = optarg; break;
		case 'f': format = optarg; break;
		case 'r': rejects = optarg; break;
		case 'q': con.quiet = true; break;
		case 'b':
			if (str_to_int64(optarg, 1, 1000000, &n))
				ret = cli_usage_error(self, "--batch must be 1 to 1000000");
			opt.batch = (int)n;
			break;
		default: ret = cli_usage_error(self, "bad option");
		}
	}
	if (ret)
		goto out;
	if (optind != argc - 1) {
		ret = cli_usage_error(self, "one FILE is required (- for standard input)");
		goto out;
	}
	if (!kind || graph_flow_kind_parse(kind, &opt.kind)) {
		ret = cli_usage_error(self, "--kind must be transfer, call, resolution, contact or chain");
		goto out;
	}
	con.file = argv[optind];
	opt.format = guess_format(con.file);
	if (format && !strcmp(format, "csv"))
		opt.format = GRAPH_IMPORT_CSV;
	else if (format && !strcmp(format, "jsonl"))
		opt.format = GRAPH_IMPORT_JSONL;
	else if (format) {
		ret = cli_usage_error(self, "--format must be csv or jsonl");
		goto out;
	}
	ret = open_files(&con, rejects, &in);
	if (ret)
		goto out;
	audit_event_console(&ev, "flow.import", "import", kind, AUDIT_OK);
	ev.actor = cli_actor();
	opt.ev = &ev;
	opt.name = con.file;
	opt.on_reject = on_reject;
	opt.on_progress = on_progress;
	opt.ctx = &con;
	t0 = clock_mono_ms();
	ret = graph_import(ctx->store, in, &opt, &res, &err);
	if (ret) {
		ret = cli_fail(ret, &err, "import");
		goto out;
	}
	{
		double secs = (double)(clock_mono_ms() - t0) / 1000.0;
		printf("%s: %lld rows: %lld %s flows stored, %lld already stored, %lld rejected; "
		       "%lld new identifiers; %.1f s\n",
			con.file, (long long)res.rows, (long long)res.accepted, kind,
			(long long)res.duplicates, (long long)res.rejected, (long long)res.identifiers,
			secs);
	}
	if (res.rejected) {
		fprintf(stderr, "rootcut: import: %lld of %lld rows rejected%s%s\n",
			(long long)res.rejected, (long long)res.rows, rejects ? "; see " : "",
			rejects ? rejects : "");
		ret = 1;
	}
out:
	if (in && in != stdin)
		fclose(in);
	if (con.rejects && fclose(con.rejects) && !ret) {
		err_set(&err, ERR_IO, "rejects", "cannot write '%s'", rejects);
		ret = cli_fail(ERR_IO, &err, "import");
	}
	graph_import_result_release(&res);
	return ret;
}
