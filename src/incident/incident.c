/*
 * incident/incident.c - filing an incident and reading it back: the report
 * of seed 003 §3.1(二) (details, C/I/A impact, proposed level, support
 * requested, other agencies or critical infrastructure affected) with its
 * indicators stored as identifiers of the anti-fraud database, and the
 * phoned-in report of §3.1(三) entered later with its original time.
 */
#include "incident/internal.h"

#include <stdlib.h>
#include <string.h>

#include "auth/account.h"
#include "auth/auth.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "ident/ident.h"
#include "intel/intel.h"
#include "store/store.h"

/* A report may be filed this far ahead of the clock (clocks of PCs drift). */
#define CLOCK_SKEW_S 300

void incident_release(struct incident *i)
{
	if (!i)
		return;
	free(i->close_report);
	i->close_report = NULL;
}

int incident_add_indicator(struct incident *i, const char *text, const char *field,
	struct err_msg *err)
{
	struct incident_indicator *ind;
	struct ident id;
	enum ident_type type = 0;
	const char *colon = strchr(text, ':');
	char name[24];
	int ret;

	if (i->nindicators == INCIDENT_MAX_INDICATORS)
		return err_set(err, ERR_LIMIT, field, "an incident holds at most %d indicators",
			INCIDENT_MAX_INDICATORS);
	/* "ip:203.0.113.5" names the type; a URL's "https:" is not a type. */
	if (colon && (size_t)(colon - text) < sizeof(name)) {
		snprintf(name, sizeof(name), "%.*s", (int)(colon - text), text);
		if (ident_type_parse(name, &type) == 0)
			text = colon + 1;
		else
			type = 0;
	}
	ret = type ? ident_parse(&id, type, text, strlen(text), err)
		   : ident_detect(&id, text, strlen(text), err);
	if (ret) {
		if (err)
			str_copy(err->field, sizeof(err->field), field);
		return ERR_INVAL;
	}
	ind = &i->indicators[i->nindicators++];
	memset(ind, 0, sizeof(*ind));
	str_copy(ind->type, sizeof(ind->type), ident_type_name(id.type));
	str_copy(ind->value, sizeof(ind->value), id.value);
	return 0;
}

static int check_text(const char *s, size_t size, const char *field, bool required,
	struct err_msg *err)
{
	if (required && str_empty(s))
		return err_set(err, ERR_INVAL, field, "is required");
	if (strlen(s) >= size - 1)
		return err_set(err, ERR_INVAL, field, "is longer than %zu bytes", size - 2);
	return 0;
}

static int validate(struct store_conn *c, struct incident *i, int64_t now, struct err_msg *err)
{
	struct agency a;
	int ret;

	if (agency_get(c, i->agency_id, &a))
		return err_set(err, ERR_INVAL, "agency", "no agency with id %lld",
			(long long)i->agency_id);
	str_copy(i->agency_code, sizeof(i->agency_code), a.code);
	i->supervisor_id = a.supervisor_id;
	ret = check_text(i->title, sizeof(i->title), "title", true, err);
	if (!ret)
		ret = check_text(i->description, sizeof(i->description), "description", true, err);
	if (!ret)
		ret = check_text(i->systems, sizeof(i->systems), "systems", false, err);
	if (!ret)
		ret = check_text(i->others_note, sizeof(i->others_note), "others_note", false, err);
	if (ret)
		return ret;
	if (i->proposed_level < 1 || i->proposed_level > INCIDENT_LEVELS)
		return err_set(err, ERR_INVAL, "level", "must be 1 to 4");
	if (i->impact_c < 0 || i->impact_c > 4 || i->impact_i < 0 || i->impact_i > 4 ||
		i->impact_a < 0 || i->impact_a > 4)
		return err_set(err, ERR_INVAL, "impact", "each of C, I, A is 0 (none) to 4");
	if (!i->discovered_at)
		return err_set(err, ERR_INVAL, "discovered_at", "is required");
	if (i->discovered_at > now + CLOCK_SKEW_S)
		return err_set(err, ERR_INVAL, "discovered_at", "is in the future");
	if (i->reported_at > now + CLOCK_SKEW_S)
		return err_set(err, ERR_INVAL, "reported_at", "is in the future");
	if (i->reported_at < i->discovered_at)
		return err_set(err, ERR_INVAL, "reported_at", "is before discovered_at");
	return 0;
}

