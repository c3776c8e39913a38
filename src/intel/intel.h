/*
 * intel/intel.h - the national anti-fraud database (全國反電信詐騙資料庫):
 * identifiers, reports, cases, and who else has seen an identifier.
 *
 * Data flow: report (API, CLI, import) → ident (normalise each identifier) →
 * intel (one row per distinct identifier; an observation per report; counts
 * kept on the identifier) → correlation at query time from the postings
 * (identifier → reports), never stored pairwise.
 *
 * Need-to-know (偵查不公開): a report is visible in full to the center's
 * analysts, to the agency that filed it, and to members of the case it is
 * linked to; a case to its members and the center's analysts. Everyone else
 * sees blind hits: counts and the owning office.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ident/ident.h"

struct audit_event;
struct auth_principal;
struct err_msg;
struct store_conn;
struct store_module_schema;

struct config;

/* Take the intel settings from cfg (call once at start). */
void intel_configure(const struct config *cfg);

/* The intel module's schema, for store_migrate(). */
const struct store_module_schema *intel_schema(void);

/* ---- enumerations stored as text ---- */

/* Crime types (犯罪類型); names as stored and sent over the API. */
extern const char *const intel_crime_types[];    /* NULL-terminated */
extern const char *const intel_victim_kinds[];   /* individual, company, public_body */
extern const char *const intel_payment_methods[];
extern const char *const intel_roles[];          /* observation roles: caller, receiving_account … */
extern const char *const intel_case_statuses[];
/* True when name is in the NULL-terminated list. */
bool intel_enum_valid(const char *const *list, const char *name);

/* ---- reports ---- */

#define INTEL_MAX_REPORT_IDENTS 64

struct intel_report_ident {
	struct ident id;        /* parsed and normalised */
	char role[32];          /* caller, receiving_account, website … (intel_roles) */
	char raw[256];          /* as typed, for the record */
};

struct intel_report {
	int64_t id;
	char source_ref[128];   /* unique reference from the source system (dedupes imports) */
	int64_t agency_id;      /* the reporting agency */
	char channel[32];       /* 165, police_station, online_form, agency, bank, import … */
	int64_t occurred_at;    /* seconds since the epoch; 0 = unknown */
	int64_t reported_at;
	char victim_kind[24];
	char victim_sector[64];
	char crime_type[32];
	int64_t loss_twd;
	char loss_currency[8];  /* ISO 4217 of the original loss, "" when TWD */
	char loss_amount[32];   /* the original amount as a decimal string */
	char payment_method[24];
	char *narrative;        /* malloc'ed, may be NULL */
	int64_t case_id;        /* 0 = none */
	int64_t duplicate_of;   /* 0 = not a duplicate */
	int64_t created_by;
	char created_at[32];
	struct intel_report_ident *idents;
	size_t nidents;
};

/* Free the contents of r (narrative, identifiers). Accepts NULL. */
void intel_report_release(struct intel_report *r);

/*
 * Add one identifier given as text to r: parse it as type (or detect the type
 * when type is 0), check the role. Fills err naming field (e.g.
 * "identifiers[2].value") on failure.
 */
int intel_report_add_ident(struct intel_report *r, enum ident_type type, const char *value,
	const char *role, const char *field, struct err_msg *err);

/*
 * Validate r and store it with its observations, updating the identifiers'
 * counts and recognising a likely duplicate (sets r->duplicate_of). When
 * r->source_ref is already stored, nothing is added: returns ERR_CONFLICT and
 * sets r->id to the existing report. ev (may be NULL) is audited in the same
 * transaction. Sets r->id.
 */
int intel_report_create(struct store_conn *c, struct intel_report *r,
	const struct audit_event *ev, struct err_msg *err);

/*
 * The same as intel_report_create() inside the caller's write transaction
 * (bulk import commits many reports at once). On failure the caller rolls
 * back, or continues after a savepoint.
 */
int intel_report_store(struct store_conn *c, struct intel_report *r,
	const struct audit_event *ev, struct err_msg *err);

/* Load report id (with identifiers). ERR_NOTFOUND when absent. */
int intel_report_get(struct store_conn *c, int64_t id, struct intel_report *out);

/* May p see report r in full? (reach as decided by the policy table) */
bool intel_report_visible(struct store_conn *c, const struct auth_principal *p, int reach,
	const struct intel_report *r);

/* ---- cases ---- */

struct intel_case {
	int64_t id;
	char number[96];        /* canonical 112年度偵字第1234號 */
	int64_t office_id;      /* owning office (agency) */
	char title[256];
	char status[24];        /* open, investigating, indicted, closed */
	int64_t created_by;
	char created_at[32];
	char updated_at[32];
};

