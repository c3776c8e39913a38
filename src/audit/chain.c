/*
 * audit/chain.c - append to and verify the hash-chained audit log.
 *
 * Invariants of the chain (checked by audit_verify):
 *  1. Events carry seq = 1, 2, 3 … with no gaps, in row-id order.
 *  2. Event n stores prev_hash = hash of event n-1 (64 zeros for event 1).
 *  3. hash = HMAC-SHA256(key, canonical(event)), where canonical() encodes every
 *     field (seq and prev_hash included) length-prefixed, so no two different
 *     events encode alike.
 *  4. audit_head holds the last seq and hash with mac = HMAC(key, "head" …), so
 *     cutting events off the end is detected too.
 *  5. Every successful verification leaves a checkpoint outside the database,
 *     <data>/audit.checkpoint = (seq, hash, MAC): the log must still hold that
 *     event with that hash at the next verification.
 * Editing a field breaks 3; deleting or inserting breaks 1 or 2; swapping
 * rows breaks 1 and 3; truncating breaks 4; wiping or rolling the whole log
 * back to an older state breaks 5. Forging a consistent chain needs the key,
 * which lives in <data>/audit.key, outside the database.
 */
#include "audit/audit.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "store/store.h"

static uint8_t chain_key[32];
static char checkpoint_path[1024]; /* "" when no data directory is known (unit tests) */
static const char zero_hash[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

void audit_set_key(const uint8_t key[32])
{
	memcpy(chain_key, key, sizeof(chain_key));
}

void audit_set_checkpoint_dir(const char *data_dir)
{
	if (data_dir)
		snprintf(checkpoint_path, sizeof(checkpoint_path), "%s/audit.checkpoint", data_dir);
	else
		checkpoint_path[0] = '\0';
}

static void checkpoint_mac(int64_t seq, const char *hash, char out[CRYPTO_SHA256_HEX_LEN])
{
	char text[128];
	uint8_t mac[CRYPTO_SHA256_LEN];
	int n = snprintf(text, sizeof(text), "checkpoint\n%lld\n%s", (long long)seq, hash);

	crypto_hmac_sha256(chain_key, sizeof(chain_key), text, (size_t)n, mac);
	crypto_hex(mac, sizeof(mac), out);
}

/* The last checkpoint: 0 and *seq = 0 when none; ERR_CONFLICT when forged. */
static int load_checkpoint(int64_t *seq, char hash[CRYPTO_SHA256_HEX_LEN])
{
	char mac[CRYPTO_SHA256_HEX_LEN], want[CRYPTO_SHA256_HEX_LEN];
	long long s = 0;
	FILE *f = checkpoint_path[0] ? fopen(checkpoint_path, "r") : NULL;
	int n;

	*seq = 0;
	/* Only a checkpoint that does not exist may be skipped: one we cannot read is an error. */
	if (!f)
		return !checkpoint_path[0] || errno == ENOENT ? 0 : ERR_IO;
	n = fscanf(f, "%lld %64s %64s", &s, hash, mac);
	fclose(f);
	if (n != 3 || s < 1)
		return ERR_CONFLICT;
	checkpoint_mac(s, hash, want);
	if (!str_equal_ct(want, mac))
		return ERR_CONFLICT;
	*seq = s;
	return 0;
}

static void save_checkpoint(int64_t seq, const char *hash)
{
	char tmp[1100], mac[CRYPTO_SHA256_HEX_LEN];
	FILE *f;

	if (!checkpoint_path[0] || seq < 1)
		return;
	checkpoint_mac(seq, hash, mac);
	snprintf(tmp, sizeof(tmp), "%s.tmp", checkpoint_path);
	f = fopen(tmp, "w");
	if (!f)
		goto fail;
	fprintf(f, "%lld %s %s\n", (long long)seq, hash, mac);
	if (fflush(f) || fsync(fileno(f)) || fclose(f) || rename(tmp, checkpoint_path))
		goto fail;
	return;
fail:
	log_warn("audit: cannot write the checkpoint '%s': %s", checkpoint_path, strerror(errno));
}

static void add_field(struct buf *b, const char *s)
{
	s = s ? s : "";
	buf_addf(b, "%zu:%s\n", strlen(s), s);
}

/* The fields of one stored event, as text, in chain order. */
struct stored_event {
	int64_t seq;
	const char *at, *actor_user_id, *actor, *agency_id, *action, *object_type, *object_id,
		*source, *outcome, *detail, *prev_hash;
};

static void event_hash(const struct stored_event *e, char out[CRYPTO_SHA256_HEX_LEN])
{
	struct buf b = BUF_INIT;
	uint8_t mac[CRYPTO_SHA256_LEN];

	buf_addf(&b, "rootcut-audit-v1\n%lld\n", (long long)e->seq);
	add_field(&b, e->at);
	add_field(&b, e->actor_user_id);
	add_field(&b, e->actor);
	add_field(&b, e->agency_id);
	add_field(&b, e->action);
	add_field(&b, e->object_type);
	add_field(&b, e->object_id);
	add_field(&b, e->source);
	add_field(&b, e->outcome);
	add_field(&b, e->detail);
	add_field(&b, e->prev_hash);
	crypto_hmac_sha256(chain_key, sizeof(chain_key), b.s, b.len, mac);
	crypto_hex(mac, sizeof(mac), out);
	buf_release(&b);
}

static void head_mac(int64_t seq, const char *hash, char out[CRYPTO_SHA256_HEX_LEN])
{
	char text[128];
	uint8_t mac[CRYPTO_SHA256_LEN];
	int n = snprintf(text, sizeof(text), "head\n%lld\n%s", (long long)seq, hash);

	crypto_hmac_sha256(chain_key, sizeof(chain_key), text, (size_t)n, mac);
	crypto_hex(mac, sizeof(mac), out);
}

static int read_head(struct store_conn *c, int64_t *seq, char hash[CRYPTO_SHA256_HEX_LEN],
	char mac[CRYPTO_SHA256_HEX_LEN])
{
	struct store_stmt *st;
	int ret = store_query(c, &st, "SELECT seq, hash, mac FROM audit_head WHERE id = 1", "");

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		*seq = store_col_int64(st, 0);
		snprintf(hash, CRYPTO_SHA256_HEX_LEN, "%s", store_col_text(st, 1));
		snprintf(mac, CRYPTO_SHA256_HEX_LEN, "%s", store_col_text(st, 2));
		ret = 0;
	} else if (ret == STORE_DONE) {
		*seq = 0;
		snprintf(hash, CRYPTO_SHA256_HEX_LEN, "%s", zero_hash);
		mac[0] = '\0';
		ret = 0;
	}
	store_finish(st);
	return ret;
}

