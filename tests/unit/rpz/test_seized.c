/*
 * tests/unit/rpz/test_seized.c - src/rpz/seized.c: whether a name is seized
 * follows the published zone exactly as a resolver applies it (exact rule
 * first, then the closest wildcard, passthru never blocks), and the lookup
 * service answers risk "seized" for a seized domain and for a URL on its
 * host, and stops when the order is lifted.
 */
#include "ident/ident.h"
#include "rpz_test.h"

static struct rpz_test t;
static int64_t agency;

static void setup(void)
{
	struct agency a = { 0 };
	struct err_msg err = ERR_MSG_INIT;

	rpz_test_open(&t, NULL);
	str_copy(a.name, sizeof(a.name), "臺灣新北地方檢察署");
	str_copy(a.code, sizeof(a.code), "PCDP");
	a.kind = AGENCY_DISTRICT_PROSECUTORS;
	cr_assert_eq(agency_create(t.c, &a, NULL, &err), 0, "agency: %s", err.message);
	agency = a.id;
}

static void teardown(void)
{
	rpz_test_close(&t);
}

TestSuite(seized, .init = setup, .fini = teardown);

static int64_t enforce(bool subdomains, const char *domain)
{
	struct rpz_order o = { 0 };
	struct err_msg err = ERR_MSG_INIT;

	o.agency_id = agency;
	o.subdomains = subdomains;
	str_copy(o.court, sizeof(o.court), "臺灣新北地方法院");
	cr_assert_eq(rpz_order_create(t.c, &o, NULL, &err), 0, "create: %s", err.message);
	cr_assert_eq(rpz_order_add_domains(t.c, o.id, &domain, 1, NULL, NULL, NULL, NULL, &err), 0,
		"domains: %s", err.message);
	cr_assert_eq(rpz_order_file(t.c, o.id, NULL, &err), 0, "file: %s", err.message);
	cr_assert_eq(rpz_order_grant(t.c, o.id, "", "114年度聲扣字第7號", "114/02/03", NULL, &err),
		0, "grant: %s", err.message);
	cr_assert_eq(rpz_order_enforce(t.c, o.id, NULL, &err), 0, "enforce: %s", err.message);
	return o.id;
}

static const char *risk(enum ident_type type, const char *value)
{
	static struct intel_lookup_result r;
	struct err_msg err = ERR_MSG_INIT;
	struct ident id;

	cr_assert_eq(ident_parse(&id, type, value, strlen(value), &err), 0, "%s: %s", value,
		err.message);
	cr_assert_eq(intel_lookup(t.c, &id, &r, &err), 0, "lookup %s: %s", value, err.message);
	return r.risk;
}

Test(seized, exact_names_and_covered_subdomains)
{
	enforce(false, "only-this.example.com");
	enforce(true, "and-below.example.net");
	cr_assert(rpz_name_seized(t.c, "only-this.example.com"));
	cr_assert_not(rpz_name_seized(t.c, "www.only-this.example.com"),
		"subdomains not covered by that order");
	cr_assert(rpz_name_seized(t.c, "and-below.example.net"));
	cr_assert(rpz_name_seized(t.c, "a.b.and-below.example.net"), "two labels below");
	cr_assert_not(rpz_name_seized(t.c, "example.net"), "the parent is not seized");
	cr_assert_not(rpz_name_seized(t.c, "xand-below.example.net"), "not a label boundary");
	cr_assert_not(rpz_name_seized(t.c, ""), "empty name");
}

Test(seized, passthru_is_not_seized_and_the_closest_rule_decides)
{
	struct err_msg err = ERR_MSG_INIT;

	enforce(true, "platform.example.org");
	cr_assert_eq(rpz_passthru_add(t.c, "shop.platform.example.org", true, "a real shop", NULL,
			     NULL, &err),
		0, "%s", err.message);
	cr_assert(rpz_name_seized(t.c, "platform.example.org"));
	cr_assert(rpz_name_seized(t.c, "fraud.platform.example.org"));
	cr_assert_not(rpz_name_seized(t.c, "shop.platform.example.org"), "passthru, exact");
	cr_assert_not(rpz_name_seized(t.c, "www.shop.platform.example.org"),
		"passthru's wildcard is closer than the order's");
}

Test(seized, the_lookup_service_says_seized_until_the_lift)
{
	struct err_msg err = ERR_MSG_INIT;
	int64_t id = enforce(true, "fake-invest.example.com");

	cr_assert_str_eq(risk(IDENT_DOMAIN, "fake-invest.example.com"), "seized");
	cr_assert_str_eq(risk(IDENT_DOMAIN, "FAKE-INVEST.example.com."), "seized", "normalised");
	cr_assert_str_eq(risk(IDENT_URL, "https://m.fake-invest.example.com/login?x=1"), "seized",
		"a URL on a covered host");
	cr_assert_str_eq(risk(IDENT_DOMAIN, "example.com"), "none");
	cr_assert_str_eq(risk(IDENT_URL, "https://example.com/"), "none");
	cr_assert_eq(rpz_order_lift(t.c, id, "the court lifted the seizure", NULL, &err), 0, "%s",
		err.message);
	cr_assert_str_neq(risk(IDENT_DOMAIN, "fake-invest.example.com"), "seized");
	cr_assert_str_neq(risk(IDENT_URL, "https://m.fake-invest.example.com/login"), "seized");
}

Test(seized, the_zone_list_counts_records_without_a_scan)
{
	struct rpz_zone_info *z = NULL;
	struct err_msg err = ERR_MSG_INIT;
	int64_t counted = -1;
	size_t n = 0;

	enforce(true, "one.example.com");
	enforce(false, "two.example.com");
	cr_assert_eq(rpz_zone_list(t.c, &z, &n, &err), 0, "%s", err.message);
	cr_assert_geq(n, 1);
	cr_assert_eq(store_query_int64(t.c, &counted,
			     "SELECT COUNT(*) FROM rpz_records WHERE zone_id = ?", "i", z[0].id),
		0);
	cr_assert_eq((int64_t)z[0].records, counted, "kept count %zu, counted %lld", z[0].records,
		(long long)counted);
	cr_assert_eq(counted, 4, "canary + one + two + *.one");
	free(z);
}
