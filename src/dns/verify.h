/*
 * dns/verify.h - `rpz verify`: ask a resolver whether it enforces an RPZ
 * zone (a sample of its seizures, its canary, a control name) and store the
 * result with the orders (rpz/verify_store.h). Used by the CLI
 * (dns/verify_cmd.c) and the API (dns/verify_api.c).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rpz/zone_store.h"

struct audit_event;
struct cli_ctx;
struct http_route_table;
struct err_msg;
struct store;

struct dns_verify_opts {
	const char *resolver;  /* "ADDR[:PORT]", port 53 by default */
	const char *zone;      /* NULL or "" for the default zone */
	const char *control;   /* a name that must resolve, or NULL for none */
	size_t sample;         /* seized names to ask at most; 0 means 20 */
	int timeout_ms;        /* per try (two tries); 0 means 2000 */
	bool store;            /* keep the result (rpz_verify_store) */
	const struct audit_event *ev; /* audit template (actor, source); NULL: the console */
};

struct dns_verify_item {
	char name[RPZ_NAME_MAX]; /* asked, without the zone: "bad.example" */
	int64_t order_id;        /* 0 for the canary and the control */
	bool expect_blocked;
	bool blocked;            /* the answer is the one the zone's rule gives */
	uint16_t qtype;          /* asked type: A, or AAAA for AAAA-only local data */
	char expect[300];        /* "NXDOMAIN", "NODATA", "A 192.0.2.1", "an answer" */
	char answer[300];        /* "NXDOMAIN", "NOERROR A 192.0.2.80", "no answer (timeout)" */
};

struct dns_verify_report {
	char zone[RPZ_NAME_MAX];
	uint32_t serial;               /* the zone's serial when sampled */
	struct dns_verify_item *items; /* malloc'ed */
	size_t n;
	size_t failed;                 /* items not as expected */
	int64_t id;                    /* the stored verification, when stored */
};

/*
 * Run a verification as o says into *rep (release it with
 * dns_verify_report_release(), also after a failure). Returns 0 whatever
 * the resolver answered (rep->failed counts the surprises); ERR_INVAL
 * (field "resolver") for a bad address, ERR_NOTFOUND (field "zone") for an
 * unknown zone, or a store error.
 */
int dns_verify(struct store *db, const struct dns_verify_opts *o, struct dns_verify_report *rep,
	struct err_msg *err);
void dns_verify_report_release(struct dns_verify_report *rep);

/* The route table of POST /api/v1/rpz/verify (dns/verify_api.c). */
const struct http_route_table *dns_routes(void);

/* `rootcut rpz verify RESOLVER[:PORT] [ZONE] [options]` (argv[0] is "verify"). */
int dns_verify_cmd(struct cli_ctx *ctx, int argc, char **argv);
