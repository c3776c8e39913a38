/*
 * tests/unit/ident/test_net.c - domains, URLs, IP addresses and email
 * addresses (src/ident/domain.c, url.c, ip.c, email.c): IDN, public
 * suffixes, defanged spellings, URL normalisation, CIDR.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "check.h"

static const struct ok_case domain_ok[] = {
	{ "example.com", "example.com", "example.com" },
	{ "EXAMPLE.COM.", "example.com", NULL },
	{ "Www.Example.Com", "www.example.com", NULL },
	{ "example[.]com", "example.com", NULL },
	{ "example(.)com", "example.com", NULL },
	{ "example{.}com", "example.com", NULL },
	{ "example[dot]com", "example.com", NULL },
	{ "ｅｘａｍｐｌｅ．ｃｏｍ", "example.com", NULL },
	{ "例子。台灣", "xn--fsqu00a.xn--kpry57d", "例子.台灣" },
	{ "例子.台灣", "xn--fsqu00a.xn--kpry57d", "例子.台灣" },
	{ "xn--fsqu00a.xn--kpry57d", "xn--fsqu00a.xn--kpry57d", "例子.台灣" },
	{ "BÜCHER.de", "xn--bcher-kva.de", "bücher.de" },
	{ "faß.de", "xn--fa-hia.de", "faß.de" },
	{ "foo.blogspot.com", "foo.blogspot.com", NULL },
	{ "a.b.example.co.uk", "a.b.example.co.uk", NULL },
	{ "shop.example.co.za", "shop.example.co.za", NULL },
	{ "my_site.example.com", "my_site.example.com", NULL },
	{ "www.0xboost.finance", "www.0xboost.finance", NULL },
	{ "tw11st.com", "tw11st.com", NULL },
	{ "duskgytldkxiuqc6.onion", "duskgytldkxiuqc6.onion", NULL },
};

static const struct bad_case domain_bad[] = {
	{ "com", "a single label" },
	{ "com.tw", "a public suffix" },
	{ "github.io", "a public suffix" },
	{ "www.oxkiyxyz", "unknown top-level domain '.oxkiyxyz'" },
	{ "www.ftxpro.nfo", "unknown top-level domain '.nfo'" },
	{ "a..b.com", "empty label" },
	{ ".example.com", "empty label" },
	{ "-bad.example.com", "starts or ends with '-'" },
	{ "exa mple.com", "contains a space" },
	{ "http://example.com/", "contains '/'" },
	{ "user@example.com", "contains '@'" },
	{ "example.com:8080", "contains ':'" },
	{ "1.2.3.4", "numeric top-level domain" },
	{ "ex!ample.com", "character '!' not allowed" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com",
		"label longer than 63" },
	{ "xn--zz.com", "invalid internationalised name" },
};

Test(domain, spellings)
{
	check_ok_table(IDENT_DOMAIN, domain_ok, N_ELEMS(domain_ok));
	check_bad_table(IDENT_DOMAIN, domain_bad, N_ELEMS(domain_bad));
}

Test(domain, registrable_domain_from_libpsl)
{
	static const char *const cases[][2] = {
		{ "www.example.com", "example.com" },
		{ "a.b.example.co.uk", "example.co.uk" },
		{ "shop.example.com.tw", "example.com.tw" },
		{ "foo.blogspot.com", "foo.blogspot.com" },
		{ "例子.台灣", "xn--fsqu00a.xn--kpry57d" },
		{ "app.100exbtc.top", "100exbtc.top" },
	};
	struct ident id;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const char *in = cases[i][0];

		cr_assert_eq(ident_parse(&id, IDENT_DOMAIN, in, strlen(in), NULL), 0, "domain '%s'",
			in);
		cr_assert_str_eq(id.domain.registrable, cases[i][1],
			"domain '%s' registrable '%s', expected '%s'", in, id.domain.registrable,
			cases[i][1]);
	}
}

static const struct ok_case url_ok[] = {
	{ "https://Example.COM", "https://example.com/", NULL },
	{ "HTTPS://EXAMPLE.COM:443/a/../b/./c", "https://example.com/b/c", NULL },
	{ "http://example.com:80/", "http://example.com/", NULL },
	{ "http://example.com:8080/x", "http://example.com:8080/x", NULL },
	{ "https://user:secret@example.com/login", "https://example.com/login", NULL },
	{ "https://www.bank.com.tw@evil-site.com/", "https://evil-site.com/", NULL },
	{ "www.vvtaa3.com/rk/vip", "http://www.vvtaa3.com/rk/vip", NULL },
	{ "example.com", "http://example.com/", NULL },
	{ "//example.com/x", "http://example.com/x", NULL },
	{ "hxxp://evil-site[.]com/login", "http://evil-site.com/login", NULL },
	{ "hxxps[://]evil-site[.]com/", "https://evil-site.com/", NULL },
	{ "https://example.com/%7euser/%2f%41", "https://example.com/~user/%2FA", NULL },
	{ "https://example.com/路徑", "https://example.com/%E8%B7%AF%E5%BE%91", NULL },
	{ "http://例子.台灣/", "http://xn--fsqu00a.xn--kpry57d/", "http://例子.台灣/" },
	{ "https://x-site.com/#/register?code=AB12", "https://x-site.com/#/register?code=AB12",
		NULL },
	{ "https://x-site.com/a?b=1&c=2#f", "https://x-site.com/a?b=1&c=2#f", NULL },
	{ "http://[2001:DB8::1]:8080/", "http://[2001:db8::1]:8080/", NULL },
	{ "http://1.2.3.4/x", "http://1.2.3.4/x", NULL },
	{ "ftp://files.example.com:21/a", "ftp://files.example.com/a", NULL },
	/* found by fuzz/fuzz_ident.c: "%2e" must not turn into a new dot segment */
	{ "ccf.me/)E.e)%eee/%2e/T", "http://ccf.me/)E.e)%EEe/%2E/T", NULL },
};

