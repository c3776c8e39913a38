/*
 * tests/unit/dns/test_query.c - the DNS primary's packet handling
 * (src/dns/query.c and the answers behind it) on a real store: plain
 * answers, refusals, malformed packets, AXFR and IXFR with and without
 * TSIG, access per secondary. Queries are built and responses read with
 * ldns; records are written through the zone store's writer
 * (rpz/internal.h: the tests need exact serials, not orders).
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <ldns/ldns.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "config/config.h"
#include "dns/internal.h"
#include "rpz/internal.h"
#include "rpz/rpz.h"
#include "store/store.h"
#include "fixture.h"
#include "testutil.h"


static ldns_rdf *request_mac; /* the MAC of the last signed request */

/* Responses captured from dns_handle(). */
struct capture {
	struct dns_out out;
	ldns_pkt *msgs[64];
	uint8_t *wire[64];
	size_t len[64];
	size_t n;
};

static int capture_send(struct dns_out *o, const uint8_t *wire, size_t len)
{
	struct capture *c = (struct capture *)o;

	cr_assert_lt(c->n, 64, "too many messages");
	c->wire[c->n] = malloc(len);
	memcpy(c->wire[c->n], wire, len);
	c->len[c->n] = len;
	cr_assert_eq(ldns_wire2pkt(&c->msgs[c->n], wire, len), LDNS_STATUS_OK,
		"a response does not parse");
	c->n++;
	return 0;
}

static void capture_free(struct capture *c)
{
	for (size_t i = 0; i < c->n; i++) {
		ldns_pkt_free(c->msgs[i]);
		free(c->wire[i]);
	}
	c->n = 0;
}

static void setup(void)
{
	fix_setup("isp allow=127.0.0.1 key=isp-key.\n"
		  "open allow=10.0.0.0/8,2001:db8::/32\n",
		"isp-key. hmac-sha256 " KEY_SECRET "\n");
}

static void teardown(void)
{
	ldns_rdf_deep_free(request_mac);
	request_mac = NULL;
	fix_teardown();
}

TestSuite(dns, .init = setup, .fini = teardown);

static struct sockaddr_storage addr(const char *s)
{
	struct sockaddr_storage ss;
	socklen_t len;

	cr_assert_eq(dns_addr_parse(s, 53, &ss, &len), 0, "address '%s'", s);
	return ss;
}

/* Ask name/type from `from` (over TCP when tcp); sign with key when not NULL. */
static void ask(struct capture *c, const char *name, ldns_rr_type type, const char *from,
	bool tcp, const char *key, ldns_rr *authority)
{
	ldns_pkt *q = NULL;
	uint8_t *wire = NULL;
	size_t len;
	struct sockaddr_storage ss = addr(from);

	memset(c, 0, sizeof(*c));
	c->out.send = capture_send;
	c->out.tcp = tcp;
	cr_assert_eq(ldns_pkt_query_new_frm_str(&q, name, type, LDNS_RR_CLASS_IN, 0),
		LDNS_STATUS_OK);
	ldns_pkt_set_id(q, 4242);
	if (authority)
		ldns_pkt_push_rr(q, LDNS_SECTION_AUTHORITY, authority);
	if (key) {
		cr_assert_eq(ldns_pkt_tsig_sign(q, "isp-key.", key, 300, "hmac-sha256.", NULL),
			LDNS_STATUS_OK);
		ldns_rdf_deep_free(request_mac);
		request_mac = ldns_rdf_clone(ldns_rr_rdf(ldns_pkt_tsig(q), 3));
	}
	cr_assert_eq(ldns_pkt2wire(&wire, q, &len), LDNS_STATUS_OK);
	dns_handle(&fix_ctx, wire, len, (struct sockaddr *)&ss, &c->out);
	free(wire);
	ldns_pkt_free(q);
}

static void raw(struct capture *c, const uint8_t *wire, size_t len)
{
	struct sockaddr_storage ss = addr("192.0.2.1");

	memset(c, 0, sizeof(*c));
	c->out.send = capture_send;
	dns_handle(&fix_ctx, wire, len, (struct sockaddr *)&ss, &c->out);
}

static int rcode(const struct capture *c)
{
	cr_assert_eq(c->n, 1, "one response expected, got %zu", c->n);
	return ldns_pkt_get_rcode(c->msgs[0]);
}

static size_t answers(const struct capture *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += ldns_pkt_ancount(c->msgs[i]);
	return n;
}

