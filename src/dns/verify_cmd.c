/*
 * dns/verify_cmd.c - `rootcut rpz verify RESOLVER[:PORT] [ZONE]`: the thin
 * CLI over dns_verify(); a table on stdout, exit status 1 when any name was
 * not answered as the zone says (a seized name resolving, or the control
 * not resolving).
 */
#include "dns/verify.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "audit/audit.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "cli/cli.h"

static void print_table(const struct dns_verify_report *rep)
{
	static const char *const header[] = { "NAME", "ORDER", "EXPECTED", "ANSWER", "RESULT" };
	const char **cells = xcalloc(rep->n ? rep->n * 5 : 1, sizeof(*cells));
	char (*order)[24] = xcalloc(rep->n ? rep->n : 1, sizeof(*order));

	for (size_t i = 0; i < rep->n; i++) {
		const struct dns_verify_item *it = &rep->items[i];
		bool good = it->blocked == it->expect_blocked;
		if (it->order_id)
			snprintf(order[i], sizeof(order[i]), "%lld", (long long)it->order_id);
		else
			str_copy(order[i], sizeof(order[i]), it->expect_blocked ? "canary" : "control");
		cells[i * 5] = it->name;
		cells[i * 5 + 1] = order[i];
		cells[i * 5 + 2] = it->expect;
		cells[i * 5 + 3] = it->answer;
		cells[i * 5 + 4] = good ? (it->expect_blocked ? "blocked" : "resolves")
					: (it->expect_blocked ? "NOT BLOCKED" : "NOT RESOLVED");
	}
	cli_table(stdout, 5, header, cells, rep->n);
	free(order);
	free(cells);
}

int dns_verify_cmd(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { "control", required_argument, NULL, 'c' },
		{ "sample", required_argument, NULL, 's' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "no-store", no_argument, NULL, 'n' }, { NULL, 0, NULL, 0 } };
	const struct cli_command *self = cli_find("rpz");
	struct dns_verify_opts o = { 0 };
	struct dns_verify_report rep;
	struct err_msg err = ERR_MSG_INIT;
	struct audit_event ev;
	int64_t v;
	int c, ret;

	audit_event_console(&ev, "rpz.verify", "rpz_verification", NULL, AUDIT_OK);
	ev.actor = cli_actor();
	o.store = true;
	o.ev = &ev;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			o.control = optarg;
		else if (c == 's' && !str_to_int64(optarg, 1, 10000, &v))
			o.sample = (size_t)v;
		else if (c == 't' && !str_to_int64(optarg, 1, 60000, &v))
			o.timeout_ms = (int)v;
		else if (c == 'n')
			o.store = false;
		else
			return cli_usage_error(self, "rpz verify: bad option or value");
	}
	if (optind >= argc || argc - optind > 2)
		return cli_usage_error(self, "usage: rootcut rpz verify RESOLVER[:PORT] [ZONE]");
	o.resolver = argv[optind];
	o.zone = optind + 1 < argc ? argv[optind + 1] : NULL;
	ret = dns_verify(ctx->store, &o, &rep, &err);
	if (ret) {
		dns_verify_report_release(&rep);
		return cli_fail(ret, &err, "rpz verify");
	}
	print_table(&rep);
	printf("%s serial %u at %s: %zu of %zu names as expected%s\n", rep.zone, rep.serial,
		o.resolver, rep.n - rep.failed, rep.n,
		o.store ? "; result stored" : "");
	ret = rep.failed ? 1 : 0;
	dns_verify_report_release(&rep);
	return ret;
}