int audit_append(struct store_conn *c, const struct audit_event *ev)
{
	char prev[CRYPTO_SHA256_HEX_LEN], mac[CRYPTO_SHA256_HEX_LEN], hash[CRYPTO_SHA256_HEX_LEN];
	char at[32], uid[24], agency[24];
	int64_t actor_id = ev->actor_user_id, agency_id = ev->agency_id;
	struct stored_event e;
	int64_t seq;
	int ret = read_head(c, &seq, prev, mac);

	if (ret)
		return ret;
	clock_format_iso(clock_now_ms(), at, sizeof(at));
	snprintf(uid, sizeof(uid), "%lld", (long long)ev->actor_user_id);
	snprintf(agency, sizeof(agency), "%lld", (long long)ev->agency_id);
	e = (struct stored_event){ seq + 1, at, uid, ev->actor ? ev->actor : "-", agency,
		ev->action, ev->object_type ? ev->object_type : "",
		ev->object_id ? ev->object_id : "", ev->source ? ev->source : "-",
		ev->outcome ? ev->outcome : AUDIT_OK, ev->detail ? ev->detail : "", prev };
	event_hash(&e, hash);
	ret = store_exec(c,
		"INSERT INTO audit_events (seq, at, actor_user_id, actor, agency_id, action,"
		" object_type, object_id, source, outcome, detail, prev_hash, hash)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"itititttttttt", e.seq, e.at, actor_id, e.actor, agency_id, e.action,
		e.object_type, e.object_id, e.source, e.outcome, e.detail, e.prev_hash, hash);
	if (ret < 0)
		return ret;
	head_mac(e.seq, hash, mac);
	ret = store_exec(c,
		"INSERT INTO audit_head (id, seq, hash, mac) VALUES (1, ?, ?, ?)"
		" ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,"
		" mac = excluded.mac",
		"itt", e.seq, hash, mac);
	return ret < 0 ? ret : 0;
}

