/*
 * rpz/order_cmd.c - `rootcut order`: court orders from the console. The
 * console may take every step (it is the operator of the installation);
 * every change and every read is audited as "system" from "console".
 * Logic in order*.c; this file parses options and prints.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "base/buf.h"
#include "base/mem.h"
#include "base/err.h"
#include "base/rocdate.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "intel/intel.h"
#include "rpz/rpz.h"
#include "store/store.h"

/* A file of domains: one a line, or the Nth tab-separated column. */
struct domain_file {
	const char *path;
	char **raw;
	size_t *lines;
	size_t n;
};

static void domain_file_release(struct domain_file *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->raw[i]);
	free(f->raw);
	free(f->lines);
}

static int domain_file_read(struct domain_file *f, const char *path, int column, int skip,
	struct err_msg *err)
{
	struct buf line = BUF_INIT;
	FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t lineno = 0;
	int ret;

	f->path = path;
	if (!in)
		return err_set(err, ERR_IO, "domains-file", "cannot open '%s': %s", path,
			strerror(errno));
	line.max = 65536;
	while ((ret = buf_getline(&line, in)) == 0) {
		char *s = line.s, *tab;

		if (++lineno <= (size_t)skip || !*str_trim(s) || *str_trim(s) == '#')
			continue;
		for (int col = 1; col < column && s; col++) {
			tab = strchr(s, '\t');
			s = tab ? tab + 1 : NULL;
		}
		if (!s)
			s = "";
		s[strcspn(s, "\t")] = '\0';
		f->raw = xreallocarray(f->raw, f->n + 1, sizeof(*f->raw));
		f->lines = xreallocarray(f->lines, f->n + 1, sizeof(*f->lines));
		f->raw[f->n] = xstrdup(str_trim(s));
		f->lines[f->n++] = lineno;
	}
	if (in != stdin)
		fclose(in);
	buf_release(&line);
	if (ret == ERR_LIMIT)
		return err_set(err, ERR_LIMIT, "domains-file", "%s:%zu: line too long", path,
			lineno + 1);
	return 0;
}

static void report_bad(void *ctx, size_t index, const char *raw, const struct err_msg *why)
{
	struct domain_file *f = ctx;

	fprintf(stderr, "%s:%zu: refused '%s': %s\n", f->path, f->lines[index], raw, why->message);
}

static int add_domains(struct store_conn *c, int64_t id, char **args, size_t nargs,
	const char *file, int column, int skip, struct err_msg *err)
{
	struct domain_file f = { 0 };
	struct audit_event ev;
	size_t added = 0, before;
	struct rpz_order o;
	int ret = 0;

	audit_event_console(&ev, "order.domains.add", "order", NULL, AUDIT_OK);
	ev.actor = cli_actor();
	if (nargs)
		ret = rpz_order_add_domains(c, id, (const char *const *)args, nargs, NULL, NULL, &ev,
			&added, err);
	if (ret || !file)
		goto out;
	ret = domain_file_read(&f, file, column, skip, err);
	if (ret)
		goto out;
	if (rpz_order_get(c, id, &o)) {
		ret = err_set(err, ERR_NOTFOUND, "order", "no order %lld", (long long)id);
		goto out;
	}
	before = added;
	ret = rpz_order_add_domains(c, id, (const char *const *)f.raw, f.n, report_bad, &f, &ev,
		&added, err);
	if (!ret) {
		rpz_order_get(c, id, &o);
		printf("%s: %zu rows, %zu domains added (%lld on the order); refused rows are above\n",
			file, f.n, added, (long long)o.domains);
	}
	added += before;
out:
	domain_file_release(&f);
	return ret;
}

static int64_t parse_id(const char *s)
{
	int64_t v = 0;

	return s && !str_to_int64(s, 1, INT64_MAX, &v) ? v : 0;
}

static int time_opt(const char *s, const char *field, int64_t *out, struct err_msg *err)
{
	return rocdate_parse(s, out) ? err_set(err, ERR_INVAL, field, "'%s' is not a date or time", s)
				     : 0;
}

