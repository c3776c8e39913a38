/*
 * intel/stats.c - counts for dashboards: reports by crime type, office,
 * channel, Taipei day or week; cases by office or status; the identifiers
 * named across the most cases. Need-to-know is decided in stats.h (top).
 *
 * Portability: the SQL uses GROUP BY, COUNT(DISTINCT), CASE and substr() only,
 * as PostgreSQL has them too. Taipei days are not computed in SQL (SQLite's
 * date modifiers and PostgreSQL's AT TIME ZONE differ): the database groups by
 * the UTC hour, the first 13 bytes of the stored time, and the hours are
 * folded into Taipei days and weeks here.
 */
#include "intel/stats.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/rocdate.h"
#include "base/sort.h"
#include "base/str.h"
#include "intel/internal.h"
#include "store/store.h"

static const char *const group_names[] = {[INTEL_STATS_CRIME_TYPE] = "crime_type",
        [INTEL_STATS_AGENCY] = "agency",
        [INTEL_STATS_CHANNEL] = "channel",
        [INTEL_STATS_DAY] = "day",
        [INTEL_STATS_WEEK] = "week",
        [INTEL_STATS_STATUS] = "status"};

int intel_stats_group_parse(const char *name, enum intel_stats_group *out)
{
	if (!name)
		return ERR_INVAL;
	if (!strcmp(name, "office")) {
		*out = INTEL_STATS_AGENCY;
		return 0;
	}
	for (int g = INTEL_STATS_CRIME_TYPE; g <= INTEL_STATS_STATUS; g++)
		if (!strcmp(name, group_names[g])) {
			*out = (enum intel_stats_group)g;
			return 0;
		}
	return ERR_INVAL;
}

