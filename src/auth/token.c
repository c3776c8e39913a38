/*
 * auth/token.c - API tokens for machines (banks, ISPs, monitoring): created
 * with scopes, shown once, stored as SHA-256, revocable, optionally expiring.
 *
 * A token acts as its user, narrowed to its scopes: the policy table checks
 * both the user's roles and the token's scopes. last_used_at is refreshed at
 * most every five minutes, so a busy client does not write on every request.
 *
 * Lookups are cached, and a cached answer is only used while the database is
 * exactly as it was when the answer was read: the entry carries the store's
 * stamp (store_stamp), which changes with any commit, by another connection,
 * by another process (`rootcut token revoke`) or through this connection. A
 * revoked token, a disabled user or agency, changed roles or scopes therefore
 * count from the next request on, as without the cache. The expiry is still
 * compared with the clock on every request.
 */
#include "auth/internal.h"

#include <pthread.h>
#include <string.h>

#include "audit/audit.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

#define TOKEN_PREFIX "rct_"
#define TOKEN_COLUMNS \
	"t.id, t.user_id, u.username, u.agency_id, t.name, t.prefix, t.scopes, t.created_at," \
	" COALESCE(t.expires_at, ''), COALESCE(t.last_used_at, ''), COALESCE(t.revoked_at, '')"

static void from_row(struct store_stmt *st, struct auth_token *t)
{
	memset(t, 0, sizeof(*t));
	t->id = store_col_int64(st, 0);
	t->user_id = store_col_int64(st, 1);
	str_copy(t->username, sizeof(t->username), store_col_text(st, 2));
	t->agency_id = store_col_int64(st, 3);
	str_copy(t->name, sizeof(t->name), store_col_text(st, 4));
	str_copy(t->prefix, sizeof(t->prefix), store_col_text(st, 5));
	t->scopes = (uint32_t)store_col_int64(st, 6);
	str_copy(t->created_at, sizeof(t->created_at), store_col_text(st, 7));
	str_copy(t->expires_at, sizeof(t->expires_at), store_col_text(st, 8));
	str_copy(t->last_used_at, sizeof(t->last_used_at), store_col_text(st, 9));
	str_copy(t->revoked_at, sizeof(t->revoked_at), store_col_text(st, 10));
}

int auth_token_create(struct store_conn *c, int64_t user_id, const char *name, uint32_t scopes,
	int64_t ttl_days, struct auth_token *out, char secret[AUTH_TOKEN_SECRET_SIZE],
	const struct audit_event *ev, struct err_msg *err)
{
	char random[48], hash[CRYPTO_SHA256_HEX_LEN], prefix[16], now[32], expires[32];
	struct store_stmt *st = NULL;
	struct auth_user u;
	int64_t id = 0;
	int ret;

	if (str_empty(name) || strlen(name) > 100)
		return err_set(err, ERR_INVAL, "name", "must be 1 to 100 characters");
	if (!scopes || (scopes & ~SCOPE_ALL))
		return err_set(err, ERR_INVAL, "scopes", "at least one known scope is required");
	if (ttl_days < 0 || ttl_days > 3650)
		return err_set(err, ERR_INVAL, "expires_in_days", "must be from 0 to 3650");
	if (auth_user_get(c, user_id, &u))
		return err_set(err, ERR_INVAL, "user", "no user with id %lld", (long long)user_id);
	if (u.disabled)
		return err_set(err, ERR_CONFLICT, "user", "user '%s' is disabled", u.username);
	if (crypto_random_token(32, random))
		return err_set(err, ERR_INTERNAL, "token", "no random bytes");
	snprintf(secret, AUTH_TOKEN_SECRET_SIZE, TOKEN_PREFIX "%s", random);
	crypto_sha256_hex(secret, strlen(secret), hash);
	snprintf(prefix, sizeof(prefix), "%.10s", secret);
	auth_time(0, now);
	auth_time(ttl_days * 86400, expires);
	ret = store_begin(c);
	if (!ret)
		ret = store_query(c, &st,
			"INSERT INTO api_tokens (user_id, name, token_hash, prefix, scopes, created_at,"
			" expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			"itttitt", user_id, name, hash, prefix, (int64_t)scopes, now,
			ttl_days ? expires : NULL);
	if (!ret) {
		ret = store_step(st);
		if (ret == STORE_ROW) {
			id = store_col_int64(st, 0);
			ret = 0;
		}
		store_finish(st);
	}
	if (!ret && ev) {
		struct audit_event e = *ev;
		char idtext[24];
		snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
		e.object_id = idtext;
		e.detail = name;
		ret = audit_append(c, &e);
	}
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	if (!ret)
		ret = auth_token_get(c, id, out);
	explicit_bzero(random, sizeof(random));
	return ret;
}

static void token_item(struct store_stmt *st, void *item)
{
	from_row(st, item);
}

int auth_token_list(struct store_conn *c, int64_t user_id, struct auth_token **out, size_t *n)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT " TOKEN_COLUMNS " FROM api_tokens t JOIN users u ON u.id = t.user_id"
		" WHERE ? = 0 OR t.user_id = ? ORDER BY t.id DESC",
		"ii", user_id, user_id);

	return ret ? ret : store_collect(st, sizeof(**out), token_item, (void **)out, n);
}

int auth_token_get(struct store_conn *c, int64_t id, struct auth_token *out)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT " TOKEN_COLUMNS " FROM api_tokens t JOIN users u ON u.id = t.user_id"
		" WHERE t.id = ?",
		"i", id);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		from_row(st, out);
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_NOTFOUND;
	}
	store_finish(st);
	return ret;
}

