/*
 * graph/flow.c - one flow from the text of one row: the columns of each kind
 * (English names and the Chinese headings banks and telecoms deliver), the
 * ends parsed as identifiers through src/ident, times and amounts checked,
 * and a natural key (source reference) so a re-import adds nothing twice.
 *
 * Data flow: import file → flow_import.c (records) → here (struct
 * graph_flow) → flow_import.c (store).
 */
#include "graph/graph.h"

#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/rocdate.h"
#include "base/str.h"

static const char *const kind_names[] = { NULL, "transfer", "call", "resolution", "contact",
	"chain" };

const char *graph_flow_kind_name(enum graph_flow_kind kind)
{
	return kind >= GRAPH_FLOW_TRANSFER && kind <= GRAPH_FLOW_KIND_LAST ? kind_names[kind] : NULL;
}

int graph_flow_kind_parse(const char *name, enum graph_flow_kind *out)
{
	for (int k = GRAPH_FLOW_TRANSFER; name && k <= GRAPH_FLOW_KIND_LAST; k++) {
		if (!strcmp(name, kind_names[k])) {
			*out = (enum graph_flow_kind)k;
			return 0;
		}
	}
	return ERR_INVAL;
}

/* A column of a kind: its canonical name first, then its other spellings. */
struct column {
	enum graph_flow_kind kind;
	enum graph_field field;
	const char *names[4];
};