static const struct bad_case url_bad[] = {
	{ "javascript:alert(1)", "scheme 'javascript' not supported" },
	{ "mailto:a@example.com", "scheme 'mailto' not supported" },
	{ "gopher://example.com/", "scheme 'gopher' not supported" },
	{ "http://exa mple.com/", "contains a space" },
	{ "http://example.nosuchtld/", "unknown top-level domain" },
	{ "http://example.com:99999/", "bad port number" },
	{ "http:///path", "a single label" },
	{ "http://", "no host" },
};

Test(url, spellings)
{
	check_ok_table(IDENT_URL, url_ok, N_ELEMS(url_ok));
	check_bad_table(IDENT_URL, url_bad, N_ELEMS(url_bad));
}

/* A URL carries its host's registrable domain, the same as parsing the host as a domain. */
Test(url, registrable_of_the_host)
{
	static const struct {
		const char *in, *registrable;
	} cases[] = {
		{ "https://www.bank.com.tw/login", "bank.com.tw" },
		{ "https://a.b.example.co.uk/x", "example.co.uk" },
		{ "hxxps://fake-invest[.]example[.]com/join", "example.com" },
		{ "http://例子.台灣/", "xn--fsqu00a.xn--kpry57d" },
		{ "https://bit.ly/abc", "bit.ly" },
		{ "http://1.2.3.4/x", "" },
		{ "http://[2001:DB8::1]:8080/", "" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct ident url, host;
		struct err_msg err = ERR_MSG_INIT;
		cr_assert_eq(ident_parse(&url, IDENT_URL, cases[i].in, strlen(cases[i].in), &err), 0,
			"parse '%s': %s", cases[i].in, err.message);
		cr_expect_str_eq(url.url.registrable, cases[i].registrable,
			"'%s': registrable '%s', expected '%s'", cases[i].in, url.url.registrable,
			cases[i].registrable);
		if (!url.url.host_is_ip) {
			cr_assert_eq(ident_parse(&host, IDENT_DOMAIN, url.url.host,
					     strlen(url.url.host), &err), 0, "host '%s'", url.url.host);
			cr_expect_str_eq(url.url.registrable, host.domain.registrable,
				"'%s': the URL says '%s', the host parsed alone '%s'", cases[i].in,
				url.url.registrable, host.domain.registrable);
		}
	}
}

static const struct ok_case ip_ok[] = {
	{ "1.2.3.4", "1.2.3.4", NULL },
	{ " 1.2.3.4 ", "1.2.3.4", NULL },
	{ "1[.]2[.]3[.]4", "1.2.3.4", NULL },
	{ "1.2.3[.]4", "1.2.3.4", NULL },
	{ "１．２．３．４", "1.2.3.4", NULL },
	{ "1.2.3.4/32", "1.2.3.4", NULL },
	{ "1.2.3.0/24", "1.2.3.0/24", NULL },
	{ "0.0.0.0/0", "0.0.0.0/0", NULL },
	{ "2001:DB8:0:0:0:0:0:1", "2001:db8::1", NULL },
	{ "2001:db8::0:1", "2001:db8::1", NULL },
	{ "[2001:db8::1]", "2001:db8::1", NULL },
	{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", NULL },
	{ "2001:db8::/32", "2001:db8::/32", NULL },
	{ "2001:db8::1/128", "2001:db8::1", NULL },
	{ "::ffff:1.2.3.4", "1.2.3.4", NULL },
	{ "::1", "::1", NULL },
};

static const struct bad_case ip_bad[] = {
	{ "1.2.3", "four numbers, not 3" },
	{ "1.2.3.4.5", "four numbers, not 5" },
	{ "256.1.1.1", "'256' is larger than 255" },
	{ "010.1.1.1", "leading zero in '010'" },
	{ "1.2.3.4/24", "host bits set (the network is 1.2.3.0/24)" },
	{ "2001:db8::1/32", "host bits set (the network is 2001:db8::/32)" },
	{ "1.2.3.4/33", "prefix length '/33' is not a number from 0 to 32" },
	{ "1.2.3.4/024", "leading zero in prefix length" },
	{ "1.2.3.4:80", "has a port" },
	{ "[::1]:80", "has a port" },
	{ "fe80::1%eth0", "zone index" },
	{ "2001:db8::g", "not a valid IPv6 address" },
	{ "1.2.3.x", "unexpected character 'x'" },
};

Test(ip, spellings)
{
	check_ok_table(IDENT_IP, ip_ok, N_ELEMS(ip_ok));
	check_bad_table(IDENT_IP, ip_bad, N_ELEMS(ip_bad));
}

Test(ip, scopes)
{
	static const struct {
		const char *in;
		enum ident_ip_scope scope;
	} cases[] = {
		{ "8.8.8.8", IDENT_IP_PUBLIC }, { "10.1.2.3", IDENT_IP_PRIVATE },
		{ "172.16.0.1", IDENT_IP_PRIVATE }, { "192.168.1.1", IDENT_IP_PRIVATE },
		{ "100.64.0.1", IDENT_IP_PRIVATE }, { "127.0.0.1", IDENT_IP_LOOPBACK },
		{ "169.254.1.1", IDENT_IP_LINK_LOCAL }, { "224.0.0.1", IDENT_IP_RESERVED },
		{ "192.0.2.1", IDENT_IP_RESERVED }, { "2001:4860:4860::8888", IDENT_IP_PUBLIC },
		{ "fd00::1", IDENT_IP_PRIVATE }, { "fe80::1", IDENT_IP_LINK_LOCAL },
		{ "::1", IDENT_IP_LOOPBACK }, { "2001:db8::1", IDENT_IP_RESERVED },
	};
	struct ident id;

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		cr_assert_eq(ident_parse(&id, IDENT_IP, cases[i].in, strlen(cases[i].in), NULL), 0,
			"ip '%s'", cases[i].in);
		cr_assert_eq(id.ip.scope, cases[i].scope, "ip '%s' scope %s", cases[i].in,
			ident_ip_scope_name(id.ip.scope));
	}
}

static const struct ok_case email_ok[] = {
	{ "User.Name@Example.COM", "user.name@example.com", NULL },
	{ "user+tag@example.com", "user+tag@example.com", NULL },
	{ "mailto:someone@example.com", "someone@example.com", NULL },
	{ "someone[at]example[.]com", "someone@example.com", NULL },
	{ "someone(at)example(.)com", "someone@example.com", NULL },
	{ "someone@例子.台灣", "someone@xn--fsqu00a.xn--kpry57d", "someone@例子.台灣" },
	{ "ｕｓｅｒ＠ｅｘａｍｐｌｅ．ｃｏｍ", "user@example.com", NULL },
};

static const struct bad_case email_bad[] = {
	{ "user.example.com", "no '@'" },
	{ "@example.com", "nothing before '@'" },
	{ "user@", "nothing after '@'" },
	{ ".user@example.com", "starts or ends with '.'" },
	{ "us..er@example.com", "'..' before '@'" },
	{ "\"quoted\"@example.com", "quoted local parts" },
	{ "user@[1.2.3.4]", "address literals" },
	{ "us(er@example.com", "character '(' not allowed" },
	{ "user@example", "a single label" },
	{ "user@example.nosuchtld", "unknown top-level domain" },
	{ "us er@example.com", "contains a space" },
};

Test(email, spellings)
{
	check_ok_table(IDENT_EMAIL, email_ok, N_ELEMS(email_ok));
	check_bad_table(IDENT_EMAIL, email_bad, N_ELEMS(email_bad));
}
