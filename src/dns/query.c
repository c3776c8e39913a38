/*
 * dns/query.c - one DNS message from a client, from bytes to the answer:
 *
 *   bytes ─► header check (drop: shorter than 12 bytes, or a response)
 *         ─► ldns_wire2pkt (FORMERR) ─► opcode (NOTIMP) ─► one question (FORMERR)
 *         ─► TSIG, when present (NOTAUTH: unknown key, bad MAC, clock skew)
 *         ─► zone of the name (REFUSED: none of ours, or class not IN)
 *         ─► AXFR / IXFR (access per secondary, else REFUSED)
 *            | the apex (SOA, NS: anyone)
 *            | a name below it (the secondaries' addresses only, else REFUSED:
 *              answering it may rebuild the zone's index, dns/index.c)
 *
 * Every reply is signed with the request's key when the request was signed.
 */
#include "dns/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

/* A reply built from the raw header alone, for packets ldns cannot parse. */
static void raw_error(const uint8_t *wire, struct dns_out *out, int rcode)
{
	uint8_t h[12];

	memcpy(h, wire, 2);                    /* id */
	h[2] = (uint8_t)(0x80 | (wire[2] & 0x79)); /* QR, the opcode, RD */
	h[3] = (uint8_t)rcode;
	memset(h + 4, 0, 8);
	dns_metrics_query(rcode);
	out->send(out, h, sizeof(h));
}

ldns_pkt *dns_reply_new(const struct dns_request *r, int rcode)
{
	ldns_pkt *p = ldns_pkt_new();
	ldns_rr_list *q = ldns_pkt_question(r->query);

	ldns_pkt_set_id(p, ldns_pkt_id(r->query));
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_opcode(p, ldns_pkt_get_opcode(r->query));
	ldns_pkt_set_rd(p, ldns_pkt_rd(r->query));
	ldns_pkt_set_rcode(p, (uint8_t)rcode);
	if (q && ldns_rr_list_rr_count(q) == 1) {
		ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, ldns_rr_clone(ldns_rr_list_rr(q, 0)));
	}
	if (ldns_pkt_edns(r->query))
		ldns_pkt_set_edns_udp_size(p, DNS_UDP_MAX);
	return p;
}

/* Remember the MAC of the message just signed: the next one chains on it. */
static void keep_mac(struct dns_request *r, ldns_pkt *pkt)
{
	ldns_rr *tsig = ldns_pkt_tsig(pkt);

	if (!tsig || ldns_rr_rd_count(tsig) < 4)
		return;
	ldns_rdf_deep_free(r->mac);
	r->mac = ldns_rdf_clone(ldns_rr_rdf(tsig, 3));
}

int dns_send(struct dns_request *r, ldns_pkt *pkt, bool continuation)
{
	uint8_t *wire = NULL;
	size_t len = 0;
	int ret;

	if (r->key) {
		if (ldns_pkt_tsig_sign_next(pkt, r->key->name, r->key->secret, DNS_TSIG_FUDGE_S,
			    "hmac-sha256.", r->mac, continuation) != LDNS_STATUS_OK)
			return ERR_INTERNAL;
		keep_mac(r, pkt);
	}
	if (ldns_pkt2wire(&wire, pkt, &len) != LDNS_STATUS_OK)
		return ERR_INTERNAL;
	if (!r->out->tcp && len > r->max_size && !ldns_pkt_tc(pkt)) {
		/* Too big for UDP: the header and question only, with TC set. */
		free(wire);
		ldns_pkt *tc = dns_reply_new(r, ldns_pkt_get_rcode(pkt));
		ldns_pkt_set_aa(tc, true);
		ldns_pkt_set_tc(tc, true);
		ret = dns_send(r, tc, false);
		ldns_pkt_free(tc);
		return ret;
	}
	/* even the TC reply does not fit (a huge question): the header alone */
	ret = r->out->send(r->out, wire, r->out->tcp || len <= r->max_size ? len : 12);
	free(wire);
	return ret;
}

