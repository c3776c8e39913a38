/*
 * ident/ident.h - identifiers (phone, bank account, domain, URL, IP, email,
 * wallet, LINE ID, Telegram, social profile, national ID, IMEI): parse any
 * accepted spelling, validate, and normalise to one canonical form, so that
 * one phone number is one row however it was typed.
 *
 * Data flow: input (API, CLI, import, narrative) → ident → domain modules → store.
 * The canonical forms are listed in docs/user/identifiers.md; a canonical value
 * always parses back to itself (ident_parse is idempotent).
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

struct err_msg;

enum ident_type {
	IDENT_PHONE = 1,
	IDENT_BANK_ACCOUNT,
	IDENT_DOMAIN,
	IDENT_URL,
	IDENT_IP,
	IDENT_EMAIL,
	IDENT_WALLET,
	IDENT_LINE_ID,
	IDENT_TELEGRAM,
	IDENT_SOCIAL_PROFILE,
	IDENT_NATIONAL_ID,
	IDENT_IMEI,
};

#define IDENT_TYPE_FIRST IDENT_PHONE
#define IDENT_TYPE_LAST IDENT_IMEI

/* Size of value and display buffers, including the NUL. */
#define IDENT_VALUE_SIZE 1024
/* Size of a domain name buffer: 253 characters and the NUL, rounded up. */
#define IDENT_DOMAIN_SIZE 256
/* Most bytes of input any parser looks at; longer input is rejected. */
#define IDENT_INPUT_MAX 4096

enum ident_phone_kind {
	IDENT_PHONE_UNKNOWN = 0, /* valid length, kind not known (most foreign numbers) */
	IDENT_PHONE_MOBILE,
	IDENT_PHONE_LANDLINE,
	IDENT_PHONE_TOLL_FREE,   /* Taiwanese 0800 and 0809 */
	IDENT_PHONE_SHORT_CODE,  /* Taiwanese 1xx and 1xxx service numbers: 165, 110, 119, 113 */
	IDENT_PHONE_VOIP,        /* Taiwanese 070 */
};

struct ident_phone {
	enum ident_phone_kind kind;
	int country_code;   /* E.164 calling code: 886, 1, 86 …; 886 for short codes */
	char region[3];     /* ISO 3166 region when the code maps to one ("TW", "HK"), else "" */
	char extension[8];  /* digits after 分機/轉/ext, "" when none; not part of value */
};

struct ident_bank_account {
	char bank_code[4];    /* 3-digit financial-institution code, "" for an IBAN */
	char branch_code[5];  /* 4-digit branch when given as a 7-digit code, else "" */
	const char *bank_name; /* static string (Traditional Chinese), "" when unknown */
	char account[36];     /* account digits as typed, leading zeros kept; IBAN for IBANs */
	bool iban;            /* value is an IBAN (ISO 13616), validated mod 97 */
};

struct ident_domain {
	char registrable[IDENT_DOMAIN_SIZE]; /* e.g. "example.co.uk" (A-labels) */
	char unicode[IDENT_DOMAIN_SIZE * 2]; /* U-label form for display */
};

struct ident_url {
	char host[IDENT_DOMAIN_SIZE]; /* canonical host: a domain value or an IP value */
	char registrable[IDENT_DOMAIN_SIZE]; /* the host's registrable domain; "" for an IP */
	bool host_is_ip;
};

enum ident_ip_scope {
	IDENT_IP_PUBLIC = 0,
	IDENT_IP_PRIVATE,    /* RFC 1918, RFC 4193, CGNAT 100.64/10 */
	IDENT_IP_LOOPBACK,
	IDENT_IP_LINK_LOCAL,
	IDENT_IP_RESERVED,   /* unspecified, multicast, documentation, other special use */
};

struct ident_ip {
	int family;        /* 4 or 6 */
	int prefix_len;    /* -1 for a single address, else the CIDR prefix length */
	enum ident_ip_scope scope;
};

struct ident_email {
	char domain[IDENT_DOMAIN_SIZE]; /* canonical domain of the address */
};

enum ident_chain {
	IDENT_CHAIN_BTC = 1,
	IDENT_CHAIN_ETH,  /* Ethereum and other EVM chains: the same address format */
	IDENT_CHAIN_TRON,
};

enum ident_wallet_kind {
	IDENT_WALLET_P2PKH = 1, /* BTC 1…; TRON T… addresses are P2PKH-like */
	IDENT_WALLET_P2SH,      /* BTC 3… */
	IDENT_WALLET_P2WPKH,    /* bc1q…, 20-byte program */
	IDENT_WALLET_P2WSH,     /* bc1q…, 32-byte program */
	IDENT_WALLET_P2TR,      /* bc1p…, witness v1, 32-byte program */
	IDENT_WALLET_WITNESS,   /* other witness versions (future segwit) */
	IDENT_WALLET_ACCOUNT,   /* ETH 0x… account */
};

