/*
 * incident/incident_cmd.c - `rootcut incident`: incidents from the console.
 * The console is the installation's operator: it may take every step (staff
 * entering a phoned-in report, or acting for a reviewer who cannot reach the
 * web); every change and every read is audited as the console user. Logic
 * in the other files of src/incident/; this file parses options and prints.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/rocdate.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "incident/incident.h"
#include "incident/internal.h"
#include "store/store.h"

/* Every option of every subcommand; each subcommand uses its own. */
struct opts {
	const char *agency, *title, *description, *systems, *impact, *others, *discovered;
	const char *reported, *caller, *state, *note, *case_number, *check;
	const char *timeline, *damage, *after_effects, *response, *improvements, *recovered;
	const char *indicators[INCIDENT_MAX_INDICATORS + 1];
	size_t nindicators;
	int level;
	bool support, crime, no_crime, phoned, ret_flag;
	int64_t id;
};

static int parse_opts(int argc, char **argv, bool want_id, struct opts *o, struct err_msg *err)
{
	static const struct option opts[] = { { "agency", required_argument, NULL, 'A' },
		{ "title", required_argument, NULL, 't' },
		{ "description", required_argument, NULL, 'd' },
		{ "systems", required_argument, NULL, 's' },
		{ "impact", required_argument, NULL, 'I' },
		{ "others", required_argument, NULL, 'o' },
		{ "discovered", required_argument, NULL, 'D' },
		{ "reported", required_argument, NULL, 'R' },
		{ "caller", required_argument, NULL, 'c' },
		{ "state", required_argument, NULL, 'S' }, { "note", required_argument, NULL, 'n' },
		{ "case", required_argument, NULL, 'k' }, { "check", required_argument, NULL, 'C' },
		{ "timeline", required_argument, NULL, 'T' },
		{ "damage", required_argument, NULL, 'm' },
		{ "after-effects", required_argument, NULL, 'a' },
		{ "response", required_argument, NULL, 'r' },
		{ "improvements", required_argument, NULL, 'i' },
		{ "recovered", required_argument, NULL, 'v' },
		{ "indicator", required_argument, NULL, 'x' },
		{ "level", required_argument, NULL, 'l' }, { "support", no_argument, NULL, 'u' },
		{ "crime", no_argument, NULL, 'X' }, { "no-crime", no_argument, NULL, 'N' },
		{ "phoned", no_argument, NULL, 'p' }, { "return", no_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 } };
	int64_t v;
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'A': o->agency = optarg; break;
		case 't': o->title = optarg; break;
		case 'd': o->description = optarg; break;
		case 's': o->systems = optarg; break;
		case 'I': o->impact = optarg; break;
		case 'o': o->others = optarg; break;
		case 'D': o->discovered = optarg; break;
		case 'R': o->reported = optarg; break;
		case 'c': o->caller = optarg; break;
		case 'S': o->state = optarg; break;
		case 'n': o->note = optarg; break;
		case 'k': o->case_number = optarg; break;
		case 'C': o->check = optarg; break;
		case 'T': o->timeline = optarg; break;
		case 'm': o->damage = optarg; break;
		case 'a': o->after_effects = optarg; break;
		case 'r': o->response = optarg; break;
		case 'i': o->improvements = optarg; break;
		case 'v': o->recovered = optarg; break;
		case 'x':
			if (o->nindicators == INCIDENT_MAX_INDICATORS)
				return err_set(err, ERR_LIMIT, "indicator", "at most %d",
					INCIDENT_MAX_INDICATORS);
			o->indicators[o->nindicators++] = optarg;
			break;
		case 'l':
			if (str_to_int64(optarg, 1, INCIDENT_LEVELS, &v))
				return err_set(err, ERR_INVAL, "level", "'%s' is not 1 to 4", optarg);
			o->level = (int)v;
			break;
		case 'u': o->support = true; break;
		case 'X': o->crime = true; break;
		case 'N': o->no_crime = true; break;
		case 'p': o->phoned = true; break;
		case 'b': o->ret_flag = true; break;
		default: return err_set(err, ERR_INVAL, "option", "bad option (see --help)");
		}
	}
	if (want_id) {
		if (optind >= argc || str_to_int64(argv[optind], 1, INT64_MAX, &o->id))
			return err_set(err, ERR_INVAL, "id", "an incident id is required");
		optind++;
	}
	if (optind < argc)
		return err_set(err, ERR_INVAL, "argument", "unexpected '%s'", argv[optind]);
	return 0;
}

