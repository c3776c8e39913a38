/*
 * incident/incident.h - information-security incident reporting and response
 * (資安事件通報應變), after the national guideline of seed 003 (國家資通安全通報
 * 應變作業綱要): an agency reports within 1 hour of discovery, its supervisory
 * authority reviews, the technical service center re-reviews (and reviews
 * directly when the authority is late), dispatches support, and the incident
 * ends with a closing report that is reviewed before it is closed.
 *
 * Data flow: API / CLI → incident (validate, state machine, deadlines from the
 * policy file) → store (incidents, deadlines, timeline, indicators as intel
 * identifiers) → notify (in-app) and audit; the scheduler of `rootcut serve`
 * warns before each deadline and escalates when one is missed.
 *
 * Lifecycle (the function performing each step in brackets):
 *
 *   reported --review accept--> reviewed --rereview--> rereviewed --dispatch--> dispatched
 *    |  ^  \                                  ^            | (no support)          |
 *    |  |   `-- review deadline missed, or no supervisory   |                       |
 *    |  |       authority: the service center rereviews ----'                       |
 *    | supplement                                           v                       v
 *    v  |                                          close_reported <--close_report---'
 *   returned <--review return                        |        \
 *                                          close accept       close return (back to
 *                                                |             rereviewed / dispatched)
 *                                                v
 *                                              closed
 *
 * [incident_file] [incident_supplement] [incident_review] [incident_rereview]
 * [incident_dispatch] [incident_set_level] [incident_close_report] [incident_close]
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct audit_event;
struct auth_principal;
struct config;
struct err_msg;
struct store;
struct store_conn;
struct store_module_schema;

#define INCIDENT_LEVELS 4
#define INCIDENT_MAX_OFFICES 16
#define INCIDENT_MAX_INDICATORS 64

/* ---- the policy file (policy.c, policy_live.c) ---- */

/* A span of time: seconds plus calendar months; both 0 = no deadline ("none"). */
struct incident_duration {
	int64_t seconds;
	int months;
};

/* What one level's deadlines and escalations are. */
struct incident_level_policy {
	struct incident_duration review;       /* authority reviews, from the report */
	struct incident_duration rereview;     /* service center re-reviews, from the review */
	struct incident_duration dispatch;     /* support dispatched, from the re-review */
	struct incident_duration close_report; /* closing report, from the start of the response */
	struct incident_duration close_review; /* closing report reviewed, from its submission */
	bool notify_national;                  /* notify the national offices */
	bool crime_case;                       /* involving crime: open or link a case */
};

struct incident_policy {
	struct incident_duration report_within; /* from discovery to the report */
	struct incident_duration warn_before;   /* warning lead time before every deadline */
	struct incident_duration drill_report;  /* drills' report (a later slice) */
	char service_center[32];                /* agency code of the technical service center */
	char center[32];                        /* agency code of the center (cases, notices) */
	char case_word[32];                     /* case word (字別) of cases opened for incidents */
	char offices[INCIDENT_MAX_OFFICES][32]; /* agency codes of the national offices */
	size_t noffices;
	struct incident_level_policy level[INCIDENT_LEVELS + 1]; /* [1] … [4]; [0] unused */
	char source[512];                       /* file it came from, or "built-in" */
};

/* The shipped defaults (docs/ops/incident-policy.conf, compiled in). */
extern const char incident_policy_default[];
extern const unsigned long incident_policy_default_len;

/*
 * Parse the policy text (len bytes, need not be NUL-terminated) named name
 * over what *p holds (keys left out keep their value). On a bad line returns
 * ERR_INVAL with err's field the key and message "name:LINE: reason"; *p may
 * then be partly changed, so parse into a copy. Allocates nothing.
 */
int incident_policy_parse(struct incident_policy *p, const char *text, size_t len,
	const char *name, struct err_msg *err);
/* Fill p with the shipped defaults. */
void incident_policy_defaults(struct incident_policy *p);
/* The defaults overlaid with the file at path ("" = defaults alone). Fills err. */
int incident_policy_load_file(struct incident_policy *p, const char *path, struct err_msg *err);
/* True when a and b say the same (every key; the source aside). */
bool incident_policy_equal(const struct incident_policy *a, const struct incident_policy *b);
/* Write p as a policy file (every key), which parses back to p. */
void incident_policy_print(const struct incident_policy *p, FILE *out);

/*
 * Parse a duration: "none", or one or more <number><unit> with unit s, m, h,
 * d or mo (calendar months), e.g. "1h", "1h30m", "1mo". ERR_INVAL otherwise.
 */
int incident_duration_parse(const char *s, struct incident_duration *out);
/* Format d as the parser reads it ("none" when empty) into out. */
void incident_duration_format(const struct incident_duration *d, char *out, size_t size);
/* from + d in seconds since the epoch (months on the UTC calendar); 0 when d is none. */
int64_t incident_duration_add(int64_t from, const struct incident_duration *d);
bool incident_duration_none(const struct incident_duration *d);

