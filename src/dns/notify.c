/*
 * dns/notify.c - NOTIFY (RFC 1996) to the secondaries whenever a zone's
 * serial changes, so resolvers fetch the IXFR within moments instead of at
 * their next SOA refresh.
 *
 * How a change is noticed:
 *   1. committed in this process: the zone store calls notice_change()
 *      (rpz_zone_set_listener), which wakes the thread at once;
 *   2. committed by another process (the CLI): every poll_ms the thread takes
 *      a store_stamp() of its own connection; only when it moved are the
 *      zones listed and their serials compared with the last ones seen.
 *   At start every zone is announced once (a secondary may have missed
 *   changes while the primary was down).
 *
 * Each (secondary, zone) has at most one NOTIFY in flight: a newer serial
 * replaces it. One is retried with a doubling interval (1 s, 2 s, 4 s …)
 * until acknowledged (a response with its id from the address it went to)
 * or `retries` resends, then given up and logged.
 */
#include "dns/dns.h"
#include "dns/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

enum { NOTIFY_FIRST_RETRY_MS = 1000 };

struct pending {
	const struct dns_secondary *sec;
	char zone[RPZ_NAME_MAX];
	uint32_t serial;
	uint16_t id;
	int sent;          /* times sent */
	int64_t due_ms;    /* monotonic time of the next resend */
	int64_t first_ms;  /* when the first was sent */
};

struct known_serial {
	char zone[RPZ_NAME_MAX];
	uint32_t serial;
};

struct dns_notifier {
	struct store *db;          /* its own one-connection store, for the stamp */
	const struct dns_acl *acl;
	int64_t poll_ms;
	int retries;
	int fd4, fd6;
	int wake[2];
	pthread_t thread;
	atomic_bool stop;
	atomic_bool changed;       /* set by the listener */
	struct store_stamp stamp;
	bool have_stamp;
	struct known_serial *known;
	size_t nknown;
	struct pending *pend;
	size_t npend;
};

static uint16_t random_id(void)
{
	uint16_t id = 0;

	if (crypto_random(&id, sizeof(id)))
		id = (uint16_t)clock_mono_us();
	return id;
}

/* The question "zone IN SOA" (name taken). */
static ldns_rr *question(ldns_rdf *name)
{
	ldns_rr *q = ldns_rr_new();

	ldns_rr_set_owner(q, name);
	ldns_rr_set_type(q, LDNS_RR_TYPE_SOA);
	ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
	ldns_rr_set_question(q, true);
	return q;
}

static int send_notify(struct dns_notifier *n, struct pending *p,
	const struct rpz_zone_info *z)
{
	const struct dns_secondary *s = p->sec;
	int fd = s->notify.ss_family == AF_INET6 ? n->fd6 : n->fd4;
	ldns_pkt *pkt = ldns_pkt_new();
	ldns_rdf *name = ldns_dname_new_frm_str(p->zone);
	uint8_t *wire = NULL;
	size_t len = 0;
	int ret = ERR_INTERNAL;

	if (fd < 0 || !name)
		goto out;
	ldns_pkt_set_id(pkt, p->id);
	ldns_pkt_set_opcode(pkt, LDNS_PACKET_NOTIFY);
	ldns_pkt_set_aa(pkt, true);
	ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, question(name));
	name = NULL;
	if (z) {
		ldns_rr *soa = dns_soa_new(z, p->serial);
		if (soa)
			ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, soa);
	}
	if (s->key && ldns_pkt_tsig_sign(pkt, s->key->name, s->key->secret, DNS_TSIG_FUDGE_S,
			      "hmac-sha256.", NULL) != LDNS_STATUS_OK)
		goto out;
	if (ldns_pkt2wire(&wire, pkt, &len) != LDNS_STATUS_OK)
		goto out;
	if (sendto(fd, wire, len, 0, (const struct sockaddr *)&s->notify, s->notify_len) < 0)
		log_warn("dns: cannot send NOTIFY of %s to %s: %s", p->zone, s->name,
			strerror(errno));
	p->sent++;
	p->due_ms = clock_mono_ms() + ((int64_t)NOTIFY_FIRST_RETRY_MS << (p->sent - 1));
	dns_metrics_notify(0);
	ret = 0;
out:
	ldns_rdf_deep_free(name);
	ldns_pkt_free(pkt);
	free(wire);
	return ret;
}