const char *intel_stats_group_name(enum intel_stats_group g)
{
	return g >= INTEL_STATS_CRIME_TYPE && g <= INTEL_STATS_STATUS ? group_names[g] : "";
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int intel_stats_taipei_date(const char *hour, bool week, char out[11])
{
	struct tm tm = {0};
	int64_t t, day;

	if (!hour || strlen(hour) < 13 || !digits(hour, 4) || hour[4] != '-' ||
	        !digits(hour + 5, 2) || hour[7] != '-' || !digits(hour + 8, 2) || hour[10] != 'T' ||
	        !digits(hour + 11, 2))
		return ERR_INVAL;
	tm.tm_year = (hour[0] - '0') * 1000 + (hour[1] - '0') * 100 + (hour[2] - '0') * 10 +
	             (hour[3] - '0') - 1900;
	tm.tm_mon = (hour[5] - '0') * 10 + (hour[6] - '0') - 1;
	tm.tm_mday = (hour[8] - '0') * 10 + (hour[9] - '0');
	tm.tm_hour = (hour[11] - '0') * 10 + (hour[12] - '0');
	if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23)
		return ERR_INVAL;
	t = (int64_t)timegm(&tm) + TAIPEI_UTC_OFFSET_S;
	day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	if (week)
		day -= ((day % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday: Monday is 0 */
	{
		time_t s = (time_t)(day * 86400);
		struct tm d;
		gmtime_r(&s, &d);
		snprintf(out, 11, "%04d-%02d-%02d", d.tm_year + 1900, d.tm_mon + 1, d.tm_mday);
	}
	return 0;
}

void intel_stats_release(struct intel_stats *s)
{
	if (!s)
		return;
	free(s->buckets);
	s->buckets = NULL;
	s->nbuckets = 0;
}

static struct intel_stats_bucket *bucket_add(struct intel_stats *s, const char *key)
{
	struct intel_stats_bucket *b;

	s->buckets = xreallocarray(s->buckets, s->nbuckets + 1, sizeof(*s->buckets));
	b = &s->buckets[s->nbuckets++];
	memset(b, 0, sizeof(*b));
	str_copy(b->key, sizeof(b->key), key);
	return b;
}

/* Largest count first, then by key: a stable order for charts and tests. */
static int by_count(const void *a, const void *b)
{
	const struct intel_stats_bucket *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->key, y->key);
}

/*
 * Read rows (key, agency_id, name, count, loss, duplicates) from st into out;
 * for day and week the key is a UTC hour, folded into Taipei dates (the rows
 * come in hour order, so equal dates are adjacent).
 */
static int collect(struct store_stmt *st, enum intel_stats_group g, struct intel_stats *out)
{
	struct intel_stats_bucket *b;
	int ret;

	while ((ret = store_step(st)) == STORE_ROW) {
		char date[11];
		const char *key = store_col_text(st, 0);
		if (g == INTEL_STATS_DAY || g == INTEL_STATS_WEEK) {
			if (intel_stats_taipei_date(key, g == INTEL_STATS_WEEK, date))
				continue; /* a malformed stored time: not countable by date */
			key = date;
		}
		if (out->nbuckets && (g == INTEL_STATS_DAY || g == INTEL_STATS_WEEK) &&
		        !strcmp(out->buckets[out->nbuckets - 1].key, key))
			b = &out->buckets[out->nbuckets - 1];
		else
			b = bucket_add(out, key);
		if (g == INTEL_STATS_AGENCY) {
			b->agency_id = store_col_int64(st, 1);
			str_copy(b->name, sizeof(b->name), store_col_text(st, 2));
		}
		b->count += store_col_int64(st, 3);
		b->loss_twd += store_col_int64(st, 4);
		b->duplicates += store_col_int64(st, 5);
		out->count += store_col_int64(st, 3);
		out->loss_twd += store_col_int64(st, 4);
		out->duplicates += store_col_int64(st, 5);
	}
	store_finish(st);
	if (ret < 0) {
		intel_stats_release(out);
		return ret;
	}
	if (g != INTEL_STATS_DAY && g != INTEL_STATS_WEEK && out->nbuckets > 1)
		sort_items(out->buckets, out->nbuckets, sizeof(*out->buckets), by_count);
	return 0;
}

/*
 * The statements, one string literal per grouping: the store caches prepared
 * statements by the address of their SQL, so SQL is never built at run time.
 * The visibility test of reports is intel_report_visible() as SQL, as in the
 * report list; of cases, membership.
 */
#define REPORTS_SQL(expr)                                                                          \
	"SELECT " expr ", MIN(r.agency_id), MIN(a.name),"                                          \
	" SUM(CASE WHEN r.duplicate_of IS NULL THEN 1 ELSE 0 END),"                                \
	" SUM(CASE WHEN r.duplicate_of IS NULL THEN r.loss_twd ELSE 0 END),"                       \
	" SUM(CASE WHEN r.duplicate_of IS NULL THEN 0 ELSE 1 END)"                                 \
	" FROM reports r JOIN agencies a ON a.id = r.agency_id"                                    \
	" WHERE r.reported_at >= ? AND r.reported_at < ?"                                          \
	" AND (? = 1 OR (? = 1 AND r.agency_id = ?) OR r.created_by = ?"                           \
	"  OR r.case_id IN (SELECT case_id FROM case_members WHERE user_id = ?))"                  \
	" GROUP BY " expr " ORDER BY 1"

#define CASES_SQL(expr)                                                                            \
	"SELECT " expr ", MIN(k.office_id), MIN(a.name), COUNT(*), 0, 0"                           \
	" FROM cases k JOIN agencies a ON a.id = k.office_id"                                      \
	" WHERE k.created_at >= ? AND k.created_at < ?"                                            \
	" AND (? = 1 OR k.id IN (SELECT case_id FROM case_members WHERE user_id = ?))"             \
	" GROUP BY " expr " ORDER BY 1"

static const char *reports_sql(enum intel_stats_group g)
{
	switch (g) {
	case INTEL_STATS_CRIME_TYPE:
		return REPORTS_SQL("r.crime_type");
	case INTEL_STATS_CHANNEL:
		return REPORTS_SQL("r.channel");
	case INTEL_STATS_AGENCY:
		return REPORTS_SQL("CAST(r.agency_id AS TEXT)");
	case INTEL_STATS_DAY:
	case INTEL_STATS_WEEK:
		return REPORTS_SQL("substr(r.reported_at, 1, 13)");
	case INTEL_STATS_STATUS:
		break;
	}
	return NULL;
}

static const char *cases_sql(enum intel_stats_group g)
{
	switch (g) {
	case INTEL_STATS_AGENCY:
		return CASES_SQL("CAST(k.office_id AS TEXT)");
	case INTEL_STATS_STATUS:
		return CASES_SQL("k.status");
	case INTEL_STATS_DAY:
	case INTEL_STATS_WEEK:
		return CASES_SQL("substr(k.created_at, 1, 13)");
	case INTEL_STATS_CRIME_TYPE:
	case INTEL_STATS_CHANNEL:
		break;
	}
	return NULL;
}

int intel_stats_reports(struct store_conn *c, const struct auth_principal *p, int reach,
        int64_t since, int64_t until, enum intel_stats_group g, struct intel_stats *out)
{
	const char *sql = reports_sql(g);
	char from[32], to[32];
	struct store_stmt *st;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!sql)
		return ERR_INVAL;
	intel_time(since, from);
	intel_time(until, to);
	ret = store_query(c, &st, sql, "ttbbiii", from, to, (int)(reach == REACH_ALL),
	        (int)(reach >= REACH_AGENCY), p->agency_id, p->user_id, p->user_id);
	return ret ? ret : collect(st, g, out);
}