/* Who may file for i->agency_id: its reporters; phoned-in reports by the service center. */
static int may_file(struct store_conn *c, const struct auth_principal *p, const struct incident *i,
	struct err_msg *err)
{
	if (!p)
		return 0;
	if (i->phoned) {
		if ((p->roles & ROLE_REVIEWER) && incident_is_service_center(c, p))
			return 0;
		if ((p->roles & ROLE_REPORTER) && p->agency_id == i->agency_id)
			return 0;
		return err_set(err, ERR_DENIED, "phoned",
			"phoned-in reports are entered by the service center or the agency's reporters");
	}
	if ((p->roles & ROLE_REPORTER) && p->agency_id == i->agency_id)
		return 0;
	return err_set(err, ERR_DENIED, "agency", "a reporter files for their own agency only");
}

static int insert_row(struct store_conn *c, struct incident *i, int64_t now)
{
	struct store_stmt *st;
	char disc[32], rep[32], ent[32];
	int ret;

	incident_time(i->discovered_at, disc);
	incident_time(i->reported_at, rep);
	incident_time(i->entered_at, ent);
	ret = store_query(c, &st,
		"INSERT INTO incidents (agency_id, state, level, proposed_level, title, description,"
		" systems, impact_c, impact_i, impact_a, support_requested, others_affected,"
		" others_note, crime, discovered_at, reported_at, phoned, caller, reported_by,"
		" entered_by, entered_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
		" ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?) RETURNING id",
		"itiitttiiibbtbttbtiittt", i->agency_id, incident_state_name(INCIDENT_REPORTED),
		(int64_t)i->level, (int64_t)i->proposed_level, i->title, i->description, i->systems,
		(int64_t)i->impact_c, (int64_t)i->impact_i, (int64_t)i->impact_a,
		(int)i->support_requested, (int)i->others_affected, i->others_note, (int)i->crime,
		disc, rep, (int)i->phoned, i->caller, i->reported_by, i->entered_by, ent, ent, ent);
	(void)now;
	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		i->id = store_col_int64(st, 0);
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_INTERNAL; /* RETURNING gave no row */
	}
	store_finish(st);
	return ret;
}

