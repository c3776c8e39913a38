/*
 * intel/import_store.c - the writer of bulk import: intel_report_store()
 * for many reports per transaction, with what report.c asks the database
 * for each report kept in memory for the whole import instead.
 *
 * What is cached, per distinct identifier (type, value) met in this import:
 *  - its row id (identifiers rows are never deleted);
 *  - its postings as find_duplicate() in report.c reads them: the first 200
 *    observations of non-duplicate reports, in report order. Loaded from the
 *    database when the identifier is first met; new reports append to them;
 *  - whether it is on the warning list (the list is held in memory);
 *  - the counts this batch adds (report_count, loss, first and last seen),
 *    written with one UPDATE per identifier per batch instead of one per
 *    observation. The UPDATE adds to the stored values, so the result is
 *    the one per-report UPDATEs give (counts only grow, so the review flag
 *    is set iff some intermediate count crossed the threshold).
 *
 * Invariants:
 *  1. The counting rules are those of report.c (see the top of that file);
 *     tests/unit/intel/test_import_equiv.c compares the databases both leave.
 *  2. Between batches another writer may add reports, change the warning
 *     list or the watches: import_store_begin() notices (the newest report
 *     id, the list's digest, the watched set) and drops what it cached.
 *  3. A rolled-back batch drops the whole cache: it may name rows that no
 *     longer exist.
 */
#include "intel/import_store.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "intel/internal.h"
#include "store/store.h"

#define POSTINGS_MAX 200 /* as find_duplicate() in report.c reads them */
#define DUP_WINDOW_S (3 * 86400)
#define ARENA_CHUNK (1024 * 1024)
#define IMPORT_CACHE_KIB "524288" /* 512 MiB of page cache while importing */

struct posting {
	int64_t report_id;
	int64_t when;      /* occurred_at, else reported_at */
	int64_t loss_twd;
	int64_t agency_id;
	uint16_t channel;  /* interned */
	uint16_t crime;    /* interned */
	uint8_t role;      /* index in intel_roles */
};

struct entry {
	struct entry *next;    /* hash chain */
	uint64_t hash;
	int64_t row;
	struct posting *p;
	uint32_t np, cap;
	bool loaded;           /* p holds the stored postings */
	bool warned;           /* on the warning list (for warn_digest) */
	bool dirty;            /* in the batch's dirty list */
	bool pending;          /* new in this batch: inserted (with its counts) at commit */
	uint64_t warn_digest;  /* digest of the list warned was computed with; 0 = never */
	int64_t dcount, dloss, dfirst, dlast; /* what this batch adds */
	uint8_t type;
	char value[];          /* canonical value, NUL-terminated */
};

struct arena_chunk {
	struct arena_chunk *next;
	size_t used;
	char data[];
};

struct import_store {
	struct store_conn *c;
	bool in_tx;
	struct entry **buckets;
	size_t nbuckets, nentries;
	struct arena_chunk *arena;
	struct entry **dirty;
	size_t ndirty, dirty_cap;
	struct entry **pending; /* identifiers new in this batch, in id order */
	size_t npending, pending_cap;
	struct ident_pending {  /* what their rows need besides the counts */
		char *display, *detail;
		bool sensitive;
		int64_t created; /* when it was first met, as intel_ident_upsert() records it */
	} *pending_rows;
	int64_t now_s;          /* created_at, formatted once per second */
	char now[32];
	char (*interned)[32];  /* channel and crime-type strings */
	size_t ninterned;
	struct intel_warning_set *warnings;
	int64_t *watched;      /* identifier ids with watchers, sorted */
	size_t nwatched;
	int64_t last_report_id; /* the newest report when this writer last looked */
	int64_t last_ident_id;  /* the newest identifier row when this writer last looked */
	int64_t next_report_id, next_ident_id; /* ids of the next rows (see import_store_begin) */
	bool started;           /* a batch was begun before */
	bool all_idents;        /* the cache holds every identifier row: a miss is a new one */
	bool all_refs;          /* refs holds every stored source_ref */
	struct ref {
		struct ref *next;
		uint64_t hash;
		char text[];
	} **refs;               /* source refs stored by this import (when all_refs) */
	size_t nrefs_buckets, nrefs;
	int64_t threshold;
};