/*
 * The policy in effect for this process: the file of incident_policy,
 * loaded by incident_configure(). Copies it into *out (thread-safe).
 */
void incident_policy_current(struct incident_policy *out);
/*
 * Take incident_policy and incident_poll_s from cfg and load the policy
 * file. On a bad file returns ERR_INVAL naming file:line, field and reason
 * and keeps the defaults (the caller decides whether to go on).
 */
int incident_configure(const struct config *cfg, struct err_msg *err);
/*
 * Load the policy file again (SIGHUP, or the scheduler seeing it change). A
 * bad file is refused: the old policy stays, err says why, and the reason is
 * kept for incident_policy_status(). Returns 0 when loaded.
 */
int incident_policy_reload(struct err_msg *err);
/* Reload when the file's size or modification time changed; 1 when reloaded. */
int incident_policy_reload_if_changed(void);
/* The path, when it was loaded (seconds) and the last refusal ("" when none). */
void incident_policy_status(char *path, size_t path_size, int64_t *loaded_at, char *error,
	size_t error_size);

/* ---- incidents ---- */

enum incident_state {
	INCIDENT_REPORTED = 1,
	INCIDENT_RETURNED,
	INCIDENT_REVIEWED,
	INCIDENT_REREVIEWED,
	INCIDENT_DISPATCHED,
	INCIDENT_CLOSE_REPORTED,
	INCIDENT_CLOSED,
};

/* The steps that change an incident (the state machine of state.c). */
enum incident_step {
	INCIDENT_STEP_SUPPLEMENT = 1,
	INCIDENT_STEP_REVIEW,        /* accept (may change the level) */
	INCIDENT_STEP_RETURN,        /* review: return for more information */
	INCIDENT_STEP_REREVIEW,
	INCIDENT_STEP_DISPATCH,
	INCIDENT_STEP_LEVEL,         /* the service center changes the level */
	INCIDENT_STEP_CLOSE_REPORT,
	INCIDENT_STEP_CLOSE,         /* accept the closing report */
	INCIDENT_STEP_CLOSE_RETURN,  /* return the closing report */
};

const char *incident_state_name(enum incident_state s);
int incident_state_parse(const char *name, enum incident_state *out);
const char *incident_step_name(enum incident_step s);

/* What the state machine needs to know besides the state. */
struct incident_facts {
	enum incident_state state;
	bool support_requested;
	bool review_escalated;   /* the review deadline was missed */
	bool has_supervisor;     /* the agency has a supervisory authority */
};

/*
 * The state after step from f, or 0 when the step is not allowed now (fills
 * err, field "state", with why). Pure.
 */
enum incident_state incident_next_state(const struct incident_facts *f, enum incident_step step,
	struct err_msg *err);

struct incident_indicator {
	int64_t identifier_id;
	char type[24];
	char value[256];  /* canonical */
};

struct incident {
	int64_t id;
	int64_t agency_id;
	int64_t supervisor_id;     /* the agency's supervisory authority (0 = none), when loaded */
	char agency_code[32];
	enum incident_state state;
	int level;                 /* current level, 1..4 */
	int proposed_level;        /* as reported */
	char title[256];
	char description[4096];    /* what happened */
	char systems[1024];        /* affected systems */
	int impact_c, impact_i, impact_a; /* confidentiality, integrity, availability: 0..4 */
	bool support_requested;
	bool others_affected;      /* other agencies or critical infrastructure */
	char others_note[1024];
	bool crime;                /* involves crime (seed 003 §4.3) */
	int64_t discovered_at;     /* seconds since the epoch */
	int64_t reported_at;       /* when the agency reported (the phone call when phoned in) */
	bool phoned;               /* phoned in and entered later by staff */
	char caller[128];          /* who phoned, when phoned */
	int64_t reported_by;       /* user who filed (0 when phoned in) */
	int64_t entered_by;        /* user who entered it */
	int64_t entered_at;
	bool review_escalated;
	bool national_notified;
	int64_t case_id;
	char *close_report;        /* JSON text, loaded by incident_get only; incident_release */
	size_t nindicators;
	struct incident_indicator indicators[INCIDENT_MAX_INDICATORS];
	int64_t created_at, updated_at;
};

/* Free what incident_get() allocated (not i). Accepts NULL. */
void incident_release(struct incident *i);

/* Who takes a step: the user (0 = the console) and how the step is audited. */
struct incident_actor {
	const struct auth_principal *p;  /* NULL for the console: every step is allowed */
	const struct audit_event *ev;    /* template; action and object are filled in */
};

/*
 * Add the indicator text (TYPE:VALUE, or a value whose type is detected) to
 * i, parsed by src/ident. field names it in err.
 */
int incident_add_indicator(struct incident *i, const char *text, const char *field,
	struct err_msg *err);

/*
 * File incident i for i->agency_id (validated; reported_at defaults to now,
 * phoned-in reports keep their original time and record entered_by and
 * entered_at). Starts the review deadline, notifies the supervisory
 * authority and the service center, audits "incident.file". Sets i->id.
 */
int incident_file(struct store_conn *c, struct incident *i, const struct incident_actor *a,
	struct err_msg *err);

