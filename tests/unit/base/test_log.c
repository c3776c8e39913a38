/*
 * tests/unit/base/test_log.c - log lines (src/base/log.c): level names, the
 * lowest level written, and one "time level message" line per call.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"

Test(log, level_names)
{
	static const struct {
		const char *name;
		int ret;
		enum log_level want;
	} cases[] = {
		{ "debug", 0, LOG_DEBUG }, { "info", 0, LOG_INFO }, { "warn", 0, LOG_WARN },
		{ "error", 0, LOG_ERROR }, { "INFO", ERR_INVAL, 0 }, { "warning", ERR_INVAL, 0 },
		{ "", ERR_INVAL, 0 }, { "info ", ERR_INVAL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum log_level l = LOG_ERROR;
		int ret = log_level_parse(cases[i].name, &l);
		cr_expect_eq(ret, cases[i].ret, "log level '%s' → %d", cases[i].name, ret);
		if (!ret)
			cr_expect_eq(l, cases[i].want, "log level '%s' → %d", cases[i].name, l);
	}
}

Test(log, lines_below_the_level_are_dropped, .init = cr_redirect_stderr)
{
	clock_set_fake_ms(1767225600000);
	log_set_level(LOG_WARN);
	log_debug("not %s", "shown");
	log_info("not shown either");
	log_warn("disk %d%% full", 91);
	log_error("cannot open '%s'", "x.db");
	fflush(stderr);
	cr_assert_stderr_eq_str("2026-01-01T00:00:00.000Z warn disk 91% full\n"
				"2026-01-01T00:00:00.000Z error cannot open 'x.db'\n",
		"log lines at level warn");
}
