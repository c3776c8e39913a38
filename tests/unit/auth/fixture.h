/*
 * tests/unit/auth/fixture.h - a temporary database with every module's schema,
 * a fixed audit key, cheap argon2 settings and a frozen clock, for the tests
 * of src/auth/ that need stored accounts.
 */
#pragma once
#include <stdint.h>

#include "auth/account.h"

struct store;
struct store_conn;

/* The frozen start time of every fixture test: 2026-01-01T00:00:00Z. */
#define FIX_T0 1767225600

extern struct store *fix_db;
extern struct store_conn *fix_c; /* one connection held for the whole test */
extern int64_t fix_agency;       /* an agency created by fix_setup() */

/* Create the database, migrate it, freeze the clock at FIX_T0, set cheap settings. */
void fix_setup(void);
/* Close and remove everything fix_setup() made. */
void fix_teardown(void);

/* Create an agency (kind police); returns its id. */
int64_t fix_agency_new(const char *name, const char *code);
/* Create a user of agency with roles and password; returns its id. */
int64_t fix_user_new(const char *username, int64_t agency, uint32_t roles, const char *password);
/* Count rows of the audit log whose action is action. */
int64_t fix_audit_count(const char *action);
/* Assert that the audit chain is intact. */
void fix_audit_intact(void);