int dns_send_free(struct dns_request *r, ldns_pkt *pkt)
{
	int ret;

	dns_metrics_query(ldns_pkt_get_rcode(pkt));
	ret = dns_send(r, pkt, false);
	ldns_pkt_free(pkt);
	return ret;
}

static int reply_rcode(struct dns_request *r, int rcode)
{
	ldns_pkt *p = dns_reply_new(r, rcode);

	return dns_send_free(r, p);
}

/*
 * An unsigned NOTAUTH carrying a TSIG RR with the error and no MAC
 * (RFC 8945 5.3.2), for an unknown key, a bad MAC or a time out of range.
 */
static int reply_tsig_error(struct dns_request *r, ldns_rr *qtsig, int error)
{
	ldns_pkt *p = dns_reply_new(r, DNS_NOTAUTH);
	ldns_rr *t = ldns_rr_new();
	uint8_t zero[2] = { 0, 0 };
	uint8_t when[6];
	uint64_t now = (uint64_t)clock_now();

	for (int i = 0; i < 6; i++)
		when[i] = (uint8_t)(now >> (8 * (5 - i)));
	ldns_rr_set_owner(t, ldns_rdf_clone(ldns_rr_owner(qtsig)));
	ldns_rr_set_type(t, LDNS_RR_TYPE_TSIG);
	ldns_rr_set_class(t, LDNS_RR_CLASS_ANY);
	ldns_rr_set_ttl(t, 0);
	ldns_rr_push_rdf(t, ldns_rdf_clone(ldns_rr_rdf(qtsig, 0)));
	ldns_rr_push_rdf(t, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_TSIGTIME, 6, when));
	ldns_rr_push_rdf(t, ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, DNS_TSIG_FUDGE_S));
	ldns_rr_push_rdf(t, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_INT16_DATA, 2, zero));
	ldns_rr_push_rdf(t, ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, ldns_pkt_id(r->query)));
	ldns_rr_push_rdf(t, ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, (uint16_t)error));
	ldns_rr_push_rdf(t, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_INT16_DATA, 2, zero));
	ldns_pkt_set_tsig(p, t);
	return dns_send_free(r, p);
}

/* 48-bit TSIG time of the rdf. */
static uint64_t tsig_time(const ldns_rdf *rdf)
{
	const uint8_t *d = ldns_rdf_data(rdf);
	uint64_t t = 0;

	if (!rdf || ldns_rdf_size(rdf) != 6)
		return 0;
	for (int i = 0; i < 6; i++)
		t = (t << 8) | d[i];
	return t;
}

/*
 * Check the request's TSIG. 0 when unsigned or valid (r->key and r->mac
 * set); else the TSIG error to answer with.
 */
static int check_tsig(struct dns_request *r, const uint8_t *wire, size_t len)
{
	ldns_rr *t = ldns_pkt_tsig(r->query);
	char name[RPZ_NAME_MAX], alg[RPZ_NAME_MAX];
	const struct dns_key *key;
	int64_t skew, fudge;

	if (!t)
		return 0;
	if (ldns_rr_rd_count(t) < 7 || dns_name_str(ldns_rr_owner(t), name, sizeof(name)) ||
		dns_name_str(ldns_rr_rdf(t, 0), alg, sizeof(alg)))
		return DNS_BADKEY;
	key = dns_acl_key(r->ctx->acl, name);
	if (!key || strcmp(alg, "hmac-sha256."))
		return DNS_BADKEY;
	if (!ldns_pkt_tsig_verify(r->query, wire, len, key->name, key->secret, NULL))
		return DNS_BADSIG;
	/* the request's fudge, but never more than ours: a captured request replays for less */
	fudge = ldns_rdf2native_int16(ldns_rr_rdf(t, 2));
	if (fudge > DNS_TSIG_FUDGE_S)
		fudge = DNS_TSIG_FUDGE_S;
	skew = clock_now() - (int64_t)tsig_time(ldns_rr_rdf(t, 1));
	if (skew > fudge || -skew > fudge)
		return DNS_BADTIME;
	r->key = key;
	r->mac = ldns_rdf_clone(ldns_rr_rdf(t, 3));
	return 0;
}