/* Load incident id (with indicators and the closing report). ERR_NOTFOUND. */
int incident_get(struct store_conn *c, int64_t id, struct incident *out);

/* Which incidents a list shows. */
struct incident_filter {
	bool all;                 /* every agency (the center, the service center, console) */
	int64_t agency_id;        /* else: this agency's and its subordinates' */
	const char *state;        /* NULL = any */
	int64_t limit;
};
/* Incidents newest first; *out is a new array (no closing reports), free() it. */
int incident_list(struct store_conn *c, const struct incident_filter *f, struct incident **out,
	size_t *n);

/* ---- need-to-know and who may act (access.c) ---- */

/* True when p's agency is the service center of the policy. */
bool incident_is_service_center(struct store_conn *c, const struct auth_principal *p);
/*
 * May p (with the policy table's reach) see incident i? Its own agency, its
 * supervisory authority, the service center, and REACH_ALL (the center).
 */
bool incident_visible(struct store_conn *c, const struct auth_principal *p, int reach,
	const struct incident *i);
/* May p take step on i? ERR_DENIED with err's reason when not. NULL p = the console. */
int incident_may(struct store_conn *c, const struct auth_principal *p, const struct incident *i,
	enum incident_step step, struct err_msg *err);

/* ---- the steps (steps.c) ---- */

/* Arguments of a step; unused ones are ignored. */
struct incident_step_args {
	int level;               /* review, rereview, level: new level, 0 = unchanged */
	bool crime_set, crime;   /* review, rereview: mark as involving crime */
	const char *note;        /* reason, return note, dispatch team … */
	const char *case_number; /* rereview: link this case (crime) */
	/* supplement: replaces description / systems when not NULL */
	const char *description, *systems;
	/* close_report */
	const char *timeline, *damage, *after_effects, *response, *improvements;
	int64_t recovered_at;
};

/*
 * Take step on incident id: checks who may (incident_may), the state
 * machine, computes the deadlines the step starts or moves from the policy,
 * records the timeline, notifies and audits "incident.<step>", all in one
 * transaction; a level 3–4 crime incident then opens or links a case in a
 * second one. ERR_CONFLICT (field "state") for a step out of order.
 */
int incident_step(struct store_conn *c, int64_t id, enum incident_step step,
	const struct incident_step_args *args, const struct incident_actor *a,
	struct err_msg *err);

/* ---- deadlines (deadline.c) ---- */

enum incident_deadline_kind {
	INCIDENT_DL_REPORT = 1,
	INCIDENT_DL_REVIEW,
	INCIDENT_DL_REREVIEW,
	INCIDENT_DL_DISPATCH,
	INCIDENT_DL_CLOSE_REPORT,
	INCIDENT_DL_CLOSE_REVIEW,
};
const char *incident_deadline_name(enum incident_deadline_kind k);

struct incident_deadline {
	int64_t id;
	enum incident_deadline_kind kind;
	int level;          /* the level it was computed for */
	int64_t started_at; /* the step that started it */
	int64_t due_at;
	int64_t warn_at;    /* 0 = no warning */
	int64_t met_at;     /* 0 = open */
	bool warned, missed, cancelled;
};

/*
 * The due time of kind for level, counted from start, by policy p; 0 when
 * the policy sets none. Pure.
 */
int64_t incident_deadline_due(const struct incident_policy *p, enum incident_deadline_kind kind,
	int level, int64_t start);
/* The warning time of a deadline due at due started at start (0 = none). Pure. */
int64_t incident_deadline_warn(const struct incident_policy *p, int64_t start, int64_t due);
/* Deadlines of incident id, oldest first; *out is a new array, free() it. */
int incident_deadlines(struct store_conn *c, int64_t id, struct incident_deadline **out,
	size_t *n);

/* ---- timeline (timeline.c) ---- */

struct incident_event {
	int64_t id;
	int64_t at;
	char actor[64];
	char kind[48];     /* "file", "review", "deadline.warn", "deadline.missed" … */
	char detail[1024];
};
/* The timeline of incident id, in order; *out is a new array, free() it. */
int incident_timeline(struct store_conn *c, int64_t id, struct incident_event **out, size_t *n);

/* ---- the scheduler (due.c, scheduler.c) ---- */

/*
 * Warn of the deadlines whose warning time has come and escalate those that
 * were missed, as of now: each on the timeline, as notifications and in the
 * audit log. *next is the next time something falls due (0 = nothing);
 * *done how many warnings and escalations were made. Any process may run it.
 */
int incident_due_apply(struct store_conn *c, int64_t now, int64_t *next, int *done,
	struct err_msg *err);
/* Start the thread of `rootcut serve` that runs incident_due_apply() on time. */
int incident_scheduler_start(struct store *s, struct err_msg *err);
/* Wake the scheduler (a deadline changed). */
void incident_scheduler_poke(void);
/* Stop and join it. Accepts not running. */
void incident_scheduler_stop(void);

/* The module's schema, for store_migrate(). */
const struct store_module_schema *incident_schema(void);
