/*
 * intel/demo_cmd.c - `rootcut demo generate`: write synthetic reports
 * (demo.c) for demonstrations and benchmarks, and with --flows / --answers
 * the flows that fit them and the planted answers (demo_flows.c).
 */
#include <getopt.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/rocdate.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "intel/demo.h"
#include "intel/demo_flows.h"

/* Write len bytes of s to path. Returns 0 or ERR_IO with err. */
static int write_file(const char *path, const char *s, size_t len, struct err_msg *err)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return err_set(err, ERR_IO, "out", "cannot write '%s': %s", path, strerror(errno));
	if (fwrite(s, 1, len, f) != len)
		ret = ERR_IO;
	if (fclose(f))
		ret = ERR_IO;
	return ret ? err_set(err, ret, "out", "cannot write '%s'", path) : 0;
}

/* The flows as DIR/transfers.csv, calls.csv, resolutions.csv, chain.csv; the answers as JSON. */
static int write_flows(const struct demo_options *opt, const char *dir, const char *answers,
	struct err_msg *err)
{
	struct demo_flows f;
	char path[4096];
	int ret = demo_flows_generate(opt, &f);
	const struct {
		const char *name;
		const struct buf *b;
	} files[] = { { "transfers.csv", &f.transfers }, { "calls.csv", &f.calls },
		{ "resolutions.csv", &f.resolutions }, { "chain.csv", &f.chain } };

	if (ret)
		err_set(err, ret, "flows", "cannot generate the flows");
	for (size_t i = 0; dir && !ret && i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		ret = write_file(path, files[i].b->s, files[i].b->len, err);
	}
	if (!ret && answers) {
		char *text = json_dumps(f.answers, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		ret = text ? write_file(answers, text, strlen(text), err)
			   : err_set(err, ERR_NOMEM, "answers", "cannot write the answers");
		free(text);
	}
	demo_flows_release(&f);
	return ret;
}

/* Midnight (Asia/Taipei) that ends today: the default newest report time. */
static int64_t end_of_today(void)
{
	int64_t local = clock_now() + TAIPEI_UTC_OFFSET_S;

	return local - local % 86400 + 86400 - TAIPEI_UTC_OFFSET_S - 1;
}

int cmd_demo(struct cli_ctx *ctx)
{
	static const struct option opts[] = { { "reports", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' }, { "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' }, { "until", required_argument, NULL, 'u' },
		{ "flows", required_argument, NULL, 'F' }, { "answers", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 } };
	const struct cli_command *self = cli_find("demo");
	struct demo_options opt = { 1000, 1, 0, false, NULL };
	struct err_msg err = ERR_MSG_INIT;
	const char *out_path = NULL, *flows_dir = NULL, *answers = NULL;
	FILE *out = stdout;
	int64_t n;
	int o, ret;

	opt.until = end_of_today();
	if (ctx->argc < 2 || strcmp(ctx->argv[1], "generate"))
		return cli_usage_error(self, "unknown or missing subcommand (generate)");
	optind = 0;
	while ((o = getopt_long(ctx->argc - 1, ctx->argv + 1, "", opts, NULL)) != -1) {
		switch (o) {
		case 'n':
			if (str_to_int64(optarg, 0, 100000000, &n))
				return cli_usage_error(self, "--reports must be 0 to 100000000");
			opt.reports = n;
			break;
		case 's':
			if (str_to_int64(optarg, 0, INT64_MAX, &n))
				return cli_usage_error(self, "--seed must be a whole number");
			opt.seed = (uint64_t)n;
			break;
		case 'f':
			if (!strcmp(optarg, "csv"))
				opt.csv = true;
			else if (strcmp(optarg, "jsonl"))
				return cli_usage_error(self, "--format must be jsonl or csv");
			break;
		case 'o': out_path = optarg; break;
		case 'F': flows_dir = optarg; break;
		case 'A': answers = optarg; break;
		case 'u':
			if (rocdate_parse(optarg, &opt.until))
				return cli_usage_error(self, "--until must be a date or time");
			break;
		default: return cli_usage_error(self, "bad option");
		}
	}
	if (optind != ctx->argc - 1)
		return cli_usage_error(self, "unexpected argument '%s'", ctx->argv[optind + 1]);
	if (out_path) {
		out = fopen(out_path, "w");
		if (!out) {
			err_set(&err, ERR_IO, "out", "cannot write '%s': %s", out_path, strerror(errno));
			return cli_fail(ERR_IO, &err, "demo");
		}
	}
	ret = demo_generate(out, &opt);
	if (out == stdout) {
		if (fflush(out) && !ret)
			ret = ERR_IO;
	} else if (fclose(out) && !ret) {
		ret = ERR_IO;
	}
	if (ret) {
		err_set(&err, ret, "out", "cannot write the reports");
		return cli_fail(ret, &err, "demo");
	}
	if (flows_dir || answers) {
		ret = write_flows(&opt, flows_dir, answers, &err);
		if (ret)
			return cli_fail(ret, &err, "demo");
	}
	return 0;
}
