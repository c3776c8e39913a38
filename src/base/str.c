/*
 * base/str.c - small string helpers (bounded copy, prefix, number parsing).
 */
#include "base/str.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

size_t str_copy(char *dst, size_t dstsize, const char *src)
{
	size_t len = strlen(src);

	if (dstsize) {
		size_t n = len < dstsize - 1 ? len : dstsize - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

bool str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_empty(const char *s)
{
	return !s || !*s;
}

bool str_equal_ct(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = (unsigned char)(la != lb);

	for (size_t i = 0; i < la && i < lb; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

int str_to_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (str_empty(s) || isspace((unsigned char)*s))
		return ERR_INVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return ERR_INVAL;
	*out = v;
	return 0;
}

void str_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

char *str_trim(char *s)
{
	size_t len = strlen(s);
	size_t start = 0;

	while (len && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	while (start < len && isspace((unsigned char)s[start]))
		start++;
	if (start)
		memmove(s, s + start, len - start + 1);
	return s;
}
