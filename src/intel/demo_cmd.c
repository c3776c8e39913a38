/*
 * intel/demo_cmd.c - `rootcut demo generate`: write synthetic reports
 * (demo.c) for demonstrations and benchmarks.
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
		{ NULL, 0, NULL, 0 } };
	const struct cli_command *self = cli_find("demo");
	struct demo_options opt = { 1000, 1, 0, false };
	struct err_msg err = ERR_MSG_INIT;
	const char *out_path = NULL;
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
	return 0;
}
