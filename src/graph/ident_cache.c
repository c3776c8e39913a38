/*
 * graph/ident_cache.c - the flow importer's map (type, canonical value) →
 * identifier row, so that each distinct identifier costs one look-up per
 * import however many flows name it. Rows of identifiers are never deleted,
 * so an entry stays right for the whole import.
 */
#include "graph/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"
#include "intel/intel.h"
#include "store/store.h"

struct entry {
	struct entry *next;
	uint64_t hash;
	int64_t row;
	uint8_t type;
	char value[];
};

struct graph_ident_cache {
	struct entry **buckets;
	size_t nbuckets, n;
	struct graph_arena arena;
};

static uint64_t hash_ident(int type, const char *value)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)type;

	for (; *value; value++)
		h = (h ^ (uint8_t)*value) * 1099511628211ULL;
	return h;
}

struct graph_ident_cache *graph_ident_cache_new(void)
{
	struct graph_ident_cache *ic = xcalloc(1, sizeof(*ic));

	ic->nbuckets = 1 << 12;
	ic->buckets = xcalloc(ic->nbuckets, sizeof(*ic->buckets));
	return ic;
}

void graph_ident_cache_free(struct graph_ident_cache *ic)
{
	if (!ic)
		return;
	free(ic->buckets);
	graph_arena_release(&ic->arena);
	free(ic);
}

static void grow(struct graph_ident_cache *ic)
{
	size_t n = ic->nbuckets * 2;
	struct entry **b = xcalloc(n, sizeof(*b));

	for (size_t i = 0; i < ic->nbuckets; i++) {
		struct entry *e = ic->buckets[i], *next;
		for (; e; e = next) {
			next = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(ic->buckets);
	ic->buckets = b;
	ic->nbuckets = n;
}

static int lookup_db(struct store_conn *c, const struct ident *id, int64_t *row)
{
	return store_query_int64(c, row, "SELECT id FROM identifiers WHERE type = ? AND value = ?",
		"TT", ident_type_name(id->type), id->value);
}

int graph_ident_cache_resolve(struct graph_ident_cache *ic, struct store_conn *c,
	const struct ident *id, int64_t *row, int64_t *created)
{
	uint64_t h = hash_ident(id->type, id->value);
	size_t len = strlen(id->value);
	struct entry *e;
	int ret;

	for (e = ic->buckets[h & (ic->nbuckets - 1)]; e; e = e->next) {
		if (e->hash == h && e->type == id->type && !strcmp(e->value, id->value)) {
			*row = e->row;
			return 0;
		}
	}
	ret = lookup_db(c, id, row);
	if (ret == ERR_NOTFOUND) {
		ret = intel_ident_upsert(c, id, row);
		if (!ret)
			(*created)++;
	}
	if (ret)
		return ret;
	e = graph_arena_alloc(&ic->arena, sizeof(*e) + len + 1);
	e->hash = h;
	e->row = *row;
	e->type = (uint8_t)id->type;
	memcpy(e->value, id->value, len + 1);
	e->next = ic->buckets[h & (ic->nbuckets - 1)];
	ic->buckets[h & (ic->nbuckets - 1)] = e;
	if (++ic->n > ic->nbuckets)
		grow(ic);
	return 0;
}
