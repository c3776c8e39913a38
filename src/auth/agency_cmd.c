/*
 * auth/agency_cmd.c - `rootcut agency`: the agency directory from the console.
 */
#include <getopt.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "store/store.h"

static int agency_add(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	static const struct option opts[] = { { "name", required_argument, NULL, 'n' },
		{ "name-en", required_argument, NULL, 'e' }, { "code", required_argument, NULL, 'c' },
		{ "kind", required_argument, NULL, 'k' },
		{ "supervisor", required_argument, NULL, 's' }, { NULL, 0, NULL, 0 } };
	struct agency a = { 0 }, sup;
	struct audit_event ev;
	const char *kind = NULL;
	int opt, ret;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'n')
			str_copy(a.name, sizeof(a.name), optarg);
		else if (opt == 'e')
			str_copy(a.name_en, sizeof(a.name_en), optarg);
		else if (opt == 'c')
			str_copy(a.code, sizeof(a.code), optarg);
		else if (opt == 'k')
			kind = optarg;
		else if (opt == 's' && agency_find(c, optarg, &sup))
			return err_set(err, ERR_NOTFOUND, "supervisor", "no agency '%s'", optarg);
		else if (opt == 's')
			a.supervisor_id = sup.id;
		else
			return err_set(err, ERR_INVAL, "option", "bad option");
	}
	if (optind != argc)
		return err_set(err, ERR_INVAL, "arguments", "unexpected '%s'", argv[optind]);
	if (!kind)
		return err_set(err, ERR_INVAL, "kind", "is required");
	if (agency_kind_parse(kind, &a.kind))
		return err_set(err, ERR_INVAL, "kind", "unknown kind '%s'", kind);
	audit_event_console(&ev, "agency.create", "agency", NULL, AUDIT_OK);
	ev.actor = cli_actor();
	ret = agency_create(c, &a, &ev, err);
	if (!ret)
		printf("agency %s created (id %lld)\n", a.code, (long long)a.id);
	return ret;
}

static int agency_print(struct store_conn *c)
{
	static const char *const header[] = { "ID", "CODE", "KIND", "SUPERVISOR", "NAME",
		"ENGLISH NAME" };
	struct agency *list = NULL;
	size_t n = 0;
	int ret = agency_list(c, &list, &n);
	const char **cells;
	char (*ids)[2][24];

	if (ret)
		return ret;
	cells = calloc((n ? n : 1) * 6, sizeof(*cells));
	ids = calloc(n ? n : 1, sizeof(*ids));
	for (size_t i = 0; i < n; i++) {
		snprintf(ids[i][0], 24, "%lld", (long long)list[i].id);
		snprintf(ids[i][1], 24, "%lld", (long long)list[i].supervisor_id);
		cells[i * 6 + 0] = ids[i][0];
		cells[i * 6 + 1] = list[i].code;
		cells[i * 6 + 2] = agency_kind_name(list[i].kind);
		cells[i * 6 + 3] = list[i].supervisor_id ? ids[i][1] : "-";
		cells[i * 6 + 4] = list[i].name;
		cells[i * 6 + 5] = list[i].name_en;
	}
	cli_table(stdout, 6, header, cells, n);
	free(cells);
	free(ids);
	free(list);
	return 0;
}

int cmd_agency(struct cli_ctx *ctx)
{
	const struct cli_command *self = cli_find("agency");
	struct err_msg err = ERR_MSG_INIT;
	struct store_conn *c;
	int ret;

	if (ctx->argc < 2)
		return cli_usage_error(self, "a subcommand is required");
	if (strcmp(ctx->argv[1], "add") && strcmp(ctx->argv[1], "list"))
		return cli_usage_error(self, "unknown subcommand '%s'", ctx->argv[1]);
	c = store_acquire(ctx->store);
	if (!strcmp(ctx->argv[1], "add"))
		ret = agency_add(c, ctx->argc - 1, ctx->argv + 1, &err);
	else
		ret = agency_print(c);
	store_release(c);
	return ret ? cli_fail(ret, &err, "agency") : 0;
}
