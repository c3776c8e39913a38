/*
 * incident/policy_live.c - the policy in effect in this process: loaded
 * from the file of the configuration key incident_policy at start, again on
 * SIGHUP (incident_policy_reload) and when the scheduler sees the file
 * change. A bad file is refused and the policy in effect stays; the refusal
 * is logged and shown by GET /api/v1/incident-policy.
 */
#include "incident/internal.h"

#include <pthread.h>
#include <string.h>
#include <sys/stat.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "config/config.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct incident_policy current;
static bool loaded;
static char path[512];
static int64_t loaded_at;
static char last_error[600];
static struct stat seen; /* the file as last read, to notice a change */
static int64_t poll_s = 10;

static void ensure_loaded(void)
{
	if (!loaded) {
		incident_policy_defaults(&current);
		loaded = true;
	}
}

void incident_policy_current(struct incident_policy *out)
{
	pthread_mutex_lock(&lock);
	ensure_loaded();
	*out = current;
	pthread_mutex_unlock(&lock);
}

int64_t incident_poll_seconds(void)
{
	return poll_s;
}

/* Read the file into a copy; install it only when it parses. Called with lock held. */
static int load_locked(struct err_msg *err)
{
	struct incident_policy next;
	struct stat st;
	int ret;

	memset(&st, 0, sizeof(st));
	if (*path)
		stat(path, &st);
	ret = incident_policy_load_file(&next, path, err);
	seen = st;
	if (ret) {
		snprintf(last_error, sizeof(last_error), "%s%s%s", err->field,
			*err->field ? ": " : "", err->message);
		ensure_loaded();
		return ret;
	}
	current = next;
	loaded = true;
	loaded_at = clock_now();
	last_error[0] = '\0';
	return 0;
}

int incident_configure(const struct config *cfg, struct err_msg *err)
{
	int ret;

	pthread_mutex_lock(&lock);
	str_copy(path, sizeof(path), cfg->incident_policy);
	poll_s = cfg->incident_poll_s;
	loaded = false;
	ret = load_locked(err);
	pthread_mutex_unlock(&lock);
	return ret;
}

int incident_policy_reload(struct err_msg *err)
{
	int ret;

	pthread_mutex_lock(&lock);
	ret = load_locked(err);
	pthread_mutex_unlock(&lock);
	if (ret)
		log_error("incident policy refused, the previous one stays: %s: %s", err->field,
			err->message);
	else
		log_info("incident policy loaded from %s", *path ? path : "built-in defaults");
	return ret;
}

int incident_policy_reload_if_changed(void)
{
	struct err_msg err = ERR_MSG_INIT;
	struct stat st;
	bool changed;

	pthread_mutex_lock(&lock);
	memset(&st, 0, sizeof(st));
	changed = *path && (stat(path, &st) || st.st_mtim.tv_sec != seen.st_mtim.tv_sec ||
				   st.st_mtim.tv_nsec != seen.st_mtim.tv_nsec ||
				   st.st_size != seen.st_size || st.st_ino != seen.st_ino);
	/* A missing file is refused once, not on every tick. */
	if (changed && st.st_ino == 0 && seen.st_ino == 0)
		changed = false;
	pthread_mutex_unlock(&lock);
	if (!changed)
		return 0;
	return incident_policy_reload(&err) == 0;
}

void incident_policy_status(char *path_out, size_t path_size, int64_t *at, char *error,
	size_t error_size)
{
	pthread_mutex_lock(&lock);
	str_copy(path_out, path_size, path);
	*at = loaded_at;
	str_copy(error, error_size, last_error);
	pthread_mutex_unlock(&lock);
}
