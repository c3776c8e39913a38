/*
 * tests/unit/incident/test_deadline.c - deadlines (src/incident/deadline.c,
 * steps.c, due.c): computed per level and policy, started by the steps,
 * moved by a level change, warned of and escalated on a frozen clock.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "auth/auth.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "config/config.h"
#include "incident/incident.h"
#include "store/store.h"
#include "testutil.h"

#define T0 1767225600 /* 2026-01-01T00:00:00Z */
#define H 3600

Test(deadline, due_per_level_from_the_shipped_policy)
{
	static const struct {
		enum incident_deadline_kind kind;
		int level;
		int64_t after;
	} cases[] = {
		{ INCIDENT_DL_REPORT, 1, H }, { INCIDENT_DL_REPORT, 4, H },
		{ INCIDENT_DL_REVIEW, 1, 8 * H }, { INCIDENT_DL_REVIEW, 2, 8 * H },
		{ INCIDENT_DL_REVIEW, 3, 2 * H }, { INCIDENT_DL_REVIEW, 4, 2 * H },
		{ INCIDENT_DL_DISPATCH, 1, 2 * H }, { INCIDENT_DL_DISPATCH, 2, 2 * H },
		{ INCIDENT_DL_DISPATCH, 3, H }, { INCIDENT_DL_DISPATCH, 4, H },
		{ INCIDENT_DL_CLOSE_REVIEW, 2, 7 * 24 * H },
		/* January has 31 days: one month after 2026-01-01 is 2026-02-01 */
		{ INCIDENT_DL_CLOSE_REPORT, 3, 31 * 24 * H },
	};
	struct incident_policy p;

	incident_policy_defaults(&p);
	for (size_t k = 0; k < N_ELEMS(cases); k++) {
		int64_t due = incident_deadline_due(&p, cases[k].kind, cases[k].level, T0);
		cr_assert_eq(due, T0 + cases[k].after, "%s level %d: due +%lld s, expected +%lld s",
			incident_deadline_name(cases[k].kind), cases[k].level, (long long)(due - T0),
			(long long)cases[k].after);
	}
	cr_assert_eq(incident_deadline_due(&p, INCIDENT_DL_REVIEW, 0, T0), 0, "level 0: none");
	cr_assert_eq(incident_deadline_due(&p, INCIDENT_DL_REVIEW, 5, T0), 0, "level 5: none");
}

Test(deadline, a_policy_file_changes_the_figures)
{
	static const char text[] = "[level 2]\ndispatch_within = 45m\nreview_within = none\n"
				   "[general]\nwarn_before = 10m\n";
	struct incident_policy p;
	struct err_msg err = ERR_MSG_INIT;

	incident_policy_defaults(&p);
	cr_assert_eq(incident_policy_parse(&p, text, strlen(text), "t", &err), 0, "%s", err.message);
	cr_assert_eq(incident_deadline_due(&p, INCIDENT_DL_DISPATCH, 2, T0), T0 + 45 * 60);
	cr_assert_eq(incident_deadline_due(&p, INCIDENT_DL_REVIEW, 2, T0), 0, "none: no deadline");
	cr_assert_eq(incident_deadline_warn(&p, T0, T0 + 45 * 60), T0 + 35 * 60, "warn 10 min before");
	cr_assert_eq(incident_deadline_warn(&p, T0, T0 + 5 * 60), 0, "no warning before the start");
}

/* ---- with a database: agencies, users, an incident through its steps ---- */

struct fx {
	struct store *db;
	struct store_conn *c;
	char *dir;
	int64_t tpech, mohw, nics, ohs, thpo;
	struct auth_principal reporter, authority, center, stranger;
};

static int64_t add_agency(struct fx *f, const char *code, int64_t supervisor)
{
	struct agency a = { 0 };
	struct err_msg err = ERR_MSG_INIT;

	str_copy(a.code, sizeof(a.code), code);
	str_copy(a.name, sizeof(a.name), code);
	a.kind = AGENCY_GOVERNMENT;
	a.supervisor_id = supervisor;
	cr_assert_eq(agency_create(f->c, &a, NULL, &err), 0, "agency %s: %s", code, err.message);
	return a.id;
}

static void add_user(struct fx *f, struct auth_principal *p, const char *name, int64_t agency,
	uint32_t roles)
{
	struct store_stmt *st;

	cr_assert_eq(store_query(f->c, &st,
			     "INSERT INTO users (username, agency_id, roles, password_hash, created_at)"
			     " VALUES (?, ?, ?, 'x', '2026-01-01T00:00:00Z') RETURNING id",
			     "tii", name, agency, (int64_t)roles),
		0);
	cr_assert_eq(store_step(st), STORE_ROW);
	memset(p, 0, sizeof(*p));
	p->user_id = store_col_int64(st, 0);
	store_finish(st);
	str_copy(p->username, sizeof(p->username), name);
	p->agency_id = agency;
	p->roles = roles;
	p->scopes = SCOPE_ALL;
}