static int insert_indicators(struct store_conn *c, struct incident *i, struct err_msg *err)
{
	for (size_t k = 0; k < i->nindicators; k++) {
		struct incident_indicator *ind = &i->indicators[k];
		struct ident id;
		enum ident_type type;
		char field[32];
		int ret;
		snprintf(field, sizeof(field), "indicators[%zu]", k);
		if (ident_type_parse(ind->type, &type) ||
			ident_parse(&id, type, ind->value, strlen(ind->value), err))
			return err_set(err, ERR_INVAL, field, "cannot store '%s'", ind->value);
		ret = intel_ident_upsert(c, &id, &ind->identifier_id);
		if (!ret)
			ret = store_exec(c,
				"INSERT INTO incident_indicators (incident_id, identifier_id) VALUES (?, ?)"
				" ON CONFLICT (incident_id, identifier_id) DO NOTHING",
				"ii", i->id, ind->identifier_id);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* The report deadline of §3.1(二): met at filing, or missed when late. */
static int report_deadline(struct store_conn *c, const struct incident_policy *p,
	const struct incident *i, int64_t now)
{
	int64_t due = incident_deadline_due(p, INCIDENT_DL_REPORT, i->proposed_level,
		i->discovered_at);
	bool late = due && i->reported_at > due;
	char s[32], d[32], m[32], span[32];
	int ret;

	if (!due)
		return 0;
	incident_time(i->discovered_at, s);
	incident_time(due, d);
	incident_time(i->reported_at, m);
	incident_duration_format(&p->report_within, span, sizeof(span));
	ret = store_exec(c,
		"INSERT INTO incident_deadlines (incident_id, kind, level, started_at, due_at, met_at,"
		" warned, missed) VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
		"itittti", i->id, incident_deadline_name(INCIDENT_DL_REPORT), (int64_t)i->proposed_level,
		s, d, m, (int64_t)late);
	if (ret < 0)
		return ret;
	if (late)
		return incident_event_add(c, i->id, now, 0, "system", "deadline.missed",
			"report: filed %s, %lld min after discovery (due within %s, by %s)", m,
			(long long)((i->reported_at - i->discovered_at) / 60), span, d);
	return incident_event_add(c, i->id, now, 0, "system", "deadline.met",
		"report: filed within %s of discovery", span);
}

static int file_notices(struct store_conn *c, const struct incident_policy *p,
	struct incident *i, int64_t now)
{
	char title[256];
	int ret;

	snprintf(title, sizeof(title), "資安事件通報 New incident %lld from %s (level %d)",
		(long long)i->id, i->agency_code, i->level);
	ret = incident_notify_agency(c, i->supervisor_id, ROLE_REVIEWER, i->id, "incident.reported",
		title);
	if (ret >= 0)
		ret = incident_notify_agency(c, incident_agency_id(c, p->service_center), ROLE_REVIEWER,
			i->id, "incident.reported", title);
	if (ret >= 0)
		ret = incident_level_notices(c, p, i, now);
	return ret < 0 ? ret : 0;
}

int incident_file(struct store_conn *c, struct incident *i, const struct incident_actor *a,
	struct err_msg *err)
{
	struct incident_policy p;
	int64_t now = clock_now();
	int64_t actor = a->p ? a->p->user_id : 0;
	const char *who = a->p ? a->p->username : "console";
	char when[32], entered[32];
	int ret;

	incident_policy_current(&p);
	if (!i->phoned || !i->reported_at)
		i->reported_at = i->phoned ? 0 : now;
	if (i->phoned && !i->reported_at)
		return err_set(err, ERR_INVAL, "reported_at", "a phoned-in report keeps the time of the "
			"call: give reported_at");
	i->level = i->proposed_level;
	i->entered_at = now;
	i->entered_by = actor;
	i->reported_by = i->phoned ? 0 : actor;
	i->state = INCIDENT_REPORTED;
	ret = validate(c, i, now, err);
	if (!ret)
		ret = may_file(c, a->p, i, err);
	if (!ret)
		ret = store_begin(c);
	if (!ret)
		ret = insert_row(c, i, now);
	if (!ret)
		ret = insert_indicators(c, i, err);
	incident_time(i->reported_at, when);
	incident_time(i->entered_at, entered);
	if (!ret && i->phoned)
		ret = incident_event_add(c, i->id, now, actor, who, "file",
			"phoned in at %s by %s; entered by %s at %s (level %d proposed)", when,
			*i->caller ? i->caller : "the agency", who, entered, i->level);
	else if (!ret)
		ret = incident_event_add(c, i->id, now, actor, who, "file",
			"reported at %s (level %d proposed%s)", when, i->level,
			i->support_requested ? ", support requested" : "");
	if (!ret)
		ret = report_deadline(c, &p, i, now);
	if (!ret)
		ret = incident_deadline_open(c, &p, i->id, INCIDENT_DL_REVIEW, i->level, i->reported_at,
			now, NULL);
	if (!ret)
		ret = file_notices(c, &p, i, now);
	if (!ret)
		ret = incident_audit(c, a->ev, "incident.file", i->id, i->phoned ? "phoned in" : NULL);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	if (!ret)
		incident_scheduler_poke();
	return ret;
}

void incident_from_row(struct store_stmt *st, struct incident *i)
{
	memset(i, 0, sizeof(*i));
	i->id = store_col_int64(st, 0);
	i->agency_id = store_col_int64(st, 1);
	i->supervisor_id = store_col_int64(st, 2);
	str_copy(i->agency_code, sizeof(i->agency_code), store_col_text(st, 3));
	if (incident_state_parse(store_col_text(st, 4), &i->state))
		i->state = INCIDENT_REPORTED;
	i->level = (int)store_col_int64(st, 5);
	i->proposed_level = (int)store_col_int64(st, 6);
	str_copy(i->title, sizeof(i->title), store_col_text(st, 7));
	str_copy(i->description, sizeof(i->description), store_col_text(st, 8));
	str_copy(i->systems, sizeof(i->systems), store_col_text(st, 9));
	i->impact_c = (int)store_col_int64(st, 10);
	i->impact_i = (int)store_col_int64(st, 11);
	i->impact_a = (int)store_col_int64(st, 12);
	i->support_requested = store_col_int64(st, 13) != 0;
	i->others_affected = store_col_int64(st, 14) != 0;
	str_copy(i->others_note, sizeof(i->others_note), store_col_text(st, 15));
	i->crime = store_col_int64(st, 16) != 0;
	i->discovered_at = incident_time_parse(store_col_text(st, 17));
	i->reported_at = incident_time_parse(store_col_text(st, 18));
	i->phoned = store_col_int64(st, 19) != 0;
	str_copy(i->caller, sizeof(i->caller), store_col_text(st, 20));
	i->reported_by = store_col_int64(st, 21);
	i->entered_by = store_col_int64(st, 22);
	i->entered_at = incident_time_parse(store_col_text(st, 23));
	i->review_escalated = store_col_int64(st, 24) != 0;
	i->national_notified = store_col_int64(st, 25) != 0;
	i->case_id = store_col_int64(st, 26);
	i->created_at = incident_time_parse(store_col_text(st, 27));
	i->updated_at = incident_time_parse(store_col_text(st, 28));
}

static int load_indicators(struct store_conn *c, struct incident *i)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT d.id, d.type, d.value FROM incident_indicators x"
		" JOIN identifiers d ON d.id = x.identifier_id WHERE x.incident_id = ? ORDER BY d.id",
		"i", i->id);

	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW && i->nindicators < INCIDENT_MAX_INDICATORS) {
		struct incident_indicator *ind = &i->indicators[i->nindicators++];
		ind->identifier_id = store_col_int64(st, 0);
		str_copy(ind->type, sizeof(ind->type), store_col_text(st, 1));
		str_copy(ind->value, sizeof(ind->value), store_col_text(st, 2));
	}
	store_finish(st);
	return ret < 0 ? ret : 0;
}

