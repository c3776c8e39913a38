/*
 * dns/verify.c - `rpz verify`: is a resolver enforcing the zone? Asks it
 * (recursion desired, as a user would) about a sample of the published
 * seizures, the zone's canary and a control name, and compares each answer
 * with what the zone's rule for that name says: CNAME . → NXDOMAIN,
 * CNAME *. → NODATA, A/AAAA local data → that address, CNAME target → a
 * CNAME to the target. The control must resolve normally.
 *
 * Flow: rpz_verify_sample() (rpz/) → the zone's rule (dns/index.c) → the
 * resolver (ldns) → rpz_verify_store() with an audit event.
 */
#include "dns/verify.h"
#include "dns/internal.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "rpz/rpz.h"
#include "rpz/verify_store.h"
#include "store/store.h"

struct sample {
	struct dns_verify_report *rep;
	size_t alloc;
};

static int add_name(void *ctx, const char *name, int64_t order_id, bool expect_blocked)
{
	struct sample *s = ctx;
	struct dns_verify_item *it;

	if (s->rep->n == s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 32;
		s->rep->items = xreallocarray(s->rep->items, s->alloc, sizeof(*s->rep->items));
	}
	it = &s->rep->items[s->rep->n++];
	memset(it, 0, sizeof(*it));
	str_copy(it->name, sizeof(it->name), name);
	it->order_id = order_id;
	it->expect_blocked = expect_blocked;
	return 0;
}

/* What the zone says for name: the expected answer, and the type to ask. */
static void expectation(struct dns_index_cache *cache, struct store_conn *c,
	const struct rpz_zone_info *z, struct dns_verify_item *it)
{
	char owner[RPZ_NAME_MAX + 256];
	struct dns_lookup l;

	it->qtype = LDNS_RR_TYPE_A;
	str_copy(it->expect, sizeof(it->expect), it->expect_blocked ? "NXDOMAIN" : "an answer");
	if (!it->expect_blocked)
		return;
	snprintf(owner, sizeof(owner), "%s.%s", it->name, z->name);
	str_lower(owner);
	if (dns_index_lookup(cache, c, z, owner, &l))
		return;
	for (size_t i = 0; i < l.n; i++) {
		const struct rpz_rr *rr = &l.rrs[i];
		if (rr->type == LDNS_RR_TYPE_CNAME && !strcmp(rr->rdata, "*."))
			str_copy(it->expect, sizeof(it->expect), "NODATA");
		else if (rr->type == LDNS_RR_TYPE_CNAME && strcmp(rr->rdata, "."))
			snprintf(it->expect, sizeof(it->expect), "CNAME %s", rr->rdata);
		else if (rr->type == LDNS_RR_TYPE_A || rr->type == LDNS_RR_TYPE_AAAA) {
			snprintf(it->expect, sizeof(it->expect), "%s %s",
				rr->type == LDNS_RR_TYPE_A ? "A" : "AAAA", rr->rdata);
			it->qtype = rr->type;
			if (rr->type == LDNS_RR_TYPE_A)
				break; /* prefer asking for A when both are there */
			continue;
		}
		if (rr->type == LDNS_RR_TYPE_CNAME)
			break;
	}
	dns_lookup_release(&l);
}

static ldns_resolver *resolver_new(const char *spec, int timeout_ms, struct err_msg *err)
{
	struct sockaddr_storage ss;
	socklen_t len;
	ldns_resolver *res;
	ldns_rdf *ns;
	char addr[64];
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };

	if (dns_addr_parse(spec, 53, &ss, &len)) {
		err_set(err, ERR_INVAL, "resolver", "'%s' is not ADDR[:PORT] (IPv6 as [::1]:53)", spec);
		return NULL;
	}
	dns_addr_str((struct sockaddr *)&ss, addr, sizeof(addr));
	ns = ldns_rdf_new_frm_str(ss.ss_family == AF_INET ? LDNS_RDF_TYPE_A : LDNS_RDF_TYPE_AAAA,
		addr);
	res = ldns_resolver_new();
	ldns_resolver_push_nameserver(res, ns);
	ldns_rdf_deep_free(ns);
	ldns_resolver_set_port(res, ntohs(ss.ss_family == AF_INET
			? ((struct sockaddr_in *)&ss)->sin_port
			: ((struct sockaddr_in6 *)&ss)->sin6_port));
	ldns_resolver_set_recursive(res, true);
	ldns_resolver_set_retry(res, 2);
	ldns_resolver_set_timeout(res, tv);
	ldns_resolver_set_random(res, false);
	ldns_resolver_set_dnssec(res, false);
	return res;
}

