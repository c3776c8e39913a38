/*
 * tests/unit/incident/test_policy.c - the incident policy file
 * (src/incident/policy.c, duration.c): the shipped defaults carry seed 003's
 * figures, a file overrides them, and every bad line is refused naming the
 * line, the key and the reason.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"
#include "incident/incident.h"
#include "testutil.h"

static int64_t secs(const struct incident_duration *d)
{
	return d->seconds;
}

Test(policy, shipped_defaults_follow_seed_003)
{
	struct incident_policy p;

	incident_policy_defaults(&p);
	cr_assert_eq(secs(&p.report_within), 3600, "report within 1 hour (§3.1(二))");
	cr_assert_eq(secs(&p.level[1].dispatch), 2 * 3600, "level 1 dispatch 2 h (§3.3(二))");
	cr_assert_eq(secs(&p.level[2].dispatch), 2 * 3600, "level 2 dispatch 2 h (§3.3(二))");
	cr_assert_eq(secs(&p.level[3].dispatch), 3600, "level 3 dispatch 1 h (§3.3(二))");
	cr_assert_eq(secs(&p.level[4].dispatch), 3600, "level 4 dispatch 1 h (§3.3(二))");
	cr_assert_eq(secs(&p.level[1].review), 8 * 3600, "level 1 review 8 h");
	cr_assert_eq(secs(&p.level[4].review), 2 * 3600, "level 4 review 2 h");
	cr_assert_eq(p.drill_report.months, 1, "drill report within one month (§5.2)");
	cr_assert(!p.level[2].notify_national && p.level[3].notify_national &&
		  p.level[4].notify_national, "level 3-4 notify the national offices (§3.3(三))");
	cr_assert(p.level[3].crime_case && !p.level[1].crime_case, "crime cases for 3-4 (§4.3)");
	cr_assert_str_eq(p.service_center, "NICS");
	cr_assert_eq(p.noffices, 2, "two national offices after the amendment, got %zu", p.noffices);
	cr_assert_str_eq(p.offices[0], "OHS");
	cr_assert_str_eq(p.offices[1], "NSC-CSO");
	cr_assert_str_eq(p.case_word, "資安");
	cr_assert_str_eq(p.source, "built-in");
}

Test(policy, a_file_overrides_only_what_it_names)
{
	static const char text[] = "# shorter dispatch\n[level 3]\ndispatch_within = 30m\n"
				   "[general]\nservice_center = TWCERT\nnational_offices =\n";
	struct incident_policy p;
	struct err_msg err = ERR_MSG_INIT;

	incident_policy_defaults(&p);
	cr_assert_eq(incident_policy_parse(&p, text, strlen(text), "t.conf", &err), 0, "%s",
		err.message);
	cr_assert_eq(secs(&p.level[3].dispatch), 1800);
	cr_assert_eq(secs(&p.level[4].dispatch), 3600, "level 4 keeps its default");
	cr_assert_str_eq(p.service_center, "TWCERT");
	cr_assert_eq(p.noffices, 0, "an empty list of offices is allowed");
}

struct bad_case {
	const char *text;
	const char *field;
	const char *message; /* a substring of the message */
};

Test(policy, bad_lines_name_line_key_and_reason)
{
	static const struct bad_case cases[] = {
		{ "[level 1]\nreview_within = soon\n", "review_within", "t.conf:2: 'soon' is not a duration" },
		{ "report_within = 1h\n", "report_within", "t.conf:1: 'report_within' before any [section]" },
		{ "[general]\n\n# c\nwarn_before 10m\n", "", "t.conf:4: 'warn_before 10m' is not `key = value`" },
		{ "[level 5]\n", "section", "t.conf:1: unknown section [level 5]" },
		{ "[general\n", "section", "t.conf:1: '[general' has no closing ']'" },
		{ "[level 2]\nfoo = 1\n", "foo", "t.conf:2: unknown key 'foo' in [level N]" },
		{ "[general]\nservice_center = a b\n", "service_center", "not an agency code" },
		{ "[general]\nnational_offices = OHS, bad!\n", "national_offices", "'bad!' is not an agency code" },
		{ "[level 3]\nnotify_national = maybe\n", "notify_national", "'maybe' is not yes or no" },
		{ "[general]\ncase_word = abc\n", "case_word", "not a case word" },
		{ "[level 4]\ndispatch_within = 0h\n", "dispatch_within", "not a duration" },
		{ "[level 4]\ndispatch_within = 1x\n", "dispatch_within", "not a duration" },
		{ "[level 4]\ndispatch_within = 99999999999h\n", "dispatch_within", "not a duration" },
		{ "[general]\n= 1\n", "", "a line with no key" },
	};

	for (size_t k = 0; k < N_ELEMS(cases); k++) {
		struct incident_policy p, before;
		struct err_msg err = ERR_MSG_INIT;
		int ret;
		incident_policy_defaults(&p);
		before = p;
		ret = incident_policy_parse(&p, cases[k].text, strlen(cases[k].text), "t.conf", &err);
		cr_assert_eq(ret, ERR_INVAL, "case %zu '%s' refused", k, cases[k].text);
		cr_assert_str_eq(err.field, cases[k].field, "case %zu field", k);
		cr_assert(strstr(err.message, cases[k].message), "case %zu: '%s' lacks '%s'", k,
			err.message, cases[k].message);
		(void)before;
	}
}

