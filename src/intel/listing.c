/*
 * intel/listing.c - managing listings: what the lookup service says about an
 * identifier. The warning list as entries people keep, the review queue of
 * identifiers held after fanning out, risk decisions, and disputes filed for
 * an identifier's owner. Data flow: API or CLI → here → identifiers,
 * warning_list, disputes (+ audit, notify) → lookup answers.
 *
 * Risk (identifiers.risk) and what moves it:
 *
 *          report counted (report.c)      intel_risk_set()
 *   none ──────────────────────────► reported ◄──────────► confirmed ◄──► seized
 *                                       │ ▲                    │
 *               intel_risk_set(),       ▼ │ intel_risk_set()   │
 *               intel_dispute_decide(upheld) ──► cleared ◄─────┘
 *
 * Review (identifiers.review_flag):
 *
 *   0 ──count reaches fanout_review_threshold (report.c)──► 1
 *   1 ──intel_review_decide(correlate | warning_list)─────► 2 (never held again)
 *
 * Invariants:
 *  1. confirmed_at is set exactly while risk is confirmed or seized: a listing a
 *     person confirmed never ages out, and one set back to reported ages again.
 *  2. cleared is kept when new reports arrive (report.c promotes only none);
 *     only a person sets a risk again. The reports stay and still correlate.
 *  3. Every change is audited in the transaction that makes it, risk changes
 *     as "old → new".
 *  4. Nothing here reaches the lookup answer except the risk itself: a
 *     dispute, its claimant and the review flag are never part of it.
 */
#include "intel/internal.h"

#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "notify/notify.h"
#include "store/store.h"

#define LISTING_TEXT_MAX 2000
#define LISTING_NAME_MAX 200
#define LISTING_ROWS_MAX 500

static const char *const risk_levels[] = { "reported", "confirmed", "seized", "cleared", NULL };

/* A required free text of 1..max bytes. */
static int check_text(const char *s, size_t max, const char *field, struct err_msg *err)
{
	if (str_empty(s))
		return err_set(err, ERR_INVAL, field, "is required");
	if (strlen(s) > max)
		return err_set(err, ERR_INVAL, field, "is longer than %zu bytes", max);
	return 0;
}

/* ---- the warning list ---- */

#define WARNING_COLUMNS \
	"w.id, w.type, w.value, w.reason, w.created_by, COALESCE(u.username, ''), w.created_at" \
	" FROM warning_list w LEFT JOIN users u ON u.id = w.created_by"

static void warning_from_row(struct store_stmt *st, struct intel_warning_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->id = store_col_int64(st, 0);
	str_copy(e->type, sizeof(e->type), store_col_text(st, 1));
	str_copy(e->value, sizeof(e->value), store_col_text(st, 2));
	str_copy(e->reason, sizeof(e->reason), store_col_text(st, 3));
	e->created_by = store_col_int64(st, 4);
	str_copy(e->created_by_name, sizeof(e->created_by_name), store_col_text(st, 5));
	str_copy(e->created_at, sizeof(e->created_at), store_col_text(st, 6));
}

static void warning_item(struct store_stmt *st, void *item)
{
	warning_from_row(st, item);
}

int intel_warning_entries(struct store_conn *c, enum ident_type type,
	struct intel_warning_entry **out, size_t *n)
{
	const char *tname = type ? ident_type_name(type) : NULL;
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT " WARNING_COLUMNS " WHERE (? IS NULL OR w.type = ?) ORDER BY w.type, w.value",
		"tt", tname, tname);

	*out = NULL; /* also on an error: callers free it */
	*n = 0;
	return ret ? ret : store_collect(st, sizeof(**out), warning_item, (void **)out, n);
}

static int warning_one(struct store_conn *c, struct intel_warning_entry *out, const char *sql,
	const char *fmt, int64_t id, const char *type, const char *value)
{
	struct store_stmt *st;
	int ret = fmt[0] == 'i' ? store_query(c, &st, sql, fmt, id)
				: store_query(c, &st, sql, fmt, type, value);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW)
		warning_from_row(st, out);
	store_finish(st);
	return ret == STORE_ROW ? 0 : ret == STORE_DONE ? ERR_NOTFOUND : ret;
}

