/*
 * cli/info_cmd.c - `rootcut version`, `rootcut config` and `rootcut routes`:
 * what this binary is, how it is configured, and who may call which endpoint.
 */
#include <jansson.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <string.h>

#include "auth/auth.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "http/http.h"

int cmd_version(struct cli_ctx *ctx)
{
	(void)ctx;
	printf("rootcut %s (%s)\n", ROOTCUT_VERSION, ROOTCUT_REV);
	printf("sqlite %s, libmicrohttpd %s, jansson %s, %s\n", sqlite3_libversion(),
		MHD_get_version(), JANSSON_VERSION, OpenSSL_version(OPENSSL_VERSION));
	return 0;
}

int cmd_config(struct cli_ctx *ctx)
{
	if (ctx->argc > 1 && !strcmp(ctx->argv[1], "--reference")) {
		config_print_reference(stdout, false);
	} else if (ctx->argc > 1 && !strcmp(ctx->argv[1], "--markdown")) {
		config_print_reference(stdout, true);
	} else if (ctx->argc > 1) {
		return cli_usage_error(cli_find("config"), "unknown option '%s'", ctx->argv[1]);
	} else {
		if (ctx->cfg.path[0])
			printf("# read from %s\n", ctx->cfg.path);
		config_print_effective(&ctx->cfg, stdout);
	}
	return 0;
}

static const char *reach_name(enum auth_reach r)
{
	static const char *const names[] = { "none", "self", "agency", "all" };
	return names[r];
}

int cmd_routes(struct cli_ctx *ctx)
{
	size_t ntables, nrows;
	const struct http_route_table *tables = cli_route_tables(&ntables);
	const struct auth_policy *rows = auth_policy_rows(&nrows);

	(void)ctx;
	for (size_t t = 0; t < ntables; t++) {
		for (size_t i = 0; i < tables[t].count; i++) {
			const struct http_route *r = &tables[t].routes[i];
			printf("%-6s %-34s %s\n", r->method, r->pattern, tables[t].module);
			for (size_t j = 0; j < nrows; j++) {
				char roles[256], scopes[128];
				if (strcmp(rows[j].method, r->method) || strcmp(rows[j].pattern, r->pattern))
					continue;
				if (rows[j].public_route) {
					printf("       public (no sign-in)\n");
					continue;
				}
				auth_roles_format(rows[j].roles, roles, sizeof(roles));
				auth_scopes_format(rows[j].scope, scopes, sizeof(scopes));
				printf("       roles %s; token scope %s; reach %s\n",
					rows[j].roles == ROLE_ALL ? "any" : roles, scopes,
					reach_name(rows[j].reach));
			}
		}
	}
	return 0;
}
