/*
 * intel/report.c - reports (通報/報案): validate, store with their
 * identifiers, recognise the same report arriving through several channels,
 * and keep each identifier's counts current.
 *
 * Counting rules (what "reported N times" means everywhere):
 *  1. A report counts once per identifier, whatever roles it plays in it.
 *  2. A likely duplicate (duplicate_of set) counts nothing: it is the same
 *     victim's loss arriving again through another channel.
 *  3. The victim's own identifiers (role "victim") and identifiers on the
 *     warning list are stored but never counted, so they never correlate.
 *  4. An identifier whose count crosses fanout_review_threshold is flagged
 *     for review (review_flag 1) instead of flooding every case with hits;
 *     a reviewer clears it (2) or puts it on the warning list.
 *
 * Bulk import (import_store.c) applies the same rules from an in-memory
 * cache; change them in both places (tests/unit/intel/test_import_equiv.c
 * compares the two).
 */
#include "intel/internal.h"

#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "config/config.h"
#include "store/store.h"

static int64_t intel_fanout_review_threshold = 200;

void intel_configure(const struct config *cfg)
{
	intel_fanout_review_threshold = cfg->fanout_review_threshold;
	intel_lookup_configure(cfg);
}

void intel_report_release(struct intel_report *r)
{
	if (!r)
		return;
	free(r->narrative);
	free(r->idents);
	r->narrative = NULL;
	r->idents = NULL;
	r->nidents = 0;
}

int intel_report_add_ident(struct intel_report *r, enum ident_type type, const char *value,
	const char *role, const char *field, struct err_msg *err)
{
	struct intel_report_ident *ri;
	int ret;

	if (r->nidents == INTEL_MAX_REPORT_IDENTS)
		return err_set(err, ERR_LIMIT, field, "a report holds at most %d identifiers",
			INTEL_MAX_REPORT_IDENTS);
	if (!intel_enum_valid(intel_roles, role))
		return err_set(err, ERR_INVAL, field, "unknown role '%s'", role);
	/* Room doubles (1, 2, 4 …): an identifier is 3 KB, and bulk import adds many. */
	if (!(r->nidents & (r->nidents - 1)))
		r->idents = xreallocarray(r->idents, r->nidents ? r->nidents * 2 : 1,
			sizeof(*r->idents));
	ri = &r->idents[r->nidents];
	memset(ri, 0, sizeof(*ri));
	ret = type ? ident_parse(&ri->id, type, value, strlen(value), err)
		   : ident_detect(&ri->id, value, strlen(value), err);
	if (ret) {
		if (err) {
			str_copy(err->field, sizeof(err->field), field);
			ret = ERR_INVAL;
		}
		return ret;
	}
	str_copy(ri->role, sizeof(ri->role), role);
	str_copy(ri->raw, sizeof(ri->raw), value);
	r->nidents++;
	return 0;
}

int64_t intel_review_threshold(void)
{
	return intel_fanout_review_threshold;
}

int intel_report_check(const struct intel_report *r, struct err_msg *err)
{
	if (!intel_enum_valid(intel_crime_types, r->crime_type))
		return err_set(err, ERR_INVAL, "crime_type", "unknown crime type '%s'", r->crime_type);
	if (!intel_enum_valid(intel_victim_kinds, r->victim_kind))
		return err_set(err, ERR_INVAL, "victim_kind", "unknown victim kind '%s'",
			r->victim_kind);
	if (r->payment_method[0] && !intel_enum_valid(intel_payment_methods, r->payment_method))
		return err_set(err, ERR_INVAL, "payment_method", "unknown payment method '%s'",
			r->payment_method);
	if (!r->channel[0])
		return err_set(err, ERR_INVAL, "channel", "is required");
	if (r->loss_twd < 0)
		return err_set(err, ERR_INVAL, "loss_twd", "must not be negative");
	if (!r->reported_at)
		return err_set(err, ERR_INVAL, "reported_at", "is required");
	if (r->occurred_at && r->occurred_at > r->reported_at + 86400)
		return err_set(err, ERR_INVAL, "occurred_at", "is after reported_at");
	if (r->reported_at > clock_now() + 86400)
		return err_set(err, ERR_INVAL, "reported_at", "is in the future");
	return 0;
}

static int validate(struct store_conn *c, const struct intel_report *r, struct err_msg *err)
{
	int64_t exists = 0;
	int ret = intel_report_check(r, err);

	if (ret)
		return ret;
	if (store_query_int64(c, &exists, "SELECT COUNT(*) FROM agencies WHERE id = ?", "i",
		    r->agency_id) || !exists)
		return err_set(err, ERR_INVAL, "agency_id", "no agency with id %lld",
			(long long)r->agency_id);
	return 0;
}

/* The row ids of r's identifiers, computed once; rows[i] for r->idents[i]. */
static int upsert_all(struct store_conn *c, const struct intel_report *r, int64_t *rows)
{
	int ret = 0;

	for (size_t i = 0; i < r->nidents && !ret; i++)
		ret = intel_ident_upsert(c, &r->idents[i].id, &rows[i]);
	return ret;
}

