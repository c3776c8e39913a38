/*
 * incident/policy.c - the incident policy file: deadlines, levels, who
 * reviews and who is notified (docs/ops/incident-policy.md). An INI-like
 * text of [general] and [level N] sections with `key = value` lines, read
 * over the shipped defaults (docs/ops/incident-policy.conf, compiled in).
 * A bad line names the file, the line, the key and the reason.
 */
#include "incident/incident.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"

#define LINE_MAX_BYTES 1024

struct parse {
	struct incident_policy *p;
	const char *name;
	int line;
	int level; /* section: 0 = [general], 1..4 = [level N], -1 = none yet */
	struct err_msg *err;
};

static int fail(struct parse *ps, const char *key, const char *fmt, const char *arg)
{
	char reason[256];

	snprintf(reason, sizeof(reason), fmt, arg);
	return err_set(ps->err, ERR_INVAL, key, "%s:%d: %s", ps->name, ps->line, reason);
}

static int duration(struct parse *ps, const char *key, const char *v,
	struct incident_duration *out)
{
	if (incident_duration_parse(v, out))
		return fail(ps, key, "'%s' is not a duration (none, or e.g. 1h, 30m, 1h30m, 7d, 1mo)",
			v);
	return 0;
}

static int boolean(struct parse *ps, const char *key, const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "true"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "false"))
		*out = false;
	else
		return fail(ps, key, "'%s' is not yes or no", v);
	return 0;
}

static bool code_ok(const char *v)
{
	size_t n = strlen(v);

	return n > 0 && n < 32 &&
	       strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n;
}

static int code(struct parse *ps, const char *key, const char *v, char out[32])
{
	if (!code_ok(v))
		return fail(ps, key, "'%s' is not an agency code (letters, digits, '-', '_')", v);
	str_copy(out, 32, v);
	return 0;
}

/* national_offices: agency codes separated by commas or spaces (may be empty). */
static int offices(struct parse *ps, const char *key, const char *v)
{
	char one[64];
	size_t n = 0;

	while (*v) {
		size_t len = strcspn(v, ", \t");
		if (len) {
			if (n == INCIDENT_MAX_OFFICES)
				return fail(ps, key, "more than %s offices", "16");
			snprintf(one, sizeof(one), "%.*s", (int)(len < 63 ? len : 63), v);
			if (len >= 32 || code(ps, key, one, ps->p->offices[n]))
				return fail(ps, key, "'%s' is not an agency code (letters, digits, '-', '_')",
					one);
			n++;
		}
		v += len;
		v += strspn(v, ", \t");
	}
	ps->p->noffices = n;
	return 0;
}

/* A case word: one to six CJK characters (3-byte UTF-8), as in 資安字. */
static int case_word(struct parse *ps, const char *key, const char *v)
{
	size_t n = strlen(v);
	const unsigned char *s = (const unsigned char *)v;

	if (n == 0 || n > 18 || n % 3)
		return fail(ps, key, "'%s' is not a case word of 1 to 6 Chinese characters", v);
	for (size_t i = 0; i < n; i += 3)
		if ((s[i] & 0xf0) != 0xe0 || (s[i + 1] & 0xc0) != 0x80 || (s[i + 2] & 0xc0) != 0x80)
			return fail(ps, key, "'%s' is not a case word of 1 to 6 Chinese characters", v);
	str_copy(ps->p->case_word, sizeof(ps->p->case_word), v);
	return 0;
}

static int general_key(struct parse *ps, const char *k, const char *v)
{
	struct incident_policy *p = ps->p;

	if (!strcmp(k, "report_within"))
		return duration(ps, k, v, &p->report_within);
	if (!strcmp(k, "warn_before"))
		return duration(ps, k, v, &p->warn_before);
	if (!strcmp(k, "drill_report_within"))
		return duration(ps, k, v, &p->drill_report);
	if (!strcmp(k, "service_center"))
		return code(ps, k, v, p->service_center);
	if (!strcmp(k, "center"))
		return code(ps, k, v, p->center);
	if (!strcmp(k, "national_offices"))
		return offices(ps, k, v);
	if (!strcmp(k, "case_word"))
		return case_word(ps, k, v);
	return fail(ps, k, "unknown key '%s' in [general]", k);
}

static int level_key(struct parse *ps, const char *k, const char *v)
{
	struct incident_level_policy *l = &ps->p->level[ps->level];

	if (!strcmp(k, "review_within"))
		return duration(ps, k, v, &l->review);
	if (!strcmp(k, "rereview_within"))
		return duration(ps, k, v, &l->rereview);
	if (!strcmp(k, "dispatch_within"))
		return duration(ps, k, v, &l->dispatch);
	if (!strcmp(k, "close_report_within"))
		return duration(ps, k, v, &l->close_report);
	if (!strcmp(k, "close_review_within"))
		return duration(ps, k, v, &l->close_review);
	if (!strcmp(k, "notify_national"))
		return boolean(ps, k, v, &l->notify_national);
	if (!strcmp(k, "crime_case"))
		return boolean(ps, k, v, &l->crime_case);
	return fail(ps, k, "unknown key '%s' in [level N]", k);
}

static int section(struct parse *ps, char *s)
{
	size_t n = strlen(s);

	if (s[n - 1] != ']')
		return fail(ps, "section", "'%s' has no closing ']'", s);
	s[n - 1] = '\0';
	s = str_trim(s + 1);
	if (!strcmp(s, "general")) {
		ps->level = 0;
		return 0;
	}
	if (!strncmp(s, "level ", 6) && s[6] >= '1' && s[6] <= '0' + INCIDENT_LEVELS && !s[7]) {
		ps->level = s[6] - '0';
		return 0;
	}
	return fail(ps, "section", "unknown section [%s] (general, level 1 … level 4)", s);
}

