/*
 * config/config.c - the table of configuration keys and the loader for the
 * config file and ROOTCUT_* environment variables.
 */
#include "config/config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"

enum kind { K_STR, K_INT, K_BOOL };

struct key {
	const char *name;
	enum kind kind;
	size_t offset;
	size_t size;         /* for strings: the field's capacity */
	const char *def;     /* default as text */
	int64_t min, max;    /* for integers */
	const char *help;
};

#define STR(f, d, h) { #f, K_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f), d, 0, 0, h }
#define INT(f, d, lo, hi, h) { #f, K_INT, offsetof(struct config, f), 0, d, lo, hi, h }
#define BOOL(f, d, h) { #f, K_BOOL, offsetof(struct config, f), 0, d, 0, 1, h }

static const struct key keys[] = {
	STR(listen, "127.0.0.1:8080", "address and port of the HTTP(S) server (IPv6 as [::1]:8080)"),
	INT(threads, "0", 0, 256, "HTTP worker threads; 0 means one per CPU"),
	STR(tls_cert, "", "PEM certificate file; HTTPS is served when tls_cert and tls_key are set"),
	STR(tls_key, "", "PEM private key file for tls_cert"),
	STR(trusted_proxies, "", "comma-separated addresses of reverse proxies whose X-Forwarded-For "
		"names the client (audit, access log, rate limit); empty = trust none"),
	STR(web_root, "", "directory of the built web UI; empty means web/dist next to the binary"),
	INT(max_body_bytes, "1048576", 1024, 1073741824, "largest request body accepted (bytes)"),
	INT(max_headers, "64", 8, 1024, "most request header fields accepted"),
	INT(max_header_bytes, "32768", 4096, 1048576, "memory for one request's header block (bytes)"),
	INT(request_timeout_s, "30", 1, 3600, "idle connections are closed after this many seconds"),
	INT(max_connections, "1024", 16, 65536, "most concurrent client connections"),
	INT(session_ttl_s, "43200", 60, 2592000, "a session ends this many seconds after login"),
	INT(session_idle_s, "1800", 60, 2592000, "a session ends after this many seconds unused"),
	INT(login_max_failures, "5", 1, 100, "failed logins in a row before an account locks"),
	INT(login_lockout_s, "900", 1, 86400, "seconds a locked account stays locked"),
	INT(login_rate_per_minute, "30", 1, 100000, "login attempts per source address per minute"),
	INT(argon2_t_cost, "2", 1, 20, "argon2id passes for password hashing"),
	INT(argon2_m_kib, "19456", 1024, 4194304, "argon2id memory per hash (KiB)"),
	INT(password_min_length, "12", 8, 128, "shortest password accepted"),
	INT(db_pool_size, "0", 0, 256, "database connections; 0 means threads + 2"),
	BOOL(db_synchronous_full, "on", "fsync every commit (on: no acknowledged write is lost even on power loss)"),
	INT(lookup_report_ttl_days, "365", 1, 36500,
		"days after its last report that a reported, never confirmed listing stops being flagged"),
	INT(fanout_review_threshold, "200", 2, 100000000,
		"reports naming one identifier before its hits are held for review (warning list candidates)"),
	STR(rpz_zones, "rpz.rootcut.tw", "comma-separated RPZ zones (feeds) that orders are published "
		"in; the first is the default zone of a new order"),
	STR(rpz_mname, "ns.rootcut.tw", "SOA MNAME of every RPZ zone, also its single NS record"),
	STR(rpz_rname, "hostmaster.rootcut.tw", "SOA RNAME of every RPZ zone (the contact address "
		"with its '@' written as '.')"),
	INT(rpz_refresh_s, "60", 5, 86400, "SOA refresh of the RPZ zones (seconds): how often "
		"resolvers that missed a NOTIFY ask for the serial"),
	INT(rpz_retry_s, "60", 5, 86400, "SOA retry of the RPZ zones (seconds)"),
	INT(rpz_expire_s, "2419200", 3600, 31536000, "SOA expire of the RPZ zones (seconds): how "
		"long a resolver keeps enforcing its copy when it cannot reach rootcut"),
	INT(rpz_minimum_s, "60", 0, 86400, "SOA minimum of the RPZ zones (negative caching, seconds)"),
	INT(rpz_ttl_s, "60", 0, 86400, "TTL of the SOA, the NS and every rule of the RPZ zones"),
	INT(rpz_journal_keep, "1000", 1, 10000000, "serials of each RPZ zone kept in the journal; "
		"a secondary further behind gets a full transfer (AXFR) instead of an IXFR"),
	STR(rpz_canary, "rpz-canary.rootcut.tw", "a name blocked (NXDOMAIN) in every RPZ zone, so a "
		"resolver operator can check that their copy is current; empty = none"),
	STR(rpz_redirect, "", "default target of redirect orders: IPv4 and IPv6 addresses "
		"(comma-separated; A/AAAA local data) or one host name (a CNAME)"),
	INT(rpz_poll_s, "10", 1, 3600, "`serve` applies due order starts and expiries at their time, "
		"and looks for orders changed by other processes at least this often (seconds)"),
	STR(incident_policy, "", "incident policy file: deadlines, levels, reviewers and who is "
		"notified (docs/ops/incident-policy.md); empty = the shipped defaults of seed 003; "
		"reloaded on SIGHUP and when it changes"),
	INT(incident_poll_s, "10", 1, 3600, "`serve` warns of and escalates incident deadlines at "
		"their time, and looks for deadlines changed by other processes at least this often "
		"(seconds)"),
	STR(dns_listen, "", "address and port of the built-in RPZ primary DNS server (UDP and TCP), "
		"e.g. 0.0.0.0:53 or [::]:53; empty = no DNS server (see docs/ops/rpz-resolvers.md)"),
	STR(dns_secondaries, "", "file listing the RPZ secondaries: one a line, NAME allow=CIDR,... "
		"[key=KEYNAME] [notify=ADDR[:PORT]] [zones=ZONE,...]"),
	STR(dns_tsig_keys, "", "file of TSIG keys (NAME hmac-sha256 BASE64 a line) named by "
		"dns_secondaries; must not be readable by group or others"),
	INT(dns_notify_retries, "5", 0, 20, "resends of a NOTIFY a secondary does not acknowledge "
		"(after 1, 2, 4 ... seconds)"),
	INT(dns_poll_ms, "200", 20, 60000, "how often the DNS server looks for zone changes made by "
		"other processes (the CLI), in milliseconds"),
	INT(dns_tcp_clients, "64", 1, 10000, "most concurrent DNS TCP connections (zone transfers)"),
	STR(log_level, "info", "lowest log level written: debug, info, warn, error"),
	STR(access_log, "-", "request log: '-' for stderr, 'off', or a file path"),
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const struct key *find_key(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "on", "true", "yes", "1" };
	static const char *const no[] = { "off", "false", "no", "0" };

	for (int i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = true, 0;
		if (strcasecmp(v, no[i]) == 0)
			return *out = false, 0;
	}
	return ERR_INVAL;
}