/*
 * A likely duplicate: an earlier, non-duplicate report sharing an identifier
 * with r, of the same crime type, within three days, through another channel
 * or agency, with the same loss or the same victim identifier.
 */
static int64_t find_duplicate(struct store_conn *c, const struct intel_report *r,
	const int64_t *rows)
{
	int64_t when = r->occurred_at ? r->occurred_at : r->reported_at;
	int64_t found = 0;

	for (size_t i = 0; i < r->nidents && !found; i++) {
		struct store_stmt *st;
		bool victim = intel_role_is_victim(r->idents[i].role);
		if (store_query(c, &st,
			    "SELECT rp.id, rp.channel, rp.agency_id, COALESCE(rp.occurred_at,"
			    " rp.reported_at), rp.loss_twd, rp.crime_type, o.role FROM observations o"
			    " JOIN reports rp ON rp.id = o.report_id WHERE o.identifier_id = ?"
			    " AND rp.duplicate_of IS NULL ORDER BY rp.id LIMIT 200",
			    "i", rows[i]))
			return 0;
		while (!found && store_step(st) == STORE_ROW) {
			int64_t t = intel_time_parse(store_col_text(st, 3));
			bool other_channel = strcmp(store_col_text(st, 1), r->channel) ||
				store_col_int64(st, 2) != r->agency_id;
			bool same_loss = r->loss_twd > 0 && store_col_int64(st, 4) == r->loss_twd;
			bool same_victim = victim && intel_role_is_victim(store_col_text(st, 6));
			if (other_channel && !strcmp(store_col_text(st, 5), r->crime_type) &&
				llabs(t - when) <= 3 * 86400 && (same_loss || same_victim))
				found = store_col_int64(st, 0);
		}
		store_finish(st);
	}
	return found;
}

static int insert_report(struct store_conn *c, struct intel_report *r)
{
	char occurred[32], reported[32];
	struct store_stmt *st;
	int ret;

	intel_time(r->occurred_at, occurred);
	intel_time(r->reported_at, reported);
	clock_format_iso_s(clock_now(), r->created_at, sizeof(r->created_at));
	ret = store_query(c, &st,
		"INSERT INTO reports (source_ref, agency_id, channel, occurred_at, reported_at,"
		" victim_kind, victim_sector, crime_type, loss_twd, loss_currency, loss_amount,"
		" payment_method, narrative, case_id, duplicate_of, created_by, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?)"
		" RETURNING id",
		"titttttti" "tttt" "iiit", r->source_ref[0] ? r->source_ref : NULL, r->agency_id,
		r->channel, occurred[0] ? occurred : NULL, reported, r->victim_kind,
		r->victim_sector, r->crime_type, r->loss_twd, r->loss_currency, r->loss_amount,
		r->payment_method, r->narrative ? r->narrative : "", r->case_id, r->duplicate_of,
		r->created_by, r->created_at);
	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		r->id = store_col_int64(st, 0);
		ret = 0;
	}
	store_finish(st);
	return ret;
}

/* Count r once for each distinct identifier row that may correlate (rules 1-4). */
static int count_identifiers(struct store_conn *c, const struct intel_report *r,
	const int64_t *rows)
{
	int64_t when = r->occurred_at ? r->occurred_at : r->reported_at;
	char seen[32];
	int ret = 0;

	intel_time(when, seen);
	for (size_t i = 0; i < r->nidents && !ret; i++) {
		bool repeat = false;
		for (size_t j = 0; j < i; j++)
			repeat |= rows[j] == rows[i];
		if (repeat || intel_role_is_victim(r->idents[i].role) ||
			intel_warning_match(c, &r->idents[i].id))
			continue;
		ret = store_exec(c,
			"UPDATE identifiers SET report_count = report_count + 1, loss_twd = loss_twd + ?,"
			" first_seen = CASE WHEN first_seen IS NULL OR first_seen > ? THEN ? ELSE"
			" first_seen END,"
			" last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ? ELSE last_seen END,"
			" risk = CASE WHEN risk = 'none' THEN 'reported' ELSE risk END,"
			" review_flag = CASE WHEN review_flag = 0 AND report_count + 1 >= ? THEN 1 ELSE"
			" review_flag END WHERE id = ?",
			"itttt" "ii", r->loss_twd, seen, seen, seen, seen, intel_fanout_review_threshold,
			rows[i]);
		ret = ret < 0 ? ret : intel_watch_notify(c, r, rows[i], &r->idents[i].id);
	}
	return ret;
}

static int insert_observations(struct store_conn *c, const struct intel_report *r,
	const int64_t *rows)
{
	int ret = 0;

	for (size_t i = 0; i < r->nidents && !ret; i++) {
		ret = store_exec(c,
			"INSERT INTO observations (identifier_id, report_id, role, raw) VALUES (?, ?, ?, ?)"
			" ON CONFLICT DO NOTHING",
			"iitt", rows[i], r->id, r->idents[i].role, r->idents[i].raw);
		ret = ret < 0 ? ret : 0;
	}
	return ret;
}