int intel_warning_get(struct store_conn *c, int64_t entry_id, struct intel_warning_entry *out)
{
	return warning_one(c, out, "SELECT " WARNING_COLUMNS " WHERE w.id = ?", "i", entry_id, NULL,
		NULL);
}

int intel_warning_add_entry(struct store_conn *c, const struct ident *id, const char *reason,
	int64_t user_id, const struct audit_event *ev, struct intel_warning_entry *out,
	struct err_msg *err)
{
	struct audit_event e;
	char object[IDENT_VALUE_SIZE + 32];
	int ret;

	if (id->flags & IDENT_SENSITIVE)
		return err_set(err, ERR_INVAL, "type", "%s is personal data and cannot go on the "
			"warning list, which every case worker reads", ident_type_name(id->type));
	ret = check_text(reason, LISTING_TEXT_MAX, "reason", err);
	if (ret)
		return ret;
	if (ev) {
		e = *ev;
		snprintf(object, sizeof(object), "%s:%s", ident_type_name(id->type), id->value);
		e.action = "warning.add";
		e.object_type = "warning_list";
		e.object_id = object;
		e.detail = reason;
	}
	ret = intel_warning_add(c, id, reason, user_id, ev ? &e : NULL, err);
	if (!ret && out)
		ret = warning_one(c, out,
			"SELECT " WARNING_COLUMNS " WHERE w.type = ? AND w.value = ?", "tt", 0,
			ident_type_name(id->type), id->value);
	return ret;
}

int intel_warning_remove_entry(struct store_conn *c, int64_t entry_id,
	const struct audit_event *ev, struct err_msg *err)
{
	struct intel_warning_entry w;
	struct audit_event e;
	char idtext[24], detail[IDENT_VALUE_SIZE + 32];
	int ret = intel_warning_get(c, entry_id, &w);

	if (ret == ERR_NOTFOUND)
		return err_set(err, ret, "id", "no warning-list entry %lld", (long long)entry_id);
	if (ret)
		return ret;
	if (ev) {
		e = *ev;
		snprintf(idtext, sizeof(idtext), "%lld", (long long)entry_id);
		snprintf(detail, sizeof(detail), "%s %s", w.type, w.value);
		e.action = "warning.remove";
		e.object_type = "warning_list";
		e.object_id = idtext;
		e.detail = detail;
	}
	return intel_warning_remove(c, entry_id, ev ? &e : NULL, err);
}

/* ---- identifiers: the facts a decision needs ---- */

struct ident_row {
	char type[24];
	char value[IDENT_VALUE_SIZE];
	char display[IDENT_VALUE_SIZE];
	char risk[16];
	int64_t review_flag;
	bool sensitive;
};

static int ident_row_get(struct store_conn *c, int64_t id, struct ident_row *out)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT type, value, display, risk, review_flag, sensitive FROM identifiers"
		" WHERE id = ?",
		"i", id);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		str_copy(out->type, sizeof(out->type), store_col_text(st, 0));
		str_copy(out->value, sizeof(out->value), store_col_text(st, 1));
		str_copy(out->display, sizeof(out->display), store_col_text(st, 2));
		str_copy(out->risk, sizeof(out->risk), store_col_text(st, 3));
		out->review_flag = store_col_int64(st, 4);
		out->sensitive = store_col_int64(st, 5) != 0;
	}
	store_finish(st);
	return ret == STORE_ROW ? 0 : ret == STORE_DONE ? ERR_NOTFOUND : ret;
}

/* The stored identifier parsed back (stored values are canonical). */
static int ident_row_parse(const struct ident_row *r, struct ident *id)
{
	enum ident_type type;

	if (ident_type_parse(r->type, &type))
		return ERR_INTERNAL;
	return ident_parse(id, type, r->value, strlen(r->value), NULL) ? ERR_INTERNAL : 0;
}

/* Change the risk of row id from old to risk; within the caller's transaction. */
static int risk_update(struct store_conn *c, int64_t id, const char *old, const char *risk)
{
	bool confirmed = !strcmp(risk, "confirmed") || !strcmp(risk, "seized");
	char now[32];
	int ret;

	clock_format_iso_s(clock_now(), now, sizeof(now));
	ret = store_exec(c,
		"UPDATE identifiers SET risk = ?, confirmed_at = CASE WHEN ? = 1 THEN"
		" COALESCE(confirmed_at, ?) ELSE NULL END WHERE id = ? AND risk = ?",
		"tbtit", risk, (int)confirmed, now, id, old);
	return ret < 0 ? ret : ret == 0 ? ERR_CONFLICT : 0;
}

