/*
 * dns/rr.c - records between the zone store's presentation format and ldns:
 * the stored RPZ records (CNAME ".", CNAME "*.", A, AAAA, CNAME redirects),
 * the synthesised SOA and NS of each zone, names, and serial arithmetic.
 */
#include "dns/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"

static ldns_rr *rr_shell(const char *owner, ldns_rr_type type, uint32_t ttl)
{
	ldns_rdf *name = ldns_dname_new_frm_str(owner);
	ldns_rr *rr;

	if (!name)
		return NULL;
	rr = ldns_rr_new();
	ldns_rr_set_owner(rr, name);
	ldns_rr_set_type(rr, type);
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	ldns_rr_set_ttl(rr, ttl);
	return rr;
}

/* The generic way through ldns's zone-file parser, for types not common in RPZ. */
static ldns_rr *rr_from_text(const struct rpz_rr *in)
{
	char type[32], line[1024];
	ldns_rr *rr = NULL;
	const ldns_rr_descriptor *d = ldns_rr_descript(in->type);

	if (d && d->_name)
		str_copy(type, sizeof(type), d->_name);
	else
		snprintf(type, sizeof(type), "TYPE%u", in->type);
	if ((size_t)snprintf(line, sizeof(line), "%s %u IN %s %s", in->owner, in->ttl, type,
		    in->rdata) >= sizeof(line))
		return NULL;
	if (ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL) != LDNS_STATUS_OK)
		return NULL;
	return rr;
}

ldns_rr *dns_rr_from_rpz(const struct rpz_rr *in)
{
	ldns_rdf_type rdf_type;
	ldns_rdf *data;
	ldns_rr *rr;

	switch (in->type) {
	case LDNS_RR_TYPE_A:
		rdf_type = LDNS_RDF_TYPE_A;
		break;
	case LDNS_RR_TYPE_AAAA:
		rdf_type = LDNS_RDF_TYPE_AAAA;
		break;
	case LDNS_RR_TYPE_CNAME:
	case LDNS_RR_TYPE_DNAME:
	case LDNS_RR_TYPE_NS:
	case LDNS_RR_TYPE_PTR:
		rdf_type = LDNS_RDF_TYPE_DNAME;
		break;
	default:
		return rr_from_text(in);
	}
	data = ldns_rdf_new_frm_str(rdf_type, in->rdata);
	if (!data)
		return NULL;
	rr = rr_shell(in->owner, (ldns_rr_type)in->type, in->ttl);
	if (!rr) {
		ldns_rdf_deep_free(data);
		return NULL;
	}
	ldns_rr_push_rdf(rr, data);
	return rr;
}

ldns_rr *dns_soa_new(const struct rpz_zone_info *z, uint32_t serial)
{
	ldns_rr *rr = rr_shell(z->name, LDNS_RR_TYPE_SOA, z->ttl);
	ldns_rdf *mname = ldns_dname_new_frm_str(z->mname);
	ldns_rdf *rname = ldns_dname_new_frm_str(z->rname);
	const uint32_t v[5] = { serial, z->refresh, z->retry, z->expire, z->minimum };

	if (!rr || !mname || !rname) {
		ldns_rr_free(rr);
		ldns_rdf_deep_free(mname);
		ldns_rdf_deep_free(rname);
		return NULL;
	}
	ldns_rr_push_rdf(rr, mname);
	ldns_rr_push_rdf(rr, rname);
	ldns_rr_push_rdf(rr, ldns_native2rdf_int32(LDNS_RDF_TYPE_INT32, v[0]));
	for (int i = 1; i < 5; i++)
		ldns_rr_push_rdf(rr, ldns_native2rdf_int32(LDNS_RDF_TYPE_PERIOD, v[i]));
	return rr;
}

ldns_rr *dns_ns_new(const struct rpz_zone_info *z)
{
	ldns_rr *rr = rr_shell(z->name, LDNS_RR_TYPE_NS, z->ttl);
	ldns_rdf *ns = ldns_dname_new_frm_str(z->mname);

	if (!rr || !ns) {
		ldns_rr_free(rr);
		ldns_rdf_deep_free(ns);
		return NULL;
	}
	ldns_rr_push_rdf(rr, ns);
	return rr;
}

int dns_name_str(const ldns_rdf *name, char *out, size_t size)
{
	char *s;
	size_t n;

	if (!name || ldns_rdf_get_type(name) != LDNS_RDF_TYPE_DNAME)
		return ERR_INVAL;
	s = ldns_rdf2str(name);
	if (!s)
		return ERR_INVAL;
	n = str_copy(out, size, s);
	free(s);
	if (n >= size)
		return ERR_INVAL;
	str_lower(out);
	return 0;
}

bool dns_name_in_zone(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);

	if (!strcmp(zone, "."))
		return true;
	if (n < z || strcmp(name + n - z, zone))
		return false;
	/* "xrpz.tw." is not in "rpz.tw.": the match must start at a label */
	return n == z || (name[n - z - 1] == '.' && (n - z < 2 || name[n - z - 2] != '\\'));
}

bool dns_serial_lt(uint32_t a, uint32_t b)
{
	return a != b && (uint32_t)(b - a) < 0x80000000u;
}
