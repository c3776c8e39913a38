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

struct config;
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

/* The default zone of new orders (the first of rpz_zones), absolute. */
const char *rpz_default_zone(void);
