/*
 * intel/ident_store.c - identifiers as rows: one per (type, canonical value),
 * with the type-specific facts kept as JSON for display.
 */
#include "intel/internal.h"

#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "store/store.h"

json_t *intel_ident_detail(const struct ident *id)
{
	json_t *d = json_object();

	switch (id->type) {
	case IDENT_PHONE:
		json_object_set_new(d, "kind", json_string(ident_phone_kind_name(id->phone.kind)));
		json_object_set_new(d, "country_code", json_integer(id->phone.country_code));
		if (id->phone.region[0])
			json_object_set_new(d, "region", json_string(id->phone.region));
		break;
	case IDENT_BANK_ACCOUNT:
		json_object_set_new(d, "bank_code", json_string(id->bank.bank_code));
		json_object_set_new(d, "bank_name", json_string(id->bank.bank_name ? id->bank.bank_name : ""));
		json_object_set_new(d, "iban", json_boolean(id->bank.iban));
		break;
	case IDENT_DOMAIN:
		json_object_set_new(d, "registrable", json_string(id->domain.registrable));
		json_object_set_new(d, "unicode", json_string(id->domain.unicode));
		break;
	case IDENT_URL:
		json_object_set_new(d, "host", json_string(id->url.host));
		break;
	case IDENT_IP:
		json_object_set_new(d, "family", json_integer(id->ip.family));
		json_object_set_new(d, "scope", json_string(ident_ip_scope_name(id->ip.scope)));
		if (id->ip.prefix_len >= 0)
			json_object_set_new(d, "prefix_len", json_integer(id->ip.prefix_len));
		break;
	case IDENT_EMAIL:
		json_object_set_new(d, "domain", json_string(id->email.domain));
		break;
	case IDENT_WALLET:
		json_object_set_new(d, "chain", json_string(ident_chain_name(id->wallet.chain)));
		json_object_set_new(d, "kind", json_string(ident_wallet_kind_name(id->wallet.kind)));
		break;
	default:
		break;
	}
	return d;
}

int intel_ident_upsert(struct store_conn *c, const struct ident *id, int64_t *row)
{
	struct store_stmt *st;
	char now[32];
	json_t *facts = intel_ident_detail(id);
	char *detail = json_dumps(facts, JSON_COMPACT | JSON_SORT_KEYS);
	int ret;

	json_decref(facts);
	clock_format_iso_s(clock_now(), now, sizeof(now));
	/* The no-op update makes RETURNING give the id of an existing row too. */
	ret = store_query(c, &st,
		"INSERT INTO identifiers (type, value, display, detail, sensitive, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (type, value) DO UPDATE SET type = excluded.type"
		" RETURNING id",
		"ttttbt", ident_type_name(id->type), id->value, id->display, detail ? detail : "{}",
		(int)((id->flags & IDENT_SENSITIVE) != 0), now);
	free(detail);
	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		*row = store_col_int64(st, 0);
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_INTERNAL;
	}
	store_finish(st);
	return ret;
}

void intel_time(int64_t t, char out[32])
{
	if (t)
		clock_format_iso_s(t, out, 32);
	else
		out[0] = '\0';
}

int64_t intel_time_parse(const char *s)
{
	struct tm tm = { 0 };

	if (!s || !*s || !strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return 0;
	return (int64_t)timegm(&tm);
}
