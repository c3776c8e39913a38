/*
 * ident/internal.h - helpers shared by the files of src/ident/ (not for other
 * modules): input folding, defanging, reasons, and the per-type parsers that
 * ident.c dispatches to.
 *
 * Every per-type parser takes the folded input (NUL-terminated, full-width
 * characters folded to ASCII, outer space trimmed; see ident_fold()) and a
 * reason buffer of IDENT_WHY_SIZE bytes. It returns 0 after filling out (type
 * already set and the rest zeroed by the caller), or ERR_INVAL after writing a
 * lower-case reason without the subject ("too few digits") into why.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ident/ident.h"

#define IDENT_WHY_SIZE 256

/* Write a printf-style reason into why (IDENT_WHY_SIZE bytes); returns ERR_INVAL. */
int ident_why(char *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Fold len bytes at s into out (size bytes): check UTF-8, map full-width ASCII
 * (U+FF01-FF5E) to ASCII, ideographic and other spaces to ' ', dash variants
 * to '-', U+3002 and U+FF61 to '.', U+02CD (a look-alike underscore used in
 * LINE IDs) to '_'; drop zero-width characters and the BOM; map tab, CR and
 * LF to ' '; then trim spaces at both ends. Other UTF-8 is kept as is.
 * Returns 0, or ERR_INVAL with a reason in why (invalid UTF-8, control
 * character, too long).
 */
int ident_fold(const char *s, size_t len, char *out, size_t size, char *why);

/*
 * Undo defanging in place: "[.]" "(.)" "{.}" "[dot]" "(dot)" → ".",
 * "[:]" → ":", "[://]" → "://", "[@]" "(@)" "[at]" "(at)" → "@", and a leading
 * "hxxp" "hxxps" "fxp" (any case) → "http" "https" "ftp". Returns true when
 * something changed.
 */
bool ident_defang(char *s);

/* Bytes of input quoted in a message before it is cut with "...". */
#define IDENT_QUOTE_MAX 80

/*
 * Copy len bytes of raw input s into out (size bytes, NUL-terminated) for a
 * message: valid UTF-8 kept, control and invalid bytes as \xHH, cut after
 * IDENT_QUOTE_MAX bytes with "...".
 */
void ident_quote(const char *s, size_t len, char *out, size_t size);

/* Remove every character of chars from s in place. */
void ident_strip(char *s, const char *chars);

/* True when s is non-empty and holds only ASCII digits. */
bool ident_all_digits(const char *s);

/* Bounded formatted write; output truncated, always NUL-terminated. */
void ident_fmt(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Case-insensitive ASCII prefix test; returns the length of prefix when s
 * starts with it, else 0.
 */
size_t ident_prefix_ci(const char *s, const char *prefix);

/* Per-type parsers: see the contract at the top of this file. */
int ident_phone_parse(struct ident *out, const char *s, char *why);
int ident_bank_account_parse(struct ident *out, const char *s, char *why);
int ident_domain_parse(struct ident *out, const char *s, char *why);
int ident_url_parse(struct ident *out, const char *s, char *why);
int ident_ip_parse(struct ident *out, const char *s, char *why);
int ident_email_parse(struct ident *out, const char *s, char *why);
int ident_wallet_parse(struct ident *out, const char *s, char *why);
int ident_line_id_parse(struct ident *out, const char *s, char *why);
int ident_telegram_parse(struct ident *out, const char *s, char *why);
int ident_social_profile_parse(struct ident *out, const char *s, char *why);
int ident_national_id_parse(struct ident *out, const char *s, char *why);
int ident_imei_parse(struct ident *out, const char *s, char *why);

/*
 * Profiles named by a URL: fill out with the LINE ID, Telegram handle or
 * social profile that the URL (already canonical: scheme, host, path) names.
 * Returns true when it names one.
 */
bool ident_social_from_url(const struct ident *url, struct ident *out);

/* Masked form of a national ID value for non-members ("A12****789"). */
void ident_national_id_mask(const char *value, char *out, size_t size);

/* Luhn check digit (0-9) for the n digits at s. */
int ident_luhn_digit(const char *s, size_t n);

/* Bank-code tables, generated into bank_codes.c by scripts/gen-bank-codes. */
struct ident_bank_code {
	const char *code; /* 3 digits, or 7 for an institution with a branch code */
	const char *name; /* Traditional Chinese name */
};
extern const struct ident_bank_code ident_bank_codes[];   /* 3-digit, sorted by code */
extern const size_t ident_bank_codes_len;
extern const struct ident_bank_code ident_bank_branches[]; /* 7-digit, sorted by code */
extern const size_t ident_bank_branches_len;

/* Name of the institution with the 3- or 7-digit code, or NULL when unknown. */
const char *ident_bank_name(const char *code);

/* Base58 (Bitcoin alphabet) decoding into out (size bytes); returns the byte count or -1. */
int ident_base58_decode(const char *s, uint8_t *out, size_t size);

/*
 * Decode a base58check string: on success returns the payload length (version
 * byte included, checksum removed) written to out, else -1 with a reason.
 */
int ident_base58check_decode(const char *s, uint8_t *out, size_t size, char *why);

enum ident_bech32_encoding { IDENT_BECH32 = 1, IDENT_BECH32M };

/*
 * Decode a segwit address (BIP173/BIP350) with human-readable part hrp.
 * Fills *version (0-16) and program (2-40 bytes, *prog_len); returns 0 or
 * ERR_INVAL with a reason. Checks case, length, charset, checksum, the
 * encoding required by the version, padding and program length.
 */
int ident_segwit_decode(const char *addr, const char *hrp, int *version, uint8_t *program,
	size_t *prog_len, char *why);

/*
 * Decode any bech32/bech32m string: hrp into hrp (84 bytes), 5-bit data (without
 * the checksum) into data, *data_len; *enc tells which checksum matched.
 * Returns 0 or ERR_INVAL with a reason.
 */
int ident_bech32_decode(const char *s, char *hrp, uint8_t *data, size_t *data_len,
	enum ident_bech32_encoding *enc, char *why);

/* Keccak-256 (the original Keccak padding used by Ethereum, not SHA3-256). */
void ident_keccak256(const void *data, size_t len, uint8_t out[32]);

/*
 * The 256-bit sponge behind it with a chosen padding byte: 0x01 is Keccak,
 * 0x06 is FIPS 202 SHA3-256 (which the tests compare with OpenSSL).
 */
void ident_keccak_sponge(const void *data, size_t len, uint8_t pad, uint8_t out[32]);
