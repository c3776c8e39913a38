/*
 * ident/ip.c - IPv4 and IPv6 addresses and CIDR ranges in canonical text
 * (inet_pton → inet_ntop: dotted quad, RFC 5952 for IPv6). Strict on
 * purpose: a leading zero (octal in some tools) or a range with host bits set
 * is refused with the reason, never silently rewritten. A /32 or /128 is a
 * single address; an IPv4-mapped IPv6 address is the IPv4 address.
 */
#include "ident/internal.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"

/* Check an IPv4 dotted quad by hand so the reason can be precise. */
static int check_v4(const char *s, char *why)
{
	int parts = 0;

	for (;;) {
		size_t n = strspn(s, "0123456789");
		int v = 0;

		if (n == 0)
			return ident_why(why, *s ? "unexpected character '%c'" : "empty number",
				*s);
		if (n > 3)
			return ident_why(why, "number '%.*s' is larger than 255", (int)n, s);
		for (size_t i = 0; i < n; i++)
			v = v * 10 + (s[i] - '0');
		if (v > 255)
			return ident_why(why, "number '%.*s' is larger than 255", (int)n, s);
		if (n > 1 && s[0] == '0')
			return ident_why(why, "leading zero in '%.*s' (octal in some tools)",
				(int)n, s);
		parts++;
		s += n;
		if (!*s)
			break;
		if (*s != '.')
			return ident_why(why, "unexpected character '%c'", *s);
		s++;
	}
	if (parts != 4)
		return ident_why(why, "an IPv4 address has four numbers, not %d", parts);
	return 0;
}

static bool in_v4(const uint8_t *a, uint32_t net, int bits)
{
	uint32_t x = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
	uint32_t mask = bits ? 0xffffffffu << (32 - bits) : 0;

	return (x & mask) == net;
}

static enum ident_ip_scope scope_v4(const uint8_t *a)
{
	if (in_v4(a, 0x0a000000, 8) || in_v4(a, 0xac100000, 12) || in_v4(a, 0xc0a80000, 16) ||
		in_v4(a, 0x64400000, 10))
		return IDENT_IP_PRIVATE;
	if (in_v4(a, 0x7f000000, 8))
		return IDENT_IP_LOOPBACK;
	if (in_v4(a, 0xa9fe0000, 16))
		return IDENT_IP_LINK_LOCAL;
	if (in_v4(a, 0, 8) || in_v4(a, 0xe0000000, 3) || in_v4(a, 0xc0000200, 24) ||
		in_v4(a, 0xc6336400, 24) || in_v4(a, 0xcb007100, 24) || in_v4(a, 0xc6120000, 15))
		return IDENT_IP_RESERVED;
	return IDENT_IP_PUBLIC;
}

static enum ident_ip_scope scope_v6(const uint8_t *a)
{
	static const uint8_t loopback[16] = { [15] = 1 };
	static const uint8_t zero[16];

	if (memcmp(a, loopback, 16) == 0)
		return IDENT_IP_LOOPBACK;
	if (memcmp(a, zero, 16) == 0 || a[0] == 0xff ||
		(a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8))
		return IDENT_IP_RESERVED;
	if ((a[0] & 0xfe) == 0xfc)
		return IDENT_IP_PRIVATE;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return IDENT_IP_LINK_LOCAL;
	return IDENT_IP_PUBLIC;
}

/* Zero the bits of addr (nbytes) after prefix; true when any was set. */
static bool clear_host_bits(uint8_t *addr, size_t nbytes, int prefix)
{
	bool set = false;

	for (size_t i = 0; i < nbytes; i++) {
		int keep = prefix - (int)i * 8;
		uint8_t mask = keep >= 8 ? 0xff : keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));

		if (addr[i] & ~mask)
			set = true;
		addr[i] &= mask;
	}
	return set;
}

