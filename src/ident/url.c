/*
 * ident/url.c - URLs, normalised with curl's URL API: scheme lower case
 * (http, https, ftp; "http://" assumed when missing), host normalised as a
 * domain or IP identifier, user name and password dropped, default port
 * dropped, dot segments removed, empty path "/", percent-encoding normalised
 * (RFC 3986 6.2.2: upper-case hex, unreserved characters but '.' decoded, other
 * non-ASCII and unsafe bytes encoded). Query and fragment are kept: scam sites
 * put routes and invite codes there ("/#/register?code=…").
 */
#include "ident/internal.h"

#include <curl/curl.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"

static const char *const schemes[] = { "http", "https", "ftp" };
static const char scheme_chars[] =
	".abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-";

static bool unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '-' || c == '.' || c == '_' || c == '~';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Normalise the percent-encoding of in into out (size bytes); false when too long. */
static bool normalise_percent(const char *in, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		int v = -1;

		if (o + 4 >= size)
			return false;
		if (*p == '%' && hexval((char)p[1]) >= 0 && hexval((char)p[2]) >= 0) {
			v = hexval((char)p[1]) * 16 + hexval((char)p[2]);
			p += 2;
			/* "%2E" stays encoded: decoding it would make new dot segments. */
			if (unreserved((unsigned char)v) && v != '.') {
				out[o++] = (char)v;
				continue;
			}
		} else if (*p == '%' || *p <= 0x20 || *p >= 0x7f || strchr("\"<>\\^`{|}", *p)) {
			v = *p;
		}
		if (v < 0) {
			out[o++] = (char)*p;
			continue;
		}
		out[o++] = '%';
		out[o++] = hex[v >> 4];
		out[o++] = hex[v & 15];
	}
	out[o] = '\0';
	return true;
}

/* Prefix "http://" when s has no scheme; check the scheme. */
static int with_scheme(const char *s, char *out, size_t size, char *why)
{
	const char *sep = strstr(s, "://");
	size_t n = sep ? (size_t)(sep - s) : 0;
	size_t colon = strspn(s, scheme_chars + 1); /* without the '.' */

	if (!sep && colon && s[colon] == ':' && !(s[colon + 1] >= '0' && s[colon + 1] <= '9'))
		return ident_why(why, "scheme '%.*s' not supported (http, https, ftp)",
			(int)(colon > 20 ? 20 : colon), s);
	if (!sep || strspn(s, scheme_chars) != n) {
		ident_fmt(out, size, "http://%s", str_has_prefix(s, "//") ? s + 2 : s);
		return 0;
	}
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		if (n == strlen(schemes[i]) && ident_prefix_ci(s, schemes[i])) {
			str_copy(out, size, s);
			return 0;
		}
	}
	return ident_why(why, "scheme '%.*s' not supported (http, https, ftp)",
		(int)(n > 20 ? 20 : n), s);
}

static bool looks_like_ip(const char *host)
{
	return host[0] == '[' || strspn(host, "0123456789.") == strlen(host);
}

/* Normalise the host of h as an IP or domain identifier into out->url.host. */
static int fix_host(CURLU *h, struct ident *out, struct ident *host_id, char *why)
{
	char *host = NULL;
	int ret;

	if (curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host || !*host) {
		curl_free(host);
		return ident_why(why, "no host");
	}
	memset(host_id, 0, sizeof(*host_id));
	out->url.host_is_ip = looks_like_ip(host);
	host_id->type = out->url.host_is_ip ? IDENT_IP : IDENT_DOMAIN;
	if (out->url.host_is_ip)
		ret = ident_ip_parse(host_id, host, why);
	else
		ret = ident_domain_parse(host_id, host, why);
	curl_free(host);
	if (ret)
		return ret;
	if (out->url.host_is_ip && host_id->ip.prefix_len >= 0)
		return ident_why(why, "host is an address range");
	str_copy(out->url.host, sizeof(out->url.host), host_id->value);
	str_copy(out->url.registrable, sizeof(out->url.registrable),
		out->url.host_is_ip ? "" : host_id->domain.registrable);
	return 0;
}

/*
 * Append part of h to b (size bytes, used so far *used) after sep, with its
 * percent-encoding normalised; nothing when the part is absent.
 */
