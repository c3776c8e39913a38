/*
 * rpz/export.c - a zone as a master file (RFC 1035 §5) for operators who
 * serve it from their own BIND, Knot or NSD: $ORIGIN and $TTL, the SOA and
 * NS at the apex, then every rule with relative owners, from one snapshot.
 */
#include "rpz/rpz.h"

#include <string.h>

#include "base/err.h"
#include "rpz/internal.h"
#include "store/store.h"

struct out {
	FILE *f;
	const char *zone;
	size_t zlen;
};

static const char *type_name(uint16_t type)
{
	return type == RPZ_TYPE_A ? "A" : type == RPZ_TYPE_AAAA ? "AAAA" : "CNAME";
}

static int put_rr(void *ctx, const struct rpz_rr *rr)
{
	struct out *o = ctx;
	size_t len = strlen(rr->owner);
	int rel = (int)(len > o->zlen + 1 ? len - o->zlen - 1 : len);

	if (len > o->zlen + 1 && strcmp(rr->owner + len - o->zlen, o->zone) == 0)
		fprintf(o->f, "%-40.*s %u IN %-5s %s\n", rel, rr->owner, (unsigned)rr->ttl,
			type_name(rr->type), rr->rdata);
	else
		fprintf(o->f, "%-40s %u IN %-5s %s\n", rr->owner, (unsigned)rr->ttl,
			type_name(rr->type), rr->rdata);
	return ferror(o->f) ? ERR_IO : 0;
}

int rpz_export(struct store_conn *c, const char *zone, FILE *f, struct err_msg *err)
{
	struct rpz_zone_info z;
	struct out o = { f, NULL, 0 };
	char when[32];
	int ret = store_begin_read(c);

	if (ret)
		return err_set(err, ret, "zone", "cannot read the zones");
	ret = rpz_zone_get(c, zone ? zone : rpz_default_zone(), &z, err);
	if (ret)
		goto out;
	o.zone = z.name;
	o.zlen = strlen(z.name);
	rpz_time(z.changed_at, when);
	fprintf(f, "; RPZ zone %s, serial %u, changed %s, %zu rules\n", z.name, z.serial, when,
		z.records);
	fprintf(f, "$ORIGIN %s\n$TTL %u\n", z.name, z.ttl);
	fprintf(f, "@ %u IN SOA %s %s ( %u %u %u %u %u )\n", z.ttl, z.mname, z.rname, z.serial,
		z.refresh, z.retry, z.expire, z.minimum);
	fprintf(f, "@ %u IN NS %s\n", z.ttl, z.mname);
	ret = rpz_zone_each_rr(c, z.id, put_rr, &o, err);
	if (ret == ERR_IO || (!ret && (fflush(f) || ferror(f))))
		ret = err_set(err, ERR_IO, "out", "cannot write the zone file");
out:
	store_rollback(c);
	return ret;
}
