/*
 * intel/internal.h - shared by the files of src/intel/ only.
 */
#pragma once
#include <jansson.h>

#include "intel/intel.h"

struct store_conn;

/* Type-specific facts of id (bank name, registrable domain, chain …) as a JSON object. */
json_t *intel_ident_detail(const struct ident *id);

/*
 * Insert id if new and return its row id in *row. Within the caller's
 * write transaction.
 */
int intel_ident_upsert(struct store_conn *c, const struct ident *id, int64_t *row);

/* True when id is on the warning list (never correlates). */
bool intel_warning_match(struct store_conn *c, const struct ident *id);

/* True when role names the victim's own identifier (stored, never counted or correlated). */
bool intel_role_is_victim(const char *role);

/* Notify the watchers of identifier_row that report r names it (in r's transaction). */
int intel_watch_notify(struct store_conn *c, const struct intel_report *r, int64_t identifier_row,
	const struct ident *id);

/* Seconds → "YYYY-MM-DDTHH:MM:SSZ"; "" for 0. */
void intel_time(int64_t t, char out[32]);
/* "YYYY-MM-DDTHH:MM:SSZ" → seconds; 0 for "". */
int64_t intel_time_parse(const char *s);

/* ---- shared with bulk import (import_store.c) ---- */

/* The checks of a report that need no database (enumerations, times, loss). Fills err. */
int intel_report_check(const struct intel_report *r, struct err_msg *err);
/* fanout_review_threshold: the count at which an identifier is flagged for review. */
int64_t intel_review_threshold(void);

/* The warning list held in memory (intel_warning_set_load()) is declared in intel.h. */

/* ---- report text search (search.c) ---- */

struct auth_principal;
struct store_stmt;

/*
 * The reports p may read whose narrative contains every word of q (at most
 * three, separated by spaces), newest first, below before_id (0 = from the
 * newest), at most limit. *out has the columns of the report list; step and
 * finish it. ERR_INVAL when q has no word or a word over 100 bytes.
 */
int intel_report_search(struct store_conn *c, const struct auth_principal *p, int reach,
	const char *q, int64_t before_id, int64_t limit, struct store_stmt **out);