static int time_opt(const char *s, const char *field, int64_t *out, struct err_msg *err)
{
	if (s && rocdate_parse(s, out))
		return err_set(err, ERR_INVAL, field, "'%s' is not a time (ISO 8601 or a ROC date)", s);
	return 0;
}

static void console_event(struct audit_event *ev, const char *action)
{
	audit_event_console(ev, action, "incident", NULL, AUDIT_OK);
	ev->actor = cli_actor();
}

static int impact_opt(const char *s, struct incident *i, struct err_msg *err)
{
	int c, in, a;
	char end;

	if (!s)
		return 0;
	if (sscanf(s, "%d,%d,%d%c", &c, &in, &a, &end) != 3 || c < 0 || c > 4 || in < 0 ||
		in > 4 || a < 0 || a > 4)
		return err_set(err, ERR_INVAL, "impact", "'%s' is not C,I,A each 0 to 4", s);
	i->impact_c = c;
	i->impact_i = in;
	i->impact_a = a;
	return 0;
}

static int sub_file(struct store_conn *c, struct opts *o, struct err_msg *err)
{
	struct incident *i = calloc(1, sizeof(*i));
	struct incident_actor a = { NULL, NULL };
	struct audit_event ev;
	struct agency ag;
	int ret = i ? 0 : ERR_NOMEM;

	if (!ret && !o->agency)
		ret = err_set(err, ERR_INVAL, "agency", "is required (code, id or name)");
	if (!ret && agency_find(c, o->agency, &ag))
		ret = err_set(err, ERR_NOTFOUND, "agency", "no agency '%s'", o->agency);
	if (!ret) {
		i->agency_id = ag.id;
		str_copy(i->title, sizeof(i->title), o->title ? o->title : "");
		str_copy(i->description, sizeof(i->description), o->description ? o->description : "");
		str_copy(i->systems, sizeof(i->systems), o->systems ? o->systems : "");
		str_copy(i->others_note, sizeof(i->others_note), o->others ? o->others : "");
		str_copy(i->caller, sizeof(i->caller), o->caller ? o->caller : "");
		i->others_affected = o->others != NULL;
		i->support_requested = o->support;
		i->crime = o->crime;
		i->phoned = o->phoned;
		i->proposed_level = o->level;
		ret = impact_opt(o->impact, i, err);
	}
	if (!ret)
		ret = time_opt(o->discovered, "discovered", &i->discovered_at, err);
	if (!ret)
		ret = time_opt(o->reported, "reported", &i->reported_at, err);
	for (size_t k = 0; !ret && k < o->nindicators; k++)
		ret = incident_add_indicator(i, o->indicators[k], "indicator", err);
	console_event(&ev, "incident.file");
	a.ev = &ev;
	if (!ret)
		ret = incident_file(c, i, &a, err);
	if (!ret)
		printf("incident %lld (reported, level %d)\n", (long long)i->id, i->level);
	incident_release(i);
	free(i);
	return ret;
}

static void print_deadlines(struct store_conn *c, int64_t id)
{
	struct incident_deadline *d = NULL;
	size_t n = 0;
	char due[32], met[32];

	if (incident_deadlines(c, id, &d, &n))
		return;
	printf("deadlines:\n");
	for (size_t k = 0; k < n; k++) {
		incident_time(d[k].due_at, due);
		incident_time(d[k].met_at, met);
		printf("  %-13s due %s  level %d  %s%s%s\n", incident_deadline_name(d[k].kind), due,
			d[k].level,
			d[k].cancelled ? "cancelled"
			: d[k].met_at  ? (d[k].missed ? "met late " : "met ")
			: d[k].missed  ? "MISSED"
				       : "open",
			d[k].met_at && !d[k].cancelled ? met : "", "");
	}
	free(d);
}