static void fx_open(struct fx *f)
{
	static const uint8_t key[32] = { 6 };
	const struct store_module_schema *schemas;
	struct err_msg err = ERR_MSG_INIT;
	struct config cfg;
	char path[1024];
	size_t n;

	tu_clear_rootcut_env();
	f->dir = tu_mkdtemp();
	snprintf(path, sizeof(path), "%s/rootcut.db", f->dir);
	cr_assert_eq(store_open(path, NULL, &f->db, &err), 0, "%s", err.message);
	f->c = store_acquire(f->db);
	schemas = cli_schemas(&n);
	cr_assert_eq(store_migrate(f->c, schemas, n, &err), 0, "%s", err.message);
	audit_set_key(key);
	clock_set_fake_ms((int64_t)T0 * 1000);
	config_defaults(&cfg);
	cr_assert_eq(incident_configure(&cfg, &err), 0, "%s", err.message);
	f->thpo = add_agency(f, "THPO", 0);
	f->mohw = add_agency(f, "MOHW", 0);
	f->tpech = add_agency(f, "TPECH", f->mohw);
	f->nics = add_agency(f, "NICS", 0);
	f->ohs = add_agency(f, "OHS", 0);
	add_user(f, &f->reporter, "rep", f->tpech, ROLE_REPORTER);
	add_user(f, &f->authority, "auth", f->mohw, ROLE_REVIEWER);
	add_user(f, &f->center, "nics", f->nics, ROLE_REVIEWER);
	add_user(f, &f->stranger, "other", f->ohs, ROLE_REVIEWER);
}

static void fx_close(struct fx *f)
{
	store_release(f->c);
	store_close(f->db);
	tu_rmdir(f->dir);
	clock_set_fake_ms(-1);
}

static int64_t file(struct fx *f, int level, bool support, bool crime)
{
	struct incident *i = calloc(1, sizeof(*i));
	struct incident_actor a = { &f->reporter, NULL };
	struct err_msg err = ERR_MSG_INIT;
	int64_t id;

	i->agency_id = f->tpech;
	str_copy(i->title, sizeof(i->title), "ransomware");
	str_copy(i->description, sizeof(i->description), "files encrypted");
	i->proposed_level = level;
	i->support_requested = support;
	i->crime = crime;
	i->discovered_at = clock_now() - 1800;
	cr_assert_eq(incident_add_indicator(i, "ip:203.0.113.7", "indicators[0]", &err), 0, "%s",
		err.message);
	cr_assert_eq(incident_file(f->c, i, &a, &err), 0, "file: %s: %s", err.field, err.message);
	id = i->id;
	free(i);
	return id;
}

/* The open deadline of kind, or a zeroed one. */
static struct incident_deadline open_deadline(struct fx *f, int64_t id,
	enum incident_deadline_kind kind)
{
	struct incident_deadline *v = NULL, d = { 0 };
	size_t n = 0;

	cr_assert_eq(incident_deadlines(f->c, id, &v, &n), 0);
	for (size_t k = 0; k < n; k++)
		if (v[k].kind == kind && !v[k].met_at && !v[k].cancelled)
			d = v[k];
	free(v);
	return d;
}

static int step(struct fx *f, int64_t id, struct auth_principal *p, enum incident_step s,
	const struct incident_step_args *args, struct err_msg *err)
{
	struct incident_actor a = { p, NULL };
	struct incident_step_args none = { 0 };

	return incident_step(f->c, id, s, args ? args : &none, &a, err);
}

static int64_t count(struct fx *f, const char *sql, int64_t id)
{
	int64_t n = -1;

	cr_assert_eq(store_query_int64(f->c, &n, sql, "i", id), 0, "%s", sql);
	return n;
}

Test(deadline, a_level_change_by_the_service_center_moves_dispatch)
{
	struct fx f;
	struct err_msg err = ERR_MSG_INIT;
	struct incident_step_args up = { .level = 4, .note = "hospital systems down" };
	struct incident_step_args down = { .level = 1, .note = "contained" };
	struct incident_deadline d;
	int64_t id, rereviewed;

	fx_open(&f);
	id = file(&f, 2, true, false);
	d = open_deadline(&f, id, INCIDENT_DL_REVIEW);
	cr_assert_eq(d.due_at, T0 + 8 * H, "level 2 review due in 8 h");
	clock_advance_ms(H * 1000);
	cr_assert_eq(step(&f, id, &f.authority, INCIDENT_STEP_REVIEW, NULL, &err), 0, "%s",
		err.message);
	clock_advance_ms(H * 1000);
	rereviewed = clock_now();
	cr_assert_eq(step(&f, id, &f.center, INCIDENT_STEP_REREVIEW, &up, &err), 0, "%s",
		err.message);
	d = open_deadline(&f, id, INCIDENT_DL_DISPATCH);
	cr_assert_eq(d.due_at, rereviewed + H, "level 4: dispatch 1 h after the re-review");
	clock_advance_ms(600 * 1000);
	cr_assert_eq(step(&f, id, &f.center, INCIDENT_STEP_LEVEL, &down, &err), 0, "%s",
		err.message);
	d = open_deadline(&f, id, INCIDENT_DL_DISPATCH);
	cr_assert_eq(d.due_at, rereviewed + 2 * H, "level 1: 2 h after the re-review, not the change");
	cr_assert_eq(d.level, 1);
	cr_assert_eq(count(&f, "SELECT COUNT(*) FROM incident_events WHERE incident_id = ?"
			       " AND kind = 'deadline.moved'", id),
		1, "the move is on the timeline");
	fx_close(&f);
}

