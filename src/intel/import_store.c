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
 * and every source_ref this import stored, with its report id.
 *
 * The rows of a batch are written at its commit, not as reports arrive
 * (nothing in the batch reads them back: duplicates, postings and source
 * refs come from the cache): reports and new identifiers in id order
 * (appends), observations sorted by their primary key (identifier, report,
 * role), so that the clustered index is walked once in order instead of
 * being hit at random; several rows per INSERT; text bound without copies
 * from an arena that lives until the commit. The connection is tuned for
 * bulk loading meanwhile (store_bulk_begin(): a large page cache, commits
 * not fsynced, no WAL checkpoints) until import_store_finish() checkpoints.
 * Reports are written as each parser chunk arrives (appends: no order to
 * wait for). For --bulk (one batch for the whole input) the secondary
 * indexes that rows hit at random are dropped in the batch and rebuilt
 * before its commit.
 *
 * Invariants:
 *  1. The counting rules are those of report.c (see the top of that file);
 *     tests/unit/intel/test_import_equiv.c compares the databases both leave.
 *  2. Between batches another writer may add reports, change the warning
 *     list or the watches: import_store_begin() notices (the newest report
 *     id, the list's digest, the watched set) and drops what it cached.
 *  3. A rolled-back batch drops the whole cache: it may name rows that no
 *     longer exist.
 *  4. Every text pointer held for the batch's rows points into tx (the
 *     batch's arena) or to static strings, and stays valid until the commit
 *     has written them (they are bound as 'T', without a copy).
 */
#include "intel/import_store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/sort.h"
#include "intel/internal.h"
#include "store/store.h"

#define POSTINGS_MAX 200 /* as find_duplicate() in report.c reads them */
#define DUP_WINDOW_S (3 * 86400)
#define ARENA_CHUNK (1024 * 1024)
/*
 * Page cache while importing: batches touch pages all over the observation
 * and identifier indexes, and a cache that holds them saves a read and a
 * rewrite per row (the default 2 MB made 90 % of the time page I/O). SQLite
 * takes the memory as pages are used, and gives it back at the end.
 */
#define IMPORT_CACHE_MIB 2048

/*
 * Rows per multi-row INSERT (bench/import.sh: fewer statements, fewer cursor
 * openings). They say OR IGNORE: a statement of several rows that may abort
 * halfway makes SQLite copy every page it touches to a statement journal
 * first (15-20 % of the writing). Nothing may be ignored, though: the row
 * count is checked, and a short one fails the batch as a constraint error
 * of a plain INSERT would. PostgreSQL (no statement journal): a plain INSERT.
 */
#define MULTI "INSERT OR IGNORE"
#define ROWS5(x) x ", " x ", " x ", " x ", " x
#define ROWS25(x) ROWS5(x) ", " ROWS5(x) ", " ROWS5(x) ", " ROWS5(x) ", " ROWS5(x)
#define REPORT_ROWS 25
#define IDENT_ROWS 25
#define OBS_ROWS 50
#define REPORT_COLS 18
#define IDENT_COLS 13
#define OBS_COLS 4

#define REPORT_INSERT "INSERT" REPORT_INSERT_TAIL
#define REPORT_INSERT_TAIL                                                                          \
	" INTO reports (id, source_ref, agency_id, channel, occurred_at, reported_at,"     \
	" victim_kind, victim_sector, crime_type, loss_twd, loss_currency, loss_amount,"       \
	" payment_method, narrative, case_id, duplicate_of, created_by, created_at) VALUES "
#define REPORT_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?)"
#define IDENT_INSERT "INSERT" IDENT_INSERT_TAIL
#define IDENT_INSERT_TAIL                                                                           \
	" INTO identifiers (id, type, value, display, detail, sensitive, first_seen,"     \
	" last_seen, report_count, loss_twd, risk, review_flag, created_at) VALUES "
#define IDENT_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define OBS_INSERT "INSERT" OBS_INSERT_TAIL
#define OBS_INSERT_TAIL " INTO observations (identifier_id, report_id, role, raw) VALUES "
#define OBS_ROW "(?, ?, ?, ?)"
#define OBS_CONFLICT " ON CONFLICT DO NOTHING"

static const char sql_report_1[] = REPORT_INSERT REPORT_ROW;
static const char sql_report_n[] = MULTI REPORT_INSERT_TAIL ROWS25(REPORT_ROW);
static const char sql_ident_1[] = IDENT_INSERT IDENT_ROW;
static const char sql_ident_n[] = MULTI IDENT_INSERT_TAIL ROWS25(IDENT_ROW);
static const char sql_obs_1[] = OBS_INSERT OBS_ROW OBS_CONFLICT;
static const char sql_obs_n[] = MULTI OBS_INSERT_TAIL ROWS25(OBS_ROW) ", " ROWS25(OBS_ROW);

struct posting {
	int64_t report_id;
	int64_t when;      /* occurred_at, else reported_at */
	int64_t loss_twd;
	int64_t agency_id;
	uint16_t channel;  /* interned */
	uint16_t crime;    /* interned */
	uint8_t role;      /* index in intel_roles */
};

/* What a new identifier's row needs besides its counts (texts in the batch's arena). */
struct ident_new {
	const char *display, *detail;
	int64_t created; /* when it was first met, as intel_ident_upsert() records it */
	bool sensitive;
};

struct entry {
	struct entry *next;    /* hash chain */
	uint64_t hash;
	int64_t row;
	struct posting *p;
	int64_t *pw;           /* p[k].when again, scanned first by find_duplicate() */
	uint32_t np, cap;
	bool loaded;           /* p holds the stored postings */
	bool warned;           /* on the warning list (for warn_digest) */
	bool dirty;            /* in the batch's dirty list */
	bool pending;          /* new in this batch: inserted (with its counts) at commit */
	uint64_t warn_digest;  /* digest of the list warned was computed with; 0 = never */
	int64_t dcount, dloss, dfirst, dlast; /* what this batch adds */
	struct ident_new *fresh; /* when pending */
	uint8_t type;
	char value[];          /* canonical value, NUL-terminated */
};

struct arena_chunk {
	struct arena_chunk *next;
	size_t used;
	char data[];
};

/* A report of the batch, written at commit (texts in the batch's arena). */
struct pend_report {
	int64_t id, agency_id, occurred_at, reported_at, loss_twd, case_id, duplicate_of,
		created_by;
	const char *source_ref; /* NULL when none */
	const char *channel, *victim_kind, *victim_sector, *crime_type, *loss_currency,
		*loss_amount, *payment_method, *narrative, *created_at;
};

/* An observation of the batch, written at commit in primary-key order. */
struct pend_obs {
	int64_t ident, report;
	const char *role;      /* a string of intel_roles, or in the arena */
	const char *raw;
	uint32_t seq;          /* order of arrival: the first of equal keys is kept */
	uint8_t role_rank;     /* the role's place in name order (255: compare role) */
};

/* Growing arrays of the batch. */
#define PUSH(arr, n, cap)                                                                      \
	(((n) == (cap) ? ((cap) = (cap) ? (cap) * 2 : 4096,                                     \
				 (arr) = xreallocarray((arr), (cap), sizeof(*(arr))))            \
		       : (arr)),                                                                  \
		&(arr)[(n)++])

struct import_store {
	struct store_conn *c;
	bool in_tx;
	bool bulk;              /* store_bulk_begin() in force */
	struct entry **buckets;
	size_t nbuckets, nentries;
	struct arena_chunk *arena; /* entries and refs: the whole import */
	struct arena_chunk *tx;    /* the batch's rows: until its commit */
	struct arena_chunk *txr;   /* the texts of its reports: until they are written */
	struct entry **dirty;
	size_t ndirty, dirty_cap;
	struct entry **pending; /* identifiers new in this batch, in id order */
	size_t npending, pending_cap;
	struct pend_report *reps;
	size_t nreps, reps_cap;
	struct pend_obs *obs;
	size_t nobs, obs_cap;
	struct store_val *vals; /* parameters of one multi-row INSERT */
	char (*times)[3 * 32];  /* the times formatted for it, per row */
	int64_t now_s;          /* created_at, formatted once per second */
	char now[32];
	char (*interned)[32];  /* channel and crime-type strings */
	size_t ninterned;
	uint8_t role_rank[64];  /* intel_roles index → rank in name order */
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
		int64_t id;
		char text[];
	} **refs;               /* source refs stored by this import, with their report ids */
	size_t nrefs_buckets, nrefs;
	int64_t threshold;
	char *index_defs[2];    /* indexes suspended for this transaction (bulk mode) */
	size_t nindex_defs;
	double t_write, t_commit, t_index; /* CPU seconds, for ROOTCUT_IMPORT_STATS */
};

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

