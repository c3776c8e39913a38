/*
 * tests/unit/config/test_config.c - the configuration (src/config/config.c):
 * built-in defaults, the `key = value` file with errors that name file:line
 * and the key, ROOTCUT_* environment overrides, and the bounds of every key.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"
#include "config/config.h"
#include "testutil.h"

static char *dir;

static void setup(void)
{
	tu_clear_rootcut_env();
	dir = tu_mkdtemp();
}

static void teardown(void)
{
	tu_rmdir(dir);
	dir = NULL;
}

TestSuite(config, .init = setup, .fini = teardown);

/* The effective value of key, as config_print_effective() writes it. */
static char *effective(const struct config *cfg, const char *key)
{
	static char value[1024];
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	char *line;
	size_t keylen = strlen(key);

	config_print_effective(cfg, f);
	fclose(f);
	value[0] = '\0';
	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, key, keylen) == 0 && strncmp(line + keylen, " = ", 3) == 0) {
			snprintf(value, sizeof(value), "%.*s", (int)strcspn(line + keylen + 3, "\n"),
				line + keylen + 3);
			break;
		}
	}
	free(text);
	return value;
}

static const struct {
	const char *key, *value;
} defaults[] = {
	{ "listen", "127.0.0.1:8080" },
	{ "threads", "0" },
	{ "tls_cert", "" },
	{ "tls_key", "" },
	{ "web_root", "" },
	{ "max_body_bytes", "1048576" },
	{ "max_headers", "64" },
	{ "max_header_bytes", "32768" },
	{ "request_timeout_s", "30" },
	{ "max_connections", "1024" },
	{ "session_ttl_s", "43200" },
	{ "session_idle_s", "1800" },
	{ "login_max_failures", "5" },
	{ "login_lockout_s", "900" },
	{ "login_rate_per_minute", "30" },
	{ "argon2_t_cost", "2" },
	{ "argon2_m_kib", "19456" },
	{ "password_min_length", "12" },
	{ "db_pool_size", "0" },
	{ "db_synchronous_full", "on" },
	{ "log_level", "info" },
	{ "access_log", "-" },
};

Test(config, defaults)
{
	struct config cfg;

	config_defaults(&cfg);
	for (size_t i = 0; i < N_ELEMS(defaults); i++)
		cr_expect_str_eq(effective(&cfg, defaults[i].key), defaults[i].value,
			"default of %s is '%s', expected '%s'", defaults[i].key,
			effective(&cfg, defaults[i].key), defaults[i].value);
	cr_expect_str_eq(cfg.listen, "127.0.0.1:8080", "cfg.listen '%s'", cfg.listen);
	cr_expect_eq(cfg.max_body_bytes, 1048576, "cfg.max_body_bytes %lld",
		(long long)cfg.max_body_bytes);
	cr_expect(cfg.db_synchronous_full, "cfg.db_synchronous_full is off");
	cr_expect_str_eq(cfg.path, "", "defaults name a file '%s'", cfg.path);
}

Test(config, every_key_has_a_documented_default)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	config_print_reference(f, true);
	fclose(f);
	for (size_t i = 0; i < N_ELEMS(defaults); i++) {
		char want[256];
		snprintf(want, sizeof(want), "| `%s` | `ROOTCUT_", defaults[i].key);
		cr_expect_not_null(strstr(text, want), "reference lacks key %s", defaults[i].key);
	}
	free(text);
	/* The commented config file form: every key appears as '#key = default'. */
	f = open_memstream(&text, &size);
	config_print_reference(f, false);
	fclose(f);
	for (size_t i = 0; i < N_ELEMS(defaults); i++) {
		char want[256];
		snprintf(want, sizeof(want), "#%s = %s\n", defaults[i].key, defaults[i].value);
		cr_expect_not_null(strstr(text, want), "sample config lacks '%s'", want);
	}
	free(text);
}

