/*
 * dns/xfr.c - the messages of a zone transfer, written straight into wire
 * format: RRs are appended one by one and a message is sent as soon as the
 * next RR would not fit, so a transfer of a million records holds one 64 KB
 * message in memory, never the zone.
 *
 * Why not ldns here: building an ldns_pkt per message and letting ldns
 * compress names cost 6 times Knot DNS's time for the same AXFR (80% of it
 * in ldns's compression tree; measured with callgrind on the 165 feed).
 * Every owner of an RPZ zone ends in the zone's name, so one compression
 * pointer to the apex (written once per message) does what the tree did.
 * Queries are still parsed, and single answers built, by ldns; the SOA, the
 * NS and any record type other than CNAME, A and AAAA are encoded by ldns.
 *
 * TSIG (RFC 8945 5.3.1): every message is signed; the first covers the
 * request's MAC, the message and all TSIG variables, each later one the
 * previous MAC, the message and the timers only.
 */
#include "dns/internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/mem.h"

enum {
	XFR_TSIG_ROOM = 300, /* a TSIG RR: key name and algorithm (up to 255), 61 bytes of fields */
	XFR_OPT_LEN = 11,
	/*
	 * Messages of a TCP transfer. Not the 64 KB TCP allows: dig (BIND's
	 * parser) spends more per record the bigger the message, and took 0.11 s
	 * for the 62,061-rule feed in 64 KB messages, 0.055 s in 16 KB ones
	 * (Knot DNS, which also sends about 16 KB: 0.065 s).
	 */
	XFR_MSG_SIZE = 16384,
};

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/*
 * The len bytes of name ("a.b.example", no final dot) as wire labels into
 * out (at most 254 bytes), without the root label: returns the length
 * written, or -1 for a name that needs ldns (escapes, bad labels).
 */
static int name_labels(const char *name, size_t len, uint8_t *out)
{
	size_t o = 0, i = 0;

	while (i < len) {
		size_t n = 0;
		while (i + n < len && name[i + n] != '.') {
			if (name[i + n] == '\\')
				return -1;
			n++;
		}
		if (n == 0 || n > 63 || o + n + 1 > 254)
			return -1;
		out[o++] = (uint8_t)n;
		memcpy(out + o, name + i, n);
		o += n;
		i += n + 1;
	}
	return (int)o;
}

void dns_xfr_init(struct dns_xfr *x, struct dns_request *r, bool single)
{
	size_t zlen;

	memset(x, 0, sizeof(*x));
	x->req = r;
	x->single = single;
	x->cap = single ? r->max_size : XFR_MSG_SIZE;
	x->limit = x->cap - (r->key ? XFR_TSIG_ROOM : 0) - XFR_OPT_LEN;
	x->buf = xmalloc(DNS_TCP_MSG_MAX);
	zlen = strlen(r->qname);
	x->apex_len = zlen > 1 ? name_labels(r->qname, zlen - 1, x->apex) : 0;
	if (x->apex_len < 0)
		x->apex_len = 0;
	x->apex[x->apex_len++] = 0;
}

/* Start a message: the header, and the question in the first one. */
static void begin(struct dns_xfr *x)
{
	const uint8_t *q = x->req->question;
	uint8_t *h = x->buf;

	put16(h, ldns_pkt_id(x->req->query));
	h[2] = (uint8_t)(0x80 | 0x04 | (ldns_pkt_get_opcode(x->req->query) << 3)); /* QR AA */
	h[3] = 0;
	memset(h + 4, 0, 8);
	x->len = 12;
	x->ancount = 0;
	x->apex_off = 0;
	if (x->messages == 0 && q) {
		put16(h + 4, 1);
		memcpy(x->buf + 12, q, x->req->question_len);
		x->len += x->req->question_len;
		x->apex_off = 12; /* the question's name is the zone */
	}
	x->open = true;
}

