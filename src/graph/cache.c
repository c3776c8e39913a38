/*
 * graph/cache.c - one graph shared by every request, rebuilt when the store
 * changed. A store_stamp() alone would rebuild it after every query, since
 * queries are audited and the audit log commits; so a changed stamp is
 * followed by the graph's own change signature (the largest ids of flows,
 * reports, identifiers, cases and warning-list entries, the links of
 * reports to cases, and the cases closed), each an index look-up.
 *
 * Invariant: cached is built from a store whose signature is sig; holders
 * keep a reference (g->refs), and the last one frees it.
 */
#include "graph/internal.h"

#include <pthread.h>
#include <string.h>

#include "base/err.h"
#include "store/store.h"

struct signature {
	int64_t v[9];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct graph *cached;
static struct signature cached_sig;
static struct store_stamp cached_stamp;

static int signature(struct store_conn *c, struct signature *out)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT (SELECT COALESCE(MAX(id), 0) FROM flows),"
		" (SELECT COALESCE(MAX(id), 0) FROM reports),"
		" (SELECT COALESCE(MAX(id), 0) FROM identifiers),"
		" (SELECT COALESCE(MAX(id), 0) FROM cases),"
		" (SELECT COUNT(*) FROM warning_list), (SELECT COALESCE(MAX(id), 0) FROM warning_list),"
		" (SELECT COUNT(*) FROM reports WHERE case_id IS NOT NULL),"
		" (SELECT COALESCE(SUM(case_id), 0) FROM reports WHERE case_id IS NOT NULL),"
		" (SELECT COUNT(*) FROM cases WHERE status IN ('indicted', 'closed'))", "");

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		for (int i = 0; i < 9; i++)
			out->v[i] = store_col_int64(st, i);
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_INTERNAL;
	}
	store_finish(st);
	return ret;
}

static void unref(struct graph *g)
{
	if (g && --g->refs == 0)
		graph_free(g);
}

int graph_acquire(struct store_conn *c, struct graph **out)
{
	struct store_stamp stamp;
	struct signature sig;
	struct graph *g = NULL;
	int ret = store_stamp(c, &stamp);

	pthread_mutex_lock(&lock);
	if (!ret && cached && store_stamp_equal(&stamp, &cached_stamp)) {
		cached->refs++;
		*out = cached;
		pthread_mutex_unlock(&lock);
		return 0;
	}
	pthread_mutex_unlock(&lock);
	ret = signature(c, &sig);
	if (ret)
		return ret;
	pthread_mutex_lock(&lock);
	if (cached && !memcmp(&sig, &cached_sig, sizeof(sig))) {
		cached_stamp = stamp;
		cached->refs++;
		*out = cached;
		pthread_mutex_unlock(&lock);
		return 0;
	}
	pthread_mutex_unlock(&lock);
	ret = graph_load(c, &g);
	if (ret)
		return ret;
	pthread_mutex_lock(&lock);
	unref(cached);
	cached = g;
	cached_sig = sig;
	cached_stamp = stamp;
	g->refs = 2; /* the cache's and the caller's */
	*out = g;
	pthread_mutex_unlock(&lock);
	return 0;
}

void graph_release(struct graph *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&lock);
	unref(g);
	pthread_mutex_unlock(&lock);
}

void graph_cache_clear(void)
{
	pthread_mutex_lock(&lock);
	unref(cached);
	cached = NULL;
	pthread_mutex_unlock(&lock);
}
