/*
 * audit/audit.h - the tamper-evident audit log: who did what to which object,
 * when, from where, and with what outcome.
 *
 * Every write, and every read of case-level data, appends one event inside the
 * same transaction as the change it records, so an acknowledged change always
 * has its event and a rolled-back one never does. Events form an HMAC-SHA256
 * chain (see chain.c for the invariants); `rootcut audit verify` walks it and
 * names the first event that was edited, deleted, inserted or reordered.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct err_msg;
struct http_request;
struct store;
struct store_conn;
struct store_module_schema;

#define AUDIT_OK "ok"
#define AUDIT_DENIED "denied"
#define AUDIT_FAILED "failed"

struct audit_event {
	int64_t actor_user_id; /* 0 for the system or an anonymous caller */
	const char *actor;     /* user name, "system" or "-" */
	int64_t agency_id;     /* the actor's agency, 0 if none */
	const char *action;    /* dotted verb, e.g. "user.create", "session.login" */
	const char *object_type;
	const char *object_id;
	const char *source;    /* client address, or "console" */
	const char *outcome;   /* AUDIT_OK, AUDIT_DENIED, AUDIT_FAILED */
	const char *detail;    /* short free text, never a secret; may be NULL */
};

/* The audit module's schema, for store_migrate(). */
const struct store_module_schema *audit_schema(void);

/*
 * Set the chain key (32 bytes) used to compute and verify event hashes.
 * Call once at start, before any thread appends.
 */
void audit_set_key(const uint8_t key[32]);

/*
 * Load the chain key from <data_dir>/audit.key and check it is the key the
 * database was written with (a fingerprint in the settings table). A new
 * random key (mode 0600) is created only when create is true and the log is
 * empty: for an existing log a missing or different key is an error naming
 * what to restore, and nothing is changed.
 */
int audit_open(struct store_conn *c, const char *data_dir, bool create, struct err_msg *err);

/*
 * Keep verification checkpoints in <data_dir>/audit.checkpoint (set by
 * audit_open; NULL turns them off). audit_verify() then also fails when an
 * event an earlier verification saw is gone or different.
 */
void audit_set_checkpoint_dir(const char *data_dir);

/* 0 when the chain head's MAC verifies under the current key (or the log is empty). */
int audit_head_matches_key(struct store_conn *c);

/* Fill ev with the caller, agency and address of req, and the given fields. */
void audit_event_from_request(struct audit_event *ev, const struct http_request *req,
	const char *action, const char *object_type, const char *object_id, const char *outcome);

/* Fill ev for a command-line operator ("system", source "console"). */
void audit_event_console(struct audit_event *ev, const char *action, const char *object_type,
	const char *object_id, const char *outcome);

/*
 * Append ev to the chain. c must be inside a write transaction (store_begin),
 * which the caller commits together with the change the event records.
 */
int audit_append(struct store_conn *c, const struct audit_event *ev);

/* Append ev in a transaction of its own (denials, logins, reads). */
int audit_append_now(struct store_conn *c, const struct audit_event *ev);

/* Result of walking the chain. */
struct audit_verify_result {
	int64_t events;      /* events checked */
	int64_t bad_seq;     /* sequence number of the first bad event, 0 if none */
	int64_t bad_id;      /* its row id, 0 if not a row (e.g. missing tail) */
	char reason[256];    /* what is wrong with it */
};

/*
 * Walk the whole chain. Returns 0 when intact, ERR_CONFLICT when tampered
 * (details in *res), or another error when the log cannot be read.
 * progress, when not NULL, is called every 10,000 events with (done, total).
 */
int audit_verify(struct store_conn *c, struct audit_verify_result *res,
	void (*progress)(int64_t done, int64_t total));
