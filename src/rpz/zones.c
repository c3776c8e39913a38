/*
 * rpz/zones.c - the configured zones (feeds): the rpz_* settings, and
 * keeping the stored zones in step with them (created when missing; SOA
 * values, TTL and canary brought up to date with a serial change).
 */
#include "rpz/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "config/config.h"
#include "store/store.h"

static struct rpz_settings settings = {
	.zones = { "rpz.rootcut.tw." },
	.nzones = 1,
	.mname = "ns.rootcut.tw.",
	.rname = "hostmaster.rootcut.tw.",
	.refresh = 60,
	.retry = 60,
	.expire = 2419200,
	.minimum = 60,
	.ttl = 60,
	.journal_keep = 1000,
	.canary = "rpz-canary.rootcut.tw",
	.poll_s = 10,
};
static char config_error[128]; /* the key of a bad name in the configuration, "" if none */

const struct rpz_settings *rpz_settings(void)
{
	return &settings;
}

const char *rpz_default_zone(void)
{
	return settings.zones[0];
}

static void take_zones(const char *list)
{
	const char *p = list;

	settings.nzones = 0;
	while (*p && settings.nzones < RPZ_MAX_ZONES) {
		size_t n = strcspn(p, ", ");
		char name[RPZ_NAME_MAX];

		if (n && n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = '\0';
			if (rpz_absolute(name, settings.zones[settings.nzones], RPZ_NAME_MAX))
				str_copy(config_error, sizeof(config_error), "rpz_zones");
			else
				settings.nzones++;
		}
		p += n;
		p += strspn(p, ", ");
	}
	if (!settings.nzones) {
		str_copy(config_error, sizeof(config_error), "rpz_zones");
		str_copy(settings.zones[0], RPZ_NAME_MAX, "rpz.rootcut.tw.");
		settings.nzones = 1;
	}
}

void rpz_configure(const struct config *cfg)
{
	config_error[0] = '\0';
	take_zones(cfg->rpz_zones);
	if (rpz_absolute(cfg->rpz_mname, settings.mname, sizeof(settings.mname)))
		str_copy(config_error, sizeof(config_error), "rpz_mname");
	if (rpz_absolute(cfg->rpz_rname, settings.rname, sizeof(settings.rname)))
		str_copy(config_error, sizeof(config_error), "rpz_rname");
	settings.refresh = (uint32_t)cfg->rpz_refresh_s;
	settings.retry = (uint32_t)cfg->rpz_retry_s;
	settings.expire = (uint32_t)cfg->rpz_expire_s;
	settings.minimum = (uint32_t)cfg->rpz_minimum_s;
	settings.ttl = (uint32_t)cfg->rpz_ttl_s;
	settings.journal_keep = cfg->rpz_journal_keep;
	str_copy(settings.canary, sizeof(settings.canary), cfg->rpz_canary);
	str_lower(settings.canary);
	if (settings.canary[0] && settings.canary[strlen(settings.canary) - 1] == '.')
		settings.canary[strlen(settings.canary) - 1] = '\0';
	str_copy(settings.redirect, sizeof(settings.redirect), cfg->rpz_redirect);
	settings.poll_s = cfg->rpz_poll_s;
	rpz_lookup_hook();
}

static int check_settings(struct err_msg *err)
{
	char abs[RPZ_NAME_MAX];

	if (config_error[0])
		return err_set(err, ERR_INVAL, config_error, "not a domain name");
	if (settings.canary[0] && rpz_absolute(settings.canary, abs, sizeof(abs)))
		return err_set(err, ERR_INVAL, "rpz_canary", "'%s' is not a domain name",
			settings.canary);
	for (size_t i = 0; i < settings.nzones; i++)
		if (settings.canary[0] &&
			strlen(settings.canary) + strlen(settings.zones[i]) + 3 > 254)
			return err_set(err, ERR_INVAL, "rpz_canary", "too long for zone '%s'",
				settings.zones[i]);
	return 0;
}

struct stored_zone {
	int64_t id;
	char canary[RPZ_NAME_MAX];
	int64_t soa[6]; /* refresh, retry, expire, minimum, ttl as stored */
	char mname[RPZ_NAME_MAX], rname[RPZ_NAME_MAX];
};

static int stored(struct store_conn *c, const char *name, struct stored_zone *z)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT id, canary, refresh, retry, expire, minimum, ttl, mname, rname"
		" FROM rpz_zones WHERE name = ?",
		"t", name);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		z->id = store_col_int64(st, 0);
		str_copy(z->canary, sizeof(z->canary), store_col_text(st, 1));
		for (int i = 0; i < 5; i++)
			z->soa[i] = store_col_int64(st, 2 + i);
		str_copy(z->mname, sizeof(z->mname), store_col_text(st, 7));
		str_copy(z->rname, sizeof(z->rname), store_col_text(st, 8));
	}
	store_finish(st);
	return ret == STORE_ROW ? 0 : ret == STORE_DONE ? ERR_NOTFOUND : ret;
}

