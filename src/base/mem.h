/*
 * base/mem.h - allocation that never returns NULL.
 *
 * A failed allocation logs and aborts (Git's xmalloc): no caller has to handle
 * NULL, and an out-of-memory server restarts cleanly under its supervisor
 * instead of limping on. Overflow-checked array allocation lives here too.
 */
#pragma once
#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grow an array of nmemb elements of size bytes; aborts on overflow. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
/* Copy len bytes of s into a new NUL-terminated string. */
char *xstrndup(const char *s, size_t len);