Test(config, no_file_and_no_environment_gives_defaults)
{
	struct config cfg, def;
	struct err_msg err = ERR_MSG_INIT;
	char missing[600];

	config_defaults(&def);
	config_defaults(&cfg);
	cr_assert_eq(config_load(&cfg, NULL, false, &err), 0, "config_load(NULL): %s", err.message);
	cr_assert_eq(memcmp(&cfg, &def, sizeof(cfg)), 0, "config_load(NULL) changed the defaults");
	snprintf(missing, sizeof(missing), "%s/none.conf", dir);
	cr_assert_eq(config_load(&cfg, missing, false, &err), 0,
		"optional missing file '%s': %s", missing, err.message);
	cr_assert_str_eq(cfg.path, "", "optional missing file recorded as '%s'", cfg.path);
	cr_assert_eq(config_load(&cfg, missing, true, &err), ERR_IO, "required missing file '%s'",
		missing);
	cr_assert_not_null(strstr(err.message, missing), "message '%s' does not name '%s'",
		err.message, missing);
}

Test(config, set_each_kind)
{
	static const struct {
		const char *key, *value;
		int ret;
		const char *effective; /* NULL: as value */
	} cases[] = {
		{ "listen", "[::1]:9000", 0, NULL },
		{ "threads", "8", 0, NULL },
		{ "db_synchronous_full", "off", 0, NULL },
		{ "db_synchronous_full", "ON", 0, "on" },
		{ "db_synchronous_full", "true", 0, "on" },
		{ "db_synchronous_full", "Yes", 0, "on" },
		{ "db_synchronous_full", "1", 0, "on" },
		{ "db_synchronous_full", "false", 0, "off" },
		{ "db_synchronous_full", "no", 0, "off" },
		{ "db_synchronous_full", "0", 0, "off" },
		{ "db_synchronous_full", "maybe", ERR_INVAL, NULL },
		{ "db_synchronous_full", "", ERR_INVAL, NULL },
		{ "threads", "", ERR_INVAL, NULL },
		{ "threads", "four", ERR_INVAL, NULL },
		{ "threads", "4 # comment", ERR_INVAL, NULL },
		{ "access_log", "/var/log/a=b.log", 0, NULL },
		{ "tls_cert", "", 0, NULL },
		{ "no_such_key", "1", ERR_INVAL, NULL },
		{ "", "1", ERR_INVAL, NULL },
		{ "THREADS", "1", ERR_INVAL, NULL },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct config cfg;
		struct err_msg err = ERR_MSG_INIT;
		int ret;

		config_defaults(&cfg);
		ret = config_set(&cfg, cases[i].key, cases[i].value, &err);
		cr_expect_eq(ret, cases[i].ret, "config_set(%s, '%s') returned %d (%s)", cases[i].key,
			cases[i].value, ret, err.message);
		if (ret == 0 && cases[i].ret == 0) {
			const char *want = cases[i].effective ? cases[i].effective : cases[i].value;
			cr_expect_str_eq(effective(&cfg, cases[i].key), want,
				"config_set(%s, '%s') → '%s', expected '%s'", cases[i].key, cases[i].value,
				effective(&cfg, cases[i].key), want);
		} else if (ret) {
			cr_expect_str_eq(err.field, cases[i].key,
				"config_set(%s, '%s') names field '%s'", cases[i].key, cases[i].value,
				err.field);
			cr_expect_neq(err.message[0], '\0', "config_set(%s, '%s') has no message",
				cases[i].key, cases[i].value);
		}
	}
}

