/*
 * dns/dns.h - the built-in RPZ primary: an authoritative DNS server for the
 * zones of rpz/zone_store.h (UDP and TCP; AXFR, IXFR from the journal,
 * NOTIFY to the secondaries, access per secondary by address and TSIG), and
 * `rootcut rpz verify`, which asks a resolver whether the zone is enforced.
 *
 * Data flow: court orders (rpz/) → zone store → this server → ISP resolvers.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct config;
struct dns_acl;
struct err_msg;
struct store;

struct dns_server;
struct dns_notifier;

/*
 * Serve cfg->dns_listen (ADDR:PORT; port 0 picks a free one) over UDP and
 * TCP on threads of its own, with the secondaries and keys of
 * cfg->dns_secondaries and cfg->dns_tsig_keys, and send NOTIFY on every
 * change. Returns 0 and *out (stop it with dns_server_stop()), or fills err
 * (bad address, port in use, unreadable or bad secondaries or key file).
 */
int dns_server_start(const struct config *cfg, struct store *db, struct dns_server **out,
	struct err_msg *err);
/* Stop answering, end the transfers in progress, join the threads, free. Accepts NULL. */
void dns_server_stop(struct dns_server *srv);
/* The port bound (UDP and TCP share it). */
int dns_server_port(const struct dns_server *srv);

/*
 * Start the NOTIFY thread for the secondaries of acl (which must outlive
 * it): changes committed in this process arrive through the zone store's
 * listener, others are found by polling every poll_ms; each NOTIFY is
 * resent up to retries times. Opens its own connection to db's file.
 */
int dns_notifier_start(struct store *db, const struct dns_acl *acl, int64_t poll_ms, int retries,
	struct dns_notifier **out, struct err_msg *err);
void dns_notifier_stop(struct dns_notifier *n);

/* Append the DNS counters in Prometheus text format (nothing when no DNS server ran). */
void dns_metrics_render(struct buf *out);
