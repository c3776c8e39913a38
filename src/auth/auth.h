/*
 * auth/auth.h - who is calling and what they may do: roles, agencies, the
 * principal of a request, and the policy table that decides access.
 *
 * Authorisation is decided in one place, auth/policy.c: a table of
 * endpoint × role × reach. A route with no row is refused to everyone (and
 * the server refuses to start), so a new endpoint is closed until someone
 * writes down who may use it.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err_msg;
struct http_request;
struct http_route;
struct store_conn;

/* Roles a user holds (a bit set). */
enum auth_role {
	ROLE_ADMIN = 1 << 0,          /* 系統管理者: accounts, agencies, tokens of everyone */
	ROLE_ANALYST = 1 << 1,        /* 督導中心分析師: nationwide view at the center */
	ROLE_PROSECUTOR = 1 << 2,     /* 檢察官 */
	ROLE_INVESTIGATOR = 1 << 3,   /* 偵查人員: police, investigation bureau */
	ROLE_REPORTER = 1 << 4,       /* 機關通報人員: files incidents and reports */
	ROLE_REVIEWER = 1 << 5,       /* 審核人員: supervisory authority or technical service center */
	ROLE_DNS_OPERATOR = 1 << 6,   /* DNS 操作人員: RPZ and domain seizures */
	ROLE_AUDITOR = 1 << 7,        /* 稽核人員: reads the audit log */
	ROLE_API_CLIENT = 1 << 8,     /* machine client: lookup, feeds */
};
#define ROLE_ALL 0x1ffu
#define ROLE_NONE 0u

/* Scopes of an API token (a bit set); a session carries every scope. */
enum auth_scope {
	SCOPE_READ = 1 << 0,    /* read data the user may see */
	SCOPE_WRITE = 1 << 1,   /* create and change data */
	SCOPE_ADMIN = 1 << 2,   /* administer users, agencies, tokens */
	SCOPE_AUDIT = 1 << 3,   /* read the audit log */
	SCOPE_METRICS = 1 << 4, /* read /metrics */
	SCOPE_LOOKUP = 1 << 5,  /* the risk lookup service */
};
#define SCOPE_ALL 0x3fu

/* How far a caller reaches beyond their own objects on one endpoint. */
enum auth_reach {
	REACH_NONE = 0,   /* not allowed */
	REACH_SELF,       /* only objects the caller owns (their own account, tokens) */
	REACH_AGENCY,     /* objects of the caller's agency */
	REACH_ALL,        /* every agency (admins; the center's analysts) */
};

enum auth_via { AUTH_NONE = 0, AUTH_SESSION, AUTH_TOKEN };

/* Kinds of agency (機關類型). */
enum agency_kind {
	AGENCY_HIGH_PROSECUTORS = 1, /* 高等檢察署 (the center) */
	AGENCY_DISTRICT_PROSECUTORS, /* 地方檢察署 */
	AGENCY_POLICE,               /* 警察機關 */
	AGENCY_INVESTIGATION_BUREAU, /* 法務部調查局 */
	AGENCY_GOVERNMENT,           /* 政府機關 */
	AGENCY_ISP_REGISTRY,         /* ISP / 註冊管理機構 */
	AGENCY_BANK,                 /* 金融機構 */
	AGENCY_TELECOM,              /* 電信業者 */
	AGENCY_FOREIGN_PARTNER,      /* 外國合作機關 */
};

/* The authenticated caller of one request or command. */
struct auth_principal {
	int64_t user_id;        /* 0 = anonymous */
	char username[64];
	int64_t agency_id;
	enum agency_kind agency_kind;
	uint32_t roles;         /* enum auth_role bits */
	uint32_t scopes;        /* enum auth_scope bits; SCOPE_ALL for sessions */
	enum auth_via via;
	int64_t token_id;       /* when via == AUTH_TOKEN */
	char session_key[65];   /* SHA-256 hex of the session id, when via == AUTH_SESSION */
	char csrf[48];          /* the session's CSRF token */
	bool must_change_password;
};

/* A principal for the command line: an operator at the console acting as "system". */
void auth_principal_console(struct auth_principal *p);

/* ---- roles, scopes, agency kinds: names ↔ values ---- */

/* "admin" … "api_client" for one role bit; NULL if not a single known role. */
const char *auth_role_name(uint32_t role);
/* Parse a comma-separated list of role names into bits; names the bad one in err. */
int auth_roles_parse(const char *list, uint32_t *out, struct err_msg *err);
/* Write the names of the set bits, comma-separated, into out. */
void auth_roles_format(uint32_t roles, char *out, size_t size);
const char *auth_scope_name(uint32_t scope);
int auth_scopes_parse(const char *list, uint32_t *out, struct err_msg *err);
void auth_scopes_format(uint32_t scopes, char *out, size_t size);
const char *agency_kind_name(enum agency_kind kind);
int agency_kind_parse(const char *name, enum agency_kind *out);

/* ---- the policy table ---- */

struct auth_policy {
	const char *method;
	const char *pattern;     /* as in the route table */
	uint32_t roles;          /* roles this row grants; ROLE_NONE with public = true */
	uint32_t scope;          /* token scope needed (sessions carry all) */
	enum auth_reach reach;   /* what the granted roles reach */
	bool public_route;       /* no authentication at all (health, login) */
	bool csrf_exempt;        /* state-changing but exempt (login itself) */
};

/* True when the table has at least one row for method + pattern. */
bool auth_policy_has(const char *method, const char *pattern);
/* True when method + pattern is public (no authentication). */
bool auth_policy_is_public(const char *method, const char *pattern);
bool auth_policy_csrf_exempt(const char *method, const char *pattern);
/*
 * Decide whether p may call method + pattern: returns the widest reach that
 * any row grants to p's roles with p's scopes, or REACH_NONE.
 */
enum auth_reach auth_policy_decide(const struct auth_principal *p, const char *method,
	const char *pattern);
/* Every row, for documentation (`rootcut policy`). */
const struct auth_policy *auth_policy_rows(size_t *count);

/*
 * May p, with reach, touch an object of agency_id owned by owner_user_id?
 * (owner 0 = no single owner.) The center's analysts reach all agencies
 * when the row grants REACH_ALL.
 */
bool auth_reach_allows(const struct auth_principal *p, enum auth_reach reach, int64_t agency_id,
	int64_t owner_user_id);

/* ---- request authentication (used by the HTTP server) ---- */

/* The name of the session cookie. */
#define AUTH_SESSION_COOKIE "rootcut_session"

/*
 * Identify the caller of req from its bearer token or session cookie and fill p.
 * Returns 0 (p->user_id may be 0 when no credentials were sent), ERR_AUTH for
 * bad, expired or revoked credentials (with a reason in err).
 */
int auth_authenticate(struct store_conn *c, struct http_request *req, struct auth_principal *p,
	struct err_msg *err);