static int sub_show(struct store_conn *c, struct opts *o, struct err_msg *err)
{
	struct incident *i = calloc(1, sizeof(*i));
	struct audit_event ev;
	char disc[32], rep[32], idtext[24];
	int ret = i ? incident_get(c, o->id, i) : ERR_NOMEM;

	if (ret == ERR_NOTFOUND)
		ret = err_set(err, ret, "id", "no incident %lld", (long long)o->id);
	if (!ret) {
		snprintf(idtext, sizeof(idtext), "%lld", (long long)o->id);
		console_event(&ev, "incident.read");
		ev.object_id = idtext;
		ret = audit_append_now(c, &ev);
	}
	if (!ret) {
		incident_time(i->discovered_at, disc);
		incident_time(i->reported_at, rep);
		printf("incident %lld: %s, level %d (proposed %d), agency %s\n", (long long)i->id,
			incident_state_name(i->state), i->level, i->proposed_level, i->agency_code);
		printf("title: %s\ndiscovered: %s\nreported: %s%s\n", i->title, disc, rep,
			i->phoned ? " (phoned in)" : "");
		printf("impact C/I/A: %d/%d/%d  support requested: %s  crime: %s%s\n", i->impact_c,
			i->impact_i, i->impact_a, i->support_requested ? "yes" : "no",
			i->crime ? "yes" : "no", i->review_escalated ? "  review escalated" : "");
		for (size_t k = 0; k < i->nindicators; k++)
			printf("indicator: %s %s\n", i->indicators[k].type, i->indicators[k].value);
		if (i->case_id)
			printf("case: %lld\n", (long long)i->case_id);
		print_deadlines(c, i->id);
	}
	incident_release(i);
	free(i);
	return ret;
}

static int sub_list(struct store_conn *c, struct opts *o, struct err_msg *err)
{
	struct incident_filter f = { .all = true, .state = o->state, .limit = 500 };
	struct incident *v = NULL;
	struct audit_event ev;
	enum incident_state s;
	size_t n = 0;
	char rep[32];
	int ret = 0;

	if (o->state && incident_state_parse(o->state, &s))
		return err_set(err, ERR_INVAL, "state", "unknown state '%s'", o->state);
	if (o->agency) {
		struct agency ag;
		if (agency_find(c, o->agency, &ag))
			return err_set(err, ERR_NOTFOUND, "agency", "no agency '%s'", o->agency);
		f.all = false;
		f.agency_id = ag.id;
	}
	ret = incident_list(c, &f, &v, &n);
	console_event(&ev, "incident.list");
	if (!ret)
		ret = audit_append_now(c, &ev);
	for (size_t k = 0; !ret && k < n; k++) {
		incident_time(v[k].reported_at, rep);
		printf("%-5lld %-14s level %d  %-10s %s  %s\n", (long long)v[k].id,
			incident_state_name(v[k].state), v[k].level, v[k].agency_code, rep, v[k].title);
	}
	free(v);
	return ret;
}

static int sub_timeline(struct store_conn *c, struct opts *o, struct err_msg *err)
{
	struct incident_event *v = NULL;
	struct audit_event ev;
	char at[32], idtext[24];
	size_t n = 0;
	int64_t exists;
	int ret = store_query_int64(c, &exists, "SELECT id FROM incidents WHERE id = ?", "i", o->id);

	if (ret == ERR_NOTFOUND)
		return err_set(err, ret, "id", "no incident %lld", (long long)o->id);
	if (!ret)
		ret = incident_timeline(c, o->id, &v, &n);
	snprintf(idtext, sizeof(idtext), "%lld", (long long)o->id);
	console_event(&ev, "incident.timeline");
	ev.object_id = idtext;
	if (!ret)
		ret = audit_append_now(c, &ev);
	for (size_t k = 0; !ret && k < n; k++) {
		incident_time(v[k].at, at);
		printf("%s  %-16s %-12s %s\n", at, v[k].kind, v[k].actor, v[k].detail);
	}
	free(v);
	return ret;
}

