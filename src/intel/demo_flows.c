/*
 * intel/demo_flows.c - flows that fit the planted rings of demo.c (see
 * demo_flows.h). The reports are generated again (not written) with hooks
 * that record each ring's pools and each report's ring, victim, caller and
 * the account or wallet it paid; then, with a random stream of its own:
 *
 *  - money (資金流): every report naming a first-layer account is one victim
 *    transfer from the victim's own account into it, at most six hours after
 *    the fraud; the mule passes the money on (less a fee) to one of the ring's
 *    second-layer accounts, in half the rings through a third layer, and last
 *    to the money house (水房) the ring shares with one other ring. Every step
 *    is later than the one before. Crypto victims pay a ring wallet from a
 *    wallet of their own; the ring wallets sweep to the house's wallet.
 *    Noise: a third of the mules also pay a payment collector (the warning
 *    list holds it), and lone reports' accounts pass money once, nowhere.
 *  - calls (電信流): each victim with a phone was called one to three times
 *    by the ring's phones before the fraud, from the ring's handsets (IMEI,
 *    shared by several phones) and its one or two cells: the call center
 *    (機房). The house's organiser calls every call-center phone now and
 *    then. Noise: a third of the victims are also called by someone from
 *    their own life, on a handset and in a cell of their own.
 *  - resolutions (網路流): each fake site's domain resolves to one of its
 *    ring's one or two hosting addresses.
 *
 * The answers: per ring its reports, call-center phones, handsets and
 * cells, the victims they called, its layers; per house its account, wallet,
 * organiser and the victims' transfers that reach it.
 */
#include "intel/demo_flows.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/err.h"
#include "base/mem.h"
#include "ident/encode.h"
#include "ident/ident.h"

#define HOUR 3600
#define DAY 86400

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int64_t between(struct rng *r, int64_t lo, int64_t hi)
{
	return hi > lo ? lo + (int64_t)(next(r) % (uint64_t)(hi - lo + 1)) : lo;
}

static bool chance(struct rng *r, int percent)
{
	return (int)(next(r) % 100) < percent;
}

typedef char value_t[80];

struct ring_rec {
	char crime[24];
	int nphones, naccounts, nsecond, nwallets, ndomains, nthird, nimeis, ncells, nips;
	value_t phones[DEMO_POOL], accounts[DEMO_POOL], second[8], wallets[4], domains[6];
	value_t third[2], imeis[6], cells[2], ips[2];
	int house;
	bool *phone_called;   /* per phone: it called a victim */
};

struct rep_rec {
	char ref[48];
	int ring;
	int64_t occurred, loss;
	value_t account, wallet, caller, victim;
};

struct house {
	value_t account, wallet, organiser, organiser_imei, organiser_cell;
	int64_t transfers, chain; /* victims' payments that reach it */
};

struct gen {
	struct ring_rec *rings;
	int nrings, cap_rings;
	struct rep_rec *reps;
	size_t nreps, cap_reps;
	struct ident *id; /* scratch */
};

/* The canonical form of v as type into out ("" when it does not parse). */
static void canon(struct gen *g, enum ident_type type, const char *v, value_t out)
{
	out[0] = '\0';
	if (v && !ident_parse(g->id, type, v, strlen(v), NULL))
		snprintf(out, sizeof(value_t), "%s", g->id->value);
}

static void on_ring(void *ctx, const struct demo_ring_view *v)
{
	struct gen *g = ctx;
	struct ring_rec *r;

	if (g->nrings == g->cap_rings) {
		g->cap_rings = g->cap_rings ? g->cap_rings * 2 : 16;
		g->rings = xreallocarray(g->rings, (size_t)g->cap_rings, sizeof(*g->rings));
	}
	r = &g->rings[g->nrings++];
	memset(r, 0, sizeof(*r));
	snprintf(r->crime, sizeof(r->crime), "%s", v->crime);
	r->nphones = v->nphones;
	r->naccounts = v->naccounts;
	r->nsecond = v->nsecond;
	r->nwallets = v->nwallets;
	r->ndomains = v->ndomains;
	for (int i = 0; i < v->nphones; i++)
		canon(g, IDENT_PHONE, v->phones[i], r->phones[i]);
	for (int i = 0; i < v->naccounts; i++)
		canon(g, IDENT_BANK_ACCOUNT, v->accounts[i], r->accounts[i]);
	for (int i = 0; i < v->nsecond; i++)
		canon(g, IDENT_BANK_ACCOUNT, v->second[i], r->second[i]);
	for (int i = 0; i < v->nwallets; i++)
		canon(g, IDENT_WALLET, v->wallets[i], r->wallets[i]);
	for (int i = 0; i < v->ndomains; i++)
		canon(g, IDENT_DOMAIN, v->domains[i], r->domains[i]);
	r->phone_called = xcalloc(DEMO_POOL, sizeof(bool));
}