struct ident_wallet {
	enum ident_chain chain;
	enum ident_wallet_kind kind;
};

enum ident_social_site {
	IDENT_SOCIAL_FACEBOOK = 1,
	IDENT_SOCIAL_INSTAGRAM,
};

struct ident_social {
	enum ident_social_site site; /* only for IDENT_SOCIAL_PROFILE */
	bool numeric_id;             /* a Facebook numeric profile/page id, not a username */
	bool official;               /* a LINE official account (@…), only for IDENT_LINE_ID */
};

enum ident_national_id_kind {
	IDENT_NID_CITIZEN = 1,     /* second character 1 or 2 */
	IDENT_NID_RESIDENT,        /* new resident certificate: second character 8 or 9 */
	IDENT_NID_RESIDENT_OLD,    /* old resident certificate: second character A-D */
};

struct ident_national_id {
	enum ident_national_id_kind kind;
};

struct ident_imei {
	char svn[3]; /* software version of an IMEISV input, "" otherwise */
	bool check_digit_computed; /* the input had 14 or 16 digits, no check digit */
};

/* Flags of struct ident. */
enum ident_flags {
	IDENT_SENSITIVE = 1 << 0, /* personal data: show ident_mask() to non-members */
};

struct ident {
	enum ident_type type;
	char value[IDENT_VALUE_SIZE];   /* canonical form, NUL-terminated */
	char display[IDENT_VALUE_SIZE]; /* for people (grouped, Unicode), NUL-terminated */
	unsigned flags;                 /* enum ident_flags */
	union {
		struct ident_phone phone;
		struct ident_bank_account bank;
		struct ident_domain domain;
		struct ident_url url;
		struct ident_ip ip;
		struct ident_email email;
		struct ident_wallet wallet;
		struct ident_social social;  /* LINE, Telegram and social profiles */
		struct ident_national_id national_id;
		struct ident_imei imei;
	};
};

/* The stable lower-case name of type ("phone", "bank_account" …), or "unknown". */
const char *ident_type_name(enum ident_type type);

/*
 * Parse a type name (as returned by ident_type_name(); also "bank", "account",
 * "line", "tg", "ipv4", "ipv6", "cidr", "crypto" aliases) into *out.
 * Returns 0, or ERR_INVAL for an unknown name.
 */
int ident_type_parse(const char *name, enum ident_type *out);

/*
 * Parse the len bytes at s (UTF-8, need not be NUL-terminated, may hold any
 * bytes) as an identifier of the given type: fold full-width characters,
 * validate, normalise. On success fills *out and returns 0. On failure returns
 * ERR_INVAL and, if err is not NULL, sets err->field to the type name and
 * err->message to e.g. "cannot parse phone '0912': too few digits"; *out is
 * then unspecified. Allocates nothing that outlives the call; thread-safe.
 */
int ident_parse(struct ident *out, enum ident_type type, const char *s, size_t len,
	struct err_msg *err);

/*
 * Guess the type of the len bytes at s (one identifier, surrounding space
 * allowed) and parse it. The order of the guesses is documented in
 * docs/user/identifiers.md; an ambiguous "@name" (LINE or Telegram) is
 * refused. Returns 0 and fills *out, or ERR_PARSE with err (field "identifier")
 * saying why nothing matched.
 */
int ident_detect(struct ident *out, const char *s, size_t len, struct err_msg *err);

/*
 * Write into out[0..max) the identifiers derived from id: a URL's host (domain
 * or IP) and the profile it names (Facebook, Instagram, Telegram, LINE links);
 * an email address's domain. Returns how many were written (0 when none or
 * max is 0); never fails.
 */
size_t ident_related(const struct ident *id, struct ident *out, size_t max);

/*
 * Write into out (size bytes, always NUL-terminated when size > 0) the form of
 * id to show to someone who may not see it: for IDENT_SENSITIVE types a masked
 * value ("A12****789"), otherwise the display form.
 */
void ident_mask(const struct ident *id, char *out, size_t size);

/*
 * Write a one-line human description of id into out (size bytes, always
 * NUL-terminated when size > 0), e.g.
 * "phone +886912345678 (mobile, TW) display '+886 912 345 678'".
 * For tests, logs and the CLI; never contains an unmasked sensitive value.
 */
void ident_describe(const struct ident *id, char *out, size_t size);

/* Names of detail enums, for describe, JSON and the CLI ("mobile", "btc", "p2tr" …). */
const char *ident_phone_kind_name(enum ident_phone_kind kind);
const char *ident_chain_name(enum ident_chain chain);
const char *ident_wallet_kind_name(enum ident_wallet_kind kind);
const char *ident_ip_scope_name(enum ident_ip_scope scope);
