/*
 * cli/main.c - the rootcut program: global options, then one subcommand from
 * the table in commands.c, prepared according to its flags.
 *
 *   rootcut [--data DIR] [--config FILE] <command> [options]
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "cli/cli.h"
#include "intel/intel.h"
#include "rpz/rpz.h"
#include "store/store.h"

static const char usage[] =
	"usage: rootcut [--data DIR] [--config FILE] <command> [options]\n"
	"\n"
	"rootcut - the national cybercrime coordination platform (查緝資通犯罪督導平台)\n"
	"\n"
	"global options:\n"
	"  --data DIR     data directory (default ./data, env ROOTCUT_DATA)\n"
	"  --config FILE  configuration file (default DIR/rootcut.conf if present, env ROOTCUT_CONFIG)\n"
	"  --help         this help; `rootcut <command> --help` for a command\n"
	"  --version      print the version\n"
	"\n"
	"commands:\n";

static void print_usage(FILE *out)
{
	size_t n;
	const struct cli_command *cmds = cli_commands(&n);

	fputs(usage, out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-9s %s\n", cmds[i].name, cmds[i].summary);
}

static int load_config(struct cli_ctx *ctx)
{
	struct err_msg err = ERR_MSG_INIT;
	char path[1024];
	enum log_level level;
	int ret;

	config_defaults(&ctx->cfg);
	if (ctx->config_path) {
		ret = config_load(&ctx->cfg, ctx->config_path, true, &err);
	} else {
		snprintf(path, sizeof(path), "%s/rootcut.conf", ctx->data_dir);
		ret = config_load(&ctx->cfg, path, false, &err);
	}
	if (ret)
		return cli_fail(ret, &err, "configuration");
	if (log_level_parse(ctx->cfg.log_level, &level)) {
		err_set(&err, ERR_INVAL, "log_level", "'%s' is not debug, info, warn or error",
			ctx->cfg.log_level);
		return cli_fail(ERR_INVAL, &err, "configuration");
	}
	log_set_level(level);
	auth_configure(&ctx->cfg);
	intel_configure(&ctx->cfg);
	rpz_configure(&ctx->cfg);
	return 0;
}

static int open_store(struct cli_ctx *ctx, bool create)
{
	struct store_options opt = STORE_OPTIONS_DEFAULT;
	struct err_msg err = ERR_MSG_INIT;
	const struct store_module_schema *schemas;
	struct store_conn *c;
	char path[1024];
	size_t n;
	int64_t threads = ctx->cfg.threads ? ctx->cfg.threads : sysconf(_SC_NPROCESSORS_ONLN);
	int ret;

	if (create && mkdir(ctx->data_dir, 0700) && errno != EEXIST) {
		err_set(&err, ERR_IO, "data", "cannot create '%s': %s", ctx->data_dir, strerror(errno));
		return cli_fail(ERR_IO, &err, "data directory");
	}
	snprintf(path, sizeof(path), "%s/rootcut.db", ctx->data_dir);
	if (!create && access(path, F_OK)) {
		err_set(&err, ERR_NOTFOUND, "data", "no database at '%s'; run `rootcut init` first",
			path);
		return cli_fail(ERR_NOTFOUND, &err, "data directory");
	}
	opt.pool_size = (int)(ctx->cfg.db_pool_size ? ctx->cfg.db_pool_size : threads + 2);
	opt.synchronous_full = ctx->cfg.db_synchronous_full;
	ret = store_open(path, &opt, &ctx->store, &err);
	if (!ret) {
		c = store_acquire(ctx->store);
		schemas = cli_schemas(&n);
		ret = store_migrate(c, schemas, n, &err);
		if (!ret)
			ret = audit_open(c, ctx->data_dir, create, &err);
		rpz_set_state_dir(ctx->data_dir);
		if (!ret)
			ret = rpz_zones_sync(c, &err);
		store_release(c);
	}
	if (ret)
		return cli_fail(ret, &err, "database");
	return 0;
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = { 0 };
	const struct cli_command *cmd;
	int i = 1;
	int status;

	/* The database, backups and keys hold secrets: nothing rootcut creates is world-readable. */
	umask(077);
	clock_init_from_env();
	ctx.data_dir = getenv("ROOTCUT_DATA") ? getenv("ROOTCUT_DATA") : "data";
	ctx.config_path = getenv("ROOTCUT_CONFIG");
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--data") && i + 1 < argc) {
			ctx.data_dir = argv[++i];
		} else if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			ctx.config_path = argv[++i];
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			argv[i] = "version";
			break;
		} else {
			fprintf(stderr, "rootcut: unknown option '%s'\n", argv[i]);
			print_usage(stderr);
			return 2;
		}
	}
	if (i == argc) {
		print_usage(stderr);
		return 2;
	}
	cmd = cli_find(argv[i]);
	if (!cmd) {
		fprintf(stderr, "rootcut: '%s' is not a command (see `rootcut --help`)\n", argv[i]);
		return 2;
	}
	ctx.argc = argc - i;
	ctx.argv = argv + i;
	if (cli_wants_help(&ctx, cmd))
		return 0;
	status = (cmd->flags & (CLI_CONFIG | CLI_STORE)) ? load_config(&ctx) : 0;
	if (!status && (cmd->flags & CLI_STORE))
		status = open_store(&ctx, (cmd->flags & CLI_CREATE) != 0);
	if (!status)
		status = cmd->run(&ctx);
	store_close(ctx.store);
	return status;
}
