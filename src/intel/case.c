/*
 * intel/case.c - cases (案件): a Taiwanese case number, the owning office,
 * members (need-to-know), status, and the reports linked to it.
 */
#include "intel/internal.h"

#include <string.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "intel/case_number.h"
#include "store/store.h"

static const char *const member_roles[] = { "owner", "prosecutor", "investigator", "analyst",
	"viewer", NULL };

#define CASE_COLUMNS "id, number, office_id, title, status, created_by, created_at, updated_at"

static void from_row(struct store_stmt *st, struct intel_case *k)
{
	memset(k, 0, sizeof(*k));
	k->id = store_col_int64(st, 0);
	str_copy(k->number, sizeof(k->number), store_col_text(st, 1));
	k->office_id = store_col_int64(st, 2);
	str_copy(k->title, sizeof(k->title), store_col_text(st, 3));
	str_copy(k->status, sizeof(k->status), store_col_text(st, 4));
	k->created_by = store_col_int64(st, 5);
	str_copy(k->created_at, sizeof(k->created_at), store_col_text(st, 6));
	str_copy(k->updated_at, sizeof(k->updated_at), store_col_text(st, 7));
}

static int audit_case(struct store_conn *c, const struct audit_event *ev, int64_t id,
	const char *detail)
{
	struct audit_event e;
	char idtext[24];

	if (!ev)
		return 0;
	e = *ev;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	e.object_id = idtext;
	if (detail)
		e.detail = detail;
	return audit_append(c, &e);
}

static int insert_member(struct store_conn *c, int64_t case_id, int64_t user_id,
	const char *role, int64_t by)
{
	char now[32];
	int ret;

	clock_format_iso_s(clock_now(), now, sizeof(now));
	ret = store_exec(c,
		"INSERT INTO case_members (case_id, user_id, role, added_by, added_at)"
		" VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_id, user_id) DO UPDATE SET role = excluded.role",
		"iitit", case_id, user_id, role, by, now);
	return ret < 0 ? ret : 0;
}

int intel_case_create(struct store_conn *c, struct intel_case *k, int64_t owner_user_id,
	const struct audit_event *ev, struct err_msg *err)
{
	struct case_number num;
	struct agency office;
	struct store_stmt *st;
	int ret = case_number_parse(k->number, &num, err);

	if (ret)
		return ret;
	if (agency_get(c, k->office_id, &office))
		return err_set(err, ERR_INVAL, "office_id", "no agency with id %lld",
			(long long)k->office_id);
	if (!k->status[0])
		str_copy(k->status, sizeof(k->status), "open");
	if (!intel_enum_valid(intel_case_statuses, k->status))
		return err_set(err, ERR_INVAL, "status", "unknown status '%s'", k->status);
	str_copy(k->number, sizeof(k->number), num.text);
	clock_format_iso_s(clock_now(), k->created_at, sizeof(k->created_at));
	str_copy(k->updated_at, sizeof(k->updated_at), k->created_at);
	k->created_by = owner_user_id;
	ret = store_begin(c);
	if (!ret)
		ret = store_query(c, &st,
			"INSERT INTO cases (number, roc_year, word, serial, office_id, title, status,"
			" created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			" RETURNING id",
			"titiittitt", k->number, (int64_t)num.roc_year, num.word, num.serial,
			k->office_id, k->title, k->status, owner_user_id, k->created_at, k->updated_at);
	if (!ret) {
		ret = store_step(st);
		if (ret == STORE_ROW) {
			k->id = store_col_int64(st, 0);
			ret = 0;
		}
		store_finish(st);
	}
	if (!ret && owner_user_id)
		ret = insert_member(c, k->id, owner_user_id, "owner", owner_user_id);
	if (!ret)
		ret = audit_case(c, ev, k->id, k->number);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	if (ret == ERR_CONFLICT)
		err_set(err, ret, "number", "case %s already exists", k->number);
	return ret;
}

static int get_where(struct store_conn *c, struct intel_case *out, const char *sql,
	const char *fmt, int64_t id, const char *text)
{
	struct store_stmt *st;
	int ret = *fmt == 'i' ? store_query(c, &st, sql, fmt, id) : store_query(c, &st, sql, fmt, text);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW)
		from_row(st, out);
	store_finish(st);
	return ret == STORE_ROW ? 0 : ret == STORE_DONE ? ERR_NOTFOUND : ret;
}

int intel_case_get(struct store_conn *c, int64_t id, struct intel_case *out)
{
	return get_where(c, out, "SELECT " CASE_COLUMNS " FROM cases WHERE id = ?", "i", id, NULL);
}

int intel_case_find(struct store_conn *c, const char *number, struct intel_case *out)
{
	struct case_number num;

	if (case_number_parse(number, &num, NULL))
		return ERR_NOTFOUND;
	return get_where(c, out, "SELECT " CASE_COLUMNS " FROM cases WHERE number = ?", "t", 0,
		num.text);
}

