/*
 * base/str.h - small string helpers used across modules.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copy src into dst of size dstsize, always NUL-terminating; returns strlen(src). */
size_t str_copy(char *dst, size_t dstsize, const char *src);

/* True when s starts with prefix. */
bool str_has_prefix(const char *s, const char *prefix);

/* True when s is NULL or "". */
bool str_empty(const char *s);

/* True when a and b are equal, comparing in time independent of where they differ. */
bool str_equal_ct(const char *a, const char *b);

/*
 * Parse all of s as a decimal int64 in [min, max]. Returns 0 and sets *out, or
 * ERR_INVAL when s is empty, has trailing bytes, or is out of range.
 */
int str_to_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Lower-case ASCII letters of s in place. */
void str_lower(char *s);

/* Remove ASCII white space at both ends of s in place; returns s. */
char *str_trim(char *s);
