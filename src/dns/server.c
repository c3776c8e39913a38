/*
 * dns/server.c - the sockets and threads of the DNS primary, beside the
 * HTTP server in `rootcut serve`:
 *
 *   UDP thread  ── recvfrom ─► dns_handle() ─► sendto
 *   TCP thread  ── accept ─► one thread per connection (at most
 *                  dns_tcp_clients): length-prefixed messages until the
 *                  client closes or is idle for DNS_TCP_IDLE_S
 *   NOTIFY thread (notify.c)
 *
 * Stopping: a flag and a byte on the wake pipe end the UDP and TCP loops;
 * shutdown() on every open connection ends its transfer; then all are joined.
 */
#include "dns/dns.h"
#include "dns/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "config/config.h"
#include "store/store.h"

enum { DNS_TCP_IDLE_S = 10, DNS_TCP_SEND_TIMEOUT_S = 60 };

struct tcp_conn {
	struct dns_server *srv;
	int fd;
	struct sockaddr_storage from;
	pthread_t thread;
	atomic_bool done;
	struct tcp_conn *next;
};

struct dns_server {
	struct dns_ctx ctx;
	struct dns_acl *acl;
	struct dns_notifier *notifier;
	int udp_fd, tcp_fd;
	int wake[2];
	int port;
	int64_t max_clients;
	pthread_t udp_thread, tcp_thread;
	bool udp_started, tcp_started;
	atomic_bool stop;
	pthread_mutex_t lock; /* conns */
	struct tcp_conn *conns;
	int nconns;
};

/* ---- UDP ---- */

struct udp_out {
	struct dns_out out;
	int fd;
	const struct sockaddr *to;
	socklen_t tolen;
};

static int udp_send(struct dns_out *o, const uint8_t *wire, size_t len)
{
	struct udp_out *u = (struct udp_out *)o;

	return sendto(u->fd, wire, len, 0, u->to, u->tolen) < 0 ? ERR_IO : 0;
}