static int parse_prefix(const char *p, int max, int *prefix, char *why)
{
	int64_t v;

	if (!ident_all_digits(p) || strlen(p) > 3 || str_to_int64(p, 0, max, &v))
		return ident_why(why, "prefix length '/%s' is not a number from 0 to %d", p, max);
	if (strlen(p) > 1 && p[0] == '0')
		return ident_why(why, "leading zero in prefix length '/%s'", p);
	*prefix = (int)v;
	return 0;
}

/* Split "addr/prefix" and strip IPv6 brackets; fills addr and *prefix (-1 when none). */
static int split(const char *s, char *addr, size_t size, int *prefix, char *why)
{
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	*prefix = -1;
	if (s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (!close)
			return ident_why(why, "'[' without ']'");
		if (close[1] == ':')
			return ident_why(why, "has a port (write the address alone)");
		if (close + 1 != s + n)
			return ident_why(why, "unexpected text after ']'");
		s++;
		n = (size_t)(close - s);
	}
	if (n >= size)
		return ident_why(why, "too long");
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (slash)
		return parse_prefix(slash + 1, strchr(addr, ':') ? 128 : 32, prefix, why);
	return 0;
}

static int parse_v6(const char *addr, uint8_t bin[16], char *why)
{
	if (strchr(addr, '%'))
		return ident_why(why, "zone index ('%%') not allowed");
	if (strchr(addr, '.') && strchr(addr, ':') == strrchr(addr, ':') &&
		strchr(addr, ':') > strchr(addr, '.'))
		return ident_why(why, "has a port (write the address alone)");
	if (inet_pton(AF_INET6, addr, bin) != 1)
		return ident_why(why, "not a valid IPv6 address");
	return 0;
}

static bool is_v4_mapped(const uint8_t *a)
{
	static const uint8_t prefix[12] = { [10] = 0xff, [11] = 0xff };

	return memcmp(a, prefix, 12) == 0;
}

static void write_value(struct ident *out, int family, const uint8_t *bin, int prefix)
{
	char text[INET6_ADDRSTRLEN];
	size_t n;

	inet_ntop(family == 4 ? AF_INET : AF_INET6, bin, text, sizeof(text));
	str_copy(out->value, sizeof(out->value), text);
	if (prefix >= 0) {
		n = strlen(out->value);
		ident_fmt(out->value + n, sizeof(out->value) - n, "/%d", prefix);
	}
	str_copy(out->display, sizeof(out->display), out->value);
}

int ident_ip_parse(struct ident *out, const char *s, char *why)
{
	char copy[IDENT_INPUT_MAX + 16], addr[IDENT_INPUT_MAX + 16];
	uint8_t bin[16];
	int prefix, family, max, ret;

	str_copy(copy, sizeof(copy), s);
	ident_defang(copy);
	ret = split(copy, addr, sizeof(addr), &prefix, why);
	if (ret)
		return ret;
	family = strchr(addr, ':') ? 6 : 4;
	if (family == 6)
		ret = parse_v6(addr, bin, why);
	else
		ret = check_v4(addr, why);
	if (ret)
		return ret;
	if (family == 4)
		inet_pton(AF_INET, addr, bin);
	if (family == 6 && prefix < 0 && is_v4_mapped(bin)) {
		memmove(bin, bin + 12, 4);
		family = 4;
	}
	max = family == 4 ? 32 : 128;
	if (prefix == max)
		prefix = -1;
	if (prefix >= 0 && clear_host_bits(bin, (size_t)max / 8, prefix)) {
		char net[INET6_ADDRSTRLEN];

		inet_ntop(family == 4 ? AF_INET : AF_INET6, bin, net, sizeof(net));
		return ident_why(why, "host bits set (the network is %s/%d)", net, prefix);
	}
	out->ip.family = family;
	out->ip.prefix_len = prefix;
	out->ip.scope = family == 4 ? scope_v4(bin) : scope_v6(bin);
	write_value(out, family, bin, prefix);
	return 0;
}
