/*
 * auth/user_cmd.c - `rootcut user`: manage accounts from the console.
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

static void console_event(struct audit_event *ev, const char *action, const char *object)
{
	audit_event_console(ev, action, "user", object, AUDIT_OK);
	ev->actor = cli_actor();
}

static int find_user(struct store_conn *c, const char *name, struct auth_user *u,
	struct err_msg *err)
{
	if (auth_user_find(c, name, u))
		return err_set(err, ERR_NOTFOUND, "user", "no user '%s'", name);
	return 0;
}

static int find_agency(struct store_conn *c, const char *key, int64_t *id, struct err_msg *err)
{
	struct agency a;

	if (agency_find(c, key, &a))
		return err_set(err, ERR_NOTFOUND, "agency", "no agency '%s'", key);
	*id = a.id;
	return 0;
}

static int user_add(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	static const struct option opts[] = { { "agency", required_argument, NULL, 'a' },
		{ "roles", required_argument, NULL, 'r' },
		{ "display-name", required_argument, NULL, 'd' },
		{ "email", required_argument, NULL, 'e' }, { NULL, 0, NULL, 0 } };
	struct auth_user u = { 0 };
	const char *agency = NULL, *roles = NULL;
	char password[AUTH_PASSWORD_GENERATED_SIZE];
	struct audit_event ev;
	int opt, ret;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 'a')
			agency = optarg;
		else if (opt == 'r')
			roles = optarg;
		else if (opt == 'd')
			str_copy(u.display_name, sizeof(u.display_name), optarg);
		else if (opt == 'e')
			str_copy(u.email, sizeof(u.email), optarg);
		else
			return err_set(err, ERR_INVAL, "option", "bad option");
	}
	if (optind + 1 != argc)
		return err_set(err, ERR_INVAL, "name", "exactly one user NAME is required");
	if (!agency || !roles)
		return err_set(err, ERR_INVAL, agency ? "roles" : "agency", "is required");
	str_copy(u.username, sizeof(u.username), argv[optind]);
	ret = find_agency(c, agency, &u.agency_id, err);
	if (!ret)
		ret = auth_roles_parse(roles, &u.roles, err);
	if (!ret)
		ret = auth_password_generate(password, sizeof(password));
	if (ret)
		return ret;
	u.must_change_password = true;
	console_event(&ev, "user.create", NULL);
	ret = auth_user_create(c, &u, password, &ev, err);
	if (!ret)
		printf("user %s created (id %lld); one-time password: %s\n", u.username,
			(long long)u.id, password);
	explicit_bzero(password, sizeof(password));
	return ret;
}

static void print_users(const struct auth_user *users, size_t n)
{
	static const char *const header[] = { "ID", "USER", "AGENCY", "ROLES", "STATE", "NAME" };
	char (*text)[3][256] = calloc(n ? n : 1, sizeof(*text));
	const char **cells = calloc((n ? n : 1) * 6, sizeof(*cells));

	for (size_t i = 0; i < n; i++) {
		snprintf(text[i][0], 256, "%lld", (long long)users[i].id);
		snprintf(text[i][1], 256, "%lld", (long long)users[i].agency_id);
		auth_roles_format(users[i].roles, text[i][2], 256);
		cells[i * 6 + 0] = text[i][0];
		cells[i * 6 + 1] = users[i].username;
		cells[i * 6 + 2] = text[i][1];
		cells[i * 6 + 3] = text[i][2];
		cells[i * 6 + 4] = users[i].disabled ? "disabled"
				   : users[i].locked_until[0] ? "locked"
							     : "active";
		cells[i * 6 + 5] = users[i].display_name;
	}
	cli_table(stdout, 6, header, cells, n);
	free(text);
	free(cells);
}

static int user_list(struct store_conn *c, int argc, char **argv, struct err_msg *err)
{
	struct auth_user *users = NULL;
	int64_t agency = 0;
	size_t n = 0;
	int ret = 0;

	if (argc == 3 && !strcmp(argv[1], "--agency"))
		ret = find_agency(c, argv[2], &agency, err);
	else if (argc != 1)
		return err_set(err, ERR_INVAL, "option", "usage: user list [--agency AGENCY]");
	if (!ret)
		ret = auth_user_list(c, agency, &users, &n);
	if (!ret)
		print_users(users, n);
	free(users);
	return ret;
}

static int user_show(struct store_conn *c, const struct auth_user *u)
{
	struct agency a = { 0 };
	char roles[256];

	agency_get(c, u->agency_id, &a);
	auth_roles_format(u->roles, roles, sizeof(roles));
	printf("id: %lld\nusername: %s\ndisplay name: %s\nemail: %s\nagency: %s (%s)\n"
	       "roles: %s\nstate: %s\nsecond factor: %s\nmust change password: %s\n"
	       "created: %s\nlast sign-in: %s\n",
		(long long)u->id, u->username, u->display_name, u->email, a.name, a.code, roles,
		u->disabled ? "disabled" : u->locked_until[0] ? "locked" : "active",
		u->totp_enabled ? "TOTP" : "none", u->must_change_password ? "yes" : "no",
		u->created_at, u->last_login_at[0] ? u->last_login_at : "never");
	return 0;
}

/* Subcommands that take a user NAME and maybe one value. */
static int user_change(struct store_conn *c, const char *sub, int argc, char **argv,
	struct err_msg *err)
{
	struct auth_user u;
	struct audit_event ev;
	char password[AUTH_PASSWORD_GENERATED_SIZE];
	bool needs_value = !strcmp(sub, "roles") || !strcmp(sub, "agency");
	char idtext[24];
	int ret;