Test(config, integer_bounds)
{
	static const struct {
		const char *key;
		long long min, max;
	} keys[] = {
		{ "threads", 0, 256 },
		{ "max_body_bytes", 1024, 1073741824 },
		{ "max_headers", 8, 1024 },
		{ "max_header_bytes", 4096, 1048576 },
		{ "request_timeout_s", 1, 3600 },
		{ "max_connections", 16, 65536 },
		{ "session_ttl_s", 60, 2592000 },
		{ "session_idle_s", 60, 2592000 },
		{ "login_max_failures", 1, 100 },
		{ "login_lockout_s", 1, 86400 },
		{ "login_rate_per_minute", 1, 100000 },
		{ "argon2_t_cost", 1, 20 },
		{ "argon2_m_kib", 1024, 4194304 },
		{ "password_min_length", 8, 128 },
		{ "db_pool_size", 0, 256 },
	};

	for (size_t i = 0; i < N_ELEMS(keys); i++) {
		const long long probe[4] = { keys[i].min - 1, keys[i].min, keys[i].max,
			keys[i].max + 1 };
		for (int j = 0; j < 4; j++) {
			struct config cfg;
			struct err_msg err = ERR_MSG_INIT;
			char v[32];
			int ret;
			bool ok = j == 1 || j == 2;

			config_defaults(&cfg);
			snprintf(v, sizeof(v), "%lld", probe[j]);
			ret = config_set(&cfg, keys[i].key, v, &err);
			if (ok) {
				cr_expect_eq(ret, 0, "%s = %s (a bound) refused: %s", keys[i].key, v,
					err.message);
				cr_expect_str_eq(effective(&cfg, keys[i].key), v, "%s = %s stored as '%s'",
					keys[i].key, v, effective(&cfg, keys[i].key));
			} else {
				char range[64];
				cr_expect_eq(ret, ERR_INVAL, "%s = %s (out of bounds) accepted", keys[i].key,
					v);
				cr_expect_str_eq(err.field, keys[i].key, "%s = %s names field '%s'",
					keys[i].key, v, err.field);
				snprintf(range, sizeof(range), "from %lld to %lld", keys[i].min,
					keys[i].max);
				cr_expect_not_null(strstr(err.message, range),
					"%s = %s: message '%s' does not give the range '%s'", keys[i].key, v,
					err.message, range);
			}
		}
	}
}

Test(config, string_length_limits)
{
	static const struct {
		const char *key;
		size_t capacity;
	} keys[] = {
		{ "listen", 128 },
		{ "tls_cert", 512 },
		{ "tls_key", 512 },
		{ "web_root", 512 },
		{ "log_level", 16 },
		{ "access_log", 512 },
	};

	for (size_t i = 0; i < N_ELEMS(keys); i++) {
		struct config cfg;
		struct err_msg err = ERR_MSG_INIT;
		char v[1024];

		config_defaults(&cfg);
		memset(v, 'x', keys[i].capacity - 1);
		v[keys[i].capacity - 1] = '\0';
		cr_expect_eq(config_set(&cfg, keys[i].key, v, &err), 0,
			"%s of %zu bytes (the most) refused: %s", keys[i].key, keys[i].capacity - 1,
			err.message);
		v[keys[i].capacity - 1] = 'x';
		v[keys[i].capacity] = '\0';
		cr_expect_eq(config_set(&cfg, keys[i].key, v, &err), ERR_INVAL,
			"%s of %zu bytes (one too many) accepted", keys[i].key, keys[i].capacity);
		cr_expect_str_eq(err.field, keys[i].key, "%s too long names field '%s'", keys[i].key,
			err.field);
	}
}

Test(config, file_is_parsed)
{
	struct config cfg;
	struct err_msg err = ERR_MSG_INIT;
	char *path = tu_write_file(dir, "rootcut.conf",
		"# rootcut configuration\n"
		"\n"
		"listen = 0.0.0.0:9443\n"
		"   threads=3   \n"
		"\tmax_body_bytes\t=\t2048\t\n"
		"db_synchronous_full = off\r\n"
		"access_log = /var/log/rootcut/access=1.log\n"
		"    # an indented comment\n"
		"tls_cert =\n"
		"threads = 5\n");

	config_defaults(&cfg);
	cr_assert_eq(config_load(&cfg, path, true, &err), 0, "config file: %s", err.message);
	cr_expect_str_eq(cfg.listen, "0.0.0.0:9443", "listen '%s'", cfg.listen);
	cr_expect_eq(cfg.threads, 5, "threads %lld (the last line wins)", (long long)cfg.threads);
	cr_expect_eq(cfg.max_body_bytes, 2048, "tab-separated max_body_bytes %lld",
		(long long)cfg.max_body_bytes);
	cr_expect(!cfg.db_synchronous_full, "CRLF line 'db_synchronous_full = off' not applied");
	cr_expect_str_eq(cfg.access_log, "/var/log/rootcut/access=1.log", "value with '=': '%s'",
		cfg.access_log);
	cr_expect_str_eq(cfg.tls_cert, "", "empty value '%s'", cfg.tls_cert);
	cr_expect_str_eq(cfg.path, path, "cfg.path '%s', expected '%s'", cfg.path, path);
	free(path);
}

