/*
 * rpz/rules.c - what the owners of one seized domain hold in a zone, and
 * bringing them there. This is where precedence is decided:
 *
 *  1. The canary name is always blocked (CNAME .).
 *  2. Passthru wins over every order: a passthru entry's own name gets
 *     "CNAME rpz-passthru." (and its "*." wildcard too when the entry covers
 *     subdomains), and nothing under an entry that covers subdomains is
 *     blocked at all. A resolver prefers an exact trigger to a wildcard, so
 *     leaving blocks out is the only way a broad passthru can win.
 *  3. Among the enforced, started, unexpired orders naming the domain in the
 *     zone (a domain lifted from an order no longer counts), the strictest
 *     action wins: nxdomain (CNAME .), then nodata (CNAME *.), then redirect
 *     (A/AAAA local data, or a CNAME to the warning host); between two
 *     redirects, the older order. The "*." owner follows the orders that
 *     cover subdomains.
 */
#include "rpz/internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/mem.h"
#include "base/sort.h"
#include "base/str.h"
#include "store/store.h"

struct passthru_entry {
	char *domain;
	bool subdomains;
};

struct passthru_set {
	struct passthru_entry *v;
	size_t n;
};

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct passthru_entry *)a)->domain,
		((const struct passthru_entry *)b)->domain);
}

static void passthru_release(struct passthru_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].domain);
	free(s->v);
}

static int passthru_load(struct store_conn *c, struct passthru_set *s)
{
	struct store_stmt *st;
	int ret = store_query(c, &st, "SELECT domain, subdomains FROM rpz_passthru", "");

	s->v = NULL;
	s->n = 0;
	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW) {
		s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
		s->v[s->n].domain = xstrdup(store_col_text(st, 0));
		s->v[s->n++].subdomains = store_col_int64(st, 1) != 0;
	}
	store_finish(st);
	sort_items(s->v, s->n, sizeof(*s->v), cmp_entry);
	return ret;
}

static const struct passthru_entry *passthru_find(const struct passthru_set *s, const char *d)
{
	struct passthru_entry key = { (char *)d, false };

	return s->n ? bsearch(&key, s->v, s->n, sizeof(*s->v), cmp_entry) : NULL;
}

/* True when a strict ancestor of d is a passthru entry covering subdomains. */
static bool passthru_covers(const struct passthru_set *s, const char *d)
{
	for (const char *p = strchr(d, '.'); p; p = strchr(p + 1, '.')) {
		const struct passthru_entry *e = passthru_find(s, p + 1);

		if (e && e->subdomains)
			return true;
	}
	return false;
}

/* The records of one action into l under owner. */
static void action_rrs(struct rpz_rrs *l, const char *owner, const char *action,
	const char *redirect, uint32_t ttl)
{
	char item[RPZ_NAME_MAX];
	unsigned char addr[16];

	if (strcmp(action, "nxdomain") == 0) {
		rpz_rrs_add(l, owner, RPZ_TYPE_CNAME, ttl, ".");
		return;
	}
	if (strcmp(action, "nodata") == 0) {
		rpz_rrs_add(l, owner, RPZ_TYPE_CNAME, ttl, "*.");
		return;
	}
	for (const char *p = redirect; *p;) {
		size_t n = strcspn(p, ",");

		if (n && n < sizeof(item)) {
			memcpy(item, p, n);
			item[n] = '\0';
			if (inet_pton(AF_INET, item, addr) == 1)
				rpz_rrs_add(l, owner, RPZ_TYPE_A, ttl, item);
			else if (inet_pton(AF_INET6, item, addr) == 1)
				rpz_rrs_add(l, owner, RPZ_TYPE_AAAA, ttl, item);
			else
				rpz_rrs_add(l, owner, RPZ_TYPE_CNAME, ttl, item);
		}
		p += n + (p[n] == ',');
	}
}

static int action_rank(const char *action)
{
	return strcmp(action, "nxdomain") == 0 ? 0 : strcmp(action, "nodata") == 0 ? 1 : 2;
}

struct choice {
	int rank; /* 3 = nothing chosen */
	char action[16];
	char redirect[512];
};

static void choose(struct choice *ch, const char *action, const char *redirect)
{
	int rank = action_rank(action);

	if (rank < ch->rank) {
		ch->rank = rank;
		str_copy(ch->action, sizeof(ch->action), action);
		str_copy(ch->redirect, sizeof(ch->redirect), redirect);
	}
}

/* The strictest active order for d in the zone, for d itself and for "*.d". */
static int orders_for(struct store_conn *c, const char *zone, const char *d, int64_t now,
	struct choice *exact, struct choice *wild)
{
	struct store_stmt *st;
	char t[32];
	int ret;

	rpz_time(now, t);
	exact->rank = wild->rank = 3;
	ret = store_query(c, &st,
		"SELECT o.action, o.redirect, o.subdomains FROM rpz_order_domains d"
		" JOIN rpz_orders o ON o.id = d.order_id"
		" WHERE d.domain = ? AND d.lifted_at IS NULL AND o.zone = ? AND o.state = 'enforced'"
		" AND (o.starts_at IS NULL OR o.starts_at <= ?)"
		" AND (o.expires_at IS NULL OR o.expires_at > ?) ORDER BY o.id",
		"tttt", d, zone, t, t);
	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW) {
		choose(exact, store_col_text(st, 0), store_col_text(st, 1));
		if (store_col_int64(st, 2))
			choose(wild, store_col_text(st, 0), store_col_text(st, 1));
	}
	store_finish(st);
	return ret;
}

