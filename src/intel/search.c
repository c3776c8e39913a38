/*
 * intel/search.c - report text search: the reports whose narrative contains
 * the words asked for, newest first, among those the caller may read.
 *
 * All of report text search is this one function, so that a full-text index
 * (SQLite FTS5 now, PostgreSQL's tsvector later) replaces its query without
 * touching any caller. Today it is a portable LIKE per word (each word must
 * appear; %, _ and ! are escaped), which SQLite evaluates case-insensitively
 * for ASCII, and which reads every report of the caller's reach: fine up to
 * a few hundred thousand reports, not for the anchors of docs/performance.md.
 */
#include "intel/internal.h"

#include <string.h>

#include "auth/auth.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

#define SEARCH_WORDS    3
#define SEARCH_WORD_MAX 100

/* word as a LIKE pattern %word% with the escape character ! */
static void like_pattern(const char *word, size_t len, char *out, size_t size)
{
	size_t o = 0;

	out[o++] = '%';
	for (size_t i = 0; i < len && o + 3 < size; i++) {
		if (word[i] == '%' || word[i] == '_' || word[i] == '!')
			out[o++] = '!';
		out[o++] = word[i];
	}
	out[o++] = '%';
	out[o] = '\0';
}

/* The length of the space at s: ASCII space or tab, or the ideographic space U+3000; else 0. */
static size_t space_len(const char *s)
{
	if (*s == ' ' || *s == '\t')
		return 1;
	return !strncmp(s, "\xe3\x80\x80", 3) ? 3 : 0;
}

int intel_report_search(struct store_conn *c, const struct auth_principal *p, int reach,
        const char *q, int64_t before_id, int64_t limit, struct store_stmt **out)
{
	char pat[SEARCH_WORDS][2 * SEARCH_WORD_MAX + 3];
	size_t n = 0;
	const char *s = q;

	while (*s && n < SEARCH_WORDS) {
		size_t len;
		while (space_len(s))
			s += space_len(s);
		len = 0;
		while (s[len] && !space_len(s + len))
			len++;
		if (!len)
			break;
		if (len > SEARCH_WORD_MAX)
			return ERR_INVAL;
		like_pattern(s, len, pat[n++], sizeof(pat[0]));
		s += len;
	}
	if (!n)
		return ERR_INVAL;
	for (size_t i = n; i < SEARCH_WORDS; i++)
		str_copy(pat[i], sizeof(pat[i]), "%");
	return store_query(c, out,
	        "SELECT r.id, r.agency_id, a.name, r.channel, r.reported_at, r.crime_type, "
	        "r.loss_twd,"
	        " COALESCE(r.case_id, 0), COALESCE(r.duplicate_of, 0) FROM reports r"
	        " JOIN agencies a ON a.id = r.agency_id"
	        " WHERE (? = 1 OR (? = 1 AND r.agency_id = ?) OR r.created_by = ?"
	        "  OR r.case_id IN (SELECT case_id FROM case_members WHERE user_id = ?))"
	        " AND r.narrative LIKE ? ESCAPE '!' AND r.narrative LIKE ? ESCAPE '!'"
	        " AND r.narrative LIKE ? ESCAPE '!' AND (? = 0 OR r.id < ?)"
	        " ORDER BY r.id DESC LIMIT ?",
	        "bbiii"
	        "ttt"
	        "ii"
	        "i",
	        (int)(reach == REACH_ALL), (int)(reach >= REACH_AGENCY), p->agency_id, p->user_id,
	        p->user_id, pat[0], pat[1], pat[2], before_id, before_id, limit);
}