/* The first A, AAAA or CNAME answer in p as "A 192.0.2.1" or "CNAME walled.example." */
static bool first_answer(ldns_pkt *p, char *out, size_t size)
{
	ldns_rr_list *an = ldns_pkt_answer(p);

	for (size_t i = 0; an && i < ldns_rr_list_rr_count(an); i++) {
		ldns_rr *rr = ldns_rr_list_rr(an, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		char *data;
		if (t != LDNS_RR_TYPE_A && t != LDNS_RR_TYPE_AAAA && t != LDNS_RR_TYPE_CNAME)
			continue;
		data = ldns_rdf2str(ldns_rr_rdf(rr, 0));
		if (data)
			str_lower(data);
		snprintf(out, size, "%s %s", t == LDNS_RR_TYPE_A ? "A"
					    : t == LDNS_RR_TYPE_AAAA ? "AAAA" : "CNAME",
			data ? data : "?");
		free(data);
		return true;
	}
	return false;
}

/* Ask the resolver about it and judge the answer. */
static void ask(ldns_resolver *res, struct dns_verify_item *it)
{
	ldns_rdf *name = ldns_dname_new_frm_str(it->name);
	ldns_pkt *p = name ? ldns_resolver_query(res, name, (ldns_rr_type)it->qtype,
				     LDNS_RR_CLASS_IN, LDNS_RD)
			   : NULL;
	bool bad_name = !name;
	char first[300] = "";
	bool has_answer;
	int rcode;

	ldns_rdf_deep_free(name);
	if (!p) {
		str_copy(it->answer, sizeof(it->answer), bad_name ? "bad name" : "no answer (timeout)");
		it->blocked = false;
		return;
	}
	rcode = ldns_pkt_get_rcode(p);
	has_answer = first_answer(p, first, sizeof(first));
	if (rcode == LDNS_RCODE_NOERROR && has_answer)
		snprintf(it->answer, sizeof(it->answer), "NOERROR %s", first);
	else if (rcode == LDNS_RCODE_NOERROR)
		str_copy(it->answer, sizeof(it->answer), "NODATA");
	else {
		char *r = ldns_pkt_rcode2str((ldns_pkt_rcode)rcode);
		str_copy(it->answer, sizeof(it->answer), r ? r : "?");
		free(r);
	}
	if (!it->expect_blocked)
		it->blocked = !(rcode == LDNS_RCODE_NOERROR && has_answer);
	else if (!strcmp(it->expect, "NXDOMAIN") || !strcmp(it->expect, "NODATA"))
		it->blocked = !strcmp(it->answer, it->expect);
	else
		it->blocked = rcode == LDNS_RCODE_NOERROR && has_answer &&
			!strcasecmp(first, it->expect);
	ldns_pkt_free(p);
}

static int store_result(struct store_conn *c, const struct dns_verify_opts *o,
	struct dns_verify_report *rep, struct err_msg *err)
{
	struct rpz_verify_name *names = xcalloc(rep->n ? rep->n : 1, sizeof(*names));
	struct rpz_verify_result r = { rep->zone, rep->serial, o->resolver, clock_now(), names,
		rep->n };
	struct audit_event ev;
	char detail[256];
	int ret;

	for (size_t i = 0; i < rep->n; i++) {
		names[i].name = rep->items[i].name;
		names[i].order_id = rep->items[i].order_id;
		names[i].expect_blocked = rep->items[i].expect_blocked;
		names[i].blocked = rep->items[i].blocked;
		names[i].answer = rep->items[i].answer;
	}
	snprintf(detail, sizeof(detail), "resolver %s, zone %s serial %u: %zu of %zu as expected",
		o->resolver, rep->zone, rep->serial, rep->n - rep->failed, rep->n);
	if (o->ev)
		ev = *o->ev;
	else
		audit_event_console(&ev, "rpz.verify", "rpz_verification", NULL, AUDIT_OK);
	ev.detail = detail;
	ret = rpz_verify_store(c, &r, &ev, &rep->id, err);
	free(names);
	return ret;
}

int dns_verify(struct store *db, const struct dns_verify_opts *o, struct dns_verify_report *rep,
	struct err_msg *err)
{
	struct sample s = { rep, 0 };
	struct dns_index_cache *cache = dns_index_cache_new();
	struct store_conn *c = store_acquire(db);
	ldns_resolver *res = NULL;
	struct rpz_zone_info z;
	int ret;

	memset(rep, 0, sizeof(*rep));
	res = resolver_new(o->resolver, o->timeout_ms > 0 ? o->timeout_ms : 2000, err);
	ret = res ? store_begin_read(c) : ERR_INVAL;
	if (!ret)
		ret = rpz_zone_get(c, o->zone && *o->zone ? o->zone : rpz_default_zone(), &z, err);
	if (!ret) {
		str_copy(rep->zone, sizeof(rep->zone), z.name);
		rep->serial = z.serial;
		ret = rpz_verify_sample(c, z.name, o->sample ? o->sample : 20, o->control, add_name,
			&s, err);
	}
	for (size_t i = 0; !ret && i < rep->n; i++)
		expectation(cache, c, &z, &rep->items[i]);
	store_rollback(c);
	for (size_t i = 0; !ret && i < rep->n; i++) {
		ask(res, &rep->items[i]);
		if (rep->items[i].blocked != rep->items[i].expect_blocked)
			rep->failed++;
	}
	if (!ret && o->store)
		ret = store_result(c, o, rep, err);
	store_release(c);
	if (res)
		ldns_resolver_deep_free(res);
	dns_index_cache_free(cache);
	return ret;
}

void dns_verify_report_release(struct dns_verify_report *rep)
{
	free(rep->items);
	memset(rep, 0, sizeof(*rep));
}
