/*
 * intel/correlate.c - "who else has seen this?": the reports and cases that
 * share an identifier, computed from the postings at query time.
 *
 * What a caller gets depends on need-to-know: a related report they may see
 * is listed in full (id, time, crime type, its case); one they may not see is
 * folded into a blind hit per owning office (counts only, and the case id as a
 * handle to ask that case for access). At most INTEL_POSTINGS_CAP postings are
 * read per identifier; beyond that the answer says it was truncated.
 */
#include "intel/internal.h"

#include <string.h>

#include "auth/auth.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

#define INTEL_POSTINGS_CAP 500

struct blind_office {
	int64_t office_id;
	int64_t reports;
	json_t *case_ids; /* distinct, as access handles */
};

static json_t *identifier_json(struct store_stmt *st, int first)
{
	json_t *detail = json_loads(store_col_text(st, first + 4), 0, NULL);

	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:I,s:I,s:s?,s:s?,s:s,s:b}", "id",
		(json_int_t)store_col_int64(st, first), "type", store_col_text(st, first + 1),
		"value", store_col_text(st, first + 2), "display", store_col_text(st, first + 3),
		"detail", detail ? detail : json_object(), "report_count",
		(json_int_t)store_col_int64(st, first + 5), "loss_twd",
		(json_int_t)store_col_int64(st, first + 6), "first_seen",
		store_col_null(st, first + 7) ? NULL : store_col_text(st, first + 7), "last_seen",
		store_col_null(st, first + 8) ? NULL : store_col_text(st, first + 8), "risk",
		store_col_text(st, first + 9), "under_review", store_col_int64(st, first + 10) == 1);
}

#define IDENT_COLUMNS \
	"i.id, i.type, i.value, i.display, i.detail, i.report_count, i.loss_twd, i.first_seen," \
	" i.last_seen, i.risk, i.review_flag, i.sensitive"

int intel_identifier_json(struct store_conn *c, int64_t id, json_t **out)
{
	struct store_stmt *st;
	int ret = store_query(c, &st, "SELECT " IDENT_COLUMNS " FROM identifiers i WHERE i.id = ?",
		"i", id);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW)
		*out = identifier_json(st, 0);
	store_finish(st);
	return ret == STORE_ROW ? 0 : ret == STORE_DONE ? ERR_NOTFOUND : ret;
}

static void add_blind(json_t *offices, struct blind_office **list, size_t *n, int64_t office,
	int64_t case_id)
{
	struct blind_office *b = NULL;

	(void)offices;
	for (size_t i = 0; i < *n; i++)
		if ((*list)[i].office_id == office)
			b = &(*list)[i];
	if (!b) {
		*list = realloc(*list, (*n + 1) * sizeof(**list));
		b = &(*list)[(*n)++];
		b->office_id = office;
		b->reports = 0;
		b->case_ids = json_array();
	}
	b->reports++;
	if (case_id) {
		size_t i;
		json_t *v;
		bool have = false;
		json_array_foreach(b->case_ids, i, v) have |= json_integer_value(v) == case_id;
		if (!have)
			json_array_append_new(b->case_ids, json_integer(case_id));
	}
}

static json_t *blind_json(struct store_conn *c, struct blind_office *list, size_t n)
{
	json_t *out = json_array();

	for (size_t i = 0; i < n; i++) {
		struct store_stmt *st;
		const char *name = "";
		json_t *office;
		if (store_query(c, &st, "SELECT name FROM agencies WHERE id = ?", "i",
			    list[i].office_id) == 0 &&
			store_step(st) == STORE_ROW)
			name = store_col_text(st, 0);
		office = json_pack("{s:I,s:s,s:I,s:I,s:o}", "office_id",
			(json_int_t)list[i].office_id, "office", name, "reports",
			(json_int_t)list[i].reports, "cases",
			(json_int_t)json_array_size(list[i].case_ids), "case_ids", list[i].case_ids);
		store_finish(st);
		json_array_append_new(out, office);
	}
	return out;
}

int intel_postings(struct store_conn *c, const struct auth_principal *p, int reach,
	int64_t identifier_id, int64_t exclude_report, json_t **visible_out, json_t **blind_out,
	int64_t *cases_out, bool *truncated)
{
	struct blind_office *blind = NULL;
	size_t nblind = 0, seen = 0;
	json_t *visible = json_array(), *cases = json_array();
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT r.id, r.agency_id, COALESCE(r.case_id, 0), r.reported_at, r.crime_type,"
		" r.created_by, COALESCE(k.number, ''), COALESCE(k.office_id, r.agency_id), o.role"
		" FROM observations o JOIN reports r ON r.id = o.report_id"
		" LEFT JOIN cases k ON k.id = r.case_id"
		" WHERE o.identifier_id = ? AND o.report_id <> ? AND r.duplicate_of IS NULL"
		" AND o.role <> 'victim' ORDER BY r.reported_at DESC LIMIT ?",
		"iii", identifier_id, exclude_report, (int64_t)INTEL_POSTINGS_CAP + 1);

	*truncated = false;
	if (ret) {
		json_decref(visible);
		json_decref(cases);
		return ret;
	}
	while ((ret = store_step(st)) == STORE_ROW) {
		struct intel_report r = { 0 };
		int64_t case_id = store_col_int64(st, 2);
		if (++seen > INTEL_POSTINGS_CAP) {
			*truncated = true;
			break;
		}
		r.id = store_col_int64(st, 0);
		r.agency_id = store_col_int64(st, 1);
		r.case_id = case_id;
		r.created_by = store_col_int64(st, 5);
		if (intel_report_visible(c, p, reach, &r)) {
			json_array_append_new(visible,
				json_pack("{s:I,s:s,s:s,s:s,s:o}", "report_id", (json_int_t)r.id,
					"reported_at", store_col_text(st, 3), "crime_type",
					store_col_text(st, 4), "role", store_col_text(st, 8), "case",
					case_id ? json_pack("{s:I,s:s}", "id", (json_int_t)case_id,
							  "number", store_col_text(st, 6))
						: json_null()));
			if (case_id)
				json_array_append_new(cases, json_integer(case_id));
		} else {
			add_blind(NULL, &blind, &nblind, store_col_int64(st, 7), case_id);
		}
	}
	store_finish(st);
	*blind_out = blind_json(c, blind, nblind);
	free(blind);
	*visible_out = visible;
	*cases_out = 0;
	{
		/* Distinct visible cases plus the blind ones. */
		size_t i, j;
		json_t *v, *o;
		json_t *all = json_array();
		json_array_foreach(cases, i, v) {
			bool have = false;
			json_array_foreach(all, j, o) have |= json_integer_value(o) == json_integer_value(v);
			if (!have)
				json_array_append(all, v);
		}
		*cases_out = (int64_t)json_array_size(all);
		json_array_foreach(*blind_out, i, o)
			*cases_out += json_integer_value(json_object_get(o, "cases"));
		json_decref(all);
	}
	json_decref(cases);
	return ret < 0 ? ret : 0;
}