Test(deadline, only_the_right_agency_takes_each_step)
{
	struct fx f;
	struct err_msg err = ERR_MSG_INIT;
	struct incident i;
	int64_t id;

	fx_open(&f);
	id = file(&f, 1, false, false);
	cr_assert_eq(step(&f, id, &f.center, INCIDENT_STEP_REVIEW, NULL, &err), ERR_DENIED,
		"the service center does not take the authority's review");
	cr_assert_eq(step(&f, id, &f.stranger, INCIDENT_STEP_REVIEW, NULL, &err), ERR_DENIED);
	cr_assert_eq(step(&f, id, &f.reporter, INCIDENT_STEP_REVIEW, NULL, &err), ERR_DENIED);
	cr_assert_eq(step(&f, id, &f.center, INCIDENT_STEP_REREVIEW, NULL, &err), ERR_CONFLICT,
		"before the deadline the center waits for the authority");
	cr_assert_eq(step(&f, id, &f.authority, INCIDENT_STEP_REREVIEW, NULL, &err), ERR_DENIED);
	cr_assert_eq(incident_get(f.c, id, &i), 0);
	cr_assert(incident_visible(f.c, &f.reporter, REACH_AGENCY, &i), "own agency sees it");
	cr_assert(incident_visible(f.c, &f.authority, REACH_AGENCY, &i), "the authority sees it");
	cr_assert(incident_visible(f.c, &f.center, REACH_AGENCY, &i), "the service center sees it");
	cr_assert(!incident_visible(f.c, &f.stranger, REACH_AGENCY, &i), "others do not");
	incident_release(&i);
	fx_close(&f);
}

Test(deadline, a_missed_review_escalates_then_the_center_reviews_directly)
{
	struct fx f;
	struct err_msg err = ERR_MSG_INIT;
	struct incident i;
	int64_t id, next = 0;
	int done = 0;

	fx_open(&f);
	id = file(&f, 3, true, true);
	cr_assert_eq(count(&f, "SELECT national_notified FROM incidents WHERE id = ?", id), 1,
		"level 3 notified the national offices at filing");
	cr_assert_eq(incident_due_apply(f.c, clock_now(), &next, &done, &err), 0);
	cr_assert_eq(done, 0, "nothing due at filing");
	cr_assert_eq(next, T0 + 90 * 60, "next: the warning 30 min before the 2 h review");
	clock_set_fake_ms((int64_t)(T0 + 90 * 60) * 1000);
	cr_assert_eq(incident_due_apply(f.c, clock_now(), &next, &done, &err), 0);
	cr_assert_eq(done, 1, "the warning");
	cr_assert_eq(count(&f, "SELECT COUNT(*) FROM notifications WHERE user_id = ?"
			       " AND kind = 'incident.deadline.warning'", f.authority.user_id),
		1, "the authority's reviewer is warned");
	clock_set_fake_ms((int64_t)(T0 + 2 * H) * 1000);
	cr_assert_eq(incident_due_apply(f.c, clock_now(), &next, &done, &err), 0);
	cr_assert_eq(done, 1, "the miss");
	cr_assert_eq(incident_due_apply(f.c, clock_now(), &next, &done, &err), 0);
	cr_assert_eq(done, 0, "once only");
	cr_assert_eq(count(&f, "SELECT COUNT(*) FROM notifications WHERE user_id = ?"
			       " AND kind = 'incident.escalated'", f.center.user_id),
		1, "the service center is told to review");
	cr_assert_eq(incident_get(f.c, id, &i), 0);
	cr_assert(i.review_escalated);
	incident_release(&i);
	cr_assert_eq(step(&f, id, &f.center, INCIDENT_STEP_REREVIEW, NULL, &err), 0, "%s",
		err.message);
	cr_assert_eq(incident_get(f.c, id, &i), 0);
	cr_assert_eq(i.state, INCIDENT_REREVIEWED);
	cr_assert_neq(i.case_id, 0, "level 3 involving crime: a case at the center");
	incident_release(&i);
	cr_assert_eq(count(&f, "SELECT COUNT(*) FROM cases WHERE id = (SELECT case_id FROM incidents"
			       " WHERE id = ?) AND number = '115年度資安字第1號'",
			     id),
		1, "numbered with the policy's case word and the incident id");
	cr_assert_eq(count(&f, "SELECT COUNT(*) FROM incident_events WHERE incident_id = ?"
			       " AND kind = 'case'", id),
		1, "on the timeline");
	cr_assert_eq(count(&f, "SELECT COUNT(*) FROM incident_deadlines WHERE incident_id = ?"
			       " AND kind = 'review' AND missed = 1 AND met_at IS NOT NULL",
			     id),
		1, "the review deadline is recorded as met late");
	fx_close(&f);
}