static bool in_pool(const value_t *pool, int n, const char *v)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(pool[i], v))
			return true;
	return false;
}

static void on_report(void *ctx, const struct demo_report_view *v)
{
	struct gen *g = ctx;
	struct rep_rec *p;
	value_t tmp;

	if (g->nreps == g->cap_reps) {
		g->cap_reps = g->cap_reps ? g->cap_reps * 2 : 1024;
		g->reps = xreallocarray(g->reps, g->cap_reps, sizeof(*g->reps));
	}
	p = &g->reps[g->nreps++];
	memset(p, 0, sizeof(*p));
	snprintf(p->ref, sizeof(p->ref), "%s", v->source_ref);
	p->ring = v->ring;
	p->occurred = v->occurred;
	p->loss = v->loss_twd;
	for (int i = 0; i < v->nids; i++) {
		const char *t = v->types[i], *role = v->roles[i];
		if (!strcmp(role, "first_layer_account") && !p->account[0])
			canon(g, IDENT_BANK_ACCOUNT, v->values[i], p->account);
		else if (!strcmp(role, "wallet") && !p->wallet[0])
			canon(g, IDENT_WALLET, v->values[i], p->wallet);
		else if (!strcmp(t, "phone") && !strcmp(role, "victim"))
			canon(g, IDENT_PHONE, v->values[i], p->victim);
		else if (!strcmp(t, "phone") && !strcmp(role, "caller") && !p->caller[0] &&
			 v->ring >= 0) {
			/* only the ring's own phones: not 165, 110 or a bank's service line */
			canon(g, IDENT_PHONE, v->values[i], tmp);
			if (in_pool((const value_t *)g->rings[v->ring].phones,
				    g->rings[v->ring].nphones, tmp))
				memcpy(p->caller, tmp, sizeof(tmp));
		}
	}
}

/* ---- identifiers the reports do not have ---- */

static void gen_account(struct gen *g, struct rng *r, value_t out)
{
	static const struct {
		const char *code;
		int len;
	} banks[] = { { "822", 12 }, { "808", 13 }, { "812", 14 }, { "700", 14 }, { "013", 12 },
		{ "004", 12 }, { "006", 13 }, { "807", 14 } };
	char text[40];
	int b = (int)(next(r) % (sizeof(banks) / sizeof(banks[0])));

	snprintf(text, sizeof(text), "%s-", banks[b].code);
	for (int i = 0; i < banks[b].len; i++)
		text[4 + i] = (char)('0' + (i == 0 ? 1 + next(r) % 9 : next(r) % 10));
	text[4 + banks[b].len] = '\0';
	canon(g, IDENT_BANK_ACCOUNT, text, out);
}

static void gen_phone(struct gen *g, struct rng *r, bool foreign, value_t out)
{
	char text[24];

	if (foreign)
		snprintf(text, sizeof(text), "+8613%09llu", (unsigned long long)(next(r) % 1000000000));
	else
		snprintf(text, sizeof(text), "09%d%07llu", (int)(next(r) % 9),
			(unsigned long long)(next(r) % 10000000));
	canon(g, IDENT_PHONE, text, out);
}

static void gen_tron(struct gen *g, struct rng *r, value_t out)
{
	char text[80];
	uint8_t hash[20];

	do {
		for (int i = 0; i < 20; i++)
			hash[i] = (uint8_t)next(r);
		ident_wallet_encode(IDENT_CHAIN_TRON, hash, 0, text, sizeof(text));
	} while ((text[1] == 'B' || text[1] == 'b') && text[2] == '1');
	canon(g, IDENT_WALLET, text, out);
}

/* A 15-digit IMEI with its Luhn check digit. */
static void gen_imei(struct rng *r, value_t out)
{
	int d[15], sum = 0;

	d[0] = 3;
	d[1] = 5;
	for (int i = 2; i < 14; i++)
		d[i] = (int)(next(r) % 10);
	for (int i = 0; i < 14; i++) {
		int x = d[i];
		if (i % 2 == 1) {
			x *= 2;
			if (x > 9)
				x -= 9;
		}
		sum += x;
	}
	d[14] = (10 - sum % 10) % 10;
	for (int i = 0; i < 15; i++)
		out[i] = (char)('0' + d[i]);
	out[15] = '\0';
}