static int case_opt(struct store_conn *c, const char *s, int64_t *out, struct err_msg *err)
{
	struct intel_case k;

	if ((*out = parse_id(s)) && !intel_case_get(c, *out, &k))
		return 0;
	if (!intel_case_find(c, s, &k)) {
		*out = k.id;
		return 0;
	}
	return err_set(err, ERR_NOTFOUND, "case", "no case '%s'", s);
}

static int order_add(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	static const struct option opts[] = { { "agency", required_argument, NULL, 'a' },
		{ "case", required_argument, NULL, 'k' }, { "zone", required_argument, NULL, 'z' },
		{ "court", required_argument, NULL, 'c' }, { "action", required_argument, NULL, 'x' },
		{ "redirect", required_argument, NULL, 'r' },
		{ "no-subdomains", no_argument, NULL, 'S' }, { "starts", required_argument, NULL, 's' },
		{ "expires", required_argument, NULL, 'e' }, { "note", required_argument, NULL, 'n' },
		{ "domain", required_argument, NULL, 'd' },
		{ "domains-file", required_argument, NULL, 'f' },
		{ "column", required_argument, NULL, 'C' }, { "skip", required_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 } };
	struct rpz_order o = { 0 };
	struct audit_event ev;
	struct agency a;
	char **domains = NULL;
	const char *agency = NULL, *file = NULL;
	size_t nd = 0;
	int64_t column = 1, skip = 0;
	int opt, ret = 0;

	o.subdomains = true;
	optind = 0;
	while (!ret && (opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'a': agency = optarg; break;
		case 'k': ret = case_opt(c, optarg, &o.case_id, err); break;
		case 'z': str_copy(o.zone, sizeof(o.zone), optarg); break;
		case 'c': str_copy(o.court, sizeof(o.court), optarg); break;
		case 'x': str_copy(o.action, sizeof(o.action), optarg); break;
		case 'r': str_copy(o.redirect, sizeof(o.redirect), optarg); break;
		case 'S': o.subdomains = false; break;
		case 's': ret = time_opt(optarg, "starts", &o.starts_at, err); break;
		case 'e': ret = time_opt(optarg, "expires", &o.expires_at, err); break;
		case 'n': str_copy(o.note, sizeof(o.note), optarg); break;
		case 'd':
			domains = xreallocarray(domains, nd + 1, sizeof(*domains));
			domains[nd++] = optarg;
			break;
		case 'f': file = optarg; break;
		case 'C':
			if (str_to_int64(optarg, 1, 100, &column))
				ret = err_set(err, ERR_INVAL, "column", "'%s' is not 1 to 100", optarg);
			break;
		case 'K':
			if (str_to_int64(optarg, 0, 1000, &skip))
				ret = err_set(err, ERR_INVAL, "skip", "'%s' is not 0 to 1000", optarg);
			break;
		default: ret = err_set(err, ERR_INVAL, "option", "bad option"); break;
		}
	}
	if (!ret && !agency)
		ret = err_set(err, ERR_INVAL, "agency", "--agency is required");
	if (!ret && agency_find(c, agency, &a))
		ret = err_set(err, ERR_NOTFOUND, "agency", "no agency '%s'", agency);
	if (ret)
		goto out;
	o.agency_id = a.id;
	audit_event_console(&ev, "order.create", "order", NULL, AUDIT_OK);
	ev.actor = cli_actor();
	ret = rpz_order_create(c, &o, &ev, err);
	if (ret)
		goto out;
	printf("order %lld (draft, zone %s)\n", (long long)o.id, o.zone);
	ret = add_domains(c, o.id, domains, nd, file, (int)column, (int)skip, err);
out:
	free(domains);
	return ret;
}

