/*
 * intel/listing_cmd.c - `rootcut warning` (the warning list) and `rootcut
 * dispute` (owners' disputes of a listing) from the console. Changes are
 * audited as "console:<os user>"; logic in listing.c.
 */
#include <getopt.h>
#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "intel/intel.h"
#include "store/store.h"

/* A single --NAME TEXT option (reason, note, type, status) among the arguments. */
static int one_option(int argc, char **argv, const char *name, const char **value,
	struct err_msg *err)
{
	const struct option opts[] = { { name, required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 } };
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt != 'x')
			return err_set(err, ERR_INVAL, "option", "unknown option '%s' (only --%s)",
				argv[optind - 1], name);
		*value = optarg;
	}
	return 0;
}

static int warning_list(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	static const char *const header[] = { "ID", "TYPE", "VALUE", "REASON", "BY", "ADDED" };
	struct intel_warning_entry *list = NULL;
	const char *type_name = NULL;
	const char **cells = NULL;
	enum ident_type type = 0;
	size_t n = 0;
	char (*ids)[24] = NULL;
	int ret = one_option(argc, argv, "type", &type_name, err);

	if (!ret && type_name && ident_type_parse(type_name, &type))
		ret = err_set(err, ERR_INVAL, "type", "unknown identifier type '%s'", type_name);
	if (!ret && optind != argc)
		ret = err_set(err, ERR_INVAL, "arguments", "usage: warning list [--type TYPE]");
	if (!ret)
		ret = intel_warning_entries(c, type, &list, &n);
	if (ret)
		return ret;
	cells = xcalloc(n ? n * 6 : 1, sizeof(*cells));
	ids = xcalloc(n ? n : 1, sizeof(*ids));
	for (size_t i = 0; i < n; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%lld", (long long)list[i].id);
		cells[i * 6 + 0] = ids[i];
		cells[i * 6 + 1] = list[i].type;
		cells[i * 6 + 2] = list[i].value;
		cells[i * 6 + 3] = list[i].reason;
		cells[i * 6 + 4] = list[i].created_by_name[0] ? list[i].created_by_name : "-";
		cells[i * 6 + 5] = list[i].created_at;
	}
	cli_table(stdout, 6, header, cells, n);
	free(cells);
	free(ids);
	free(list);
	return 0;
}

static int warning_add(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	struct intel_warning_entry *e = NULL;
	const char *reason = NULL;
	enum ident_type type = 0;
	struct audit_event ev;
	struct ident id;
	int ret = one_option(argc, argv, "reason", &reason, err);

	if (ret)
		return ret;
	if (optind + 2 != argc)
		return err_set(err, ERR_INVAL, "arguments",
			"usage: warning add TYPE VALUE --reason TEXT");
	if (strcmp(argv[optind], "auto") && ident_type_parse(argv[optind], &type))
		return err_set(err, ERR_INVAL, "type", "unknown identifier type '%s'", argv[optind]);
	ret = type ? ident_parse(&id, type, argv[optind + 1], strlen(argv[optind + 1]), err)
		   : ident_detect(&id, argv[optind + 1], strlen(argv[optind + 1]), err);
	if (ret) {
		str_copy(err->field, sizeof(err->field), "value");
		return ERR_INVAL;
	}
	if (!reason)
		return err_set(err, ERR_INVAL, "reason", "is required (--reason TEXT)");
	e = xmalloc(sizeof(*e));
	audit_event_console(&ev, "warning.add", "warning_list", NULL, AUDIT_OK);
	ev.actor = cli_actor();
	ret = intel_warning_add_entry(c, &id, reason, 0, &ev, e, err);
	if (!ret)
		printf("warning-list entry %lld: %s %s (never correlates)\n", (long long)e->id,
			e->type, id.display);
	free(e);
	return ret;
}

static int warning_remove(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	struct audit_event ev;
	int64_t id;
	int ret;

	if (argc != 2 || str_to_int64(argv[1], 1, INT64_MAX, &id))
		return err_set(err, ERR_INVAL, "id", "usage: warning remove ID");
	audit_event_console(&ev, "warning.remove", "warning_list", NULL, AUDIT_OK);
	ev.actor = cli_actor();
	ret = intel_warning_remove_entry(c, id, &ev, err);
	if (!ret)
		printf("warning-list entry %lld removed\n", (long long)id);
	return ret;
}

