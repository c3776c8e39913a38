/*
 * intel/import_store.h - the writer of bulk import: stores reports as
 * intel_report_store() does, many per transaction, with the identifiers
 * held in memory for the whole import. Used by import.c only (and the
 * equivalence test).
 */
#pragma once
#include <stdint.h>

struct err_msg;
struct intel_report;
struct import_store;
struct store_conn;

/*
 * A writer on c (which the caller keeps acquired until import_store_free()).
 * Returns a new writer in *out; never fails except for memory.
 */
int import_store_open(struct store_conn *c, struct import_store **out);
/*
 * After the last commit: the connection's normal settings back, and the
 * batches committed made durable (a checkpoint: see store_bulk_end()).
 * Returns 0, or ERR_STORE when the checkpoint could not finish.
 */
int import_store_finish(struct import_store *s);
/* Free s (rolling back a batch left open). Accepts NULL. */
void import_store_free(struct import_store *s);

/*
 * Start a batch: a write transaction. Notices what other writers changed
 * since the last batch (new reports, the warning list, watches) and drops
 * what it cached about them.
 */
int import_store_begin(struct import_store *s);
/*
 * Store r as intel_report_store() would (r already checked with
 * intel_report_check() and its agency known to exist): sets r->id and
 * r->duplicate_of. Returns 0; ERR_CONFLICT with r->id set when r->source_ref
 * is already stored (nothing added); a store error (roll back the batch).
 */
int import_store_add(struct import_store *s, struct intel_report *r, struct err_msg *err);
/*
 * Write the reports of the batch so far (appended in id order: nothing is
 * gained by waiting for the commit, and writing them as they come keeps
 * the commit short while the parser works). On error the batch is rolled
 * back.
 */
int import_store_write_reports(struct import_store *s);
/*
 * Write the rows of the batch so far without committing (a batch of a bulk
 * import is the whole input: writing as it goes keeps pace with the parser
 * and memory bounded). On error the batch is rolled back.
 */
int import_store_flush(struct import_store *s);
/*
 * In the open batch, drop the secondary indexes that rows hit at random
 * (reports_reported, observations_report), to be rebuilt by
 * import_store_commit() before it commits: for one large batch into a
 * (nearly) empty database, one sorted build costs less than the updates.
 */
int import_store_suspend_indexes(struct import_store *s);
/* Write the batch's rows (and rebuild suspended indexes) and commit. */
int import_store_commit(struct import_store *s);
/* Abandon the batch (and the counts cached for it). */
void import_store_rollback(struct import_store *s);