static void print_order(const struct rpz_order *o)
{
	char starts[32] = "at once", expires[32] = "never";

	if (o->starts_at)
		rocdate_format_roc(o->starts_at, starts, sizeof(starts));
	if (o->expires_at)
		rocdate_format_roc(o->expires_at, expires, sizeof(expires));
	printf("order %lld: %s\n", (long long)o->id, o->state);
	printf("  zone: %s\n  action: %s%s%s\n  subdomains: %s\n", o->zone, o->action,
		o->redirect[0] ? " → " : "", o->redirect, o->subdomains ? "yes" : "no");
	printf("  court: %s\n  ruling: %s %s\n", o->court[0] ? o->court : "-",
		o->order_number[0] ? o->order_number : "-", o->order_date);
	printf("  starts: %s\n  expires: %s\n", starts, expires);
	printf("  domains: %lld (%lld lifted one by one)\n", (long long)o->domains,
		(long long)o->lifted);
	if (o->case_id)
		printf("  case: %lld\n", (long long)o->case_id);
	if (o->note[0])
		printf("  note: %s\n", o->note);
}

static int order_show(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	struct rpz_order_domain *d = NULL;
	struct rpz_order_event *ev = NULL;
	struct audit_event a;
	struct rpz_order o;
	bool all_domains = argc > 2 && strcmp(argv[2], "--domains") == 0;
	size_t nd = 0, ne = 0;
	int64_t id = parse_id(argc > 1 ? argv[1] : NULL);

	if (!id || rpz_order_get(c, id, &o))
		return err_set(err, ERR_NOTFOUND, "order", "no order '%s'", argc > 1 ? argv[1] : "");
	audit_event_console(&a, "order.read", "order", argv[1], AUDIT_OK);
	a.actor = cli_actor();
	audit_append_now(c, &a);
	print_order(&o);
	rpz_order_domains(c, id, 0, all_domains ? (size_t)-1 / 2 : 20, &d, &nd);
	for (size_t i = 0; i < nd; i++)
		printf("  - %s%s%s%s%s\n", d[i].domain, strcmp(d[i].unicode, d[i].domain) ? " (" : "",
			strcmp(d[i].unicode, d[i].domain) ? d[i].unicode : "",
			strcmp(d[i].unicode, d[i].domain) ? ")" : "",
			d[i].lifted_at[0] ? "  [lifted]" : "");
	if ((int64_t)nd < o.domains)
		printf("  … %lld more (--domains lists them all)\n", (long long)(o.domains - (int64_t)nd));
	rpz_order_events(c, id, &ev, &ne);
	printf("history:\n");
	for (size_t i = 0; i < ne; i++)
		printf("  %s %-12s %s → %s by %s%s%s\n", ev[i].at, ev[i].action,
			ev[i].from_state[0] ? ev[i].from_state : "-", ev[i].to_state, ev[i].actor,
			ev[i].detail[0] ? ": " : "", ev[i].detail);
	free(d);
	free(ev);
	return 0;
}

static int order_list(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	static const char *const header[] = { "id", "state", "zone", "action", "domains", "court",
		"ruling" };
	const char *state = argc > 2 && strcmp(argv[1], "--state") == 0 ? argv[2] : NULL;
	struct rpz_order *v = NULL;
	struct audit_event a;
	const char **cells;
	char (*num)[2][24];
	size_t n = 0;
	int ret;

	ret = rpz_order_list(c, true, 0, 0, state, 1000, &v, &n);
	if (ret)
		return err_set(err, ret, "order", "cannot list the orders");
	audit_event_console(&a, "order.list", "order", NULL, AUDIT_OK);
	a.actor = cli_actor();
	audit_append_now(c, &a);
	cells = xcalloc(n * 7 + 1, sizeof(*cells));
	num = xcalloc(n + 1, sizeof(*num));
	for (size_t i = 0; i < n; i++) {
		snprintf(num[i][0], sizeof(num[i][0]), "%lld", (long long)v[i].id);
		snprintf(num[i][1], sizeof(num[i][1]), "%lld", (long long)v[i].domains);
		cells[i * 7 + 0] = num[i][0];
		cells[i * 7 + 1] = v[i].state;
		cells[i * 7 + 2] = v[i].zone;
		cells[i * 7 + 3] = v[i].action;
		cells[i * 7 + 4] = num[i][1];
		cells[i * 7 + 5] = v[i].court;
		cells[i * 7 + 6] = v[i].order_number;
	}
	cli_table(stdout, 7, header, cells, n);
	free(cells);
	free(num);
	free(v);
	return 0;
}