static void *chunk_alloc(struct arena_chunk **head, size_t n)
{
	struct arena_chunk *ch = *head;

	n = (n + 15) & ~(size_t)15;
	if (!ch || ch->used + n > ARENA_CHUNK) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		ch = xmalloc(sizeof(*ch) + size);
		ch->used = 0;
		ch->next = *head;
		*head = ch;
	}
	ch->used += n;
	return ch->data + ch->used - n;
}

static void chunks_free(struct arena_chunk **head)
{
	while (*head) {
		struct arena_chunk *next = (*head)->next;
		free(*head);
		*head = next;
	}
}

static void *arena_alloc(struct import_store *s, size_t n)
{
	return chunk_alloc(&s->arena, n);
}

/* A copy of text in the batch's arena. */
static const char *arena_strdup(struct arena_chunk **head, const char *text)
{
	size_t len = strlen(text);
	char *p = chunk_alloc(head, len + 1);

	memcpy(p, text, len + 1);
	return p;
}

static const char *tx_strdup(struct import_store *s, const char *text)
{
	size_t len = strlen(text);
	char *p = chunk_alloc(&s->tx, len + 1);

	memcpy(p, text, len + 1);
	return p;
}

static uint64_t hash_ident(int type, const char *value)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)type;

	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h ^ (h >> 29);
}

