/*
 * intel/demo.h - synthetic fraud reports for demonstrations and benchmarks
 * (`rootcut demo generate`, `rootcut init --demo`, bench/import.sh).
 *
 * The reports look like what the 165 hotline and police stations file:
 * Taiwanese phone numbers, accounts at real banks, scam domains and URLs,
 * wallets with valid checksums, LINE IDs and Chinese narratives that mention
 * them. Planted rings make correlation show something: call centers (機房)
 * share a pool of phones across victims, money-mule accounts (水房) of the
 * first layer recur across victims, rings share wallets, domains and LINE
 * accounts. Some victims report twice through two channels; some reports
 * carry service numbers and platforms that the warning list suppresses.
 *
 * Output is a pure function of the options: the same seed and until give
 * the same bytes.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct demo_hooks;

struct demo_options {
	int64_t reports;  /* how many */
	uint64_t seed;
	int64_t until;    /* the newest report time (seconds); reports span the year before */
	bool csv;         /* CSV with the import's default columns; else JSON Lines */
	const struct demo_hooks *hooks; /* NULL: none; see demo_flows.h */
};

/*
 * Write the reports to out (NULL: write nothing, only call the hooks).
 * Returns 0, or ERR_IO when writing fails.
 */
int demo_generate(FILE *out, const struct demo_options *opt);

/* The newest report time of `rootcut init --demo`: midnight (Asia/Taipei) starting today. */
int64_t demo_load_until(void);

/* The agency codes the reports name (they must exist to import: `rootcut init --demo`). */
extern const char *const demo_agency_codes[];

struct store;
struct err_msg;

struct demo_load_result {
	int64_t accepted;  /* reports stored now (0 when they already were) */
	int cases;         /* cases opened now */
};

/*
 * Load the demonstration data into db (which has the demo agencies and users
 * of `rootcut init --demo`): the banks' service lines on the warning list,
 * `reports` generated reports (seed 1) imported, and a few cases opened
 * around the busiest ring identifiers with their reports linked and case
 * workers as members. Idempotent: a second run adds nothing. Fills err.
 */
int demo_load(struct store *db, int64_t reports, struct demo_load_result *out,
	struct err_msg *err);
