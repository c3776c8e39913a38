/*
 * intel/demo.c - the synthetic report generator (see demo.h).
 *
 * Shape of the data (fractions of reports):
 *  - 72 % come from rings. A ring has one modus operandi (crime type) and
 *    pools of phones, first-layer mule accounts, second-layer accounts,
 *    wallets, scam domains and LINE accounts; each of its victims meets a
 *    few members of the pools, so the pools recur across victims. Ring sizes
 *    are skewed (a few large call centers, many small groups).
 *  - 25 % are lone reports with identifiers of their own.
 *  - 3 % are the same victim reporting again through another channel
 *    (same loss, same victim phone, within two days): likely duplicates.
 *  - Noise the warning list must suppress: the 165 hotline typed as the
 *    caller, spoofed police (110) and bank service numbers, LINE's own
 *    domain in "line.me/ti/p/~id" links.
 * Losses follow a log-normal distribution (median about NT$60,000, a long
 * tail to millions); report dates spread over the year before `until`.
 */
#include "intel/demo.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/err.h"
#include "ident/encode.h"
#include "intel/demo_flows.h"

#define DAY 86400

const char *const demo_agency_codes[] = { "CIB", "BOT", "TPDP", "TCDP", "KSDP", NULL };

/* ---- randomness: splitmix64, so output depends on the seed only ---- */

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

static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? next(r) % n : 0;
}

static double unit(struct rng *r)
{
	return (double)(next(r) >> 11) / 9007199254740992.0;
}

static bool chance(struct rng *r, double p)
{
	return unit(r) < p;
}