int intel_stats_cases(struct store_conn *c, const struct auth_principal *p, int reach,
        int64_t since, int64_t until, enum intel_stats_group g, struct intel_stats *out)
{
	const char *sql = cases_sql(g);
	char from[32], to[32];
	struct store_stmt *st;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!sql)
		return ERR_INVAL;
	intel_time(since, from);
	intel_time(until, to);
	ret = store_query(c, &st, sql, "ttbi", from, to, (int)(reach == REACH_ALL), p->user_id);
	return ret ? ret : collect(st, g, out);
}

/*
 * The identifiers named across the most cases, in three steps: the
 * candidates (cand), one row per (candidate, report) pair (a report naming
 * the same identifier in two roles counts once), then per identifier its
 * cases, reports, offices and the reports the caller may read. Warning-list
 * entries that are not a single value (IP ranges) are filtered afterwards
 * with intel_warning_match(); a few more rows than asked make up for them.
 *
 * Aggregating every observation (3.6 million at a million reports) took 6 s;
 * the candidates bound the work: the TOP_POOL most reported identifiers,
 * and every one named in a report linked to a case, among the identifiers
 * of the reports the caller may read (all of them for a center analyst),
 * from `since` on when given. Exact for every identifier with a case; among
 * those without, the ranking is by reports, which report_count follows (it
 * also counts victims' roles, duplicates and, with `since`, earlier reports:
 * hence the pool's margin). A million reports: 0.95 s instead of 7.5 s for
 * an analyst, with the same first 30; 0.5 to 1 s instead of 5 s for others.
 */
#define TOP_POOL 500
#define READABLE(r)                                                                                \
	"(? = 1 OR (? = 1 AND " r ".agency_id = ?) OR " r ".created_by = ?"                        \
	" OR " r ".case_id IN (SELECT case_id FROM case_members WHERE user_id = ?))"
#define TOP_SQL(CAND)                                                                              \
	"WITH cand(id) AS (" CAND ")"                                                              \
	" SELECT x.identifier_id, MIN(i.type), MIN(i.value), MIN(i.display), MIN(i.risk),"         \
	" COUNT(DISTINCT x.case_id), COUNT(*), COUNT(DISTINCT x.agency_id), SUM(x.readable),"      \
	" SUM(x.loss_twd)"                                                                         \
	" FROM (SELECT DISTINCT o.identifier_id, r.id AS report_id, r.case_id, r.agency_id,"       \
	"  r.loss_twd, CASE WHEN " READABLE("r") " THEN 1 ELSE 0 END AS readable"                  \
	"  FROM cand JOIN observations o ON o.identifier_id = cand.id"                              \
	"  JOIN reports r ON r.id = o.report_id"                                                   \
	"  JOIN identifiers i2 ON i2.id = o.identifier_id"                                         \
	"  WHERE o.role <> 'victim' AND r.duplicate_of IS NULL AND i2.report_count >= 2"           \
	"  AND i2.review_flag <> 1 AND i2.sensitive = 0 AND (? = '' OR r.reported_at >= ?)"        \
	"  AND NOT EXISTS (SELECT 1 FROM warning_list w WHERE w.type = i2.type"                    \
	"   AND w.value = i2.value)) x"                                                            \
	" JOIN identifiers i ON i.id = x.identifier_id"                                            \
	" GROUP BY x.identifier_id HAVING SUM(x.readable) > 0 AND COUNT(*) >= 2"                   \
	" ORDER BY 6 DESC, 7 DESC, 1 LIMIT ?"

