/*
 * base/buf.h - growable byte string (Git's strbuf, curl's dynbuf).
 *
 * Invariants: after BUF_INIT, b.s is never NULL and always NUL-terminated;
 * b.len is the length without the NUL. A buffer fed from outside input sets
 * b.max; growing past it fails with ERR_LIMIT and leaves the contents intact.
 * buf_detach() is the only way to take ownership of the bytes.
 */
#pragma once
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct buf {
	char *s;      /* contents, NUL-terminated; points at a static "" until first growth */
	size_t len;   /* bytes used, not counting the NUL */
	size_t alloc; /* bytes allocated; 0 while s is the static "" */
	size_t max;   /* 0 = unlimited, else the largest len allowed */
};

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0, 0 }

void buf_init(struct buf *b, size_t max);
/* Free the contents and return b to BUF_INIT state (keeping max). */
void buf_release(struct buf *b);
/* Set len to 0, keeping the allocation. */
void buf_reset(struct buf *b);
/* Make room for extra more bytes. Returns 0 or ERR_LIMIT. */
int buf_grow(struct buf *b, size_t extra);
int buf_add(struct buf *b, const void *data, size_t len);
int buf_adds(struct buf *b, const char *s);
int buf_addch(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Append s with JSON string escaping (without the surrounding quotes). */
int buf_add_json_escaped(struct buf *b, const char *s);
/* Return the contents as a malloc'ed string owned by the caller; b is reset to empty. */
char *buf_detach(struct buf *b, size_t *len_out);
/*
 * Read one line from f into b (replacing its contents), without the newline.
 * Returns 0, ERR_EOF at end of file with nothing read, or ERR_LIMIT.
 */
int buf_getline(struct buf *b, FILE *f);