Test(config, file_errors_name_file_line_and_key)
{
	static const struct {
		const char *text;
		int line;
		const char *field;
		const char *reason;
	} cases[] = {
		{ "threads = 2\nthreads = lots\n", 2, "threads", "'lots' is not a whole number" },
		{ "# c\n\nmax_headers = 7\n", 3, "max_headers", "from 8 to 1024" },
		{ "listen = x:1\nno_such_key = 1\n", 2, "no_such_key", "unknown configuration key" },
		{ "just some words\n", 1, "config", "expected 'key = value'" },
		{ "threads 4\n", 1, "config", "expected 'key = value'" },
		{ "= 4\n", 1, "", "unknown configuration key" },
		{ "db_synchronous_full = sometimes\n", 1, "db_synchronous_full", "not on or off" },
		{ "log_level = abcdefghijklmnopq\n", 1, "log_level", "longer than 15 bytes" },
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct config cfg;
		struct err_msg err = ERR_MSG_INIT;
		char name[32], want[600];
		char *path;
		int ret;

		snprintf(name, sizeof(name), "bad%zu.conf", i);
		path = tu_write_file(dir, name, cases[i].text);
		config_defaults(&cfg);
		ret = config_load(&cfg, path, true, &err);
		cr_expect_eq(ret, ERR_INVAL, "config '%s' returned %d", cases[i].text, ret);
		snprintf(want, sizeof(want), "%s:%d: ", path, cases[i].line);
		cr_expect(strncmp(err.message, want, strlen(want)) == 0,
			"config '%s': message '%s' does not start with '%s'", cases[i].text,
			err.message, want);
		cr_expect_str_eq(err.field, cases[i].field, "config '%s': field '%s', expected '%s'",
			cases[i].text, err.field, cases[i].field);
		cr_expect_not_null(strstr(err.message, cases[i].reason),
			"config '%s': message '%s' lacks '%s'", cases[i].text, err.message,
			cases[i].reason);
		free(path);
	}
}

Test(config, long_line_is_refused)
{
	struct config cfg;
	struct err_msg err = ERR_MSG_INIT;
	char *text = malloc(6000);
	char *path;
	char want[600];

	memcpy(text, "threads = 1\n# ", 14);
	memset(text + 14, 'x', 5000);
	memcpy(text + 14 + 5000, "\n", 2);
	path = tu_write_file(dir, "long.conf", text);
	config_defaults(&cfg);
	cr_assert_eq(config_load(&cfg, path, true, &err), ERR_INVAL, "5000-byte line accepted");
	snprintf(want, sizeof(want), "%s:2: line too long", path);
	cr_assert_str_eq(err.message, want, "message '%s', expected '%s'", err.message, want);
	free(path);
	free(text);
}

Test(config, unreadable_file_is_an_error)
{
	struct config cfg;
	struct err_msg err = ERR_MSG_INIT;

	/* A directory opens but cannot be read: it must not pass as an empty config. */
	config_defaults(&cfg);
	cr_assert_eq(config_load(&cfg, dir, true, &err), ERR_IO,
		"config file '%s' (a directory) accepted", dir);
	cr_assert_not_null(strstr(err.message, dir), "message '%s' does not name '%s'",
		err.message, dir);
}

