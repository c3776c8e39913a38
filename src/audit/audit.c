/*
 * audit/audit.c - the audit tables, the chain key file, and filling events
 * from a request or the console.
 */
#include "audit/audit.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/auth.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/str.h"
#include "http/http.h"
#include "store/store.h"

static const struct store_migration migrations[] = {
	{ 1, "audit events and chain head",
		"CREATE TABLE audit_events ("
		" id @ID@,"
		" seq INTEGER NOT NULL UNIQUE,"
		" at TEXT NOT NULL,"
		" actor_user_id INTEGER NOT NULL,"
		" actor TEXT NOT NULL,"
		" agency_id INTEGER NOT NULL,"
		" action TEXT NOT NULL,"
		" object_type TEXT NOT NULL,"
		" object_id TEXT NOT NULL,"
		" source TEXT NOT NULL,"
		" outcome TEXT NOT NULL,"
		" detail TEXT NOT NULL,"
		" prev_hash TEXT NOT NULL,"
		" hash TEXT NOT NULL);"
		"CREATE INDEX audit_events_at ON audit_events (at);"
		"CREATE INDEX audit_events_actor ON audit_events (actor_user_id, at);"
		"CREATE INDEX audit_events_object ON audit_events (object_type, object_id);"
		"CREATE TABLE audit_head ("
		" id INTEGER PRIMARY KEY CHECK (id = 1),"
		" seq INTEGER NOT NULL,"
		" hash TEXT NOT NULL,"
		" mac TEXT NOT NULL)" },
};

const struct store_module_schema *audit_schema(void)
{
	static const struct store_module_schema schema = { "audit", migrations,
		sizeof(migrations) / sizeof(migrations[0]) };
	return &schema;
}

static int write_new_key(const char *path, uint8_t key[32], struct err_msg *err)
{
	char hex[65];
	int fd;
	ssize_t n;

	if (crypto_random(key, 32))
		return err_set(err, ERR_INTERNAL, "audit.key", "no random bytes for a new key");
	crypto_hex(key, 32, hex);
	hex[64] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(err, ERR_IO, "audit.key", "cannot create '%s': %s", path,
			strerror(errno));
	n = write(fd, hex, sizeof(hex));
	if (n != (ssize_t)sizeof(hex) || fsync(fd)) {
		close(fd);
		return err_set(err, ERR_IO, "audit.key", "cannot write '%s': %s", path,
			strerror(errno));
	}
	close(fd);
	return 0;
}

static int read_key(const char *path, uint8_t key[32], struct err_msg *err)
{
	char hex[80];
	FILE *f = fopen(path, "r");
	int ret = 0;

	if (!f)
		return err_set(err, ERR_IO, "audit.key", "cannot read '%s': %s", path, strerror(errno));
	if (fgets(hex, sizeof(hex), f))
		hex[strcspn(hex, "\r\n")] = '\0';
	else
		hex[0] = '\0';
	if (crypto_unhex(hex, key, 32))
		ret = err_set(err, ERR_INVAL, "audit.key", "'%s' must hold 64 hexadecimal digits",
			path);
	fclose(f);
	return ret;
}

/* HMAC(key, fixed text): tells whether a key is the one a database was written with. */
static void key_check(const uint8_t key[32], char out[CRYPTO_SHA256_HEX_LEN])
{
	static const char text[] = "rootcut-audit-key-check";
	uint8_t mac[CRYPTO_SHA256_LEN];

	crypto_hmac_sha256(key, 32, text, sizeof(text) - 1, mac);
	crypto_hex(mac, sizeof(mac), out);
}

int audit_open(struct store_conn *c, const char *data_dir, bool create, struct err_msg *err)
{
	char path[1024], check[CRYPTO_SHA256_HEX_LEN], stored[CRYPTO_SHA256_HEX_LEN] = "";
	uint8_t key[32];
	int64_t events = 0;
	int ret = store_query_int64(c, &events, "SELECT COUNT(*) FROM audit_events", "");

	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/audit.key", data_dir);
	if (access(path, F_OK) && errno == ENOENT) {
		/* A new key for an existing chain would make it unverifiable forever. */
		if (events)
			return err_set(err, ERR_NOTFOUND, "audit.key",
				"'%s' is missing but the audit log holds %lld events: restore audit.key "
				"from your backup (a new key cannot verify the existing chain)",
				path, (long long)events);
		if (!create)
			return err_set(err, ERR_NOTFOUND, "audit.key",
				"'%s' is missing; `rootcut init` creates it for a new database", path);
		ret = write_new_key(path, key, err);
	} else {
		ret = read_key(path, key, err);
	}
	if (ret)
		goto out;
	key_check(key, check);
	store_setting_get(c, "audit.key_check", stored, sizeof(stored));
	audit_set_key(key);
	/* A log from before fingerprints: record one only for the key its head was signed with. */
	if (!stored[0] && events && audit_head_matches_key(c))
		ret = err_set(err, ERR_CONFLICT, "audit.key",
			"'%s' does not sign this audit log's chain head: restore the right audit.key "
			"(nothing was changed)",
			path);
	else if (!stored[0])
		ret = store_setting_set(c, "audit.key_check", check);
	else if (!str_equal_ct(stored, check))
		ret = err_set(err, ERR_CONFLICT, "audit.key",
			"'%s' is not the key this database's audit log was written with: restore the "
			"right audit.key (nothing was changed)",
			path);
	if (!ret)
		audit_set_checkpoint_dir(data_dir);
out:
	explicit_bzero(key, sizeof(key));
	return ret;
}

void audit_event_from_request(struct audit_event *ev, const struct http_request *req,
	const char *action, const char *object_type, const char *object_id, const char *outcome)
{
	const struct auth_principal *p = http_principal(req);

	memset(ev, 0, sizeof(*ev));
	ev->actor_user_id = p->user_id;
	ev->actor = p->user_id ? p->username : "-";
	ev->agency_id = p->agency_id;
	ev->action = action;
	ev->object_type = object_type;
	ev->object_id = object_id;
	ev->source = http_client_addr(req);
	ev->outcome = outcome;
}

void audit_event_console(struct audit_event *ev, const char *action, const char *object_type,
	const char *object_id, const char *outcome)
{
	memset(ev, 0, sizeof(*ev));
	ev->actor = "system";
	ev->action = action;
	ev->object_type = object_type;
	ev->object_id = object_id;
	ev->source = "console";
	ev->outcome = outcome;
}
