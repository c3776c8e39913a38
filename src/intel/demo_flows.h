/*
 * intel/demo_flows.h - flows that fit the demo generator's planted rings
 * (`rootcut demo generate --flows DIR --answers FILE`, `rootcut init --demo`):
 * the victims' transfers into first-layer mule accounts and onward through
 * two or three layers to a money house (水房), the call records of each
 * ring's call center (機房: its phones, shared handsets and cells calling the
 * victims), an organiser's calls to the call-center phones, crypto payments
 * to a collecting wallet, and domain → IP resolutions of the fake sites;
 * with the planted answers, so tests can measure what the analyses recover.
 *
 * Data flow: demo.c (reports, calling the hooks below) → demo_flows.c (CSV
 * in the columns of `rootcut import flows`) → graph/demo_load.c (imported).
 * Output is a pure function of the options, like the reports.
 */
#pragma once
#include <jansson.h>
#include <stdint.h>

#include "base/buf.h"
#include "intel/demo.h"

#define DEMO_POOL 24
#define DEMO_IDS 12

/* One ring's pools, as demo.c made them (values as written, not canonical). */
struct demo_ring_view {
	int index;
	const char *crime;
	int nphones, naccounts, nsecond, nwallets, ndomains;
	const char *phones[DEMO_POOL], *accounts[DEMO_POOL], *second[8], *wallets[4],
		*domains[6];
};

/* One generated report. */
struct demo_report_view {
	const char *source_ref;
	int ring;                /* its ring; -1 a lone report; -2 a repeat of an earlier one */
	int64_t occurred, reported, loss_twd; /* seconds (UTC), TWD */
	int nids;
	const char *types[DEMO_IDS], *roles[DEMO_IDS], *values[DEMO_IDS]; /* as written */
};

/* Called by demo_generate(): ring() for every ring first, then report() per report. */
struct demo_hooks {
	void (*ring)(void *ctx, const struct demo_ring_view *r);
	void (*report)(void *ctx, const struct demo_report_view *r);
	void *ctx;
};

/* The flows of one generated data set, as CSV with a header row each. */
struct demo_flows {
	struct buf transfers, calls, resolutions, chain;
	json_t *answers;  /* the planted answers (docs/user/en/graph.md, "Demo data") */
	/* accounts of a payment collector that mules also pay: the warning list should hold them */
	char collectors[2][80];
};

/*
 * Generate the reports of opt (not written) and flows that fit them into
 * *out (initialised here). opt->hooks is ignored. Returns 0 or ERR_NOMEM;
 * release *out with demo_flows_release() either way.
 */
int demo_flows_generate(const struct demo_options *opt, struct demo_flows *out);
void demo_flows_release(struct demo_flows *f);
