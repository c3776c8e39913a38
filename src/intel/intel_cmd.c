/*
 * intel/intel_cmd.c - `rootcut lookup`, `rootcut ident`, `rootcut report`
 * and `rootcut case`: the anti-fraud database from the console. Console
 * actions are audited as "console:<os user>".
 */
#include <getopt.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/rocdate.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "intel/intel.h"
#include "store/store.h"

static int parse_ident(const char *type_name, const char *value, struct ident *id,
	struct err_msg *err)
{
	enum ident_type type = 0;

	if (strcmp(type_name, "auto") && ident_type_parse(type_name, &type))
		return err_set(err, ERR_INVAL, "type", "unknown identifier type '%s'", type_name);
	return type ? ident_parse(id, type, value, strlen(value), err)
		    : ident_detect(id, value, strlen(value), err);
}

int cmd_ident(struct cli_ctx *ctx)
{
	struct err_msg err = ERR_MSG_INIT;
	struct ident id, related[4];
	char line[2048];
	size_t n;

	if (ctx->argc != 3)
		return cli_usage_error(cli_find("ident"), "TYPE and VALUE are required");
	if (parse_ident(ctx->argv[1], ctx->argv[2], &id, &err))
		return cli_fail(ERR_INVAL, &err, "ident");
	ident_describe(&id, line, sizeof(line));
	printf("%s\n", line);
	n = ident_related(&id, related, 4);
	for (size_t i = 0; i < n; i++) {
		ident_describe(&related[i], line, sizeof(line));
		printf("  related: %s\n", line);
	}
	return 0;
}

int cmd_lookup(struct cli_ctx *ctx)
{
	struct err_msg err = ERR_MSG_INIT;
	struct intel_lookup_result r;
	struct store_conn *c;
	struct ident id;
	int ret;

	if (ctx->argc != 3)
		return cli_usage_error(cli_find("lookup"), "TYPE and VALUE are required");
	if (parse_ident(ctx->argv[1], ctx->argv[2], &id, &err))
		return cli_fail(ERR_INVAL, &err, "lookup");
	c = store_acquire(ctx->store);
	ret = intel_lookup(c, &id, &r, &err);
	store_release(c);
	if (ret)
		return cli_fail(ret, &err, "lookup");
	printf("%s %s\nrisk: %s%s%s\n", ident_type_name(id.type), id.display, r.risk,
		r.aged_out ? " (reported, but not within lookup_report_ttl_days)" : "",
		r.warning_list ? " (on the warning list)" : "");
	if (strcmp(r.risk, "none"))
		printf("reports: %lld\nfirst seen: %s\nlast seen: %s\n", (long long)r.report_count,
			r.first_seen, r.last_seen);
	return 0;
}

static int resolve_agency(struct store_conn *c, const char *key, int64_t *id, struct err_msg *err)
{
	struct agency a;

	if (agency_find(c, key, &a))
		return err_set(err, ERR_NOTFOUND, "agency", "no agency '%s'", key);
	*id = a.id;
	return 0;
}

/* --ident TYPE:ROLE=VALUE (TYPE may be "auto") */
static int add_ident_arg(struct intel_report *r, const char *arg, struct err_msg *err)
{
	char type[32] = "", role[32] = "";
	const char *colon = strchr(arg, ':'), *eq = strchr(arg, '=');
	enum ident_type t = 0;

	if (!colon || !eq || colon > eq || (size_t)(colon - arg) >= sizeof(type) ||
		(size_t)(eq - colon - 1) >= sizeof(role))
		return err_set(err, ERR_INVAL, "ident", "'%s' is not TYPE:ROLE=VALUE", arg);
	memcpy(type, arg, (size_t)(colon - arg));
	memcpy(role, colon + 1, (size_t)(eq - colon - 1));
	if (strcmp(type, "auto") && ident_type_parse(type, &t))
		return err_set(err, ERR_INVAL, "ident", "unknown identifier type '%s'", type);
	return intel_report_add_ident(r, t, eq + 1, role, "ident", err);
}

static int time_arg(const char *s, const char *field, int64_t *out, struct err_msg *err)
{
	if (rocdate_parse(s, out))
		return err_set(err, ERR_INVAL, field, "'%s' is not a date or time", s);
	return 0;
}

