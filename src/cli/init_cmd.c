/*
 * cli/init_cmd.c - `rootcut init`: the database (created or migrated by
 * main), the center's agency, the first administrator, and with --demo the
 * demonstration agencies and users that `make run` starts with.
 */
#include <getopt.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "graph/graph.h"
#include "intel/demo.h"
#include "intel/intel.h"
#include "store/store.h"

struct demo_agency {
	const char *code, *name, *name_en;
	enum agency_kind kind;
	const char *supervisor; /* code of the supervisory authority, or NULL */
};

/* The center first: agency 1 is always the High Prosecutors Office. */
static const struct demo_agency center = { "THPO", "臺灣高等檢察署",
	"Taiwan High Prosecutors Office", AGENCY_HIGH_PROSECUTORS, NULL };

static const struct demo_agency demo_agencies[] = {
	{ "TPDP", "臺灣臺北地方檢察署", "Taipei District Prosecutors Office",
		AGENCY_DISTRICT_PROSECUTORS, "THPO" },
	{ "TCDP", "臺灣臺中地方檢察署", "Taichung District Prosecutors Office",
		AGENCY_DISTRICT_PROSECUTORS, "THPO" },
	{ "KSDP", "臺灣高雄地方檢察署", "Kaohsiung District Prosecutors Office",
		AGENCY_DISTRICT_PROSECUTORS, "THPO" },
	{ "CIB", "內政部警政署刑事警察局", "Criminal Investigation Bureau", AGENCY_POLICE, NULL },
	{ "MJIB", "法務部調查局", "Investigation Bureau, Ministry of Justice",
		AGENCY_INVESTIGATION_BUREAU, NULL },
	{ "ACS", "數位發展部資通安全署", "Administration for Cyber Security", AGENCY_GOVERNMENT,
		NULL },
	{ "TWNIC", "財團法人台灣網路資訊中心", "TWNIC", AGENCY_ISP_REGISTRY, NULL },
	{ "BOT", "臺灣銀行", "Bank of Taiwan", AGENCY_BANK, NULL },
	{ "CHT", "中華電信股份有限公司", "Chunghwa Telecom", AGENCY_TELECOM, NULL },
	/* incidents (docs/ops/incident-policy.conf): the service center, the national offices, an
	   authority and an agency under it */
	{ "NICS", "國家資通安全研究院 (技術服務中心)", "National Institute of Cyber Security",
		AGENCY_GOVERNMENT, "ACS" },
	{ "OHS", "行政院國土安全辦公室", "Office of Homeland Security, Executive Yuan",
		AGENCY_GOVERNMENT, NULL },
	{ "NSC-CSO", "國家安全會議國家資通安全辦公室", "National Cyber Security Office, NSC",
		AGENCY_GOVERNMENT, NULL },
	{ "MOHW", "衛生福利部", "Ministry of Health and Welfare", AGENCY_GOVERNMENT, NULL },
	{ "TPECH", "衛生福利部臺北醫院", "Taipei Hospital, MOHW", AGENCY_GOVERNMENT, "MOHW" },
};

struct demo_user {
	const char *username, *display_name, *agency, *roles;
};

static const struct demo_user demo_users[] = {
	{ "analyst", "督導中心分析師 陳雅婷", "THPO", "analyst" },
	{ "auditor", "稽核人員 林志明", "THPO", "auditor" },
	{ "prosecutor.tp", "臺北地檢署檢察官 王大明", "TPDP", "prosecutor" },
	{ "prosecutor.ks", "高雄地檢署檢察官 張美玲", "KSDP", "prosecutor" },
	{ "investigator.cib", "刑事局偵查員 李建宏", "CIB", "investigator" },
	{ "reviewer.acs", "資安署審核人員 黃淑芬", "ACS", "reviewer" },
	{ "dns.twnic", "TWNIC DNS 操作人員", "TWNIC", "dns_operator" },
	{ "bank.bot", "臺灣銀行 查詢服務", "BOT", "api_client" },
	{ "reporter.tpech", "臺北醫院資安聯絡人 吳佳穎", "TPECH", "reporter" },
	{ "reviewer.mohw", "衛福部資安審核人 劉國華", "MOHW", "reviewer" },
	{ "reviewer.nics", "技術服務中心 值班審核 蔡明哲", "NICS", "reviewer" },
	{ "officer.ohs", "國土安全辦公室 值日官 鄭文彬", "OHS", "reviewer" },
};

static int ensure_agency(struct store_conn *c, const struct demo_agency *d, struct err_msg *err)
{
	struct agency a = { 0 }, sup;
	struct audit_event ev;

	if (agency_find(c, d->code, &a) == 0)
		return 0;
	str_copy(a.code, sizeof(a.code), d->code);
	str_copy(a.name, sizeof(a.name), d->name);
	str_copy(a.name_en, sizeof(a.name_en), d->name_en);
	a.kind = d->kind;
	if (d->supervisor && agency_find(c, d->supervisor, &sup) == 0)
		a.supervisor_id = sup.id;
	audit_event_console(&ev, "agency.create", "agency", NULL, AUDIT_OK);
	ev.actor = cli_actor();
	return agency_create(c, &a, &ev, err);
}

