/*
 * rpz/history.c - a zone's changes by serial, kept for good (rpz_history):
 * what was published when, and why. The journal (for IXFR) is bounded; this
 * is the record.
 */
#include "rpz/internal.h"

#include <stdlib.h>

#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

int rpz_history(struct store_conn *c, const char *zone, size_t limit,
	struct rpz_history_entry **out, size_t *n, struct err_msg *err)
{
	struct rpz_history_entry *v = NULL;
	struct rpz_zone_info z;
	struct store_stmt *st;
	size_t count = 0;
	int ret = rpz_zone_get(c, zone, &z, err);

	*out = NULL;
	*n = 0;
	if (ret)
		return ret;
	ret = store_query(c, &st,
		"SELECT serial, version, added, deleted, reason, changed_at FROM rpz_history"
		" WHERE zone_id = ? ORDER BY version DESC LIMIT ?",
		"ii", z.id, (int64_t)limit);
	if (ret)
		return err_set(err, ret, "zone", "cannot read the history");
	while ((ret = store_step(st)) == STORE_ROW) {
		struct rpz_history_entry *h;

		v = xreallocarray(v, count + 1, sizeof(*v));
		h = &v[count++];
		h->serial = (uint32_t)store_col_int64(st, 0);
		h->version = store_col_int64(st, 1);
		h->added = store_col_int64(st, 2);
		h->deleted = store_col_int64(st, 3);
		str_copy(h->reason, sizeof(h->reason), store_col_text(st, 4));
		str_copy(h->changed_at, sizeof(h->changed_at), store_col_text(st, 5));
	}
	store_finish(st);
	if (ret) {
		free(v);
		return err_set(err, ret, "zone", "cannot read the history");
	}
	*out = v;
	*n = count;
	return 0;
}
