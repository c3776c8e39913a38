/*
 * dns/internal.h - shared by the files of src/dns/ only: the secondaries and
 * their keys (acl.c), one request being answered (query.c), the message
 * writer of transfers (xfr.c), record conversion (rr.c), the lookup index
 * for plain queries (index.c) and the counters (metrics.c).
 *
 * Data flow: socket (server.c) → dns_handle() (query.c: parse, TSIG, zone)
 * → answer.c | axfr.c | ixfr.c, which read rpz/zone_store.h → ldns wire →
 * struct dns_out → socket. notify.c runs beside it and tells secondaries.
 */
#pragma once
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "rpz/zone_store.h"

struct dns_xfr;
struct err_msg;
struct store;
struct store_conn;

enum {
	DNS_ALLOW_MAX = 16,     /* CIDRs per secondary */
	DNS_SECONDARIES_MAX = 256,
	DNS_TSIG_FUDGE_S = 300, /* seconds of clock skew accepted on a TSIG (RFC 8945) */
	DNS_UDP_MAX = 1232,     /* largest UDP answer (the DNS flag day 2020 size) */
	DNS_TCP_MSG_MAX = 65535,
};

/* RCODEs and TSIG errors used here (RFC 1035, 2136, 8945). */
enum dns_rcode {
	DNS_NOERROR = 0,
	DNS_FORMERR = 1,
	DNS_SERVFAIL = 2,
	DNS_NXDOMAIN = 3,
	DNS_NOTIMP = 4,
	DNS_REFUSED = 5,
	DNS_NOTAUTH = 9,
	DNS_BADSIG = 16,
	DNS_BADKEY = 17,
	DNS_BADTIME = 18,
};

/* ---- secondaries and TSIG keys (acl.c) ---- */

struct dns_key {
	char name[RPZ_NAME_MAX]; /* absolute, lower case: "hinet-rpz." */
	char secret[256];        /* base64 HMAC-SHA256 secret; never logged */
	uint8_t raw[192];        /* the same secret decoded */
	size_t raw_len;
};

struct dns_cidr {
	int family;              /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	int bits;
};

struct dns_secondary {
	char name[64];                       /* label in logs and metrics: "hinet" */
	struct dns_cidr allow[DNS_ALLOW_MAX]; /* who may transfer as this secondary */
	size_t nallow;
	const struct dns_key *key;           /* must sign with it; NULL: address alone */
	struct sockaddr_storage notify;      /* where NOTIFY goes */
	socklen_t notify_len;                /* 0: send no NOTIFY */
	char zones[512];                     /* comma-separated zone names, "" for every zone */
	int index;                           /* position in the file, for metrics */
};

struct dns_acl {
	struct dns_key *keys;
	size_t nkeys;
	struct dns_secondary *secs;
	size_t nsecs;
};

/*
 * Read the secondaries file (one secondary a line: NAME allow=CIDR[,CIDR…]
 * [key=KEYNAME] [notify=ADDR[:PORT]] [zones=ZONE[,ZONE…]]) and the key file
 * (one key a line: NAME hmac-sha256 BASE64), either path "" for none. The
 * key file must not be readable by group or others. Returns 0 and a new
 * *out (free with dns_acl_free()), or ERR_INVAL/ERR_IO with file:line in err.
 */
int dns_acl_load(const char *secondaries_path, const char *keys_path, struct dns_acl **out,
	struct err_msg *err);
/* Parse the two texts instead of files (tests; name_* for messages). */
int dns_acl_parse(const char *secondaries, const char *keys, struct dns_acl **out,
	struct err_msg *err);
void dns_acl_free(struct dns_acl *acl);
/* The key named name (absolute, any case), or NULL. */
const struct dns_key *dns_acl_key(const struct dns_acl *acl, const char *name);
/*
 * The secondary that may transfer zone from addr having signed with key
 * (NULL: unsigned): its allow list holds addr, its key is exactly key, and
 * zone is one of its zones. NULL when there is none.
 */
const struct dns_secondary *dns_acl_transfer(const struct dns_acl *acl,
	const struct sockaddr *addr, const struct dns_key *key, const char *zone);