static int report_add(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	static const struct option opts[] = { { "agency", required_argument, NULL, 'a' },
		{ "channel", required_argument, NULL, 'c' }, { "crime-type", required_argument, NULL, 't' },
		{ "occurred", required_argument, NULL, 'o' }, { "reported", required_argument, NULL, 'r' },
		{ "loss", required_argument, NULL, 'l' }, { "payment", required_argument, NULL, 'p' },
		{ "victim", required_argument, NULL, 'v' }, { "narrative", required_argument, NULL, 'n' },
		{ "ident", required_argument, NULL, 'i' }, { "source-ref", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 } };
	struct intel_report r = { 0 };
	struct audit_event ev;
	const char *agency = NULL;
	int opt, ret = 0;

	r.reported_at = clock_now();
	str_copy(r.victim_kind, sizeof(r.victim_kind), "individual");
	optind = 0;
	while (!ret && (opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'a': agency = optarg; break;
		case 'c': str_copy(r.channel, sizeof(r.channel), optarg); break;
		case 't': str_copy(r.crime_type, sizeof(r.crime_type), optarg); break;
		case 'o': ret = time_arg(optarg, "occurred", &r.occurred_at, err); break;
		case 'r': ret = time_arg(optarg, "reported", &r.reported_at, err); break;
		case 'l':
			if (str_to_int64(optarg, 0, INT64_MAX / 4, &r.loss_twd))
				ret = err_set(err, ERR_INVAL, "loss", "'%s' is not an amount in TWD", optarg);
			break;
		case 'p': str_copy(r.payment_method, sizeof(r.payment_method), optarg); break;
		case 'v': str_copy(r.victim_kind, sizeof(r.victim_kind), optarg); break;
		case 'n': free(r.narrative); r.narrative = strdup(optarg); break;
		case 'i': ret = add_ident_arg(&r, optarg, err); break;
		case 's': str_copy(r.source_ref, sizeof(r.source_ref), optarg); break;
		default: ret = err_set(err, ERR_INVAL, "option", "bad option");
		}
	}
	if (!ret && !agency)
		ret = err_set(err, ERR_INVAL, "agency", "is required");
	if (!ret)
		ret = resolve_agency(c, agency, &r.agency_id, err);
	audit_event_console(&ev, "report.create", "report", NULL, AUDIT_OK);
	ev.actor = cli_actor();
	if (!ret)
		ret = intel_report_create(c, &r, &ev, err);
	if (!ret)
		printf("report %lld stored%s\n", (long long)r.id,
			r.duplicate_of ? " (a likely duplicate: not counted again)" : "");
	intel_report_release(&r);
	return ret;
}

static int report_show(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	struct intel_report r;
	struct audit_event ev;
	char occurred[32], reported[32];
	int64_t id;
	int ret;

	if (argc != 2 || str_to_int64(argv[1], 1, INT64_MAX, &id))
		return err_set(err, ERR_INVAL, "id", "usage: report show ID");
	ret = intel_report_get(c, id, &r);
	if (ret)
		return err_set(err, ret, "id", "no report %lld", (long long)id);
	audit_event_console(&ev, "report.read", "report", argv[1], AUDIT_OK);
	ev.actor = cli_actor();
	audit_append_now(c, &ev);
	clock_format_iso_s(r.occurred_at, occurred, sizeof(occurred));
	clock_format_iso_s(r.reported_at, reported, sizeof(reported));
	printf("report %lld (agency %lld, channel %s)\ncrime type: %s\noccurred: %s\nreported: %s\n"
	       "loss: %lld TWD\ncase: %lld\nduplicate of: %lld\nnarrative: %s\n",
		(long long)r.id, (long long)r.agency_id, r.channel, r.crime_type,
		r.occurred_at ? occurred : "-", reported, (long long)r.loss_twd,
		(long long)r.case_id, (long long)r.duplicate_of, r.narrative ? r.narrative : "");
	for (size_t i = 0; i < r.nidents; i++)
		printf("  %-16s %-12s %s\n", r.idents[i].role, ident_type_name(r.idents[i].id.type),
			r.idents[i].id.display);
	intel_report_release(&r);
	return 0;
}

int cmd_report(struct cli_ctx *ctx)
{
	const struct cli_command *self = cli_find("report");
	struct err_msg err = ERR_MSG_INIT;
	const char *sub = ctx->argc > 1 ? ctx->argv[1] : "";
	struct store_conn *c;
	int ret;

	if (strcmp(sub, "add") && strcmp(sub, "show"))
		return cli_usage_error(self, "unknown or missing subcommand '%s'", sub);
	c = store_acquire(ctx->store);
	ret = !strcmp(sub, "add") ? report_add(c, ctx->argc - 1, ctx->argv + 1, &err)
				  : report_show(c, ctx->argc - 1, ctx->argv + 1, &err);
	store_release(c);
	return ret ? cli_fail(ret, &err, "report") : 0;
}

static int case_add(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	static const struct option opts[] = { { "office", required_argument, NULL, 'o' },
		{ "owner", required_argument, NULL, 'u' }, { "title", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 } };
	struct intel_case k = { 0 };
	struct auth_user owner = { 0 };
	struct audit_event ev;
	const char *office = NULL, *user = NULL;
	int opt, ret = 0;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'o')
			office = optarg;
		else if (opt == 'u')
			user = optarg;
		else if (opt == 't')
			str_copy(k.title, sizeof(k.title), optarg);
		else
			return err_set(err, ERR_INVAL, "option", "bad option");
	}
	if (optind + 1 != argc)
		return err_set(err, ERR_INVAL, "number", "exactly one case NUMBER is required");
	if (!office || !user)
		return err_set(err, ERR_INVAL, office ? "owner" : "office", "is required");
	ret = resolve_agency(c, office, &k.office_id, err);
	if (!ret && auth_user_find(c, user, &owner))
		ret = err_set(err, ERR_NOTFOUND, "owner", "no user '%s'", user);
	if (ret)
		return ret;
	str_copy(k.number, sizeof(k.number), argv[optind]);
	audit_event_console(&ev, "case.create", "case", NULL, AUDIT_OK);
	ev.actor = cli_actor();
	ret = intel_case_create(c, &k, owner.id, &ev, err);
	if (!ret)
		printf("case %s opened (id %lld), owner %s\n", k.number, (long long)k.id, owner.username);
	return ret;
}