static void iso(int64_t t, char out[40])
{
	time_t local = (time_t)(t + 8 * HOUR);
	struct tm tm;

	gmtime_r(&local, &tm);
	strftime(out, 40, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

/* ---- rows ---- */

struct out {
	struct demo_flows *f;
	uint64_t seed;
	int64_t ntransfers, ncalls, nresolutions, nchain;
};

static void transfer(struct out *o, const char *from, const char *to, int64_t amount, int64_t at,
	const char *channel)
{
	char t[40];

	iso(at, t);
	buf_addf(&o->f->transfers, "demo-%llu-T%07lld,%s,%s,%lld,%s,%s\r\n",
		(unsigned long long)o->seed, (long long)++o->ntransfers, from, to, (long long)amount,
		t, channel);
}

static void call(struct out *o, const char *caller, const char *callee, int64_t at,
	int64_t duration, const char *cell, const char *imei)
{
	char t[40];

	iso(at, t);
	buf_addf(&o->f->calls, "demo-%llu-C%07lld,%s,%s,%s,%lld,%s,%s\r\n",
		(unsigned long long)o->seed, (long long)++o->ncalls, caller, callee, t,
		(long long)duration, cell, imei);
}

static void chain(struct out *o, const char *from, const char *to, int64_t twd, int64_t at)
{
	char t[40];

	iso(at, t);
	buf_addf(&o->f->chain, "demo-%llu-X%07lld,%s,%s,%s,%lld.%02lld,USDT,%lld\r\n",
		(unsigned long long)o->seed, (long long)++o->nchain, from, to, t,
		(long long)(twd * 100 / 31 / 100), (long long)(twd * 100 / 31 % 100), (long long)twd);
}

static int64_t less_fee(struct rng *r, int64_t amount)
{
	int64_t v = amount - amount * between(r, 5, 30) / 1000;

	return v > 100 ? v / 100 * 100 : amount;
}

static json_t *strings(const value_t *v, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		if (v[i][0])
			json_array_append_new(a, json_string(v[i]));
	return a;
}

/* Everything of the rings, the houses and the noise; then the answers. */
static void make_flows(struct gen *g, struct out *o, uint64_t seed, int64_t until)
{
	struct rng r = { seed * 0x9e3779b97f4a7c15ULL + 0x5eed };
	int nhouses = (g->nrings + 1) / 2;
	struct house *houses = xcalloc((size_t)(nhouses ? nhouses : 1), sizeof(*houses));
	int64_t *victims_called = xcalloc((size_t)(g->nrings ? g->nrings : 1), sizeof(int64_t));
	int64_t *transfers_in = xcalloc((size_t)(g->nrings ? g->nrings : 1), sizeof(int64_t));
	json_t *rings = json_array(), *hs = json_array();
	struct demo_flows *f = o->f;

	for (int h = 0; h < nhouses; h++) {
		gen_account(g, &r, houses[h].account);
		gen_tron(g, &r, houses[h].wallet);
		gen_phone(g, &r, true, houses[h].organiser);
		gen_imei(&r, houses[h].organiser_imei);
		snprintf(houses[h].organiser_cell, sizeof(value_t), "466-92-%05d-%03d", 90000 + h,
			(int)(next(&r) % 1000));
	}
	for (int i = 0; i < 2; i++)
		gen_account(g, &r, (char *)f->collectors[i]);
	for (int k = 0; k < g->nrings; k++) {
		struct ring_rec *ring = &g->rings[k];
		ring->house = k / 2;
		ring->nthird = k % 2 ? 0 : 1 + (int)(next(&r) % 2);
		for (int i = 0; i < ring->nthird; i++)
			gen_account(g, &r, ring->third[i]);
		ring->nimeis = 1 + ring->nphones / 3;
		if (ring->nimeis > 6)
			ring->nimeis = 6;
		for (int i = 0; i < ring->nimeis; i++)
			gen_imei(&r, ring->imeis[i]);
		ring->ncells = 1 + (int)(next(&r) % 2);
		for (int i = 0; i < ring->ncells; i++)
			snprintf(ring->cells[i], sizeof(value_t), "466-92-%05d-%03d", 10000 + k * 10 + i,
				(int)(next(&r) % 1000));
		ring->nips = 1 + (int)(next(&r) % 2);
		for (int i = 0; i < ring->nips; i++)
			snprintf(ring->ips[i], sizeof(value_t), "%d.%d.%d.%d",
				(int[]){ 45, 103, 154, 156 }[next(&r) % 4], (int)(next(&r) % 250) + 1,
				(int)(next(&r) % 256), (int)(next(&r) % 250) + 2);
	}
	for (size_t n = 0; n < g->nreps; n++) {
		const struct rep_rec *p = &g->reps[n];
		struct ring_rec *ring = p->ring >= 0 ? &g->rings[p->ring] : NULL;
		struct house *h = ring ? &houses[ring->house] : NULL;
		int64_t t = p->occurred + between(&r, 10 * 60, 6 * HOUR), amount = p->loss;
		value_t own;
		if (p->ring == -2)
			continue; /* a repeat: the money moved once */
		if (p->account[0]) {
			gen_account(g, &r, own);
			transfer(o, own, p->account, amount, t, "網銀");
			if (ring) {
				const char *at = p->account, *next_acct;
				transfers_in[p->ring]++;
				h->transfers++;
				if (chance(&r, 33))
					transfer(o, at, f->collectors[next(&r) % 2], between(&r, 5, 30) * 100,
						t + between(&r, 10 * 60, 2 * HOUR), "代收");
				next_acct = ring->second[next(&r) % (uint64_t)ring->nsecond];
				t += between(&r, 20 * 60, 8 * HOUR);
				amount = less_fee(&r, amount);
				transfer(o, at, next_acct, amount, t, "ATM");
				at = next_acct;
				if (ring->nthird) {
					next_acct = ring->third[next(&r) % (uint64_t)ring->nthird];
					t += between(&r, HOUR, DAY);
					amount = less_fee(&r, amount);
					transfer(o, at, next_acct, amount, t, "網銀");
					at = next_acct;
				}
				t += between(&r, 2 * HOUR, 2 * DAY);
				transfer(o, at, h->account, less_fee(&r, amount), t, "臨櫃");
			} else if (chance(&r, 50)) {
				gen_account(g, &r, own);
				transfer(o, p->account, own, less_fee(&r, amount),
					t + between(&r, HOUR, DAY), "ATM");
			}
		}
		if (p->wallet[0] && ring) {
			gen_tron(g, &r, own);
			chain(o, own, p->wallet, amount, t);
			chain(o, p->wallet, h->wallet, less_fee(&r, amount), t + between(&r, HOUR, DAY));
			h->chain++;
		}
		if (p->victim[0] && ring) {
			int calls = 1 + (int)(next(&r) % 3);
			int64_t at = p->occurred - between(&r, HOUR, 3 * DAY);
			for (int c = 0; c < calls; c++) {
				int ph = (int)(next(&r) % (uint64_t)ring->nphones);
				const char *caller = ring->phones[ph];
				if (c == 0 && p->caller[0]) {
					caller = p->caller;
					for (int i = 0; i < ring->nphones; i++)
						if (!strcmp(ring->phones[i], caller))
							ph = i;
				}
				if (!strcmp(caller, p->victim) || !caller[0])
					continue;
				ring->phone_called[ph] = true;
				call(o, caller, p->victim, at, between(&r, 60, 1800),
					ring->cells[next(&r) % (uint64_t)ring->ncells],
					ring->imeis[ph % ring->nimeis]);
				at += between(&r, 10 * 60, 12 * HOUR);
			}
			victims_called[p->ring]++;
		}
		if (p->victim[0] && chance(&r, 33)) {
			value_t friend, imei;
			char cell[40];
			gen_phone(g, &r, false, friend);
			gen_imei(&r, imei);
			snprintf(cell, sizeof(cell), "466-97-%05d-%03d", (int)(next(&r) % 60000),
				(int)(next(&r) % 1000));
			if (strcmp(friend, p->victim))
				call(o, friend, p->victim, p->occurred - between(&r, DAY, 20 * DAY),
					between(&r, 30, 600), cell, imei);
		}
	}
	/* the organisers call their call centers; the fake sites resolve */
	for (int k = 0; k < g->nrings; k++) {
		struct ring_rec *ring = &g->rings[k];
		struct house *h = &houses[ring->house];
		json_t *called = json_array(), *third = strings((const value_t *)ring->third,
								     ring->nthird);
		for (int i = 0; i < ring->nphones; i++) {
			if (!ring->phone_called[i])
				continue;
			json_array_append_new(called, json_string(ring->phones[i]));
			for (int c = 1 + (int)(next(&r) % 2); c > 0; c--)
				call(o, h->organiser, ring->phones[i],
					until - between(&r, DAY, 300 * DAY), between(&r, 30, 300),
					h->organiser_cell, h->organiser_imei);
		}
		for (int i = 0; i < ring->ndomains; i++) {
			char t[40];
			iso(until - between(&r, DAY, 200 * DAY), t);
			if (ring->domains[i][0])
				buf_addf(&f->resolutions, "demo-%llu-R%07lld,%s,%s,%s\r\n",
					(unsigned long long)seed, (long long)++o->nresolutions,
					ring->domains[i], ring->ips[next(&r) % (uint64_t)ring->nips], t);
		}
		json_array_append_new(rings,
			json_pack("{s:i,s:s,s:i,s:o,s:o,s:o,s:I,s:o,s:o,s:o,s:I,s:o,s:o}", "ring", k,
				"crime", ring->crime, "house", ring->house, "callers", called, "imeis",
				strings((const value_t *)ring->imeis, ring->nimeis), "cells",
				strings((const value_t *)ring->cells, ring->ncells), "victims_called",
				(json_int_t)victims_called[k], "first_layer",
				strings((const value_t *)ring->accounts, ring->naccounts), "second_layer",
				strings((const value_t *)ring->second, ring->nsecond), "third_layer", third,
				"victim_transfers", (json_int_t)transfers_in[k], "domains",
				strings((const value_t *)ring->domains, ring->ndomains), "ips",
				strings((const value_t *)ring->ips, ring->nips)));
	}
	for (int h = 0; h < nhouses; h++)
		json_array_append_new(hs, json_pack("{s:i,s:s,s:s,s:s,s:I,s:I}", "house", h, "account",
						  houses[h].account, "wallet", houses[h].wallet,
						  "organiser", houses[h].organiser, "victim_transfers",
						  (json_int_t)houses[h].transfers, "victim_chain",
						  (json_int_t)houses[h].chain));
	{
		json_t *reports = json_object();
		for (size_t n = 0; n < g->nreps; n++)
			json_object_set_new(reports, g->reps[n].ref, json_integer(g->reps[n].ring));
		f->answers = json_pack("{s:I,s:I,s:o,s:o,s:o,s:[ss],s:{s:I,s:I,s:I,s:I}}", "seed",
			(json_int_t)seed, "reports_generated", (json_int_t)g->nreps, "report_ring",
			reports, "rings", rings, "houses", hs, "collectors", f->collectors[0],
			f->collectors[1], "flows", "transfer", (json_int_t)o->ntransfers, "call",
			(json_int_t)o->ncalls, "resolution", (json_int_t)o->nresolutions, "chain",
			(json_int_t)o->nchain);
	}
	free(houses);
	free(victims_called);
	free(transfers_in);
}

int demo_flows_generate(const struct demo_options *opt, struct demo_flows *out)
{
	struct gen g = { 0 };
	struct demo_hooks hooks = { on_ring, on_report, &g };
	struct demo_options o = *opt;
	struct out w = { out, opt->seed, 0, 0, 0, 0 };
	int ret;

	memset(out, 0, sizeof(*out));
	buf_init(&out->transfers, 0);
	buf_init(&out->calls, 0);
	buf_init(&out->resolutions, 0);
	buf_init(&out->chain, 0);
	buf_adds(&out->transfers, "source_ref,from_account,to_account,amount,time,channel\r\n");
	buf_adds(&out->calls, "source_ref,caller,callee,start,duration,cell,imei\r\n");
	buf_adds(&out->resolutions, "source_ref,domain,ip,time\r\n");
	buf_adds(&out->chain, "source_ref,from_wallet,to_wallet,time,amount,asset,amount_twd\r\n");
	g.id = xmalloc(sizeof(*g.id));
	o.hooks = &hooks;
	ret = demo_generate(NULL, &o);
	if (!ret)
		make_flows(&g, &w, opt->seed, opt->until);
	for (int k = 0; k < g.nrings; k++)
		free(g.rings[k].phone_called);
	free(g.rings);
	free(g.reps);
	free(g.id);
	return ret;
}

void demo_flows_release(struct demo_flows *f)
{
	buf_release(&f->transfers);
	buf_release(&f->calls);
	buf_release(&f->resolutions);
	buf_release(&f->chain);
	json_decref(f->answers);
	f->answers = NULL;
}
