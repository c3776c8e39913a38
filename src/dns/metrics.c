/*
 * dns/metrics.c - Prometheus counters of the DNS primary: answers by RCODE,
 * transfers per secondary and kind, records sent, refused transfers and
 * NOTIFY outcomes. Lock-free atomics; rendered into /metrics by the HTTP
 * server (dns_metrics_render()).
 */
#include "dns/dns.h"
#include "dns/internal.h"

#include <stdatomic.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"

enum { NRCODES = 32 };

static _Atomic uint64_t by_rcode[NRCODES];
static _Atomic uint64_t transfers[DNS_SECONDARIES_MAX][2]; /* [secondary][ixfr] */
static _Atomic uint64_t transfer_records[DNS_SECONDARIES_MAX][2];
static _Atomic uint64_t refused;
static _Atomic uint64_t notifies[3];
static char names[DNS_SECONDARIES_MAX][64];
static _Atomic size_t nnames;
static _Atomic int active;

void dns_metrics_set_secondaries(const struct dns_acl *acl)
{
	size_t n = acl ? acl->nsecs : 0;

	for (size_t i = 0; i < n; i++)
		str_copy(names[i], sizeof(names[i]), acl->secs[i].name);
	atomic_store(&nnames, n);
	atomic_store(&active, 1);
}

void dns_metrics_query(int rcode)
{
	if (rcode >= 0 && rcode < NRCODES)
		atomic_fetch_add_explicit(&by_rcode[rcode], 1, memory_order_relaxed);
}

void dns_metrics_transfer(const struct dns_secondary *sec, bool ixfr, size_t records)
{
	if (!sec || sec->index < 0 || sec->index >= DNS_SECONDARIES_MAX)
		return;
	atomic_fetch_add_explicit(&transfers[sec->index][ixfr], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&transfer_records[sec->index][ixfr], records,
		memory_order_relaxed);
}

void dns_metrics_transfer_refused(void)
{
	atomic_fetch_add_explicit(&refused, 1, memory_order_relaxed);
}

void dns_metrics_notify(int outcome)
{
	if (outcome >= 0 && outcome < 3)
		atomic_fetch_add_explicit(&notifies[outcome], 1, memory_order_relaxed);
}

static const char *rcode_name(int rcode)
{
	static const char *const n[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
		"REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE" };

	return rcode < (int)(sizeof(n) / sizeof(n[0])) ? n[rcode] : "OTHER";
}

void dns_metrics_render(struct buf *out)
{
	static const char *const outcome[] = { "sent", "acknowledged", "failed" };
	size_t n = atomic_load(&nnames);

	if (!atomic_load(&active))
		return;
	buf_adds(out, "# HELP rootcut_dns_responses_total DNS responses by RCODE.\n"
		      "# TYPE rootcut_dns_responses_total counter\n");
	for (int i = 0; i < NRCODES; i++) {
		uint64_t v = atomic_load(&by_rcode[i]);
		if (v)
			buf_addf(out, "rootcut_dns_responses_total{rcode=\"%s\"} %llu\n",
				rcode_name(i), (unsigned long long)v);
	}
	buf_adds(out, "# HELP rootcut_dns_transfers_total Zone transfers served, by secondary and kind.\n"
		      "# TYPE rootcut_dns_transfers_total counter\n");
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 2; k++)
			buf_addf(out, "rootcut_dns_transfers_total{secondary=\"%s\",type=\"%s\"} %llu\n",
				names[i], k ? "ixfr" : "axfr",
				(unsigned long long)atomic_load(&transfers[i][k]));
	buf_adds(out, "# HELP rootcut_dns_transfer_records_total Records sent in zone transfers.\n"
		      "# TYPE rootcut_dns_transfer_records_total counter\n");
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 2; k++)
			buf_addf(out,
				"rootcut_dns_transfer_records_total{secondary=\"%s\",type=\"%s\"} %llu\n",
				names[i], k ? "ixfr" : "axfr",
				(unsigned long long)atomic_load(&transfer_records[i][k]));
	buf_addf(out, "# HELP rootcut_dns_transfers_refused_total Transfers refused (address, key).\n"
		      "# TYPE rootcut_dns_transfers_refused_total counter\n"
		      "rootcut_dns_transfers_refused_total %llu\n",
		(unsigned long long)atomic_load(&refused));
	buf_adds(out, "# HELP rootcut_dns_notify_total NOTIFY messages by outcome.\n"
		      "# TYPE rootcut_dns_notify_total counter\n");
	for (int k = 0; k < 3; k++)
		buf_addf(out, "rootcut_dns_notify_total{outcome=\"%s\"} %llu\n", outcome[k],
			(unsigned long long)atomic_load(&notifies[k]));
}