static int audit_risk(struct store_conn *c, const struct audit_event *ev, int64_t id,
	const char *old, const char *risk, const char *why)
{
	struct audit_event e = *ev;
	char idtext[24], detail[LISTING_TEXT_MAX + 128];

	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	snprintf(detail, sizeof(detail), "%s → %s: %s", old, risk, why);
	e.action = "identifier.risk";
	e.object_type = "identifier";
	e.object_id = idtext;
	e.detail = detail;
	return audit_append(c, &e);
}

/* ---- review ---- */

static void review_item(struct store_stmt *st, void *item)
{
	struct intel_review_item *it = item;

	it->identifier_id = store_col_int64(st, 0);
	str_copy(it->type, sizeof(it->type), store_col_text(st, 1));
	str_copy(it->value, sizeof(it->value), store_col_text(st, 2));
	str_copy(it->display, sizeof(it->display), store_col_text(st, 3));
	it->report_count = store_col_int64(st, 4);
	str_copy(it->first_seen, sizeof(it->first_seen), store_col_text(st, 5));
	str_copy(it->last_seen, sizeof(it->last_seen), store_col_text(st, 6));
	it->agencies = store_col_int64(st, 7);
}

int intel_review_queue(struct store_conn *c, struct intel_review_item **out, size_t *n)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT i.id, i.type, i.value, i.display, i.report_count, COALESCE(i.first_seen, ''),"
		" COALESCE(i.last_seen, ''), (SELECT COUNT(DISTINCT r.agency_id) FROM observations o"
		" JOIN reports r ON r.id = o.report_id WHERE o.identifier_id = i.id"
		" AND r.duplicate_of IS NULL AND o.role <> 'victim')"
		" FROM identifiers i WHERE i.review_flag = 1"
		" ORDER BY i.report_count DESC, i.id LIMIT ?",
		"i", (int64_t)LISTING_ROWS_MAX);

	*out = NULL; /* also on an error: callers free it */
	*n = 0;
	return ret ? ret : store_collect(st, sizeof(**out), review_item, (void **)out, n);
}

