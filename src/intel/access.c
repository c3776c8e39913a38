/*
 * intel/access.c - asking a case for access (偵查不公開 with a way in): a
 * case worker who got a blind hit asks the owning case; its owner or
 * prosecutor (or the center) grants — the requester becomes a viewer — or
 * refuses. Every step is audited and notified.
 *
 *   request() ──► pending ──decide(grant)──► granted (member as viewer)
 *                    │  └───decide(refuse)─► refused
 *                    └──withdraw()─────────► withdrawn
 */
#include "intel/internal.h"

#include <string.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "notify/notify.h"
#include "store/store.h"

/* Tell the case's owners and prosecutors; within the caller's transaction. */
static int notify_deciders(struct store_conn *c, const struct intel_case *k, const char *who,
	int64_t request_id)
{
	struct intel_case_member *m = NULL;
	char title[256], link[64];
	size_t n = 0;
	int ret = intel_case_members(c, k->id, &m, &n);

	snprintf(title, sizeof(title), "存取申請 Access request: %s asks to see case %s", who,
		k->number);
	snprintf(link, sizeof(link), "/api/v1/access-requests/%lld", (long long)request_id);
	for (size_t i = 0; i < n && !ret; i++)
		if (!strcmp(m[i].role, "owner") || !strcmp(m[i].role, "prosecutor"))
			ret = notify_user(c, m[i].user_id, "access.requested", title, link);
	free(m);
	return ret;
}

int intel_access_request(struct store_conn *c, int64_t case_id, const struct auth_principal *p,
	const char *reason, const struct audit_event *ev, int64_t *id_out, struct err_msg *err)
{
	struct intel_case k;
	struct store_stmt *st = NULL;
	char now[32], idtext[24];
	int64_t pending = 0;
	int ret;

	if (str_empty(reason) || strlen(reason) > 2000)
		return err_set(err, ERR_INVAL, "reason", "say why you need the case (1 to 2000 bytes)");
	if (intel_case_get(c, case_id, &k))
		return err_set(err, ERR_NOTFOUND, "case_id", "no case %lld", (long long)case_id);
	if (intel_case_is_member(c, case_id, p->user_id))
		return err_set(err, ERR_CONFLICT, "case_id", "you are already a member of this case");
	ret = store_begin(c);
	if (!ret)
		ret = store_query_int64(c, &pending,
			"SELECT COUNT(*) FROM access_requests WHERE case_id = ? AND requester_id = ?"
			" AND status = 'pending'",
			"ii", case_id, p->user_id);
	if (!ret && pending)
		ret = err_set(err, ERR_CONFLICT, "case_id", "you already have a pending request");
	clock_format_iso_s(clock_now(), now, sizeof(now));
	if (!ret)
		ret = store_query(c, &st,
			"INSERT INTO access_requests (case_id, requester_id, reason, created_at)"
			" VALUES (?, ?, ?, ?) RETURNING id",
			"iitt", case_id, p->user_id, reason, now);
	if (!ret) {
		ret = store_step(st) == STORE_ROW ? 0 : ERR_STORE;
		*id_out = ret ? 0 : store_col_int64(st, 0);
		store_finish(st);
	}
	if (!ret)
		ret = notify_deciders(c, &k, p->username, *id_out);
	if (!ret && ev) {
		struct audit_event e = *ev;
		snprintf(idtext, sizeof(idtext), "%lld", (long long)case_id);
		e.object_type = "case";
		e.object_id = idtext;
		ret = audit_append(c, &e);
	}
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

int intel_access_get(struct store_conn *c, int64_t id, struct intel_access_request *out)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT a.id, a.case_id, k.number, a.requester_id, u.username, u.agency_id, a.reason,"
		" a.status, COALESCE(a.decided_by, 0), COALESCE(a.decided_at, ''), a.note, a.created_at"
		" FROM access_requests a JOIN cases k ON k.id = a.case_id"
		" JOIN users u ON u.id = a.requester_id WHERE a.id = ?",
		"i", id);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		memset(out, 0, sizeof(*out));
		out->id = store_col_int64(st, 0);
		out->case_id = store_col_int64(st, 1);
		str_copy(out->case_number, sizeof(out->case_number), store_col_text(st, 2));
		out->requester_id = store_col_int64(st, 3);
		str_copy(out->requester, sizeof(out->requester), store_col_text(st, 4));
		out->requester_agency_id = store_col_int64(st, 5);
		str_copy(out->reason, sizeof(out->reason), store_col_text(st, 6));
		str_copy(out->status, sizeof(out->status), store_col_text(st, 7));
		out->decided_by = store_col_int64(st, 8);
		str_copy(out->decided_at, sizeof(out->decided_at), store_col_text(st, 9));
		str_copy(out->note, sizeof(out->note), store_col_text(st, 10));
		str_copy(out->created_at, sizeof(out->created_at), store_col_text(st, 11));
	}
	store_finish(st);
	return ret == STORE_ROW ? 0 : ret == STORE_DONE ? ERR_NOTFOUND : ret;
}

