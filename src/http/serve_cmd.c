/*
 * http/serve_cmd.c - `rootcut serve`: start the HTTP server and wait for
 * SIGINT or SIGTERM, then stop gracefully.
 */
#include <getopt.h>
#include <signal.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "dns/dns.h"
#include "http/http.h"
#include "incident/incident.h"
#include "rpz/rpz.h"
#include "store/store.h"

static int write_ready_file(const char *path, const char *url)
{
	char tmp[1024];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%s\n", url) < 0 || fclose(f))
		return ERR_IO;
	return rename(tmp, path) ? ERR_IO : 0;
}

int cmd_serve(struct cli_ctx *ctx)
{
	static const struct option opts[] = { { "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "dns", required_argument, NULL, 'd' }, { NULL, 0, NULL, 0 } };
	const struct cli_command *self = cli_find("serve");
	struct err_msg err = ERR_MSG_INIT;
	const struct http_route_table *tables;
	struct http_server *srv = NULL;
	struct dns_server *dns = NULL;
	const char *ready = NULL;
	char url[256];
	sigset_t sigs;
	size_t n;
	int sig, c, ret;

	optind = 0;
	while ((c = getopt_long(ctx->argc, ctx->argv, "", opts, NULL)) != -1) {
		if (c == 'l' && config_set(&ctx->cfg, "listen", optarg, &err))
			return cli_fail(ERR_INVAL, &err, "serve");
		else if (c == 't' && config_set(&ctx->cfg, "threads", optarg, &err))
			return cli_fail(ERR_INVAL, &err, "serve");
		else if (c == 'd' && config_set(&ctx->cfg, "dns_listen", optarg, &err))
			return cli_fail(ERR_INVAL, &err, "serve");
		else if (c == 'r')
			ready = optarg;
		else if (c == '?')
			return cli_usage_error(self, "bad option");
	}
	if (optind < ctx->argc)
		return cli_usage_error(self, "unexpected argument '%s'", ctx->argv[optind]);
	/* Block the stop signals before any thread starts, so only sigwait() sees them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	ret = incident_configure(&ctx->cfg, &err); /* a bad policy file stops the start */
	if (ret)
		return cli_fail(ret, &err, "serve");
	tables = cli_route_tables(&n);
	ret = http_server_start(&ctx->cfg, ctx->store, tables, n, &srv, &err);
	if (ret)
		return cli_fail(ret, &err, "serve");
	ret = *ctx->cfg.dns_listen ? dns_server_start(&ctx->cfg, ctx->store, &dns, &err) : 0;
	if (!ret)
		ret = rpz_scheduler_start(ctx->store, &err); /* order starts and expiries */
	if (!ret)
		ret = incident_scheduler_start(ctx->store, &err); /* incident deadlines */
	if (ret) {
		incident_scheduler_stop();
		rpz_scheduler_stop();
		dns_server_stop(dns);
		http_server_stop(srv);
		return cli_fail(ret, &err, "serve");
	}
	snprintf(url, sizeof(url), "%s://%.*s:%d", *ctx->cfg.tls_cert ? "https" : "http",
		(int)(strrchr(ctx->cfg.listen, ':') - ctx->cfg.listen), ctx->cfg.listen,
		http_server_port(srv));
	log_info("rootcut %s serving %s (data %s)", ROOTCUT_VERSION, url, ctx->data_dir);
	if (ready && write_ready_file(ready, url))
		log_error("serve: cannot write the ready file '%s'", ready);
	/* SIGHUP reopens the access log (logrotate) and reloads the incident policy. */
	while (!sigwait(&sigs, &sig) && sig == SIGHUP) {
		http_server_reopen_logs(srv);
		incident_policy_reload(&err);
	}
	log_info("received %s; stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
	incident_scheduler_stop();
	rpz_scheduler_stop();
	dns_server_stop(dns);
	http_server_stop(srv);
	return 0;
}
