/*
 * tests/unit/http/test_proxy.c - the client address behind trusted proxies.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "http/internal.h"

struct proxy_case {
	const char *trusted, *forwarded, *peer, *want;
};

static const struct proxy_case cases[] = {
	{ "", "203.0.113.5", "10.0.0.1", "10.0.0.1" },                  /* no proxy trusted */
	{ "10.0.0.1", "203.0.113.5", "198.51.100.7", "198.51.100.7" },   /* peer not a proxy */
	{ "10.0.0.1", NULL, "10.0.0.1", "10.0.0.1" },                    /* no header */
	{ "10.0.0.1", "203.0.113.5", "10.0.0.1", "203.0.113.5" },
	{ "10.0.0.1, 10.0.0.2", "1.2.3.4, 10.0.0.2", "10.0.0.1", "1.2.3.4" },
	{ "10.0.0.1", "6.6.6.6, 1.2.3.4", "10.0.0.1", "1.2.3.4" },       /* forged left part ignored */
	{ "10.0.0.1", "evil", "10.0.0.1", "10.0.0.1" },
	{ "10.0.0.1", "1.2.3.4, ", "10.0.0.1", "10.0.0.1" },              /* empty hop */
	{ "::1", "2001:db8::7", "::1", "2001:db8::7" },
	{ "10.0.0.1", "10.0.0.1", "10.0.0.1", "10.0.0.1" },              /* only proxies */
	{ "10.0.0.10", "203.0.113.5", "10.0.0.1", "10.0.0.1" },          /* prefix is not a match */
};

Test(proxy, client_addr)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct proxy_case *c = &cases[i];
		char addr[64];
		snprintf(addr, sizeof(addr), "%s", c->peer);
		http_proxy_client_addr(c->trusted, c->forwarded, addr, sizeof(addr));
		cr_expect_str_eq(addr, c->want, "trusted '%s', forwarded '%s', peer %s: got %s",
			c->trusted, c->forwarded ? c->forwarded : "(none)", c->peer, addr);
	}
}