int incident_get(struct store_conn *c, int64_t id, struct incident *out)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT " INCIDENT_COLUMNS ", i.close_report" INCIDENT_FROM " WHERE i.id = ?", "i", id);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		incident_from_row(st, out);
		if (!store_col_null(st, 29))
			out->close_report = strdup(store_col_text(st, 29));
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_NOTFOUND;
	}
	store_finish(st);
	if (!ret)
		ret = load_indicators(c, out);
	return ret;
}

static void list_row(struct store_stmt *st, void *item)
{
	incident_from_row(st, item);
}

int incident_list(struct store_conn *c, const struct incident_filter *f, struct incident **out,
	size_t *n)
{
	struct store_stmt *st;
	const char *state = f->state ? f->state : "";
	int64_t limit = f->limit > 0 ? f->limit : 500;
	int ret = store_query(c, &st,
		"SELECT " INCIDENT_COLUMNS INCIDENT_FROM
		" WHERE (? = 1 OR i.agency_id = ? OR a.supervisor_id = ?) AND (? = '' OR i.state = ?)"
		" ORDER BY i.id DESC LIMIT ?",
		"biitti", (int)f->all, f->agency_id, f->agency_id, state, state, limit);

	return ret ? ret : store_collect(st, sizeof(**out), list_row, (void **)out, n);
}