/* Empty an arena but for one chunk, kept for what comes next. */
static void chunks_reset(struct arena_chunk **head)
{
	if (*head) {
		chunks_free(&(*head)->next);
		(*head)->used = 0;
	}
}

/* Forget the batch's rows (written, or rolled back). */
static void tx_release(struct import_store *s)
{
	s->npending = s->ndirty = s->nreps = s->nobs = 0;
	chunks_reset(&s->tx);
	chunks_reset(&s->txr);
}

static void drop_cache(struct import_store *s)
{
	for (size_t i = 0; i < s->nbuckets; i++)
		for (struct entry *e = s->buckets[i]; e; e = e->next)
			free(e->p), free(e->pw);
	memset(s->buckets, 0, s->nbuckets * sizeof(*s->buckets));
	s->nentries = 0;
	tx_release(s);
	free(s->refs);
	s->refs = NULL;
	s->nrefs = s->nrefs_buckets = 0;
	s->all_idents = s->all_refs = false; /* the cache no longer holds everything */
	chunks_free(&s->arena);
}

static int cmp_role_name(const void *a, const void *b)
{
	return strcmp(intel_roles[*(const uint8_t *)a], intel_roles[*(const uint8_t *)b]);
}

int import_store_open(struct store_conn *c, struct import_store **out)
{
	struct import_store *s = xcalloc(1, sizeof(*s));
	uint8_t order[64];
	size_t n = 0;

	s->c = c;
	s->nbuckets = 1 << 16;
	s->buckets = xcalloc(s->nbuckets, sizeof(*s->buckets));
	s->threshold = intel_review_threshold();
	s->vals = xcalloc(REPORT_ROWS * REPORT_COLS, sizeof(*s->vals));
	s->times = xcalloc(OBS_ROWS, sizeof(*s->times));
	/* Observations sort by role name within (identifier, report), as the primary key does. */
	memset(s->role_rank, 255, sizeof(s->role_rank));
	while (n < sizeof(order) && intel_roles[n]) {
		order[n] = (uint8_t)n;
		n++;
	}
	sort_items(order, n, sizeof(order[0]), cmp_role_name);
	for (size_t i = 0; i < n; i++)
		s->role_rank[order[i]] = (uint8_t)i;
	s->bulk = store_bulk_begin(c, IMPORT_CACHE_MIB) == 0;
	*out = s;
	return 0;
}

