/*
 * intel/warning.c - the warning list: identifiers that must never correlate
 * (the 165 hotline, emergency and bank service numbers, payment gateways, big
 * platforms, CDNs and public resolvers, exchanges' hot wallets …). Victims
 * mention them in good faith; counting them would bind unrelated cases.
 *
 * Matching: an exact (type, value); for domains, URLs and e-mail addresses
 * the registrable domain (so "www.google.com/…" matches "google.com"); for
 * IP addresses a listed CIDR range contains them.
 */
#include "intel/internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/sort.h"
#include "base/str.h"
#include "store/store.h"

struct default_entry {
	enum ident_type type;
	const char *value;
	const char *reason;
};

/* Shipped defaults; operators add and remove entries (API, CLI). */
static const struct default_entry defaults[] = {
	{ IDENT_PHONE, "165", "反詐騙諮詢專線 165 anti-fraud hotline" },
	{ IDENT_PHONE, "110", "警察報案 police emergency" },
	{ IDENT_PHONE, "119", "消防救護 fire and ambulance" },
	{ IDENT_PHONE, "113", "保護專線 protection hotline" },
	{ IDENT_PHONE, "1999", "市民服務專線 city service line" },
	{ IDENT_DOMAIN, "google.com", "big platform" },
	{ IDENT_DOMAIN, "youtube.com", "big platform" },
	{ IDENT_DOMAIN, "facebook.com", "big platform" },
	{ IDENT_DOMAIN, "instagram.com", "big platform" },
	{ IDENT_DOMAIN, "line.me", "big platform (LINE)" },
	{ IDENT_DOMAIN, "apple.com", "big platform" },
	{ IDENT_DOMAIN, "microsoft.com", "big platform" },
	{ IDENT_DOMAIN, "yahoo.com", "big platform" },
	{ IDENT_DOMAIN, "shopee.tw", "e-commerce platform" },
	{ IDENT_DOMAIN, "ecpay.com.tw", "payment gateway (綠界)" },
	{ IDENT_DOMAIN, "newebpay.com", "payment gateway (藍新)" },
	{ IDENT_DOMAIN, "bit.ly", "URL shortener: the target is what matters" },
	{ IDENT_DOMAIN, "reurl.cc", "URL shortener: the target is what matters" },
	{ IDENT_DOMAIN, "cloudflare.com", "CDN" },
	{ IDENT_IP, "8.8.8.8", "public resolver (Google)" },
	{ IDENT_IP, "8.8.4.4", "public resolver (Google)" },
	{ IDENT_IP, "1.1.1.1", "public resolver (Cloudflare)" },
	{ IDENT_IP, "1.0.0.1", "public resolver (Cloudflare)" },
	{ IDENT_IP, "9.9.9.9", "public resolver (Quad9)" },
	{ IDENT_IP, "168.95.1.1", "public resolver (HiNet)" },
	{ IDENT_IP, "101.101.101.101", "public resolver (TWNIC Quad101)" },
	{ IDENT_IP, "104.16.0.0/13", "CDN (Cloudflare)" },
	{ IDENT_IP, "172.64.0.0/13", "CDN (Cloudflare)" },
	{ IDENT_WALLET, "0x28c6c06298d514db089934071355e5743bf21d60", "exchange hot wallet (Binance)" },
};

/* The registrable domain a domain, URL or e-mail identifier belongs to, or "". */
static void registrable_of(const struct ident *id, char *out, size_t size)
{
	struct ident host;
	const char *name = NULL;

	out[0] = '\0';
	if (id->type == IDENT_DOMAIN) {
		str_copy(out, size, id->domain.registrable);
		return;
	}
	if (id->type == IDENT_URL && !id->url.host_is_ip && id->url.registrable[0]) {
		str_copy(out, size, id->url.registrable); /* found when the URL was parsed */
		return;
	}
	if (id->type == IDENT_URL && !id->url.host_is_ip)
		name = id->url.host;
	else if (id->type == IDENT_EMAIL)
		name = id->email.domain;
	if (name && ident_parse(&host, IDENT_DOMAIN, name, strlen(name), NULL) == 0)
		str_copy(out, size, host.domain.registrable);
}