struct intel_case_member {
	int64_t user_id;
	char username[64];
	char display_name[128];
	int64_t agency_id;
	char role[24];          /* owner, prosecutor, investigator, analyst, viewer */
	char added_at[32];
};

int intel_case_create(struct store_conn *c, struct intel_case *k, int64_t owner_user_id,
	const struct audit_event *ev, struct err_msg *err);
int intel_case_get(struct store_conn *c, int64_t id, struct intel_case *out);
int intel_case_find(struct store_conn *c, const char *number, struct intel_case *out);
int intel_case_update(struct store_conn *c, const struct intel_case *k,
	const struct audit_event *ev, struct err_msg *err);
/* True when user_id is a member of case_id. */
bool intel_case_is_member(struct store_conn *c, int64_t case_id, int64_t user_id);
/* May p see case k in full? */
bool intel_case_visible(struct store_conn *c, const struct auth_principal *p, int reach,
	const struct intel_case *k);
int intel_case_members(struct store_conn *c, int64_t case_id, struct intel_case_member **out,
	size_t *n);
int intel_case_add_member(struct store_conn *c, int64_t case_id, int64_t user_id,
	const char *role, const struct audit_event *ev, struct err_msg *err);
int intel_case_remove_member(struct store_conn *c, int64_t case_id, int64_t user_id,
	const struct audit_event *ev, struct err_msg *err);
/* Link report_id to case_id (a report belongs to at most one case). */
int intel_case_link_report(struct store_conn *c, int64_t case_id, int64_t report_id,
	const struct audit_event *ev, struct err_msg *err);

/*
 * Store id as an identifier if it is new, inside the caller's write
 * transaction, and set *row to its id (ident_store.c). For other modules
 * whose records name identifiers (rpz: seized domains).
 */
int intel_ident_upsert(struct store_conn *c, const struct ident *id, int64_t *row);

/* ---- identifiers inside a narrative (extract.c) ---- */

struct intel_extracted {
	struct ident id;
	size_t start, end;   /* byte offsets of the text it was read from */
	char role[32];       /* a suggested role, for the person confirming it */
};

/*
 * Find identifiers written in text (UTF-8, NUL-terminated), at most max,
 * each once, in order of appearance. Returns how many were found.
 */
size_t intel_extract(const char *text, struct intel_extracted *out, size_t max);

/* ---- access requests to a case (access.c) ---- */

struct intel_access_request {
	int64_t id;
	int64_t case_id;
	char case_number[96];
	int64_t requester_id;
	char requester[64];
	int64_t requester_agency_id;
	char reason[2048];
	char status[16];       /* pending, granted, refused */
	int64_t decided_by;
	char decided_at[32];
	char note[512];
	char created_at[32];
};

/* p asks case_id for access; the case's owners and prosecutors are notified. */
int intel_access_request(struct store_conn *c, int64_t case_id, const struct auth_principal *p,
	const char *reason, const struct audit_event *ev, int64_t *id_out, struct err_msg *err);
int intel_access_get(struct store_conn *c, int64_t id, struct intel_access_request *out);
/* May p decide requests to case_id? (its owner or prosecutor, or the center) */
bool intel_access_may_decide(struct store_conn *c, const struct auth_principal *p, int reach,
	int64_t case_id);
/* Grant (the requester becomes a viewer) or refuse; the requester is notified. */
int intel_access_decide(struct store_conn *c, int64_t id, const struct auth_principal *p,
	bool grant, const char *note, const struct audit_event *ev, struct err_msg *err);

/* ---- watchlists (watch.c) ---- */

/* user_id watches id (created as an identifier if never seen). ERR_CONFLICT if already. */
int intel_watch_add(struct store_conn *c, int64_t user_id, const struct ident *id,
	const char *note, const struct audit_event *ev, int64_t *watch_id, struct err_msg *err);
/* Stop watching; ERR_NOTFOUND when watch_id is not user_id's. */
int intel_watch_remove(struct store_conn *c, int64_t user_id, int64_t watch_id);

/* ---- the warning list (never correlate) ---- */

/* Put id on the warning list with a reason (audited by ev). ERR_CONFLICT when listed. */
int intel_warning_add(struct store_conn *c, const struct ident *id, const char *reason,
	int64_t user_id, const struct audit_event *ev, struct err_msg *err);
/* Remove entry entry_id. */
int intel_warning_remove(struct store_conn *c, int64_t entry_id, const struct audit_event *ev,
	struct err_msg *err);
/* Add the shipped defaults once per database; *added says how many. */
int intel_warning_seed(struct store_conn *c, int *added);

