/*
 * dns/tsig.c - signing the messages of a zone transfer with TSIG
 * (RFC 8945, HMAC-SHA256) in wire format, for dns/xfr.c. Requests are
 * verified, and single answers signed, by ldns (query.c); the two agree on
 * the MAC chain through r->mac, kept as ldns keeps it (MAC size + MAC).
 */
#include "dns/internal.h"

#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/mem.h"

static const uint8_t hmac_sha256[] = { 11, 'h', 'm', 'a', 'c', '-', 's', 'h', 'a', '2', '5', '6',
	0 };

static size_t put_name(uint8_t *p, const char *name)
{
	ldns_rdf *rdf = ldns_dname_new_frm_str(name);
	size_t n = rdf ? ldns_rdf_size(rdf) : 0;

	if (rdf)
		memcpy(p, ldns_rdf_data(rdf), n);
	ldns_rdf_deep_free(rdf);
	return n;
}

static void put48(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 6; i++)
		p[i] = (uint8_t)(v >> (8 * (5 - i)));
}

/* The digest input: prior MAC, message, then all TSIG variables or the timers only. */
static size_t digest_input(const struct dns_request *r, const uint8_t *msg, size_t len,
	const uint8_t *key_name, size_t key_len, uint64_t now, bool timers_only, uint8_t *out)
{
	size_t o = 0;

	if (r->mac) {
		memcpy(out, ldns_rdf_data(r->mac), ldns_rdf_size(r->mac));
		o = ldns_rdf_size(r->mac);
	}
	memcpy(out + o, msg, len);
	o += len;
	if (!timers_only) {
		memcpy(out + o, key_name, key_len);
		o += key_len;
		out[o++] = 0, out[o++] = LDNS_RR_CLASS_ANY; /* class ANY */
		memset(out + o, 0, 4);                     /* TTL 0 */
		o += 4;
		memcpy(out + o, hmac_sha256, sizeof(hmac_sha256));
		o += sizeof(hmac_sha256);
	}
	put48(out + o, now);
	out[o + 6] = DNS_TSIG_FUDGE_S >> 8, out[o + 7] = DNS_TSIG_FUDGE_S & 0xff;
	o += 8;
	if (!timers_only) {
		memset(out + o, 0, 4); /* error 0, other length 0 */
		o += 4;
	}
	return o;
}

int dns_tsig_sign_wire(struct dns_request *r, uint8_t *buf, size_t *len, size_t cap,
	bool continuation)
{
	uint8_t key_name[256], mac[CRYPTO_SHA256_LEN], mac_rdf[2 + CRYPTO_SHA256_LEN];
	size_t key_len = put_name(key_name, r->key->name);
	size_t need = key_len + 10 + sizeof(hmac_sha256) + 16 + sizeof(mac);
	uint64_t now = (uint64_t)clock_now();
	uint8_t *input, *p;
	size_t n;

	if (!key_len || *len + need > cap)
		return ERR_LIMIT;
	input = xmalloc(*len + 2 + sizeof(mac) + 512);
	n = digest_input(r, buf, *len, key_name, key_len, now, continuation, input);
	crypto_hmac_sha256(r->key->raw, r->key->raw_len, input, n, mac);
	free(input);
	/* the TSIG RR */
	p = buf + *len;
	memcpy(p, key_name, key_len);
	p += key_len;
	p[0] = 0, p[1] = LDNS_RR_TYPE_TSIG, p[2] = 0, p[3] = LDNS_RR_CLASS_ANY;
	memset(p + 4, 0, 4);
	n = sizeof(hmac_sha256) + 16 + sizeof(mac);
	p[8] = (uint8_t)(n >> 8), p[9] = (uint8_t)n;
	p += 10;
	memcpy(p, hmac_sha256, sizeof(hmac_sha256));
	p += sizeof(hmac_sha256);
	put48(p, now);
	p[6] = DNS_TSIG_FUDGE_S >> 8, p[7] = DNS_TSIG_FUDGE_S & 0xff;
	p[8] = 0, p[9] = sizeof(mac);
	memcpy(p + 10, mac, sizeof(mac));
	p += 10 + sizeof(mac);
	p[0] = buf[0], p[1] = buf[1]; /* original id */
	memset(p + 2, 0, 4);          /* error, other length */
	*len += need;
	/* ARCOUNT + 1 */
	n = ((size_t)buf[10] << 8 | buf[11]) + 1;
	buf[10] = (uint8_t)(n >> 8), buf[11] = (uint8_t)n;
	/* the next message chains on this MAC */
	mac_rdf[0] = 0, mac_rdf[1] = sizeof(mac);
	memcpy(mac_rdf + 2, mac, sizeof(mac));
	ldns_rdf_deep_free(r->mac);
	r->mac = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_INT16_DATA, sizeof(mac_rdf), mac_rdf);
	explicit_bzero(mac, sizeof(mac));
	return 0;
}
