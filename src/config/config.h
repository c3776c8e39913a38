/*
 * config/config.h - the one configuration of a rootcut process.
 *
 * Values come, in rising priority, from built-in defaults, the config file
 * (`key = value` lines; <data>/rootcut.conf or --config FILE) and environment
 * variables (ROOTCUT_<KEY> in upper case). Every key is declared once in
 * config.c's table with its default and help text; `rootcut config` prints the
 * table, and docs/ops/configuration.md is generated from it.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct err_msg;

struct config {
	char listen[128];        /* ADDR:PORT of the HTTP(S) server */
	int64_t threads;         /* HTTP worker threads; 0 = number of CPUs */
	char tls_cert[512];      /* PEM certificate file; TLS is on when cert and key are set */
	char tls_key[512];       /* PEM private key file */
	char trusted_proxies[512]; /* addresses of reverse proxies whose X-Forwarded-For is believed */
	char web_root[512];      /* directory of the built web UI; "" = search next to the binary */
	int64_t max_body_bytes;  /* largest request body accepted */
	int64_t max_headers;     /* most request header fields accepted */
	int64_t max_header_bytes; /* memory for one request's headers */
	int64_t request_timeout_s; /* idle connections are closed after this */
	int64_t max_connections; /* concurrent connections */
	int64_t session_ttl_s;   /* a session ends this long after login */
	int64_t session_idle_s;  /* a session ends after this long unused */
	int64_t login_max_failures; /* failed logins in a row before the account locks */
	int64_t login_lockout_s; /* how long a locked account stays locked */
	int64_t login_rate_per_minute; /* login attempts allowed per source address per minute */
	int64_t argon2_t_cost;   /* argon2id passes */
	int64_t argon2_m_kib;    /* argon2id memory in KiB */
	int64_t password_min_length; /* shortest password accepted */
	int64_t db_pool_size;    /* database connections; 0 = threads + 2 */
	bool db_synchronous_full; /* fsync each commit (on) or rely on WAL checkpoints (off) */
	int64_t lookup_report_ttl_days; /* reported-only listings stop being flagged after this */
	int64_t fanout_review_threshold; /* reports after which an identifier is held for review */
	char rpz_zones[1024];    /* comma-separated RPZ zones (feeds); the first is the default */
	char rpz_mname[256];     /* SOA MNAME and the NS of every zone */
	char rpz_rname[256];     /* SOA RNAME (the contact, an '@' written as the first '.') */
	int64_t rpz_refresh_s;   /* SOA refresh */
	int64_t rpz_retry_s;     /* SOA retry */
	int64_t rpz_expire_s;    /* SOA expire */
	int64_t rpz_minimum_s;   /* SOA minimum (negative caching) */
	int64_t rpz_ttl_s;       /* TTL of the SOA, NS and every rule */
	int64_t rpz_journal_keep; /* serials kept in the journal for IXFR */
	char rpz_canary[256];    /* a name always blocked in every zone */
	char rpz_redirect[512];  /* default target of redirect orders */
	int64_t rpz_poll_s;      /* how often serve looks for due starts and expiries at least */
	char incident_policy[512]; /* incident policy file (deadlines, levels); "" = shipped defaults */
	int64_t incident_poll_s; /* how often serve looks for due incident deadlines at least */
	char dns_listen[128];    /* ADDR:PORT of the RPZ primary (UDP and TCP); "" = off */
	char dns_secondaries[512]; /* file listing the secondaries (dns/acl.c); "" = none */
	char dns_tsig_keys[512]; /* file of TSIG key secrets, mode 600; "" = none */
	int64_t dns_notify_retries; /* resends of an unacknowledged NOTIFY */
	int64_t dns_poll_ms;     /* how often other processes' zone changes are looked for */
	int64_t dns_tcp_clients; /* concurrent TCP connections (transfers) */
	char log_level[16];      /* debug, info, warn, error */
	char access_log[512];    /* "-" for stderr, "off", or a file path */
	char path[512];          /* the file the config was read from, "" if none */
};

/* Fill cfg with the built-in defaults. */
void config_defaults(struct config *cfg);

/*
 * Read the config file at path (an error if it does not exist when required is
 * true; silently skipped otherwise), then apply ROOTCUT_* environment variables.
 * On a bad line or value returns ERR_INVAL naming the key (and file:line) in err.
 */
int config_load(struct config *cfg, const char *path, bool required, struct err_msg *err);

/*
 * Read `key = value` lines (blank lines and # comments skipped) from f into cfg,
 * naming the input name in messages. Used by config_load() and the fuzz target.
 * On a bad line returns ERR_INVAL with the key as field and "name:line: " in
 * front of the reason; ERR_IO when f cannot be read. Leaves f open.
 */
int config_parse(struct config *cfg, FILE *f, const char *name, struct err_msg *err);

/* Set one key from its text value; used by the file, the environment and tests. */
int config_set(struct config *cfg, const char *key, const char *value, struct err_msg *err);

/*
 * Print every key with its environment variable, default and help, as a
 * Markdown table when markdown is true, else as a commented config file.
 */
void config_print_reference(FILE *out, bool markdown);

/* Print the effective values (never secrets: key files are named, not read). */
void config_print_effective(const struct config *cfg, FILE *out);
