/*
 * dns/index.c - the names of a zone for plain queries (who asks a primary
 * "what is bad.example.rpz.tw?": operators checking, rarely resolvers):
 * the zone's records sorted by their labels from the right, so one binary
 * search tells a name's records, whether names exist below it (an empty
 * non-terminal: NODATA, not NXDOMAIN), and whether a wildcard covers it.
 *
 * Built on the first query after the zone's serial changed, from the
 * store's walk; transfers never use it (they stream from the store).
 */
#include "dns/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/sort.h"
#include "base/str.h"

struct index_entry {
	char *key;          /* labels from the right: "tw.rpz.example.bad" */
	struct rpz_rr rr;   /* owner and rdata live in the same block as key */
};

struct zone_index {
	int64_t zone_id;
	uint32_t serial;
	int64_t changed_at;
	struct index_entry *e;
	size_t n, alloc;
};

struct dns_index_cache {
	pthread_mutex_t lock;
	struct zone_index *zones;
	size_t n;
};

struct dns_index_cache *dns_index_cache_new(void)
{
	struct dns_index_cache *c = xcalloc(1, sizeof(*c));

	pthread_mutex_init(&c->lock, NULL);
	return c;
}

static void index_clear(struct zone_index *zi)
{
	for (size_t i = 0; i < zi->n; i++)
		free(zi->e[i].key);
	free(zi->e);
	zi->e = NULL;
	zi->n = zi->alloc = 0;
}