static int set_key(struct config *cfg, const struct key *k, const char *value,
	struct err_msg *err)
{
	char *field = (char *)cfg + k->offset;
	int64_t v;
	bool b;

	switch (k->kind) {
	case K_STR:
		if (strlen(value) >= k->size)
			return err_set(err, ERR_INVAL, k->name, "value is longer than %zu bytes",
				k->size - 1);
		str_copy(field, k->size, value);
		return 0;
	case K_INT:
		if (str_to_int64(value, k->min, k->max, &v))
			return err_set(err, ERR_INVAL, k->name,
				"'%s' is not a whole number from %lld to %lld", value,
				(long long)k->min, (long long)k->max);
		memcpy(field, &v, sizeof(v));
		return 0;
	case K_BOOL:
		if (parse_bool(value, &b))
			return err_set(err, ERR_INVAL, k->name, "'%s' is not on or off", value);
		memcpy(field, &b, sizeof(b));
		return 0;
	}
	return ERR_INTERNAL;
}

int config_set(struct config *cfg, const char *key, const char *value, struct err_msg *err)
{
	const struct key *k = find_key(key);

	if (!k)
		return err_set(err, ERR_INVAL, key, "unknown configuration key");
	return set_key(cfg, k, value, err);
}

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < NKEYS; i++)
		if (set_key(cfg, &keys[i], keys[i].def, NULL))
			abort(); /* a bad default is a bug caught by the first test run */
}

