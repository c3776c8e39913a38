/*
 * incident/scheduler.c - the thread of `rootcut serve` that enforces the
 * incident deadlines (incident_due_apply) at their time and reloads the
 * policy file when it changes. It sleeps until the next warning or due time
 * by the project clock, but never longer than incident_poll_s, so steps
 * taken by other processes (the CLI) and a moved test clock are noticed; a
 * step of this process wakes it at once (incident_scheduler_poke).
 *
 * States: stopped --start--> running --stop--> stopped. One thread; it owns
 * a store connection only while it applies.
 */
#include "incident/internal.h"

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "store/store.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;
static pthread_t thread;
static bool running, stopping, poked;
static struct store *store;

/* Seconds to sleep before looking again: until next (project clock), at most the poll. */
static int64_t sleep_for(int64_t next)
{
	int64_t poll = incident_poll_seconds() > 0 ? incident_poll_seconds() : 10;
	int64_t wait = next ? next - clock_now() : poll;

	if (wait < 0)
		wait = 0;
	return wait < poll ? wait : poll;
}

static int64_t tick(void)
{
	struct err_msg err = ERR_MSG_INIT;
	struct store_conn *c;
	int64_t next = 0;
	int done = 0;

	incident_policy_reload_if_changed();
	c = store_acquire(store);
	if (incident_due_apply(c, clock_now(), &next, &done, &err))
		log_msg(LOG_ERROR, "incident: %s", err.message);
	else if (done)
		log_msg(LOG_INFO, "incident: %d deadline warning(s) or escalation(s)", done);
	store_release(c);
	return next;
}

static void *run(void *arg)
{
	struct timespec until;
	int64_t wait;

	(void)arg;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		pthread_mutex_unlock(&lock);
		wait = sleep_for(tick());
		pthread_mutex_lock(&lock);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += wait > 0 ? wait : 1;
		while (!stopping && !poked &&
			pthread_cond_timedwait(&wake, &lock, &until) == 0)
			;
		poked = false;
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int incident_scheduler_start(struct store *s, struct err_msg *err)
{
	pthread_condattr_t attr;
	int ret = 0;

	pthread_mutex_lock(&lock);
	if (running)
		goto out;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&wake, &attr);
	pthread_condattr_destroy(&attr);
	store = s;
	stopping = poked = false;
	if (pthread_create(&thread, NULL, run, NULL)) {
		pthread_cond_destroy(&wake);
		ret = err_set(err, ERR_INTERNAL, "incident", "cannot start the deadline scheduler");
		goto out;
	}
	running = true;
out:
	pthread_mutex_unlock(&lock);
	return ret;
}

void incident_scheduler_poke(void)
{
	pthread_mutex_lock(&lock);
	if (running) {
		poked = true;
		pthread_cond_signal(&wake);
	}
	pthread_mutex_unlock(&lock);
}

void incident_scheduler_stop(void)
{
	pthread_mutex_lock(&lock);
	if (!running) {
		pthread_mutex_unlock(&lock);
		return;
	}
	stopping = true;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	pthread_mutex_lock(&lock);
	running = false;
	pthread_cond_destroy(&wake);
	pthread_mutex_unlock(&lock);
}