/* Announce serial of zone z to every secondary that takes it. */
static void schedule(struct dns_notifier *n, const struct rpz_zone_info *z)
{
	for (size_t i = 0; i < n->acl->nsecs; i++) {
		const struct dns_secondary *s = &n->acl->secs[i];
		struct pending *p = NULL;
		if (!s->notify_len || !dns_secondary_has_zone(s, z->name))
			continue;
		for (size_t k = 0; k < n->npend && !p; k++)
			if (n->pend[k].sec == s && !strcmp(n->pend[k].zone, z->name))
				p = &n->pend[k];
		if (!p) {
			n->pend = xreallocarray(n->pend, n->npend + 1, sizeof(*n->pend));
			p = &n->pend[n->npend++];
			memset(p, 0, sizeof(*p));
			p->sec = s;
			str_copy(p->zone, sizeof(p->zone), z->name);
		}
		p->serial = z->serial;
		p->id = random_id();
		p->sent = 0;
		p->first_ms = clock_mono_ms();
		log_info("dns: NOTIFY %s serial %u to %s", z->name, z->serial, s->name);
		send_notify(n, p, z);
	}
}

static void drop_pending(struct dns_notifier *n, size_t k)
{
	n->pend[k] = n->pend[--n->npend];
}

static struct known_serial *known(struct dns_notifier *n, const char *zone)
{
	for (size_t i = 0; i < n->nknown; i++)
		if (!strcmp(n->known[i].zone, zone))
			return &n->known[i];
	return NULL;
}

/* List the zones; announce those whose serial is not the one last seen. */
static void check_zones(struct dns_notifier *n, bool force)
{
	struct err_msg err = ERR_MSG_INIT;
	struct rpz_zone_info *zones = NULL;
	struct store_conn *c = store_acquire(n->db);
	struct store_stamp now;
	size_t nz = 0;
	int ret;

	ret = store_stamp(c, &now);
	if (!ret && !force && n->have_stamp && store_stamp_equal(&now, &n->stamp))
		goto out; /* nothing was committed since the last look */
	if (!ret)
		ret = rpz_zone_list(c, &zones, &nz, &err);
	if (ret) {
		log_error("dns: cannot list the zones for NOTIFY: %s", err.message);
		goto out;
	}
	n->stamp = now;
	n->have_stamp = true;
	for (size_t i = 0; i < nz; i++) {
		struct known_serial *k = known(n, zones[i].name);
		if (k && k->serial == zones[i].serial)
			continue;
		if (!k) {
			n->known = xreallocarray(n->known, n->nknown + 1, sizeof(*n->known));
			k = &n->known[n->nknown++];
			str_copy(k->zone, sizeof(k->zone), zones[i].name);
		}
		k->serial = zones[i].serial;
		schedule(n, &zones[i]);
	}
out:
	free(zones);
	store_release(c);
}

/* A response to one of our NOTIFYs? */
static void receive(struct dns_notifier *n, int fd)
{
	uint8_t buf[4096];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	ssize_t len = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
	ldns_pkt *pkt = NULL;

	if (len < 12 || ldns_wire2pkt(&pkt, buf, (size_t)len) != LDNS_STATUS_OK)
		return;
	for (size_t k = 0; k < n->npend; k++) {
		struct pending *p = &n->pend[k];
		const struct sockaddr *to = (const struct sockaddr *)&p->sec->notify;
		struct dns_cidr exact;
		char addr[64];
		if (p->id != ldns_pkt_id(pkt) || !ldns_pkt_qr(pkt) ||
			ldns_pkt_get_opcode(pkt) != LDNS_PACKET_NOTIFY)
			continue;
		dns_addr_str(to, addr, sizeof(addr));
		if (dns_cidr_parse(addr, &exact) || !dns_cidr_match(&exact, (struct sockaddr *)&from))
			continue;
		if (ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOERROR) {
			log_debug("dns: NOTIFY %s serial %u acknowledged by %s in %lld ms", p->zone,
				p->serial, p->sec->name, (long long)(clock_mono_ms() - p->first_ms));
			dns_metrics_notify(1);
		} else {
			log_warn("dns: NOTIFY %s serial %u answered rcode %d by %s", p->zone,
				p->serial, ldns_pkt_get_rcode(pkt), p->sec->name);
			dns_metrics_notify(2);
		}
		drop_pending(n, k);
		break;
	}
	ldns_pkt_free(pkt);
}