static int case_list(struct store_conn *c)
{
	static const char *const header[] = { "ID", "NUMBER", "OFFICE", "STATUS", "REPORTS", "TITLE" };
	struct store_stmt *st;
	char text[500][4][32];
	const char *cells[500 * 6];
	char titles[500][256], numbers[500][96];
	size_t n = 0;
	int ret = store_query(c, &st,
		"SELECT k.id, k.number, a.code, k.status, (SELECT COUNT(*) FROM reports r WHERE"
		" r.case_id = k.id), k.title FROM cases k JOIN agencies a ON a.id = k.office_id"
		" ORDER BY k.id DESC LIMIT 500",
		"");

	if (ret)
		return ret;
	while (n < 500 && (ret = store_step(st)) == STORE_ROW) {
		snprintf(text[n][0], 32, "%lld", (long long)store_col_int64(st, 0));
		str_copy(numbers[n], sizeof(numbers[n]), store_col_text(st, 1));
		str_copy(text[n][1], 32, store_col_text(st, 2));
		snprintf(text[n][2], 32, "%lld", (long long)store_col_int64(st, 4));
		str_copy(titles[n], sizeof(titles[n]), store_col_text(st, 5));
		cells[n * 6 + 0] = text[n][0];
		cells[n * 6 + 1] = numbers[n];
		cells[n * 6 + 2] = text[n][1];
		str_copy(text[n][3], 32, store_col_text(st, 3));
		cells[n * 6 + 3] = text[n][3];
		cells[n * 6 + 4] = text[n][2];
		cells[n * 6 + 5] = titles[n];
		n++;
	}
	store_finish(st);
	return ret < 0 ? ret : (cli_table(stdout, 6, header, cells, n), 0);
}

static int case_member(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	struct intel_case k;
	struct auth_user u;
	struct audit_event ev;
	int ret;

	if (argc != 4)
		return err_set(err, ERR_INVAL, "arguments", "usage: case member NUMBER USER ROLE");
	if (intel_case_find(c, argv[1], &k))
		return err_set(err, ERR_NOTFOUND, "number", "no case '%s'", argv[1]);
	if (auth_user_find(c, argv[2], &u))
		return err_set(err, ERR_NOTFOUND, "user", "no user '%s'", argv[2]);
	audit_event_console(&ev, "case.member.add", "case", k.number, AUDIT_OK);
	ev.actor = cli_actor();
	ret = intel_case_add_member(c, k.id, u.id, argv[3], &ev, err);
	if (!ret)
		printf("%s is now %s of %s\n", u.username, argv[3], k.number);
	return ret;
}

static int case_link(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	struct intel_case k;
	struct audit_event ev;
	int64_t report;
	int ret;

	if (argc != 3 || str_to_int64(argv[2], 1, INT64_MAX, &report))
		return err_set(err, ERR_INVAL, "arguments", "usage: case link NUMBER REPORT_ID");
	if (intel_case_find(c, argv[1], &k))
		return err_set(err, ERR_NOTFOUND, "number", "no case '%s'", argv[1]);
	audit_event_console(&ev, "case.report.link", "case", k.number, AUDIT_OK);
	ev.actor = cli_actor();
	ret = intel_case_link_report(c, k.id, report, &ev, err);
	if (!ret)
		printf("report %lld linked to %s\n", (long long)report, k.number);
	return ret;
}

int cmd_case(struct cli_ctx *ctx)
{
	const struct cli_command *self = cli_find("case");
	struct err_msg err = ERR_MSG_INIT;
	const char *sub = ctx->argc > 1 ? ctx->argv[1] : "";
	struct store_conn *c;
	int ret;

	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "member") && strcmp(sub, "link"))
		return cli_usage_error(self, "unknown or missing subcommand '%s'", sub);
	c = store_acquire(ctx->store);
	if (!strcmp(sub, "add"))
		ret = case_add(c, ctx->argc - 1, ctx->argv + 1, &err);
	else if (!strcmp(sub, "list"))
		ret = case_list(c);
	else if (!strcmp(sub, "member"))
		ret = case_member(c, ctx->argc - 1, ctx->argv + 1, &err);
	else
		ret = case_link(c, ctx->argc - 1, ctx->argv + 1, &err);
	store_release(c);
	return ret ? cli_fail(ret, &err, "case") : 0;
}