void dns_index_cache_free(struct dns_index_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		index_clear(&c->zones[i]);
	free(c->zones);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* "bad.example.rpz.tw." → "tw.rpz.example.bad" into out (at least strlen(name)+1). */
static void reverse_key(const char *name, char *out)
{
	size_t n = strlen(name), o = 0;

	if (n && name[n - 1] == '.')
		n--;
	while (n > 0) {
		size_t start = n;
		while (start > 0 && name[start - 1] != '.')
			start--;
		if (o)
			out[o++] = '.';
		memcpy(out + o, name + start, n - start);
		o += n - start;
		n = start ? start - 1 : 0;
	}
	out[o] = '\0';
}

static int add_entry(void *ctx, const struct rpz_rr *rr)
{
	struct zone_index *zi = ctx;
	size_t olen = strlen(rr->owner), dlen = strlen(rr->rdata);
	char *block = xmalloc(2 * (olen + 1) + dlen + 1);
	struct index_entry *e;

	if (zi->n == zi->alloc) {
		zi->alloc = zi->alloc ? 2 * zi->alloc : 64;
		zi->e = xreallocarray(zi->e, zi->alloc, sizeof(*zi->e));
	}
	e = &zi->e[zi->n++];
	e->key = block;
	reverse_key(rr->owner, block);
	e->rr = *rr;
	e->rr.owner = memcpy(block + olen + 1, rr->owner, olen + 1);
	e->rr.rdata = memcpy(block + 2 * (olen + 1), rr->rdata, dlen + 1);
	return 0;
}

static int by_key(const void *a, const void *b)
{
	const struct index_entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (int)x->rr.type - (int)y->rr.type;
}

static int rebuild(struct zone_index *zi, struct store_conn *c, const struct rpz_zone_info *z)
{
	struct err_msg err = ERR_MSG_INIT;
	int ret;

	index_clear(zi);
	ret = rpz_zone_each_rr(c, z->id, add_entry, zi, &err);
	if (ret) {
		log_error("dns: cannot read zone %s: %s", z->name, err.message);
		index_clear(zi);
		zi->zone_id = 0;
		return ret;
	}
	sort_items(zi->e, zi->n, sizeof(*zi->e), by_key);
	zi->zone_id = z->id;
	zi->serial = z->serial;
	zi->changed_at = z->changed_at;
	return 0;
}

/* The first entry whose key is not less than key. */
static size_t lower_bound(const struct zone_index *zi, const char *key)
{
	size_t lo = 0, hi = zi->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(zi->e[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Number of entries whose key is exactly key, from *first. */
static size_t exact(const struct zone_index *zi, const char *key, size_t *first)
{
	size_t i = lower_bound(zi, key), n = 0;

	*first = i;
	while (i + n < zi->n && !strcmp(zi->e[i + n].key, key))
		n++;
	return n;
}

/* Are there names below key? */
static bool has_below(const struct zone_index *zi, const char *key)
{
	size_t len = strlen(key);
	char *below = xmalloc(len + 2);
	size_t i;
	bool yes;

	memcpy(below, key, len);
	below[len] = '.';
	below[len + 1] = '\0';
	i = lower_bound(zi, below);
	yes = i < zi->n && !strncmp(zi->e[i].key, below, len + 1);
	free(below);
	return yes;
}

static void copy_out(const struct zone_index *zi, size_t first, size_t n, const char *owner,
	struct dns_lookup *out)
{
	out->rrs = xcalloc(n, sizeof(*out->rrs));
	out->n = n;
	for (size_t i = 0; i < n; i++) {
		const struct rpz_rr *rr = &zi->e[first + i].rr;
		size_t olen = strlen(owner), dlen = strlen(rr->rdata);
		char *block = xmalloc(olen + dlen + 2);
		out->rrs[i] = *rr;
		out->rrs[i].owner = memcpy(block, owner, olen + 1);
		out->rrs[i].rdata = memcpy(block + olen + 1, rr->rdata, dlen + 1);
	}
}

static void find(const struct zone_index *zi, const struct rpz_zone_info *z, const char *name,
	struct dns_lookup *out)
{
	size_t len = strlen(name), first, n;
	char *key = xmalloc(len + 3), *wild = xmalloc(len + 3);
	const char *enc = name;

	reverse_key(name, key);
	n = exact(zi, key, &first);
	if (n) {
		out->kind = DNS_LOOKUP_FOUND;
		copy_out(zi, first, n, name, out);
		goto out;
	}
	if (has_below(zi, key) || !strcmp(name, z->name)) {
		out->kind = DNS_LOOKUP_EMPTY;
		goto out;
	}
	/* the closest encloser: the nearest ancestor that exists, at worst the apex */
	while (strcmp(enc, z->name)) {
		enc += strcspn(enc, ".") + 1;
		reverse_key(enc, key);
		if (!strcmp(enc, z->name) || exact(zi, key, &first) || has_below(zi, key))
			break;
	}
	memcpy(wild, "*.", 2);
	memcpy(wild + 2, enc, strlen(enc) + 1);
	reverse_key(wild, key);
	n = exact(zi, key, &first);
	out->kind = n ? DNS_LOOKUP_FOUND : DNS_LOOKUP_NXDOMAIN;
	out->wildcard = n > 0;
	if (n)
		copy_out(zi, first, n, name, out);
out:
	free(key);
	free(wild);
}

static struct zone_index *slot(struct dns_index_cache *cache, int64_t zone_id)
{
	for (size_t i = 0; i < cache->n; i++)
		if (cache->zones[i].zone_id == zone_id)
			return &cache->zones[i];
	for (size_t i = 0; i < cache->n; i++)
		if (cache->zones[i].zone_id == 0)
			return &cache->zones[i];
	cache->zones = xreallocarray(cache->zones, cache->n + 1, sizeof(*cache->zones));
	memset(&cache->zones[cache->n], 0, sizeof(*cache->zones));
	return &cache->zones[cache->n++];
}

int dns_index_lookup(struct dns_index_cache *cache, struct store_conn *c,
	const struct rpz_zone_info *z, const char *name, struct dns_lookup *out)
{
	struct zone_index *zi;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!dns_name_in_zone(name, z->name))
		return ERR_INVAL;
	pthread_mutex_lock(&cache->lock);
	zi = slot(cache, z->id);
	if (zi->zone_id != z->id || zi->serial != z->serial || zi->changed_at != z->changed_at)
		ret = rebuild(zi, c, z);
	if (!ret)
		find(zi, z, name, out);
	pthread_mutex_unlock(&cache->lock);
	return ret;
}

void dns_lookup_release(struct dns_lookup *l)
{
	for (size_t i = 0; i < l->n; i++)
		free((char *)l->rrs[i].owner);
	free(l->rrs);
	memset(l, 0, sizeof(*l));
}