int intel_case_update(struct store_conn *c, const struct intel_case *k,
	const struct audit_event *ev, struct err_msg *err)
{
	struct intel_case old;
	char now[32], detail[sizeof(old.title) + 96];
	int ret;

	if (!intel_enum_valid(intel_case_statuses, k->status))
		return err_set(err, ERR_INVAL, "status", "unknown status '%s'", k->status);
	ret = intel_case_get(c, k->id, &old);
	if (ret)
		return ret;
	/* The audit detail is the case's history (its timeline): what changed, from what. */
	if (strcmp(old.status, k->status) && strcmp(old.title, k->title))
		snprintf(detail, sizeof(detail), "status %s → %s; title %s", old.status, k->status,
			k->title);
	else if (strcmp(old.title, k->title))
		snprintf(detail, sizeof(detail), "title %s", k->title);
	else
		snprintf(detail, sizeof(detail), "status %s → %s", old.status, k->status);
	clock_format_iso_s(clock_now(), now, sizeof(now));
	ret = store_begin(c);
	if (!ret)
		ret = store_exec(c, "UPDATE cases SET title = ?, status = ?, updated_at = ? WHERE id = ?",
			"ttti", k->title, k->status, now, k->id);
	if (ret == 0)
		ret = ERR_NOTFOUND;
	if (ret > 0)
		ret = audit_case(c, ev, k->id, detail);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

bool intel_case_is_member(struct store_conn *c, int64_t case_id, int64_t user_id)
{
	int64_t n = 0;

	return case_id && user_id &&
		!store_query_int64(c, &n,
			"SELECT COUNT(*) FROM case_members WHERE case_id = ? AND user_id = ?", "ii",
			case_id, user_id) &&
		n > 0;
}

bool intel_case_visible(struct store_conn *c, const struct auth_principal *p, int reach,
	const struct intel_case *k)
{
	return reach == REACH_ALL || intel_case_is_member(c, k->id, p->user_id);
}

int intel_case_members(struct store_conn *c, int64_t case_id, struct intel_case_member **out,
	size_t *n)
{
	struct intel_case_member *items = NULL;
	struct store_stmt *st;
	size_t count = 0;
	int ret = store_query(c, &st,
		"SELECT m.user_id, u.username, u.display_name, u.agency_id, m.role, m.added_at"
		" FROM case_members m JOIN users u ON u.id = m.user_id WHERE m.case_id = ?"
		" ORDER BY m.added_at, m.user_id",
		"i", case_id);

	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW) {
		struct intel_case_member *m;
		items = xreallocarray(items, count + 1, sizeof(*items));
		m = &items[count++];
		memset(m, 0, sizeof(*m));
		m->user_id = store_col_int64(st, 0);
		str_copy(m->username, sizeof(m->username), store_col_text(st, 1));
		str_copy(m->display_name, sizeof(m->display_name), store_col_text(st, 2));
		m->agency_id = store_col_int64(st, 3);
		str_copy(m->role, sizeof(m->role), store_col_text(st, 4));
		str_copy(m->added_at, sizeof(m->added_at), store_col_text(st, 5));
	}
	store_finish(st);
	if (ret < 0) {
		free(items);
		return ret;
	}
	*out = items;
	*n = count;
	return 0;
}

int intel_case_add_member(struct store_conn *c, int64_t case_id, int64_t user_id,
	const char *role, const struct audit_event *ev, struct err_msg *err)
{
	struct auth_user u;
	char detail[96];
	int ret;

	if (!intel_enum_valid(member_roles, role))
		return err_set(err, ERR_INVAL, "role",
			"unknown member role '%s' (owner, prosecutor, investigator, analyst, viewer)",
			role);
	if (auth_user_get(c, user_id, &u) || u.disabled)
		return err_set(err, ERR_INVAL, "user_id", "no active user with id %lld",
			(long long)user_id);
	snprintf(detail, sizeof(detail), "%s as %s", u.username, role);
	ret = store_begin(c);
	if (!ret)
		ret = insert_member(c, case_id, user_id, role, ev ? ev->actor_user_id : 0);
	if (!ret)
		ret = audit_case(c, ev, case_id, detail);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

int intel_case_remove_member(struct store_conn *c, int64_t case_id, int64_t user_id,
	const struct audit_event *ev, struct err_msg *err)
{
	struct auth_user u;
	char detail[96];
	int ret;

	snprintf(detail, sizeof(detail), "user %lld", (long long)user_id);
	if (!auth_user_get(c, user_id, &u))
		snprintf(detail, sizeof(detail), "%s", u.username);
	ret = store_begin(c);

	if (!ret)
		ret = store_exec(c, "DELETE FROM case_members WHERE case_id = ? AND user_id = ?", "ii",
			case_id, user_id);
	if (ret == 0)
		ret = err_set(err, ERR_NOTFOUND, "user_id", "user %lld is not a member",
			(long long)user_id);
	if (ret > 0)
		ret = audit_case(c, ev, case_id, detail);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

int intel_case_link_report(struct store_conn *c, int64_t case_id, int64_t report_id,
	const struct audit_event *ev, struct err_msg *err)
{
	char detail[48];
	int ret = store_begin(c);

	snprintf(detail, sizeof(detail), "report %lld", (long long)report_id);
	if (!ret)
		ret = store_exec(c,
			"UPDATE reports SET case_id = ? WHERE id = ? AND (case_id IS NULL OR case_id = ?)",
			"iii", case_id, report_id, case_id);
	if (ret == 0)
		ret = err_set(err, ERR_CONFLICT, "report_id",
			"report %lld does not exist or belongs to another case", (long long)report_id);
	if (ret > 0)
		ret = audit_case(c, ev, case_id, detail);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}