/* "YYYY-MM-DDTHH:MM:SSZ" as intel_time() writes it ("" for 0), without gmtime and printf. */
static void iso_time(int64_t t, char out[32])
{
	int64_t days, secs, z, era, doe, yoe, y, doy, mp, d, m;

	if (!t) {
		out[0] = '\0';
		return;
	}
	days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	secs = t - days * 86400;
	/* civil_from_days (H. Hinnant) */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 1000 || y > 9999) {
		intel_time(t, out);
		return;
	}
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = 'T';
	out[11] = (char)('0' + secs / 36000);
	out[12] = (char)('0' + secs / 3600 % 10);
	out[13] = ':';
	out[14] = (char)('0' + secs % 3600 / 600);
	out[15] = (char)('0' + secs % 600 / 60);
	out[16] = ':';
	out[17] = (char)('0' + secs % 60 / 10);
	out[18] = (char)('0' + secs % 10);
	out[19] = 'Z';
	out[20] = '\0';
}

/* The created_at of rows stored now. */
static const char *now_text(struct import_store *s)
{
	int64_t t = clock_now();

	if (t != s->now_s) {
		s->now_s = t;
		iso_time(t, s->now);
	}
	return s->now;
}

static void *arena_alloc(struct import_store *s, size_t n)
{
	struct arena_chunk *ch = s->arena;

	n = (n + 15) & ~(size_t)15;
	if (!ch || ch->used + n > ARENA_CHUNK) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		ch = xmalloc(sizeof(*ch) + size);
		ch->used = 0;
		ch->next = s->arena;
		s->arena = ch;
	}
	ch->used += n;
	return ch->data + ch->used - n;
}

static uint64_t hash_ident(int type, const char *value)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)type;

	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static void pending_release(struct import_store *s)
{
	for (size_t i = 0; i < s->npending; i++) {
		free(s->pending_rows[i].display);
		free(s->pending_rows[i].detail);
	}
	s->npending = 0;
}

static void drop_cache(struct import_store *s)
{
	for (size_t i = 0; i < s->nbuckets; i++)
		for (struct entry *e = s->buckets[i]; e; e = e->next)
			free(e->p);
	memset(s->buckets, 0, s->nbuckets * sizeof(*s->buckets));
	s->nentries = 0;
	pending_release(s);
	s->ndirty = 0;
	free(s->refs);
	s->refs = NULL;
	s->nrefs = s->nrefs_buckets = 0;
	s->all_idents = s->all_refs = false; /* the cache no longer holds everything */
	s->ndirty = 0;
	while (s->arena) {
		struct arena_chunk *next = s->arena->next;
		free(s->arena);
		s->arena = next;
	}
}

int import_store_open(struct store_conn *c, struct import_store **out)
{
	struct import_store *s = xcalloc(1, sizeof(*s));

	s->c = c;
	s->nbuckets = 1 << 16;
	s->buckets = xcalloc(s->nbuckets, sizeof(*s->buckets));
	s->threshold = intel_review_threshold();
	/*
	 * Batches touch pages all over the observation and identifier indexes: a
	 * page cache that holds them saves a read and a rewrite per row (the
	 * default 2 MB made 90 % of the time page I/O). Restored on free.
	 */
	store_exec(c, "PRAGMA cache_size = -" IMPORT_CACHE_KIB, "");
	store_exec(c, "PRAGMA foreign_keys = OFF", "");
	*out = s;
	return 0;
}

void import_store_free(struct import_store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		import_store_rollback(s);
	drop_cache(s);
	store_exec(s->c, "PRAGMA cache_size = -2000", "");
	store_exec(s->c, "PRAGMA foreign_keys = ON", "");
	free(s->buckets);
	free(s->dirty);
	free(s->pending);
	free(s->pending_rows);
	free(s->interned);
	free(s->watched);
	intel_warning_set_free(s->warnings);
	free(s);
}

static uint16_t intern(struct import_store *s, const char *text)
{
	for (size_t i = 0; i < s->ninterned; i++)
		if (!strcmp(s->interned[i], text))
			return (uint16_t)i;
	if (s->ninterned == 65535)
		return 65535; /* never equal to a real one: compares as "different" */
	s->interned = xreallocarray(s->interned, s->ninterned + 1, sizeof(*s->interned));
	snprintf(s->interned[s->ninterned], sizeof(s->interned[0]), "%s", text);
	return (uint16_t)s->ninterned++;
}

