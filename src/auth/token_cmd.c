/*
 * auth/token_cmd.c - `rootcut token`: API tokens for machine clients.
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

static int token_create(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	static const struct option opts[] = { { "user", required_argument, NULL, 'u' },
		{ "name", required_argument, NULL, 'n' }, { "scopes", required_argument, NULL, 's' },
		{ "days", required_argument, NULL, 'd' }, { NULL, 0, NULL, 0 } };
	const char *user = NULL, *name = NULL, *scopes_text = NULL;
	char secret[AUTH_TOKEN_SECRET_SIZE];
	struct auth_token t;
	struct auth_user u;
	struct audit_event ev;
	uint32_t scopes = 0;
	int64_t days = 90;
	int opt, ret;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'u')
			user = optarg;
		else if (opt == 'n')
			name = optarg;
		else if (opt == 's')
			scopes_text = optarg;
		else if (opt == 'd' && str_to_int64(optarg, 0, 3650, &days))
			return err_set(err, ERR_INVAL, "days", "must be from 0 to 3650");
		else if (opt != 'd')
			return err_set(err, ERR_INVAL, "option", "bad option");
	}
	if (!user || !name || !scopes_text)
		return err_set(err, ERR_INVAL, !user ? "user" : !name ? "name" : "scopes",
			"is required");
	if (auth_user_find(c, user, &u))
		return err_set(err, ERR_NOTFOUND, "user", "no user '%s'", user);
	ret = auth_scopes_parse(scopes_text, &scopes, err);
	if (ret)
		return ret;
	audit_event_console(&ev, "token.create", "token", NULL, AUDIT_OK);
	ev.actor = cli_actor();
	ret = auth_token_create(c, u.id, name, scopes, days, &t, secret, &ev, err);
	if (!ret) {
		printf("token %lld for %s (%s); shown once:\n%s\n", (long long)t.id, u.username,
			scopes_text, secret);
		explicit_bzero(secret, sizeof(secret));
	}
	return ret;
}

static int token_list(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	static const char *const header[] = { "ID", "USER", "NAME", "PREFIX", "SCOPES", "EXPIRES",
		"LAST USED", "STATE" };
	struct auth_token *list = NULL;
	struct auth_user u;
	int64_t user = 0;
	size_t n = 0;
	int ret;

	if (argc == 3 && !strcmp(argv[1], "--user")) {
		if (auth_user_find(c, argv[2], &u))
			return err_set(err, ERR_NOTFOUND, "user", "no user '%s'", argv[2]);
		user = u.id;
	} else if (argc != 1) {
		return err_set(err, ERR_INVAL, "option", "usage: token list [--user NAME]");
	}
	ret = auth_token_list(c, user, &list, &n);
	if (ret)
		return ret;
	const char **cells = calloc((n ? n : 1) * 8, sizeof(*cells));
	char (*text)[2][128] = calloc(n ? n : 1, sizeof(*text));
	for (size_t i = 0; i < n; i++) {
		snprintf(text[i][0], 128, "%lld", (long long)list[i].id);
		auth_scopes_format(list[i].scopes, text[i][1], 128);
		cells[i * 8 + 0] = text[i][0];
		cells[i * 8 + 1] = list[i].username;
		cells[i * 8 + 2] = list[i].name;
		cells[i * 8 + 3] = list[i].prefix;
		cells[i * 8 + 4] = text[i][1];
		cells[i * 8 + 5] = list[i].expires_at[0] ? list[i].expires_at : "never";
		cells[i * 8 + 6] = list[i].last_used_at[0] ? list[i].last_used_at : "never";
		cells[i * 8 + 7] = list[i].revoked_at[0] ? "revoked" : "active";
	}
	cli_table(stdout, 8, header, cells, n);
	free(cells);
	free(text);
	free(list);
	return 0;
}

static int token_revoke(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	struct audit_event ev;
	int64_t id;
	int ret;

	if (argc != 2 || str_to_int64(argv[1], 1, INT64_MAX, &id))
		return err_set(err, ERR_INVAL, "id", "usage: token revoke ID");
	audit_event_console(&ev, "token.revoke", "token", argv[1], AUDIT_OK);
	ev.actor = cli_actor();
	ret = auth_token_revoke(c, id, &ev);
	if (ret == ERR_NOTFOUND)
		return err_set(err, ret, "id", "no active token %lld", (long long)id);
	if (!ret)
		printf("token %lld revoked\n", (long long)id);
	return ret;
}

int cmd_token(struct cli_ctx *ctx)
{
	const struct cli_command *self = cli_find("token");
	struct err_msg err = ERR_MSG_INIT;
	struct store_conn *c;
	const char *sub = ctx->argc > 1 ? ctx->argv[1] : "";
	int ret;

	if (strcmp(sub, "create") && strcmp(sub, "list") && strcmp(sub, "revoke"))
		return cli_usage_error(self, "unknown or missing subcommand '%s'", sub);
	c = store_acquire(ctx->store);
	if (!strcmp(sub, "create"))
		ret = token_create(c, ctx->argc - 1, ctx->argv + 1, &err);
	else if (!strcmp(sub, "list"))
		ret = token_list(c, ctx->argc - 1, ctx->argv + 1, &err);
	else
		ret = token_revoke(c, ctx->argc - 1, ctx->argv + 1, &err);
	store_release(c);
	return ret ? cli_fail(ret, &err, "token") : 0;
}