static char *first_answer(const struct capture *c)
{
	return ldns_rr2str(ldns_rr_list_rr(ldns_pkt_answer(c->msgs[0]), 0));
}

Test(dns, soa_at_the_apex)
{
	struct capture c;
	ldns_rr *soa;

	ask(&c, ZONE, LDNS_RR_TYPE_SOA, "192.0.2.1", false, NULL, NULL);
	cr_assert_eq(rcode(&c), LDNS_RCODE_NOERROR, "SOA " ZONE);
	cr_assert(ldns_pkt_aa(c.msgs[0]), "the answer is authoritative");
	cr_assert_eq(ldns_pkt_ancount(c.msgs[0]), 1);
	soa = ldns_rr_list_rr(ldns_pkt_answer(c.msgs[0]), 0);
	cr_assert_eq(ldns_rr_get_type(soa), LDNS_RR_TYPE_SOA);
	cr_assert_eq(ldns_rdf2native_int32(ldns_rr_rdf(soa, 2)), fix_serial(), "SOA serial");
	capture_free(&c);
	ask(&c, ZONE, LDNS_RR_TYPE_NS, "192.0.2.1", false, NULL, NULL);
	cr_assert_eq(rcode(&c), LDNS_RCODE_NOERROR, "NS " ZONE);
	cr_assert_eq(ldns_pkt_ancount(c.msgs[0]), 1, "one NS");
	capture_free(&c);
}