static int add_part(CURLU *h, CURLUPart part, const char *sep, char *b, size_t size,
	size_t *used, char *why)
{
	char *raw = NULL;
	bool ok;

	if (curl_url_get(h, part, &raw, 0) != CURLUE_OK || !raw) {
		curl_free(raw);
		return 0;
	}
	if (*used + strlen(sep) + 1 >= size) {
		curl_free(raw);
		return ident_why(why, "too long (more than %d bytes)", IDENT_VALUE_SIZE - 1);
	}
	memcpy(b + *used, sep, strlen(sep));
	*used += strlen(sep);
	ok = normalise_percent(raw, b + *used, size - *used);
	curl_free(raw);
	if (!ok)
		return ident_why(why, "too long (more than %d bytes)", IDENT_VALUE_SIZE - 1);
	*used += strlen(b + *used);
	return 0;
}

static int why_curl(CURLUcode rc, char *why)
{
	switch (rc) {
	case CURLUE_BAD_PORT_NUMBER:
		return ident_why(why, "bad port number");
	case CURLUE_NO_HOST:
		return ident_why(why, "no host");
	case CURLUE_BAD_HOSTNAME:
		return ident_why(why, "bad host name");
	default:
		return ident_why(why, "malformed URL (%s)", curl_url_strerror(rc));
	}
}

/* Display form: the value with the host in Unicode. */
static void fill_display(struct ident *out, const struct ident *host_id)
{
	const char *p = strstr(out->value, "://");
	size_t hlen = strlen(out->url.host);

	str_copy(out->display, sizeof(out->display), out->value);
	if (out->url.host_is_ip || !p || strncmp(p + 3, out->url.host, hlen) != 0 ||
		strcmp(host_id->domain.unicode, out->url.host) == 0)
		return;
	ident_fmt(out->display, sizeof(out->display), "%.*s%s%s", (int)(p + 3 - out->value),
		out->value, host_id->domain.unicode, p + 3 + hlen);
}

/* scheme://host[:port] into b; the port only when not the scheme's default. */
static int add_origin(CURLU *h, const struct ident *out, char *b, size_t size, size_t *used)
{
	char *scheme = NULL, *port = NULL;

	curl_url_get(h, CURLUPART_SCHEME, &scheme, 0);
	curl_url_get(h, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT);
	ident_fmt(b, size, strchr(out->url.host, ':') ? "%s://[%s]%s%s" : "%s://%s%s%s",
		scheme ? scheme : "http", out->url.host, port ? ":" : "", port ? port : "");
	curl_free(scheme);
	curl_free(port);
	*used = strlen(b);
	return 0;
}

static int build(CURLU *h, struct ident *out, struct ident *host_id, char *why)
{
	static const struct {
		CURLUPart part;
		const char *sep;
	} parts[] = { { CURLUPART_PATH, "" }, { CURLUPART_QUERY, "?" },
		{ CURLUPART_FRAGMENT, "#" } };
	char b[IDENT_VALUE_SIZE];
	size_t used = 0;
	int ret;

	ret = fix_host(h, out, host_id, why);
	if (!ret)
		ret = add_origin(h, out, b, sizeof(b), &used);
	for (size_t i = 0; !ret && i < sizeof(parts) / sizeof(parts[0]); i++)
		ret = add_part(h, parts[i].part, parts[i].sep, b, sizeof(b), &used, why);
	if (ret)
		return ret;
	str_copy(out->value, sizeof(out->value), b);
	return 0;
}

int ident_url_parse(struct ident *out, const char *s, char *why)
{
	char copy[IDENT_INPUT_MAX + 16], full[IDENT_INPUT_MAX + 32];
	struct ident host_id;
	CURLU *h = NULL;
	CURLUcode rc;
	int ret;

	str_copy(copy, sizeof(copy), s);
	ident_defang(copy);
	if (strchr(copy, ' '))
		return ident_why(why, "contains a space");
	ret = with_scheme(copy, full, sizeof(full), why);
	if (ret)
		return ret;
	h = curl_url();
	if (!h)
		return ident_why(why, "out of memory");
	rc = curl_url_set(h, CURLUPART_URL, full, 0);
	if (rc != CURLUE_OK)
		ret = why_curl(rc, why);
	else
		ret = build(h, out, &host_id, why);
	if (!ret)
		fill_display(out, &host_id);
	curl_url_cleanup(h);
	return ret;
}