static int line(struct parse *ps, char *s)
{
	char *eq, *k, *v;

	s = str_trim(s);
	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[')
		return section(ps, s);
	eq = strchr(s, '=');
	if (!eq)
		return fail(ps, "", "'%s' is not `key = value`", s);
	*eq = '\0';
	k = str_trim(s);
	v = str_trim(eq + 1);
	if (!*k)
		return fail(ps, "", "%s", "a line with no key");
	if (ps->level < 0)
		return fail(ps, k, "'%s' before any [section]", k);
	return ps->level ? level_key(ps, k, v) : general_key(ps, k, v);
}

int incident_policy_parse(struct incident_policy *p, const char *text, size_t len,
	const char *name, struct err_msg *err)
{
	struct parse ps = { p, name, 0, -1, err };
	char buf[LINE_MAX_BYTES + 1];
	size_t i = 0;
	int ret;

	while (i < len) {
		size_t end = i;
		while (end < len && text[end] != '\n')
			end++;
		ps.line++;
		if (end - i > LINE_MAX_BYTES)
			return fail(&ps, "", "a line longer than %s bytes", "1024");
		if (memchr(text + i, '\0', end - i))
			return fail(&ps, "", "%s", "a NUL byte");
		memcpy(buf, text + i, end - i);
		buf[end - i] = '\0';
		ret = line(&ps, buf);
		if (ret)
			return ret;
		i = end + 1;
	}
	return 0;
}

void incident_policy_defaults(struct incident_policy *p)
{
	struct err_msg err = ERR_MSG_INIT;

	memset(p, 0, sizeof(*p));
	/* The shipped file is tested (tests/unit/incident); it cannot fail here. */
	if (incident_policy_parse(p, incident_policy_default, incident_policy_default_len,
		    "built-in", &err))
		abort();
	str_copy(p->source, sizeof(p->source), "built-in");
}

int incident_policy_load_file(struct incident_policy *p, const char *path, struct err_msg *err)
{
	struct buf text = BUF_INIT;
	FILE *f;
	int ret;

	incident_policy_defaults(p);
	if (!path || !*path)
		return 0;
	f = fopen(path, "r");
	if (!f)
		return err_set(err, ERR_IO, "incident_policy", "cannot open '%s': %s", path,
			strerror(errno));
	text.max = 1 << 20;
	for (int ch; (ch = fgetc(f)) != EOF;) {
		if (buf_addch(&text, (char)ch)) {
			fclose(f);
			buf_release(&text);
			return err_set(err, ERR_LIMIT, "incident_policy", "'%s' is over 1 MiB", path);
		}
	}
	fclose(f);
	ret = incident_policy_parse(p, text.s, text.len, path, err);
	buf_release(&text);
	if (!ret)
		str_copy(p->source, sizeof(p->source), path);
	return ret;
}

static bool same_duration(const struct incident_duration *a, const struct incident_duration *b)
{
	return a->seconds == b->seconds && a->months == b->months;
}

/* Field by field: the structs have padding, which memcmp() would compare. */
bool incident_policy_equal(const struct incident_policy *a, const struct incident_policy *b)
{
	if (!same_duration(&a->report_within, &b->report_within) ||
		!same_duration(&a->warn_before, &b->warn_before) ||
		!same_duration(&a->drill_report, &b->drill_report) ||
		strcmp(a->service_center, b->service_center) || strcmp(a->center, b->center) ||
		strcmp(a->case_word, b->case_word) || a->noffices != b->noffices)
		return false;
	for (size_t k = 0; k < a->noffices; k++)
		if (strcmp(a->offices[k], b->offices[k]))
			return false;
	for (int l = 1; l <= INCIDENT_LEVELS; l++) {
		const struct incident_level_policy *x = &a->level[l], *y = &b->level[l];
		if (!same_duration(&x->review, &y->review) ||
			!same_duration(&x->rereview, &y->rereview) ||
			!same_duration(&x->dispatch, &y->dispatch) ||
			!same_duration(&x->close_report, &y->close_report) ||
			!same_duration(&x->close_review, &y->close_review) ||
			x->notify_national != y->notify_national || x->crime_case != y->crime_case)
			return false;
	}
	return true;
}

static void print_duration(FILE *out, const char *key, const struct incident_duration *d)
{
	char s[64];

	incident_duration_format(d, s, sizeof(s));
	fprintf(out, "%s = %s\n", key, s);
}

void incident_policy_print(const struct incident_policy *p, FILE *out)
{
	fprintf(out, "# incident policy from %s\n[general]\n", p->source);
	print_duration(out, "report_within", &p->report_within);
	print_duration(out, "warn_before", &p->warn_before);
	fprintf(out, "service_center = %s\ncenter = %s\nnational_offices =", p->service_center,
		p->center);
	for (size_t i = 0; i < p->noffices; i++)
		fprintf(out, "%s%s", i ? ", " : " ", p->offices[i]);
	fprintf(out, "\ncase_word = %s\n", p->case_word);
	print_duration(out, "drill_report_within", &p->drill_report);
	for (int l = 1; l <= INCIDENT_LEVELS; l++) {
		const struct incident_level_policy *lp = &p->level[l];
		fprintf(out, "\n[level %d]\n", l);
		print_duration(out, "review_within", &lp->review);
		print_duration(out, "rereview_within", &lp->rereview);
		print_duration(out, "dispatch_within", &lp->dispatch);
		print_duration(out, "close_report_within", &lp->close_report);
		print_duration(out, "close_review_within", &lp->close_review);
		fprintf(out, "notify_national = %s\ncrime_case = %s\n",
			lp->notify_national ? "yes" : "no", lp->crime_case ? "yes" : "no");
	}
}
