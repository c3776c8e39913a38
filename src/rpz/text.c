/*
 * rpz/text.c - names and times as the rpz tables store them: absolute lower
 * case zone names, domains with their labels reversed (so "every name under
 * x" is one range of an index), and ISO 8601 UTC times.
 */
#include "rpz/internal.h"

#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"

void rpz_reverse(const char *name, char *out, size_t size)
{
	size_t len = strlen(name), used = 0;
	const char *end = name + len;

	if (!size)
		return;
	while (end > name && used + 1 < size) {
		const char *start = end;
		size_t n;

		while (start > name && start[-1] != '.')
			start--;
		n = (size_t)(end - start);
		if (used && used + 1 < size)
			out[used++] = '.';
		if (n > size - 1 - used)
			n = size - 1 - used;
		memcpy(out + used, start, n);
		used += n;
		end = start > name ? start - 1 : name;
	}
	out[used] = '\0';
}

int rpz_absolute(const char *name, char *out, size_t size)
{
	size_t len = strlen(name);

	if (!len || len + 2 > size || name[0] == '.' || strstr(name, ".."))
		return ERR_INVAL;
	str_copy(out, size, name);
	str_lower(out);
	if (out[len - 1] != '.') {
		out[len] = '.';
		out[len + 1] = '\0';
	}
	for (const char *p = out; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
			*p == '_' || *p == '.'))
			return ERR_INVAL;
	return 0;
}

void rpz_time(int64_t t, char out[32])
{
	if (t)
		clock_format_iso_s(t, out, 32);
	else
		out[0] = '\0';
}

int64_t rpz_time_parse(const char *s)
{
	struct tm tm = { 0 };
	const char *end;

	if (!s || !*s)
		return 0;
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return 0;
	return (int64_t)timegm(&tm);
}