int intel_report_store(struct store_conn *c, struct intel_report *r,
	const struct audit_event *ev, struct err_msg *err)
{
	int64_t *rows = xcalloc(r->nidents ? r->nidents : 1, sizeof(*rows));
	int64_t existing = 0;
	char idtext[24];
	int ret = validate(c, r, err);

	if (ret)
		goto out;
	if (r->source_ref[0] &&
		!store_query_int64(c, &existing, "SELECT id FROM reports WHERE source_ref = ?", "t",
			r->source_ref)) {
		r->id = existing;
		ret = err_set(err, ERR_CONFLICT, "source_ref", "report '%s' is already stored as %lld",
			r->source_ref, (long long)existing);
		goto out;
	}
	ret = upsert_all(c, r, rows);
	if (!ret)
		r->duplicate_of = find_duplicate(c, r, rows);
	if (!ret)
		ret = insert_report(c, r);
	if (!ret)
		ret = insert_observations(c, r, rows);
	/* Counting needs r->id: it notifies watchers of the new report. */
	if (!ret && !r->duplicate_of)
		ret = count_identifiers(c, r, rows);
	if (!ret && ev) {
		struct audit_event e = *ev;
		snprintf(idtext, sizeof(idtext), "%lld", (long long)r->id);
		e.object_id = idtext;
		ret = audit_append(c, &e);
	}
out:
	free(rows);
	return ret;
}

int intel_report_create(struct store_conn *c, struct intel_report *r,
	const struct audit_event *ev, struct err_msg *err)
{
	int ret = store_begin(c);

	if (!ret)
		ret = intel_report_store(c, r, ev, err);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

static void report_from_row(struct store_stmt *st, struct intel_report *r)
{
	memset(r, 0, sizeof(*r));
	r->id = store_col_int64(st, 0);
	str_copy(r->source_ref, sizeof(r->source_ref), store_col_text(st, 1));
	r->agency_id = store_col_int64(st, 2);
	str_copy(r->channel, sizeof(r->channel), store_col_text(st, 3));
	r->occurred_at = intel_time_parse(store_col_text(st, 4));
	r->reported_at = intel_time_parse(store_col_text(st, 5));
	str_copy(r->victim_kind, sizeof(r->victim_kind), store_col_text(st, 6));
	str_copy(r->victim_sector, sizeof(r->victim_sector), store_col_text(st, 7));
	str_copy(r->crime_type, sizeof(r->crime_type), store_col_text(st, 8));
	r->loss_twd = store_col_int64(st, 9);
	str_copy(r->loss_currency, sizeof(r->loss_currency), store_col_text(st, 10));
	str_copy(r->loss_amount, sizeof(r->loss_amount), store_col_text(st, 11));
	str_copy(r->payment_method, sizeof(r->payment_method), store_col_text(st, 12));
	r->narrative = xstrdup(store_col_text(st, 13));
	r->case_id = store_col_int64(st, 14);
	r->duplicate_of = store_col_int64(st, 15);
	r->created_by = store_col_int64(st, 16);
	str_copy(r->created_at, sizeof(r->created_at), store_col_text(st, 17));
}

static int load_idents(struct store_conn *c, struct intel_report *r)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT i.type, i.value, o.role, o.raw FROM observations o"
		" JOIN identifiers i ON i.id = o.identifier_id WHERE o.report_id = ? ORDER BY i.id",
		"i", r->id);

	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW) {
		enum ident_type type;
		if (ident_type_parse(store_col_text(st, 0), &type))
			continue;
		/* Stored values are canonical, so they parse back to themselves. */
		if (intel_report_add_ident(r, type, store_col_text(st, 1), store_col_text(st, 2), "",
			    NULL) == 0)
			str_copy(r->idents[r->nidents - 1].raw, sizeof(r->idents[0].raw),
				store_col_text(st, 3));
	}
	store_finish(st);
	return ret < 0 ? ret : 0;
}

int intel_report_get(struct store_conn *c, int64_t id, struct intel_report *out)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT id, COALESCE(source_ref, ''), agency_id, channel, COALESCE(occurred_at, ''),"
		" reported_at, victim_kind, victim_sector, crime_type, loss_twd, loss_currency,"
		" loss_amount, payment_method, narrative, COALESCE(case_id, 0),"
		" COALESCE(duplicate_of, 0), created_by, created_at FROM reports WHERE id = ?",
		"i", id);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW)
		report_from_row(st, out);
	store_finish(st);
	if (ret == STORE_DONE)
		return ERR_NOTFOUND;
	if (ret < 0)
		return ret;
	ret = load_idents(c, out);
	if (ret)
		intel_report_release(out);
	return ret;
}
