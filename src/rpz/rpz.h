/*
 * rpz/rpz.h - domain seizure (域名扣押) and DNS RPZ stop-resolution: court
 * orders and their lifecycle, the passthru list, and the RPZ zones they
 * publish. The zones as stored are read through rpz/zone_store.h (the DNS
 * primary in dns/ and `rootcut rpz export`).
 *
 * Data flow: order (API, CLI) → ident (each domain normalised, stored as an
 * identifier of the anti-fraud database) → rpz (lifecycle; on every change
 * of what is enforced, the affected owners are recomputed and the
 * difference written to the zone under serial + 1) → listener (NOTIFY).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct audit_event;
struct config;
struct ident;
struct store;
struct err_msg;
struct store_conn;
struct store_module_schema;

/* The rpz module's schema, for store_migrate(). */
const struct store_module_schema *rpz_schema(void);

/*
 * Take the rpz_* settings from cfg (call once at start, before any thread
 * uses the module). Names in cfg are checked by rpz_zones_sync().
 */
void rpz_configure(const struct config *cfg);

/*
 * Make the stored zones agree with the configuration: create every
 * configured zone that is missing, and give each its SOA values and canary
 * rule, raising its serial when anything changed. Zones no longer
 * configured are kept (their orders still name them). ERR_INVAL naming the
 * key (rpz_zones, rpz_mname, rpz_canary …) for a bad name.
 */
int rpz_zones_sync(struct store_conn *c, struct err_msg *err);

/*
 * Whether name (a domain: lower case, A-labels, no trailing dot) is blocked
 * by the published zones now, by the rule that decides it in DNS (seized.c).
 * The lookup service's risk "seized" comes from here: rpz_configure()
 * installs it with rpz_lookup_hook().
 */
bool rpz_name_seized(struct store_conn *c, const char *name);
void rpz_lookup_hook(void);

/*
 * Keep the highest serial each zone was published at in data_dir/rpz.serials,
 * so that a database restored from an older backup is raised above it by
 * rpz_zones_sync() instead of going back to serials the secondaries hold
 * (highwater.c). Call before rpz_zones_sync(); without it nothing is kept.
 */
void rpz_set_state_dir(const char *data_dir);

/* The default zone of new orders (the first of rpz_zones), absolute. */
const char *rpz_default_zone(void);

/* ---- court orders (order.c, order_domain.c, order_state.c) ---- */

/*
 * The lifecycle of a seizure order, and who moves it (the API's policy
 * table in auth/policy.c; the console may do every step):
 *
 *   draft --file--> filed --grant--> granted --enforce--> enforced --lift--> lifted
 *     (prosecutor,      (prosecutor      (dns_operator        |  (dns_operator
 *      investigator)     of the agency,   or admin)           |   or admin)
 *                        or admin)                             +--at expires_at--> expired
 *                                                                  (the serve process)
 *   granted --lift--> lifted  (a grant revoked before it was enforced)
 *
 * Only enforced orders publish rules, and only between starts_at and
 * expires_at. A single domain listed by mistake is lifted at once
 * (lift-domain, with a reason) in the granted and enforced states.
 */
enum { RPZ_COURT_MAX = 128, RPZ_NOTE_MAX = 1024, RPZ_REDIRECT_MAX = 512 };

struct rpz_order {
	int64_t id;
	int64_t agency_id;          /* the office that applied for it */
	int64_t case_id;            /* linked case (intel), 0 = none */
	char zone[256];             /* the feed, absolute ("rpz.rootcut.tw.") */
	char court[RPZ_COURT_MAX];  /* 臺灣臺北地方法院 */
	char order_number[RPZ_COURT_MAX]; /* the ruling's number (113年度聲扣字第12號) */
	char order_date[16];        /* the ruling's date, YYYY-MM-DD; "" until granted */
	char action[16];            /* nxdomain, nodata, redirect */
	char redirect[RPZ_REDIRECT_MAX]; /* for redirect: "192.0.2.1,2001:db8::1" or "warn.example." */
	bool subdomains;            /* the rule covers every name under each domain too */
	int64_t starts_at;          /* unix seconds; 0 = as soon as enforced */
	int64_t expires_at;         /* unix seconds; 0 = until lifted */
	char state[16];             /* draft, filed, granted, enforced, lifted, expired */
	char note[RPZ_NOTE_MAX];
	int64_t created_by;         /* user id, 0 = the console */
	char created_at[32];
	char updated_at[32];
	int64_t domains;            /* domains listed */
	int64_t lifted;             /* of which lifted one by one */
};

