/*
 * base/json_field.c - typed JSON field readers that name the field in errors.
 */
#include "base/json_field.h"

#include <string.h>

#include "base/err.h"
#include "base/str.h"

int json_field_opt_string(json_t *obj, const char *field, size_t maxlen, const char **out,
	struct err_msg *err)
{
	json_t *v = json_object_get(obj, field);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return err_set(err, ERR_INVAL, field, "must be a string");
	if (json_string_length(v) > maxlen)
		return err_set(err, ERR_INVAL, field, "must be at most %zu bytes", maxlen);
	if (strlen(json_string_value(v)) != json_string_length(v))
		return err_set(err, ERR_INVAL, field, "must not contain NUL characters");
	*out = json_string_value(v);
	return 0;
}

int json_field_string(json_t *obj, const char *field, size_t maxlen, const char **out,
	struct err_msg *err)
{
	const char *s = NULL;
	int ret = json_field_opt_string(obj, field, maxlen, &s, err);

	if (ret)
		return ret;
	if (str_empty(s))
		return err_set(err, ERR_INVAL, field, "is required");
	*out = s;
	return 0;
}

int json_field_opt_int(json_t *obj, const char *field, int64_t min, int64_t max, int64_t *out,
	struct err_msg *err)
{
	json_t *v = json_object_get(obj, field);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return err_set(err, ERR_INVAL, field, "must be a whole number");
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return err_set(err, ERR_INVAL, field, "must be from %lld to %lld", (long long)min,
			(long long)max);
	*out = json_integer_value(v);
	return 0;
}

int json_field_opt_bool(json_t *obj, const char *field, bool *out, struct err_msg *err)
{
	json_t *v = json_object_get(obj, field);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return err_set(err, ERR_INVAL, field, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

int json_field_only(json_t *obj, const char *const *allowed, struct err_msg *err)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, key) == 0;
		if (!ok)
			return err_set(err, ERR_INVAL, key, "unknown field");
	}
	return 0;
}