/* The records d's owner and its wildcard should hold, into want. */
static int desired(struct store_conn *c, const char *zone, const struct passthru_set *pass,
	const char *d, int64_t now, struct rpz_rrs *want)
{
	const struct rpz_settings *s = rpz_settings();
	const struct passthru_entry *e = passthru_find(pass, d);
	bool covered = passthru_covers(pass, d);
	char owner[RPZ_NAME_MAX], wowner[RPZ_NAME_MAX];
	struct choice exact, wild;
	bool exact_done = false, wild_done = covered;
	int ret;

	snprintf(owner, sizeof(owner), "%s.%s", d, zone);
	snprintf(wowner, sizeof(wowner), "*.%s.%s", d, zone);
	if (s->canary[0] && strcmp(d, s->canary) == 0) {
		rpz_rrs_add(want, owner, RPZ_TYPE_CNAME, s->ttl, ".");
		exact_done = true;
	}
	if (e) {
		if (!exact_done)
			rpz_rrs_add(want, owner, RPZ_TYPE_CNAME, s->ttl, "rpz-passthru.");
		exact_done = true;
		if (e->subdomains && !covered)
			rpz_rrs_add(want, wowner, RPZ_TYPE_CNAME, s->ttl, "rpz-passthru.");
		wild_done = wild_done || e->subdomains;
	}
	exact_done = exact_done || covered;
	if (exact_done && wild_done)
		return 0;
	ret = orders_for(c, zone, d, now, &exact, &wild);
	if (ret)
		return ret;
	if (!exact_done && exact.rank < 3)
		action_rrs(want, owner, exact.action, exact.redirect, s->ttl);
	if (!wild_done && wild.rank < 3)
		action_rrs(want, wowner, wild.action, wild.redirect, s->ttl);
	return 0;
}

static int current(struct store_conn *c, int64_t zone_id, const char *zone, const char *d,
	struct rpz_rrs *have)
{
	char owner[RPZ_NAME_MAX], wowner[RPZ_NAME_MAX];
	struct store_stmt *st;
	int ret;

	snprintf(owner, sizeof(owner), "%s.%s", d, zone);
	snprintf(wowner, sizeof(wowner), "*.%s.%s", d, zone);
	ret = store_query(c, &st,
		"SELECT owner, type, ttl, rdata FROM rpz_records WHERE zone_id = ? AND owner IN (?, ?)",
		"itt", zone_id, owner, wowner);
	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW)
		rpz_rrs_add(have, store_col_text(st, 0), (uint16_t)store_col_int64(st, 1),
			(uint32_t)store_col_int64(st, 2), store_col_text(st, 3));
	store_finish(st);
	return ret;
}

static bool contains(const struct rpz_rrs *l, const struct rpz_rr_buf *r)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].type == r->type && l->v[i].ttl == r->ttl &&
			strcmp(l->v[i].owner, r->owner) == 0 && strcmp(l->v[i].rdata, r->rdata) == 0)
			return true;
	return false;
}

/* have − want into dels, want − have into adds. */
static void diff(const struct rpz_rrs *have, const struct rpz_rrs *want, struct rpz_rrs *dels,
	struct rpz_rrs *adds)
{
	for (size_t i = 0; i < have->n; i++)
		if (!contains(want, &have->v[i]))
			rpz_rrs_add(dels, have->v[i].owner, have->v[i].type, have->v[i].ttl,
				have->v[i].rdata);
	for (size_t i = 0; i < want->n; i++)
		if (!contains(have, &want->v[i]))
			rpz_rrs_add(adds, want->v[i].owner, want->v[i].type, want->v[i].ttl,
				want->v[i].rdata);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int zone_name(struct store_conn *c, int64_t zone_id, char out[RPZ_NAME_MAX])
{
	struct store_stmt *st;
	int ret = store_query(c, &st, "SELECT name FROM rpz_zones WHERE id = ?", "i", zone_id);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW)
		str_copy(out, RPZ_NAME_MAX, store_col_text(st, 0));
	store_finish(st);
	return ret == STORE_ROW ? 0 : ret == STORE_DONE ? ERR_NOTFOUND : ret;
}

int rpz_rules_apply(struct store_conn *c, int64_t zone_id, const char *const *names, size_t n,
	int64_t now, const char *reason, struct rpz_notices *notices)
{
	struct rpz_rrs dels = RPZ_RRS_INIT, adds = RPZ_RRS_INIT;
	struct rpz_rrs want = RPZ_RRS_INIT, have = RPZ_RRS_INIT;
	struct passthru_set pass = { NULL, 0 };
	const char **sorted = NULL;
	char zone[RPZ_NAME_MAX];
	int ret;

	ret = zone_name(c, zone_id, zone);
	if (!ret)
		ret = passthru_load(c, &pass);
	if (ret)
		goto out;
	sorted = xcalloc(n ? n : 1, sizeof(*sorted));
	if (n) /* memcpy() of NULL is undefined even for 0 */
		memcpy(sorted, names, n * sizeof(*sorted));
	sort_items(sorted, n, sizeof(*sorted), cmp_str);
	for (size_t i = 0; !ret && i < n; i++) {
		if (i && strcmp(sorted[i], sorted[i - 1]) == 0)
			continue;
		want.n = have.n = 0;
		ret = desired(c, zone, &pass, sorted[i], now, &want);
		if (!ret)
			ret = current(c, zone_id, zone, sorted[i], &have);
		if (!ret)
			diff(&have, &want, &dels, &adds);
	}
	if (!ret)
		ret = rpz_zone_write(c, zone_id, &dels, &adds, false, reason, notices);
out:
	passthru_release(&pass);
	free(sorted);
	rpz_rrs_release(&want);
	rpz_rrs_release(&have);
	rpz_rrs_release(&dels);
	rpz_rrs_release(&adds);
	return ret;
}
