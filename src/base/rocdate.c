/*
 * base/rocdate.c - ROC years and the time stamps found in reports and imports.
 */
#include "base/rocdate.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/err.h"

int roc_year_from_gregorian(int year)
{
	return year - ROC_YEAR_OFFSET;
}

int roc_year_to_gregorian(int roc_year)
{
	return roc_year + ROC_YEAR_OFFSET;
}

int roc_year_now(void)
{
	time_t t = (time_t)(clock_now() + TAIPEI_UTC_OFFSET_S);
	struct tm tm;

	gmtime_r(&t, &tm);
	return roc_year_from_gregorian(tm.tm_year + 1900);
}

/* Read up to max digits at *p; returns the number or -1. Advances *p. */
static int digits(const char **p, int max)
{
	int v = 0, n = 0;

	while (n < max && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n ? v : -1;
}

static bool skip(const char **p, const char *word)
{
	size_t len = strlen(word);

	if (strncmp(*p, word, len))
		return false;
	*p += len;
	return true;
}

static void skip_space(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

static int days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
	return m == 2 && leap ? 29 : d[m - 1];
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The date part: Gregorian y-m-d or y/m/d, ROC y/m/d, or 民國y年m月d日. */
static int parse_date(const char **p, int *y, int *m, int *d)
{
	bool roc = skip(p, "民國");
	int year = digits(p, 4);
	bool cjk;

	if (year < 0)
		return ERR_INVAL;
	cjk = skip(p, "年");
	if (!cjk && **p != '-' && **p != '/' && **p != '.')
		return ERR_INVAL;
	if (!cjk)
		(*p)++;
	*m = digits(p, 2);
	if (*m < 1 || *m > 12 || !(cjk ? skip(p, "月") : (**p == '-' || **p == '/' || **p == '.')))
		return ERR_INVAL;
	if (!cjk)
		(*p)++;
	*d = digits(p, 2);
	if (cjk)
		skip(p, "日");
	/* Three digits or fewer, or an explicit 民國, is an ROC year. */
	*y = roc || year < 1000 ? roc_year_to_gregorian(year) : year;
	if (*y < 1912 || *y > 2200 || *d < 1 || *d > days_in_month(*y, *m))
		return ERR_INVAL;
	return 0;
}

/* An optional time part and zone; returns the offset from UTC in seconds via *zone. */
static int parse_time(const char **p, int *secs, int *zone)
{
	int h, mi, s = 0;

	*secs = 0;
	*zone = TAIPEI_UTC_OFFSET_S;
	if (**p == 'T' || **p == ' ')
		(*p)++;
	skip_space(p);
	if (!**p)
		return 0;
	h = digits(p, 2);
	if (h < 0 || h > 23 || **p != ':')
		return ERR_INVAL;
	(*p)++;
	mi = digits(p, 2);
	if (mi < 0 || mi > 59)
		return ERR_INVAL;
	if (**p == ':') {
		(*p)++;
		s = digits(p, 2);
		if (s < 0 || s > 60)
			return ERR_INVAL;
		if (**p == '.')
			for ((*p)++; isdigit((unsigned char)**p); (*p)++)
				;
	}
	*secs = h * 3600 + mi * 60 + s;
	skip_space(p);
	if (**p == 'Z') {
		*zone = 0;
		(*p)++;
	} else if (**p == '+' || **p == '-') {
		int sign = **p == '-' ? -1 : 1, zh, zm = 0;
		(*p)++;
		zh = digits(p, 2);
		if (**p == ':')
			(*p)++;
		if (isdigit((unsigned char)**p))
			zm = digits(p, 2);
		if (zh < 0 || zh > 14 || zm < 0 || zm > 59)
			return ERR_INVAL;
		*zone = sign * (zh * 3600 + zm * 60);
	}
	return 0;
}

int rocdate_parse(const char *s, int64_t *out)
{
	const char *p = s;
	int y, m, d, secs, zone;

	skip_space(&p);
	if (parse_date(&p, &y, &m, &d) || parse_time(&p, &secs, &zone))
		return ERR_INVAL;
	skip_space(&p);
	if (*p)
		return ERR_INVAL;
	*out = days_from_civil(y, m, d) * 86400 + secs - zone;
	return 0;
}

void rocdate_format_roc(int64_t t, char *out, size_t size)
{
	time_t local = (time_t)(t + TAIPEI_UTC_OFFSET_S);
	struct tm tm;

	gmtime_r(&local, &tm);
	snprintf(out, size, "民國%d年%d月%d日", roc_year_from_gregorian(tm.tm_year + 1900),
		tm.tm_mon + 1, tm.tm_mday);
}