int auth_token_revoke(struct store_conn *c, int64_t id, const struct audit_event *ev)
{
	char now[32];
	int ret;

	auth_time(0, now);
	ret = store_begin(c);
	if (!ret)
		ret = store_exec(c,
			"UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", "ti",
			now, id);
	if (ret == 0)
		ret = ERR_NOTFOUND;
	if (ret > 0)
		ret = ev ? audit_append(c, ev) : 0;
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}

/* ---- the lookup cache (top of this file) ---- */

#define TOKEN_CACHE_SIZE 32 /* a few busy tokens × the connections of the pool */

struct token_cache_entry {
	struct store_stamp stamp;           /* the database when the entry was read */
	char hash[CRYPTO_SHA256_HEX_LEN];   /* "" = a free slot */
	struct auth_principal p;
	char expires_at[32];                /* "" = never */
	char last_used[32];
};

static struct token_cache_entry token_cache[TOKEN_CACHE_SIZE];
static unsigned token_cache_next;
static pthread_mutex_t token_cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* Copy out the entry of hash read at stamp; false when there is none. */
static bool cache_get(const struct store_stamp *stamp, const char *hash,
	struct token_cache_entry *out)
{
	bool found = false;

	pthread_mutex_lock(&token_cache_lock);
	for (size_t i = 0; i < TOKEN_CACHE_SIZE && !found; i++) {
		const struct token_cache_entry *e = &token_cache[i];
		if (store_stamp_equal(&e->stamp, stamp) && strcmp(e->hash, hash) == 0) {
			*out = *e;
			found = true;
		}
	}
	pthread_mutex_unlock(&token_cache_lock);
	return found;
}

static void cache_put(const struct token_cache_entry *in)
{
	size_t slot = TOKEN_CACHE_SIZE;

	pthread_mutex_lock(&token_cache_lock);
	/* The same token on the same connection replaces its older entry. */
	for (size_t i = 0; i < TOKEN_CACHE_SIZE && slot == TOKEN_CACHE_SIZE; i++) {
		const struct token_cache_entry *e = &token_cache[i];
		if (e->stamp.conn == in->stamp.conn && strcmp(e->hash, in->hash) == 0)
			slot = i;
	}
	if (slot == TOKEN_CACHE_SIZE)
		slot = token_cache_next++ % TOKEN_CACHE_SIZE;
	token_cache[slot] = *in;
	pthread_mutex_unlock(&token_cache_lock);
}

/* Read the token of hash from the database into e (principal, expiry, last use). */
static int lookup_stored(struct store_conn *c, const char *hash, const char *now,
	struct token_cache_entry *e, struct err_msg *err)
{
	struct auth_principal *p = &e->p;
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT u.id, u.username, u.agency_id, u.roles, a.kind, t.id, t.scopes,"
		" COALESCE(t.last_used_at, ''), COALESCE(t.expires_at, '')"
		" FROM api_tokens t JOIN users u ON u.id = t.user_id"
		" JOIN agencies a ON a.id = u.agency_id"
		" WHERE t.token_hash = ? AND t.revoked_at IS NULL"
		" AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.disabled = 0 AND a.disabled = 0",
		"tt", hash, now);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		memset(p, 0, sizeof(*p));
		p->user_id = store_col_int64(st, 0);
		str_copy(p->username, sizeof(p->username), store_col_text(st, 1));
		p->agency_id = store_col_int64(st, 2);
		p->roles = (uint32_t)store_col_int64(st, 3);
		if (agency_kind_parse(store_col_text(st, 4), &p->agency_kind))
			p->agency_kind = AGENCY_GOVERNMENT;
		p->token_id = store_col_int64(st, 5);
		p->scopes = (uint32_t)store_col_int64(st, 6);
		p->via = AUTH_TOKEN;
		str_copy(e->last_used, sizeof(e->last_used), store_col_text(st, 7));
		str_copy(e->expires_at, sizeof(e->expires_at), store_col_text(st, 8));
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = err_set(err, ERR_AUTH, "authorization",
			"unknown, revoked or expired API token");
	}
	store_finish(st);
	return ret;
}

int auth_token_lookup(struct store_conn *c, const char *secret, struct auth_principal *p,
	struct err_msg *err)
{
	struct token_cache_entry e;
	char now[32], stale[32];
	bool cached;
	int ret;

	if (!str_has_prefix(secret, TOKEN_PREFIX))
		return err_set(err, ERR_AUTH, "authorization", "not a rootcut API token");
	memset(&e, 0, sizeof(e));
	crypto_sha256_hex(secret, strlen(secret), e.hash);
	auth_time(0, now);
	/* The stamp first: rows read after it are at least as new as it says. */
	cached = store_stamp(c, &e.stamp) == 0;
	if (cached && cache_get(&e.stamp, e.hash, &e) &&
		(!e.expires_at[0] || strcmp(e.expires_at, now) > 0)) {
		*p = e.p;
	} else {
		ret = lookup_stored(c, e.hash, now, &e, err);
		if (ret)
			return ret;
		*p = e.p;
		if (cached)
			cache_put(&e);
	}
	auth_time(-300, stale);
	if (strcmp(e.last_used, stale) < 0) /* a write: the next stamp differs */
		store_exec(c, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", "ti", now,
			p->token_id);
	return 0;
}