/* The zone of r->qname: the longest zone name it ends in. 0, ERR_NOTFOUND or an error. */
static int find_zone(struct dns_request *r, struct store_conn *c, struct rpz_zone_info *out)
{
	struct err_msg err = ERR_MSG_INIT;
	struct rpz_zone_info *zones = NULL;
	size_t n = 0, best = 0;
	int ret, found = -1;

	ret = rpz_zone_list(c, &zones, &n, &err);
	if (ret) {
		log_error("dns: cannot list the zones: %s", err.message);
		return ret;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(zones[i].name);
		if (dns_name_in_zone(r->qname, zones[i].name) && len > best)
			best = len, found = (int)i;
	}
	if (found >= 0)
		*out = zones[found];
	free(zones);
	return found >= 0 ? 0 : ERR_NOTFOUND;
}

static const char *xfr_name(uint16_t qtype)
{
	return qtype == LDNS_RR_TYPE_AXFR ? "AXFR" : "IXFR";
}

/* AXFR or IXFR: who is asking, then stream. */
static int transfer(struct dns_request *r, struct store_conn *c, const struct rpz_zone_info *z)
{
	const struct dns_secondary *sec = dns_acl_transfer(r->ctx->acl, r->from, r->key, z->name);
	size_t records = 0;
	bool full = r->qtype == LDNS_RR_TYPE_AXFR;
	int ret;

	if (!sec) {
		log_warn("dns: %s of %s from %s%s%s refused: %s", xfr_name(r->qtype), z->name,
			r->from_str, r->key ? " key " : "", r->key ? r->key->name : "",
			!dns_acl_known_addr(r->ctx->acl, r->from) ? "address not allowed"
			: r->key ? "no secondary at this address uses this key"
				 : "unsigned, and every secondary at this address must sign");
		dns_metrics_transfer_refused();
		return reply_rcode(r, DNS_REFUSED);
	}
	if (strcmp(r->qname, z->name))
		return reply_rcode(r, DNS_NOTAUTH); /* a transfer names a zone, not a name in it */
	if (r->qtype == LDNS_RR_TYPE_AXFR && !r->out->tcp)
		return reply_rcode(r, DNS_NOTIMP); /* AXFR is defined over TCP only (RFC 5936) */
	if (r->qtype == LDNS_RR_TYPE_AXFR)
		ret = dns_axfr(r, c, z, &records);
	else
		ret = dns_ixfr(r, c, z, &records, &full);
	if (ret) {
		log_warn("dns: %s of %s serial %u to %s (%s) failed: %s", xfr_name(r->qtype), z->name,
			z->serial, sec->name, r->from_str, err_str(ret));
		return ret;
	}
	log_info("dns: %s of %s serial %u to %s (%s%s%s, %s): %zu records, %lld ms",
		full ? "AXFR" : "IXFR", z->name, z->serial, sec->name, r->from_str,
		r->key ? ", key " : "", r->key ? r->key->name : "", r->out->tcp ? "tcp" : "udp",
		records, (long long)((clock_mono_us() - r->started_us) / 1000));
	dns_metrics_transfer(sec, !full, records);
	return 0;
}