/* Append the OPT the request asked for, then sign; len grows by both. */
static int finish(struct dns_xfr *x)
{
	uint8_t *b = x->buf;

	put16(b + 6, x->ancount);
	if (ldns_pkt_edns(x->req->query)) {
		uint8_t *o = b + x->len;
		o[0] = 0;
		put16(o + 1, LDNS_RR_TYPE_OPT);
		put16(o + 3, DNS_UDP_MAX);
		put32(o + 5, 0);
		put16(o + 9, 0);
		x->len += XFR_OPT_LEN;
		put16(b + 10, 1);
	}
	return x->req->key ? dns_tsig_sign_wire(x->req, b, &x->len, DNS_TCP_MSG_MAX, x->messages > 0)
			   : 0;
}

int dns_xfr_flush(struct dns_xfr *x)
{
	int ret;

	if (!x->open)
		return 0;
	ret = finish(x);
	if (!ret && x->single && x->len > x->cap)
		return ERR_LIMIT;
	if (!ret)
		ret = x->req->out->send(x->req->out, x->buf, x->len);
	x->open = false;
	x->messages++;
	return ret;
}

/* Make room for need more bytes, sending the message when it is full. */
static int room(struct dns_xfr *x, size_t need)
{
	int ret;

	if (x->open && x->len + need > x->limit) {
		if (x->single)
			return ERR_LIMIT;
		ret = dns_xfr_flush(x);
		if (ret)
			return ret;
	}
	if (!x->open)
		begin(x);
	return x->len + need > x->limit ? ERR_LIMIT : 0;
}

/* Type, class IN, TTL, and the RDATA length at the end of the message. */
static void rr_fixed(struct dns_xfr *x, uint16_t type, uint32_t ttl, size_t rdlen)
{
	uint8_t *p = x->buf + x->len;

	put16(p, type);
	put16(p + 2, LDNS_RR_CLASS_IN);
	put32(p + 4, ttl);
	put16(p + 8, (unsigned)rdlen);
	x->len += 10;
}

int dns_xfr_add(struct dns_xfr *x, ldns_rr *rr)
{
	uint8_t *wire = NULL;
	size_t size = 0;
	int ret;

	if (ldns_rr2wire(&wire, rr, LDNS_SECTION_ANSWER, &size) != LDNS_STATUS_OK) {
		ldns_rr_free(rr);
		return ERR_INTERNAL;
	}
	ldns_rr_free(rr);
	ret = room(x, size);
	if (!ret) {
		memcpy(x->buf + x->len, wire, size);
		x->len += size;
		x->ancount++;
		x->records++;
	}
	free(wire);
	return ret;
}

/*
 * Bytes the owner takes: its labels (prefix_len + 1 for the first length
 * byte), then a pointer, or the whole apex when this message has none yet
 * (also after room() starts a new message: assume the worst).
 */
static size_t owner_cost(const struct dns_xfr *x, size_t prefix_len)
{
	return (prefix_len ? prefix_len + 1 : 0) + (x->open && x->apex_off ? 2 : (size_t)x->apex_len);
}

/* The owner: its labels below the apex, then a pointer to (or the whole) apex. */
static int put_owner(struct dns_xfr *x, const char *owner, size_t prefix_len)
{
	uint8_t labels[256];
	int n = prefix_len ? name_labels(owner, prefix_len, labels) : 0;

	if (n < 0)
		return ERR_INVAL;
	memcpy(x->buf + x->len, labels, (size_t)n);
	x->len += (size_t)n;
	if (x->apex_off) {
		put16(x->buf + x->len, 0xc000 | x->apex_off);
		x->len += 2;
	} else {
		/* a pointer reaches the first 16 KB only; past that the apex is written whole */
		x->apex_off = x->len < 0x4000 ? (uint16_t)x->len : 0;
		memcpy(x->buf + x->len, x->apex, (size_t)x->apex_len);
		x->len += (size_t)x->apex_len;
	}
	return 0;
}

/* A name's full wire form (with the root label) into out; its length, or 0. */
static size_t name_wire(const char *name, uint8_t *out)
{
	size_t n = strlen(name);
	int w = n > 1 ? name_labels(name, n - 1, out) : 0;

	if (w < 0 || n == 0 || name[n - 1] != '.')
		return 0;
	out[w] = 0;
	return (size_t)w + 1;
}

