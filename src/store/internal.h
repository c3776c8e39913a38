/*
 * store/internal.h - shared by the files of src/store/ only.
 */
#pragma once
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_STMT_CACHE 96

struct store_stmt {
	sqlite3_stmt *stmt;
	const char *sql;        /* the caller's string: the cache key */
	struct store_conn *conn;
	bool busy;              /* handed out and not yet finished */
};

struct store_conn {
	sqlite3 *db;
	struct store *owner;
	uint64_t id;            /* unique in the process, for store_stamp() */
	bool in_tx;
	bool snapshot;          /* in_tx is a read snapshot that gives way to writes */
	bool holds_write_lock;
	struct store_stmt cache[STORE_STMT_CACHE];
	unsigned next_evict;
};

struct store {
	char *path;
	struct store_options opt;
	struct store_conn *conns;
	bool *in_use;
	pthread_mutex_t lock;       /* guards in_use */
	pthread_cond_t freed;
	pthread_mutex_t write_lock; /* one writer at a time in this process */
	_Atomic uint64_t acquires, acquire_waits, commits, errors;
};

/* Translate a SQLite result code to ERR_*, logging unexpected failures. */
int store_sqlite_err(struct store_conn *c, int rc, const char *what);
/* Run sql text with no parameters (used for PRAGMAs and migrations). */
int store_exec_script(struct store_conn *c, const char *sql, struct err_msg *err);
