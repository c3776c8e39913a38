/*
 * intel/demo_cmd.c - `rootcut demo generate`: synthetic reports (demo.c).
 */
#include "cli/cli.h"
#include "cli/commands.h"

int cmd_demo(struct cli_ctx *ctx)
{
	return cli_usage_error(cli_find("demo"), "not yet");
	(void)ctx;
}