/* True when some secondary's allow list holds addr (to tell REFUSED reasons apart). */
bool dns_acl_known_addr(const struct dns_acl *acl, const struct sockaddr *addr);
/* True when sec takes zone. */
bool dns_secondary_has_zone(const struct dns_secondary *sec, const char *zone);
/* Parse "1.2.3.4", "1.2.3.0/24", "2001:db8::/32" into out. 0 or ERR_INVAL. */
int dns_cidr_parse(const char *s, struct dns_cidr *out);
bool dns_cidr_match(const struct dns_cidr *c, const struct sockaddr *addr);
/* Parse "ADDR", "ADDR:PORT", "[V6]:PORT" or "V6" into ss (port default_port). */
int dns_addr_parse(const char *s, int default_port, struct sockaddr_storage *ss, socklen_t *len);
/* "127.0.0.1" or "::1" of addr into out. */
void dns_addr_str(const struct sockaddr *addr, char *out, size_t size);

/* ---- one request (query.c) ---- */

/* Where responses go: one call per DNS message (TCP adds the length prefix). */
struct dns_out {
	int (*send)(struct dns_out *o, const uint8_t *wire, size_t len);
	bool tcp;
};

/* What answering needs: the store, the secondaries, the lookup index. */
struct dns_ctx {
	struct store *store;
	const struct dns_acl *acl;
	struct dns_index_cache *cache;
};

struct dns_request {
	struct dns_ctx *ctx;
	struct dns_out *out;
	const struct sockaddr *from;
	char from_str[64];
	ldns_pkt *query;
	char qname[RPZ_NAME_MAX]; /* lower case, absolute */
	uint16_t qtype, qclass;
	uint8_t question[260];    /* the question in wire format (name as sent, type, class) */
	size_t question_len;
	size_t max_size;          /* largest message to the client */
	const struct dns_key *key; /* the request was signed with it (verified) */
	ldns_rdf *mac;            /* the MAC to chain the next signed message on */
	int64_t started_us;
};

/*
 * Answer the DNS message wire (len bytes) that came from `from` over UDP or
 * TCP (out->tcp), sending every response through out. Anything shorter than
 * a header, and responses, are dropped; malformed queries get FORMERR,
 * opcodes other than QUERY NOTIMP, names outside the zones REFUSED.
 * Never trusts wire: safe for any bytes (the fuzz target calls it).
 */
void dns_handle(struct dns_ctx *ctx, const uint8_t *wire, size_t len, const struct sockaddr *from,
	struct dns_out *out);

/* A response shell for r: id, QR, AA, opcode, rcode and the question copied. */
ldns_pkt *dns_reply_new(const struct dns_request *r, int rcode);
/*
 * Sign pkt when the request was signed (chaining MACs: continuation is true
 * for the second and later messages of a transfer), convert it to wire and
 * send it. Frees nothing. Returns 0 or ERR_IO.
 */
int dns_send(struct dns_request *r, ldns_pkt *pkt, bool continuation);
/* dns_send() then ldns_pkt_free(), for single replies. */
int dns_send_free(struct dns_request *r, ldns_pkt *pkt);

/* ---- answers (answer.c, axfr.c, ixfr.c) ---- */

/* Answer a plain query for r->qname in zone z. */
int dns_answer(struct dns_request *r, struct store_conn *c, const struct rpz_zone_info *z);
/* Stream the whole zone z (AXFR, or an IXFR answered in full). */
int dns_axfr(struct dns_request *r, struct store_conn *c, const struct rpz_zone_info *z,
	size_t *records);
/* The whole zone into x (SOA, NS, records, SOA), then flush. */
int dns_axfr_into(struct dns_xfr *x, struct store_conn *c, const struct rpz_zone_info *z);
/*
 * Answer an IXFR from the client's serial (in the request's authority
 * section): the journal's differences, a lone SOA when the client is
 * current, the full zone when the journal does not reach back, or over UDP
 * a lone SOA when the differences do not fit one message. *full tells
 * whether the full zone was sent.
 */
int dns_ixfr(struct dns_request *r, struct store_conn *c, const struct rpz_zone_info *z,
	size_t *records, bool *full);

/* ---- transfer messages (xfr.c) ---- */

