/*
 * dns/acl.c - who may transfer the RPZ zones: the secondaries file (one ISP
 * resolver a line, with its address allow list, its TSIG key and where its
 * NOTIFY goes) and the TSIG key file (secrets, readable by the service only).
 *
 *   # name   allow list              key           notify            zones
 *   hinet    allow=203.0.113.0/24    key=hinet.    notify=203.0.113.5
 *   tanet    allow=192.0.2.7,2001:db8::/32         notify=192.0.2.7:53
 *
 *   # key file: name algorithm secret (base64), e.g. from `tsig-keygen`
 *   hinet.   hmac-sha256   kq3G...=
 *
 * A secondary with a key must sign its transfers with it; one without a key
 * is allowed by its address alone (Unbound cannot sign transfers).
 */
#include "dns/internal.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"

int dns_cidr_parse(const char *s, struct dns_cidr *out)
{
	char host[64];
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);
	int64_t bits = -1;
	int max;

	if (len == 0 || len >= sizeof(host))
		return ERR_INVAL;
	memcpy(host, s, len);
	host[len] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, host, out->addr) == 1)
		out->family = AF_INET, max = 32;
	else if (inet_pton(AF_INET6, host, out->addr) == 1)
		out->family = AF_INET6, max = 128;
	else
		return ERR_INVAL;
	if (slash && str_to_int64(slash + 1, 0, max, &bits))
		return ERR_INVAL;
	out->bits = slash ? (int)bits : max;
	return 0;
}

/* The address bytes of addr, with IPv4-mapped IPv6 taken as IPv4. */
static int addr_bytes(const struct sockaddr *addr, uint8_t out[16])
{
	if (addr->sa_family == AF_INET) {
		memcpy(out, &((const struct sockaddr_in *)addr)->sin_addr, 4);
		return AF_INET;
	}
	if (addr->sa_family == AF_INET6) {
		const uint8_t *a = ((const struct sockaddr_in6 *)addr)->sin6_addr.s6_addr;
		static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
		if (!memcmp(a, mapped, 12)) {
			memcpy(out, a + 12, 4);
			return AF_INET;
		}
		memcpy(out, a, 16);
		return AF_INET6;
	}
	return 0;
}

bool dns_cidr_match(const struct dns_cidr *c, const struct sockaddr *addr)
{
	uint8_t a[16];
	int full = c->bits / 8, rest = c->bits % 8;

	if (addr_bytes(addr, a) != c->family)
		return false;
	if (memcmp(a, c->addr, (size_t)full))
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));
		if ((a[full] & mask) != (c->addr[full] & mask))
			return false;
	}
	return true;
}

int dns_addr_parse(const char *s, int default_port, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[64];
	const char *port_s = NULL;
	int64_t port = default_port;
	size_t hlen;

	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close)
			return ERR_INVAL;
		hlen = (size_t)(close - s - 1);
		if (hlen >= sizeof(host))
			return ERR_INVAL;
		memcpy(host, s + 1, hlen);
		host[hlen] = '\0';
		if (close[1] == ':')
			port_s = close + 2;
		else if (close[1])
			return ERR_INVAL;
	} else {
		const char *colon = strchr(s, ':');
		bool v4 = colon && !strchr(colon + 1, ':');
		hlen = v4 ? (size_t)(colon - s) : strlen(s);
		if (hlen >= sizeof(host))
			return ERR_INVAL;
		memcpy(host, s, hlen);
		host[hlen] = '\0';
		if (v4)
			port_s = colon + 1;
	}
	if (port_s && str_to_int64(port_s, 0, 65535, &port))
		return ERR_INVAL;
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*s6);
		return 0;
	}
	return ERR_INVAL;
}

void dns_addr_str(const struct sockaddr *addr, char *out, size_t size)
{
	const void *a = addr->sa_family == AF_INET6
		? (const void *)&((const struct sockaddr_in6 *)addr)->sin6_addr
		: (const void *)&((const struct sockaddr_in *)addr)->sin_addr;

	if (!inet_ntop(addr->sa_family, a, out, (socklen_t)size))
		str_copy(out, size, "?");
}

