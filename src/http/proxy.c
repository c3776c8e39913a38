/*
 * http/proxy.c - the client's real address behind a reverse proxy.
 *
 * Only when the connection comes from an address listed in trusted_proxies
 * is X-Forwarded-For believed; then the client is the rightmost address in
 * it that is not itself a trusted proxy. Anything unparsable keeps the
 * peer's address: a forged header from an untrusted peer changes nothing.
 * The audit log, the access log and the sign-in rate limit all use the result.
 */
#include "http/internal.h"

#include <arpa/inet.h>
#include <string.h>

#include "base/str.h"

/* Is addr one of the comma-separated addresses in list? */
static bool listed(const char *list, const char *addr, size_t len)
{
	const char *p = list;

	while (*p) {
		size_t n;
		p += strspn(p, " ,");
		n = strcspn(p, " ,");
		if (n && n == len && !strncmp(p, addr, n))
			return true;
		p += n;
	}
	return false;
}

static bool valid_ip(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

void http_proxy_client_addr(const char *trusted, const char *forwarded, char *addr, size_t size)
{
	const char *end;

	if (!trusted || !*trusted || !forwarded || !listed(trusted, addr, strlen(addr)))
		return;
	/* Walk X-Forwarded-For from the right: the nearest hop first. */
	end = forwarded + strlen(forwarded);
	while (end > forwarded) {
		const char *segment = end, *start;
		char hop[64];
		size_t len;
		while (segment > forwarded && segment[-1] != ',')
			segment--;
		start = segment;
		while (start < end && *start == ' ')
			start++;
		len = (size_t)(end - start);
		while (len && start[len - 1] == ' ')
			len--;
		if (!len || len >= sizeof(hop))
			return;
		memcpy(hop, start, len);
		hop[len] = '\0';
		if (!valid_ip(hop))
			return;
		if (!listed(trusted, hop, len)) {
			str_copy(addr, size, hop);
			return;
		}
		end = segment > forwarded ? segment - 1 : forwarded; /* before the comma */
	}
}