static double normal(struct rng *r)
{
	double u = unit(r), v = unit(r);

	return sqrt(-2.0 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

static void digits(struct rng *r, char *out, int n)
{
	for (int i = 0; i < n; i++)
		out[i] = (char)('0' + below(r, 10));
	out[n] = '\0';
}

/* ---- identifiers ---- */

struct bank {
	const char *code, *name;
	int len; /* account digits */
};

/* Real institution codes (src/ident/bank_codes.c) with their usual account lengths. */
static const struct bank banks[] = {
	{ "004", "臺灣銀行", 12 }, { "005", "土地銀行", 12 }, { "006", "合作金庫", 13 },
	{ "007", "第一銀行", 11 }, { "008", "華南銀行", 12 }, { "009", "彰化銀行", 14 },
	{ "012", "台北富邦", 12 }, { "013", "國泰世華", 12 }, { "017", "兆豐銀行", 11 },
	{ "048", "王道銀行", 14 }, { "700", "中華郵政", 14 }, { "803", "聯邦銀行", 12 },
	{ "806", "元大銀行", 14 }, { "807", "永豐銀行", 14 }, { "808", "玉山銀行", 13 },
	{ "812", "台新銀行", 14 }, { "822", "中國信託", 12 },
};
#define NBANKS (sizeof(banks) / sizeof(banks[0]))

static const char *const tlds[] = { "com", "net", "top", "xyz", "vip", "cc", "shop", "app",
	"online", "site", "com.tw", "club" };
static const char *const words[] = { "asia", "wealth", "coin", "fund", "trade", "gold", "stock",
	"rich", "profit", "global", "smart", "capital", "ai", "quant", "star", "lucky", "mall",
	"shop", "deal", "pay", "invest", "king", "dragon", "fortune", "union", "prime", "vip",
	"metal", "futures", "bit", "chain", "hk", "tw", "sg", "pro", "max", "plus", "one" };
#define NWORDS (sizeof(words) / sizeof(words[0]))

/* Phone numbers as canonical national text: "0912345678", "0223115224", "+85596…". */
static void gen_mobile(struct rng *r, char *out)
{
	out[0] = '0';
	out[1] = '9';
	digits(r, out + 2, 8);
	if (out[2] == '9')
		out[2] = '8'; /* 099x is not assigned */
}

static void gen_landline(struct rng *r, char *out)
{
	static const char *const areas[] = { "02", "04", "07", "03", "06" };
	const char *a = areas[below(r, 5)];

	memcpy(out, a, 2);
	out[2] = (char)('2' + below(r, 7));
	digits(r, out + 3, !strcmp(a, "02") || !strcmp(a, "04") ? 7 : 6);
}

static void gen_foreign(struct rng *r, char *out)
{
	switch (below(r, 3)) {
	case 0: memcpy(out, "+85596", 6); digits(r, out + 6, 7); break;  /* Cambodia */
	case 1: memcpy(out, "+639", 4); digits(r, out + 4, 9); break;    /* Philippines */
	default: memcpy(out, "+8613", 5); digits(r, out + 5, 9); break;  /* China */
	}
}

static void gen_account(struct rng *r, char *out, const struct bank **which)
{
	const struct bank *b = &banks[below(r, NBANKS)];

	*which = b;
	memcpy(out, b->code, 3);
	out[3] = '-';
	digits(r, out + 4, b->len);
	if (out[4] == '0' && b->len > 12)
		out[4] = '1';
}

static void gen_domain(struct rng *r, char *out, size_t size)
{
	const char *a = words[below(r, NWORDS)], *b = words[below(r, NWORDS)];

	if (chance(r, 0.3))
		snprintf(out, size, "%s%s%u.%s", a, b, (unsigned)below(r, 100), tlds[below(r, 12)]);
	else
		snprintf(out, size, "%s-%s.%s", a, b, tlds[below(r, 12)]);
}

static void gen_line_id(struct rng *r, char *out)
{
	static const char alpha[] = "abcdefghijkmnpqrstuvwxyz";
	int n = 4 + (int)below(r, 5), o = 0;

	for (int i = 0; i < n; i++)
		out[o++] = alpha[below(r, sizeof(alpha) - 1)];
	if (chance(r, 0.3))
		out[o++] = chance(r, 0.5) ? '_' : '.';
	for (int i = (int)below(r, 4) + 1; i > 0; i--)
		out[o++] = (char)('0' + below(r, 10));
	out[o] = '\0';
}

static void gen_wallet(struct rng *r, char *out, size_t size)
{
	uint8_t hash[20];
	uint64_t pick = below(r, 10);

	for (int i = 0; i < 20; i++)
		hash[i] = (uint8_t)next(r);
	if (pick < 5) {
		/* USDT on TRON. NEEDSWORK: ident reads "TB1…" as a Bitcoin testnet address. */
		do {
			for (int i = 0; i < 20; i++)
				hash[i] = (uint8_t)next(r);
			ident_wallet_encode(IDENT_CHAIN_TRON, hash, 0, out, size);
		} while ((out[1] == 'B' || out[1] == 'b') && out[2] == '1');
	}
	else if (pick < 8)
		ident_wallet_encode(IDENT_CHAIN_ETH, hash, 0, out, size);
	else
		ident_wallet_encode(IDENT_CHAIN_BTC, hash, (int)below(r, 2), out, size);
}

/* How a person would write the number. */
static void spell_phone(struct rng *r, const char *p, char *out, size_t size)
{
	size_t n = strlen(p);

	if (p[0] == '+' || n != 10 || p[1] != '9') {
		if (p[0] == '0' && p[1] != '9')
			snprintf(out, size, "(%.2s)%.*s-%s", p, (int)(n - 6), p + 2, p + n - 4);
		else
			snprintf(out, size, "%s", p);
		return;
	}
	switch (below(r, 4)) {
	case 0: snprintf(out, size, "%.4s-%.3s-%s", p, p + 4, p + 7); break;
	case 1: snprintf(out, size, "+886 %.3s %.3s %s", p + 1, p + 4, p + 7); break;
	case 2: snprintf(out, size, "%.4s %.3s %s", p, p + 4, p + 7); break;
	default: snprintf(out, size, "%s", p);
	}
}

/* ---- rings ---- */

enum crime { INVEST, SHOP, IMPERSON, ROMANCE, NCRIMES };

static const char *const crime_names[] = { "investment_fraud", "online_shopping", "impersonation",
	"romance_fraud" };

#define POOL 24
_Static_assert(POOL == DEMO_POOL, "demo_flows.h sees the pools whole");

struct ring {
	enum crime crime;
	char phones[POOL][24];
	int nphones;
	char accounts[POOL][32];
	const struct bank *account_banks[POOL];
	int naccounts;
	char second[8][32];
	const struct bank *second_banks[8];
	int nsecond;
	char wallets[4][72];
	int nwallets;
	char domains[6][64];
	int ndomains;
	char lines[8][24];
	int nlines;
	double weight; /* cumulative, for picking */
};

static void make_ring(struct rng *r, struct ring *g, double size)
{
	int scale = size > 3 ? 3 : (int)size;

	memset(g, 0, sizeof(*g));
	g->crime = (enum crime)below(r, NCRIMES);
	g->nphones = 3 + (int)below(r, 6) * (1 + scale);
	if (g->nphones > POOL)
		g->nphones = POOL;
	for (int i = 0; i < g->nphones; i++) {
		if (g->crime == IMPERSON && chance(r, 0.4))
			gen_landline(r, g->phones[i]); /* spoofed "government" numbers */
		else if (chance(r, 0.25))
			gen_foreign(r, g->phones[i]);
		else
			gen_mobile(r, g->phones[i]);
	}
	g->naccounts = 3 + (int)below(r, 5) * (1 + scale);
	if (g->naccounts > POOL)
		g->naccounts = POOL;
	for (int i = 0; i < g->naccounts; i++)
		gen_account(r, g->accounts[i], &g->account_banks[i]);
	g->nsecond = 1 + (int)below(r, 4);
	for (int i = 0; i < g->nsecond; i++)
		gen_account(r, g->second[i], &g->second_banks[i]);
	g->nwallets = 1 + (int)below(r, 3);
	for (int i = 0; i < g->nwallets; i++)
		gen_wallet(r, g->wallets[i], sizeof(g->wallets[i]));
	g->ndomains = 1 + (int)below(r, 5);
	for (int i = 0; i < g->ndomains; i++)
		gen_domain(r, g->domains[i], sizeof(g->domains[i]));
	g->nlines = 2 + (int)below(r, 6);
	for (int i = 0; i < g->nlines; i++)
		gen_line_id(r, g->lines[i]);
}

/* ---- one report ---- */

struct ident_out {
	const char *type, *role;
	char value[96];
};

struct report {
	char source_ref[48];
	const char *agency, *channel, *crime, *payment, *victim_kind, *sector;
	int64_t occurred, reported, loss;
	char victim_phone[24];
	struct ident_out ids[12];
	int nids;
	struct buf narrative;
};

static void add_id(struct report *rep, const char *type, const char *role, const char *value)
{
	struct ident_out *o;

	if (rep->nids == 12)
		return;
	o = &rep->ids[rep->nids++];
	o->type = type;
	o->role = role;
	snprintf(o->value, sizeof(o->value), "%s", value);
}

static const char *channel_agency(struct rng *r, const char **channel)
{
	uint64_t c = below(r, 100);

	if (c < 45) {
		*channel = "165";
		return "CIB";
	}
	if (c < 75) {
		*channel = "police_station";
		return "CIB";
	}
	if (c < 88) {
		*channel = "online_form";
		return "CIB";
	}
	if (c < 95) {
		*channel = "bank";
		return "BOT";
	}
	*channel = "agency";
	return demo_agency_codes[2 + below(r, 3)];
}

static int64_t loss_twd(struct rng *r, enum crime c)
{
	double mu = c == INVEST ? 11.8 : c == SHOP ? 8.3 : c == IMPERSON ? 12.0 : 11.5;
	double v = exp(mu + 1.3 * normal(r));

	if (v > 5e7)
		v = 5e7;
	if (v < 300)
		v = 300;
	return v >= 10000 ? (int64_t)(v / 1000) * 1000 : (int64_t)(v / 100) * 100;
}

static void money(char *out, size_t size, int64_t v)
{
	if (v >= 10000 && v % 10000 == 0)
		snprintf(out, size, "%lld萬元", (long long)(v / 10000));
	else
		snprintf(out, size, "%lld元", (long long)v);
}

/* Fill rep from ring g (NULL: a lone report with identifiers of its own). */
static void ring_report(struct rng *r, struct report *rep, const struct ring *g)
{
	struct ring own;
	char phone[40], url[160], amount[32], acct[32];
	const struct bank *bank;
	int a;

	if (!g) {
		make_ring(r, &own, 0);
		own.nphones = own.naccounts = own.nwallets = own.ndomains = own.nlines = 1;
		g = &own;
	}
	rep->crime = crime_names[g->crime];
	rep->loss = loss_twd(r, g->crime);
	money(amount, sizeof(amount), rep->loss);
	a = (int)below(r, (uint64_t)g->naccounts);
	bank = g->account_banks[a];
	snprintf(acct, sizeof(acct), "%s", g->accounts[a]);
	if (chance(r, 0.2))
		snprintf(acct, sizeof(acct), "(%s)%s", bank->code, g->accounts[a] + 4);
	spell_phone(r, g->phones[below(r, (uint64_t)g->nphones)], phone, sizeof(phone));
	snprintf(url, sizeof(url), "https://%s%s/%s", chance(r, 0.5) ? "www." : "",
		g->domains[below(r, (uint64_t)g->ndomains)],
		chance(r, 0.5) ? "login" : chance(r, 0.5) ? "#/register?code=8866" : "app/download");
	switch (g->crime) {
	case INVEST: {
		const char *line = g->lines[below(r, (uint64_t)g->nlines)];
		bool crypto = chance(r, 0.35);
		rep->payment = crypto ? "virtual_currency" : "transfer";
		add_id(rep, "line_id", "contact_account", line);
		add_id(rep, "url", "website", url);
		buf_addf(&rep->narrative,
			"被害人在臉書看到投資廣告，加入LINE好友（ID：%s），對方自稱投資老師，"
			"引導至網站%s註冊儲值。",
			line, url);
		if (crypto) {
			const char *w = g->wallets[below(r, (uint64_t)g->nwallets)];
			add_id(rep, "wallet", "wallet", w);
			buf_addf(&rep->narrative, "依指示購買USDT轉入錢包%s，共%s，後無法出金才知受騙。", w,
				amount);
		} else {
			add_id(rep, "bank_account", "first_layer_account", acct);
			buf_addf(&rep->narrative, "先後匯款至%s帳戶%s共%s，後無法出金才知受騙。",
				bank->name, acct, amount);
		}
		if (chance(r, 0.6))
			add_id(rep, "phone", "caller", phone);
		break;
	}
	case SHOP:
		rep->payment = chance(r, 0.6) ? "atm" : "transfer";
		add_id(rep, "phone", "caller", phone);
		add_id(rep, "bank_account", "first_layer_account", acct);
		if (chance(r, 0.9))
			add_id(rep, "url", "website", url);
		buf_addf(&rep->narrative,
			"被害人於網路商店%s購物，接獲自稱客服人員來電（%s）稱訂單設定錯誤需解除分期，"
			"依指示操作ATM轉帳至%s帳戶%s，共%s。",
			url, phone, bank->name, acct, amount);
		break;
	case IMPERSON:
		rep->payment = chance(r, 0.3) ? "cash" : "transfer";
		add_id(rep, "phone", "caller", phone);
		add_id(rep, "bank_account", "first_layer_account", acct);
		buf_addf(&rep->narrative,
			"被害人接獲自稱健保局及檢察官來電（%s），稱其帳戶涉及洗錢案需配合監管，"
			"要求將存款轉至「安全帳戶」%s帳戶%s，共%s。",
			phone, bank->name, acct, amount);
		if (chance(r, 0.5)) {
			int b = (int)below(r, (uint64_t)g->naccounts);
			add_id(rep, "bank_account", "first_layer_account", g->accounts[b]);
			buf_addf(&rep->narrative, "另匯入%s帳戶%s。", g->account_banks[b]->name,
				g->accounts[b]);
		}
		if (chance(r, 0.15)) {
			add_id(rep, "phone", "caller", "110");
			buf_adds(&rep->narrative, "來電顯示為110。");
		}
		break;
	default: {
		const char *line = g->lines[below(r, (uint64_t)g->nlines)];
		const char *w = g->wallets[below(r, (uint64_t)g->nwallets)];
		rep->payment = chance(r, 0.5) ? "virtual_currency" : "transfer";
		add_id(rep, "line_id", "contact_account", line);
		if (!strcmp(rep->payment, "virtual_currency")) {
			add_id(rep, "wallet", "wallet", w);
			buf_addf(&rep->narrative,
				"被害人於交友軟體結識對方，轉至LINE（%s）聊天，對方以投資虛擬貨幣為由，"
				"要求轉入錢包%s，共%s。",
				line, w, amount);
		} else {
			add_id(rep, "bank_account", "first_layer_account", acct);
			buf_addf(&rep->narrative,
				"被害人於交友軟體結識對方，轉至LINE（%s）聊天，對方以急需用錢為由借款，"
				"被害人匯款至%s帳戶%s，共%s。",
				line, bank->name, acct, amount);
		}
		if (chance(r, 0.5))
			add_id(rep, "phone", "caller", phone);
		if (chance(r, 0.2)) {
			char link[96];
			snprintf(link, sizeof(link), "https://line.me/ti/p/~%s", line);
			add_id(rep, "url", "website", link); /* LINE's own domain: never correlates */
		}
	}
	}
	if (!strcmp(rep->channel, "bank") && g->nsecond) {
		int s = (int)below(r, (uint64_t)g->nsecond);
		add_id(rep, "bank_account", "receiving_account", g->second[s]);
		buf_addf(&rep->narrative, "款項隨即轉出至%s帳戶%s。", g->second_banks[s]->name,
			g->second[s]);
	}
	if (chance(r, 0.04)) {
		add_id(rep, "phone", "caller", "165");
		buf_adds(&rep->narrative, "事後撥打165反詐騙專線查證。");
	}
	if (chance(r, 0.03)) {
		static const char *const service[] = { "0800-700-365", "(02)2383-1000",
			"(02)2182-1313", "(02)2745-8080" };
		const char *s = service[below(r, 4)];
		add_id(rep, "phone", "caller", s);
		buf_addf(&rep->narrative, "對方來電顯示為銀行客服電話%s。", s);
	}
}

/* ---- output ---- */

static void iso_taipei(int64_t t, char *out, size_t size)
{
	time_t local = (time_t)(t + 8 * 3600);
	struct tm tm;

	gmtime_r(&local, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

static void json_str(struct buf *b, const char *key, const char *v, bool comma)
{
	buf_addf(b, "%s\"%s\":\"", comma ? "," : "", key);
	buf_add_json_escaped(b, v);
	buf_addch(b, '"');
}

static void write_jsonl(struct buf *b, const struct report *rep)
{
	char occurred[40], reported[40];

	iso_taipei(rep->occurred, occurred, sizeof(occurred));
	iso_taipei(rep->reported, reported, sizeof(reported));
	buf_addch(b, '{');
	json_str(b, "source_ref", rep->source_ref, false);
	json_str(b, "agency", rep->agency, true);
	json_str(b, "channel", rep->channel, true);
	json_str(b, "occurred_at", occurred, true);
	json_str(b, "reported_at", reported, true);
	buf_addf(b, ",\"victim\":{\"kind\":\"%s\",\"sector\":\"%s\"}", rep->victim_kind,
		rep->sector);
	json_str(b, "crime_type", rep->crime, true);
	buf_addf(b, ",\"loss\":{\"twd\":%lld}", (long long)rep->loss);
	json_str(b, "payment_method", rep->payment, true);
	json_str(b, "narrative", rep->narrative.s, true);
	buf_adds(b, ",\"identifiers\":[");
	for (int i = 0; i < rep->nids; i++) {
		buf_addf(b, "%s{\"type\":\"%s\",\"role\":\"%s\"", i ? "," : "", rep->ids[i].type,
			rep->ids[i].role);
		json_str(b, "value", rep->ids[i].value, true);
		buf_addch(b, '}');
	}
	buf_adds(b, "]}\n");
}

/* The CSV columns: report fields, then one column per identifier type:role. */
static const char *const csv_ident_cols[] = { "phone:caller", "phone:victim",
	"bank_account:first_layer_account", "bank_account:receiving_account", "url:website",
	"line_id:contact_account", "wallet:wallet", NULL };

static void csv_cell(struct buf *b, const char *v, bool comma)
{
	if (comma)
		buf_addch(b, ',');
	if (!strpbrk(v, ",\"\r\n")) {
		buf_adds(b, v);
		return;
	}
	buf_addch(b, '"');
	for (; *v; v++) {
		if (*v == '"')
			buf_addch(b, '"');
		buf_addch(b, *v);
	}
	buf_addch(b, '"');
}

static void write_csv(struct buf *b, const struct report *rep)
{
	char occurred[40], reported[40], loss[24];

	iso_taipei(rep->occurred, occurred, sizeof(occurred));
	iso_taipei(rep->reported, reported, sizeof(reported));
	snprintf(loss, sizeof(loss), "%lld", (long long)rep->loss);
	csv_cell(b, rep->source_ref, false);
	csv_cell(b, rep->agency, true);
	csv_cell(b, rep->channel, true);
	csv_cell(b, occurred, true);
	csv_cell(b, reported, true);
	csv_cell(b, rep->victim_kind, true);
	csv_cell(b, rep->sector, true);
	csv_cell(b, rep->crime, true);
	csv_cell(b, loss, true);
	csv_cell(b, rep->payment, true);
	csv_cell(b, rep->narrative.s, true);
	for (int c = 0; csv_ident_cols[c]; c++) {
		struct buf cell = BUF_INIT;
		for (int i = 0; i < rep->nids; i++) {
			char col[64];
			snprintf(col, sizeof(col), "%s:%s", rep->ids[i].type, rep->ids[i].role);
			if (strcmp(col, csv_ident_cols[c]))
				continue;
			if (cell.len)
				buf_addch(&cell, ';');
			buf_adds(&cell, rep->ids[i].value);
		}
		csv_cell(b, cell.s, true);
		buf_release(&cell);
	}
	buf_adds(b, "\r\n");
}

/* ---- the whole run ---- */

/* Show the hooks (demo_flows.c) a ring and a report; they never touch the random stream. */
static void hook_ring(const struct demo_hooks *h, int index, const struct ring *g)
{
	struct demo_ring_view v;

	memset(&v, 0, sizeof(v));
	v.index = index;
	v.crime = crime_names[g->crime];
	v.nphones = g->nphones;
	v.naccounts = g->naccounts;
	v.nsecond = g->nsecond;
	v.nwallets = g->nwallets;
	v.ndomains = g->ndomains;
	for (int i = 0; i < g->nphones; i++)
		v.phones[i] = g->phones[i];
	for (int i = 0; i < g->naccounts; i++)
		v.accounts[i] = g->accounts[i];
	for (int i = 0; i < g->nsecond; i++)
		v.second[i] = g->second[i];
	for (int i = 0; i < g->nwallets; i++)
		v.wallets[i] = g->wallets[i];
	for (int i = 0; i < g->ndomains; i++)
		v.domains[i] = g->domains[i];
	h->ring(h->ctx, &v);
}

static void hook_report(const struct demo_hooks *h, const struct report *rep, int ring)
{
	struct demo_report_view v;

	memset(&v, 0, sizeof(v));
	v.source_ref = rep->source_ref;
	v.ring = ring;
	v.occurred = rep->occurred;
	v.reported = rep->reported;
	v.loss_twd = rep->loss;
	v.nids = rep->nids;
	for (int i = 0; i < rep->nids; i++) {
		v.types[i] = rep->ids[i].type;
		v.roles[i] = rep->ids[i].role;
		v.values[i] = rep->ids[i].value;
	}
	h->report(h->ctx, &v);
}

struct recent {
	struct report rep;
	bool used;
};

int demo_generate(FILE *out, const struct demo_options *opt)
{
	static const char *const sectors[] = { "製造業", "零售業", "營造業", "醫療院所", "學校" };
	struct rng r = { opt->seed * 0x2545f4914f6cdd1dULL + 0x1234567 };
	int nrings = (int)(opt->reports / 250) + 4;
	struct ring *rings = calloc((size_t)nrings, sizeof(*rings));
	struct recent last[32];
	struct buf b = BUF_INIT;
	double total = 0;
	int ret = 0;

	if (!rings)
		return ERR_NOMEM;
	memset(last, 0, sizeof(last));
	for (int i = 0; i < nrings; i++) {
		/* Pareto-like sizes: a few large call centers, many small groups. */
		double size = 1.0 / pow(unit(&r) + 0.02, 0.9);
		make_ring(&r, &rings[i], size);
		if (opt->hooks)
			hook_ring(opt->hooks, i, &rings[i]);
		total += size;
		rings[i].weight = total;
	}
	if (opt->csv && out) {
		buf_adds(&b, "source_ref,agency,channel,occurred_at,reported_at,victim_kind,"
			     "victim_sector,crime_type,loss_twd,payment_method,narrative");
		for (int c = 0; csv_ident_cols[c]; c++)
			buf_addf(&b, ",%s", csv_ident_cols[c]);
		buf_adds(&b, "\r\n");
	}
	for (int64_t n = 1; n <= opt->reports && !ret; n++) {
		struct report rep;
		struct recent *prev = &last[below(&r, 32)];
		int ring = -2;
		memset(&rep, 0, sizeof(rep));
		buf_init(&rep.narrative, 0);
		snprintf(rep.source_ref, sizeof(rep.source_ref), "demo-%llu-%07lld",
			(unsigned long long)opt->seed, (long long)n);
		if (prev->used && chance(&r, 0.03)) {
			/* The same victim again, through another channel, a day or two later. */
			const char *first = prev->rep.channel;
			rep = prev->rep;
			buf_init(&rep.narrative, 0);
			snprintf(rep.source_ref, sizeof(rep.source_ref), "demo-%llu-%07lld",
				(unsigned long long)opt->seed, (long long)n);
			rep.channel = strcmp(first, "165") ? "165" : "police_station";
			rep.agency = "CIB";
			rep.reported = prev->rep.reported + (int64_t)below(&r, 2 * DAY) + 3600;
			if (rep.reported > opt->until)
				rep.reported = opt->until;
			buf_addf(&rep.narrative, "被害人另向%s報案，內容同前：%s",
				strcmp(first, "165") ? "165專線" : "警察局", prev->rep.narrative.s);
			buf_release(&prev->rep.narrative);
			prev->used = false;
		} else {
			rep.agency = channel_agency(&r, &rep.channel);
			rep.reported = opt->until - (int64_t)below(&r, 365 * DAY);
			rep.occurred = rep.reported - (int64_t)below(&r, 5 * DAY);
			rep.victim_kind = chance(&r, 0.05) ? "company" : "individual";
			rep.sector = !strcmp(rep.victim_kind, "company") ? sectors[below(&r, 5)] : "";
			if (chance(&r, 0.72)) {
				double w = unit(&r) * total;
				int lo = 0, hi = nrings - 1;
				while (lo < hi) {
					int mid = (lo + hi) / 2;
					if (rings[mid].weight < w)
						lo = mid + 1;
					else
						hi = mid;
				}
				ring_report(&r, &rep, &rings[lo]);
				ring = lo;
			} else {
				ring_report(&r, &rep, NULL);
				ring = -1;
			}
			if (chance(&r, 0.6)) {
				gen_mobile(&r, rep.victim_phone);
				add_id(&rep, "phone", "victim", rep.victim_phone);
			}
			if (prev->used)
				buf_release(&prev->rep.narrative);
			prev->rep = rep;
			prev->rep.narrative = (struct buf)BUF_INIT;
			buf_adds(&prev->rep.narrative, rep.narrative.s);
			prev->used = true;
		}
		if (opt->hooks)
			hook_report(opt->hooks, &rep, ring);
		if (out && opt->csv)
			write_csv(&b, &rep);
		else if (out)
			write_jsonl(&b, &rep);
		buf_release(&rep.narrative);
		if (out && (b.len > 1 << 20 || n == opt->reports)) {
			if (fwrite(b.s, 1, b.len, out) != b.len)
				ret = ERR_IO;
			buf_reset(&b);
		}
	}
	if (out && opt->reports <= 0 && b.len && fwrite(b.s, 1, b.len, out) != b.len)
		ret = ERR_IO;
	for (int i = 0; i < 32; i++)
		if (last[i].used)
			buf_release(&last[i].rep.narrative);
	buf_release(&b);
	free(rings);
	return ret;
}