/*
 * The warning list held in memory, for matching many identifiers quickly
 * (bulk import; the graph's hubs). Load the whole list; *out is freed with
 * intel_warning_set_free().
 */
struct intel_warning_set;
int intel_warning_set_load(struct store_conn *c, struct intel_warning_set **out);
/* True when id is on the loaded list (exact, registrable domain, CIDR range). */
bool intel_warning_set_match(const struct intel_warning_set *ws, const struct ident *id);
/* A digest of the loaded list (to notice a change). */
uint64_t intel_warning_set_digest(const struct intel_warning_set *ws);
void intel_warning_set_free(struct intel_warning_set *ws);

/* ---- correlation (correlate.c) ---- */

#include <jansson.h>

/* The identifier row id as JSON (counts, first/last seen, risk, detail). */
int intel_identifier_json(struct store_conn *c, int64_t id, json_t **out);

/*
 * The reports sharing identifier_id (except exclude_report), split by
 * need-to-know: *visible_out lists reports p may read, *blind_out counts the
 * rest per owning office. *cases_out is the number of distinct cases; *truncated
 * is set when more postings exist than were read. The JSON values are new
 * references owned by the caller.
 */
int intel_postings(struct store_conn *c, const struct auth_principal *p, int reach,
	int64_t identifier_id, int64_t exclude_report, json_t **visible_out, json_t **blind_out,
	int64_t *cases_out, bool *truncated);

/* ---- the lookup service (lookup.c) ---- */

struct intel_lookup_result {
	bool known;            /* the identifier is in the database at all */
	char risk[16];         /* none, reported, confirmed, seized */
	int64_t report_count;
	char first_seen[32];   /* "" when never */
	char last_seen[32];
	bool aged_out;         /* reported, but only before lookup_report_ttl_days */
	bool warning_list;     /* on the warning list: never flagged */
};

/* Take lookup_report_ttl_days from cfg. */
void intel_lookup_configure(const struct config *cfg);
/*
 * The risk of id. Sensitive types (national ID) are refused with ERR_INVAL
 * (field "type"). Never returns case or victim data. Reads only.
 */
int intel_lookup(struct store_conn *c, const struct ident *id, struct intel_lookup_result *out,
	struct err_msg *err);
/*
 * Who answers "is id under a court order now?" for the risk "seized": the
 * rpz module sets it at start (rpz_configure()); none means never seized.
 */
typedef bool (*intel_seized_fn)(struct store_conn *c, const struct ident *id);
void intel_lookup_set_seized(intel_seized_fn fn);

/* ---- listing management (listing.c): warning list entries, review, risk, disputes ---- */

/*
 * A "listing" is what the lookup service says about an identifier. Analysts
 * keep the warning list and review identifiers held after fanning out; analysts
 * and prosecutors decide risk levels; an owner's dispute, relayed by whoever
 * received it, is decided by an analyst. Every change is audited with ev (a
 * template: these functions fill object_type, object_id and detail).
 */

struct intel_warning_entry {
	int64_t id;
	char type[24];                  /* ident_type_name() */
	char value[IDENT_VALUE_SIZE];   /* canonical; an IP entry may be a CIDR range */
	char reason[2048];
	int64_t created_by;             /* 0 = shipped default or the console */
	char created_by_name[64];       /* "" when created_by is 0 */
	char created_at[32];
};

/*
 * The warning list, of one type (0 = every type), ordered by type and value.
 * *out is a new array of *n entries; free it with free().
 */
int intel_warning_entries(struct store_conn *c, enum ident_type type,
	struct intel_warning_entry **out, size_t *n);
/* Entry entry_id into *out; ERR_NOTFOUND when absent. */
int intel_warning_get(struct store_conn *c, int64_t entry_id, struct intel_warning_entry *out);
/*
 * intel_warning_add() for people: refuses sensitive types (field "type") and a
 * reason that is empty or over 2000 bytes (field "reason"), audits ev as
 * "warning.add", and fills *out (may be NULL) with the new entry.
 * ERR_CONFLICT (field "value") when already listed.
 */
int intel_warning_add_entry(struct store_conn *c, const struct ident *id, const char *reason,
	int64_t user_id, const struct audit_event *ev, struct intel_warning_entry *out,
	struct err_msg *err);
/* Remove entry entry_id, audited as "warning.remove" naming what it listed. */
int intel_warning_remove_entry(struct store_conn *c, int64_t entry_id,
	const struct audit_event *ev, struct err_msg *err);