static const struct column columns[] = {
	{ GRAPH_FLOW_TRANSFER, GRAPH_F_REF, { "source_ref", "transaction_id", "交易序號" } },
	{ GRAPH_FLOW_TRANSFER, GRAPH_F_SRC, { "from_account", "轉出帳號" } },
	{ GRAPH_FLOW_TRANSFER, GRAPH_F_DST, { "to_account", "轉入帳號" } },
	{ GRAPH_FLOW_TRANSFER, GRAPH_F_AMOUNT_TWD, { "amount", "amount_twd", "金額", "交易金額" } },
	{ GRAPH_FLOW_TRANSFER, GRAPH_F_TIME, { "time", "交易時間" } },
	{ GRAPH_FLOW_TRANSFER, GRAPH_F_CHANNEL, { "channel", "交易管道" } },
	{ GRAPH_FLOW_CALL, GRAPH_F_REF, { "source_ref", "通聯序號" } },
	{ GRAPH_FLOW_CALL, GRAPH_F_SRC, { "caller", "發話號碼" } },
	{ GRAPH_FLOW_CALL, GRAPH_F_DST, { "callee", "受話號碼" } },
	{ GRAPH_FLOW_CALL, GRAPH_F_TIME, { "start", "通話起始時間" } },
	{ GRAPH_FLOW_CALL, GRAPH_F_DURATION, { "duration", "通話秒數" } },
	{ GRAPH_FLOW_CALL, GRAPH_F_CELL, { "cell", "基地台" } },
	{ GRAPH_FLOW_CALL, GRAPH_F_IMEI, { "imei", "序號IMEI" } },
	{ GRAPH_FLOW_RESOLUTION, GRAPH_F_REF, { "source_ref" } },
	{ GRAPH_FLOW_RESOLUTION, GRAPH_F_SRC, { "domain", "網域" } },
	{ GRAPH_FLOW_RESOLUTION, GRAPH_F_DST, { "ip", "IP位址" } },
	{ GRAPH_FLOW_RESOLUTION, GRAPH_F_TIME, { "time", "解析時間" } },
	{ GRAPH_FLOW_CONTACT, GRAPH_F_REF, { "source_ref" } },
	{ GRAPH_FLOW_CONTACT, GRAPH_F_SRC, { "from", "發送方" } },
	{ GRAPH_FLOW_CONTACT, GRAPH_F_DST, { "to", "接收方" } },
	{ GRAPH_FLOW_CONTACT, GRAPH_F_TIME, { "time", "時間" } },
	{ GRAPH_FLOW_CONTACT, GRAPH_F_CHANNEL, { "platform", "平台" } },
	{ GRAPH_FLOW_CHAIN, GRAPH_F_REF, { "source_ref", "tx_hash", "交易雜湊" } },
	{ GRAPH_FLOW_CHAIN, GRAPH_F_SRC, { "from_wallet", "轉出錢包" } },
	{ GRAPH_FLOW_CHAIN, GRAPH_F_DST, { "to_wallet", "轉入錢包" } },
	{ GRAPH_FLOW_CHAIN, GRAPH_F_TIME, { "time", "交易時間" } },
	{ GRAPH_FLOW_CHAIN, GRAPH_F_AMOUNT_ASSET, { "amount", "數量" } },
	{ GRAPH_FLOW_CHAIN, GRAPH_F_ASSET, { "asset", "幣別" } },
	{ GRAPH_FLOW_CHAIN, GRAPH_F_AMOUNT_TWD, { "amount_twd", "折合新臺幣" } },
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

int graph_flow_column(enum graph_flow_kind kind, const char *name, enum graph_field *out)
{
	for (size_t i = 0; i < NCOLUMNS; i++) {
		if (columns[i].kind != kind)
			continue;
		for (int n = 0; n < 4 && columns[i].names[n]; n++) {
			if (!strcasecmp(name, columns[i].names[n])) {
				*out = columns[i].field;
				return 0;
			}
		}
	}
	return ERR_NOTFOUND;
}

const char *graph_flow_field_name(enum graph_flow_kind kind, enum graph_field f)
{
	for (size_t i = 0; i < NCOLUMNS; i++)
		if (columns[i].kind == kind && columns[i].field == f)
			return columns[i].names[0];
	return "";
}

void graph_flow_init(struct graph_flow *f, enum graph_flow_kind kind)
{
	memset(f, 0, sizeof(*f));
	f->kind = kind;
}

/* The identifier type of an end of kind; 0 = detect it (contacts). */
static enum ident_type end_type(enum graph_flow_kind kind, bool dst)
{
	switch (kind) {
	case GRAPH_FLOW_TRANSFER: return IDENT_BANK_ACCOUNT;
	case GRAPH_FLOW_CALL: return IDENT_PHONE;
	case GRAPH_FLOW_RESOLUTION: return dst ? IDENT_IP : IDENT_DOMAIN;
	case GRAPH_FLOW_CHAIN: return IDENT_WALLET;
	default: return 0;
	}
}

/* A contact end: "TYPE:value" when TYPE names a type, else detected. */
static int parse_any(struct ident *id, const char *v, size_t len, struct err_msg *err)
{
	const char *colon = memchr(v, ':', len);
	enum ident_type t;
	char name[24];

	if (colon && (size_t)(colon - v) < sizeof(name)) {
		memcpy(name, v, (size_t)(colon - v));
		name[colon - v] = '\0';
		if (!ident_type_parse(name, &t))
			return ident_parse(id, t, colon + 1, len - (size_t)(colon - v) - 1, err);
	}
	return ident_detect(id, v, len, err);
}

static int parse_end(struct graph_flow *f, enum graph_field field, const char *v, size_t len,
	struct err_msg *err)
{
	struct ident *id = field == GRAPH_F_SRC ? &f->src : &f->dst;
	enum ident_type t = end_type(f->kind, field == GRAPH_F_DST);
	struct err_msg e = ERR_MSG_INIT;
	int ret = t ? ident_parse(id, t, v, len, &e) : parse_any(id, v, len, &e);

	if (ret)
		return err_set(err, ERR_INVAL, graph_flow_field_name(f->kind, field), "%s",
			e.message[0] ? e.message : "not an identifier");
	return 0;
}

/* "12345", "12,345", "12345.00", "NT$12,345": whole TWD. */
static int parse_twd(const char *v, int64_t *out)
{
	char digits[32];
	size_t n = 0;
	const char *p = v;

	if (!strncasecmp(p, "NT$", 3))
		p += 3;
	else if (*p == '$')
		p++;
	for (; *p && *p != '.'; p++) {
		if (*p == ',')
			continue;
		if (*p < '0' || *p > '9' || n + 1 >= sizeof(digits))
			return ERR_INVAL;
		digits[n++] = *p;
	}
	if (*p == '.') {
		for (p++; *p == '0'; p++)
			;
		if (*p)
			return ERR_INVAL;
	}
	digits[n] = '\0';
	return str_to_int64(digits, 0, INT64_MAX / 4, out);
}

/* A decimal number of an asset ("1234.5678"): digits with at most one point. */
static bool decimal(const char *v)
{
	int points = 0, digits = 0;

	for (; *v; v++) {
		if (*v == '.')
			points++;
		else if (*v >= '0' && *v <= '9')
			digits++;
		else
			return false;
	}
	return digits > 0 && points <= 1;
}

/* Printable text without control characters, copied into dst. */
static int copy_text(char *dst, size_t size, const char *v, const char *field,
	struct err_msg *err)
{
	if (strlen(v) >= size)
		return err_set(err, ERR_INVAL, field, "longer than %zu bytes", size - 1);
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(err, ERR_INVAL, field, "contains a control character");
	str_copy(dst, size, v);
	return 0;
}

static int set_value(struct graph_flow *f, enum graph_field field, const char *v, size_t len,
	struct err_msg *err)
{
	const char *name = graph_flow_field_name(f->kind, field);
	struct err_msg e = ERR_MSG_INIT;

	switch (field) {
	case GRAPH_F_REF:
		return copy_text(f->source_ref, sizeof(f->source_ref), v, name, err);
	case GRAPH_F_SRC:
	case GRAPH_F_DST:
		return parse_end(f, field, v, len, err);
	case GRAPH_F_TIME:
		if (rocdate_parse(v, &f->at) || f->at <= 0 || f->at >= 4102444800LL)
			return err_set(err, ERR_INVAL, name,
				"cannot read '%s' as a time (2024-03-01T14:05:00+08:00, 113/03/01 14:05)",
				v);
		return 0;
	case GRAPH_F_AMOUNT_TWD:
		if (parse_twd(v, &f->amount_twd))
			return err_set(err, ERR_INVAL, name,
				"'%s' is not a whole amount of TWD (120000, 120,000, NT$120,000)", v);
		return 0;
	case GRAPH_F_DURATION:
		if (str_to_int64(v, 0, 7 * 86400, &f->duration_s))
			return err_set(err, ERR_INVAL, name, "'%s' is not a number of seconds", v);
		return 0;
	case GRAPH_F_CHANNEL:
		return copy_text(f->channel, sizeof(f->channel), v, name, err);
	case GRAPH_F_CELL:
		return copy_text(f->cell, sizeof(f->cell), v, name, err);
	case GRAPH_F_IMEI:
		if (ident_parse(&f->imei, IDENT_IMEI, v, len, &e))
			return err_set(err, ERR_INVAL, name, "%s", e.message);
		f->has_imei = true;
		return 0;
	case GRAPH_F_ASSET:
		for (const char *p = v; *p; p++)
			if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
				    (*p >= '0' && *p <= '9')))
				return err_set(err, ERR_INVAL, name, "'%s' is not an asset code", v);
		if (copy_text(f->asset, sizeof(f->asset), v, name, err))
			return ERR_INVAL;
		for (char *p = f->asset; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		return 0;
	case GRAPH_F_AMOUNT_ASSET:
		if (!decimal(v))
			return err_set(err, ERR_INVAL, name, "'%s' is not a decimal amount", v);
		return copy_text(f->amount_asset, sizeof(f->amount_asset), v, name, err);
	default:
		return 0;
	}
}