static uint8_t role_index(const char *role)
{
	for (uint8_t i = 0; intel_roles[i]; i++)
		if (!strcmp(intel_roles[i], role))
			return i;
	return 255;
}

static bool role_victim(uint8_t role)
{
	return role != 255 && intel_role_is_victim(intel_roles[role]);
}

static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int load_watched(struct import_store *s)
{
	struct store_stmt *st;
	int ret = store_query(s->c, &st, "SELECT DISTINCT identifier_id FROM watches", "");

	if (ret)
		return ret;
	s->nwatched = 0;
	while ((ret = store_step(st)) == STORE_ROW) {
		s->watched = xreallocarray(s->watched, s->nwatched + 1, sizeof(*s->watched));
		s->watched[s->nwatched++] = store_col_int64(st, 0);
	}
	store_finish(st);
	if (s->nwatched)
		qsort(s->watched, s->nwatched, sizeof(*s->watched), cmp_int64);
	return ret < 0 ? ret : 0;
}

static bool is_watched(const struct import_store *s, int64_t row)
{
	return s->nwatched &&
		bsearch(&row, s->watched, s->nwatched, sizeof(*s->watched), cmp_int64) != NULL;
}

/*
 * The ids the next report and identifier rows get. Rows are inserted with
 * explicit ids (no RETURNING: in SQLite it costs a temporary table per
 * statement): the same ids AUTOINCREMENT would assign, as the writer holds
 * the write lock for the whole batch. NEEDSWORK: PostgreSQL will need the
 * identity sequences advanced (setval) after a batch.
 */
static int next_ids(struct import_store *s, int64_t newest_report)
{
	int64_t seq_r = 0, seq_i = 0, newest_ident = 0;
	int ret = store_query_int64(s->c, &newest_ident,
		"SELECT COALESCE(MAX(id), 0) FROM identifiers", "");

	if (!ret)
		ret = store_query_int64(s->c, &seq_r,
			"SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'reports'", "");
	if (!ret)
		ret = store_query_int64(s->c, &seq_i,
			"SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'identifiers'",
			"");
	if (ret)
		return ret;
	if (!s->started) {
		s->all_idents = newest_ident == 0;
		s->all_refs = newest_report == 0;
	} else if (newest_ident != s->last_ident_id) {
		s->all_idents = false; /* identifiers added by someone else */
	}
	s->started = true;
	s->last_ident_id = newest_ident;
	s->next_report_id = (seq_r > newest_report ? seq_r : newest_report) + 1;
	s->next_ident_id = (seq_i > newest_ident ? seq_i : newest_ident) + 1;
	return 0;
}

int import_store_begin(struct import_store *s)
{
	struct intel_warning_set *ws = NULL;
	int64_t newest = 0;
	int ret = store_begin(s->c);

	if (ret)
		return ret;
	s->in_tx = true;
	ret = store_query_int64(s->c, &newest, "SELECT COALESCE(MAX(id), 0) FROM reports", "");
	if (!ret && newest != s->last_report_id && s->last_report_id >= 0 && s->started)
		s->all_refs = false; /* someone else stored reports: ask the database */
	if (!ret && newest != s->last_report_id) {
		/* Reports stored by someone else: their postings are not in the cache. */
		for (size_t i = 0; i < s->nbuckets; i++)
			for (struct entry *e = s->buckets[i]; e; e = e->next) {
				free(e->p);
				e->p = NULL;
				e->np = e->cap = 0;
				e->loaded = false;
			}
		s->last_report_id = newest;
	}
	if (!ret)
		ret = next_ids(s, newest);
	if (!ret)
		ret = intel_warning_set_load(s->c, &ws);
	if (!ret) {
		/* A changed list changes the digest, and every entry recomputes. */
		intel_warning_set_free(s->warnings);
		s->warnings = ws;
		ret = load_watched(s);
	}
	if (ret)
		import_store_rollback(s);
	return ret;
}

