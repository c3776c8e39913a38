/*
 * intel/lookup.c - the risk lookup service for banks, telecoms and the 165
 * hotline: is this phone, account, URL or wallet flagged? The answer carries
 * the normalised form, a risk level, counts and first/last seen — never a
 * narrative, a victim or a case number.
 *
 * Risk levels:
 *   none      never reported, only as a victim's own identifier, on the
 *             warning list, cleared after a dispute, or reported only long
 *             ago (older than lookup_report_ttl_days) and never confirmed
 *   reported  named in at least one report
 *   confirmed confirmed by an analyst or prosecutor
 *   seized    under a court order now: a domain (or a URL's host) that the
 *             published RPZ zones block (rpz/seized.c, through the hook
 *             intel_lookup_set_seized()); whatever the other levels say
 */
#include "intel/internal.h"

#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/str.h"
#include "config/config.h"
#include "store/store.h"

static int64_t report_ttl_days = 365;
static intel_seized_fn seized_check; /* set once at start, before any lookup */

void intel_lookup_set_seized(intel_seized_fn fn)
{
	seized_check = fn;
}

void intel_lookup_configure(const struct config *cfg)
{
	report_ttl_days = cfg->lookup_report_ttl_days;
}

int intel_lookup(struct store_conn *c, const struct ident *id, struct intel_lookup_result *out,
	struct err_msg *err)
{
	struct store_stmt *st;
	char cutoff[32];
	int ret;

	memset(out, 0, sizeof(*out));
	if (id->flags & IDENT_SENSITIVE)
		return err_set(err, ERR_INVAL, "type", "%s is personal data and not available through "
			"the lookup service", ident_type_name(id->type));
	str_copy(out->risk, sizeof(out->risk), "none");
	ret = store_query(c, &st,
		"SELECT report_count, COALESCE(first_seen, ''), COALESCE(last_seen, ''), risk"
		" FROM identifiers WHERE type = ? AND value = ?",
		"tt", ident_type_name(id->type), id->value);
	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		out->known = true;
		out->report_count = store_col_int64(st, 0);
		str_copy(out->first_seen, sizeof(out->first_seen), store_col_text(st, 1));
		str_copy(out->last_seen, sizeof(out->last_seen), store_col_text(st, 2));
		str_copy(out->risk, sizeof(out->risk), store_col_text(st, 3));
	}
	store_finish(st);
	if (ret < 0)
		return ret;
	if (!strcmp(out->risk, "cleared"))
		str_copy(out->risk, sizeof(out->risk), "none");
	if (!strcmp(out->risk, "reported")) {
		clock_format_iso_s(clock_now() - report_ttl_days * 86400, cutoff, sizeof(cutoff));
		if (strcmp(out->last_seen, cutoff) < 0) {
			str_copy(out->risk, sizeof(out->risk), "none");
			out->aged_out = true;
		}
	}
	if (out->known && strcmp(out->risk, "none") && intel_warning_match(c, id)) {
		str_copy(out->risk, sizeof(out->risk), "none");
		out->warning_list = true;
	}
	if (seized_check && seized_check(c, id))
		str_copy(out->risk, sizeof(out->risk), "seized");
	return 0;
}