bool intel_access_may_decide(struct store_conn *c, const struct auth_principal *p, int reach,
	int64_t case_id)
{
	struct intel_case_member *m = NULL;
	size_t n = 0;
	bool ok = reach == REACH_ALL;

	if (!ok && !intel_case_members(c, case_id, &m, &n))
		for (size_t i = 0; i < n; i++)
			ok |= m[i].user_id == p->user_id &&
				(!strcmp(m[i].role, "owner") || !strcmp(m[i].role, "prosecutor"));
	free(m);
	return ok;
}

int intel_access_decide(struct store_conn *c, int64_t id, const struct auth_principal *p,
	bool grant, const char *note, const struct audit_event *ev, struct err_msg *err)
{
	struct intel_access_request a;
	char now[32], title[256], link[64], idtext[24];
	int ret = intel_access_get(c, id, &a);

	if (ret)
		return err_set(err, ret, "id", "no access request %lld", (long long)id);
	if (strcmp(a.status, "pending"))
		return err_set(err, ERR_CONFLICT, "id", "the request was already %s", a.status);
	clock_format_iso_s(clock_now(), now, sizeof(now));
	ret = store_begin(c);
	if (!ret)
		ret = store_exec(c,
			"UPDATE access_requests SET status = ?, decided_by = ?, decided_at = ?, note = ?"
			" WHERE id = ? AND status = 'pending'",
			"titti", grant ? "granted" : "refused", p->user_id, now,
			note ? note : "", id);
	ret = ret < 0 ? ret : ret == 0 ? ERR_CONFLICT : 0;
	/* A granted requester reads the case as a viewer from now on. */
	if (!ret && grant)
		ret = store_exec(c,
			"INSERT INTO case_members (case_id, user_id, role, added_by, added_at)"
			" VALUES (?, ?, 'viewer', ?, ?) ON CONFLICT (case_id, user_id) DO NOTHING",
			"iiit", a.case_id, a.requester_id, p->user_id, now);
	ret = ret < 0 ? ret : 0;
	snprintf(title, sizeof(title), "%s: case %s", grant ? "存取已核准 Access granted"
							   : "存取未核准 Access refused",
		a.case_number);
	snprintf(link, sizeof(link), "/api/v1/cases/%lld", (long long)a.case_id);
	if (!ret)
		ret = notify_user(c, a.requester_id, "access.decided", title, link);
	if (!ret && ev) {
		struct audit_event e = *ev;
		snprintf(idtext, sizeof(idtext), "%lld", (long long)a.case_id);
		e.action = grant ? "case.access.grant" : "case.access.refuse";
		e.object_type = "case";
		e.object_id = idtext;
		e.detail = a.requester;
		ret = audit_append(c, &e);
	}
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}
