/*
 * auth/totp.c - the optional second factor: RFC 6238 time-based one-time
 * passwords (liboath), with enrolment, confirmation and replay protection.
 */
#include "auth/internal.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <string.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"

#define TOTP_STEP 30
#define TOTP_DIGITS 6
#define TOTP_WINDOW 1 /* accept the previous and next step: clocks drift */

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;

static void oath_setup(void)
{
	oath_init();
}

bool auth_totp_valid(const char *secret, const char *code, int64_t *last_step)
{
	char *raw = NULL;
	size_t rawlen = 0;
	int64_t now_step = clock_now() / TOTP_STEP;
	int64_t matched = -1;

	pthread_once(&oath_once, oath_setup);
	if (!code || strlen(code) != TOTP_DIGITS || strspn(code, "0123456789") != TOTP_DIGITS)
		return false;
	if (oath_base32_decode(secret, strlen(secret), &raw, &rawlen) != OATH_OK)
		return false;
	for (int64_t d = -TOTP_WINDOW; d <= TOTP_WINDOW; d++) {
		char expect[TOTP_DIGITS + 1];
		if (oath_totp_generate(raw, rawlen, (time_t)((now_step + d) * TOTP_STEP), TOTP_STEP,
			    0, TOTP_DIGITS, expect) == OATH_OK &&
			str_equal_ct(expect, code))
			matched = now_step + d;
	}
	explicit_bzero(raw, rawlen);
	free(raw);
	/* A code is good once: a replay within its window is refused. */
	if (matched < 0 || matched <= *last_step)
		return false;
	*last_step = matched;
	return true;
}

int auth_totp_begin(struct store_conn *c, int64_t user_id, char *secret, size_t secret_size,
	char *uri, size_t uri_size, struct err_msg *err)
{
	struct auth_user u;
	uint8_t raw[20];
	char *b32 = NULL;
	size_t b32len = 0;
	int ret = auth_user_get(c, user_id, &u);

	if (ret)
		return err_set(err, ret, "user", "no such user");
	pthread_once(&oath_once, oath_setup);
	if (crypto_random(raw, sizeof(raw)) ||
		oath_base32_encode((const char *)raw, sizeof(raw), &b32, &b32len) != OATH_OK)
		return err_set(err, ERR_INTERNAL, "totp", "cannot make a secret");
	/* Strip the '=' padding: authenticator apps expect none. */
	while (b32len && b32[b32len - 1] == '=')
		b32[--b32len] = '\0';
	str_copy(secret, secret_size, b32);
	snprintf(uri, uri_size,
		"otpauth://totp/rootcut:%s?secret=%s&issuer=rootcut&algorithm=SHA1&digits=6&period=30",
		u.username, b32);
	ret = store_exec(c, "UPDATE users SET totp_pending = ? WHERE id = ?", "ti", b32, user_id);
	explicit_bzero(raw, sizeof(raw));
	explicit_bzero(b32, b32len);
	free(b32);
	return ret < 0 ? ret : 0;
}

static int load_totp(struct store_conn *c, int64_t user_id, char **pending, int64_t *last_step)
{
	struct store_stmt *st;
	int ret = store_query(c, &st,
		"SELECT COALESCE(totp_pending, ''), totp_last_step FROM users WHERE id = ?", "i",
		user_id);

	if (ret)
		return ret;
	ret = store_step(st);
	if (ret == STORE_ROW) {
		*pending = xstrdup(store_col_text(st, 0));
		*last_step = store_col_int64(st, 1);
		ret = 0;
	} else if (ret == STORE_DONE) {
		ret = ERR_NOTFOUND;
	}
	store_finish(st);
	return ret;
}

int auth_totp_confirm(struct store_conn *c, int64_t user_id, const char *code,
	const struct audit_event *ev, struct err_msg *err)
{
	char *pending = NULL;
	int64_t last_step = 0;
	int ret = store_begin(c);

	if (!ret)
		ret = load_totp(c, user_id, &pending, &last_step);
	if (ret)
		goto out;
	if (!*pending) {
		ret = err_set(err, ERR_CONFLICT, "totp", "start enrolment first");
		goto out;
	}
	/* A new secret has its own counter: the old secret's last step must not block it. */
	last_step = 0;
	if (!auth_totp_valid(pending, code, &last_step)) {
		ret = err_set(err, ERR_INVAL, "code", "the code does not match; check the device clock");
		goto out;
	}
	ret = store_exec(c,
		"UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_enabled = 1,"
		" totp_last_step = ? WHERE id = ?",
		"ii", last_step, user_id);
	if (ret >= 0 && ev)
		ret = audit_append(c, ev);
	if (ret >= 0)
		ret = store_commit(c);
out:
	store_rollback(c);
	if (pending)
		explicit_bzero(pending, strlen(pending));
	free(pending);
	return ret < 0 ? ret : 0;
}

int auth_totp_disable(struct store_conn *c, int64_t user_id, const struct audit_event *ev)
{
	int ret = store_begin(c);

	if (!ret)
		ret = store_exec(c,
			"UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_enabled = 0"
			" WHERE id = ?",
			"i", user_id);
	if (ret == 0)
		ret = ERR_NOTFOUND;
	if (ret > 0)
		ret = ev ? audit_append(c, ev) : 0;
	if (!ret)
		ret = store_commit(c);
	store_rollback(c);
	return ret;
}