/* "name" → "name." in lower case into out. */
static int absolute_name(const char *name, char *out, size_t size)
{
	size_t n = strlen(name);

	if (n == 0 || n + 2 > size)
		return ERR_INVAL;
	memcpy(out, name, n + 1);
	if (out[n - 1] != '.')
		out[n] = '.', out[n + 1] = '\0';
	str_lower(out);
	return 0;
}

const struct dns_key *dns_acl_key(const struct dns_acl *acl, const char *name)
{
	char abs[RPZ_NAME_MAX];

	if (!acl || absolute_name(name, abs, sizeof(abs)))
		return NULL;
	for (size_t i = 0; i < acl->nkeys; i++)
		if (!strcmp(acl->keys[i].name, abs))
			return &acl->keys[i];
	return NULL;
}

bool dns_secondary_has_zone(const struct dns_secondary *sec, const char *zone)
{
	const char *p = sec->zones;
	char item[RPZ_NAME_MAX], abs[RPZ_NAME_MAX];

	if (!*p)
		return true;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n && n < sizeof(item)) {
			memcpy(item, p, n);
			item[n] = '\0';
			if (!absolute_name(item, abs, sizeof(abs)) && !strcasecmp(abs, zone))
				return true;
		}
		p += n + (p[n] == ',');
	}
	return false;
}

static bool allows(const struct dns_secondary *sec, const struct sockaddr *addr)
{
	for (size_t i = 0; i < sec->nallow; i++)
		if (dns_cidr_match(&sec->allow[i], addr))
			return true;
	return false;
}

const struct dns_secondary *dns_acl_transfer(const struct dns_acl *acl,
	const struct sockaddr *addr, const struct dns_key *key, const char *zone)
{
	for (size_t i = 0; acl && i < acl->nsecs; i++) {
		const struct dns_secondary *s = &acl->secs[i];
		if (s->key == key && allows(s, addr) && dns_secondary_has_zone(s, zone))
			return s;
	}
	return NULL;
}

bool dns_acl_known_addr(const struct dns_acl *acl, const struct sockaddr *addr)
{
	for (size_t i = 0; acl && i < acl->nsecs; i++)
		if (allows(&acl->secs[i], addr))
			return true;
	return false;
}

