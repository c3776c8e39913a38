/*
 * rpz/order_domain.c - the domains of an order: parsed from what people and
 * the 165 hotline's lists write (domains, IDN, defanged names, URLs), stored
 * as identifiers of the anti-fraud database, and lifted one by one when one
 * was listed by mistake.
 */
#include "rpz/internal.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "ident/ident.h"
#include "intel/intel.h"
#include "store/store.h"

/* True when s looks like a URL (or host:port) rather than a bare name. */
static bool looks_like_url(const char *s, size_t len)
{
	size_t digits = 0;

	for (size_t i = 0; i < len; i++)
		if (s[i] == '/' || s[i] == '?' || s[i] == '#' || s[i] == '@')
			return true;
	while (digits < len && s[len - 1 - digits] >= '0' && s[len - 1 - digits] <= '9')
		digits++;
	return digits && digits < len && s[len - 1 - digits] == ':'; /* "host:8066" */
}

/* The URL's host as a domain: "hxxps://www[.]bad.example/x" → "www.bad.example". */
static int host_of_url(const char *s, size_t len, struct ident *id, struct err_msg *err)
{
	struct ident url;
	int ret = ident_parse(&url, IDENT_URL, s, len, err);

	if (ret)
		return ret;
	if (url.url.host_is_ip)
		return err_set(err, ERR_INVAL, "domain", "'%s' is an IP address, not a domain",
			url.url.host);
	return ident_parse(id, IDENT_DOMAIN, url.url.host, strlen(url.url.host), err);
}

int rpz_domain_parse(const char *s, size_t len, struct ident *id, const char *field,
	struct err_msg *err)
{
	struct err_msg why = ERR_MSG_INIT;
	size_t start = 0;
	int ret;

	while (start < len && (s[start] == ' ' || s[start] == '\t'))
		start++;
	while (len > start && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	if (start == len)
		return err_set(err, ERR_INVAL, field, "empty");
	if (looks_like_url(s + start, len - start))
		ret = host_of_url(s + start, len - start, id, &why);
	else
		ret = ident_parse(id, IDENT_DOMAIN, s + start, len - start, &why);
	if (ret)
		return err_set(err, ERR_INVAL, field, "%s", why.message);
	return 0;
}

/* The owner of "*.d" in zone must still be a DNS name (253 characters before the root). */
static int check_fits(const char *d, const char *zone, const char *field, struct err_msg *err)
{
	if (strlen(d) + strlen(zone) + 2 > 253)
		return err_set(err, ERR_INVAL, field, "'%s' is too long to be a rule in zone '%s'", d,
			zone);
	return 0;
}

static int add_one(struct store_conn *c, const struct rpz_order *o, const char *raw,
	const char *field, bool *added, struct err_msg *err)
{
	char rev[RPZ_NAME_MAX];
	struct ident id;
	int64_t row;
	int ret;

	*added = false;
	ret = rpz_domain_parse(raw, strlen(raw), &id, field, err);
	if (!ret)
		ret = check_fits(id.value, o->zone, field, err);
	if (ret)
		return ret;
	ret = intel_ident_upsert(c, &id, &row);
	if (ret)
		return err_set(err, ret, field, "cannot store the identifier");
	rpz_reverse(id.value, rev, sizeof(rev));
	ret = store_exec(c,
		"INSERT INTO rpz_order_domains (order_id, domain, rev, identifier_id, raw)"
		" VALUES (?, ?, ?, ?, ?) ON CONFLICT (order_id, domain) DO NOTHING",
		"ittit", o->id, id.value, rev, row, raw);
	if (ret < 0)
		return err_set(err, ret, field, "cannot store the domain");
	*added = ret > 0;
	return 0;
}

int rpz_order_add_domains(struct store_conn *c, int64_t id, const char *const *raw, size_t n,
	rpz_bad_domain_fn bad, void *ctx, const struct audit_event *ev, size_t *added,
	struct err_msg *err)
{
	struct rpz_order o;
	struct err_msg why;
	size_t count = 0, refused = 0;
	char detail[128];
	int ret;

