/*
 * audit/audit_cmd.c - `rootcut audit verify` and `rootcut audit list`.
 */
#include <getopt.h>
#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "store/store.h"

static void progress(int64_t done, int64_t total)
{
	cli_progress("verifying", done, total);
}

static int audit_verify_cmd(struct store_conn *c)
{
	struct audit_verify_result res;
	int ret = audit_verify(c, &res, progress);

	if (ret == ERR_CONFLICT) {
		/* An event found bad while walking the chain; else the head or a checkpoint. */
		if (res.bad_id) {
			fprintf(stderr,
				"rootcut: audit verify: TAMPERED at event seq %lld (row id %lld): %s\n",
				(long long)res.bad_seq, (long long)res.bad_id, res.reason);
			fprintf(stderr, "%lld events before it are intact\n", (long long)res.events);
		} else {
			fprintf(stderr, "rootcut: audit verify: TAMPERED: %s\n", res.reason);
		}
		return err_exit_code(ERR_CONFLICT);
	}
	if (ret)
		return cli_fail(ret, NULL, "audit verify");
	printf("audit log intact: %lld events, chain and head verified\n", (long long)res.events);
	return 0;
}

static int audit_list_cmd(struct store_conn *c, int argc, char **argv)
{
	static const struct option opts[] = { { "limit", required_argument, NULL, 'l' },
		{ "actor", required_argument, NULL, 'a' }, { "action", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 } };
	const char *actor = NULL, *action = NULL;
	struct store_stmt *st;
	int64_t limit = 50;
	int opt, ret;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'l' && str_to_int64(optarg, 1, 100000, &limit))
			return cli_usage_error(cli_find("audit"), "--limit must be 1 to 100000");
		else if (opt == 'a')
			actor = optarg;
		else if (opt == 'x')
			action = optarg;
		else if (opt == '?')
			return cli_usage_error(cli_find("audit"), "bad option");
	}
	ret = store_query(c, &st,
		"SELECT seq, at, actor, action, object_type, object_id, source, outcome, detail"
		" FROM audit_events WHERE (? IS NULL OR actor = ?) AND (? IS NULL OR action = ?)"
		" ORDER BY seq DESC LIMIT ?",
		"ttt" "ti", actor, actor, action, action, limit);
	if (ret)
		return cli_fail(ret, NULL, "audit list");
	while ((ret = store_step(st)) == STORE_ROW)
		printf("%6lld %s %-22s %-22s %s:%s %s %s %s\n", (long long)store_col_int64(st, 0),
			store_col_text(st, 1), store_col_text(st, 2), store_col_text(st, 3),
			store_col_text(st, 4), store_col_text(st, 5), store_col_text(st, 6),
			store_col_text(st, 7), store_col_text(st, 8));
	store_finish(st);
	return ret < 0 ? cli_fail(ret, NULL, "audit list") : 0;
}

int cmd_audit(struct cli_ctx *ctx)
{
	const struct cli_command *self = cli_find("audit");
	const char *sub = ctx->argc > 1 ? ctx->argv[1] : "";
	struct store_conn *c;
	int status;

	if (strcmp(sub, "verify") && strcmp(sub, "list"))
		return cli_usage_error(self, "unknown or missing subcommand '%s'", sub);
	c = store_acquire(ctx->store);
	status = !strcmp(sub, "verify") ? audit_verify_cmd(c)
					: audit_list_cmd(c, ctx->argc - 1, ctx->argv + 1);
	store_release(c);
	return status;
}
