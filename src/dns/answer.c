/*
 * dns/answer.c - authoritative answers to plain queries for the RPZ zones:
 * the SOA and NS at the apex, the stored records (a CNAME answers every
 * type), NODATA or NXDOMAIN with the SOA in the authority section
 * (negative caching, RFC 2308), wildcards as RFC 4592 defines them.
 */
#include "dns/internal.h"

#include <string.h>

#include "base/err.h"

static void push(ldns_pkt *p, ldns_pkt_section s, ldns_rr *rr)
{
	if (rr)
		ldns_pkt_push_rr(p, s, rr);
}

static void apex(ldns_pkt *p, const struct dns_request *r, const struct rpz_zone_info *z)
{
	bool any = r->qtype == LDNS_RR_TYPE_ANY;

	if (r->qtype == LDNS_RR_TYPE_SOA || any)
		push(p, LDNS_SECTION_ANSWER, dns_soa_new(z, z->serial));
	if (r->qtype == LDNS_RR_TYPE_NS || any)
		push(p, LDNS_SECTION_ANSWER, dns_ns_new(z));
}

/* The found records that answer qtype: those of the type, else a CNAME. */
static void records(ldns_pkt *p, const struct dns_request *r, const struct dns_lookup *l)
{
	size_t added = 0;

	for (size_t i = 0; i < l->n; i++)
		if (l->rrs[i].type == r->qtype || r->qtype == LDNS_RR_TYPE_ANY) {
			push(p, LDNS_SECTION_ANSWER, dns_rr_from_rpz(&l->rrs[i]));
			added++;
		}
	for (size_t i = 0; !added && i < l->n; i++)
		if (l->rrs[i].type == LDNS_RR_TYPE_CNAME)
			push(p, LDNS_SECTION_ANSWER, dns_rr_from_rpz(&l->rrs[i]));
}

static void negative(ldns_pkt *p, const struct rpz_zone_info *z)
{
	ldns_rr *soa = dns_soa_new(z, z->serial);

	if (!soa)
		return;
	if (z->minimum < z->ttl)
		ldns_rr_set_ttl(soa, z->minimum);
	ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, soa);
}

int dns_answer(struct dns_request *r, struct store_conn *c, const struct rpz_zone_info *z)
{
	struct dns_lookup l;
	ldns_pkt *p;
	int ret;

	ret = dns_index_lookup(r->ctx->cache, c, z, r->qname, &l);
	if (ret)
		return dns_send_free(r, dns_reply_new(r, DNS_SERVFAIL));
	p = dns_reply_new(r, l.kind == DNS_LOOKUP_NXDOMAIN ? DNS_NXDOMAIN : DNS_NOERROR);
	ldns_pkt_set_aa(p, true);
	if (!strcmp(r->qname, z->name))
		apex(p, r, z);
	if (l.kind == DNS_LOOKUP_FOUND)
		records(p, r, &l);
	if (ldns_pkt_ancount(p) == 0)
		negative(p, z);
	dns_lookup_release(&l);
	return dns_send_free(r, p);
}