/* order STEP ID [options]: file, grant, enforce, lift, lift-domain, add-domains. */
static int order_step(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	static const struct option opts[] = { { "court", required_argument, NULL, 'c' },
		{ "number", required_argument, NULL, 'N' }, { "date", required_argument, NULL, 'D' },
		{ "reason", required_argument, NULL, 'r' },
		{ "domains-file", required_argument, NULL, 'f' },
		{ "column", required_argument, NULL, 'C' }, { "skip", required_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 } };
	const char *step = argv[0], *court = "", *number = NULL, *date = NULL, *reason = NULL;
	const char *file = NULL;
	int64_t column = 1, skip = 0, id;
	struct audit_event ev;
	char action[40];
	int opt, ret;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': court = optarg; break;
		case 'N': number = optarg; break;
		case 'D': date = optarg; break;
		case 'r': reason = optarg; break;
		case 'f': file = optarg; break;
		case 'C': str_to_int64(optarg, 1, 100, &column); break;
		case 'K': str_to_int64(optarg, 0, 1000, &skip); break;
		default: return err_set(err, ERR_INVAL, "option", "bad option");
		}
	}
	id = parse_id(optind < argc ? argv[optind] : NULL);
	if (!id)
		return err_set(err, ERR_INVAL, "order", "an order id is required");
	snprintf(action, sizeof(action), "order.%s", step);
	audit_event_console(&ev, action, "order", argv[optind], AUDIT_OK);
	ev.actor = cli_actor();
	if (strcmp(step, "file") == 0)
		ret = rpz_order_file(c, id, &ev, err);
	else if (strcmp(step, "grant") == 0)
		ret = rpz_order_grant(c, id, court, number, date, &ev, err);
	else if (strcmp(step, "enforce") == 0)
		ret = rpz_order_enforce(c, id, &ev, err);
	else if (strcmp(step, "lift") == 0)
		ret = rpz_order_lift(c, id, reason, &ev, err);
	else if (strcmp(step, "lift-domain") == 0)
		ret = optind + 1 < argc ? rpz_order_lift_domain(c, id, argv[optind + 1], reason, &ev, err)
					: err_set(err, ERR_INVAL, "domain", "a domain is required");
	else
		ret = add_domains(c, id, argv + optind + 1, (size_t)(argc - optind - 1), file,
			(int)column, (int)skip, err);
	if (!ret && strcmp(step, "add-domains"))
		printf("order %lld: %s done\n", (long long)id, step);
	return ret;
}

int cmd_order(struct cli_ctx *ctx)
{
	static const char *const steps[] = { "file", "grant", "enforce", "lift", "lift-domain",
		"add-domains", NULL };
	const struct cli_command *self = cli_find("order");
	struct err_msg err = ERR_MSG_INIT;
	struct store_conn *c;
	const char *sub;
	bool step = false;
	int ret;

	if (ctx->argc < 2)
		return cli_usage_error(self, "a subcommand is required");
	sub = ctx->argv[1];
	for (const char *const *s = steps; *s; s++)
		step = step || strcmp(sub, *s) == 0;
	if (!step && strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "show"))
		return cli_usage_error(self, "unknown subcommand '%s'", sub);
	c = store_acquire(ctx->store);
	if (strcmp(sub, "add") == 0)
		ret = order_add(c, ctx->argc - 1, ctx->argv + 1, &err);
	else if (strcmp(sub, "list") == 0)
		ret = order_list(c, ctx->argc - 1, ctx->argv + 1, &err);
	else if (strcmp(sub, "show") == 0)
		ret = order_show(c, ctx->argc - 1, ctx->argv + 1, &err);
	else
		ret = order_step(c, ctx->argc - 1, ctx->argv + 1, &err);
	store_release(c);
	return ret ? cli_fail(ret, &err, "order") : 0;
}