/* Split line into up to max words separated by blanks (in place). */
static size_t split_words(char *line, char **words, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (*p && n < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			break;
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static bool valid_name(const char *name)
{
	ldns_rdf *rdf = ldns_dname_new_frm_str(name);

	ldns_rdf_deep_free(rdf);
	return rdf != NULL;
}

/* Decode the base64 secret s into k->raw; its length, 0 when it is not base64. */
static size_t secret_bytes(const char *s, struct dns_key *k)
{
	ldns_rdf *rdf = NULL;
	size_t n;

	if (ldns_str2rdf_b64(&rdf, s) != LDNS_STATUS_OK || !rdf)
		return 0;
	n = ldns_rdf_size(rdf);
	if (n <= sizeof(k->raw)) {
		memcpy(k->raw, ldns_rdf_data(rdf), n);
		k->raw_len = n;
	}
	explicit_bzero(ldns_rdf_data(rdf), n);
	ldns_rdf_deep_free(rdf);
	return n <= sizeof(k->raw) ? n : 0;
}

static int parse_key_line(struct dns_acl *acl, char *line, struct err_msg *err)
{
	char *w[4];
	size_t n = split_words(line, w, 4);
	struct dns_key *k;

	if (n == 0)
		return 0;
	if (n != 3)
		return err_set(err, ERR_INVAL, "dns_tsig_keys", "expected 'NAME hmac-sha256 SECRET'");
	if (strcasecmp(w[1], "hmac-sha256") && strcasecmp(w[1], "hmac-sha256."))
		return err_set(err, ERR_INVAL, "dns_tsig_keys",
			"key '%s': algorithm '%s' is not hmac-sha256", w[0], w[1]);
	acl->keys = xreallocarray(acl->keys, acl->nkeys + 1, sizeof(*acl->keys));
	k = &acl->keys[acl->nkeys];
	memset(k, 0, sizeof(*k));
	if (absolute_name(w[0], k->name, sizeof(k->name)) || !valid_name(k->name))
		return err_set(err, ERR_INVAL, "dns_tsig_keys", "key name '%s' is not a domain name",
			w[0]);
	if (strlen(w[2]) >= sizeof(k->secret) || secret_bytes(w[2], k) < 16)
		return err_set(err, ERR_INVAL, "dns_tsig_keys",
			"key '%s': the secret is not base64 of 16 to 190 bytes", w[0]);
	if (dns_acl_key(acl, k->name))
		return err_set(err, ERR_INVAL, "dns_tsig_keys", "key '%s' is listed twice", w[0]);
	str_copy(k->secret, sizeof(k->secret), w[2]);
	acl->nkeys++;
	return 0;
}

static int parse_allow(struct dns_secondary *s, const char *list, struct err_msg *err)
{
	char item[64];
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == 0 || n >= sizeof(item) || s->nallow == DNS_ALLOW_MAX)
			return err_set(err, ERR_INVAL, "dns_secondaries",
				"secondary '%s': bad allow list (at most %d CIDRs)", s->name,
				DNS_ALLOW_MAX);
		memcpy(item, p, n);
		item[n] = '\0';
		if (dns_cidr_parse(item, &s->allow[s->nallow++]))
			return err_set(err, ERR_INVAL, "dns_secondaries",
				"secondary '%s': '%s' is not an address or CIDR", s->name, item);
		p += n + (p[n] == ',');
	}
	return 0;
}

static int parse_option(struct dns_acl *acl, struct dns_secondary *s, char *word,
	struct err_msg *err)
{
	char *eq = strchr(word, '=');

	if (!eq)
		return err_set(err, ERR_INVAL, "dns_secondaries",
			"secondary '%s': expected KEY=VALUE, got '%s'", s->name, word);
	*eq++ = '\0';
	if (!strcmp(word, "allow"))
		return parse_allow(s, eq, err);
	if (!strcmp(word, "key")) {
		s->key = dns_acl_key(acl, eq);
		if (!s->key)
			return err_set(err, ERR_INVAL, "dns_secondaries",
				"secondary '%s': no key '%s' in the key file", s->name, eq);
		return 0;
	}
	if (!strcmp(word, "notify")) {
		if (dns_addr_parse(eq, 53, &s->notify, &s->notify_len))
			return err_set(err, ERR_INVAL, "dns_secondaries",
				"secondary '%s': notify '%s' is not ADDR[:PORT]", s->name, eq);
		return 0;
	}
	if (!strcmp(word, "zones")) {
		if (strlen(eq) >= sizeof(s->zones))
			return err_set(err, ERR_INVAL, "dns_secondaries",
				"secondary '%s': zone list too long", s->name);
		str_copy(s->zones, sizeof(s->zones), eq);
		return 0;
	}
	return err_set(err, ERR_INVAL, "dns_secondaries", "secondary '%s': unknown option '%s'",
		s->name, word);
}

