/*
 * graph/ident_ref.c - an identifier named by a user: its row id, or its type
 * and value in any spelling src/ident accepts, looked up in the store.
 */
#include "graph/internal.h"

#include <string.h>

#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

int graph_ident_ref(struct store_conn *c, const char *text, const char *field, int64_t *id,
	struct err_msg *err)
{
	const char *colon = strchr(text, ':');
	struct err_msg e = ERR_MSG_INIT;
	enum ident_type type;
	struct ident *parsed;
	char name[32];
	int ret;

	if (!str_to_int64(text, 1, INT64_MAX, id))
		return 0;
	if (!colon || (size_t)(colon - text) >= sizeof(name))
		return err_set(err, ERR_INVAL, field, "give an identifier id or TYPE:VALUE");
	memcpy(name, text, (size_t)(colon - text));
	name[colon - text] = '\0';
	if (ident_type_parse(name, &type))
		return err_set(err, ERR_INVAL, field, "unknown identifier type '%s'", name);
	parsed = xmalloc(sizeof(*parsed));
	ret = ident_parse(parsed, type, colon + 1, strlen(colon + 1), &e);
	if (ret) {
		free(parsed);
		return err_set(err, ERR_INVAL, field, "%s", e.message);
	}
	ret = store_query_int64(c, id, "SELECT id FROM identifiers WHERE type = ? AND value = ?",
		"tt", ident_type_name(parsed->type), parsed->value);
	free(parsed);
	if (ret == ERR_NOTFOUND)
		return err_set(err, ERR_NOTFOUND, field, "'%s' is not in the database", text);
	return ret;
}
