/*
 * rpz/passthru.c - the passthru list: names never blocked, whatever an order
 * says (a government site, a bank, a domain shared by many tenants). An
 * entry is published as "CNAME rpz-passthru." in every zone, and the rules
 * of the seized domains it covers are withdrawn in the same transaction
 * (precedence in rules.c).
 */
#include "rpz/internal.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "ident/ident.h"
#include "store/store.h"

/* d, and with subdomains every seized domain under d: the owners an entry changes. */
static int affected(struct store_conn *c, const char *d, bool subdomains, struct rpz_rrs *names)
{
	char rev[RPZ_NAME_MAX], lo[RPZ_NAME_MAX + 2], hi[RPZ_NAME_MAX + 2];
	struct store_stmt *st;
	int ret;

	rpz_rrs_add(names, d, 0, 0, "");
	if (!subdomains)
		return 0;
	rpz_reverse(d, rev, sizeof(rev));
	snprintf(lo, sizeof(lo), "%s.", rev);
	snprintf(hi, sizeof(hi), "%s/", rev); /* '/' sorts right after '.' */
	ret = store_query(c, &st,
		"SELECT DISTINCT domain FROM rpz_order_domains WHERE rev >= ? AND rev < ?", "tt", lo,
		hi);
	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW)
		rpz_rrs_add(names, store_col_text(st, 0), 0, 0, "");
	store_finish(st);
	return ret;
}

/* Recompute names in every stored zone. */
static int apply_everywhere(struct store_conn *c, const struct rpz_rrs *names, const char *reason,
	struct rpz_notices *notices)
{
	const char **list = xcalloc(names->n ? names->n : 1, sizeof(*list));
	struct rpz_zone_info *zones = NULL;
	size_t nz = 0;
	int ret;

	for (size_t i = 0; i < names->n; i++)
		list[i] = names->v[i].owner;
	ret = rpz_zone_list(c, &zones, &nz, NULL);
	for (size_t i = 0; !ret && i < nz; i++)
		ret = rpz_rules_apply(c, zones[i].id, list, names->n, clock_now(), reason, notices);
	free(zones);
	free(list);
	return ret;
}

static void entry_row(struct store_stmt *st, struct rpz_passthru *p)
{
	memset(p, 0, sizeof(*p));
	p->id = store_col_int64(st, 0);
	str_copy(p->domain, sizeof(p->domain), store_col_text(st, 1));
	p->subdomains = store_col_int64(st, 2) != 0;
	str_copy(p->reason, sizeof(p->reason), store_col_text(st, 3));
	str_copy(p->created_by, sizeof(p->created_by), store_col_text(st, 4));
	str_copy(p->created_at, sizeof(p->created_at), store_col_text(st, 5));
}

#define PASSTHRU_COLS "SELECT id, domain, subdomains, reason, created_by, created_at FROM rpz_passthru"

static int entry_get(struct store_conn *c, int64_t id, const char *domain, struct rpz_passthru *p)
{
	struct store_stmt *st;
	int ret = id ? store_query(c, &st, PASSTHRU_COLS " WHERE id = ?", "i", id)
		     : store_query(c, &st, PASSTHRU_COLS " WHERE domain = ?", "t", domain);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW)
		entry_row(st, p);
	store_finish(st);
	return ret == STORE_ROW ? 0 : ret == STORE_DONE ? ERR_NOTFOUND : ret;
}

static int audit_entry(struct store_conn *c, const struct audit_event *ev, const char *action,
	const struct rpz_passthru *p)
{
	struct audit_event e;
	char id[24], detail[RPZ_NOTE_MAX + 300];

	if (!ev)
		return 0;
	e = *ev;
	snprintf(id, sizeof(id), "%lld", (long long)p->id);
	snprintf(detail, sizeof(detail), "%s%s: %s", p->domain, p->subdomains ? " and subdomains" : "",
		p->reason);
	e.action = action;
	e.object_type = "passthru";
	e.object_id = id;
	e.detail = detail;
	return audit_append(c, &e);
}