int config_parse(struct config *cfg, FILE *f, const char *name, struct err_msg *err)
{
	struct buf line = BUF_INIT;
	int lineno = 0;
	int ret = 0;

	line.max = 4096;
	while (!ret && (ret = buf_getline(&line, f)) == 0) {
		char *s = str_trim(line.s);
		char *eq;
		lineno++;
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			ret = err_set(err, ERR_INVAL, "config", "%s:%d: expected 'key = value'",
				name, lineno);
			break;
		}
		*eq = '\0';
		ret = config_set(cfg, str_trim(s), str_trim(eq + 1), err);
		if (ret)
			err_prefix(err, "%s:%d: ", name, lineno);
	}
	if (ret == ERR_EOF && ferror(f))
		ret = err_set(err, ERR_IO, "config", "cannot read '%s': %s", name, strerror(errno));
	else if (ret == ERR_EOF)
		ret = 0;
	else if (ret == ERR_LIMIT)
		ret = err_set(err, ERR_INVAL, "config", "%s:%d: line too long", name, lineno + 1);
	buf_release(&line);
	return ret;
}

static int load_file(struct config *cfg, const char *path, bool required, struct err_msg *err)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return required ? err_set(err, ERR_IO, "config", "cannot open '%s': %s", path,
					  strerror(errno))
				: 0;
	ret = config_parse(cfg, f, path, err);
	fclose(f);
	if (!ret)
		str_copy(cfg->path, sizeof(cfg->path), path);
	return ret;
}

static void env_name(const char *key, char *out, size_t size)
{
	size_t n = (size_t)snprintf(out, size, "ROOTCUT_%s", key);

	for (size_t i = 8; i < n && i < size; i++)
		out[i] = (char)toupper((unsigned char)out[i]);
}

int config_load(struct config *cfg, const char *path, bool required, struct err_msg *err)
{
	int ret = path ? load_file(cfg, path, required, err) : 0;

	for (size_t i = 0; i < NKEYS && !ret; i++) {
		char name[64];
		const char *v;
		env_name(keys[i].name, name, sizeof(name));
		v = getenv(name);
		if (v)
			ret = set_key(cfg, &keys[i], v, err);
		if (ret)
			err_prefix(err, "environment %s: ", name);
	}
	return ret;
}

void config_print_reference(FILE *out, bool markdown)
{
	char env[64];

	if (markdown)
		fprintf(out, "| key | environment | default | meaning |\n|---|---|---|---|\n");
	for (size_t i = 0; i < NKEYS; i++) {
		env_name(keys[i].name, env, sizeof(env));
		if (markdown)
			fprintf(out, "| `%s` | `%s` | `%s` | %s |\n", keys[i].name, env,
				keys[i].def, keys[i].help);
		else
			fprintf(out, "# %s (env %s)\n#%s = %s\n\n", keys[i].help, env,
				keys[i].name, keys[i].def);
	}
}

void config_print_effective(const struct config *cfg, FILE *out)
{
	for (size_t i = 0; i < NKEYS; i++) {
		const char *field = (const char *)cfg + keys[i].offset;
		int64_t v;
		bool b;
		switch (keys[i].kind) {
		case K_STR:
			fprintf(out, "%s = %s\n", keys[i].name, field);
			break;
		case K_INT:
			memcpy(&v, field, sizeof(v));
			fprintf(out, "%s = %lld\n", keys[i].name, (long long)v);
			break;
		case K_BOOL:
			memcpy(&b, field, sizeof(b));
			fprintf(out, "%s = %s\n", keys[i].name, b ? "on" : "off");
			break;
		}
	}
}