Test(dns, names_in_the_zone)
{
	static const struct {
		const char *name;
		int rcode;
		size_t answers;
		const char *why;
	} cases[] = {
		{ "bad.example." ZONE, LDNS_RCODE_NOERROR, 1, "a stored QNAME trigger" },
		{ "BAD.Example." ZONE, LDNS_RCODE_NOERROR, 1, "names are case-insensitive" },
		{ "www.bad.example." ZONE, LDNS_RCODE_NOERROR, 1, "covered by the wildcard" },
		{ "a.b.bad.example." ZONE, LDNS_RCODE_NOERROR, 1, "the wildcard covers every depth" },
		{ "example." ZONE, LDNS_RCODE_NOERROR, 0, "an empty non-terminal is NODATA" },
		{ "under.other.example." ZONE, LDNS_RCODE_NOERROR, 0, "another empty non-terminal" },
		{ "good.example." ZONE, LDNS_RCODE_NXDOMAIN, 0, "a name not stored" },
		{ "x.deep.under.other.example." ZONE, LDNS_RCODE_NXDOMAIN, 0, "below a leaf" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct capture c;
		ask(&c, cases[i].name, LDNS_RR_TYPE_A, "10.1.2.3", false, NULL, NULL);
		cr_assert_eq(rcode(&c), cases[i].rcode, "%s: rcode (%s)", cases[i].name,
			cases[i].why);
		cr_assert_eq(ldns_pkt_ancount(c.msgs[0]), cases[i].answers, "%s: answers (%s)",
			cases[i].name, cases[i].why);
		if (!cases[i].answers) {
			cr_assert_eq(ldns_pkt_nscount(c.msgs[0]), 1, "%s: the SOA in authority",
				cases[i].name);
		} else {
			char *s = first_answer(&c);
			cr_assert(strstr(s, "CNAME\t."), "%s: CNAME . in '%s'", cases[i].name, s);
			free(s);
		}
		capture_free(&c);
	}
}

Test(dns, refused_outside_the_zones)
{
	struct capture c;

	ask(&c, "bad.example." ZONE, LDNS_RR_TYPE_A, "192.0.2.1", false, NULL, NULL);
	cr_assert_eq(rcode(&c), LDNS_RCODE_REFUSED, "the rules are for the secondaries only");
	capture_free(&c);

	ask(&c, "www.example.com.", LDNS_RR_TYPE_A, "192.0.2.1", false, NULL, NULL);
	cr_assert_eq(rcode(&c), LDNS_RCODE_REFUSED, "www.example.com is not ours");
	capture_free(&c);
	ask(&c, "xrpz.test.", LDNS_RR_TYPE_A, "192.0.2.1", false, NULL, NULL);
	cr_assert_eq(rcode(&c), LDNS_RCODE_REFUSED, "xrpz.test is not below rpz.test");
	capture_free(&c);
}

Test(dns, malformed_packets)
{
	/* id 0x1234, flags, QD AN NS AR */
	static const uint8_t short_pkt[] = { 0x12, 0x34, 0x01, 0x00, 0x00 };
	static const uint8_t response[] = { 0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
		6, 0, 1 };
	static const uint8_t truncated_q[] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 7,
		'e', 'x' };
	static const uint8_t two_questions[] = { 0x12, 0x34, 0x01, 0x00, 0, 2, 0, 0, 0, 0, 0, 0,
		0, 0, 6, 0, 1, 0, 0, 6, 0, 1 };
	static const uint8_t no_question[] = { 0x12, 0x34, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t update[] = { 0x12, 0x34, 0x28, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'r',
		'p', 'z', 4, 't', 'e', 's', 't', 0, 0, 6, 0, 1 };
	struct capture c;

	raw(&c, short_pkt, sizeof(short_pkt));
	cr_assert_eq(c.n, 0, "shorter than a header: dropped");
	raw(&c, response, sizeof(response));
	cr_assert_eq(c.n, 0, "a response: dropped");
	raw(&c, truncated_q, sizeof(truncated_q));
	cr_assert_eq(rcode(&c), LDNS_RCODE_FORMERR, "a question cut short: FORMERR");
	cr_assert_eq(ldns_pkt_id(c.msgs[0]), 0x1234, "the id is kept");
	capture_free(&c);
	raw(&c, two_questions, sizeof(two_questions));
	cr_assert_eq(rcode(&c), LDNS_RCODE_FORMERR, "two questions: FORMERR");
	capture_free(&c);
	raw(&c, no_question, sizeof(no_question));
	cr_assert_eq(rcode(&c), LDNS_RCODE_FORMERR, "no question: FORMERR");
	capture_free(&c);
	raw(&c, update, sizeof(update));
	cr_assert_eq(rcode(&c), LDNS_RCODE_NOTIMPL, "UPDATE: NOTIMP");
	cr_assert_eq(ldns_pkt_get_opcode(c.msgs[0]), LDNS_PACKET_UPDATE, "opcode echoed");
	capture_free(&c);
}

Test(dns, axfr_access)
{
	static const struct {
		const char *from;
		const char *key;
		int rcode;
		const char *why;
	} cases[] = {
		{ "10.1.2.3", NULL, LDNS_RCODE_NOERROR, "an address-only secondary" },
		{ "[2001:db8::5]", NULL, LDNS_RCODE_NOERROR, "its IPv6 range" },
		{ "192.0.2.9", NULL, LDNS_RCODE_REFUSED, "an address no secondary has" },
		{ "127.0.0.1", NULL, LDNS_RCODE_REFUSED, "the keyed secondary's address, unsigned" },
		{ "127.0.0.1", KEY_SECRET, LDNS_RCODE_NOERROR, "the keyed secondary, signed" },
		{ "127.0.0.1", "d3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmch", LDNS_RCODE_NOTAUTH,
			"signed with the wrong secret" },
		{ "192.0.2.9", KEY_SECRET, LDNS_RCODE_REFUSED, "the right key from elsewhere" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct capture c;
		ask(&c, ZONE, LDNS_RR_TYPE_AXFR, cases[i].from, true, cases[i].key, NULL);
		cr_assert_geq(c.n, 1, "%s: no response", cases[i].why);
		cr_assert_eq(ldns_pkt_get_rcode(c.msgs[0]), cases[i].rcode, "%s: rcode",
			cases[i].why);
		if (cases[i].rcode == LDNS_RCODE_NOERROR)
			cr_assert_eq(answers(&c), 3 + 3, "%s: SOA NS 3 records SOA", cases[i].why);
		capture_free(&c);
	}
}

/* Every message is signed, and ldns verifies the chain: request MAC, then each previous one. */
static void verify_chain(struct capture *c)
{
	ldns_rdf *prev = ldns_rdf_clone(request_mac);

	for (size_t i = 0; i < c->n; i++) {
		ldns_rr *t = ldns_pkt_tsig(c->msgs[i]);
		cr_assert_leq(c->len[i], 65535, "message %zu fits TCP", i);
		cr_assert_not_null(t, "message %zu is signed", i);
		cr_assert(ldns_pkt_tsig_verify_next(c->msgs[i], c->wire[i], c->len[i], "isp-key.",
				  KEY_SECRET, prev, i > 0),
			"message %zu of %zu: its MAC verifies", i, c->n);
		ldns_rdf_deep_free(prev);
		prev = ldns_rdf_clone(ldns_rr_rdf(t, 3));
	}
	ldns_rdf_deep_free(prev);
}

Test(dns, axfr_signed_response_verifies)
{
	struct capture c;

	ask(&c, ZONE, LDNS_RR_TYPE_AXFR, "127.0.0.1", true, KEY_SECRET, NULL);
	cr_assert_eq(c.n, 1);
	verify_chain(&c);
	capture_free(&c);
	ask(&c, ZONE, LDNS_RR_TYPE_SOA, "127.0.0.1", false, KEY_SECRET, NULL);
	cr_assert_eq(rcode(&c), LDNS_RCODE_NOERROR, "a signed SOA query");
	verify_chain(&c);
	capture_free(&c);
}

Test(dns, transfer_of_a_name_inside_the_zone)
{
	struct capture c;

	ask(&c, "bad.example." ZONE, LDNS_RR_TYPE_AXFR, "10.1.2.3", true, NULL, NULL);
	cr_assert_eq(rcode(&c), LDNS_RCODE_NOTAUTH, "AXFR of a name that is not a zone");
	capture_free(&c);
}

Test(dns, axfr_over_udp_is_not_done)
{
	struct capture c;

	ask(&c, ZONE, LDNS_RR_TYPE_AXFR, "10.1.2.3", false, NULL, NULL);
	cr_assert_eq(rcode(&c), LDNS_RCODE_NOTIMPL, "AXFR over UDP");
	capture_free(&c);
}

static ldns_rr *soa_of(uint32_t s)
{
	ldns_rr *rr = NULL;
	char text[256];

	snprintf(text, sizeof(text), ZONE " 60 IN SOA ns. host. %u 60 60 600 60", s);
	cr_assert_eq(ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL), LDNS_STATUS_OK);
	return rr;
}

Test(dns, ixfr_sends_the_differences)
{
	static const char *const add1[] = { "new.example." ZONE, NULL };
	static const char *const del2[] = { "bad.example." ZONE, NULL };
	uint32_t before = fix_serial();
	struct capture c;
	char *s;

	fix_change(NULL, add1);
	fix_change(del2, NULL);
	ask(&c, ZONE, LDNS_RR_TYPE_IXFR, "10.1.2.3", true, NULL, soa_of(before));
	cr_assert_eq(rcode(&c), LDNS_RCODE_NOERROR, "IXFR");
	/* SOA(new) SOA(before) SOA(before+1) new SOA(before+1) bad SOA(before+2) SOA(new) */
	cr_assert_eq(ldns_pkt_ancount(c.msgs[0]), 8, "two differences, one record each");
	s = ldns_rr_list2str(ldns_pkt_answer(c.msgs[0]));
	cr_assert(strstr(s, "new.example." ZONE), "the addition in '%s'", s);
	cr_assert(strstr(s, "bad.example." ZONE), "the deletion in '%s'", s);
	free(s);
	capture_free(&c);

	ask(&c, ZONE, LDNS_RR_TYPE_IXFR, "10.1.2.3", true, NULL, soa_of(fix_serial()));
	cr_assert_eq(rcode(&c), LDNS_RCODE_NOERROR);
	cr_assert_eq(ldns_pkt_ancount(c.msgs[0]), 1, "a current client gets one SOA");
	capture_free(&c);

	ask(&c, ZONE, LDNS_RR_TYPE_IXFR, "10.1.2.3", false, NULL, soa_of(before));
	cr_assert_eq(rcode(&c), LDNS_RCODE_NOERROR, "IXFR over UDP");
	cr_assert_eq(ldns_pkt_ancount(c.msgs[0]), 8, "small differences fit in UDP");
	capture_free(&c);
}

Test(dns, ixfr_beyond_the_journal_is_a_full_transfer)
{
	uint32_t before = fix_serial();
	struct capture c;
	char name[64];

	/* the journal keeps 5 serials (rpz_journal_keep in setup) */
	for (int i = 0; i < 8; i++) {
		const char *adds[] = { name, NULL };
		snprintf(name, sizeof(name), "n%d.example." ZONE, i);
		fix_change(NULL, adds);
	}
	ask(&c, ZONE, LDNS_RR_TYPE_IXFR, "10.1.2.3", true, NULL, soa_of(before));
	cr_assert_eq(rcode(&c), LDNS_RCODE_NOERROR, "IXFR from beyond the journal");
	cr_assert_eq(answers(&c), 3 + 3 + 8, "the whole zone: SOA NS 11 records SOA");
	capture_free(&c);

	ask(&c, ZONE, LDNS_RR_TYPE_IXFR, "10.1.2.3", false, NULL, soa_of(before));
	cr_assert_eq(rcode(&c), LDNS_RCODE_NOERROR, "the same over UDP");
	cr_assert_eq(ldns_pkt_ancount(c.msgs[0]), 1, "a lone SOA: ask again over TCP");
	capture_free(&c);
}

Test(dns, large_axfr_spans_messages)
{
	struct rpz_rrs a = RPZ_RRS_INIT;
	struct rpz_notices notices = RPZ_NOTICES_INIT;
	struct capture c;
	char name[128];

	for (int i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "domain-%05d.example." ZONE, i);
		rpz_rrs_add(&a, name, LDNS_RR_TYPE_CNAME, 60, ".");
	}
	cr_assert_eq(store_begin(fix_conn), 0);
	cr_assert_eq(rpz_zone_write(fix_conn, fix_zone_id, NULL, &a, false, "test", &notices), 0);
	cr_assert_eq(rpz_commit(fix_conn, &notices), 0);
	rpz_rrs_release(&a);
	ask(&c, ZONE, LDNS_RR_TYPE_AXFR, "127.0.0.1", true, KEY_SECRET, NULL);
	cr_assert_gt(c.n, 1, "5003 records need several messages");
	cr_assert_eq(answers(&c), 5000 + 3 + 3, "every record, SOA at both ends, NS");
	verify_chain(&c);
	capture_free(&c);
}

