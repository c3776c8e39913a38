/*
 * rpz/order.c - court orders as records: checking and creating a draft,
 * reading orders, their domains and their history. The lifecycle steps are
 * in order_state.c, the domains in order_domain.c.
 */
#include "rpz/internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

const char *const rpz_actions[] = { "nxdomain", "nodata", "redirect", NULL };
const char *const rpz_order_states[] = { "draft", "filed", "granted", "enforced", "lifted",
	"expired", NULL };

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* One address, canonical, appended to out; or a host name when alone. */
static int redirect_item(const char *item, char *out, size_t size, bool *host,
	struct err_msg *err)
{
	unsigned char addr[16];
	char text[64], abs[RPZ_NAME_MAX];
	size_t used = strlen(out);
	int af = strchr(item, ':') ? AF_INET6 : AF_INET;

	if (inet_pton(af, item, addr) == 1) {
		inet_ntop(af, addr, text, sizeof(text));
	} else if (rpz_absolute(item, abs, sizeof(abs)) == 0 && strchr(abs, '.') != abs + strlen(abs) - 1) {
		if (used)
			return err_set(err, ERR_INVAL, "redirect",
				"a host name ('%s') must be the only redirect target", item);
		*host = true;
		str_copy(text, sizeof(text), abs);
		if (strlen(abs) >= sizeof(text))
			return err_set(err, ERR_INVAL, "redirect", "host name '%s' too long", item);
	} else {
		return err_set(err, ERR_INVAL, "redirect",
			"'%s' is not an IPv4 or IPv6 address or a host name", item);
	}
	if (*host && used)
		return err_set(err, ERR_INVAL, "redirect", "a host name must be the only target");
	if (used + strlen(text) + 2 > size)
		return err_set(err, ERR_INVAL, "redirect", "too many targets");
	snprintf(out + used, size - used, "%s%s", used ? "," : "", text);
	return 0;
}

int rpz_redirect_parse(const char *s, char *out, size_t size, struct err_msg *err)
{
	const char *p = s && *s ? s : rpz_settings()->redirect;
	bool host = false;
	int items = 0;

	out[0] = '\0';
	while (*p) {
		char item[RPZ_NAME_MAX];
		size_t n = strcspn(p, ", ");

		if (n >= sizeof(item))
			return err_set(err, ERR_INVAL, "redirect", "target too long");
		if (n) {
			int ret;

			memcpy(item, p, n);
			item[n] = '\0';
			ret = redirect_item(item, out, size, &host, err);
			if (ret)
				return ret;
			if (host && items)
				return err_set(err, ERR_INVAL, "redirect",
					"a host name must be the only target");
			items++;
		}
		p += n;
		p += strspn(p, ", ");
	}
	if (!items)
		return err_set(err, ERR_INVAL, "redirect",
			"a redirect needs a target (addresses or a host name) and rpz_redirect is not set");
	if (items > RPZ_MAX_RULE_RRS)
		return err_set(err, ERR_INVAL, "redirect", "more than %d targets", RPZ_MAX_RULE_RRS);
	return 0;
}

static bool zone_configured(const char *zone)
{
	const struct rpz_settings *s = rpz_settings();

	for (size_t i = 0; i < s->nzones; i++)
		if (strcmp(s->zones[i], zone) == 0)
			return true;
	return false;
}

static int check_text(const char *s, size_t max, const char *field, struct err_msg *err)
{
	if (strlen(s) >= max)
		return err_set(err, ERR_INVAL, field, "longer than %zu bytes", max - 1);
	return 0;
}

