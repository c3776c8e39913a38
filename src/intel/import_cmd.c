/*
 * intel/import_cmd.c - `rootcut import reports FILE`: bulk import from the
 * console (options → struct import_options; rejected rows to stderr and
 * --rejects; a progress bar on a terminal; a summary on stdout).
 * Exit status: 0 when every row was stored or was already stored, 1 when
 * some were rejected, another status when the import could not run.
 */
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "intel/import.h"
#include "store/store.h"

struct console {
	const char *file;
	FILE *rejects;
	uint64_t total;   /* input size in bytes, 0 when unknown */
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

static void on_reject(void *ctx, const struct import_reject *rj)
{
	struct console *con = ctx;

	if (!con->quiet) {
		if (con->total)
			fputc('\r', stderr);
		fprintf(stderr, "rootcut: import: %s:%lld: %s: %s\n", con->file, (long long)rj->line,
			rj->field, rj->reason);
	}
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
		cli_progress("importing (KiB)", (int64_t)(bytes / 1024),
			(int64_t)(con->total / 1024 ? con->total / 1024 : 1));
}

static int guess_format(const char *file, enum import_format *out)
{
	const char *dot = strrchr(file, '.');

	*out = IMPORT_FORMAT_CSV;
	if (dot && !strcasecmp(dot, ".tsv"))
		*out = IMPORT_FORMAT_TSV;
	else if (dot && (!strcasecmp(dot, ".jsonl") || !strcasecmp(dot, ".ndjson") ||
			 !strcasecmp(dot, ".json")))
		*out = IMPORT_FORMAT_JSONL;
	return 0;
}

static int import_reports(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { "format", required_argument, NULL, 'f' },
		{ "encoding", required_argument, NULL, 'e' }, { "map", required_argument, NULL, 'm' },
		{ "set", required_argument, NULL, 's' }, { "agency", required_argument, NULL, 'a' },
		{ "batch", required_argument, NULL, 'b' }, { "rejects", required_argument, NULL, 'r' },
		{ "skip", required_argument, NULL, 'k' }, { "quiet", no_argument, NULL, 'q' },
		{ "columns", required_argument, NULL, 'c' }, { "bulk", no_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 } };
	const struct cli_command *self = cli_find("import");
	struct import_options opt = { 0 };
	struct import_result res = { 0 };
	struct err_msg err = ERR_MSG_INIT;
	struct console con = { 0 };
	struct audit_event ev;
	const char **maps = xcalloc((size_t)argc + 1, sizeof(*maps));
	const char **sets = xcalloc((size_t)argc + 1, sizeof(*sets));
	const char *format = NULL, *agency = NULL, *rejects = NULL;
	FILE *in = NULL;
	struct stat sb;
	int64_t n, t0;
	int o, ret = 0;

	opt.encoding = IMPORT_CSV_UTF8;
	optind = 0;
	while (!ret && (o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'f': format = optarg; break;
		case 'e':
			if (import_encoding_parse(optarg, &opt.encoding))
				ret = cli_usage_error(self, "--encoding must be utf-8 or big5");
			break;
		case 'm': maps[opt.nmap++] = optarg; break;
		case 's': sets[opt.nset++] = optarg; break;
		case 'a': agency = optarg; break;
		case 'B': opt.bulk = true; break;
		case 'b':
			if (str_to_int64(optarg, 1, 1000000, &n))
				ret = cli_usage_error(self, "--batch must be 1 to 1000000");
			opt.batch = (int)n;
			break;
		case 'k':
			if (str_to_int64(optarg, 0, 1000000, &n))
				ret = cli_usage_error(self, "--skip must be a number of lines");
			opt.skip_lines = (int)n;
			break;
		case 'r': rejects = optarg; break;
		case 'c': opt.columns = optarg; break;
		case 'q': con.quiet = true; break;
		default: ret = cli_usage_error(self, "bad option");
		}
	}
	if (ret)
		goto out;
	if (optind != argc - 1) {
		ret = cli_usage_error(self, "one FILE is required (- for standard input)");
		goto out;
	}
	con.file = argv[optind];
	opt.map = maps;
	opt.set = sets;
	guess_format(con.file, &opt.format);
	if (format && import_format_parse(format, &opt.format)) {
		ret = cli_usage_error(self, "--format must be csv, tsv or jsonl");
		goto out;
	}
	in = strcmp(con.file, "-") ? fopen(con.file, "rb") : stdin;
	if (!in) {
		err_set(&err, ERR_IO, "file", "cannot open '%s': %s", con.file, strerror(errno));
		ret = cli_fail(ERR_IO, &err, "import");
		goto out;
	}
	if (!fstat(fileno(in), &sb) && S_ISREG(sb.st_mode))
		con.total = (uint64_t)sb.st_size;
	if (rejects) {
		con.rejects = fopen(rejects, "w");
		if (!con.rejects) {
			err_set(&err, ERR_IO, "rejects", "cannot write '%s': %s", rejects,
				strerror(errno));
			ret = cli_fail(ERR_IO, &err, "import");
			goto out;
		}
		fputs("line,field,reason,raw\r\n", con.rejects);
	}
	if (agency) {
		struct store_conn *c = store_acquire(ctx->store);
		struct agency a;
		int found = agency_find(c, agency, &a);
		store_release(c);
		if (found) {
			err_set(&err, ERR_NOTFOUND, "agency", "no agency '%s'", agency);
			ret = cli_fail(ERR_NOTFOUND, &err, "import");
			goto out;
		}
		opt.agency_id = a.id;
	}
	audit_event_console(&ev, "report.import", "import", NULL, AUDIT_OK);
	ev.actor = cli_actor();
	opt.ev = &ev;
	opt.name = con.file;
	opt.on_reject = on_reject;
	opt.on_progress = on_progress;
	opt.ctx = &con;
	t0 = clock_mono_ms();
	ret = intel_import(ctx->store, in, &opt, &res, &err);
	if (ret) {
		ret = cli_fail(ret, &err, "import");
		goto out;
	}
	{
		double secs = (double)(clock_mono_ms() - t0) / 1000.0;
		printf("%s: %lld rows: %lld stored (%lld linked as likely duplicates), %lld already "
		       "stored, %lld rejected; %.1f s, %.0f rows/s\n",
			con.file, (long long)res.rows, (long long)res.accepted,
			(long long)res.likely_duplicates, (long long)res.duplicates,
			(long long)res.rejected, secs, secs > 0 ? (double)res.rows / secs : 0.0);
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
	import_result_release(&res);
	free(maps);
	free(sets);
	return ret;
}

int cmd_import(struct cli_ctx *ctx)
{
	const char *what = ctx->argc > 1 ? ctx->argv[1] : "";

	if (!strcmp(what, "flows"))
		return graph_cmd_import_flows(ctx, ctx->argc - 1, ctx->argv + 1);
	if (strcmp(what, "reports"))
		return cli_usage_error(cli_find("import"),
			"what to import: 'reports' or 'flows' (got '%s')", what);
	return import_reports(ctx, ctx->argc - 1, ctx->argv + 1);
}