int audit_append_now(struct store_conn *c, const struct audit_event *ev)
{
	int ret = store_begin(c);

	if (!ret)
		ret = audit_append(c, ev);
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	if (ret)
		log_error("audit: cannot record %s: %s", ev->action, err_str(ret));
	return ret;
}

static int check_event(struct store_stmt *st, int64_t expected_seq, const char *prev_hash,
	struct audit_verify_result *res, char hash_out[CRYPTO_SHA256_HEX_LEN])
{
	struct stored_event e;
	char computed[CRYPTO_SHA256_HEX_LEN];
	const char *stored_hash;

	e.seq = store_col_int64(st, 1);
	e.at = store_col_text(st, 2);
	e.actor_user_id = store_col_text(st, 3);
	e.actor = store_col_text(st, 4);
	e.agency_id = store_col_text(st, 5);
	e.action = store_col_text(st, 6);
	e.object_type = store_col_text(st, 7);
	e.object_id = store_col_text(st, 8);
	e.source = store_col_text(st, 9);
	e.outcome = store_col_text(st, 10);
	e.detail = store_col_text(st, 11);
	e.prev_hash = store_col_text(st, 12);
	stored_hash = store_col_text(st, 13);
	res->bad_id = store_col_int64(st, 0);
	res->bad_seq = e.seq;
	if (e.seq != expected_seq) {
		snprintf(res->reason, sizeof(res->reason),
			"sequence number %lld where %lld was expected: an event was deleted, "
			"inserted or moved",
			(long long)e.seq, (long long)expected_seq);
		res->bad_seq = expected_seq;
		return ERR_CONFLICT;
	}
	if (strcmp(e.prev_hash, prev_hash) != 0) {
		snprintf(res->reason, sizeof(res->reason),
			"does not continue the chain: the event before it was deleted, inserted "
			"or changed");
		return ERR_CONFLICT;
	}
	event_hash(&e, computed);
	if (!str_equal_ct(computed, stored_hash)) {
		snprintf(res->reason, sizeof(res->reason),
			"its contents do not match its hash: the event was edited");
		return ERR_CONFLICT;
	}
	snprintf(hash_out, CRYPTO_SHA256_HEX_LEN, "%s", stored_hash);
	return 0;
}

static int check_head(struct store_conn *c, int64_t last_seq, const char *last_hash,
	struct audit_verify_result *res)
{
	char hash[CRYPTO_SHA256_HEX_LEN], mac[CRYPTO_SHA256_HEX_LEN], want[CRYPTO_SHA256_HEX_LEN];
	int64_t seq;
	int ret = read_head(c, &seq, hash, mac);

	if (ret)
		return ret;
	if (seq == 0 && last_seq == 0)
		return 0;
	head_mac(seq, hash, want);
	res->bad_id = 0;
	res->bad_seq = last_seq + 1;
	if (!str_equal_ct(want, mac)) {
		snprintf(res->reason, sizeof(res->reason),
			"the chain head record was altered (or the audit key is not the one that "
			"wrote the log)");
		return ERR_CONFLICT;
	}
	if (seq != last_seq || strcmp(hash, last_hash) != 0) {
		snprintf(res->reason, sizeof(res->reason),
			"the log ends at event %lld but the chain head records event %lld: events "
			"were deleted from the end",
			(long long)last_seq, (long long)seq);
		return ERR_CONFLICT;
	}
	return 0;
}

