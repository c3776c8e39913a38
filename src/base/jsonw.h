/*
 * base/jsonw.h - a streaming JSON writer that appends to a struct buf.
 *
 * For responses on hot paths: no object model, no allocation beyond the
 * buffer's own growth. jansson stays for parsing request bodies and for the
 * cold endpoints. The output is byte for byte what jansson's
 * json_dumps(…, JSON_COMPACT | JSON_ENSURE_ASCII) writes for the same values
 * in the same order: no white space, '"', '\\' and control characters escaped
 * (\b \f \n \r \t, else \u00XX), every non-ASCII character as \uXXXX in upper
 * case (a UTF-16 surrogate pair above U+FFFF), '/' and DEL as they are. So
 * the output is plain ASCII, and valid UTF-8 whatever the input.
 *
 *   struct buf out = BUF_INIT;
 *   struct jsonw w;
 *   jsonw_init(&w, &out);
 *   jsonw_object_open(&w);
 *   jsonw_key_string(&w, "name", name);
 *   jsonw_key(&w, "roles");
 *   jsonw_array_open(&w); … jsonw_array_close(&w);
 *   jsonw_object_close(&w);
 *   ret = jsonw_finish(&w);
 *
 * Strings must be UTF-8. A byte that does not start a valid UTF-8 sequence
 * (stray continuation bytes, overlong forms, surrogates, beyond U+10FFFF,
 * a truncated sequence) is written as \uFFFD, one per such byte, where jansson
 * would refuse the whole string.
 *
 * Errors are sticky: after the first failure (ERR_LIMIT from a buffer with a
 * maximum size) every later call does nothing, and jsonw_finish() returns it.
 * Commas and colons are placed by the writer; the caller only keeps keys and
 * values alternating inside objects. Not thread-safe; one writer per buffer.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

struct jsonw {
	struct buf *out; /* appended to; owned by the caller */
	int err;         /* first error, 0 until one happens */
	int depth;       /* objects and arrays open */
	bool comma;      /* the next key or value needs a ',' before it */
};

/* Start writing one JSON value at the end of out (which is not cleared). */
void jsonw_init(struct jsonw *w, struct buf *out);
/*
 * Check that every object and array was closed. Returns 0, the first write
 * error (ERR_LIMIT), or ERR_INTERNAL when containers are left open.
 */
int jsonw_finish(struct jsonw *w);

void jsonw_object_open(struct jsonw *w);
void jsonw_object_close(struct jsonw *w);
void jsonw_array_open(struct jsonw *w);
void jsonw_array_close(struct jsonw *w);

/* A member name inside an object; the value follows with the next call. */
void jsonw_key(struct jsonw *w, const char *key);
/* A NUL-terminated string; NULL writes null (json_pack's "s?"). */
void jsonw_string(struct jsonw *w, const char *s);
/* len bytes of s, which may contain NUL (written as \u0000). */
void jsonw_stringn(struct jsonw *w, const char *s, size_t len);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);

/* Shorthands for a key and its value. */
void jsonw_key_string(struct jsonw *w, const char *key, const char *s);
void jsonw_key_int(struct jsonw *w, const char *key, int64_t v);
void jsonw_key_bool(struct jsonw *w, const char *key, bool v);
void jsonw_key_null(struct jsonw *w, const char *key);

/*
 * Append s (len bytes) to out as the body of a JSON string, escaped as above,
 * without the quotes. Returns 0 or ERR_LIMIT (out then holds a prefix).
 */
int jsonw_escape(struct buf *out, const char *s, size_t len);
