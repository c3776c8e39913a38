/*
 * base/json_field.h - read typed fields of a JSON object (jansson), naming the
 * field and the reason in a struct err_msg when one is wrong. The HTTP
 * helpers (http_json_*) and the JSON Lines importer both read through these,
 * so a field is checked the same way whichever way it arrived.
 */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct err_msg;

/* An optional string of at most maxlen bytes, no NUL: *out stays as is when absent or null. */
int json_field_opt_string(json_t *obj, const char *field, size_t maxlen, const char **out,
	struct err_msg *err);
/* A required, non-empty string of at most maxlen bytes. */
int json_field_string(json_t *obj, const char *field, size_t maxlen, const char **out,
	struct err_msg *err);
/* An optional integer in [min, max]: *out stays as is when absent or null. */
int json_field_opt_int(json_t *obj, const char *field, int64_t min, int64_t max, int64_t *out,
	struct err_msg *err);
/* An optional boolean: *out stays as is when absent or null. */
int json_field_opt_bool(json_t *obj, const char *field, bool *out, struct err_msg *err);
/* Refuse any member of obj whose name is not in allowed (NULL-terminated). */
int json_field_only(json_t *obj, const char *const *allowed, struct err_msg *err);