/* RDATA of the RPZ types into out: 0 and *len, or ERR_INVAL to let ldns do it. */
static int rpz_rdata(const struct rpz_rr *rr, uint8_t *out, size_t *len)
{
	switch (rr->type) {
	case LDNS_RR_TYPE_A:
		*len = 4;
		return inet_pton(AF_INET, rr->rdata, out) == 1 ? 0 : ERR_INVAL;
	case LDNS_RR_TYPE_AAAA:
		*len = 16;
		return inet_pton(AF_INET6, rr->rdata, out) == 1 ? 0 : ERR_INVAL;
	case LDNS_RR_TYPE_CNAME:
		*len = name_wire(rr->rdata, out);
		return *len ? 0 : ERR_INVAL;
	default:
		return ERR_INVAL;
	}
}

int dns_xfr_add_rpz(struct dns_xfr *x, const struct rpz_rr *rr)
{
	size_t olen = strlen(rr->owner), zlen = strlen(x->req->qname), prefix, rdlen = 0;
	uint8_t rdata[256];
	ldns_rr *l;
	int ret;

	/* owner = prefix "." zone, or the apex itself */
	prefix = olen > zlen ? olen - zlen - 1 : 0;
	if (!dns_name_in_zone(rr->owner, x->req->qname) || rpz_rdata(rr, rdata, &rdlen))
		goto generic;
	ret = room(x, owner_cost(x, prefix) + 10 + rdlen);
	if (ret)
		return ret;
	{
		size_t start = x->len;
		if (put_owner(x, rr->owner, prefix)) {
			x->len = start;
			goto generic;
		}
	}
	rr_fixed(x, rr->type, rr->ttl, rdlen);
	memcpy(x->buf + x->len, rdata, rdlen);
	x->len += rdlen;
	x->ancount++;
	x->records++;
	return 0;
generic:
	l = dns_rr_from_rpz(rr);
	return l ? dns_xfr_add(x, l) : ERR_INVAL;
}

/* An RR at the apex with the given RDATA. */
static int add_apex(struct dns_xfr *x, uint16_t type, uint32_t ttl, const uint8_t *rdata,
	size_t rdlen)
{
	int ret = room(x, owner_cost(x, 0) + 10 + rdlen);

	if (ret)
		return ret;
	put_owner(x, "", 0);
	rr_fixed(x, type, ttl, rdlen);
	memcpy(x->buf + x->len, rdata, rdlen);
	x->len += rdlen;
	x->ancount++;
	x->records++;
	return 0;
}

int dns_xfr_add_soa(struct dns_xfr *x, const struct rpz_zone_info *z, uint32_t serial)
{
	uint8_t rdata[2 * 256 + 20];
	size_t m = name_wire(z->mname, rdata), r = m ? name_wire(z->rname, rdata + m) : 0;
	const uint32_t v[5] = { serial, z->refresh, z->retry, z->expire, z->minimum };

	if (!r) {
		ldns_rr *soa = dns_soa_new(z, serial);
		return soa ? dns_xfr_add(x, soa) : ERR_INTERNAL;
	}
	for (int i = 0; i < 5; i++)
		put32(rdata + m + r + 4 * i, v[i]);
	return add_apex(x, LDNS_RR_TYPE_SOA, z->ttl, rdata, m + r + 20);
}

int dns_xfr_add_ns(struct dns_xfr *x, const struct rpz_zone_info *z)
{
	uint8_t rdata[256];
	size_t n = name_wire(z->mname, rdata);

	if (!n) {
		ldns_rr *ns = dns_ns_new(z);
		return ns ? dns_xfr_add(x, ns) : ERR_INTERNAL;
	}
	return add_apex(x, LDNS_RR_TYPE_NS, z->ttl, rdata, n);
}

void dns_xfr_release(struct dns_xfr *x)
{
	free(x->buf);
	x->buf = NULL;
	x->open = false;
}