static int parse_secondary_line(struct dns_acl *acl, char *line, struct err_msg *err)
{
	char *w[12];
	size_t n = split_words(line, w, 12);
	struct dns_secondary *s;
	int ret;

	if (n == 0)
		return 0;
	if (acl->nsecs == DNS_SECONDARIES_MAX)
		return err_set(err, ERR_INVAL, "dns_secondaries", "more than %d secondaries",
			DNS_SECONDARIES_MAX);
	for (size_t i = 0; i < acl->nsecs; i++)
		if (!strcmp(acl->secs[i].name, w[0]))
			return err_set(err, ERR_INVAL, "dns_secondaries",
				"secondary '%s' is listed twice", w[0]);
	acl->secs = xreallocarray(acl->secs, acl->nsecs + 1, sizeof(*acl->secs));
	s = &acl->secs[acl->nsecs];
	memset(s, 0, sizeof(*s));
	for (const char *p = w[0]; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return err_set(err, ERR_INVAL, "dns_secondaries",
				"secondary name '%s': use letters, digits, '-', '_' and '.'", w[0]);
	if (str_copy(s->name, sizeof(s->name), w[0]) >= sizeof(s->name))
		return err_set(err, ERR_INVAL, "dns_secondaries", "secondary name too long");
	s->index = (int)acl->nsecs;
	for (size_t i = 1; i < n; i++) {
		ret = parse_option(acl, s, w[i], err);
		if (ret)
			return ret;
	}
	if (!s->nallow && !s->notify_len)
		return err_set(err, ERR_INVAL, "dns_secondaries",
			"secondary '%s' has neither allow= nor notify=", s->name);
	acl->nsecs++;
	return 0;
}

/* Feed each line of text to fn; prefix errors with what:line. */
static int each_line(struct dns_acl *acl, const char *text, const char *what,
	int (*fn)(struct dns_acl *, char *, struct err_msg *), struct err_msg *err)
{
	const char *p = text;
	int lineno = 0, ret = 0;

	while (*p && !ret) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		lineno++;
		line[strcspn(line, "\r")] = '\0';
		ret = fn(acl, line, err);
		free(line);
		if (ret)
			err_prefix(err, "%s:%d: ", what, lineno);
		p += n + (p[n] == '\n');
	}
	return ret;
}

static int parse_texts(const char *secondaries, const char *keys, const char *sec_name,
	const char *key_name, struct dns_acl **out, struct err_msg *err)
{
	struct dns_acl *acl = xcalloc(1, sizeof(*acl));
	int ret;

	ret = each_line(acl, keys ? keys : "", key_name, parse_key_line, err);
	if (!ret)
		ret = each_line(acl, secondaries ? secondaries : "", sec_name,
			parse_secondary_line, err);
	if (ret) {
		dns_acl_free(acl);
		return ret;
	}
	*out = acl;
	return 0;
}

int dns_acl_parse(const char *secondaries, const char *keys, struct dns_acl **out,
	struct err_msg *err)
{
	return parse_texts(secondaries, keys, "secondaries", "keys", out, err);
}

static int read_text(const char *path, const char *field, bool secret, char **out,
	struct err_msg *err)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	struct stat st;
	size_t n;
	FILE *f;

	*out = NULL;
	if (!*path)
		return 0;
	f = fopen(path, "r");
	if (!f)
		return err_set(err, ERR_IO, field, "cannot open '%s': %s", path, strerror(errno));
	if (secret && !fstat(fileno(f), &st) && (st.st_mode & 077)) {
		fclose(f);
		return err_set(err, ERR_INVAL, field,
			"'%s' is readable by group or others; chmod 600 it", path);
	}
	b.max = 1 << 20;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n))
			break;
	fclose(f);
	if (b.len == b.max) {
		buf_release(&b);
		return err_set(err, ERR_LIMIT, field, "'%s' is larger than 1 MiB", path);
	}
	*out = buf_detach(&b, NULL);
	return 0;
}

int dns_acl_load(const char *secondaries_path, const char *keys_path, struct dns_acl **out,
	struct err_msg *err)
{
	char *secs = NULL, *keys = NULL;
	int ret;

	ret = read_text(keys_path, "dns_tsig_keys", true, &keys, err);
	if (!ret)
		ret = read_text(secondaries_path, "dns_secondaries", false, &secs, err);
	if (!ret)
		ret = parse_texts(secs, keys, secondaries_path, keys_path, out, err);
	if (keys) {
		explicit_bzero(keys, strlen(keys));
		free(keys);
	}
	free(secs);
	return ret;
}

void dns_acl_free(struct dns_acl *acl)
{
	if (!acl)
		return;
	if (acl->keys)
		explicit_bzero(acl->keys, acl->nkeys * sizeof(*acl->keys));
	free(acl->keys);
	free(acl->secs);
	free(acl);
}
