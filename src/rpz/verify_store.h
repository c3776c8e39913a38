/*
 * rpz/verify_store.h - results of `rootcut rpz verify`: which names a
 * resolver blocked, stored with the orders that seized them. The DNS side
 * (dns/) asks the resolver; this side picks the sample and keeps the result.
 *
 * Flow: rpz_verify_sample() → dns/ asks RESOLVER about each name →
 * rpz_verify_store() in one transaction with its audit event → shown by
 * `rootcut order show`, GET /api/v1/orders/{id} and GET /api/v1/rpz/verifications.
 */
#ifndef ROOTCUT_RPZ_VERIFY_STORE_H
#define ROOTCUT_RPZ_VERIFY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct audit_event;
struct err_msg;
struct store_conn;

enum { RPZ_VERIFY_MAX_NAMES = 10000 };

/* One name asked of the resolver. */
struct rpz_verify_name {
	const char *name;      /* the domain asked, e.g. "bad.example" (no zone suffix) */
	int64_t order_id;      /* the order that seized it; 0 for the canary or a control name */
	bool expect_blocked;   /* true for seized names and the canary, false for a control */
	bool blocked;          /* what the resolver did: NXDOMAIN/NODATA/redirect as the rule says */
	const char *answer;    /* a short description, e.g. "NXDOMAIN", "NOERROR A 192.0.2.1" */
};

/* One run of `rpz verify` against one resolver for one zone. */
struct rpz_verify_result {
	const char *zone;      /* zone name, with or without the trailing dot */
	uint32_t serial;       /* the zone's serial the sample was taken at */
	const char *resolver;  /* "ADDR:PORT" as given */
	int64_t checked_at;    /* unix seconds (clock_now()) */
	const struct rpz_verify_name *names;
	size_t n;              /* at most RPZ_VERIFY_MAX_NAMES */
};

/*
 * Called by rpz_verify_sample() for each name to ask: the domain (no zone
 * suffix, no trailing dot), the order that seized it (0 for the canary and
 * the control), and whether the resolver should block it. A non-zero return
 * stops the walk and is returned.
 */
typedef int (*rpz_verify_sample_fn)(void *ctx, const char *name, int64_t order_id,
	bool expect_blocked);

/*
 * A sample of zone's (with or without the trailing dot) currently published
 * seizures: up to max seized domains spread over the active orders, the
 * zone's canary if it has one, and the control name (NULL for none; e.g. a
 * name the test's own authoritative server answers) as expect_blocked false.
 * Reads only, in the caller's snapshot. ERR_NOTFOUND (field "zone") for an
 * unknown zone.
 */
int rpz_verify_sample(struct store_conn *c, const char *zone, size_t max, const char *control,
	rpz_verify_sample_fn fn, void *ctx, struct err_msg *err);

/*
 * Store r in one write transaction of its own together with the audit event
 * ev (a template: action, actor and source are used; may be NULL for none;
 * object_type and object_id are set here). Sets *id_out (may be NULL) to the
 * new verification's id. ERR_INVAL naming the field ("zone", "resolver",
 * "names[3].name") for bad input; ERR_NOTFOUND ("zone") for an unknown zone
 * or ("names[3].order_id") an unknown order.
 */
int rpz_verify_store(struct store_conn *c, const struct rpz_verify_result *r,
	const struct audit_event *ev, int64_t *id_out, struct err_msg *err);

#endif
