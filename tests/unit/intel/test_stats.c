/*
 * tests/unit/intel/test_stats.c - src/intel/stats.c without a database: the
 * UTC hours the store groups by are folded into Asia/Taipei days and weeks
 * (Monday first) across day, month, year and leap-day boundaries, and the
 * grouping names the API accepts.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/err.h"
#include "intel/stats.h"

static const struct {
	const char *hour;
	const char *day, *week;
} dates[] = {
        {"2026-03-02T00", "2026-03-02", "2026-03-02"},        /* Monday 08:00 Taipei */
        {"2026-03-01T15", "2026-03-01", "2026-02-23"},        /* Sunday 23:00 Taipei */
        {"2026-03-01T16", "2026-03-02", "2026-03-02"},        /* Monday 00:00 Taipei */
        {"2026-03-08T15", "2026-03-08", "2026-03-02"},        /* the week's last hour */
        {"2026-12-31T16", "2027-01-01", "2026-12-28"},        /* new year in Taipei first */
        {"2024-02-28T16", "2024-02-29", "2024-02-26"},        /* leap day */
        {"1970-01-01T00", "1970-01-01", "1969-12-29"},        /* a Thursday, before any Monday */
        {"2026-11-22T05:13:00Z", "2026-11-22", "2026-11-16"}, /* a whole time stamp */
};

Test(stats, taipei_day_and_week)
{
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		char day[11], week[11];
		cr_assert_eq(intel_stats_taipei_date(dates[i].hour, false, day), 0, "day of '%s'",
		        dates[i].hour);
		cr_assert_eq(intel_stats_taipei_date(dates[i].hour, true, week), 0, "week of '%s'",
		        dates[i].hour);
		cr_expect_str_eq(day, dates[i].day, "day of '%s' → '%s'", dates[i].hour, day);
		cr_expect_str_eq(week, dates[i].week, "week of '%s' → '%s'", dates[i].hour, week);
	}
}

Test(stats, malformed_hours)
{
	static const char *const bad[] = {"", "2026-03-02", "2026-03-02 10", "2026-13-02T00",
	        "2026-03-02T24", "2026-03-00T10", "20x6-03-02T10", NULL};
	char out[11];

	cr_expect_eq(intel_stats_taipei_date(NULL, false, out), ERR_INVAL, "NULL is refused");
	for (size_t i = 0; bad[i]; i++)
		cr_expect_eq(intel_stats_taipei_date(bad[i], false, out), ERR_INVAL,
		        "hour '%s' is refused", bad[i]);
}

Test(stats, group_names)
{
	static const struct {
		const char *name;
		int ret;
		enum intel_stats_group g;
		const char *canonical;
	} cases[] = {
	        {"crime_type", 0, INTEL_STATS_CRIME_TYPE, "crime_type"},
	        {"agency", 0, INTEL_STATS_AGENCY, "agency"},
	        {"office", 0, INTEL_STATS_AGENCY, "agency"},
	        {"channel", 0, INTEL_STATS_CHANNEL, "channel"},
	        {"day", 0, INTEL_STATS_DAY, "day"},
	        {"week", 0, INTEL_STATS_WEEK, "week"},
	        {"status", 0, INTEL_STATS_STATUS, "status"},
	        {"month", ERR_INVAL, 0, NULL},
	        {"", ERR_INVAL, 0, NULL},
	        {"Crime_Type", ERR_INVAL, 0, NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum intel_stats_group g = 0;
		int ret = intel_stats_group_parse(cases[i].name, &g);
		cr_expect_eq(ret, cases[i].ret, "group_by '%s' → %d", cases[i].name, ret);
		if (!cases[i].ret) {
			cr_expect_eq(g, cases[i].g, "group_by '%s' → %d", cases[i].name, (int)g);
			cr_expect_str_eq(intel_stats_group_name(g), cases[i].canonical,
			        "the name of '%s'", cases[i].name);
		}
	}
}