/* An identifier held for review (review_flag 1) after fanout_review_threshold reports. */
struct intel_review_item {
	int64_t identifier_id;
	char type[24];
	char value[IDENT_VALUE_SIZE];
	char display[IDENT_VALUE_SIZE];
	int64_t report_count;
	int64_t agencies;               /* distinct reporting agencies */
	char first_seen[32];
	char last_seen[32];
};

/*
 * The review queue, most reported first (at most 500). *out is a new array of
 * *n items; free it with free().
 */
int intel_review_queue(struct store_conn *c, struct intel_review_item **out, size_t *n);
/*
 * Decide a held identifier: decision "correlate" (its hits are shown again)
 * or "warning_list" (it is put on the warning list and never correlates);
 * either way review_flag becomes 2. reason is required. ERR_NOTFOUND (field
 * "id"), ERR_CONFLICT when it is not awaiting review, ERR_INVAL naming
 * "decision" or "reason". Audited as "identifier.review".
 */
int intel_review_decide(struct store_conn *c, int64_t identifier_id, const char *decision,
	const char *reason, int64_t user_id, const struct audit_event *ev, struct err_msg *err);

/*
 * Set the risk of identifier_id to "reported", "confirmed", "seized" or
 * "cleared" with a reason, audited as "identifier.risk" with old → new.
 * confirmed and seized set confirmed_at (never ages out); reported and cleared
 * unset it. Copies the old risk into old_risk (may be NULL). ERR_CONFLICT when
 * the risk is already that, or when a warning-listed identifier would be
 * flagged (the lookup answers none for it; remove the entry first).
 */
int intel_risk_set(struct store_conn *c, int64_t identifier_id, const char *risk,
	const char *reason, const struct audit_event *ev, char old_risk[16], struct err_msg *err);
/*
 * May p decide about identifier_id? With REACH_ALL always; otherwise only
 * when a report naming it is visible to p (intel_report_visible).
 */
bool intel_identifier_in_reach(struct store_conn *c, const struct auth_principal *p, int reach,
	int64_t identifier_id);

struct intel_dispute {
	int64_t id;
	int64_t identifier_id;
	char type[24];
	char value[IDENT_VALUE_SIZE];
	char display[IDENT_VALUE_SIZE];
	int64_t submitted_by;
	char submitter[64];             /* user name of submitted_by */
	char claimant[256];             /* the owner who complains */
	char contact[256];
	char reason[2048];
	char status[16];                /* open, upheld, rejected */
	int64_t decided_by;             /* 0 = undecided or the console */
	char decider[64];
	char decided_at[32];
	char note[2048];
	char created_at[32];
};

/*
 * File a dispute about a listed identifier for its owner (claimant), on
 * behalf of user_id. ERR_NOTFOUND (field "value") when id is not listed (not
 * in the database, or never counted); ERR_INVAL for a sensitive type or a
 * missing claimant or reason; ERR_CONFLICT when user_id already has an open
 * dispute about it. Sets *id_out. Audited as "dispute.create".
 */
int intel_dispute_file(struct store_conn *c, const struct ident *id, int64_t user_id,
	const char *claimant, const char *contact, const char *reason,
	const struct audit_event *ev, int64_t *id_out, struct err_msg *err);
/* Dispute id into *out; ERR_NOTFOUND when absent. */
int intel_dispute_get(struct store_conn *c, int64_t id, struct intel_dispute *out);
/*
 * Disputes, newest first (at most 500): those submitted by submitted_by (0 =
 * everyone's) with status (NULL = any). *out is a new array of *n; free() it.
 */
int intel_dispute_list(struct store_conn *c, int64_t submitted_by, const char *status,
	struct intel_dispute **out, size_t *n);
/*
 * Decide open dispute id: "upheld" sets the identifier's risk to cleared (the
 * lookup answers none; its reports stay and still correlate), "rejected"
 * leaves it. The submitter is notified either way. decided_by 0 = the
 * console. ERR_CONFLICT when already decided, or when upholding a seized
 * identifier (a court order is lifted through its risk, not a dispute).
 * Audited as "dispute.uphold" or "dispute.reject" (and "identifier.risk").
 */
int intel_dispute_decide(struct store_conn *c, int64_t id, int64_t decided_by,
	const char *decision, const char *note, const struct audit_event *ev, struct err_msg *err);

/* ---- bulk import (import.h has the importer itself) ---- */

/*
 * Fill r from a JSON object with the fields of POST /api/v1/reports (a JSON
 * Lines import row); r->reported_at stays as it is when body has none.
 * intel_report_from_json() is this with the request's error and "now" as the
 * default reported_at. Fills err naming the field ("identifiers[1].value").
 */
int intel_report_fill_json(json_t *body, struct intel_report *r, struct err_msg *err);
