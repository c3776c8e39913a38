/*
 * store/collect.c - store_collect(): the rows of a statement into an array,
 * the loop every list function would otherwise write again.
 */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

int store_collect(struct store_stmt *st, size_t size, store_row_fn fn, void **out, size_t *n)
{
	unsigned char *items = NULL;
	size_t count = 0, cap = 0;
	int ret;

	*out = NULL;
	*n = 0;
	while ((ret = store_step(st)) == STORE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			items = xreallocarray(items, cap, size);
		}
		memset(items + count * size, 0, size);
		fn(st, items + count * size);
		count++;
	}
	store_finish(st);
	if (ret < 0) {
		free(items);
		return ret;
	}
	*out = items;
	*n = count;
	return 0;
}
