/*
 * rpz/internal.h - shared by the files of src/rpz/ only: the settings taken
 * from the configuration, serial arithmetic, the zone writer (records,
 * journal and serial in the caller's transaction) and the rule computation.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rpz/rpz.h"
#include "rpz/zone_store.h"

struct err_msg;
struct store_conn;

enum { RPZ_MAX_ZONES = 16, RPZ_MAX_RULE_RRS = 16 };

/* DNS type numbers used in the zones. */
enum { RPZ_TYPE_A = 1, RPZ_TYPE_CNAME = 5, RPZ_TYPE_AAAA = 28 };

struct rpz_settings {
	char zones[RPZ_MAX_ZONES][RPZ_NAME_MAX]; /* absolute, lower case, trailing dot */
	size_t nzones;
	char mname[RPZ_NAME_MAX], rname[RPZ_NAME_MAX]; /* absolute */
	uint32_t refresh, retry, expire, minimum, ttl;
	int64_t journal_keep;
	char canary[RPZ_NAME_MAX];   /* a domain without the trailing dot; "" = none */
	char redirect[512];          /* normalised default redirect target; "" = none */
	int64_t poll_s;
};

/* The settings as last configured (rpz_configure). */
const struct rpz_settings *rpz_settings(void);

/* ---- serial.c: RFC 1982 serial arithmetic over a version that never wraps ---- */

/* The SOA serial of a zone version: the version modulo 2^32. */
uint32_t rpz_serial_of(int64_t version);
/* RFC 1982: true when serial a is before serial b (undefined pairs are false). */
bool rpz_serial_before(uint32_t a, uint32_t b);
/*
 * The version whose serial is `serial`, given the current version: the
 * latest version at or before current with that serial, when serial is at
 * most 2^31 - 1 behind. ERR_NOTFOUND when serial is ahead of current or too
 * far behind to say.
 */
int rpz_serial_version(int64_t current, uint32_t serial, int64_t *out);

/* ---- zone_write.c: one change of a zone, inside the caller's write transaction ---- */

/* A record with storage of its own, for building changes. */
struct rpz_rr_buf {
	char owner[RPZ_NAME_MAX];
	uint16_t type;
	uint32_t ttl;
	char rdata[RPZ_NAME_MAX];
};

/* A growing list of records (malloc'ed); RPZ_RRS_INIT, release with rpz_rrs_release(). */
struct rpz_rrs {
	struct rpz_rr_buf *v;
	size_t n, alloc;
};
#define RPZ_RRS_INIT { NULL, 0, 0 }
void rpz_rrs_add(struct rpz_rrs *l, const char *owner, uint16_t type, uint32_t ttl,
	const char *rdata);
void rpz_rrs_release(struct rpz_rrs *l);

/* Zones changed by a transaction, to tell the listener after the commit. */
struct rpz_notices {
	size_t n;
	struct {
		char zone[RPZ_NAME_MAX];
		uint32_t serial;
	} item[RPZ_MAX_ZONES];
};
#define RPZ_NOTICES_INIT { 0 }

/*
 * Apply one change to zone_id: delete dels and add adds in rpz_records,
 * raise the version by one, journal the change under the new serial (the
 * deletions first), record it in rpz_history with reason, and trim the
 * journal to rpz_journal_keep versions. Nothing happens when both lists are
 * empty, unless force (a change of the SOA values). Every deletion must be a
 * stored record and no addition may be one (ERR_INTERNAL otherwise: the
 * caller computed the difference from a different state). Records the new
 * serial in *notices (may be NULL). Call inside store_begin().
 */
int rpz_zone_write(struct store_conn *c, int64_t zone_id, const struct rpz_rrs *dels,
	const struct rpz_rrs *adds, bool force, const char *reason, struct rpz_notices *notices);

/*
 * Commit c's transaction, then record the zones' versions in DATA/rpz.serials
 * (highwater.c) and call the listener for every zone in notices.
 */
int rpz_commit(struct store_conn *c, const struct rpz_notices *notices);

/* ---- highwater.c: the highest version each zone was published at, outside the database ---- */

/* Record the stored versions of every zone (after a commit that changed one). */
void rpz_highwater_save(struct store_conn *c);
/* True when some zone is stored below its mark (a restored, older database). */
bool rpz_highwater_behind(struct store_conn *c);
/* Raise every zone stored below its mark above it, its journal cut (inside store_begin()). */
int rpz_highwater_apply(struct store_conn *c, struct rpz_notices *notices);

/* ---- rules.c: what a domain's owners should hold, and bringing them there ---- */

/*
 * Bring the owners of the domains names[0..n) (canonical, no trailing dot)
 * and their "*." wildcards in zone_id to what the enforced, unexpired orders,
 * the passthru list and the canary say at time now, as one change of the
 * zone (rpz_zone_write). Call inside store_begin().
 */
int rpz_rules_apply(struct store_conn *c, int64_t zone_id, const char *const *names, size_t n,
	int64_t now, const char *reason, struct rpz_notices *notices);

/* ---- order.c: shared by the order files ---- */

struct audit_event;
struct rpz_order;

/*
 * Append a step to o's history: action, from o->state to to_state, by ev's
 * actor ("system" when ev is NULL), with detail. Inside the transaction.
 */
int rpz_order_event_add(struct store_conn *c, const struct rpz_order *o,
	const struct audit_event *ev, const char *action, const char *to_state, const char *detail);
/* Audit ev (a template, may be NULL) as action on order id with detail. */
int rpz_order_audit(struct store_conn *c, const struct audit_event *ev, const char *action,
	int64_t id, const char *detail);
/* The rules of every domain of order o, brought up to date in its zone at now. */
int rpz_order_apply(struct store_conn *c, const struct rpz_order *o, int64_t now,
	const char *reason, struct rpz_notices *notices);

/* The id of zone name (absolute or not); ERR_NOTFOUND when it is not stored. */
int rpz_zone_id(struct store_conn *c, const char *name, int64_t *id);

/* "a.b.c" → "c.b.a" into out (size bytes): a name under x sorts after x's rev + ".". */
void rpz_reverse(const char *name, char *out, size_t size);

/* Make name absolute and lower case into out ("Rpz.Example" → "rpz.example."). */
int rpz_absolute(const char *name, char *out, size_t size);

/* Seconds → ISO 8601 UTC, "" for 0; and back (0 for ""). */
void rpz_time(int64_t t, char out[32]);
int64_t rpz_time_parse(const char *s);