static void *udp_loop(void *arg)
{
	struct dns_server *srv = arg;
	uint8_t *buf = xmalloc(65536);

	while (!atomic_load(&srv->stop)) {
		struct pollfd pfd[2] = { { srv->udp_fd, POLLIN, 0 }, { srv->wake[0], POLLIN, 0 } };
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		struct udp_out u;
		ssize_t n;
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (!(pfd[0].revents & POLLIN))
			continue;
		n = recvfrom(srv->udp_fd, buf, 65536, MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
		if (n < 0)
			continue;
		u.out.send = udp_send;
		u.out.tcp = false;
		u.fd = srv->udp_fd;
		u.to = (const struct sockaddr *)&from;
		u.tolen = flen;
		dns_handle(&srv->ctx, buf, (size_t)n, (const struct sockaddr *)&from, &u.out);
	}
	free(buf);
	return NULL;
}

/* ---- TCP ---- */

struct tcp_out {
	struct dns_out out;
	int fd;
};

static int write_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t w = writev(fd, iov, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return ERR_IO;
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++, n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

static int tcp_send(struct dns_out *o, const uint8_t *wire, size_t len)
{
	struct tcp_out *t = (struct tcp_out *)o;
	uint8_t prefix[2] = { (uint8_t)(len >> 8), (uint8_t)len };
	struct iovec iov[2] = { { prefix, 2 }, { (void *)wire, len } };

	if (len > DNS_TCP_MSG_MAX)
		return ERR_LIMIT;
	return write_all(t->fd, iov, 2);
}

static int read_all(int fd, uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t r = read(fd, buf, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return ERR_IO; /* closed, idle too long (SO_RCVTIMEO), or shut down */
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

static void *tcp_conn_loop(void *arg)
{
	struct tcp_conn *c = arg;
	struct tcp_out t = { { tcp_send, true }, c->fd };
	uint8_t *buf = xmalloc(65536);
	uint8_t prefix[2];

	while (!atomic_load(&c->srv->stop) && !read_all(c->fd, prefix, 2)) {
		size_t len = (size_t)prefix[0] << 8 | prefix[1];
		if (read_all(c->fd, buf, len))
			break;
		dns_handle(&c->srv->ctx, buf, len, (const struct sockaddr *)&c->from, &t.out);
	}
	free(buf);
	atomic_store(&c->done, true);
	return NULL;
}

/* Join and free the connections that ended (all of them when all is true). */
static void reap(struct dns_server *srv, bool all)
{
	struct tcp_conn **p, *dead = NULL;

	pthread_mutex_lock(&srv->lock);
	for (p = &srv->conns; *p;) {
		struct tcp_conn *c = *p;
		if (all && !atomic_load(&c->done))
			shutdown(c->fd, SHUT_RDWR);
		if (all || atomic_load(&c->done)) {
			*p = c->next;
			c->next = dead;
			dead = c;
			srv->nconns--;
		} else
			p = &c->next;
	}
	pthread_mutex_unlock(&srv->lock);
	while (dead) {
		struct tcp_conn *c = dead;
		dead = c->next;
		pthread_join(c->thread, NULL);
		close(c->fd);
		free(c);
	}
}

static void accept_one(struct dns_server *srv)
{
	struct timeval idle = { DNS_TCP_IDLE_S, 0 }, send_to = { DNS_TCP_SEND_TIMEOUT_S, 0 };
	struct tcp_conn *c = xcalloc(1, sizeof(*c));
	socklen_t flen = sizeof(c->from);

	c->srv = srv;
	c->fd = accept4(srv->tcp_fd, (struct sockaddr *)&c->from, &flen, SOCK_CLOEXEC);
	if (c->fd < 0 || srv->nconns >= srv->max_clients) {
		if (c->fd >= 0)
			close(c->fd);
		free(c);
		return;
	}
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
	setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &send_to, sizeof(send_to));
	pthread_mutex_lock(&srv->lock);
	if (pthread_create(&c->thread, NULL, tcp_conn_loop, c)) {
		pthread_mutex_unlock(&srv->lock);
		close(c->fd);
		free(c);
		return;
	}
	c->next = srv->conns;
	srv->conns = c;
	srv->nconns++;
	pthread_mutex_unlock(&srv->lock);
}

static void *tcp_loop(void *arg)
{
	struct dns_server *srv = arg;

	while (!atomic_load(&srv->stop)) {
		struct pollfd pfd[2] = { { srv->tcp_fd, POLLIN, 0 }, { srv->wake[0], POLLIN, 0 } };
		if (poll(pfd, 2, 1000) < 0 && errno != EINTR)
			break;
		reap(srv, false);
		if (pfd[0].revents & POLLIN)
			accept_one(srv);
	}
	return NULL;
}

/* ---- start and stop ---- */

static int open_socket(struct dns_server *srv, const struct sockaddr_storage *ss, socklen_t len,
	int type, struct err_msg *err)
{
	int fd = socket(ss->ss_family, type | SOCK_CLOEXEC, 0), on = 1;
	struct sockaddr_storage bound = *ss;

	if (fd < 0)
		return err_set(err, ERR_IO, "dns_listen", "cannot open a socket: %s",
			strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	/* TCP takes the port UDP was given when the configured one was 0 */
	if (type == SOCK_STREAM && srv->port) {
		if (bound.ss_family == AF_INET)
			((struct sockaddr_in *)&bound)->sin_port = htons((uint16_t)srv->port);
		else
			((struct sockaddr_in6 *)&bound)->sin6_port = htons((uint16_t)srv->port);
	}
	if (bind(fd, (struct sockaddr *)&bound, len) ||
		(type == SOCK_STREAM && listen(fd, 64))) {
		int e = errno;
		close(fd);
		return err_set(err, ERR_IO, "dns_listen", "cannot listen on %s: %s",
			type == SOCK_STREAM ? "TCP" : "UDP", strerror(e));
	}
	if (type == SOCK_DGRAM) {
		struct sockaddr_storage got;
		socklen_t glen = sizeof(got);
		getsockname(fd, (struct sockaddr *)&got, &glen);
		srv->port = ntohs(got.ss_family == AF_INET ? ((struct sockaddr_in *)&got)->sin_port
							   : ((struct sockaddr_in6 *)&got)->sin6_port);
		srv->udp_fd = fd;
	} else
		srv->tcp_fd = fd;
	return 0;
}

static int open_sockets(struct dns_server *srv, const char *listen, struct err_msg *err)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int ret;

	if (dns_addr_parse(listen, 53, &ss, &len) || !strchr(listen, ':'))
		return err_set(err, ERR_INVAL, "dns_listen",
			"'%s' is not ADDR:PORT (IPv6 as [::1]:53)", listen);
	ret = open_socket(srv, &ss, len, SOCK_DGRAM, err);
	if (!ret)
		ret = open_socket(srv, &ss, len, SOCK_STREAM, err);
	if (!ret && pipe2(srv->wake, O_CLOEXEC | O_NONBLOCK))
		ret = err_set(err, ERR_IO, "dns", "cannot create a pipe: %s", strerror(errno));
	return ret;
}

static int start_threads(struct dns_server *srv, struct err_msg *err)
{
	srv->udp_started = !pthread_create(&srv->udp_thread, NULL, udp_loop, srv);
	srv->tcp_started = srv->udp_started && !pthread_create(&srv->tcp_thread, NULL, tcp_loop, srv);
	if (!srv->tcp_started)
		return err_set(err, ERR_INTERNAL, "dns", "cannot start the DNS threads");
	return 0;
}

int dns_server_start(const struct config *cfg, struct store *db, struct dns_server **out,
	struct err_msg *err)
{
	struct dns_server *srv = xcalloc(1, sizeof(*srv));
	int ret;

	srv->udp_fd = srv->tcp_fd = srv->wake[0] = srv->wake[1] = -1;
	srv->max_clients = cfg->dns_tcp_clients;
	pthread_mutex_init(&srv->lock, NULL);
	ret = dns_acl_load(cfg->dns_secondaries, cfg->dns_tsig_keys, &srv->acl, err);
	if (!ret)
		ret = open_sockets(srv, cfg->dns_listen, err);
	if (ret)
		goto fail;
	srv->ctx.store = db;
	srv->ctx.acl = srv->acl;
	srv->ctx.cache = dns_index_cache_new();
	dns_metrics_set_secondaries(srv->acl);
	ret = dns_notifier_start(db, srv->acl, cfg->dns_poll_ms, (int)cfg->dns_notify_retries,
		&srv->notifier, err);
	if (!ret)
		ret = start_threads(srv, err);
	if (ret)
		goto fail;
	log_info("dns: RPZ primary on %s (UDP and TCP port %d), %zu secondaries, %zu TSIG keys",
		cfg->dns_listen, srv->port, srv->acl->nsecs, srv->acl->nkeys);
	*out = srv;
	return 0;
fail:
	dns_server_stop(srv);
	return ret;
}

void dns_server_stop(struct dns_server *srv)
{
	ssize_t w = 0;

	if (!srv)
		return;
	atomic_store(&srv->stop, true);
	if (srv->wake[1] >= 0)
		w = write(srv->wake[1], "x", 1);
	(void)w;
	if (srv->udp_started)
		pthread_join(srv->udp_thread, NULL);
	if (srv->tcp_started)
		pthread_join(srv->tcp_thread, NULL);
	reap(srv, true);
	dns_notifier_stop(srv->notifier);
	for (int i = 0; i < 2; i++)
		if (srv->wake[i] >= 0)
			close(srv->wake[i]);
	if (srv->udp_fd >= 0)
		close(srv->udp_fd);
	if (srv->tcp_fd >= 0)
		close(srv->tcp_fd);
	dns_index_cache_free(srv->ctx.cache);
	dns_acl_free(srv->acl);
	pthread_mutex_destroy(&srv->lock);
	free(srv);
}

int dns_server_port(const struct dns_server *srv)
{
	return srv->port;
}