	ret = store_begin(c);
	if (ret)
		return err_set(err, ret, "order", "cannot start a transaction");
	ret = rpz_order_get(c, id, &o);
	if (ret)
		err_set(err, ret, "order", "no order %lld", (long long)id);
	else if (strcmp(o.state, "draft"))
		ret = err_set(err, ERR_CONFLICT, "state",
			"domains are added to a draft; order %lld is %s", (long long)id, o.state);
	for (size_t i = 0; !ret && i < n; i++) {
		char field[32];
		bool one;

		snprintf(field, sizeof(field), "domains[%zu]", i);
		err_clear(&why);
		ret = add_one(c, &o, raw[i], field, &one, &why);
		count += one;
		if (ret && bad && ret == ERR_INVAL) {
			bad(ctx, i, raw[i], &why);
			refused++;
			ret = 0;
		} else if (ret && err) {
			*err = why;
		}
	}
	snprintf(detail, sizeof(detail), "%zu added, %zu refused", count, refused);
	if (!ret)
		ret = rpz_order_event_add(c, &o, ev, "domains", o.state, detail);
	if (!ret)
		ret = rpz_order_audit(c, ev, "order.domains.add", id, detail);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	if (!ret && added)
		*added = count;
	return ret;
}

int rpz_order_lift_domain(struct store_conn *c, int64_t id, const char *domain,
	const char *reason, const struct audit_event *ev, struct err_msg *err)
{
	struct rpz_notices notices = RPZ_NOTICES_INIT;
	const char *names[1];
	char now[32], detail[RPZ_NOTE_MAX + 300];
	struct rpz_order o;
	struct ident d;
	int64_t zone_id;
	int ret = rpz_domain_parse(domain, strlen(domain), &d, "domain", err);

	if (ret)
		return ret;
	if (!reason || !*reason || strlen(reason) >= RPZ_NOTE_MAX)
		return err_set(err, ERR_INVAL, "reason", "a reason of 1 to %d bytes is required",
			RPZ_NOTE_MAX - 1);
	ret = store_begin(c);
	if (!ret)
		ret = rpz_order_get(c, id, &o);
	if (ret) {
		err_set(err, ret, "order", "no order %lld", (long long)id);
		goto out;
	}
	if (strcmp(o.state, "granted") && strcmp(o.state, "enforced")) {
		ret = err_set(err, ERR_CONFLICT, "state",
			"a domain is lifted from a granted or enforced order; order %lld is %s",
			(long long)id, o.state);
		goto out;
	}
	rpz_time(clock_now(), now);
	ret = store_exec(c,
		"UPDATE rpz_order_domains SET lifted_at = ?, lifted_by = ?, lift_reason = ?"
		" WHERE order_id = ? AND domain = ? AND lifted_at IS NULL",
		"tttit", now, ev && ev->actor ? ev->actor : "system", reason, id, d.value);
	if (ret == 0) {
		int64_t dummy;
		bool listed = !store_query_int64(c, &dummy,
			"SELECT 1 FROM rpz_order_domains WHERE order_id = ? AND domain = ?", "it", id,
			d.value);
		ret = err_set(err, listed ? ERR_CONFLICT : ERR_NOTFOUND, "domain",
			listed ? "'%s' is already lifted from order %lld" :
				 "'%s' is not on order %lld",
			d.value, (long long)id);
		goto out;
	}
	if (ret < 0)
		goto out;
	names[0] = d.value;
	snprintf(detail, sizeof(detail), "%s: %s", d.value, reason);
	ret = rpz_zone_id(c, o.zone, &zone_id);
	if (!ret)
		ret = rpz_rules_apply(c, zone_id, names, 1, clock_now(), "order domain lifted",
			&notices);
	if (!ret)
		ret = rpz_order_event_add(c, &o, ev, "lift_domain", o.state, detail);
	if (!ret)
		ret = rpz_order_audit(c, ev, "order.domain.lift", id, detail);
	if (!ret)
		ret = rpz_commit(c, &notices);
	if (ret && err && !err->message[0])
		err_set(err, ret, "order", "cannot lift '%s'", d.value);
out:
	store_rollback(c);
	return ret;
}