/* Names as stored and sent over the API. */
extern const char *const rpz_actions[];      /* NULL-terminated */
extern const char *const rpz_order_states[]; /* NULL-terminated */

/*
 * Parse one domain of an order as people and lists write it: a domain
 * (IDN accepted, converted to A-labels), defanged ("bad[.]example"), or a
 * URL whose host is taken ("hxxps://www.bad.example/login" → "www.bad.example");
 * never widened to the registrable domain. Fills *id (an IDENT_DOMAIN) and
 * returns 0, or ERR_INVAL with err naming field and saying why (an IP
 * address, a public suffix, an unknown top-level domain …). Thread-safe.
 */
int rpz_domain_parse(const char *s, size_t len, struct ident *id, const char *field,
	struct err_msg *err);

/*
 * Normalise a redirect target into out (RPZ_REDIRECT_MAX bytes): IPv4 and
 * IPv6 addresses, comma-separated, or one host name (made absolute).
 * "" takes rpz_redirect from the configuration. ERR_INVAL (field "redirect").
 */
int rpz_redirect_parse(const char *s, char *out, size_t size, struct err_msg *err);

/*
 * Check o's fields (action, redirect, zone, times, lengths) and store it as
 * a draft with no domains; sets o->id, state and times. o->case_id must name
 * a case (ERR_NOTFOUND, field "case_id"). ev (may be NULL) is a template
 * audited as "order.create". ERR_INVAL naming the field.
 */
int rpz_order_create(struct store_conn *c, struct rpz_order *o, const struct audit_event *ev,
	struct err_msg *err);

/* Order id into *out (with its counts). ERR_NOTFOUND. */
int rpz_order_get(struct store_conn *c, int64_t id, struct rpz_order *out);

/*
 * Orders, newest first, at most limit: every one when all is true, else
 * those of agency_id, created by user_id, or linked to a case user_id is a
 * member of. state NULL = any. *out is a new array of *n; free() it.
 */
int rpz_order_list(struct store_conn *c, bool all, int64_t agency_id, int64_t user_id,
	const char *state, size_t limit, struct rpz_order **out, size_t *n);

/* A domain of an order. */
struct rpz_order_domain {
	char domain[256];           /* canonical, A-labels */
	char unicode[512];          /* for display */
	char raw[256];              /* as given */
	int64_t identifier_id;      /* the anti-fraud database's identifier */
	char lifted_at[32];         /* "" unless lifted one by one */
	char lifted_by[64];
	char lift_reason[RPZ_NOTE_MAX];
};

/*
 * The domains of order id, by domain, from offset, at most limit. *out is a
 * new array of *n; free() it.
 */
int rpz_order_domains(struct store_conn *c, int64_t id, size_t offset, size_t limit,
	struct rpz_order_domain **out, size_t *n);

/* Called for each domain refused by rpz_order_add_domains() in lenient mode. */
typedef void (*rpz_bad_domain_fn)(void *ctx, size_t index, const char *raw,
	const struct err_msg *why);

/*
 * Add the domains raw[0..n) to draft order id, each stored as an identifier
 * (intel) too. Strict (bad == NULL): the first bad one refuses the whole
 * call, err naming "domains[i]". Lenient: bad ones are reported to bad(ctx,
 * i, raw, why) and the rest added. A domain already on the order is not
 * added twice. *added (may be NULL) counts the new ones. ERR_CONFLICT
 * unless the order is a draft. Audited as "order.domains.add" (ev).
 */
int rpz_order_add_domains(struct store_conn *c, int64_t id, const char *const *raw, size_t n,
	rpz_bad_domain_fn bad, void *ctx, const struct audit_event *ev, size_t *added,
	struct err_msg *err);

/* draft → filed (needs a domain). ERR_CONFLICT from another state. Audited "order.file". */
int rpz_order_file(struct store_conn *c, int64_t id, const struct audit_event *ev,
	struct err_msg *err);
/*
 * filed → granted, recording the court, the ruling's number and date
 * (YYYY-MM-DD or a ROC date; field "order_date"); court may be "" to keep
 * the one the draft named. Audited "order.grant".
 */
int rpz_order_grant(struct store_conn *c, int64_t id, const char *court,
	const char *order_number, const char *order_date, const struct audit_event *ev,
	struct err_msg *err);