int import_store_finish(struct import_store *s)
{
	int ret = 0;

	if (s->in_tx)
		return ERR_INTERNAL;
	if (s->bulk) {
		s->bulk = false;
		ret = store_bulk_end(s->c);
	}
	return ret;
}

void import_store_free(struct import_store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		import_store_rollback(s);
	if (getenv("ROOTCUT_IMPORT_STATS"))
		fprintf(stderr, "writer cpu: writing rows %.2f s, rebuilding indexes %.2f s, commits %.2f s\n",
			s->t_write, s->t_index, s->t_commit);
	if (s->bulk)
		store_bulk_end(s->c);
	drop_cache(s);
	chunks_free(&s->tx);
	chunks_free(&s->txr);
	free(s->buckets);
	free(s->dirty);
	free(s->pending);
	free(s->reps);
	free(s->obs);
	free(s->vals);
	free(s->times);
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
		sort_items(s->watched, s->nwatched, sizeof(*s->watched), cmp_int64);
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
				free(e->pw);
				e->p = NULL;
				e->pw = NULL;
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
			e->pw = xreallocarray(e->pw, e->cap, sizeof(*e->pw));
		}
		p = &e->p[e->np++];
		p->report_id = store_col_int64(st, 0);
		p->channel = intern(s, store_col_text(st, 1));
		p->agency_id = store_col_int64(st, 2);
		p->when = intel_time_parse(store_col_text(st, 3));
		e->pw[e->np - 1] = p->when;
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
/*
 * A new identifier gets the next id now (observations refer to it) and its
 * row at commit, with the batch's counts in the same INSERT.
 */
static struct ident_new *new_ident(struct import_store *s, const struct ident *id)
{
	json_t *facts = intel_ident_detail(id);
	char *detail = json_dumps(facts, JSON_COMPACT | JSON_SORT_KEYS);
	struct ident_new *p = chunk_alloc(&s->tx, sizeof(*p));

	p->detail = tx_strdup(s, detail ? detail : "{}");
	p->display = tx_strdup(s, id->display);
	p->sensitive = (id->flags & IDENT_SENSITIVE) != 0;
	p->created = clock_now();
	free(detail);
	json_decref(facts);
	return p;
}

/* The cache entry of id, found or created (with its row upserted and postings loaded). */
static int resolve(struct import_store *s, const struct ident *id, uint64_t h,
	struct entry **out)
{
	struct entry *e;
	size_t len;
	int64_t row = 0;
	int ret;