/* The postings of e as find_duplicate() reads them. */
static int load_postings(struct import_store *s, struct entry *e)
{
	struct store_stmt *st;
	int ret = store_query(s->c, &st,
		"SELECT rp.id, rp.channel, rp.agency_id, COALESCE(rp.occurred_at,"
		" rp.reported_at), rp.loss_twd, rp.crime_type, o.role FROM observations o"
		" JOIN reports rp ON rp.id = o.report_id WHERE o.identifier_id = ?"
		" AND rp.duplicate_of IS NULL ORDER BY rp.id, o.role LIMIT 200",
		"i", e->row);

	if (ret)
		return ret;
	while ((ret = store_step(st)) == STORE_ROW) {
		struct posting *p;
		if (e->np == e->cap) {
			e->cap = e->cap ? e->cap * 2 : 4;
			e->p = xreallocarray(e->p, e->cap, sizeof(*e->p));
		}
		p = &e->p[e->np++];
		p->report_id = store_col_int64(st, 0);
		p->channel = intern(s, store_col_text(st, 1));
		p->agency_id = store_col_int64(st, 2);
		p->when = intel_time_parse(store_col_text(st, 3));
		p->loss_twd = store_col_int64(st, 4);
		p->crime = intern(s, store_col_text(st, 5));
		p->role = role_index(store_col_text(st, 6));
	}
	store_finish(st);
	if (ret < 0)
		return ret;
	e->loaded = true;
	return 0;
}

