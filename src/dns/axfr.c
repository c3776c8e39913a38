/*
 * dns/axfr.c - a full zone transfer (RFC 5936): SOA, NS, every stored
 * record as of the request's read snapshot, SOA again, streamed straight
 * from the store's walk into messages (dns/xfr.c).
 */
#include "dns/internal.h"

#include "base/err.h"
#include "base/log.h"

struct axfr_walk {
	struct dns_xfr *x;
	size_t skipped;
};

static int add_stored(void *ctx, const struct rpz_rr *rr)
{
	struct axfr_walk *w = ctx;
	int ret = dns_xfr_add_rpz(w->x, rr);

	if (ret == ERR_INVAL) {
		if (!w->skipped++)
			log_warn("dns: skipping a record that does not parse: %s type %u",
				rr->owner, rr->type);
		return 0;
	}
	return ret;
}

int dns_axfr_into(struct dns_xfr *x, struct store_conn *c, const struct rpz_zone_info *z)
{
	struct err_msg err = ERR_MSG_INIT;
	struct axfr_walk w = { x, 0 };
	int ret;

	ret = dns_xfr_add_soa(x, z, z->serial);
	if (!ret)
		ret = dns_xfr_add_ns(x, z);
	if (!ret) {
		ret = rpz_zone_each_rr(c, z->id, add_stored, &w, &err);
		if (ret && ret != ERR_IO && ret != ERR_LIMIT)
			log_error("dns: cannot read zone %s: %s", z->name, err.message);
	}
	if (!ret)
		ret = dns_xfr_add_soa(x, z, z->serial);
	if (!ret)
		ret = dns_xfr_flush(x);
	return ret;
}

int dns_axfr(struct dns_request *r, struct store_conn *c, const struct rpz_zone_info *z,
	size_t *records)
{
	struct dns_xfr x;
	int ret;

	dns_xfr_init(&x, r, false);
	ret = dns_axfr_into(&x, c, z);
	*records = x.records > 3 ? x.records - 3 : 0;
	dns_xfr_release(&x);
	return ret;
}