int graph_flow_set(struct graph_flow *f, enum graph_field field, const char *v, size_t len,
	struct err_msg *err)
{
	char text[IDENT_INPUT_MAX];
	char *t;

	if (len >= sizeof(text))
		return err_set(err, ERR_INVAL, graph_flow_field_name(f->kind, field),
			"longer than %d bytes", IDENT_INPUT_MAX - 1);
	memcpy(text, v, len);
	text[len] = '\0';
	if (memchr(v, '\0', len))
		return err_set(err, ERR_INVAL, graph_flow_field_name(f->kind, field),
			"contains a NUL byte");
	t = str_trim(text);
	if (!*t || field == GRAPH_F_IGNORE)
		return 0;
	return set_value(f, field, t, strlen(t), err);
}

/* The content that identifies a flow without a source reference. */
static void derive_ref(struct graph_flow *f)
{
	struct buf b = BUF_INIT;
	char hex[CRYPTO_SHA256_HEX_LEN];

	buf_addf(&b, "%s\x1f%s:%s\x1f%s:%s\x1f%lld\x1f%lld\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s",
		graph_flow_kind_name(f->kind), ident_type_name(f->src.type), f->src.value,
		ident_type_name(f->dst.type), f->dst.value, (long long)f->at,
		(long long)f->amount_twd, (long long)f->duration_s, f->channel, f->cell,
		f->has_imei ? f->imei.value : "", f->asset, f->amount_asset);
	crypto_sha256_hex(b.s, b.len, hex);
	snprintf(f->source_ref, sizeof(f->source_ref), "%s:%.24s", graph_flow_kind_name(f->kind),
		hex);
	buf_release(&b);
}

int graph_flow_finish(struct graph_flow *f, struct err_msg *err)
{
	if (!f->src.type)
		return err_set(err, ERR_INVAL, graph_flow_field_name(f->kind, GRAPH_F_SRC),
			"is required");
	if (!f->dst.type)
		return err_set(err, ERR_INVAL, graph_flow_field_name(f->kind, GRAPH_F_DST),
			"is required");
	if (!f->at)
		return err_set(err, ERR_INVAL, graph_flow_field_name(f->kind, GRAPH_F_TIME),
			"is required");
	if (f->src.type == f->dst.type && !strcmp(f->src.value, f->dst.value))
		return err_set(err, ERR_INVAL, graph_flow_field_name(f->kind, GRAPH_F_DST),
			"is the same as %s", graph_flow_field_name(f->kind, GRAPH_F_SRC));
	if (f->kind == GRAPH_FLOW_TRANSFER && !f->amount_twd)
		return err_set(err, ERR_INVAL, "amount", "is required and above 0 for a transfer");
	if (f->kind == GRAPH_FLOW_CHAIN && !f->amount_asset[0] && !f->amount_twd)
		return err_set(err, ERR_INVAL, "amount", "is required for an on-chain transfer");
	if (!f->source_ref[0])
		derive_ref(f);
	return 0;
}