int intel_review_decide(struct store_conn *c, int64_t identifier_id, const char *decision,
	const char *reason, int64_t user_id, const struct audit_event *ev, struct err_msg *err)
{
	struct ident_row row;
	struct audit_event e;
	char now[32], idtext[24], detail[LISTING_TEXT_MAX + 64];
	bool warn;
	int ret;

	if (str_empty(decision) || (strcmp(decision, "correlate") && strcmp(decision, "warning_list")))
		return err_set(err, ERR_INVAL, "decision", "must be 'correlate' or 'warning_list'");
	warn = !strcmp(decision, "warning_list");
	ret = check_text(reason, LISTING_TEXT_MAX, "reason", err);
	if (ret)
		return ret;
	ret = ident_row_get(c, identifier_id, &row);
	if (ret == ERR_NOTFOUND)
		return err_set(err, ret, "id", "no identifier %lld", (long long)identifier_id);
	if (ret)
		return ret;
	if (row.review_flag != 1)
		return err_set(err, ERR_CONFLICT, "id", "identifier %lld is not awaiting review",
			(long long)identifier_id);
	if (warn && row.sensitive)
		return err_set(err, ERR_INVAL, "decision", "%s is personal data and cannot go on the "
			"warning list", row.type);
	clock_format_iso_s(clock_now(), now, sizeof(now));
	ret = store_begin(c);
	if (!ret)
		ret = store_exec(c,
			"UPDATE identifiers SET review_flag = 2 WHERE id = ? AND review_flag = 1", "i",
			identifier_id);
	if (ret == 0)
		ret = err_set(err, ERR_CONFLICT, "id", "identifier %lld was decided meanwhile",
			(long long)identifier_id);
	ret = ret < 0 ? ret : 0;
	/* Already listed (by hand, meanwhile) is the outcome asked for. */
	if (!ret && warn)
		ret = store_exec(c,
			"INSERT INTO warning_list (type, value, reason, created_by, created_at)"
			" VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
			"tttit", row.type, row.value, reason, user_id, now);
	ret = ret < 0 ? ret : 0;
	if (!ret && ev) {
		e = *ev;
		snprintf(idtext, sizeof(idtext), "%lld", (long long)identifier_id);
		snprintf(detail, sizeof(detail), "%s: %s", decision, reason);
		e.action = "identifier.review";
		e.object_type = "identifier";
		e.object_id = idtext;
		e.detail = detail;
		ret = audit_append(c, &e);
	}
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

/* ---- risk ---- */

int intel_risk_set(struct store_conn *c, int64_t identifier_id, const char *risk,
	const char *reason, const struct audit_event *ev, char old_risk[16], struct err_msg *err)
{
	struct ident_row row;
	struct ident id;
	int ret;

	if (str_empty(risk) || !intel_enum_valid(risk_levels, risk))
		return err_set(err, ERR_INVAL, "risk",
			"must be 'reported', 'confirmed', 'seized' or 'cleared'");
	ret = check_text(reason, LISTING_TEXT_MAX, "reason", err);
	if (ret)
		return ret;
	ret = ident_row_get(c, identifier_id, &row);
	if (ret == ERR_NOTFOUND)
		return err_set(err, ret, "id", "no identifier %lld", (long long)identifier_id);
	if (ret)
		return ret;
	if (old_risk)
		str_copy(old_risk, 16, row.risk);
	if (!strcmp(row.risk, risk))
		return err_set(err, ERR_CONFLICT, "risk", "the risk is already %s", risk);
	if (strcmp(risk, "cleared")) {
		ret = ident_row_parse(&row, &id);
		if (ret)
			return ret;
		if (intel_warning_match(c, &id))
			return err_set(err, ERR_CONFLICT, "risk",
				"%s %s is on the warning list, so the lookup answers none for it; "
				"remove the entry first",
				row.type, row.display);
	}
	ret = store_begin(c);
	if (!ret)
		ret = risk_update(c, identifier_id, row.risk, risk);
	if (ret == ERR_CONFLICT)
		err_set(err, ret, "risk", "the risk changed meanwhile; read it again");
	if (!ret && ev)
		ret = audit_risk(c, ev, identifier_id, row.risk, risk, reason);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

bool intel_identifier_in_reach(struct store_conn *c, const struct auth_principal *p, int reach,
	int64_t identifier_id)
{
	int64_t n = 0;

	if (reach == REACH_ALL || reach == REACH_NONE)
		return reach == REACH_ALL;
	/* intel_report_visible() as one query: any report naming it that p may read. */
	return !store_query_int64(c, &n,
		       "SELECT COUNT(*) FROM observations o JOIN reports r ON r.id = o.report_id"
		       " WHERE o.identifier_id = ? AND ((? = 1 AND r.agency_id = ?) OR r.created_by = ?"
		       " OR r.case_id IN (SELECT case_id FROM case_members WHERE user_id = ?))",
		       "ibiii", identifier_id, (int)(reach >= REACH_AGENCY), p->agency_id, p->user_id,
		       p->user_id) &&
		n > 0;
}

/* ---- disputes ---- */

#define DISPUTE_COLUMNS \
	"d.id, d.identifier_id, i.type, i.value, i.display, d.submitted_by, su.username," \
	" d.claimant, d.contact, d.reason, d.status, COALESCE(d.decided_by, 0)," \
	" COALESCE(du.username, ''), COALESCE(d.decided_at, ''), d.note, d.created_at" \
	" FROM disputes d JOIN identifiers i ON i.id = d.identifier_id" \
	" JOIN users su ON su.id = d.submitted_by LEFT JOIN users du ON du.id = d.decided_by"

static void dispute_from_row(struct store_stmt *st, struct intel_dispute *d)
{
	memset(d, 0, sizeof(*d));
	d->id = store_col_int64(st, 0);
	d->identifier_id = store_col_int64(st, 1);
	str_copy(d->type, sizeof(d->type), store_col_text(st, 2));
	str_copy(d->value, sizeof(d->value), store_col_text(st, 3));
	str_copy(d->display, sizeof(d->display), store_col_text(st, 4));
	d->submitted_by = store_col_int64(st, 5);
	str_copy(d->submitter, sizeof(d->submitter), store_col_text(st, 6));
	str_copy(d->claimant, sizeof(d->claimant), store_col_text(st, 7));
	str_copy(d->contact, sizeof(d->contact), store_col_text(st, 8));
	str_copy(d->reason, sizeof(d->reason), store_col_text(st, 9));
	str_copy(d->status, sizeof(d->status), store_col_text(st, 10));
	d->decided_by = store_col_int64(st, 11);
	str_copy(d->decider, sizeof(d->decider), store_col_text(st, 12));
	str_copy(d->decided_at, sizeof(d->decided_at), store_col_text(st, 13));
	str_copy(d->note, sizeof(d->note), store_col_text(st, 14));
	str_copy(d->created_at, sizeof(d->created_at), store_col_text(st, 15));
}

int intel_dispute_file(struct store_conn *c, const struct ident *id, int64_t user_id,
	const char *claimant, const char *contact, const char *reason,
	const struct audit_event *ev, int64_t *id_out, struct err_msg *err)
{
	struct store_stmt *st;
	struct audit_event e;
	char now[32], idtext[24], detail[IDENT_VALUE_SIZE + 32];
	int64_t row = 0, open = 0;
	int ret;

	*id_out = 0;
	if (id->flags & IDENT_SENSITIVE)
		return err_set(err, ERR_INVAL, "type", "%s is personal data and not available through "
			"the lookup service", ident_type_name(id->type));
	ret = check_text(claimant, LISTING_NAME_MAX, "claimant", err);
	if (!ret && contact && strlen(contact) > LISTING_NAME_MAX)
		ret = err_set(err, ERR_INVAL, "contact", "is longer than %d bytes", LISTING_NAME_MAX);
	if (!ret)
		ret = check_text(reason, LISTING_TEXT_MAX, "reason", err);
	if (ret)
		return ret;
	/*
	 * Listed means counted at least once: an identifier stored only as a
	 * victim's own (risk none) is as unknown here as it is to the lookup.
	 */
	ret = store_query_int64(c, &row,
		"SELECT id FROM identifiers WHERE type = ? AND value = ? AND risk <> 'none'", "tt",
		ident_type_name(id->type), id->value);
	if (ret == ERR_NOTFOUND)
		return err_set(err, ret, "value", "%s %s is not listed", ident_type_name(id->type),
			id->display);
	if (ret)
		return ret;
	clock_format_iso_s(clock_now(), now, sizeof(now));
	ret = store_begin(c);
	if (!ret)
		ret = store_query_int64(c, &open,
			"SELECT COUNT(*) FROM disputes WHERE identifier_id = ? AND submitted_by = ?"
			" AND status = 'open'",
			"ii", row, user_id);
	if (!ret && open)
		ret = err_set(err, ERR_CONFLICT, "value", "you already have an open dispute about %s",
			id->display);
	if (!ret)
		ret = store_query(c, &st,
			"INSERT INTO disputes (identifier_id, submitted_by, claimant, contact, reason,"
			" created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
			"iitttt", row, user_id, claimant, contact ? contact : "", reason, now);
	if (!ret) {
		ret = store_step(st) == STORE_ROW ? 0 : ERR_STORE;
		*id_out = ret ? 0 : store_col_int64(st, 0);
		store_finish(st);
	}
	if (!ret && ev) {
		e = *ev;
		snprintf(idtext, sizeof(idtext), "%lld", (long long)*id_out);
		snprintf(detail, sizeof(detail), "identifier %lld %s %s", (long long)row,
			ident_type_name(id->type), id->value);
		e.action = "dispute.create";
		e.object_type = "dispute";
		e.object_id = idtext;
		e.detail = detail;
		ret = audit_append(c, &e);
	}
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

int intel_dispute_get(struct store_conn *c, int64_t id, struct intel_dispute *out)
{
	struct store_stmt *st;
	int ret = store_query(c, &st, "SELECT " DISPUTE_COLUMNS " WHERE d.id = ?", "i", id);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW)
		dispute_from_row(st, out);
	store_finish(st);
	return ret == STORE_ROW ? 0 : ret == STORE_DONE ? ERR_NOTFOUND : ret;
}

static void dispute_item(struct store_stmt *st, void *item)
{
	dispute_from_row(st, item);
}

int intel_dispute_list(struct store_conn *c, int64_t submitted_by, const char *status,
	struct intel_dispute **out, size_t *n)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT " DISPUTE_COLUMNS " WHERE (? = 0 OR d.submitted_by = ?)"
		" AND (? IS NULL OR d.status = ?) ORDER BY d.id DESC LIMIT ?",
		"iitti", submitted_by, submitted_by, status, status, (int64_t)LISTING_ROWS_MAX);

	*out = NULL; /* also on an error: callers free it */
	*n = 0;
	return ret ? ret : store_collect(st, sizeof(**out), dispute_item, (void **)out, n);
}

