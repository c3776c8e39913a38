/*
 * auth/policy.c - THE place where access is decided: endpoint × role × reach.
 *
 * Each row grants its roles the use of one endpoint, with a token scope that
 * an API token must carry, and a reach: SELF (own objects), AGENCY (objects of
 * the caller's agency) or ALL. A caller gets the widest reach of the rows that
 * match their roles. A routed endpoint without a row cannot start the server
 * (http/router.c), and tests/unit/auth checks every route against this table.
 * Later modules add their rows here; handlers only apply the reach they are
 * given (auth_reach_allows) to the objects they load.
 */
#include "auth/auth.h"

#include <pthread.h>
#include <string.h>

#define ANY ROLE_ALL
/* Prosecutors and investigators: case work within need-to-know. */
#define CASEWORK (ROLE_PROSECUTOR | ROLE_INVESTIGATOR)
/* Who may ask whether an identifier is flagged. */
#define LOOKUP (ROLE_API_CLIENT | ROLE_ANALYST | CASEWORK | ROLE_REPORTER)
/* Who enforces and lifts court orders in the RPZ zones; and who sees every order. */
#define RPZ_OPS (ROLE_DNS_OPERATOR | ROLE_ADMIN)
#define RPZ_ALL (RPZ_OPS | ROLE_ANALYST)
/* Who files and reviews security incidents. */
#define INCIDENT_WORK (ROLE_REPORTER | ROLE_REVIEWER)