int cmd_warning(struct cli_ctx *ctx)
{
	const struct cli_command *self = cli_find("warning");
	struct err_msg err = ERR_MSG_INIT;
	const char *sub = ctx->argc > 1 ? ctx->argv[1] : "";
	struct store_conn *c;
	int ret;

	if (strcmp(sub, "list") && strcmp(sub, "add") && strcmp(sub, "remove"))
		return cli_usage_error(self, "unknown or missing subcommand '%s'", sub);
	c = store_acquire(ctx->store);
	if (!strcmp(sub, "list"))
		ret = warning_list(c, ctx->argc - 1, ctx->argv + 1, &err);
	else if (!strcmp(sub, "add"))
		ret = warning_add(c, ctx->argc - 1, ctx->argv + 1, &err);
	else
		ret = warning_remove(c, ctx->argc - 1, ctx->argv + 1, &err);
	store_release(c);
	return ret ? cli_fail(ret, &err, "warning") : 0;
}

static int dispute_list(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	static const char *const header[] = { "ID", "STATUS", "TYPE", "VALUE", "CLAIMANT",
		"CONTACT", "BY", "FILED", "REASON" };
	struct intel_dispute *list = NULL;
	const char *status = NULL;
	struct audit_event ev;
	const char **cells = NULL;
	char (*ids)[24] = NULL;
	size_t n = 0;
	int ret = one_option(argc, argv, "status", &status, err);

	if (!ret && status && strcmp(status, "open") && strcmp(status, "upheld") &&
		strcmp(status, "rejected"))
		ret = err_set(err, ERR_INVAL, "status", "must be open, upheld or rejected");
	if (!ret && optind != argc)
		ret = err_set(err, ERR_INVAL, "arguments", "usage: dispute list [--status STATUS]");
	if (!ret)
		ret = intel_dispute_list(c, 0, status, &list, &n);
	if (ret)
		return ret;
	/* Claimants and their contacts are personal data: reading them is audited. */
	audit_event_console(&ev, "dispute.list", "dispute", NULL, AUDIT_OK);
	ev.actor = cli_actor();
	audit_append_now(c, &ev);
	cells = xcalloc(n ? n * 9 : 1, sizeof(*cells));
	ids = xcalloc(n ? n : 1, sizeof(*ids));
	for (size_t i = 0; i < n; i++) {
		const char **row = &cells[i * 9];
		snprintf(ids[i], sizeof(ids[i]), "%lld", (long long)list[i].id);
		row[0] = ids[i];
		row[1] = list[i].status;
		row[2] = list[i].type;
		row[3] = list[i].display;
		row[4] = list[i].claimant;
		row[5] = list[i].contact[0] ? list[i].contact : "-";
		row[6] = list[i].submitter;
		row[7] = list[i].created_at;
		row[8] = list[i].reason;
	}
	cli_table(stdout, 9, header, cells, n);
	free(cells);
	free(ids);
	free(list);
	return 0;
}

static int dispute_decide(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	const char *note = NULL;
	struct audit_event ev;
	int64_t id;
	int ret = one_option(argc, argv, "note", &note, err);

	if (ret)
		return ret;
	if (optind + 2 != argc || str_to_int64(argv[optind], 1, INT64_MAX, &id))
		return err_set(err, ERR_INVAL, "arguments",
			"usage: dispute decide ID upheld|rejected [--note TEXT]");
	audit_event_console(&ev, "dispute.decide", "dispute", NULL, AUDIT_OK);
	ev.actor = cli_actor();
	ret = intel_dispute_decide(c, id, 0, argv[optind + 1], note, &ev, err);
	if (!ret)
		printf("dispute %lld %s%s; the submitter is notified\n", (long long)id,
			argv[optind + 1],
			!strcmp(argv[optind + 1], "upheld") ? ": the lookup now answers none" : "");
	return ret;
}

int cmd_dispute(struct cli_ctx *ctx)
{
	const struct cli_command *self = cli_find("dispute");
	struct err_msg err = ERR_MSG_INIT;
	const char *sub = ctx->argc > 1 ? ctx->argv[1] : "";
	struct store_conn *c;
	int ret;

	if (strcmp(sub, "list") && strcmp(sub, "decide"))
		return cli_usage_error(self, "unknown or missing subcommand '%s'", sub);
	c = store_acquire(ctx->store);
	if (!strcmp(sub, "list"))
		ret = dispute_list(c, ctx->argc - 1, ctx->argv + 1, &err);
	else
		ret = dispute_decide(c, ctx->argc - 1, ctx->argv + 1, &err);
	store_release(c);
	return ret ? cli_fail(ret, &err, "dispute") : 0;
}