static int create(struct store_conn *c, const char *name, struct stored_zone *z)
{
	char now[32];
	int ret;

	rpz_time(clock_now(), now);
	ret = store_exec(c,
		"INSERT INTO rpz_zones (name, version, journal_floor, mname, rname, refresh, retry,"
		" expire, minimum, ttl, canary, changed_at) VALUES (?, 1, 1, ?, ?, ?, ?, ?, ?, ?, '', ?)",
		"tttiiiiit", name, settings.mname, settings.rname, (int64_t)settings.refresh,
		(int64_t)settings.retry, (int64_t)settings.expire, (int64_t)settings.minimum,
		(int64_t)settings.ttl, now);
	if (ret < 0)
		return ret;
	return stored(c, name, z);
}

static bool soa_same(const struct stored_zone *z)
{
	return z->soa[0] == settings.refresh && z->soa[1] == settings.retry &&
		z->soa[2] == settings.expire && z->soa[3] == settings.minimum &&
		z->soa[4] == settings.ttl && strcmp(z->mname, settings.mname) == 0 &&
		strcmp(z->rname, settings.rname) == 0;
}

/* Every domain with an owner in the zone, for recomputing them all (a TTL change). */
static int all_domains(struct store_conn *c, int64_t zone_id, const char *zone,
	struct rpz_rrs *names)
{
	size_t zlen = strlen(zone);
	struct store_stmt *st;
	int ret = store_query(c, &st, "SELECT DISTINCT owner FROM rpz_records WHERE zone_id = ?",
		"i", zone_id);

	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW) {
		char d[RPZ_NAME_MAX];
		const char *o = store_col_text(st, 0);
		size_t olen = strlen(o);

		if (str_has_prefix(o, "*."))
			o += 2, olen -= 2;
		if (olen <= zlen + 1)
			continue;
		memcpy(d, o, olen - zlen - 1);
		d[olen - zlen - 1] = '\0';
		rpz_rrs_add(names, d, 0, 0, "");
	}
	store_finish(st);
	return ret;
}

static int sync_zone(struct store_conn *c, const char *name, struct rpz_notices *notices)
{
	struct rpz_rrs names = RPZ_RRS_INIT;
	const char **list = NULL;
	struct stored_zone z;
	bool soa_changed, ttl_changed;
	int ret = stored(c, name, &z);

	if (ret == ERR_NOTFOUND)
		ret = create(c, name, &z);
	if (ret)
		return ret;
	soa_changed = !soa_same(&z);
	ttl_changed = z.soa[4] != settings.ttl;
	if (soa_changed) {
		ret = store_exec(c,
			"UPDATE rpz_zones SET mname = ?, rname = ?, refresh = ?, retry = ?, expire = ?,"
			" minimum = ?, ttl = ? WHERE id = ?",
			"ttiiiiii", settings.mname, settings.rname, (int64_t)settings.refresh,
			(int64_t)settings.retry, (int64_t)settings.expire, (int64_t)settings.minimum,
			(int64_t)settings.ttl, z.id);
		if (ret < 0)
			return ret;
		ret = 0;
	}
	if (ttl_changed)
		ret = all_domains(c, z.id, name, &names);
	if (!ret && z.canary[0])
		rpz_rrs_add(&names, z.canary, 0, 0, "");
	if (!ret && settings.canary[0])
		rpz_rrs_add(&names, settings.canary, 0, 0, "");
	if (!ret && strcmp(z.canary, settings.canary))
		ret = store_exec(c, "UPDATE rpz_zones SET canary = ? WHERE id = ?", "ti",
			settings.canary, z.id) < 0 ? ERR_STORE : 0;
	if (!ret && names.n) {
		list = xcalloc(names.n, sizeof(*list));
		for (size_t i = 0; i < names.n; i++)
			list[i] = names.v[i].owner;
		ret = rpz_rules_apply(c, z.id, list, names.n, clock_now(), "configuration", notices);
	}
	/* A change of the SOA values alone still needs a new serial to reach the secondaries. */
	if (!ret && soa_changed)
		ret = rpz_zone_write(c, z.id, NULL, NULL, true, "SOA values", notices);
	free(list);
	rpz_rrs_release(&names);
	return ret;
}

/* True when every configured zone is stored as configured (a read, no write lock). */
static bool in_step(struct store_conn *c)
{
	struct stored_zone z;

	for (size_t i = 0; i < settings.nzones; i++)
		if (stored(c, settings.zones[i], &z) || !soa_same(&z) ||
			strcmp(z.canary, settings.canary))
			return false;
	return true;
}

int rpz_zones_sync(struct store_conn *c, struct err_msg *err)
{
	struct rpz_notices notices = RPZ_NOTICES_INIT;
	int ret = check_settings(err);

	if (ret || (in_step(c) && !rpz_highwater_behind(c)))
		return ret;
	ret = store_begin(c);
	if (!ret)
		ret = rpz_highwater_apply(c, &notices);
	for (size_t i = 0; !ret && i < settings.nzones; i++)
		ret = sync_zone(c, settings.zones[i], &notices);
	if (!ret)
		ret = rpz_commit(c, &notices);
	store_rollback(c);
	if (ret)
		return err_set(err, ret, "rpz_zones", "cannot bring the RPZ zones up to date (%s)",
			err_str(ret));
	return 0;
}
