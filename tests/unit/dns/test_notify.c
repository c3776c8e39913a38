/*
 * tests/unit/dns/test_notify.c - NOTIFY (src/dns/notify.c) to a scripted
 * secondary: a UDP socket of the test that reads what rootcut sends and
 * answers, or does not. At start every zone is announced; an unanswered
 * NOTIFY is resent with the same id; a change committed in this process
 * (the zone store's listener) and one the poll finds (the listener
 * removed, as for another process) are announced with their new serial;
 * NOTIFYs to a keyed secondary are signed. Waits are bounded, never timed.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <ldns/ldns.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "base/err.h"
#include "dns/dns.h"
#include "fixture.h"
#include "rpz/zone_store.h"

static int sock = -1;
static struct dns_notifier *notifier;

static void setup(void)
{
	struct sockaddr_in a = { 0 };
	socklen_t len = sizeof(a);
	struct err_msg err = ERR_MSG_INIT;
	char secs[256];

	sock = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(sock, (struct sockaddr *)&a, sizeof(a)), 0);
	getsockname(sock, (struct sockaddr *)&a, &len);
	snprintf(secs, sizeof(secs), "isp allow=127.0.0.1 key=isp-key. notify=127.0.0.1:%u\n",
		ntohs(a.sin_port));
	fix_setup(secs, "isp-key. hmac-sha256 " KEY_SECRET "\n");
	cr_assert_eq(dns_notifier_start(fix_db, fix_acl, 50, 3, &notifier, &err), 0, "%s",
		err.message);
}

static void teardown(void)
{
	dns_notifier_stop(notifier);
	close(sock);
	fix_teardown();
}

TestSuite(notify, .init = setup, .fini = teardown);

struct notify_msg {
	uint16_t id;
	uint32_t serial;
	struct sockaddr_in from;
};

/* The next NOTIFY within 5 s (checked: opcode, question, signature); false on timeout. */
static bool next_notify(struct notify_msg *m)
{
	struct pollfd p = { sock, POLLIN, 0 };
	uint8_t buf[4096];
	socklen_t flen = sizeof(m->from);
	ldns_pkt *pkt = NULL;
	ssize_t n;
	ldns_rr *q, *soa;

	if (poll(&p, 1, 5000) != 1)
		return false;
	n = recvfrom(sock, buf, sizeof(buf), 0, (struct sockaddr *)&m->from, &flen);
	cr_assert_gt(n, 12, "a NOTIFY");
	cr_assert_eq(ldns_wire2pkt(&pkt, buf, (size_t)n), LDNS_STATUS_OK, "it parses");
	cr_assert_eq(ldns_pkt_get_opcode(pkt), LDNS_PACKET_NOTIFY, "opcode NOTIFY");
	cr_assert(ldns_pkt_aa(pkt), "AA set (RFC 1996)");
	q = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);
	cr_assert_eq(ldns_rr_get_type(q), LDNS_RR_TYPE_SOA, "question type SOA");
	cr_assert(ldns_pkt_tsig_verify(pkt, buf, (size_t)n, "isp-key.", KEY_SECRET, NULL),
		"signed with the secondary's key");
	m->id = ldns_pkt_id(pkt);
	m->serial = 0;
	soa = ldns_rr_list_rr(ldns_pkt_answer(pkt), 0);
	if (soa)
		m->serial = ldns_rdf2native_int32(ldns_rr_rdf(soa, 2));
	ldns_pkt_free(pkt);
	return true;
}

static void acknowledge(const struct notify_msg *m)
{
	uint8_t h[12] = { (uint8_t)(m->id >> 8), (uint8_t)m->id, 0x80 | (4 << 3) | 0x04, 0 };

	sendto(sock, h, sizeof(h), 0, (const struct sockaddr *)&m->from, sizeof(m->from));
}

Test(notify, announced_resent_and_on_every_change)
{
	static const char *const add1[] = { "one.example." ZONE, NULL };
	static const char *const add2[] = { "two.example." ZONE, NULL };
	struct notify_msg m, again;
	uint32_t s = fix_serial();

	cr_assert(next_notify(&m), "the zone is announced at start");
	cr_assert_eq(m.serial, s, "with its serial");
	cr_assert(next_notify(&again), "an unanswered NOTIFY is resent");
	cr_assert_eq(again.id, m.id, "with the same id");
	acknowledge(&again);

	fix_change(NULL, add1);
	cr_assert(next_notify(&m), "a change committed here is announced (listener)");
	cr_assert_eq(m.serial, s + 1, "with the new serial");
	acknowledge(&m);

	rpz_zone_set_listener(NULL, NULL); /* as if the change came from another process */
	fix_change(NULL, add2);
	cr_assert(next_notify(&m), "a change found by the poll is announced");
	cr_assert_eq(m.serial, s + 2, "with the new serial");
	acknowledge(&m);
}