static bool listed(struct store_conn *c, const char *type, const char *value)
{
	int64_t n = 0;

	return !store_query_int64(c, &n,
		       "SELECT COUNT(*) FROM warning_list WHERE type = ? AND value = ?", "tt", type,
		       value) &&
		n > 0;
}

/* Does the CIDR text range ("a.b.c.d/n") contain the address text addr? */
static bool cidr_contains(const char *range, const char *addr)
{
	unsigned char net[16], ip[16];
	char base[64];
	const char *slash = strchr(range, '/');
	int family = strchr(range, ':') ? AF_INET6 : AF_INET;
	int bits, bytes = family == AF_INET ? 4 : 16;

	if (!slash || (size_t)(slash - range) >= sizeof(base) ||
		(strchr(addr, ':') != NULL) != (family == AF_INET6))
		return false;
	memcpy(base, range, (size_t)(slash - range));
	base[slash - range] = '\0';
	bits = (int)strtol(slash + 1, NULL, 10);
	if (inet_pton(family, base, net) != 1 || inet_pton(family, addr, ip) != 1 || bits < 0 ||
		bits > bytes * 8)
		return false;
	for (int i = 0; i < bytes && bits > 0; i++, bits -= 8) {
		unsigned char mask = bits >= 8 ? 0xff : (unsigned char)(0xff << (8 - bits));
		if ((net[i] & mask) != (ip[i] & mask))
			return false;
	}
	return true;
}

static bool ip_in_listed_range(struct store_conn *c, const char *addr)
{
	struct store_stmt *st;
	bool hit = false;

	if (store_query(c, &st, "SELECT value FROM warning_list WHERE type = 'ip' AND value LIKE ?",
		    "t", "%/%"))
		return false;
	while (!hit && store_step(st) == STORE_ROW)
		hit = cidr_contains(store_col_text(st, 0), addr);
	store_finish(st);
	return hit;
}

/* Where the list is read from: the database, or a copy in memory (bulk import). */
struct lookup {
	bool (*listed)(void *ctx, const char *type, const char *value);
	bool (*in_range)(void *ctx, const char *addr);
	void *ctx;
};

/* The matching rules (top of this file), the same for both sources. */
static bool match(const struct lookup *l, const struct ident *id)
{
	char registrable[IDENT_DOMAIN_SIZE];

	if (l->listed(l->ctx, ident_type_name(id->type), id->value))
		return true;
	registrable_of(id, registrable, sizeof(registrable));
	if (registrable[0] && l->listed(l->ctx, "domain", registrable))
		return true;
	if (id->type == IDENT_URL && id->url.host_is_ip)
		return l->listed(l->ctx, "ip", id->url.host) || l->in_range(l->ctx, id->url.host);
	if (id->type == IDENT_IP && id->ip.prefix_len < 0)
		return l->in_range(l->ctx, id->value);
	return false;
}

static bool db_listed(void *ctx, const char *type, const char *value)
{
	return listed(ctx, type, value);
}

static bool db_in_range(void *ctx, const char *addr)
{
	return ip_in_listed_range(ctx, addr);
}

bool intel_warning_match(struct store_conn *c, const struct ident *id)
{
	const struct lookup l = { db_listed, db_in_range, c };

	return match(&l, id);
}

/* The list in memory: "type\x1fvalue" keys sorted for bsearch, and the CIDR ranges. */
struct intel_warning_set {
	char **keys;
	size_t nkeys;
	char **ranges;
	size_t nranges;
	uint64_t digest;
};

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool set_listed(void *ctx, const char *type, const char *value)
{
	const struct intel_warning_set *ws = ctx;
	char key[IDENT_VALUE_SIZE + 40];
	const char *k = key;

	snprintf(key, sizeof(key), "%s\x1f%s", type, value);
	return bsearch(&k, ws->keys, ws->nkeys, sizeof(*ws->keys), cmp_key) != NULL;
}

static bool set_in_range(void *ctx, const char *addr)
{
	const struct intel_warning_set *ws = ctx;

	for (size_t i = 0; i < ws->nranges; i++)
		if (cidr_contains(ws->ranges[i], addr))
			return true;
	return false;
}

