/*
 * tests/unit/dns/fixture.h - the shared set-up of the DNS tests: a real
 * store in a temporary directory with the zone rpz.test. holding a few
 * rules (written through the zone store's writer, for exact serials), and
 * the secondaries and keys a test gives.
 */
#pragma once
#include <stdint.h>

#include "dns/internal.h"

#define KEY_SECRET "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="
#define ZONE "rpz.test."

extern struct store *fix_db;
extern struct store_conn *fix_conn;
extern struct dns_acl *fix_acl;
extern struct dns_ctx fix_ctx;
extern int64_t fix_zone_id;

/* The store, the zone with bad.example, *.bad.example and deep.under.other.example, the ACL. */
void fix_setup(const char *secondaries, const char *keys);
void fix_teardown(void);
/* One change of the zone: delete dels, add adds (CNAME . rules; NULL-terminated lists). */
void fix_change(const char *const *dels, const char *const *adds);
/* The zone's serial now. */
uint32_t fix_serial(void);