int rpz_passthru_add(struct store_conn *c, const char *domain, bool subdomains,
	const char *reason, const struct audit_event *ev, struct rpz_passthru *out,
	struct err_msg *err)
{
	struct rpz_notices notices = RPZ_NOTICES_INIT;
	struct rpz_rrs names = RPZ_RRS_INIT;
	struct rpz_passthru p = { 0 };
	char rev[RPZ_NAME_MAX], now[32];
	struct ident d;
	int ret = rpz_domain_parse(domain, strlen(domain), &d, "domain", err);

	if (ret)
		return ret;
	if (!reason || !*reason || strlen(reason) >= RPZ_NOTE_MAX)
		return err_set(err, ERR_INVAL, "reason", "a reason of 1 to %d bytes is required",
			RPZ_NOTE_MAX - 1);
	rpz_reverse(d.value, rev, sizeof(rev));
	rpz_time(clock_now(), now);
	ret = store_begin(c);
	if (!ret)
		ret = store_exec(c,
			"INSERT INTO rpz_passthru (domain, rev, subdomains, reason, created_by, created_at)"
			" VALUES (?, ?, ?, ?, ?, ?)",
			"ttbttt", d.value, rev, (int)subdomains, reason,
			ev && ev->actor ? ev->actor : "system", now);
	if (ret == ERR_CONFLICT) {
		err_set(err, ret, "domain", "'%s' is already on the passthru list", d.value);
		goto out;
	}
	ret = ret < 0 ? ret : entry_get(c, 0, d.value, &p);
	if (!ret)
		ret = affected(c, d.value, subdomains, &names);
	if (!ret)
		ret = apply_everywhere(c, &names, "passthru added", &notices);
	if (!ret)
		ret = audit_entry(c, ev, "passthru.add", &p);
	if (!ret)
		ret = rpz_commit(c, &notices);
	if (ret)
		err_set(err, ret, "domain", "cannot add '%s' to the passthru list", d.value);
	else if (out)
		*out = p;
out:
	store_rollback(c);
	rpz_rrs_release(&names);
	return ret;
}

int rpz_passthru_remove(struct store_conn *c, int64_t id, const char *domain,
	const struct audit_event *ev, struct err_msg *err)
{
	struct rpz_notices notices = RPZ_NOTICES_INIT;
	struct rpz_rrs names = RPZ_RRS_INIT;
	struct rpz_passthru p;
	struct ident d;
	int ret = 0;

	if (!id) {
		ret = rpz_domain_parse(domain ? domain : "", domain ? strlen(domain) : 0, &d,
			"domain", err);
		if (ret)
			return ret;
	}
	ret = store_begin(c);
	if (!ret)
		ret = entry_get(c, id, id ? NULL : d.value, &p);
	if (ret == ERR_NOTFOUND) {
		err_set(err, ret, id ? "id" : "domain", "not on the passthru list");
		goto out;
	}
	if (!ret)
		ret = store_exec(c, "DELETE FROM rpz_passthru WHERE id = ?", "i", p.id) < 0 ? ERR_STORE
											    : 0;
	if (!ret)
		ret = affected(c, p.domain, p.subdomains, &names);
	if (!ret)
		ret = apply_everywhere(c, &names, "passthru removed", &notices);
	if (!ret)
		ret = audit_entry(c, ev, "passthru.remove", &p);
	if (!ret)
		ret = rpz_commit(c, &notices);
	if (ret)
		err_set(err, ret, "domain", "cannot remove the passthru entry");
out:
	store_rollback(c);
	rpz_rrs_release(&names);
	return ret;
}

int rpz_passthru_list(struct store_conn *c, struct rpz_passthru **out, size_t *n)
{
	struct rpz_passthru *v = NULL;
	struct store_stmt *st;
	size_t count = 0;
	int ret = store_query(c, &st, PASSTHRU_COLS " ORDER BY domain", "");

	*out = NULL;
	*n = 0;
	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW) {
		v = xreallocarray(v, count + 1, sizeof(*v));
		entry_row(st, &v[count++]);
	}
	store_finish(st);
	if (ret) {
		free(v);
		return ret;
	}
	*out = v;
	*n = count;
	return 0;
}
