/*
 * dns/xfr.c - the messages of a zone transfer: RRs are added one by one and
 * a message is sent as soon as the next RR would not fit, so a transfer of a
 * million records holds one message in memory, never the zone. The first
 * message carries the question; each is signed, chaining MACs, when the
 * request was signed (RFC 8945 5.3.1).
 */
#include "dns/internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/err.h"

enum {
	XFR_RESERVE = 400,  /* room left for the TSIG and OPT records */
	XFR_TSIG_ROOM = 120, /* a TSIG RR with a 32-byte MAC and a name of up to 50 bytes */
};

void dns_xfr_init(struct dns_xfr *x, struct dns_request *r, bool single)
{
	memset(x, 0, sizeof(*x));
	x->req = r;
	x->single = single;
	/*
	 * Sizes are estimated without name compression, which over UDP would
	 * refuse answers that fit: there the estimate may reach four times the
	 * limit, and dns_xfr_flush() measures the real size.
	 */
	x->limit = single ? 4 * r->max_size : DNS_TCP_MSG_MAX - XFR_RESERVE;
}

static ldns_pkt *new_message(struct dns_xfr *x)
{
	ldns_pkt *p = dns_reply_new(x->req, DNS_NOERROR);

	ldns_pkt_set_aa(p, true);
	if (x->messages > 0) {
		/* the question goes in the first message only */
		ldns_rr_list_deep_free(ldns_pkt_question(p));
		ldns_pkt_set_question(p, ldns_rr_list_new());
		ldns_pkt_set_qdcount(p, 0);
	}
	return p;
}

/* Does the message fit the client's UDP size, with room for the TSIG? */
static bool fits(struct dns_xfr *x)
{
	uint8_t *wire = NULL;
	size_t len = 0;

	if (ldns_pkt2wire(&wire, x->msg, &len) != LDNS_STATUS_OK)
		return false;
	free(wire);
	return len + (x->req->key ? XFR_TSIG_ROOM : 0) <= x->req->max_size;
}

int dns_xfr_flush(struct dns_xfr *x)
{
	int ret;

	if (!x->msg)
		return 0;
	if (x->single && !fits(x))
		return ERR_LIMIT;
	ret = dns_send(x->req, x->msg, x->messages > 0);
	ldns_pkt_free(x->msg);
	x->msg = NULL;
	x->messages++;
	return ret;
}

int dns_xfr_add(struct dns_xfr *x, ldns_rr *rr)
{
	size_t size = ldns_rr_uncompressed_size(rr);
	int ret;

	if (x->msg && x->msg_bytes + size > x->limit) {
		if (x->single) {
			ldns_rr_free(rr);
			return ERR_LIMIT;
		}
		ret = dns_xfr_flush(x);
		if (ret) {
			ldns_rr_free(rr);
			return ret;
		}
	}
	if (!x->msg) {
		x->msg = new_message(x);
		x->msg_bytes = 12 + (x->messages ? 0 : strlen(x->req->qname) + 5);
	}
	ldns_pkt_push_rr(x->msg, LDNS_SECTION_ANSWER, rr);
	x->msg_bytes += size;
	x->records++;
	return 0;
}

void dns_xfr_release(struct dns_xfr *x)
{
	ldns_pkt_free(x->msg);
	x->msg = NULL;
}
