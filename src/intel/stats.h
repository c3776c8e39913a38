/*
 * intel/stats.h - statistics over the anti-fraud database for dashboards and
 * management reports: reports counted by crime type, reporting office, channel,
 * Taipei day or week; cases opened by office or status; the identifiers named
 * across the most cases. Data flow: store → here → stats_api.c (JSON) → web UI.
 *
 * Need-to-know (偵查不公開), decided here once for every figure:
 *  1. Report and case counts are over what the caller may read in full: the
 *     center (REACH_ALL) counts everything; anyone else counts the reports
 *     intel_report_visible() would show them and the cases they are a member
 *     of. Nothing is counted from other offices' reports, not even as a
 *     total: a count by office, by day or of a rare crime type is itself a
 *     detail of another office's investigation.
 *  2. The top identifiers list only identifiers named in at least one report
 *     the caller may read (and never personal data, victims' own identifiers,
 *     the warning list, or identifiers held for review). Their counts (cases,
 *     reports, offices, loss) cover every report, as the identifier page's
 *     blind hits already do for the same identifier; no case number, title,
 *     victim or narrative is given.
 *  3. Likely duplicates (duplicate_of set) are counted once, as "duplicates"
 *     beside the count, never inside it.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ident/ident.h"

struct auth_principal;
struct store_conn;

enum intel_stats_group {
	INTEL_STATS_CRIME_TYPE = 1,
	INTEL_STATS_AGENCY, /* reports: the reporting agency; cases: the owning office */
	INTEL_STATS_CHANNEL,
	INTEL_STATS_DAY,    /* Asia/Taipei calendar day */
	INTEL_STATS_WEEK,   /* Asia/Taipei week starting on Monday */
	INTEL_STATS_STATUS, /* cases only */
};

/* "crime_type", "agency" (or "office"), "channel", "day", "week", "status" → *out; ERR_INVAL. */
int intel_stats_group_parse(const char *name, enum intel_stats_group *out);
/* The name of g as the API writes it. */
const char *intel_stats_group_name(enum intel_stats_group g);

/*
 * The Taipei day (or, with week, the Monday of its week) of the UTC hour
 * "YYYY-MM-DDTHH" (the first 13 bytes of a stored time) as "YYYY-MM-DD" in
 * out. Returns 0, or ERR_INVAL when hour is not of that form.
 */
int intel_stats_taipei_date(const char *hour, bool week, char out[11]);

struct intel_stats_bucket {
	char key[40];       /* crime type, channel, status, "YYYY-MM-DD", or the agency id */
	int64_t agency_id;  /* INTEL_STATS_AGENCY only */
	char name[128];     /* the agency's name (INTEL_STATS_AGENCY only) */
	int64_t count;      /* reports (duplicates excluded) or cases */
	int64_t loss_twd;   /* reports only: total loss of the counted reports */
	int64_t duplicates; /* reports only: likely duplicates, not in count */
};

struct intel_stats {
	int64_t count, loss_twd, duplicates; /* over every bucket */
	struct intel_stats_bucket *buckets;  /* malloc'ed */
	size_t nbuckets;
};

/* Free the buckets of s. Accepts NULL. */
void intel_stats_release(struct intel_stats *s);

/*
 * Count the reports reported in [since, until) (seconds) that p may read with
 * reach, grouped by g (not INTEL_STATS_STATUS). Day and week buckets come in
 * time order, the others by count, largest first. Fills *out; release it with
 * intel_stats_release(). Reads only.
 */
int intel_stats_reports(struct store_conn *c, const struct auth_principal *p, int reach,
        int64_t since, int64_t until, enum intel_stats_group g, struct intel_stats *out);

/*
 * Count the cases opened in [since, until) that p may read (members; the
 * center every case), grouped by INTEL_STATS_AGENCY (the owning office),
 * INTEL_STATS_STATUS, INTEL_STATS_DAY or INTEL_STATS_WEEK. As above.
 */
int intel_stats_cases(struct store_conn *c, const struct auth_principal *p, int reach,
        int64_t since, int64_t until, enum intel_stats_group g, struct intel_stats *out);

struct intel_stats_ident {
	int64_t id;
	char type[24];
	char value[IDENT_VALUE_SIZE];
	char display[IDENT_VALUE_SIZE];
	char risk[16];
	int64_t cases;            /* distinct cases whose reports name it */
	int64_t reports;          /* reports naming it (duplicates and victims' own excluded) */
	int64_t agencies;         /* distinct reporting agencies */
	int64_t readable_reports; /* of those, the ones p may read */
	int64_t loss_twd;         /* total loss of those reports */
};

/*
 * The identifiers named in the most cases, then in the most reports (at least
 * two), at most limit (1..100), that p may know of (see the top of this file);
 * since (0 = ever) counts only reports from then on. *out is a new array of
 * *n; free() it. Reads only.
 */
int intel_stats_top_identifiers(struct store_conn *c, const struct auth_principal *p, int reach,
        int64_t since, int limit, struct intel_stats_ident **out, size_t *n);