/* Create the user, or give an existing one a new password; prints the login. */
static int issue_login(struct store_conn *c, const char *username, const char *display,
	const char *agency_code, uint32_t roles, bool must_change, struct err_msg *err)
{
	struct auth_user u = { 0 };
	struct agency a;
	struct audit_event ev;
	char password[AUTH_PASSWORD_GENERATED_SIZE];
	int ret = auth_password_generate(password, sizeof(password));

	if (!ret)
		ret = agency_find(c, agency_code, &a);
	if (ret)
		return err_set(err, ret, "agency", "no agency '%s'", agency_code);
	if (auth_user_find(c, username, &u) == 0) {
		audit_event_console(&ev, "user.password.reset", "user", NULL, AUDIT_OK);
		ev.actor = cli_actor();
		ret = auth_user_set_password(c, u.id, password, must_change, &ev, err);
	} else {
		str_copy(u.username, sizeof(u.username), username);
		str_copy(u.display_name, sizeof(u.display_name), display);
		u.agency_id = a.id;
		u.roles = roles;
		u.must_change_password = must_change;
		audit_event_console(&ev, "user.create", "user", NULL, AUDIT_OK);
		ev.actor = cli_actor();
		ret = auth_user_create(c, &u, password, &ev, err);
	}
	if (!ret)
		printf("  %-18s %-26s %s\n", username, password, display);
	explicit_bzero(password, sizeof(password));
	return ret;
}

static int load_demo(struct store_conn *c, struct err_msg *err)
{
	int ret = 0;

	for (size_t i = 0; i < sizeof(demo_agencies) / sizeof(demo_agencies[0]) && !ret; i++)
		ret = ensure_agency(c, &demo_agencies[i], err);
	for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]) && !ret; i++) {
		uint32_t roles = 0;
		ret = auth_roles_parse(demo_users[i].roles, &roles, err);
		if (!ret)
			ret = issue_login(c, demo_users[i].username, demo_users[i].display_name,
				demo_users[i].agency, roles, false, err);
	}
	if (!ret)
		ret = store_setting_set(c, "demo", "1");
	return ret;
}

static int seed_warning_list(struct store_conn *c)
{
	int added = 0;
	int ret = intel_warning_seed(c, &added);

	if (!ret && added)
		printf("warning list: %d default entries that never correlate (165, 110, big platforms, "
		       "public resolvers …)\n",
			added);
	return ret;
}

/* Generated reports and cases, so that correlations show from the first minute. */
static int load_demo_reports(struct cli_ctx *ctx, int64_t n, struct err_msg *err)
{
	struct demo_load_result res;
	int64_t flows = 0;
	int ret = n ? demo_load(ctx->store, n, &res, err) : 0;

	if (!ret && n && (res.accepted || res.cases))
		printf("demo data: %lld reports, %d cases (rings of phones, mule accounts, wallets)\n",
			(long long)res.accepted, res.cases);
	if (!ret && n)
		ret = graph_demo_load(ctx->store, n, &flows, err);
	if (!ret && flows)
		printf("demo flows: %lld transfers, calls, resolutions and on-chain transfers that fit "
		       "the rings\n",
			(long long)flows);
	return ret;
}

int cmd_init(struct cli_ctx *ctx)
{
	static const struct option opts[] = { { "admin", required_argument, NULL, 'a' },
		{ "demo", no_argument, NULL, 'd' }, { "demo-reports", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 } };
	struct err_msg err = ERR_MSG_INIT;
	const char *admin = "admin";
	struct store_conn *c = store_acquire(ctx->store);
	char demo_flag[8] = "";
	bool demo = false, is_demo_db, fresh;
	int64_t users = 0, demo_reports = 2000;
	int opt, ret;

	optind = 0;
	while ((opt = getopt_long(ctx->argc, ctx->argv, "", opts, NULL)) != -1) {
		if (opt == 'a') {
			admin = optarg;
		} else if (opt == 'd') {
			demo = true;
		} else if (opt == 'r' && !str_to_int64(optarg, 0, 1000000, &demo_reports)) {
			continue;
		} else {
			store_release(c);
			return cli_usage_error(cli_find("init"), "bad option");
		}
	}
	store_setting_get(c, "demo", demo_flag, sizeof(demo_flag));
	is_demo_db = !strcmp(demo_flag, "1");
	ret = store_query_int64(c, &users, "SELECT COUNT(*) FROM users", "");
	fresh = !ret && users == 0;
	if (!ret)
		ret = ensure_agency(c, &center, &err);
	if (ret)
		goto out;
	if (fresh || (demo && is_demo_db)) {
		printf("%s logins (shown once; %s):\n", demo ? "demo" : "first",
			demo ? "every `rootcut init --demo` issues new ones"
			     : "the password must be changed at first sign-in");
		ret = issue_login(c, admin, "系統管理者 Administrator", center.code, ROLE_ADMIN,
			!demo, &err);
	} else if (demo) {
		ret = err_set(&err, ERR_CONFLICT, "data",
			"this database holds real accounts: demo data is never added to it");
	}
	if (!ret && demo && (fresh || is_demo_db))
		ret = load_demo(c, &err);
	if (!ret)
		ret = seed_warning_list(c);
	if (!ret && demo && (fresh || is_demo_db))
		ret = load_demo_reports(ctx, demo_reports, &err);
	if (!ret)
		printf("database ready: %s/rootcut.db\n", ctx->data_dir);
out:
	store_release(c);
	return ret ? cli_fail(ret, &err, "init") : 0;
}