/* granted → enforced: its rules are published (now, or at starts_at). Audited "order.enforce". */
int rpz_order_enforce(struct store_conn *c, int64_t id, const struct audit_event *ev,
	struct err_msg *err);
/* granted or enforced → lifted, with a reason (field "reason"). Audited "order.lift". */
int rpz_order_lift(struct store_conn *c, int64_t id, const char *reason,
	const struct audit_event *ev, struct err_msg *err);
/*
 * Lift one domain of a granted or enforced order at once, with a reason:
 * its rules go in the same transaction. domain is parsed like
 * rpz_domain_parse(); ERR_NOTFOUND (field "domain") when not on the order,
 * ERR_CONFLICT when already lifted. Audited "order.domain.lift".
 */
int rpz_order_lift_domain(struct store_conn *c, int64_t id, const char *domain,
	const char *reason, const struct audit_event *ev, struct err_msg *err);

/* A step of an order's history. */
struct rpz_order_event {
	int64_t id;
	char at[32];
	char actor[64];
	char action[32];            /* create, domains, file, grant, enforce, publish, lift, lift_domain, expire */
	char from_state[16], to_state[16];
	char detail[RPZ_NOTE_MAX];
};

/* The history of order id, oldest first. *out is a new array of *n; free() it. */
int rpz_order_events(struct store_conn *c, int64_t id, struct rpz_order_event **out, size_t *n);

/* ---- the passthru list (passthru.c): never blocked, whatever an order says ---- */

struct rpz_passthru {
	int64_t id;
	char domain[256];
	bool subdomains;
	char reason[RPZ_NOTE_MAX];
	char created_by[64];
	char created_at[32];
};

/*
 * Put domain (parsed like rpz_domain_parse) on the passthru list with a
 * reason; the rules of every zone follow in the same transaction.
 * ERR_CONFLICT (field "domain") when listed. Audited "passthru.add".
 */
int rpz_passthru_add(struct store_conn *c, const char *domain, bool subdomains,
	const char *reason, const struct audit_event *ev, struct rpz_passthru *out,
	struct err_msg *err);
/* Remove entry id (or, when id is 0, the entry of domain). Audited "passthru.remove". */
int rpz_passthru_remove(struct store_conn *c, int64_t id, const char *domain,
	const struct audit_event *ev, struct err_msg *err);
/* The list by domain. *out is a new array of *n; free() it. */
int rpz_passthru_list(struct store_conn *c, struct rpz_passthru **out, size_t *n);

/* ---- time (expiry.c, scheduler.c) ---- */

/*
 * Apply what is due at now: enforced orders past expires_at become expired
 * and their rules go; enforced orders whose starts_at has come are
 * published. Each order is one transaction, audited as the system. Sets
 * *next (may be NULL) to the next time something falls due (0 = nothing
 * scheduled). *applied (may be NULL) counts the orders changed.
 */
int rpz_due_apply(struct store_conn *c, int64_t now, int64_t *next, int *applied,
	struct err_msg *err);

/*
 * Start the thread of `serve` that calls rpz_due_apply() at each due time
 * (by the project clock), and at least every rpz_poll_s seconds for orders
 * other processes changed. rpz_scheduler_stop() wakes it, waits for it and
 * is a no-op when it was not started.
 */
int rpz_scheduler_start(struct store *s, struct err_msg *err);
void rpz_scheduler_stop(void);
/* Wake the scheduler to look again now (an order of this process changed). */
void rpz_scheduler_poke(void);

/* ---- export (export.c) ---- */

/*
 * Write zone (NULL = the default zone) as a master file to out: $ORIGIN,
 * $TTL, SOA and NS at the apex, then every rule, as of one read snapshot.
 * ERR_NOTFOUND (field "zone"); ERR_IO when out fails.
 */
int rpz_export(struct store_conn *c, const char *zone, FILE *out, struct err_msg *err);

/* ---- history by serial (history.c) ---- */

struct rpz_history_entry {
	uint32_t serial;
	int64_t version;            /* the change count the serial stands for */
	int64_t added, deleted;     /* records */
	char reason[128];           /* "order enforced", "passthru added", "SOA values" … */
	char changed_at[32];
};

/*
 * The changes of zone (with or without the trailing dot), newest first, at
 * most limit. *out is a new array of *n; free() it. ERR_NOTFOUND ("zone").
 */
int rpz_history(struct store_conn *c, const char *zone, size_t limit,
	struct rpz_history_entry **out, size_t *n, struct err_msg *err);