Test(config, environment_overrides_file)
{
	static const struct {
		const char *env, *value, *key;
	} cases[] = {
		{ "ROOTCUT_THREADS", "7", "threads" },
		{ "ROOTCUT_LISTEN", "127.0.0.1:0", "listen" },
		{ "ROOTCUT_MAX_BODY_BYTES", "4096", "max_body_bytes" },
		{ "ROOTCUT_DB_SYNCHRONOUS_FULL", "off", "db_synchronous_full" },
		{ "ROOTCUT_LOG_LEVEL", "debug", "log_level" },
	};
	struct config cfg;
	struct err_msg err = ERR_MSG_INIT;
	char *path = tu_write_file(dir, "rootcut.conf",
		"threads = 2\nlisten = 0.0.0.0:80\nmax_body_bytes = 2048\nmax_headers = 10\n");

	for (size_t i = 0; i < N_ELEMS(cases); i++)
		setenv(cases[i].env, cases[i].value, 1);
	setenv("ROOTCUT_threads", "99", 1); /* names are upper case: this one is not ours */
	config_defaults(&cfg);
	cr_assert_eq(config_load(&cfg, path, true, &err), 0, "file + environment: %s", err.message);
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		cr_expect_str_eq(effective(&cfg, cases[i].key), cases[i].value,
			"%s=%s gave %s = '%s'", cases[i].env, cases[i].value, cases[i].key,
			effective(&cfg, cases[i].key));
	cr_expect_eq(cfg.max_headers, 10, "file value without an override: %lld",
		(long long)cfg.max_headers);
	free(path);
}

Test(config, bad_environment_value_names_the_variable)
{
	struct config cfg;
	struct err_msg err = ERR_MSG_INIT;

	setenv("ROOTCUT_MAX_HEADERS", "100000", 1);
	config_defaults(&cfg);
	cr_assert_eq(config_load(&cfg, NULL, false, &err), ERR_INVAL,
		"ROOTCUT_MAX_HEADERS=100000 accepted");
	cr_assert_str_eq(err.field, "max_headers", "field '%s'", err.field);
	cr_assert(strncmp(err.message, "environment ROOTCUT_MAX_HEADERS: ", 33) == 0,
		"message '%s' does not name the variable", err.message);
}

Test(config, effective_values_read_back_as_a_file)
{
	struct config cfg, again;
	struct err_msg err = ERR_MSG_INIT;
	char *text = NULL;
	size_t size = 0;
	FILE *f;
	char *path;

	config_defaults(&cfg);
	config_set(&cfg, "listen", "[::1]:8443", NULL);
	config_set(&cfg, "threads", "12", NULL);
	config_set(&cfg, "db_synchronous_full", "off", NULL);
	config_set(&cfg, "access_log", "off", NULL);
	f = open_memstream(&text, &size);
	config_print_effective(&cfg, f);
	fclose(f);
	path = tu_write_file(dir, "effective.conf", text);
	config_defaults(&again);
	cr_assert_eq(config_load(&again, path, true, &err), 0, "effective config: %s", err.message);
	for (size_t i = 0; i < N_ELEMS(defaults); i++) {
		char want[1024];
		str_copy(want, sizeof(want), effective(&cfg, defaults[i].key));
		cr_expect_str_eq(effective(&again, defaults[i].key), want,
			"%s = '%s' printed, read back as '%s'", defaults[i].key, want,
			effective(&again, defaults[i].key));
	}
	free(text);
	free(path);
}

Test(config, parse_from_a_stream)
{
	static const char text[] = "threads = 9\nbogus line\n";
	struct config cfg;
	struct err_msg err = ERR_MSG_INIT;
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	config_defaults(&cfg);
	cr_assert_eq(config_parse(&cfg, f, "<memory>", &err), ERR_INVAL, "'bogus line' accepted");
	cr_assert_str_eq(err.message, "<memory>:2: expected 'key = value'", "message '%s'",
		err.message);
	cr_assert_eq(cfg.threads, 9, "line 1 before the error: threads %lld",
		(long long)cfg.threads);
	cr_assert_str_eq(cfg.path, "", "config_parse recorded a path '%s'", cfg.path);
	fclose(f);
}
