/*
 * base/rocdate.h - Republic of China (民國) years and Asia/Taipei dates.
 *
 * Officials write 民國112年3月1日 for 2023-03-01; case numbers carry ROC
 * years (112年度…). The store keeps UTC ISO 8601; these helpers convert at the
 * edges. Taiwan has had no daylight saving time since 1979, so Asia/Taipei is
 * UTC+8 for every date this platform handles.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define ROC_YEAR_OFFSET 1911
#define TAIPEI_UTC_OFFSET_S (8 * 3600)

/* The ROC year of a Gregorian year (2023 → 112). */
int roc_year_from_gregorian(int year);
/* The Gregorian year of an ROC year (112 → 2023). */
int roc_year_to_gregorian(int roc_year);
/* The current ROC year in Asia/Taipei (by clock_now()). */
int roc_year_now(void);

/*
 * Parse a time stamp as people and systems write it, into seconds since the
 * epoch (UTC): ISO 8601 with Z or an offset ("2023-03-01T14:05:00+08:00"),
 * a date and time without zone (taken as Asia/Taipei), a date alone
 * (midnight Asia/Taipei), slashes for dashes, and ROC dates ("112/03/01",
 * "民國112年3月1日", "112年3月1日 14:05"). Returns 0 or ERR_INVAL.
 */
int rocdate_parse(const char *s, int64_t *out);

/* Format seconds as "民國112年3月1日" (Asia/Taipei) into out. */
void rocdate_format_roc(int64_t t, char *out, size_t size);