/* Does the log still hold the checkpointed event with its hash? */
static int check_checkpoint(int64_t cp_seq, const char *cp_hash, const char *hash_at_cp,
	int64_t events, struct audit_verify_result *res)
{
	if (!cp_seq)
		return 0;
	res->bad_id = 0;
	if (events < cp_seq) {
		res->bad_seq = events + 1;
		snprintf(res->reason, sizeof(res->reason),
			"the log ends at event %lld but an earlier verification saw event %lld: events "
			"were deleted or the whole log was replaced",
			(long long)events, (long long)cp_seq);
		return ERR_CONFLICT;
	}
	if (strcmp(hash_at_cp, cp_hash)) {
		res->bad_seq = cp_seq;
		snprintf(res->reason, sizeof(res->reason),
			"event %lld is not the one an earlier verification saw: the log was rewritten",
			(long long)cp_seq);
		return ERR_CONFLICT;
	}
	return 0;
}

int audit_verify(struct store_conn *c, struct audit_verify_result *res,
	void (*progress)(int64_t done, int64_t total))
{
	char prev[CRYPTO_SHA256_HEX_LEN], cp_hash[CRYPTO_SHA256_HEX_LEN] = "";
	char hash_at_cp[CRYPTO_SHA256_HEX_LEN] = "";
	struct store_stmt *st = NULL;
	int64_t total = 0, cp_seq = 0;
	int ret;

	memset(res, 0, sizeof(*res));
	snprintf(prev, sizeof(prev), "%s", zero_hash);
	ret = load_checkpoint(&cp_seq, cp_hash);
	if (ret) {
		snprintf(res->reason, sizeof(res->reason), ret == ERR_IO
				? "cannot read the checkpoint '%s': %s (run verify as the service's user)"
				: "the checkpoint file '%s' was altered%s",
			checkpoint_path, ret == ERR_IO ? strerror(errno) : "");
		return ERR_CONFLICT;
	}
	ret = store_begin_read(c);
	if (!ret)
		ret = store_query_int64(c, &total, "SELECT COUNT(*) FROM audit_events", "");
	if (!ret)
		ret = store_query(c, &st,
			"SELECT id, seq, at, actor_user_id, actor, agency_id, action, object_type,"
			" object_id, source, outcome, detail, prev_hash, hash"
			" FROM audit_events ORDER BY id",
			"");
	while (!ret && (ret = store_step(st)) == STORE_ROW) {
		ret = check_event(st, res->events + 1, prev, res, prev);
		if (ret)
			break;
		res->events++;
		if (res->events == cp_seq)
			snprintf(hash_at_cp, sizeof(hash_at_cp), "%s", prev);
		if (progress && res->events % 10000 == 0)
			progress(res->events, total);
	}
	store_finish(st);
	if (ret == STORE_DONE)
		ret = check_head(c, res->events, prev, res);
	if (!ret)
		ret = check_checkpoint(cp_seq, cp_hash, hash_at_cp, res->events, res);
	if (!ret) {
		res->bad_seq = 0;
		res->bad_id = 0;
		save_checkpoint(res->events, prev);
	}
	if (progress)
		progress(res->events, total);
	store_rollback(c);
	return ret;
}

int audit_head_matches_key(struct store_conn *c)
{
	char hash[CRYPTO_SHA256_HEX_LEN], mac[CRYPTO_SHA256_HEX_LEN], want[CRYPTO_SHA256_HEX_LEN];
	int64_t seq;
	int ret = read_head(c, &seq, hash, mac);

	if (ret || !seq)
		return ret;
	head_mac(seq, hash, want);
	return str_equal_ct(want, mac) ? 0 : ERR_CONFLICT;
}