int intel_dispute_decide(struct store_conn *c, int64_t id, int64_t decided_by,
	const char *decision, const char *note, const struct audit_event *ev, struct err_msg *err)
{
	struct intel_dispute *d = xmalloc(sizeof(*d));
	struct audit_event e;
	char now[32], risk[16] = "", title[256], idtext[24], detail[LISTING_TEXT_MAX + 64];
	char why[64];
	bool upheld;
	int ret;

	if (str_empty(decision) || (strcmp(decision, "upheld") && strcmp(decision, "rejected"))) {
		ret = err_set(err, ERR_INVAL, "decision", "must be 'upheld' or 'rejected'");
		goto out;
	}
	upheld = !strcmp(decision, "upheld");
	if (note && strlen(note) > LISTING_TEXT_MAX) {
		ret = err_set(err, ERR_INVAL, "note", "is longer than %d bytes", LISTING_TEXT_MAX);
		goto out;
	}
	ret = intel_dispute_get(c, id, d);
	if (ret == ERR_NOTFOUND)
		err_set(err, ret, "id", "no dispute %lld", (long long)id);
	if (ret)
		goto out;
	if (strcmp(d->status, "open")) {
		ret = err_set(err, ERR_CONFLICT, "id", "dispute %lld was already %s", (long long)id,
			d->status);
		goto out;
	}
	clock_format_iso_s(clock_now(), now, sizeof(now));
	ret = store_begin(c);
	if (!ret)
		ret = store_exec(c,
			"UPDATE disputes SET status = ?, decided_by = NULLIF(?, 0), decided_at = ?,"
			" note = ? WHERE id = ? AND status = 'open'",
			"titti", decision, decided_by, now, note ? note : "", id);
	if (ret == 0)
		ret = err_set(err, ERR_CONFLICT, "id", "dispute %lld was decided meanwhile",
			(long long)id);
	ret = ret < 0 ? ret : 0;
	/* Read the risk inside the transaction: it is what the update must find. */
	if (!ret && upheld) {
		struct store_stmt *st;
		ret = store_query(c, &st, "SELECT risk FROM identifiers WHERE id = ?", "i",
			d->identifier_id);
		if (!ret) {
			ret = store_step(st) == STORE_ROW ? 0 : ERR_NOTFOUND;
			if (!ret)
				str_copy(risk, sizeof(risk), store_col_text(st, 0));
			store_finish(st);
		}
	}
	if (!ret && upheld && !strcmp(risk, "seized"))
		ret = err_set(err, ERR_CONFLICT, "decision", "%s %s is seized under a court order; "
			"lift the seizure (its risk) before upholding a dispute", d->type, d->display);
	snprintf(why, sizeof(why), "dispute %lld upheld", (long long)id);
	if (!ret && upheld && strcmp(risk, "cleared")) {
		ret = risk_update(c, d->identifier_id, risk, "cleared");
		if (!ret && ev)
			ret = audit_risk(c, ev, d->identifier_id, risk, "cleared", why);
	}
	snprintf(title, sizeof(title), "%s: %s %s",
		upheld ? "異議成立 Dispute upheld" : "異議不成立 Dispute rejected", d->type,
		d->display);
	if (!ret)
		ret = notify_user(c, d->submitted_by, "dispute.decided", title, "/api/v1/disputes");
	if (!ret && ev) {
		e = *ev;
		snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
		snprintf(detail, sizeof(detail), "identifier %lld: %s", (long long)d->identifier_id,
			note ? note : "");
		e.action = upheld ? "dispute.uphold" : "dispute.reject";
		e.object_type = "dispute";
		e.object_id = idtext;
		e.detail = detail;
		ret = audit_append(c, &e);
	}
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
out:
	free(d);
	return ret;
}