static const struct auth_policy rows[] = {
	/* method, pattern, roles, token scope, reach, public, csrf-exempt */
	{ "GET", "/api/v1/health", ROLE_NONE, 0, REACH_ALL, true, false },
	{ "GET", "/api/v1/openapi.json", ROLE_NONE, 0, REACH_ALL, true, false },
	{ "GET", "/metrics", ROLE_ADMIN | ROLE_API_CLIENT, SCOPE_METRICS, REACH_ALL, false, false },

	/* sessions: signing in is public; everything else is about oneself */
	{ "POST", "/api/v1/session", ROLE_NONE, 0, REACH_SELF, true, true },
	{ "GET", "/api/v1/session", ANY, SCOPE_READ, REACH_SELF, false, false },
	{ "DELETE", "/api/v1/session", ANY, SCOPE_WRITE, REACH_SELF, false, false },
	{ "POST", "/api/v1/session/password", ANY, SCOPE_WRITE, REACH_SELF, false, false },
	{ "POST", "/api/v1/session/totp", ANY, SCOPE_WRITE, REACH_SELF, false, false },
	{ "POST", "/api/v1/session/totp/confirm", ANY, SCOPE_WRITE, REACH_SELF, false, false },
	{ "DELETE", "/api/v1/session/totp", ANY, SCOPE_WRITE, REACH_SELF, false, false },

	/* users: admins everywhere; everyone sees the colleagues of their own agency */
	{ "GET", "/api/v1/users", ROLE_ADMIN, SCOPE_ADMIN, REACH_ALL, false, false },
	{ "GET", "/api/v1/users", ANY, SCOPE_READ, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/users", ROLE_ADMIN, SCOPE_ADMIN, REACH_ALL, false, false },
	{ "GET", "/api/v1/users/{id}", ROLE_ADMIN, SCOPE_ADMIN, REACH_ALL, false, false },
	{ "GET", "/api/v1/users/{id}", ANY, SCOPE_READ, REACH_AGENCY, false, false },
	{ "PATCH", "/api/v1/users/{id}", ROLE_ADMIN, SCOPE_ADMIN, REACH_ALL, false, false },
	{ "POST", "/api/v1/users/{id}/password", ROLE_ADMIN, SCOPE_ADMIN, REACH_ALL, false, false },

	/* agencies: the directory is visible to every user; admins maintain it */
	{ "GET", "/api/v1/agencies", ANY, SCOPE_READ, REACH_ALL, false, false },
	{ "POST", "/api/v1/agencies", ROLE_ADMIN, SCOPE_ADMIN, REACH_ALL, false, false },
	{ "GET", "/api/v1/agencies/{id}", ANY, SCOPE_READ, REACH_ALL, false, false },
	{ "PATCH", "/api/v1/agencies/{id}", ROLE_ADMIN, SCOPE_ADMIN, REACH_ALL, false, false },

	/* API tokens: one's own; admins manage everyone's */
	{ "GET", "/api/v1/tokens", ROLE_ADMIN, SCOPE_ADMIN, REACH_ALL, false, false },
	{ "GET", "/api/v1/tokens", ANY, SCOPE_READ, REACH_SELF, false, false },
	{ "POST", "/api/v1/tokens", ROLE_ADMIN, SCOPE_ADMIN, REACH_ALL, false, false },
	{ "POST", "/api/v1/tokens", ANY, SCOPE_WRITE, REACH_SELF, false, false },
	{ "DELETE", "/api/v1/tokens/{id}", ROLE_ADMIN, SCOPE_ADMIN, REACH_ALL, false, false },
	{ "DELETE", "/api/v1/tokens/{id}", ANY, SCOPE_WRITE, REACH_SELF, false, false },

	/* the audit log: auditors only */
	{ "GET", "/api/v1/audit", ROLE_AUDITOR, SCOPE_AUDIT, REACH_ALL, false, false },
	{ "GET", "/api/v1/audit/verify", ROLE_AUDITOR, SCOPE_AUDIT, REACH_ALL, false, false },

	/* the anti-fraud database: reports, cases, identifiers (need-to-know in intel/) */
	{ "POST", "/api/v1/reports", ROLE_ANALYST, SCOPE_WRITE, REACH_ALL, false, false },
	{ "POST", "/api/v1/reports", CASEWORK | ROLE_REPORTER, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/reports", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/reports", CASEWORK | ROLE_REPORTER, SCOPE_READ, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/reports/{id}", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/reports/{id}", CASEWORK | ROLE_REPORTER, SCOPE_READ, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/reports/{id}/correlations", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/reports/{id}/correlations", CASEWORK | ROLE_REPORTER, SCOPE_READ, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/cases", ROLE_ANALYST, SCOPE_WRITE, REACH_ALL, false, false },
	{ "POST", "/api/v1/cases", CASEWORK, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/cases", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/cases", CASEWORK, SCOPE_READ, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/cases/{id}", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/cases/{id}", CASEWORK, SCOPE_READ, REACH_AGENCY, false, false },
	{ "PATCH", "/api/v1/cases/{id}", ROLE_ANALYST, SCOPE_WRITE, REACH_ALL, false, false },
	{ "PATCH", "/api/v1/cases/{id}", CASEWORK, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/cases/{id}/members", ROLE_ANALYST, SCOPE_WRITE, REACH_ALL, false, false },
	{ "POST", "/api/v1/cases/{id}/members", CASEWORK, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "DELETE", "/api/v1/cases/{id}/members/{user_id}", ROLE_ANALYST, SCOPE_WRITE, REACH_ALL, false, false },
	{ "DELETE", "/api/v1/cases/{id}/members/{user_id}", CASEWORK, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/cases/{id}/reports", ROLE_ANALYST, SCOPE_WRITE, REACH_ALL, false, false },
	{ "POST", "/api/v1/cases/{id}/reports", CASEWORK, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/cases/{id}/identifiers", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/cases/{id}/identifiers", CASEWORK, SCOPE_READ, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/cases/{id}/events", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/cases/{id}/events", CASEWORK, SCOPE_READ, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/identifiers/parse", ANY, SCOPE_READ, REACH_SELF, false, false },
	{ "POST", "/api/v1/identifiers/extract", ANY, SCOPE_WRITE, REACH_SELF, false, false },
	{ "GET", "/api/v1/identifiers", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/identifiers", CASEWORK | ROLE_REPORTER, SCOPE_READ, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/identifiers/{id}", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/identifiers/{id}", CASEWORK | ROLE_REPORTER, SCOPE_READ, REACH_AGENCY, false, false },

	/* asking a case for access after a blind hit; its owner or prosecutor decides */
	{ "POST", "/api/v1/cases/{id}/access-requests", CASEWORK | ROLE_ANALYST, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/access-requests", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/access-requests", CASEWORK, SCOPE_READ, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/access-requests/{id}/decision", ROLE_ANALYST, SCOPE_WRITE, REACH_ALL, false, false },
	{ "POST", "/api/v1/access-requests/{id}/decision", CASEWORK, SCOPE_WRITE, REACH_AGENCY, false, false },

	/* one's own watchlist */
	{ "GET", "/api/v1/watches", CASEWORK | ROLE_ANALYST | ROLE_REPORTER, SCOPE_READ, REACH_SELF, false, false },
	{ "POST", "/api/v1/watches", CASEWORK | ROLE_ANALYST | ROLE_REPORTER, SCOPE_WRITE, REACH_SELF, false, false },
	{ "DELETE", "/api/v1/watches/{id}", CASEWORK | ROLE_ANALYST | ROLE_REPORTER, SCOPE_WRITE, REACH_SELF, false, false },

	/* the risk lookup service: banks, telecoms, the 165 hotline, and case workers */
	{ "GET", "/api/v1/lookup", LOOKUP, SCOPE_LOOKUP, REACH_ALL, false, false },
	{ "POST", "/api/v1/lookup", LOOKUP, SCOPE_LOOKUP, REACH_ALL, false, false },

	/* listings: warning list, review queue, risk decisions, disputes (intel/listing_api.c) */
	{ "GET", "/api/v1/warning-list", ROLE_ANALYST | CASEWORK | ROLE_REPORTER, SCOPE_READ, REACH_ALL, false, false },
	{ "POST", "/api/v1/warning-list", ROLE_ANALYST, SCOPE_WRITE, REACH_ALL, false, false },
	{ "DELETE", "/api/v1/warning-list/{id}", ROLE_ANALYST, SCOPE_WRITE, REACH_ALL, false, false },
	{ "GET", "/api/v1/review", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "POST", "/api/v1/identifiers/{id}/review", ROLE_ANALYST, SCOPE_WRITE, REACH_ALL, false, false },
	{ "POST", "/api/v1/identifiers/{id}/risk", ROLE_ANALYST, SCOPE_WRITE, REACH_ALL, false, false },
	{ "POST", "/api/v1/identifiers/{id}/risk", ROLE_PROSECUTOR, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/disputes", ROLE_API_CLIENT | ROLE_ANALYST | CASEWORK | ROLE_REPORTER, SCOPE_WRITE, REACH_SELF, false, false },
	{ "GET", "/api/v1/disputes", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/disputes", ROLE_API_CLIENT | CASEWORK | ROLE_REPORTER, SCOPE_READ, REACH_SELF, false, false },
	{ "POST", "/api/v1/disputes/{id}/decision", ROLE_ANALYST, SCOPE_WRITE, REACH_ALL, false, false },

	/* statistics: the center counts everything, others what they may read (intel/stats.h) */
	{ "GET", "/api/v1/stats/reports", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/stats/reports", CASEWORK | ROLE_REPORTER, SCOPE_READ, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/stats/cases", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/stats/cases", CASEWORK, SCOPE_READ, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/stats/top-identifiers", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/stats/top-identifiers", CASEWORK | ROLE_REPORTER, SCOPE_READ, REACH_AGENCY, false, false },

	/* one's own notifications */
	{ "GET", "/api/v1/notifications", ANY, SCOPE_READ, REACH_SELF, false, false },
	{ "POST", "/api/v1/notifications/{id}/read", ANY, SCOPE_WRITE, REACH_SELF, false, false },

	/* link analysis and flows (graph/): the center everywhere, case workers within need-to-know */
	{ "POST", "/api/v1/flows/import", ROLE_ANALYST, SCOPE_WRITE, REACH_ALL, false, false },
	{ "POST", "/api/v1/flows/import", CASEWORK, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/graph/upstream", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/graph/upstream", CASEWORK, SCOPE_READ, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/graph/case-priority", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/graph/case-priority", CASEWORK, SCOPE_READ, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/graph/export", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/graph/export", CASEWORK, SCOPE_READ, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/graph/{analysis}", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/graph/{analysis}", CASEWORK, SCOPE_READ, REACH_AGENCY, false, false },

	/* bulk import: analysts for any agency, case workers and reporters as their own */
	{ "POST", "/api/v1/import", ROLE_ANALYST, SCOPE_WRITE, REACH_ALL, false, false },
	{ "POST", "/api/v1/import", CASEWORK | ROLE_REPORTER, SCOPE_WRITE, REACH_AGENCY, false, false },

	/*
	 * domain seizure (rpz/): prosecutors and investigators draft and file orders of their
	 * agency, a prosecutor (or an admin) records the court's grant, DNS operators (or
	 * admins) enforce and lift; the center and DNS operators see every order
	 */
	{ "GET", "/api/v1/orders", RPZ_ALL, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/orders", CASEWORK, SCOPE_READ, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/orders", CASEWORK, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/orders/{id}", RPZ_ALL, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/orders/{id}", CASEWORK, SCOPE_READ, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/orders/{id}/domains", CASEWORK, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/orders/{id}/file", CASEWORK, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/orders/{id}/grant", ROLE_ADMIN, SCOPE_WRITE, REACH_ALL, false, false },
	{ "POST", "/api/v1/orders/{id}/grant", ROLE_PROSECUTOR, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/orders/{id}/enforce", RPZ_OPS, SCOPE_WRITE, REACH_ALL, false, false },
	{ "POST", "/api/v1/orders/{id}/lift", RPZ_OPS, SCOPE_WRITE, REACH_ALL, false, false },
	{ "POST", "/api/v1/orders/{id}/lift-domain", RPZ_OPS, SCOPE_WRITE, REACH_ALL, false, false },
	{ "GET", "/api/v1/rpz/zones", RPZ_ALL | CASEWORK, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/rpz/zones/{name}/history", RPZ_ALL | CASEWORK, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/rpz/passthru", RPZ_ALL | CASEWORK, SCOPE_READ, REACH_ALL, false, false },
	{ "POST", "/api/v1/rpz/passthru", RPZ_OPS, SCOPE_WRITE, REACH_ALL, false, false },
	{ "DELETE", "/api/v1/rpz/passthru/{id}", RPZ_OPS, SCOPE_WRITE, REACH_ALL, false, false },
	{ "GET", "/api/v1/rpz/verifications", RPZ_ALL | CASEWORK, SCOPE_READ, REACH_ALL, false, false },
	{ "POST", "/api/v1/rpz/verify", RPZ_OPS, SCOPE_WRITE, REACH_ALL, false, false },

	/*
	 * incidents (incident/access.c decides by agency within these rows): reporters file
	 * for their agency and write the closing report; reviewers of the supervisory
	 * authority review, of the technical service center re-review, dispatch and change
	 * the level; an agency sees its own, an authority its subordinates', the service
	 * center and the center (analysts) every incident
	 */
	{ "GET", "/api/v1/incidents", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/incidents", INCIDENT_WORK, SCOPE_READ, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/incidents", INCIDENT_WORK, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/incidents/{id}", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/incidents/{id}", INCIDENT_WORK, SCOPE_READ, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/incidents/{id}/timeline", ROLE_ANALYST, SCOPE_READ, REACH_ALL, false, false },
	{ "GET", "/api/v1/incidents/{id}/timeline", INCIDENT_WORK, SCOPE_READ, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/incidents/{id}/supplement", ROLE_REPORTER, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/incidents/{id}/review", ROLE_REVIEWER, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/incidents/{id}/rereview", ROLE_REVIEWER, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/incidents/{id}/level", ROLE_REVIEWER, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/incidents/{id}/dispatch", ROLE_REVIEWER, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/incidents/{id}/close-report", ROLE_REPORTER, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "POST", "/api/v1/incidents/{id}/close", ROLE_REVIEWER, SCOPE_WRITE, REACH_AGENCY, false, false },
	{ "GET", "/api/v1/incident-policy", INCIDENT_WORK | ROLE_ANALYST | ROLE_ADMIN, SCOPE_READ, REACH_ALL, false, false },

	/* the role × endpoint table itself, for the UI's navigation */
	{ "GET", "/api/v1/policy", ANY, SCOPE_READ, REACH_SELF, false, false },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static bool same(const struct auth_policy *r, const char *method, const char *pattern)
{
	return strcmp(r->method, method) == 0 && strcmp(r->pattern, pattern) == 0;
}

bool auth_policy_has(const char *method, const char *pattern)
{
	for (size_t i = 0; i < NROWS; i++)
		if (same(&rows[i], method, pattern))
			return true;
	return false;
}

bool auth_policy_is_public(const char *method, const char *pattern)
{
	for (size_t i = 0; i < NROWS; i++)
		if (same(&rows[i], method, pattern) && rows[i].public_route)
			return true;
	return false;
}

bool auth_policy_csrf_exempt(const char *method, const char *pattern)
{
	for (size_t i = 0; i < NROWS; i++)
		if (same(&rows[i], method, pattern) && rows[i].csrf_exempt)
			return true;
	return false;
}

/*
 * Every request is decided here, and the table has over a hundred rows: a
 * hash of each row's method and pattern, computed once, skips the rows of
 * other endpoints without two strcmp() each.
 */
static uint32_t row_hash[NROWS];
static pthread_once_t row_hash_once = PTHREAD_ONCE_INIT;

static uint32_t endpoint_hash(const char *method, const char *pattern)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (const char *s = method; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	h = (h ^ ' ') * 16777619u;
	for (const char *s = pattern; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void hash_rows(void)
{
	for (size_t i = 0; i < NROWS; i++)
		row_hash[i] = endpoint_hash(rows[i].method, rows[i].pattern);
}

enum auth_reach auth_policy_decide(const struct auth_principal *p, const char *method,
	const char *pattern)
{
	enum auth_reach reach = REACH_NONE;
	uint32_t h = endpoint_hash(method, pattern);

	pthread_once(&row_hash_once, hash_rows);
	for (size_t i = 0; i < NROWS; i++) {
		const struct auth_policy *r = &rows[i];
		if (row_hash[i] != h || !same(r, method, pattern))
			continue;
		if (r->public_route)
			return r->reach;
		if ((r->roles & p->roles) && (r->scope & p->scopes) && r->reach > reach)
			reach = r->reach;
	}
	return reach;
}

const struct auth_policy *auth_policy_rows(size_t *count)
{
	*count = NROWS;
	return rows;
}

bool auth_reach_allows(const struct auth_principal *p, enum auth_reach reach, int64_t agency_id,
	int64_t owner_user_id)
{
	switch (reach) {
	case REACH_ALL:
		return true;
	case REACH_AGENCY:
		return agency_id == p->agency_id || (owner_user_id && owner_user_id == p->user_id);
	case REACH_SELF:
		return owner_user_id && owner_user_id == p->user_id;
	case REACH_NONE:
		break;
	}
	return false;
}
