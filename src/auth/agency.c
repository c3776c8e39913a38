/*
 * auth/agency.c - agencies (機關): the center, district prosecutors offices,
 * police, banks, telecoms … each optionally under a supervisory authority.
 */
#include "auth/internal.h"

#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

#define AGENCY_COLUMNS AUTH_AGENCY_COLUMNS

void auth_agency_from_row(struct store_stmt *st, int col, struct agency *a)
{
	memset(a, 0, sizeof(*a));
	a->id = store_col_int64(st, col);
	str_copy(a->name, sizeof(a->name), store_col_text(st, col + 1));
	str_copy(a->name_en, sizeof(a->name_en), store_col_text(st, col + 2));
	str_copy(a->code, sizeof(a->code), store_col_text(st, col + 3));
	if (agency_kind_parse(store_col_text(st, col + 4), &a->kind))
		a->kind = AGENCY_GOVERNMENT;
	a->supervisor_id = store_col_int64(st, col + 5);
	a->disabled = store_col_int64(st, col + 6) != 0;
	str_copy(a->created_at, sizeof(a->created_at), store_col_text(st, col + 7));
}

static int validate(struct store_conn *c, const struct agency *a, struct err_msg *err)
{
	struct agency sup;

	if (str_empty(a->name))
		return err_set(err, ERR_INVAL, "name", "is required");
	if (str_empty(a->code))
		return err_set(err, ERR_INVAL, "code", "is required");
	if (strspn(a->code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
		strlen(a->code))
		return err_set(err, ERR_INVAL, "code", "only letters, digits, '-' and '_' are allowed");
	if (a->kind < AGENCY_HIGH_PROSECUTORS || a->kind > AGENCY_FOREIGN_PARTNER)
		return err_set(err, ERR_INVAL, "kind", "unknown agency kind");
	if (a->supervisor_id) {
		if (a->supervisor_id == a->id)
			return err_set(err, ERR_INVAL, "supervisor", "an agency cannot supervise itself");
		if (agency_get(c, a->supervisor_id, &sup))
			return err_set(err, ERR_INVAL, "supervisor", "no agency with id %lld",
				(long long)a->supervisor_id);
	}
	return 0;
}

/* Name the field of a unique violation: the code when another agency holds it, else the name. */
static int conflict(struct store_conn *c, const struct agency *a, int ret, struct err_msg *err)
{
	int64_t other;

	if (ret != ERR_CONFLICT)
		return ret;
	if (store_query_int64(c, &other, "SELECT id FROM agencies WHERE code = ? AND id != ?", "ti",
		    a->code, a->id) == 0)
		return err_set(err, ret, "code", "an agency with code '%s' already exists", a->code);
	return err_set(err, ret, "name", "an agency named '%s' already exists", a->name);
}

int agency_create(struct store_conn *c, struct agency *a, const struct audit_event *ev,
	struct err_msg *err)
{
	struct store_stmt *st = NULL;
	char id[24];
	int ret = validate(c, a, err);

	if (ret)
		return ret;
	auth_time(0, a->created_at);
	ret = store_begin(c);
	if (!ret)
		ret = store_query(c, &st,
			"INSERT INTO agencies (name, name_en, code, kind, supervisor_id, disabled,"
			" created_at) VALUES (?, ?, ?, ?, NULLIF(?, 0), ?, ?) RETURNING id",
			"ttttibt", a->name, a->name_en, a->code, agency_kind_name(a->kind),
			a->supervisor_id, (int)a->disabled, a->created_at);
	if (!ret) {
		ret = store_step(st);
		if (ret == STORE_ROW) {
			a->id = store_col_int64(st, 0);
			ret = 0;
		}
		store_finish(st);
	}
	if (!ret && ev) {
		struct audit_event e = *ev;
		snprintf(id, sizeof(id), "%lld", (long long)a->id);
		e.object_id = id;
		e.detail = a->code;
		ret = audit_append(c, &e);
	}
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return conflict(c, a, ret, err);
}

int agency_get(struct store_conn *c, int64_t id, struct agency *out)
{
	struct store_stmt *st;
	int ret = store_query(c, &st, "SELECT " AGENCY_COLUMNS " FROM agencies WHERE id = ?", "i",
		id);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		auth_agency_from_row(st, 0, out);
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_NOTFOUND;
	}
	store_finish(st);
	return ret;
}

int agency_find(struct store_conn *c, const char *key, struct agency *out)
{
	struct store_stmt *st;
	int64_t id;
	int ret;

	if (str_to_int64(key, 1, INT64_MAX, &id) == 0)
		return agency_get(c, id, out);
	ret = store_query(c, &st,
		"SELECT " AGENCY_COLUMNS " FROM agencies WHERE code = ? OR name = ? ORDER BY id", "tt",
		key, key);
	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		auth_agency_from_row(st, 0, out);
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_NOTFOUND;
	}
	store_finish(st);
	return ret;
}

static void agency_item(struct store_stmt *st, void *item)
{
	auth_agency_from_row(st, 0, item);
}

int agency_list(struct store_conn *c, struct agency **out, size_t *n)
{
	struct store_stmt *st;
	int ret = store_query(c, &st, "SELECT " AGENCY_COLUMNS " FROM agencies ORDER BY id", "");

	return ret ? ret : store_collect(st, sizeof(**out), agency_item, (void **)out, n);
}

int agency_update(struct store_conn *c, const struct agency *a, const struct audit_event *ev,
	struct err_msg *err)
{
	int ret = validate(c, a, err);

	if (ret)
		return ret;
	ret = store_begin(c);
	if (!ret)
		ret = store_exec(c,
			"UPDATE agencies SET name = ?, name_en = ?, code = ?, kind = ?,"
			" supervisor_id = NULLIF(?, 0), disabled = ? WHERE id = ?",
			"ttttibi", a->name, a->name_en, a->code, agency_kind_name(a->kind),
			a->supervisor_id, (int)a->disabled, a->id);
	if (ret == 0)
		ret = ERR_NOTFOUND;
	if (ret > 0)
		ret = ev ? audit_append(c, ev) : 0;
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return conflict(c, a, ret, err);
}