/*
 * The pool of candidates among the identifiers of the reports that match
 * FILTER (on reports r; "observations WHERE report_id IN (reports …)" finds
 * the reports first): the TOP_POOL most reported, and every one named in
 * such a report linked to a case.
 */
#define POOL(FILTER)                                                                               \
	"SELECT id FROM (SELECT i.id FROM identifiers i WHERE i.id IN"                             \
	" (SELECT identifier_id FROM observations WHERE report_id IN"                              \
	"  (SELECT id FROM reports r WHERE " FILTER "))"                                           \
	" AND i.report_count >= 2 AND i.review_flag <> 1 AND i.sensitive = 0"                      \
	" ORDER BY i.report_count DESC LIMIT ?)"                                                   \
	" UNION SELECT identifier_id FROM observations WHERE report_id IN"                          \
	" (SELECT id FROM reports r WHERE r.case_id IS NOT NULL AND " FILTER ")"

static const char sql_top_since[] = TOP_SQL(POOL("r.reported_at >= ? AND " READABLE("r")));
static const char sql_top_readable[] = TOP_SQL(POOL(READABLE("r")));
static const char sql_top_center[] = TOP_SQL(
	"SELECT id FROM (SELECT id FROM identifiers WHERE report_count >= 2 AND review_flag <> 1"
	" AND sensitive = 0 ORDER BY report_count DESC LIMIT ?)"
	" UNION SELECT identifier_id FROM observations WHERE report_id IN"
	" (SELECT id FROM reports WHERE case_id IS NOT NULL)");

static int top_query(struct store_conn *c, const struct auth_principal *p, int reach,
	const char *from, int limit, struct store_stmt **st)
{
	int all = reach == REACH_ALL, agency = reach >= REACH_AGENCY;
	int64_t rows = (int64_t)limit + 20, pool = (int64_t)limit + TOP_POOL;
	int64_t ag = p->agency_id, u = p->user_id;

	if (from[0])
		return store_query(c, st, sql_top_since, "tbbiiiitbbiiibbiiitti", from, all, agency,
			ag, u, u, pool, from, all, agency, ag, u, u, all, agency, ag, u, u, from, from,
			rows);
	if (!all)
		return store_query(c, st, sql_top_readable, "bbiiiibbiiibbiiitti", all, agency, ag,
			u, u, pool, all, agency, ag, u, u, all, agency, ag, u, u, from, from, rows);
	return store_query(c, st, sql_top_center, "ibbiiitti", pool, all, agency, ag, u, u, from,
		from, rows);
}

int intel_stats_top_identifiers(struct store_conn *c, const struct auth_principal *p, int reach,
        int64_t since, int limit, struct intel_stats_ident **out, size_t *n)
{
	struct intel_stats_ident *list = NULL;
	struct store_stmt *st;
	size_t count = 0;
	char from[32] = "";
	int ret;

	*out = NULL;
	*n = 0;
	if (limit < 1 || limit > 100)
		return ERR_INVAL;
	if (since)
		intel_time(since, from);
	ret = top_query(c, p, reach, from, limit, &st);
	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW && count < (size_t)limit) {
		struct intel_stats_ident *it;
		struct ident id;
		enum ident_type type;
		const char *tname = store_col_text(st, 1), *value = store_col_text(st, 2);
		if (!ident_type_parse(tname, &type) &&
		        !ident_parse(&id, type, value, strlen(value), NULL) &&
		        intel_warning_match(c, &id))
			continue;
		list = xreallocarray(list, count + 1, sizeof(*list));
		it = &list[count++];
		memset(it, 0, sizeof(*it));
		it->id = store_col_int64(st, 0);
		str_copy(it->type, sizeof(it->type), tname);
		str_copy(it->value, sizeof(it->value), value);
		str_copy(it->display, sizeof(it->display), store_col_text(st, 3));
		str_copy(it->risk, sizeof(it->risk), store_col_text(st, 4));
		it->cases = store_col_int64(st, 5);
		it->reports = store_col_int64(st, 6);
		it->agencies = store_col_int64(st, 7);
		it->readable_reports = store_col_int64(st, 8);
		it->loss_twd = store_col_int64(st, 9);
	}
	store_finish(st);
	if (ret < 0) {
		free(list);
		return ret;
	}
	*out = list;
	*n = count;
	return 0;
}