static void resend_due(struct dns_notifier *n)
{
	int64_t now = clock_mono_ms();

	for (size_t k = 0; k < n->npend;) {
		struct pending *p = &n->pend[k];
		if (p->due_ms > now) {
			k++;
			continue;
		}
		if (p->sent > n->retries) {
			log_warn("dns: NOTIFY %s serial %u to %s not acknowledged after %d tries",
				p->zone, p->serial, p->sec->name, p->sent);
			dns_metrics_notify(2);
			drop_pending(n, k);
			continue;
		}
		send_notify(n, p, NULL);
		k++;
	}
}

static int next_timeout(struct dns_notifier *n, int64_t next_poll)
{
	int64_t now = clock_mono_ms(), due = next_poll;

	for (size_t k = 0; k < n->npend; k++)
		if (n->pend[k].due_ms < due)
			due = n->pend[k].due_ms;
	return due <= now ? 0 : (int)(due - now);
}

static void *run(void *arg)
{
	struct dns_notifier *n = arg;
	int64_t next_poll = 0;
	bool first = true;

	while (!atomic_load(&n->stop)) {
		struct pollfd pfd[3] = { { n->wake[0], POLLIN, 0 }, { n->fd4, POLLIN, 0 },
			{ n->fd6, POLLIN, 0 } };
		char drain[64];
		if (poll(pfd, 3, next_timeout(n, next_poll)) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN)
			while (read(n->wake[0], drain, sizeof(drain)) > 0)
				;
		if (atomic_load(&n->stop))
			break;
		if (pfd[1].revents & POLLIN)
			receive(n, n->fd4);
		if (pfd[2].revents & POLLIN)
			receive(n, n->fd6);
		if (atomic_exchange(&n->changed, false) || clock_mono_ms() >= next_poll) {
			check_zones(n, first);
			first = false;
			next_poll = clock_mono_ms() + n->poll_ms;
		}
		resend_due(n);
	}
	return NULL;
}

/* Called by the zone store after a commit in this process (any thread). */
static void notice_change(void *ctx, const char *zone, uint32_t serial)
{
	struct dns_notifier *n = ctx;
	ssize_t w = 0;

	(void)zone;
	(void)serial;
	atomic_store(&n->changed, true);
	w = write(n->wake[1], "x", 1);
	(void)w; /* a full pipe already means "wake up" */
}

static int udp_socket(int family)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd >= 0 && family == AF_INET6) {
		int on = 1;
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	}
	return fd;
}

int dns_notifier_start(struct store *db, const struct dns_acl *acl, int64_t poll_ms, int retries,
	struct dns_notifier **out, struct err_msg *err)
{
	struct store_options opt = STORE_OPTIONS_DEFAULT;
	struct dns_notifier *n = xcalloc(1, sizeof(*n));
	int ret;

	opt.pool_size = 1;
	n->acl = acl;
	n->poll_ms = poll_ms;
	n->retries = retries;
	n->fd4 = udp_socket(AF_INET);
	n->fd6 = udp_socket(AF_INET6);
	n->wake[0] = n->wake[1] = -1;
	ret = store_open(store_path(db), &opt, &n->db, err);
	if (ret)
		goto fail;
	if (pipe2(n->wake, O_CLOEXEC | O_NONBLOCK)) {
		ret = err_set(err, ERR_IO, "dns", "cannot create a pipe: %s", strerror(errno));
		goto fail;
	}
	if (pthread_create(&n->thread, NULL, run, n)) {
		ret = err_set(err, ERR_INTERNAL, "dns", "cannot start the NOTIFY thread");
		goto fail;
	}
	rpz_zone_set_listener(notice_change, n);
	*out = n;
	return 0;
fail:
	close(n->wake[0]);
	close(n->wake[1]);
	close(n->fd4);
	close(n->fd6);
	store_close(n->db);
	free(n);
	return ret;
}

void dns_notifier_stop(struct dns_notifier *n)
{
	ssize_t w = 0;

	if (!n)
		return;
	rpz_zone_set_listener(NULL, NULL);
	atomic_store(&n->stop, true);
	w = write(n->wake[1], "x", 1);
	(void)w;
	pthread_join(n->thread, NULL);
	close(n->wake[0]);
	close(n->wake[1]);
	if (n->fd4 >= 0)
		close(n->fd4);
	if (n->fd6 >= 0)
		close(n->fd6);
	store_close(n->db);
	free(n->known);
	free(n->pend);
	free(n);
}