Test(dns, acl_files)
{
	static const struct {
		const char *secs, *keys, *field_reason;
	} bad[] = {
		{ "a allow=10.0.0.0/33\n", "", "not an address or CIDR" },
		{ "a allow=10.0.0.1 key=nope.\n", "", "no key 'nope.'" },
		{ "a allow=10.0.0.1\na allow=10.0.0.2\n", "", "listed twice" },
		{ "a\n", "", "neither allow= nor notify=" },
		{ "a allow=10.0.0.1 color=red\n", "", "unknown option" },
		{ "", "k. hmac-md5 " KEY_SECRET "\n", "is not hmac-sha256" },
		{ "", "k. hmac-sha256 !!!\n", "not base64" },
		{ "a notify=10.0.0.1:99999\n", "", "not ADDR[:PORT]" },
	};
	struct dns_acl *a = NULL;
	struct sockaddr_storage ss = addr("10.9.9.9");

	for (size_t i = 0; i < N_ELEMS(bad); i++) {
		struct err_msg err = ERR_MSG_INIT;
		cr_assert_eq(dns_acl_parse(bad[i].secs, bad[i].keys, &a, &err), ERR_INVAL,
			"'%s' / '%s' is refused", bad[i].secs, bad[i].keys);
		cr_assert(strstr(err.message, bad[i].field_reason), "'%s': message '%s' has '%s'",
			bad[i].secs, err.message, bad[i].field_reason);
	}
	cr_assert_eq(dns_acl_parse("# comment\n\nz allow=10.0.0.0/8 zones=one.test,two.test. "
				   "notify=[2001:db8::1]:5300\n",
			     NULL, &a, NULL),
		0);
	cr_assert(dns_acl_transfer(a, (struct sockaddr *)&ss, NULL, "one.test."), "zone one");
	cr_assert(dns_acl_transfer(a, (struct sockaddr *)&ss, NULL, "two.test."), "zone two");
	cr_assert_null(dns_acl_transfer(a, (struct sockaddr *)&ss, NULL, "three.test."),
		"a zone the secondary does not take");
	cr_assert_eq(a->secs[0].notify.ss_family, AF_INET6, "notify address");
	dns_acl_free(a);
}

Test(dns, tsig_time_out_of_range)
{
	struct capture c;

	/* the request is signed now (ldns uses the real clock); the server's clock is 10 min ahead */
	clock_set_fake_ms(((int64_t)time(NULL) + 600) * 1000);
	ask(&c, ZONE, LDNS_RR_TYPE_AXFR, "127.0.0.1", true, KEY_SECRET, NULL);
	clock_set_fake_ms(-1);
	cr_assert_eq(rcode(&c), LDNS_RCODE_NOTAUTH, "a signature 10 minutes old");
	cr_assert_not_null(ldns_pkt_tsig(c.msgs[0]), "the NOTAUTH carries the TSIG error");
	cr_assert_eq(ldns_rdf2native_int16(ldns_rr_rdf(ldns_pkt_tsig(c.msgs[0]), 5)), 18,
		"error BADTIME");
	capture_free(&c);
}
