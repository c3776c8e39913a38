/*
 * rpz/rpz_cmd.c - `rootcut passthru` (the never-block list) and `rootcut rpz`
 * (the zones as published: list, history by serial, export as a zone file,
 * and applying due starts and expiries now). Logic in passthru.c,
 * history.c, export.c and expiry.c.
 *
 * `rpz verify` belongs to dns/ (it asks a resolver): dns/verify_cmd.c.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "dns/verify.h"
#include "rpz/rpz.h"
#include "rpz/zone_store.h"
#include "store/store.h"

static int passthru_add(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	static const struct option opts[] = { { "reason", required_argument, NULL, 'r' },
		{ "no-subdomains", no_argument, NULL, 'S' }, { NULL, 0, NULL, 0 } };
	const char *reason = NULL;
	struct rpz_passthru p;
	struct audit_event ev;
	bool subdomains = true;
	int opt, ret;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'r')
			reason = optarg;
		else if (opt == 'S')
			subdomains = false;
		else
			return err_set(err, ERR_INVAL, "option", "bad option");
	}
	if (optind >= argc)
		return err_set(err, ERR_INVAL, "domain", "a domain is required");
	audit_event_console(&ev, "passthru.add", "passthru", NULL, AUDIT_OK);
	ev.actor = cli_actor();
	ret = rpz_passthru_add(c, argv[optind], subdomains, reason, &ev, &p, err);
	if (!ret)
		printf("passthru %lld: %s%s\n", (long long)p.id, p.domain,
			p.subdomains ? " and its subdomains" : "");
	return ret;
}

static int passthru_list(struct store_conn *c)
{
	static const char *const header[] = { "id", "domain", "subdomains", "reason", "by",
		"since" };
	struct rpz_passthru *v = NULL;
	const char **cells;
	char (*ids)[24];
	size_t n = 0;
	int ret = rpz_passthru_list(c, &v, &n);

	if (ret)
		return ret;
	cells = xcalloc(n * 6 + 1, sizeof(*cells));
	ids = xcalloc(n + 1, sizeof(*ids));
	for (size_t i = 0; i < n; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%lld", (long long)v[i].id);
		cells[i * 6 + 0] = ids[i];
		cells[i * 6 + 1] = v[i].domain;
		cells[i * 6 + 2] = v[i].subdomains ? "yes" : "no";
		cells[i * 6 + 3] = v[i].reason;
		cells[i * 6 + 4] = v[i].created_by;
		cells[i * 6 + 5] = v[i].created_at;
	}
	cli_table(stdout, 6, header, cells, n);
	free(cells);
	free(ids);
	free(v);
	return 0;
}

int cmd_passthru(struct cli_ctx *ctx)
{
	const struct cli_command *self = cli_find("passthru");
	struct err_msg err = ERR_MSG_INIT;
	struct audit_event ev;
	struct store_conn *c;
	const char *sub = ctx->argc > 1 ? ctx->argv[1] : "";
	int ret;

	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "remove"))
		return cli_usage_error(self, "add, list or remove");
	if (strcmp(sub, "remove") == 0 && ctx->argc != 3)
		return cli_usage_error(self, "remove takes one DOMAIN");
	c = store_acquire(ctx->store);
	if (strcmp(sub, "add") == 0) {
		ret = passthru_add(c, ctx->argc - 1, ctx->argv + 1, &err);
	} else if (strcmp(sub, "list") == 0) {
		ret = passthru_list(c);
	} else {
		audit_event_console(&ev, "passthru.remove", "passthru", NULL, AUDIT_OK);
	ev.actor = cli_actor();
		ret = rpz_passthru_remove(c, 0, ctx->argv[2], &ev, &err);
		if (!ret)
			printf("removed %s from the passthru list\n", ctx->argv[2]);
	}
	store_release(c);
	return ret ? cli_fail(ret, &err, "passthru") : 0;
}

static int rpz_zones(struct store_conn *c, struct err_msg *err)
{
	static const char *const header[] = { "zone", "serial", "rules", "refresh", "changed" };
	struct rpz_zone_info *z = NULL;
	char (*num)[4][32];
	const char **cells;
	size_t n = 0;
	int ret = rpz_zone_list(c, &z, &n, err);

	if (ret)
		return ret;
	cells = xcalloc(n * 5 + 1, sizeof(*cells));
	num = xcalloc(n + 1, sizeof(*num));
	for (size_t i = 0; i < n; i++) {
		snprintf(num[i][0], sizeof(num[i][0]), "%u", z[i].serial);
		snprintf(num[i][1], sizeof(num[i][1]), "%zu", z[i].records);
		snprintf(num[i][2], sizeof(num[i][2]), "%u", z[i].refresh);
		cells[i * 5 + 0] = z[i].name;
		cells[i * 5 + 1] = num[i][0];
		cells[i * 5 + 2] = num[i][1];
		cells[i * 5 + 3] = num[i][2];
		clock_format_iso_s(z[i].changed_at, num[i][3], sizeof(num[i][3]));
		cells[i * 5 + 4] = num[i][3];
	}
	cli_table(stdout, 5, header, cells, n);
	free(cells);
	free(num);
	free(z);
	return 0;
}

static int rpz_history_cmd(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	struct rpz_history_entry *h = NULL;
	size_t n = 0;
	int ret;

	if (argc < 2)
		return err_set(err, ERR_INVAL, "zone", "a ZONE is required");
	ret = rpz_history(c, argv[1], 1000, &h, &n, err);
	if (ret)
		return ret;
	printf("%-10s %-20s %8s %8s  %s\n", "serial", "changed", "added", "deleted", "reason");
	for (size_t i = 0; i < n; i++)
		printf("%-10u %-20s %8lld %8lld  %s\n", h[i].serial, h[i].changed_at,
			(long long)h[i].added, (long long)h[i].deleted, h[i].reason);
	free(h);
	return 0;
}

static int rpz_export_cmd(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	static const struct option opts[] = { { "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 } };
	const char *path = NULL, *zone = NULL;
	char tmp[1024];
	FILE *f = stdout;
	int opt, ret;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'o')
			path = optarg;
		else
			return err_set(err, ERR_INVAL, "option", "bad option");
	}
	if (optind < argc)
		zone = argv[optind];
	if (path) {
		snprintf(tmp, sizeof(tmp), "%s.tmp", path);
		f = fopen(tmp, "w");
		if (!f)
			return err_set(err, ERR_IO, "out", "cannot write '%s': %s", tmp, strerror(errno));
	}
	ret = rpz_export(c, zone, f, err);
	if (path) {
		if (fclose(f) && !ret)
			ret = err_set(err, ERR_IO, "out", "cannot write '%s'", tmp);
		if (!ret && rename(tmp, path))
			ret = err_set(err, ERR_IO, "out", "cannot rename to '%s': %s", path,
				strerror(errno));
		if (ret)
			remove(tmp);
	}
	return ret;
}

static int rpz_apply_due(struct store_conn *c, struct err_msg *err)
{
	char when[32] = "nothing scheduled";
	int64_t next = 0;
	int applied = 0;
	int ret = rpz_due_apply(c, clock_now(), &next, &applied, err);

	if (ret)
		return ret;
	if (next)
		clock_format_iso_s(next, when, sizeof(when));
	printf("%d order(s) started or expired; next due: %s\n", applied, when);
	return 0;
}

int cmd_rpz(struct cli_ctx *ctx)
{
	const struct cli_command *self = cli_find("rpz");
	struct err_msg err = ERR_MSG_INIT;
	struct store_conn *c;
	const char *sub = ctx->argc > 1 ? ctx->argv[1] : "";
	int ret;

	if (strcmp(sub, "verify") == 0)
		return dns_verify_cmd(ctx, ctx->argc - 1, ctx->argv + 1);
	if (strcmp(sub, "zones") && strcmp(sub, "history") && strcmp(sub, "export") &&
		strcmp(sub, "apply-due"))
		return cli_usage_error(self, "unknown subcommand '%s'", sub);
	c = store_acquire(ctx->store);
	if (strcmp(sub, "zones") == 0)
		ret = rpz_zones(c, &err);
	else if (strcmp(sub, "history") == 0)
		ret = rpz_history_cmd(c, ctx->argc - 1, ctx->argv + 1, &err);
	else if (strcmp(sub, "export") == 0)
		ret = rpz_export_cmd(c, ctx->argc - 1, ctx->argv + 1, &err);
	else
		ret = rpz_apply_due(c, &err);
	store_release(c);
	return ret ? cli_fail(ret, &err, "rpz") : 0;
}
