/*
 * rpz/seized.c - is a domain under a court order right now? The answer the
 * lookup service gives as risk "seized" (intel/lookup.c asks through the
 * hook rpz_configure() sets), read from the zones as published, so that it
 * agrees with what the resolvers enforce: passthru, subdomain coverage,
 * expiry and lifted domains all count exactly as they do in DNS.
 *
 * In each zone the most specific trigger decides (RPZ's precedence): the
 * exact owner "name.zone." first, then the wildcards "*.parent.zone." from
 * the closest parent up. A rule other than "CNAME rpz-passthru." blocks. The
 * name is seized when some zone blocks it.
 */
#include "rpz/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident/ident.h"
#include "intel/intel.h"
#include "store/store.h"

/* The rule at owner in zone: 1 blocks, 0 passthru, -1 none (or an error). */
static int rule_at(struct store_conn *c, int64_t zone_id, const char *owner)
{
	struct store_stmt *st;
	int verdict = -1;

	if (store_query(c, &st, "SELECT rdata FROM rpz_records WHERE zone_id = ? AND owner = ?",
		    "it", zone_id, owner))
		return -1;
	while (store_step(st) == STORE_ROW)
		if (verdict != 1)
			verdict = strcmp(store_col_text(st, 0), "rpz-passthru.") ? 1 : 0;
	store_finish(st);
	return verdict;
}

static bool zone_blocks(struct store_conn *c, const struct rpz_zone_info *z, const char *name)
{
	char owner[2 * RPZ_NAME_MAX];
	const char *parent;
	int verdict;

	snprintf(owner, sizeof(owner), "%s.%s", name, z->name);
	verdict = rule_at(c, z->id, owner);
	for (parent = strchr(name, '.'); verdict < 0 && parent; parent = strchr(parent + 1, '.')) {
		snprintf(owner, sizeof(owner), "*%s.%s", parent, z->name);
		verdict = rule_at(c, z->id, owner);
	}
	return verdict == 1;
}

bool rpz_name_seized(struct store_conn *c, const char *name)
{
	struct rpz_zone_info *zones = NULL;
	size_t n = 0;
	bool seized = false;

	if (!name[0] || strlen(name) >= RPZ_NAME_MAX || rpz_zone_list(c, &zones, &n, NULL))
		return false;
	for (size_t i = 0; i < n && !seized; i++)
		seized = zone_blocks(c, &zones[i], name);
	free(zones);
	return seized;
}

/* The lookup service's question: domains by their name, URLs by their host. */
static bool ident_seized(struct store_conn *c, const struct ident *id)
{
	if (id->type == IDENT_DOMAIN)
		return rpz_name_seized(c, id->value);
	if (id->type == IDENT_URL && !id->url.host_is_ip)
		return rpz_name_seized(c, id->url.host);
	return false;
}

void rpz_lookup_hook(void)
{
	intel_lookup_set_seized(ident_seized);
}