static int sub_step(struct store_conn *c, const char *sub, struct opts *o, struct err_msg *err)
{
	static const struct {
		const char *name;
		enum incident_step step, alt; /* alt: with --return */
	} steps[] = { { "supplement", INCIDENT_STEP_SUPPLEMENT, 0 },
		{ "review", INCIDENT_STEP_REVIEW, INCIDENT_STEP_RETURN },
		{ "rereview", INCIDENT_STEP_REREVIEW, 0 }, { "level", INCIDENT_STEP_LEVEL, 0 },
		{ "dispatch", INCIDENT_STEP_DISPATCH, 0 },
		{ "close-report", INCIDENT_STEP_CLOSE_REPORT, 0 },
		{ "close", INCIDENT_STEP_CLOSE, INCIDENT_STEP_CLOSE_RETURN } };
	struct incident_step_args args = { .level = o->level, .note = o->note,
		.case_number = o->case_number, .description = o->description, .systems = o->systems,
		.timeline = o->timeline, .damage = o->damage, .after_effects = o->after_effects,
		.response = o->response, .improvements = o->improvements };
	struct incident_actor a = { NULL, NULL };
	struct audit_event ev;
	enum incident_step step = 0;
	struct incident i;
	int ret;

	for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++)
		if (!strcmp(sub, steps[k].name))
			step = o->ret_flag && steps[k].alt ? steps[k].alt : steps[k].step;
	if (o->ret_flag && step != INCIDENT_STEP_RETURN && step != INCIDENT_STEP_CLOSE_RETURN)
		return err_set(err, ERR_INVAL, "return", "only review and close take --return");
	args.crime_set = o->crime || o->no_crime;
	args.crime = o->crime;
	ret = time_opt(o->recovered, "recovered", &args.recovered_at, err);
	console_event(&ev, "incident.step");
	a.ev = &ev;
	if (!ret)
		ret = incident_step(c, o->id, step, &args, &a, err);
	if (!ret && incident_get(c, o->id, &i) == 0) {
		printf("incident %lld: %s, level %d\n", (long long)i.id, incident_state_name(i.state),
			i.level);
		incident_release(&i);
	}
	return ret;
}

static int sub_apply_due(struct store_conn *c, struct err_msg *err)
{
	int64_t next = 0;
	int done = 0;
	char t[32];
	int ret = incident_due_apply(c, clock_now(), &next, &done, err);

	if (ret)
		return ret;
	incident_time(next, t);
	printf("%d deadline warning(s) or escalation(s); next due: %s\n", done, next ? t : "none");
	return 0;
}

static int sub_policy(struct opts *o, struct err_msg *err)
{
	struct incident_policy p;
	int ret;

	if (o->check) {
		ret = incident_policy_load_file(&p, o->check, err);
		if (!ret)
			printf("%s: ok\n", o->check);
		return ret;
	}
	incident_policy_current(&p);
	incident_policy_print(&p, stdout);
	return 0;
}

int cmd_incident(struct cli_ctx *ctx)
{
	static const char *const with_id[] = { "show", "timeline", "supplement", "review",
		"rereview", "level", "dispatch", "close-report", "close", NULL };
	static const char *const plain[] = { "file", "list", "apply-due", "policy", NULL };
	const struct cli_command *self = cli_find("incident");
	struct err_msg err = ERR_MSG_INIT;
	struct opts o;
	struct store_conn *c;
	const char *sub;
	bool id = false, known = false;
	int ret;

	if (ctx->argc < 2)
		return cli_usage_error(self, "a subcommand is required");
	sub = ctx->argv[1];
	for (const char *const *s = with_id; *s; s++)
		id = id || !strcmp(sub, *s);
	for (const char *const *s = plain; *s; s++)
		known = known || !strcmp(sub, *s);
	if (!id && !known)
		return cli_usage_error(self, "unknown subcommand '%s'", sub);
	memset(&o, 0, sizeof(o));
	ret = parse_opts(ctx->argc - 1, ctx->argv + 1, id, &o, &err);
	if (ret)
		return cli_usage_error(self, "%s: %s", err.field, err.message);
	/* A bad policy file stops the command; `policy --check` says why. */
	ret = incident_configure(&ctx->cfg, &err);
	if (ret && strcmp(sub, "policy"))
		return cli_fail(ret, &err, "incident policy");
	err_clear(&err);
	c = store_acquire(ctx->store);
	if (!strcmp(sub, "file"))
		ret = sub_file(c, &o, &err);
	else if (!strcmp(sub, "list"))
		ret = sub_list(c, &o, &err);
	else if (!strcmp(sub, "show"))
		ret = sub_show(c, &o, &err);
	else if (!strcmp(sub, "timeline"))
		ret = sub_timeline(c, &o, &err);
	else if (!strcmp(sub, "apply-due"))
		ret = sub_apply_due(c, &err);
	else if (!strcmp(sub, "policy"))
		ret = sub_policy(&o, &err);
	else
		ret = sub_step(c, sub, &o, &err);
	store_release(c);
	return ret ? cli_fail(ret, &err, "incident") : 0;
}
