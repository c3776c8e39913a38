/*
 * rpz/zone_store.h - the RPZ zones as stored: their current records, their
 * serials and the journal of changes per serial. The court-order workflow
 * (rpz/order.c) writes them; the DNS primary (dns/) and `rootcut rpz export`
 * read them. This header is the contract between the two.
 *
 * Names are absolute, lower case, in presentation format with the trailing
 * dot ("bad.example.rpz.rootcut.tw."). Record data is in presentation format
 * too ("." and "*." for CNAME triggers, "192.0.2.1" for A, "walled.example."
 * for a CNAME redirect, "rpz-passthru." for passthru).
 *
 * Every change to a zone's records happens in one write transaction that
 * also raises the zone's serial by one and appends the change to the
 * journal under the new serial, so a reader in one snapshot always sees
 * records, serial and journal agree.
 */
#ifndef ROOTCUT_RPZ_ZONE_STORE_H
#define ROOTCUT_RPZ_ZONE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err_msg;
struct store_conn;

enum { RPZ_NAME_MAX = 256 };

/* a record of a zone (the SOA and NS at the apex are not stored: see below) */
struct rpz_rr {
	const char *owner;
	uint16_t type; /* DNS type number: 1 A, 5 CNAME, 28 AAAA */
	uint32_t ttl;
	const char *rdata;
};

/* a zone and the values of its SOA record */
struct rpz_zone_info {
	int64_t id;
	char name[RPZ_NAME_MAX]; /* "rpz.rootcut.tw." */
	uint32_t serial;
	char mname[RPZ_NAME_MAX]; /* SOA MNAME, also the single NS at the apex */
	char rname[RPZ_NAME_MAX]; /* SOA RNAME */
	uint32_t refresh, retry, expire, minimum, ttl;
	int64_t changed_at; /* unix seconds of the last serial change */
	size_t records; /* number of records besides SOA and NS */
};

/* Every zone, ordered by name. *out is freed with free(). */
int rpz_zone_list(struct store_conn *c, struct rpz_zone_info **out, size_t *n,
	struct err_msg *err);

/* One zone by name (with or without the trailing dot); ERR_NOTFOUND if none. */
int rpz_zone_get(struct store_conn *c, const char *name, struct rpz_zone_info *out,
	struct err_msg *err);

/*
 * Calls fn for every record of the zone as of the caller's snapshot, ordered
 * by owner name then type then rdata. A non-zero return from fn stops the
 * walk and is returned.
 */
typedef int (*rpz_rr_fn)(void *ctx, const struct rpz_rr *rr);
int rpz_zone_each_rr(struct store_conn *c, int64_t zone_id, rpz_rr_fn fn, void *ctx,
	struct err_msg *err);

/*
 * Calls fn for every change from serial `from` (exclusive) up to the zone's
 * current serial, serial by serial; within a serial the deletions come
 * before the additions (the order of an IXFR). Returns ERR_NOTFOUND without
 * calling fn when the journal no longer reaches back to `from` (the caller
 * then answers with a full transfer).
 */
typedef int (*rpz_change_fn)(void *ctx, uint32_t serial, bool add, const struct rpz_rr *rr);
int rpz_zone_each_change(struct store_conn *c, int64_t zone_id, uint32_t from,
	rpz_change_fn fn, void *ctx, struct err_msg *err);

/*
 * Called in the process that committed a change, after the commit, with the
 * zone's name and new serial. One listener (the DNS primary, which sends
 * NOTIFY); other processes (the CLI) are noticed by the primary polling the
 * serials.
 */
typedef void (*rpz_change_listener)(void *ctx, const char *zone, uint32_t serial);
void rpz_zone_set_listener(rpz_change_listener fn, void *ctx);

#endif