static int check_order(struct store_conn *c, struct rpz_order *o, struct err_msg *err)
{
	char zone[RPZ_NAME_MAX], redirect[RPZ_REDIRECT_MAX];
	int64_t found;
	int ret;

	if (!o->action[0])
		str_copy(o->action, sizeof(o->action), "nxdomain");
	if (!in_list(rpz_actions, o->action))
		return err_set(err, ERR_INVAL, "action", "'%s' is not nxdomain, nodata or redirect",
			o->action);
	if (strcmp(o->action, "redirect") == 0) {
		ret = rpz_redirect_parse(o->redirect, redirect, sizeof(redirect), err);
		if (ret)
			return ret;
		str_copy(o->redirect, sizeof(o->redirect), redirect);
	} else if (o->redirect[0]) {
		return err_set(err, ERR_INVAL, "redirect", "only a redirect order has a target");
	}
	if (!o->zone[0])
		str_copy(o->zone, sizeof(o->zone), rpz_default_zone());
	if (rpz_absolute(o->zone, zone, sizeof(zone)) || !zone_configured(zone))
		return err_set(err, ERR_INVAL, "zone", "'%s' is not a configured zone (rpz_zones)",
			o->zone);
	str_copy(o->zone, sizeof(o->zone), zone);
	if (o->expires_at && o->expires_at <= (o->starts_at ? o->starts_at : clock_now()))
		return err_set(err, ERR_INVAL, "expires_at", "must be after %s",
			o->starts_at ? "starts_at" : "now");
	ret = check_text(o->court, sizeof(o->court), "court", err);
	if (!ret)
		ret = check_text(o->note, sizeof(o->note), "note", err);
	if (ret)
		return ret;
	if (o->case_id && store_query_int64(c, &found, "SELECT id FROM cases WHERE id = ?", "i",
				  o->case_id))
		return err_set(err, ERR_NOTFOUND, "case_id", "no case %lld", (long long)o->case_id);
	if (store_query_int64(c, &found, "SELECT id FROM agencies WHERE id = ?", "i", o->agency_id))
		return err_set(err, ERR_NOTFOUND, "agency", "no agency %lld", (long long)o->agency_id);
	return 0;
}

int rpz_order_audit(struct store_conn *c, const struct audit_event *ev, const char *action,
	int64_t id, const char *detail)
{
	struct audit_event e;
	char idtext[24];

	if (!ev)
		return 0;
	e = *ev;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	e.action = action;
	e.object_type = "order";
	e.object_id = idtext;
	e.detail = detail;
	return audit_append(c, &e);
}

int rpz_order_event_add(struct store_conn *c, const struct rpz_order *o,
	const struct audit_event *ev, const char *action, const char *to_state, const char *detail)
{
	char now[32];
	int ret;

	rpz_time(clock_now(), now);
	ret = store_exec(c,
		"INSERT INTO rpz_order_events (order_id, at, actor_user_id, actor, action, from_state,"
		" to_state, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		"itittttt", o->id, now, ev ? ev->actor_user_id : (int64_t)0,
		ev && ev->actor ? ev->actor : "system", action, o->state, to_state,
		detail ? detail : "");
	return ret < 0 ? ret : 0;
}

static void opt_time(int64_t t, char out[32], const char **p)
{
	rpz_time(t, out);
	*p = t ? out : NULL;
}

static int insert(struct store_conn *c, struct rpz_order *o, const char *now)
{
	static const char sql[] =
		"INSERT INTO rpz_orders (agency_id, case_id, zone, court, action, redirect,"
		" subdomains, starts_at, expires_at, state, note, created_by, created_at,"
		" updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?) RETURNING id";
	char starts[32], expires[32];
	const char *sp, *ep;
	struct store_stmt *st;
	int ret;

	opt_time(o->starts_at, starts, &sp);
	opt_time(o->expires_at, expires, &ep);
	if (o->case_id)
		ret = store_query(c, &st, sql, "iittttbtttitt", o->agency_id, o->case_id, o->zone,
			o->court, o->action, o->redirect, (int)o->subdomains, sp, ep, o->note,
			o->created_by, now, now);
	else
		ret = store_query(c, &st, sql, "inttttbtttitt", o->agency_id, o->zone, o->court,
			o->action, o->redirect, (int)o->subdomains, sp, ep, o->note, o->created_by,
			now, now);
	if (ret)
		return ret;
	ret = store_step(st) == STORE_ROW ? 0 : ERR_STORE;
	if (!ret)
		o->id = store_col_int64(st, 0);
	store_finish(st);
	return ret;
}

int rpz_order_create(struct store_conn *c, struct rpz_order *o, const struct audit_event *ev,
	struct err_msg *err)
{
	char now[32];
	int ret = check_order(c, o, err);

	if (ret)
		return ret;
	rpz_time(clock_now(), now);
	str_copy(o->created_at, sizeof(o->created_at), now);
	str_copy(o->updated_at, sizeof(o->updated_at), now);
	o->state[0] = '\0'; /* the history's first step starts from nothing */
	ret = store_begin(c);
	if (!ret)
		ret = insert(c, o, now);
	if (!ret)
		ret = rpz_order_event_add(c, o, ev, "create", "draft", o->zone);
	str_copy(o->state, sizeof(o->state), "draft");
	if (!ret)
		ret = rpz_order_audit(c, ev, "order.create", o->id, o->zone);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	if (ret && err && !err->message[0])
		err_set(err, ret, "order", "cannot store the order");
	return ret;
}