/* Fills DNS messages one by one and sends each when the next RR would not fit. */
struct dns_xfr {
	struct dns_request *req;
	uint8_t *buf;        /* the message being filled (DNS_TCP_MSG_MAX bytes) */
	size_t len;          /* its length so far */
	size_t cap;          /* largest message: 64 KB, or the client's UDP size */
	size_t limit;        /* cap less room for the OPT and TSIG records */
	uint8_t apex[256];   /* the zone's name in wire format */
	int apex_len;
	uint16_t apex_off;   /* where the apex is in this message, 0 before it is */
	uint16_t ancount;
	bool open;           /* a message is being filled */
	bool single;         /* UDP: one message only; what does not fit fails ERR_LIMIT */
	size_t messages;     /* messages sent */
	size_t records;      /* RRs added */
};

void dns_xfr_init(struct dns_xfr *x, struct dns_request *r, bool single);
/* Add rr (ownership taken, also on failure). 0, ERR_IO, or ERR_LIMIT when single. */
int dns_xfr_add(struct dns_xfr *x, ldns_rr *rr);
/* Add a stored record (the request's qname must be the zone). ERR_INVAL when its data is bad. */
int dns_xfr_add_rpz(struct dns_xfr *x, const struct rpz_rr *rr);
/* Add the zone's SOA with serial, or its NS, compressed against the apex. */
int dns_xfr_add_soa(struct dns_xfr *x, const struct rpz_zone_info *z, uint32_t serial);
int dns_xfr_add_ns(struct dns_xfr *x, const struct rpz_zone_info *z);
/* Send the message being filled (if any); ERR_LIMIT when single and it is too big. */
int dns_xfr_flush(struct dns_xfr *x);
/* Free the buffer. */
void dns_xfr_release(struct dns_xfr *x);

/*
 * Sign the message of *len bytes in buf (at most cap) with the request's
 * key and append the TSIG RR: the first message of an answer covers the
 * request's MAC and every TSIG variable, a continuation the previous MAC
 * and the timers (RFC 8945). Updates r->mac. 0 or ERR_LIMIT.
 */
int dns_tsig_sign_wire(struct dns_request *r, uint8_t *buf, size_t *len, size_t cap,
	bool continuation);

/* ---- records (rr.c) ---- */

/* A new ldns RR from a stored record, or NULL when its data does not parse. */
ldns_rr *dns_rr_from_rpz(const struct rpz_rr *rr);
/* The SOA of z with serial, and the NS at its apex. */
ldns_rr *dns_soa_new(const struct rpz_zone_info *z, uint32_t serial);
ldns_rr *dns_ns_new(const struct rpz_zone_info *z);
/* A dname rdf to presentation format, lower case, absolute, into out. 0 or ERR_INVAL. */
int dns_name_str(const ldns_rdf *name, char *out, size_t size);
/* True when name is zone or below it (both absolute, lower case). */
bool dns_name_in_zone(const char *name, const char *zone);
/* RFC 1982: a is older than b. */
bool dns_serial_lt(uint32_t a, uint32_t b);

/* ---- the lookup index of plain queries (index.c) ---- */

struct dns_index_cache;
struct dns_index_cache *dns_index_cache_new(void);
void dns_index_cache_free(struct dns_index_cache *cache);

/* The records of one name, found in the index. */
struct dns_lookup {
	enum { DNS_LOOKUP_NXDOMAIN, DNS_LOOKUP_EMPTY, DNS_LOOKUP_FOUND } kind;
	bool wildcard;              /* found through "*.<closest encloser>" */
	struct rpz_rr *rrs;         /* malloc'ed copies (owner, rdata in the same block) */
	size_t n;
};

/*
 * Look name up in zone z as of c's snapshot (the index is rebuilt when z's
 * serial changed). Fills *out; free it with dns_lookup_release().
 */
int dns_index_lookup(struct dns_index_cache *cache, struct store_conn *c,
	const struct rpz_zone_info *z, const char *name, struct dns_lookup *out);
void dns_lookup_release(struct dns_lookup *l);

/* ---- counters (metrics.c) ---- */

void dns_metrics_set_secondaries(const struct dns_acl *acl);
void dns_metrics_query(int rcode);
void dns_metrics_transfer(const struct dns_secondary *sec, bool ixfr, size_t records);
void dns_metrics_transfer_refused(void);
void dns_metrics_notify(int outcome); /* 0 sent, 1 acknowledged, 2 given up */