static void grow_buckets(struct import_store *s)
{
	size_t n = s->nbuckets * 2;
	struct entry **b = xcalloc(n, sizeof(*b));

	for (size_t i = 0; i < s->nbuckets; i++) {
		struct entry *e = s->buckets[i], *next;
		for (; e; e = next) {
			next = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(s->buckets);
	s->buckets = b;
	s->nbuckets = n;
}

/*
 * A new identifier gets the next id now (observations refer to it) and its
 * row at commit, with the batch's counts in the same INSERT.
 */
static int insert_ident(struct import_store *s, const struct ident *id, int64_t *row)
{
	json_t *facts = intel_ident_detail(id);
	struct ident_pending *p;

	if (s->npending == s->pending_cap) {
		s->pending_cap = s->pending_cap ? s->pending_cap * 2 : 4096;
		s->pending = xreallocarray(s->pending, s->pending_cap, sizeof(*s->pending));
		s->pending_rows = xreallocarray(s->pending_rows, s->pending_cap,
			sizeof(*s->pending_rows));
	}
	p = &s->pending_rows[s->npending];
	p->detail = json_dumps(facts, JSON_COMPACT | JSON_SORT_KEYS);
	p->display = xstrdup(id->display);
	p->sensitive = (id->flags & IDENT_SENSITIVE) != 0;
	p->created = clock_now();
	json_decref(facts);
	*row = s->next_ident_id++;
	s->last_ident_id = *row;
	return 0;
}

/* The cache entry of id, found or created (with its row upserted and postings loaded). */
static int resolve(struct import_store *s, const struct ident *id, struct entry **out)
{
	uint64_t h = hash_ident((int)id->type, id->value);
	struct entry *e;
	size_t len;
	int64_t row = 0;
	int ret;

	for (e = s->buckets[h & (s->nbuckets - 1)]; e; e = e->next)
		if (e->hash == h && e->type == (uint8_t)id->type && !strcmp(e->value, id->value))
			break;
	if (!e) {
		ret = s->all_idents ? ERR_NOTFOUND
				    : store_query_int64(s->c, &row,
					      "SELECT id FROM identifiers WHERE type = ? AND value = ?",
					      "tt", ident_type_name(id->type), id->value);
		if (ret == ERR_NOTFOUND)
			ret = insert_ident(s, id, &row);
		else if (!ret)
			row = -row; /* marks "existed before": postings to load */
		if (ret)
			return ret;
		len = strlen(id->value);
		e = arena_alloc(s, sizeof(*e) + len + 1);
		memset(e, 0, sizeof(*e));
		memcpy(e->value, id->value, len + 1);
		e->type = (uint8_t)id->type;
		e->hash = h;
		e->row = row < 0 ? -row : row;
		e->loaded = row > 0; /* new: no postings anywhere yet */
		if (row > 0) {
			e->pending = true;
			s->pending[s->npending++] = e;
		}
		if (s->nentries >= s->nbuckets)
			grow_buckets(s);
		e->next = s->buckets[h & (s->nbuckets - 1)];
		s->buckets[h & (s->nbuckets - 1)] = e;
		s->nentries++;
	}
	if (!e->loaded) {
		ret = load_postings(s, e);
		if (ret)
			return ret;
	}
	*out = e;
	return 0;
}

/* find_duplicate() of report.c, from the cached postings. */
static int64_t find_duplicate(struct import_store *s, const struct intel_report *r,
	struct entry **ents, uint16_t channel, uint16_t crime)
{
	int64_t when = r->occurred_at ? r->occurred_at : r->reported_at;

	(void)s;
	for (size_t i = 0; i < r->nidents; i++) {
		const struct entry *e = ents[i];
		bool victim = intel_role_is_victim(r->idents[i].role);
		for (uint32_t k = 0; k < e->np; k++) {
			const struct posting *p = &e->p[k];
			bool other_channel = p->channel != channel || p->agency_id != r->agency_id;
			bool same_loss = r->loss_twd > 0 && p->loss_twd == r->loss_twd;
			bool same_victim = victim && role_victim(p->role);
			int64_t d = p->when - when;
			if (other_channel && p->crime == crime && (d < 0 ? -d : d) <= DUP_WINDOW_S &&
				(same_loss || same_victim))
				return p->report_id;
		}
	}
	return 0;
}

static int insert_report(struct import_store *s, struct intel_report *r)
{
	char occurred[32], reported[32];
	int ret;

	iso_time(r->occurred_at, occurred);
	iso_time(r->reported_at, reported);
	memcpy(r->created_at, now_text(s), sizeof(r->created_at));
	ret = store_exec(s->c,
		"INSERT INTO reports (id, source_ref, agency_id, channel, occurred_at, reported_at,"
		" victim_kind, victim_sector, crime_type, loss_twd, loss_currency, loss_amount,"
		" payment_method, narrative, case_id, duplicate_of, created_by, created_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?)",
		"i" "titttttti" "tttt" "iiit", s->next_report_id,
		r->source_ref[0] ? r->source_ref : NULL, r->agency_id, r->channel,
		occurred[0] ? occurred : NULL, reported, r->victim_kind, r->victim_sector,
		r->crime_type, r->loss_twd, r->loss_currency, r->loss_amount, r->payment_method,
		r->narrative ? r->narrative : "", r->case_id, r->duplicate_of, r->created_by,
		r->created_at);
	if (ret < 0)
		return ret;
	r->id = s->next_report_id++;
	return 0;
}

static void add_posting(struct entry *e, const struct intel_report *r, uint16_t channel,
	uint16_t crime, uint8_t role)
{
	struct posting *p;

	if (!e->loaded || e->np >= POSTINGS_MAX)
		return;
	if (e->np == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 2;
		if (e->cap > POSTINGS_MAX)
			e->cap = POSTINGS_MAX;
		e->p = xreallocarray(e->p, e->cap, sizeof(*e->p));
	}
	p = &e->p[e->np++];
	p->report_id = r->id;
	p->when = r->occurred_at ? r->occurred_at : r->reported_at;
	p->loss_twd = r->loss_twd;
	p->agency_id = r->agency_id;
	p->channel = channel;
	p->crime = crime;
	p->role = role;
}

/*
 * The observations of r (one per identifier row and role, as the primary key
 * keeps them) and, for a report that is not a duplicate, its postings in
 * (identifier, role) order as the index returns them.
 */
static int insert_observations(struct import_store *s, const struct intel_report *r,
	struct entry **ents, uint16_t channel, uint16_t crime)
{
	uint8_t roles[INTEL_MAX_REPORT_IDENTS];
	int ret = 0;

	for (size_t i = 0; i < r->nidents && !ret; i++) {
		roles[i] = role_index(r->idents[i].role);
		ret = store_exec(s->c,
			"INSERT INTO observations (identifier_id, report_id, role, raw) VALUES (?, ?, ?, ?)"
			" ON CONFLICT DO NOTHING",
			"iitt", ents[i]->row, r->id, r->idents[i].role, r->idents[i].raw);
		ret = ret < 0 ? ret : 0;
	}
	if (ret || r->duplicate_of)
		return ret;
	for (size_t i = 0; i < r->nidents; i++) {
		bool first = true;
		for (size_t j = 0; j < i && first; j++)
			first = ents[j] != ents[i];
		if (!first)
			continue;
		/* Every role of this identifier in r, in name order, each once. */
		const char *last = "";
		for (;;) {
			const char *next = NULL;
			size_t at = 0;
			for (size_t j = i; j < r->nidents; j++)
				if (ents[j] == ents[i] && strcmp(r->idents[j].role, last) > 0 &&
					(!next || strcmp(r->idents[j].role, next) < 0)) {
					next = r->idents[j].role;
					at = j;
				}
			if (!next)
				break;
			add_posting(ents[i], r, channel, crime, roles[at]);
			last = next;
		}
	}
	return 0;
}

static bool warned(struct import_store *s, struct entry *e, const struct ident *id)
{
	uint64_t digest = intel_warning_set_digest(s->warnings) | 1;

	if (e->warn_digest != digest) {
		e->warned = intel_warning_set_match(s->warnings, id);
		e->warn_digest = digest;
	}
	return e->warned;
}

/* count_identifiers() of report.c, into the batch's deltas. */
static int count_identifiers(struct import_store *s, const struct intel_report *r,
	struct entry **ents)
{
	int64_t when = r->occurred_at ? r->occurred_at : r->reported_at;
	int ret = 0;

	for (size_t i = 0; i < r->nidents && !ret; i++) {
		struct entry *e = ents[i];
		bool repeat = false;
		for (size_t j = 0; j < i; j++)
			repeat |= ents[j] == e;
		if (repeat || intel_role_is_victim(r->idents[i].role) ||
			warned(s, e, &r->idents[i].id))
			continue;
		if (!e->dirty) {
			if (s->ndirty == s->dirty_cap) {
				s->dirty_cap = s->dirty_cap ? s->dirty_cap * 2 : 4096;
				s->dirty = xreallocarray(s->dirty, s->dirty_cap, sizeof(*s->dirty));
			}
			s->dirty[s->ndirty++] = e;
			e->dirty = true;
			e->dcount = e->dloss = 0;
			e->dfirst = e->dlast = when;
		}
		e->dcount++;
		e->dloss += r->loss_twd;
		if (when < e->dfirst)
			e->dfirst = when;
		if (when > e->dlast)
			e->dlast = when;
		if (is_watched(s, e->row))
			ret = intel_watch_notify(s->c, r, e->row, &r->idents[i].id);
	}
	return ret;
}

static uint64_t hash_text(const char *t)
{
	return hash_ident(0, t);
}

/* True when this import stored ref (all_refs mode), else false. */
static bool ref_seen(const struct import_store *s, const char *ref)
{
	uint64_t h = hash_text(ref);

	if (!s->nrefs_buckets)
		return false;
	for (const struct ref *e = s->refs[h & (s->nrefs_buckets - 1)]; e; e = e->next)
		if (e->hash == h && !strcmp(e->text, ref))
			return true;
	return false;
}

static void ref_add(struct import_store *s, const char *ref)
{
	uint64_t h = hash_text(ref);
	size_t len = strlen(ref);
	struct ref *e;

	if (s->nrefs >= s->nrefs_buckets) {
		size_t n = s->nrefs_buckets ? s->nrefs_buckets * 2 : 1 << 16;
		struct ref **b = xcalloc(n, sizeof(*b));
		for (size_t i = 0; i < s->nrefs_buckets; i++) {
			struct ref *x = s->refs[i], *next;
			for (; x; x = next) {
				next = x->next;
				x->next = b[x->hash & (n - 1)];
				b[x->hash & (n - 1)] = x;
			}
		}
		free(s->refs);
		s->refs = b;
		s->nrefs_buckets = n;
	}
	e = arena_alloc(s, sizeof(*e) + len + 1);
	e->hash = h;
	memcpy(e->text, ref, len + 1);
	e->next = s->refs[h & (s->nrefs_buckets - 1)];
	s->refs[h & (s->nrefs_buckets - 1)] = e;
	s->nrefs++;
}

/* Is ref stored? ERR_NOTFOUND when not, 0 with *id when it is. */
static int find_ref(struct import_store *s, const char *ref, int64_t *id)
{
	if (s->all_refs) {
		*id = 0;
		return ref_seen(s, ref) ? store_query_int64(s->c, id,
						  "SELECT id FROM reports WHERE source_ref = ?",
						  "t", ref)
					: ERR_NOTFOUND;
	}
	return store_query_int64(s->c, id, "SELECT id FROM reports WHERE source_ref = ?", "t",
		ref);
}

int import_store_add(struct import_store *s, struct intel_report *r, struct err_msg *err)
{
	struct entry *ents[INTEL_MAX_REPORT_IDENTS];
	uint16_t channel, crime;
	int64_t existing = 0;
	int ret = 0;

	if (r->source_ref[0] && !find_ref(s, r->source_ref, &existing)) {
		r->id = existing;
		return err_set(err, ERR_CONFLICT, "source_ref", "report '%s' is already stored as %lld",
			r->source_ref, (long long)existing);
	}
	for (size_t i = 0; i < r->nidents && !ret; i++)
		ret = resolve(s, &r->idents[i].id, &ents[i]);
	if (ret)
		return ret;
	channel = intern(s, r->channel);
	crime = intern(s, r->crime_type);
	r->duplicate_of = find_duplicate(s, r, ents, channel, crime);
	ret = insert_report(s, r);
	if (!ret)
		ret = insert_observations(s, r, ents, channel, crime);
	if (!ret && !r->duplicate_of)
		ret = count_identifiers(s, r, ents);
	if (!ret) {
		s->last_report_id = r->id;
		if (s->all_refs && r->source_ref[0])
			ref_add(s, r->source_ref);
	}
	return ret;
}

/* The rows of the batch's new identifiers (with their counts), then the counts of the others. */
static int flush_counts(struct import_store *s)
{
	int64_t threshold = s->threshold;
	int ret = 0;

	for (size_t i = 0; i < s->npending && !ret; i++) {
		struct entry *e = s->pending[i];
		const struct ident_pending *p = &s->pending_rows[i];
		char first[32], last[32], created[32];
		bool counted = e->dirty && e->dcount > 0;
		iso_time(p->created, created);
		iso_time(counted ? e->dfirst : 0, first);
		iso_time(counted ? e->dlast : 0, last);
		ret = store_exec(s->c,
			"INSERT INTO identifiers (id, type, value, display, detail, sensitive, first_seen,"
			" last_seen, report_count, loss_twd, risk, review_flag, created_at)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"itttt" "btt" "iitbt", e->row, ident_type_name((enum ident_type)e->type),
			e->value, p->display, p->detail ? p->detail : "{}", (int)p->sensitive,
			counted ? first : NULL, counted ? last : NULL, counted ? e->dcount : 0,
			counted ? e->dloss : 0, counted ? "reported" : "none",
			(int)(counted && e->dcount >= threshold), created);
		ret = ret < 0 ? ret : 0;
		e->pending = false;
		e->dirty = false;
	}
	pending_release(s);
	for (size_t i = 0; i < s->ndirty && !ret; i++) {
		struct entry *e = s->dirty[i];
		char first[32], last[32];
		if (!e->dirty)
			continue; /* a new identifier: inserted above */
		iso_time(e->dfirst, first);
		iso_time(e->dlast, last);
		ret = store_exec(s->c,
			"UPDATE identifiers SET report_count = report_count + ?, loss_twd = loss_twd + ?,"
			" first_seen = CASE WHEN first_seen IS NULL OR first_seen > ? THEN ? ELSE"
			" first_seen END,"
			" last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? THEN ? ELSE last_seen END,"
			" risk = CASE WHEN risk = 'none' THEN 'reported' ELSE risk END,"
			" review_flag = CASE WHEN review_flag = 0 AND report_count + ? >= ? THEN 1 ELSE"
			" review_flag END WHERE id = ?",
			"iitttt" "iii", e->dcount, e->dloss, first, first, last, last, e->dcount,
			threshold, e->row);
		ret = ret < 0 ? ret : 0;
		e->dirty = false;
	}
	s->ndirty = 0;
	return ret;
}

int import_store_commit(struct import_store *s)
{
	int ret = flush_counts(s);

	if (!ret)
		ret = store_commit(s->c);
	if (ret) {
		import_store_rollback(s);
		return ret;
	}
	s->in_tx = false;
	return 0;
}

void import_store_rollback(struct import_store *s)
{
	store_rollback(s->c);
	s->in_tx = false;
	drop_cache(s);
	s->last_report_id = -1;
}