Test(policy, printed_policy_parses_back)
{
	struct incident_policy p, q;
	struct err_msg err = ERR_MSG_INIT;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	incident_policy_defaults(&p);
	p.level[2].close_review = (struct incident_duration){ 90061, 2 };
	incident_policy_print(&p, f);
	fclose(f);
	memset(&q, 0, sizeof(q));
	cr_assert_eq(incident_policy_parse(&q, text, len, "printed", &err), 0, "%s", err.message);
	cr_assert(incident_policy_equal(&p, &q), "every key reads back");
	q.level[4].crime_case = false;
	cr_assert(!incident_policy_equal(&p, &q), "and a difference is seen");
	free(text);
}

Test(policy, load_file_keeps_defaults_on_error)
{
	char *dir = tu_mkdtemp();
	char *good = tu_write_file(dir, "good.conf", "[level 1]\ndispatch_within = 3h\n");
	char *bad = tu_write_file(dir, "bad.conf", "[level 1]\ndispatch_within = three\n");
	struct incident_policy p;
	struct err_msg err = ERR_MSG_INIT;

	cr_assert_eq(incident_policy_load_file(&p, good, &err), 0, "%s", err.message);
	cr_assert_eq(secs(&p.level[1].dispatch), 3 * 3600);
	cr_assert_str_eq(p.source, good);
	cr_assert_eq(incident_policy_load_file(&p, bad, &err), ERR_INVAL);
	cr_assert(strstr(err.message, "bad.conf:2:"), "names the file and line: %s", err.message);
	cr_assert_eq(incident_policy_load_file(&p, "/nonexistent/x.conf", &err), ERR_IO);
	free(good);
	free(bad);
	tu_rmdir(dir);
}

Test(duration, parse_format_add)
{
	static const struct {
		const char *in;
		int64_t seconds;
		int months;
		const char *out;
	} cases[] = { { "1h", 3600, 0, "1h" }, { "90m", 5400, 0, "1h30m" },
		{ "1h30m", 5400, 0, "1h30m" }, { "7d", 604800, 0, "7d" }, { "1mo", 0, 1, "1mo" },
		{ "45s", 45, 0, "45s" }, { "none", 0, 0, "none" }, { "1mo2d", 172800, 1, "1mo2d" } };

	for (size_t k = 0; k < N_ELEMS(cases); k++) {
		struct incident_duration d;
		char s[32];
		cr_assert_eq(incident_duration_parse(cases[k].in, &d), 0, "'%s'", cases[k].in);
		cr_assert_eq(d.seconds, cases[k].seconds, "'%s' seconds", cases[k].in);
		cr_assert_eq(d.months, cases[k].months, "'%s' months", cases[k].in);
		incident_duration_format(&d, s, sizeof(s));
		cr_assert_str_eq(s, cases[k].out, "'%s' formats", cases[k].in);
	}
}

Test(duration, months_follow_the_calendar)
{
	struct incident_duration m = { 0, 1 };
	/* 2026-01-31T10:00:00Z + 1 month = 2026-02-28T10:00:00Z (the month's last day) */
	cr_assert_eq(incident_duration_add(1769853600, &m), 1772272800);
	/* 2026-03-15T00:00:00Z + 1 month = 2026-04-15 */
	cr_assert_eq(incident_duration_add(1773532800, &m), 1776211200);
	m.months = 0;
	cr_assert_eq(incident_duration_add(1773532800, &m), 0, "none has no due time");
}