static int dispatch(struct dns_request *r)
{
	struct rpz_zone_info z;
	struct store_conn *c;
	int ret;

	c = store_acquire(r->ctx->store);
	ret = store_begin_read(c);
	if (!ret)
		ret = find_zone(r, c, &z);
	if (ret == ERR_NOTFOUND || (!ret && r->qclass != LDNS_RR_CLASS_IN))
		ret = reply_rcode(r, DNS_REFUSED);
	else if (ret)
		ret = reply_rcode(r, DNS_SERVFAIL);
	else if (r->qtype == LDNS_RR_TYPE_AXFR || r->qtype == LDNS_RR_TYPE_IXFR)
		ret = transfer(r, c, &z);
	else if (strcmp(r->qname, z.name) && !dns_acl_known_addr(r->ctx->acl, r->from))
		ret = reply_rcode(r, DNS_REFUSED); /* the rules: for the secondaries only */
	else
		ret = dns_answer(r, c, &z);
	store_release(c);
	return ret;
}

/* Parse and check the request; returns the rcode to refuse it with, or 0. */
static int parse(struct dns_request *r, const uint8_t *wire, size_t len)
{
	ldns_rr_list *q;
	ldns_rr *rr;

	r->max_size = r->out->tcp ? DNS_TCP_MSG_MAX : 512;
	if (ldns_wire2pkt(&r->query, wire, len) != LDNS_STATUS_OK)
		return DNS_FORMERR;
	if (ldns_pkt_get_opcode(r->query) != LDNS_PACKET_QUERY)
		return DNS_NOTIMP;
	q = ldns_pkt_question(r->query);
	if (ldns_pkt_qdcount(r->query) != 1 || !q || ldns_rr_list_rr_count(q) != 1)
		return DNS_FORMERR;
	rr = ldns_rr_list_rr(q, 0);
	if (dns_name_str(ldns_rr_owner(rr), r->qname, sizeof(r->qname)))
		return DNS_FORMERR;
	r->qtype = (uint16_t)ldns_rr_get_type(rr);
	r->qclass = (uint16_t)ldns_rr_get_class(rr);
	/* the question as sent (name uncompressed, its case kept), for transfers */
	r->question_len = ldns_rdf_size(ldns_rr_owner(rr));
	if (r->question_len > 255)
		return DNS_FORMERR;
	memcpy(r->question, ldns_rdf_data(ldns_rr_owner(rr)), r->question_len);
	r->question[r->question_len++] = (uint8_t)(r->qtype >> 8);
	r->question[r->question_len++] = (uint8_t)r->qtype;
	r->question[r->question_len++] = (uint8_t)(r->qclass >> 8);
	r->question[r->question_len++] = (uint8_t)r->qclass;
	if (!r->out->tcp && ldns_pkt_edns(r->query))
		r->max_size = ldns_pkt_edns_udp_size(r->query) < 512 ? 512
			: ldns_pkt_edns_udp_size(r->query) > DNS_UDP_MAX ? DNS_UDP_MAX
			: ldns_pkt_edns_udp_size(r->query);
	return 0;
}

void dns_handle(struct dns_ctx *ctx, const uint8_t *wire, size_t len, const struct sockaddr *from,
	struct dns_out *out)
{
	struct dns_request r;
	int rcode;

	if (len < 12 || (wire[2] & 0x80))
		return; /* not even a header, or a response: never answer those */
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.out = out;
	r.from = from;
	r.started_us = clock_mono_us();
	dns_addr_str(from, r.from_str, sizeof(r.from_str));
	rcode = parse(&r, wire, len);
	if (rcode && (!r.query || rcode == DNS_FORMERR))
		raw_error(wire, out, rcode);
	else if (rcode)
		reply_rcode(&r, rcode);
	else if ((rcode = check_tsig(&r, wire, len)) != 0) {
		log_warn("dns: query from %s: TSIG %s", r.from_str,
			rcode == DNS_BADKEY ? "key unknown" : rcode == DNS_BADSIG ? "signature wrong"
									    : "time out of range");
		if (r.qtype == LDNS_RR_TYPE_AXFR || r.qtype == LDNS_RR_TYPE_IXFR)
			dns_metrics_transfer_refused();
		reply_tsig_error(&r, ldns_pkt_tsig(r.query), rcode);
	} else
		dispatch(&r);
	ldns_rdf_deep_free(r.mac);
	ldns_pkt_free(r.query);
}