	for (e = s->buckets[h & (s->nbuckets - 1)]; e; e = e->next)
		if (e->hash == h && e->type == (uint8_t)id->type && !strcmp(e->value, id->value))
			break;
	if (!e) {
		bool fresh = false;
		ret = s->all_idents ? ERR_NOTFOUND
				    : store_query_int64(s->c, &row,
					      "SELECT id FROM identifiers WHERE type = ? AND value = ?",
					      "tt", ident_type_name(id->type), id->value);
		if (ret == ERR_NOTFOUND) {
			fresh = true;
			row = s->next_ident_id++;
			s->last_ident_id = row;
			ret = 0;
		}
		if (ret)
			return ret;
		len = strlen(id->value);
		e = arena_alloc(s, sizeof(*e) + len + 1);
		memset(e, 0, sizeof(*e));
		memcpy(e->value, id->value, len + 1);
		e->type = (uint8_t)id->type;
		e->hash = h;
		e->row = row;
		e->loaded = fresh; /* new: no postings anywhere yet */
		if (fresh) {
			e->pending = true;
			e->fresh = new_ident(s, id);
			*PUSH(s->pending, s->npending, s->pending_cap) = e;
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

static int64_t find_duplicate(struct import_store *s, const struct intel_report *r,
	struct entry **ents, uint16_t channel, uint16_t crime)
{
	int64_t when = r->occurred_at ? r->occurred_at : r->reported_at;

	(void)s;
	for (size_t i = 0; i < r->nidents; i++) {
		const struct entry *e = ents[i];
		bool victim = intel_role_is_victim(r->idents[i].role);
		for (uint32_t k = 0; k < e->np; k++) {
			int64_t dw = e->pw[k] - when;
			if (dw > DUP_WINDOW_S || dw < -DUP_WINDOW_S)
				continue; /* the usual case: only the times are read */
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

/* r as a row of the batch: its id now, its row at commit. */
static void add_report(struct import_store *s, struct intel_report *r)
{
	struct pend_report *p = PUSH(s->reps, s->nreps, s->reps_cap);

	memcpy(r->created_at, now_text(s), sizeof(r->created_at));
	r->id = s->next_report_id++;
	p->id = r->id;
	p->source_ref = r->source_ref[0] ? arena_strdup(&s->txr, r->source_ref) : NULL;
	p->agency_id = r->agency_id;
	p->channel = arena_strdup(&s->txr, r->channel);
	p->occurred_at = r->occurred_at;
	p->reported_at = r->reported_at;
	p->victim_kind = arena_strdup(&s->txr, r->victim_kind);
	p->victim_sector = arena_strdup(&s->txr, r->victim_sector);
	p->crime_type = arena_strdup(&s->txr, r->crime_type);
	p->loss_twd = r->loss_twd;
	p->loss_currency = arena_strdup(&s->txr, r->loss_currency);
	p->loss_amount = arena_strdup(&s->txr, r->loss_amount);
	p->payment_method = arena_strdup(&s->txr, r->payment_method);
	p->narrative = arena_strdup(&s->txr, r->narrative ? r->narrative : "");
	p->case_id = r->case_id;
	p->duplicate_of = r->duplicate_of;
	p->created_by = r->created_by;
	p->created_at = arena_strdup(&s->txr, r->created_at);
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
		e->pw = xreallocarray(e->pw, e->cap, sizeof(*e->pw));
	}
	p = &e->p[e->np++];
	p->report_id = r->id;
	p->when = r->occurred_at ? r->occurred_at : r->reported_at;
	e->pw[e->np - 1] = p->when;
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
/*
 * The observations of r (one per identifier row and role, as the primary key
 * keeps them: written at commit) and, for a report that is not a duplicate,
 * its postings in (identifier, role) order as the index returns them.
 */
static void add_observations(struct import_store *s, const struct intel_report *r,
	struct entry **ents, uint16_t channel, uint16_t crime)
{
	uint8_t roles[INTEL_MAX_REPORT_IDENTS];

	for (size_t i = 0; i < r->nidents; i++) {
		struct pend_obs *o = PUSH(s->obs, s->nobs, s->obs_cap);
		roles[i] = role_index(r->idents[i].role);
		o->ident = ents[i]->row;
		o->report = r->id;
		o->role_rank = roles[i] < 64 ? s->role_rank[roles[i]] : 255;
		o->role = o->role_rank != 255 ? intel_roles[roles[i]] : tx_strdup(s, r->idents[i].role);
		o->raw = tx_strdup(s, r->idents[i].raw);
		o->seq = (uint32_t)s->nobs;
	}
	if (r->duplicate_of)
		return;
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
			*PUSH(s->dirty, s->ndirty, s->dirty_cap) = e;
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

/* The report this import stored as ref, or NULL. */
static const struct ref *ref_find(const struct import_store *s, const char *ref)
{
	uint64_t h = hash_text(ref);

	if (!s->nrefs_buckets)
		return NULL;
	for (const struct ref *e = s->refs[h & (s->nrefs_buckets - 1)]; e; e = e->next)
		if (e->hash == h && !strcmp(e->text, ref))
			return e;
	return NULL;
}

static void ref_add(struct import_store *s, const char *ref, int64_t id)
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
	e->id = id;
	memcpy(e->text, ref, len + 1);
	e->next = s->refs[h & (s->nrefs_buckets - 1)];
	s->refs[h & (s->nrefs_buckets - 1)] = e;
	s->nrefs++;
}

/*
 * Is ref stored? ERR_NOTFOUND when not, 0 with *id when it is. The refs this
 * import stored are in memory (those of the open batch are not in the
 * database yet); others only when all_refs says none were stored before.
 */
static int find_ref(struct import_store *s, const char *ref, int64_t *id)
{
	const struct ref *e = ref_find(s, ref);

	if (e) {
		*id = e->id;
		return 0;
	}
	if (s->all_refs)
		return ERR_NOTFOUND;
	return store_query_int64(s->c, id, "SELECT id FROM reports WHERE source_ref = ?", "t",
		ref);
}

int import_store_add(struct import_store *s, struct intel_report *r, struct err_msg *err)
{
	struct entry *ents[INTEL_MAX_REPORT_IDENTS];
	uint64_t hashes[INTEL_MAX_REPORT_IDENTS];
	uint16_t channel, crime;
	int64_t existing = 0;
	int ret = 0;

	if (r->source_ref[0] && !find_ref(s, r->source_ref, &existing)) {
		r->id = existing;
		return err_set(err, ERR_CONFLICT, "source_ref", "report '%s' is already stored as %lld",
			r->source_ref, (long long)existing);
	}
	/*
	 * The cache is far larger than the CPU's: fetch every chain head of the
	 * report at once, so that their misses overlap instead of queueing.
	 */
	for (size_t i = 0; i < r->nidents; i++) {
		hashes[i] = hash_ident((int)r->idents[i].id.type, r->idents[i].id.value);
		__builtin_prefetch(&s->buckets[hashes[i] & (s->nbuckets - 1)]);
	}
	for (size_t i = 0; i < r->nidents; i++)
		__builtin_prefetch(s->buckets[hashes[i] & (s->nbuckets - 1)]);
	for (size_t i = 0; i < r->nidents && !ret; i++)
		ret = resolve(s, &r->idents[i].id, hashes[i], &ents[i]);
	if (ret)
		return ret;
	channel = intern(s, r->channel);
	crime = intern(s, r->crime_type);
	r->duplicate_of = find_duplicate(s, r, ents, channel, crime);
	add_report(s, r);
	add_observations(s, r, ents, channel, crime);
	if (!r->duplicate_of)
		ret = count_identifiers(s, r, ents);
	if (!ret) {
		s->last_report_id = r->id;
		if (r->source_ref[0])
			ref_add(s, r->source_ref, r->id);
	}
	return ret;
}

/* ---- writing the batch ---- */

static struct store_val *val_i(struct store_val *v, int64_t i)
{
	v->type = 'i';
	v->i = i;
	return v + 1;
}

static struct store_val *val_t(struct store_val *v, const char *t)
{
	v->type = 'T'; /* every text lives until the commit (invariant 4) */
	v->t = t;
	return v + 1;
}

/*
 * Write n rows of cols parameters each, filled by fill(s, k, vals, times) for
 * row k: many rows per statement, the rest one by one. times is room for the
 * row's formatted times (3 × 32 bytes), valid until the statement ran.
 */
typedef void (*fill_fn)(struct import_store *s, size_t k, struct store_val *v, char *times);

static int write_rows(struct import_store *s, size_t n, size_t cols, size_t per_stmt,
	const char *sql_n, const char *sql_1, fill_fn fill)
{
	size_t k = 0;
	int ret = 0;

	while (k < n && !ret) {
		size_t m = n - k >= per_stmt ? per_stmt : 1;
		for (size_t j = 0; j < m; j++)
			fill(s, k + j, s->vals + j * cols, s->times[j]);
		ret = store_exec_vals(s->c, m > 1 ? sql_n : sql_1, s->vals, m * cols);
		if (ret >= 0 && (size_t)ret != m)
			ret = ERR_CONFLICT; /* a row was ignored (MULTI) */
		ret = ret < 0 ? ret : 0;
		k += m;
	}
	return ret;
}

static void fill_report(struct import_store *s, size_t k, struct store_val *v, char *times)
{
	const struct pend_report *p = &s->reps[k];
	char *occurred = times, *reported = times + 32;

	iso_time(p->occurred_at, occurred);
	iso_time(p->reported_at, reported);
	v = val_i(v, p->id);
	v = val_t(v, p->source_ref);
	v = val_i(v, p->agency_id);
	v = val_t(v, p->channel);
	v = val_t(v, occurred[0] ? occurred : NULL);
	v = val_t(v, reported);
	v = val_t(v, p->victim_kind);
	v = val_t(v, p->victim_sector);
	v = val_t(v, p->crime_type);
	v = val_i(v, p->loss_twd);
	v = val_t(v, p->loss_currency);
	v = val_t(v, p->loss_amount);
	v = val_t(v, p->payment_method);
	v = val_t(v, p->narrative);
	v = val_i(v, p->case_id);
	v = val_i(v, p->duplicate_of);
	v = val_i(v, p->created_by);
	val_t(v, p->created_at);
}

/* A new identifier's row, with the batch's counts. */
static void fill_ident(struct import_store *s, size_t k, struct store_val *v, char *times)
{
	const struct entry *e = s->pending[k];
	const struct ident_new *p = e->fresh;
	char *first = times, *last = times + 32, *created = times + 64;
	bool counted = e->dirty && e->dcount > 0;

	iso_time(p->created, created);
	iso_time(counted ? e->dfirst : 0, first);
	iso_time(counted ? e->dlast : 0, last);
	v = val_i(v, e->row);
	v = val_t(v, ident_type_name((enum ident_type)e->type));
	v = val_t(v, e->value);
	v = val_t(v, p->display);
	v = val_t(v, p->detail);
	v = val_i(v, p->sensitive);
	v = val_t(v, counted ? first : NULL);
	v = val_t(v, counted ? last : NULL);
	v = val_i(v, counted ? e->dcount : 0);
	v = val_i(v, counted ? e->dloss : 0);
	v = val_t(v, counted ? "reported" : "none");
	v = val_i(v, counted && e->dcount >= s->threshold);
	val_t(v, created);
}

static void fill_obs(struct import_store *s, size_t k, struct store_val *v, char *times)
{
	const struct pend_obs *o = &s->obs[k];

	(void)times;
	v = val_i(v, o->ident);
	v = val_i(v, o->report);
	v = val_t(v, o->role);
	val_t(v, o->raw);
}

static int cmp_obs(const void *a, const void *b)
{
	const struct pend_obs *x = a, *y = b;
	int c;

	if (x->ident != y->ident)
		return x->ident < y->ident ? -1 : 1;
	if (x->report != y->report)
		return x->report < y->report ? -1 : 1;
	if (x->role_rank != 255 && y->role_rank != 255)
		c = (int)x->role_rank - (int)y->role_rank;
	else
		c = strcmp(x->role, y->role);
	if (c)
		return c;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sort the batch's observations by primary key and drop repeats (the first one stays). */
static void sort_obs(struct import_store *s)
{
	size_t out = 0;

	sort_items(s->obs, s->nobs, sizeof(*s->obs), cmp_obs);
	for (size_t i = 0; i < s->nobs; i++) {
		const struct pend_obs *o = &s->obs[i];
		if (out && o->ident == s->obs[out - 1].ident && o->report == s->obs[out - 1].report &&
			!strcmp(o->role, s->obs[out - 1].role))
			continue;
		s->obs[out++] = *o;
	}
	s->nobs = out;
}

static int cmp_entry_row(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a, *y = *(const struct entry *const *)b;

	return (x->row > y->row) - (x->row < y->row);
}

/* The counts of the identifiers that existed before this batch, in id order. */
static int update_counts(struct import_store *s)
{
	int64_t threshold = s->threshold;
	int ret = 0;

	sort_items(s->dirty, s->ndirty, sizeof(*s->dirty), cmp_entry_row);
	for (size_t i = 0; i < s->ndirty && !ret; i++) {
		struct entry *e = s->dirty[i];
		char first[32], last[32];
		if (e->pending)
			continue; /* a new identifier: inserted with its counts */
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
			"iiTTTT" "iii", e->dcount, e->dloss, first, first, last, last, e->dcount,
			threshold, e->row);
		ret = ret < 0 ? ret : 0;
	}
	return ret;
}

/* The batch's rows: reports, new identifiers (with their counts), observations, counts. */
static int write_batch(struct import_store *s)
{
	int ret = write_rows(s, s->nreps, REPORT_COLS, REPORT_ROWS, sql_report_n, sql_report_1,
		fill_report);

	if (!ret)
		ret = write_rows(s, s->npending, IDENT_COLS, IDENT_ROWS, sql_ident_n, sql_ident_1,
			fill_ident);
	if (!ret) {
		sort_obs(s);
		ret = write_rows(s, s->nobs, OBS_COLS, OBS_ROWS, sql_obs_n, sql_obs_1, fill_obs);
	}
	if (!ret)
		ret = update_counts(s);
	for (size_t i = 0; i < s->npending; i++) {
		s->pending[i]->pending = false;
		s->pending[i]->fresh = NULL;
	}
	for (size_t i = 0; i < s->ndirty; i++)
		s->dirty[i]->dirty = false;
	return ret;
}

int import_store_write_reports(struct import_store *s)
{
	double t0 = cpu_s();
	int ret = write_rows(s, s->nreps, REPORT_COLS, REPORT_ROWS, sql_report_n, sql_report_1,
		fill_report);

	s->t_write += cpu_s() - t0;
	if (ret) {
		import_store_rollback(s);
		return ret;
	}
	s->nreps = 0;
	chunks_reset(&s->txr);
	return 0;
}

int import_store_flush(struct import_store *s)
{
	double t0 = cpu_s();
	int ret = write_batch(s);

	s->t_write += cpu_s() - t0;
	if (ret) {
		import_store_rollback(s);
		return ret;
	}
	tx_release(s);
	return 0;
}

/*
 * The secondary indexes that bulk mode rebuilds instead of updating: those
 * whose keys arrive in no useful order (bench/import.sh, a million reports:
 * 30.4 s with these two rebuilt, 32.3 s with reports_case rebuilt too, whose
 * keys are appended, 41.6 s with only observations_report rebuilt). The
 * unique ones (source_ref, identifiers' (type, value)) stay: constraints.
 */
static const char *const suspended_indexes[] = { "reports_reported", "observations_report" };

int import_store_suspend_indexes(struct import_store *s)
{
	int ret = 0;

	if (!s->in_tx || s->nindex_defs)
		return ERR_INTERNAL;
	for (size_t i = 0; i < sizeof(suspended_indexes) / sizeof(suspended_indexes[0]) &&
		i < sizeof(s->index_defs) / sizeof(s->index_defs[0]) && !ret;
		i++) {
		char *def = NULL;
		ret = store_index_drop(s->c, suspended_indexes[i], &def);
		if (!ret)
			s->index_defs[s->nindex_defs++] = def;
		else if (ret == ERR_NOTFOUND)
			ret = 0;
	}
	return ret;
}

/* The indexes suspended in this transaction, built again. */
static int restore_indexes(struct import_store *s)
{
	double t0 = cpu_s();
	struct timespec w0, w1;
	int ret = 0;

	clock_gettime(CLOCK_MONOTONIC, &w0);
	for (size_t i = 0; i < s->nindex_defs && !ret; i++)
		ret = store_index_create(s->c, s->index_defs[i]);
	s->t_index += cpu_s() - t0;
	clock_gettime(CLOCK_MONOTONIC, &w1);
	if (s->nindex_defs && getenv("ROOTCUT_IMPORT_STATS"))
		fprintf(stderr, "indexes rebuilt in %.2f s\n",
			(double)(w1.tv_sec - w0.tv_sec) + (double)(w1.tv_nsec - w0.tv_nsec) / 1e9);
	return ret;
}

static void forget_indexes(struct import_store *s)
{
	for (size_t i = 0; i < s->nindex_defs; i++)
		free(s->index_defs[i]);
	s->nindex_defs = 0;
}

int import_store_commit(struct import_store *s)
{
	double t0 = cpu_s(), t1;
	int ret = write_batch(s);

	t1 = cpu_s();
	s->t_write += t1 - t0;
	if (!ret)
		ret = restore_indexes(s);
	t1 = cpu_s();
	if (!ret)
		ret = store_commit(s->c);
	forget_indexes(s);
	s->t_commit += cpu_s() - t1;
	if (ret) {
		import_store_rollback(s);
		return ret;
	}
	tx_release(s);
	s->in_tx = false;
	return 0;
}

void import_store_rollback(struct import_store *s)
{
	store_rollback(s->c); /* brings suspended indexes back too */
	forget_indexes(s);
	s->in_tx = false;
	drop_cache(s);
	s->last_report_id = -1;
}