int intel_warning_set_load(struct store_conn *c, struct intel_warning_set **out)
{
	struct intel_warning_set *ws = xcalloc(1, sizeof(*ws));
	struct store_stmt *st;
	uint64_t h = 1469598103934665603ULL;
	int ret = store_query(c, &st, "SELECT type, value FROM warning_list ORDER BY id", "");

	if (ret) {
		free(ws);
		return ret;
	}
	while ((ret = store_step(st)) == STORE_ROW) {
		const char *type = store_col_text(st, 0), *value = store_col_text(st, 1);
		size_t n = strlen(type) + strlen(value) + 2;
		char *key = xmalloc(n);
		snprintf(key, n, "%s\x1f%s", type, value);
		for (const char *p = key; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
		ws->keys = xreallocarray(ws->keys, ws->nkeys + 1, sizeof(*ws->keys));
		ws->keys[ws->nkeys++] = key;
		if (!strcmp(type, "ip") && strchr(value, '/')) {
			ws->ranges = xreallocarray(ws->ranges, ws->nranges + 1, sizeof(*ws->ranges));
			ws->ranges[ws->nranges++] = xstrdup(value);
		}
	}
	store_finish(st);
	if (ret < 0) {
		intel_warning_set_free(ws);
		return ret;
	}
	sort_items(ws->keys, ws->nkeys, sizeof(*ws->keys), cmp_key);
	ws->digest = h ^ ws->nkeys;
	*out = ws;
	return 0;
}

bool intel_warning_set_match(const struct intel_warning_set *ws, const struct ident *id)
{
	const struct lookup l = { set_listed, set_in_range, (void *)ws };

	return match(&l, id);
}

uint64_t intel_warning_set_digest(const struct intel_warning_set *ws)
{
	return ws->digest;
}

void intel_warning_set_free(struct intel_warning_set *ws)
{
	if (!ws)
		return;
	for (size_t i = 0; i < ws->nkeys; i++)
		free(ws->keys[i]);
	for (size_t i = 0; i < ws->nranges; i++)
		free(ws->ranges[i]);
	free(ws->keys);
	free(ws->ranges);
	free(ws);
}

int intel_warning_add(struct store_conn *c, const struct ident *id, const char *reason,
	int64_t user_id, const struct audit_event *ev, struct err_msg *err)
{
	char now[32];
	int ret;

	if (str_empty(reason))
		return err_set(err, ERR_INVAL, "reason", "is required");
	clock_format_iso_s(clock_now(), now, sizeof(now));
	ret = store_begin(c);
	if (!ret)
		ret = store_exec(c,
			"INSERT INTO warning_list (type, value, reason, created_by, created_at)"
			" VALUES (?, ?, ?, ?, ?)",
			"tttit", ident_type_name(id->type), id->value, reason, user_id, now);
	if (ret == ERR_CONFLICT)
		err_set(err, ret, "value", "'%s' is already on the warning list", id->value);
	if (ret >= 0 && ev)
		ret = audit_append(c, ev);
	if (ret >= 0)
		ret = store_commit(c);
	store_rollback(c);
	return ret < 0 ? ret : 0;
}

int intel_warning_remove(struct store_conn *c, int64_t entry_id, const struct audit_event *ev,
	struct err_msg *err)
{
	int ret = store_begin(c);

	if (!ret)
		ret = store_exec(c, "DELETE FROM warning_list WHERE id = ?", "i", entry_id);
	if (ret == 0)
		ret = err_set(err, ERR_NOTFOUND, "id", "no warning-list entry %lld",
			(long long)entry_id);
	if (ret > 0)
		ret = ev ? audit_append(c, ev) : 0;
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

int intel_warning_seed(struct store_conn *c, int *added)
{
	char flag[8] = "";
	int ret = 0;

	*added = 0;
	if (store_setting_get(c, "intel.warning_defaults", flag, sizeof(flag)) == 0)
		return 0;
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]) && !ret; i++) {
		struct ident id;
		struct err_msg err = ERR_MSG_INIT;
		const struct default_entry *d = &defaults[i];
		if (ident_parse(&id, d->type, d->value, strlen(d->value), &err)) {
			log_warn("intel: default warning entry skipped: %s", err.message);
			continue;
		}
		ret = intel_warning_add(c, &id, d->reason, 0, NULL, &err);
		if (ret == ERR_CONFLICT)
			ret = 0;
		else if (!ret)
			(*added)++;
	}
	if (!ret)
		ret = store_setting_set(c, "intel.warning_defaults", "1");
	return ret;
}