	if (argc != (needs_value ? 3 : 2))
		return err_set(err, ERR_INVAL, "arguments", "usage: user %s NAME%s", sub,
			needs_value ? " VALUE" : "");
	ret = find_user(c, argv[1], &u, err);
	if (ret)
		return ret;
	if (!strcmp(sub, "show"))
		return user_show(c, &u);
	snprintf(idtext, sizeof(idtext), "%lld", (long long)u.id);
	console_event(&ev, "user.update", idtext);
	if (!strcmp(sub, "disable") || !strcmp(sub, "enable")) {
		u.disabled = !strcmp(sub, "disable");
		ret = auth_user_update(c, &u, &ev, err);
	} else if (!strcmp(sub, "roles")) {
		ret = auth_roles_parse(argv[2], &u.roles, err);
		if (!ret)
			ret = auth_user_update(c, &u, &ev, err);
	} else if (!strcmp(sub, "agency")) {
		ret = find_agency(c, argv[2], &u.agency_id, err);
		if (!ret)
			ret = auth_user_update(c, &u, &ev, err);
	} else if (!strcmp(sub, "unlock")) {
		ev.action = "user.unlock";
		ret = auth_user_unlock(c, u.id, &ev);
	} else if (!strcmp(sub, "totp-reset")) {
		ev.action = "user.totp.reset";
		ret = u.totp_enabled ? auth_totp_disable(c, u.id, &ev)
				     : err_set(err, ERR_CONFLICT, "user", "%s has no second factor",
					       u.username);
	} else { /* passwd */
		ev.action = "user.password.reset";
		ret = auth_password_generate(password, sizeof(password));
		if (!ret)
			ret = auth_user_set_password(c, u.id, password, true, &ev, err);
		if (!ret)
			printf("one-time password for %s: %s\n", u.username, password);
		explicit_bzero(password, sizeof(password));
		return ret;
	}
	if (!ret)
		printf("user %s: %s done\n", u.username, sub);
	return ret;
}

int cmd_user(struct cli_ctx *ctx)
{
	static const char *const changes[] = { "show", "disable", "enable", "passwd", "roles",
		"agency", "unlock", "totp-reset", NULL };
	const struct cli_command *self = cli_find("user");
	struct err_msg err = ERR_MSG_INIT;
	struct store_conn *c;
	const char *sub;
	int ret = ERR_INVAL;

	if (ctx->argc < 2)
		return cli_usage_error(self, "a subcommand is required");
	sub = ctx->argv[1];
	c = store_acquire(ctx->store);
	if (!strcmp(sub, "add")) {
		ret = user_add(c, ctx->argc - 1, ctx->argv + 1, &err);
	} else if (!strcmp(sub, "list")) {
		ret = user_list(c, ctx->argc - 1, ctx->argv + 1, &err);
	} else {
		for (const char *const *s = changes; *s; s++)
			if (!strcmp(*s, sub))
				ret = user_change(c, sub, ctx->argc - 1, ctx->argv + 1, &err);
		if (ret == ERR_INVAL && !err.message[0]) {
			store_release(c);
			return cli_usage_error(self, "unknown subcommand '%s'", sub);
		}
	}
	store_release(c);
	return ret ? cli_fail(ret, &err, "user") : 0;
}
