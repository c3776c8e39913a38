/*
 * dns/ixfr.c - incremental zone transfer (RFC 1995) from the zone store's
 * journal. The answer is the current SOA, then for each serial since the
 * client's: the old SOA, the records deleted, the new SOA, the records
 * added; then the current SOA again. When the journal no longer reaches
 * back to the client's serial the whole zone is sent instead (AXFR form);
 * over UDP, an answer that does not fit one message becomes the lone
 * current SOA, which tells the client to ask again over TCP.
 */
#include "dns/internal.h"

#include "base/err.h"
#include "base/log.h"

struct ixfr_walk {
	struct dns_xfr *x;
	const struct rpz_zone_info *z;
	uint32_t prev;   /* serial the difference being written starts from */
	uint32_t cur;    /* serial it ends at */
	bool started;    /* a difference has been opened */
	bool adding;     /* its additions have begun */
	size_t changes;  /* records deleted or added */
	size_t skipped;
};

static int add_soa(struct ixfr_walk *w, uint32_t serial)
{
	return dns_xfr_add_soa(w->x, w->z, serial);
}

/* Close the open difference (an empty list of additions still needs its SOA). */
static int close_diff(struct ixfr_walk *w)
{
	int ret = 0;

	if (w->started && !w->adding)
		ret = add_soa(w, w->cur);
	if (w->started)
		w->prev = w->cur;
	w->adding = true;
	return ret;
}

static int open_diff(struct ixfr_walk *w, uint32_t serial)
{
	int ret = close_diff(w);

	if (!ret)
		ret = add_soa(w, w->prev);
	w->cur = serial;
	w->started = true;
	w->adding = false;
	return ret;
}

static int on_change(void *ctx, uint32_t serial, bool add, const struct rpz_rr *rr)
{
	struct ixfr_walk *w = ctx;
	int ret = 0;

	if (!w->started || serial != w->cur)
		ret = open_diff(w, serial);
	if (!ret && add && !w->adding) {
		ret = add_soa(w, w->cur);
		w->adding = true;
	}
	if (ret)
		return ret;
	ret = dns_xfr_add_rpz(w->x, rr);
	if (ret == ERR_INVAL) {
		if (!w->skipped++)
			log_warn("dns: skipping a journal record that does not parse: %s type %u",
				rr->owner, rr->type);
		return 0;
	}
	w->changes += !ret;
	return ret;
}

/* The client's serial from the SOA in the request's authority section. */
static int client_serial(const struct dns_request *r, uint32_t *out)
{
	ldns_rr_list *auth = ldns_pkt_authority(r->query);

	for (size_t i = 0; auth && i < ldns_rr_list_rr_count(auth); i++) {
		ldns_rr *rr = ldns_rr_list_rr(auth, i);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA && ldns_rr_rd_count(rr) >= 3 &&
			ldns_rdf_size(ldns_rr_rdf(rr, 2)) == 4) {
			*out = ldns_rdf2native_int32(ldns_rr_rdf(rr, 2));
			return 0;
		}
	}
	return ERR_PARSE;
}

/* The differences from `from`: SOA, the journal, SOA. ERR_NOTFOUND when out of reach. */
static int differences(struct dns_xfr *x, struct store_conn *c, const struct rpz_zone_info *z,
	uint32_t from, size_t *changes)
{
	struct err_msg err = ERR_MSG_INIT;
	struct ixfr_walk w = { x, z, from, from, false, false, 0, 0 };
	int ret;

	ret = add_soa(&w, z->serial);
	if (!ret)
		ret = rpz_zone_each_change(c, z->id, from, on_change, &w, &err);
	if (ret && ret != ERR_NOTFOUND && ret != ERR_LIMIT && ret != ERR_IO)
		log_error("dns: cannot read the journal of %s: %s", z->name, err.message);
	if (!ret)
		ret = close_diff(&w);
	/* serials whose change left no record in the journal: one empty difference */
	if (!ret && (!w.started || w.cur != z->serial)) {
		ret = open_diff(&w, z->serial);
		if (!ret)
			ret = close_diff(&w);
	}
	if (!ret)
		ret = add_soa(&w, z->serial);
	if (!ret)
		ret = dns_xfr_flush(x);
	*changes = w.changes;
	return ret;
}

static int lone_soa(struct dns_request *r, const struct rpz_zone_info *z)
{
	struct dns_xfr x;
	int ret;

	dns_xfr_init(&x, r, false);
	ret = dns_xfr_add_soa(&x, z, z->serial);
	if (!ret)
		ret = dns_xfr_flush(&x);
	dns_xfr_release(&x);
	return ret;
}

int dns_ixfr(struct dns_request *r, struct store_conn *c, const struct rpz_zone_info *z,
	size_t *records, bool *full)
{
	bool udp = !r->out->tcp;
	struct dns_xfr x;
	uint32_t from;
	int ret;

	*records = 0;
	*full = false;
	if (client_serial(r, &from)) {
		ldns_pkt *p = dns_reply_new(r, DNS_FORMERR);
		return dns_send_free(r, p);
	}
	if (!dns_serial_lt(from, z->serial))
		return lone_soa(r, z); /* the client is current */
	dns_xfr_init(&x, r, udp);
	ret = differences(&x, c, z, from, records);
	dns_xfr_release(&x);
	if (ret == ERR_NOTFOUND && !udp) {
		*full = true;
		dns_xfr_init(&x, r, false);
		ret = dns_axfr_into(&x, c, z);
		*records = x.records > 3 ? x.records - 3 : 0;
		dns_xfr_release(&x);
		return ret;
	}
	if ((ret == ERR_NOTFOUND || ret == ERR_LIMIT) && udp) {
		*records = 0;
		return lone_soa(r, z);
	}
	return ret;
}
