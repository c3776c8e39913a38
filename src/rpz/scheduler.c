/*
 * rpz/scheduler.c - the thread of `rootcut serve` that lifts expired orders
 * and publishes started ones at their time (rpz_due_apply). It sleeps until
 * the next due time by the project clock, but never longer than rpz_poll_s,
 * so orders enforced by other processes (the CLI) are noticed; an order of
 * this process changing wakes it at once (rpz_scheduler_poke).
 *
 * States: stopped --start--> running --stop--> stopped. One thread; it owns
 * a store connection only while it applies.
 */
#include "rpz/internal.h"

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

/* Seconds to sleep before looking again: until next (project clock), at most poll_s. */
static int64_t sleep_for(int64_t next)
{
	int64_t poll = rpz_settings()->poll_s > 0 ? rpz_settings()->poll_s : 10;
	int64_t wait = next ? next - clock_now() : poll;

	if (wait < 0)
		wait = 0;
	return wait < poll ? wait : poll;
}

static int64_t tick(void)
{
	struct err_msg err = ERR_MSG_INIT;
	struct store_conn *c = store_acquire(store);
	int64_t next = 0;
	int applied = 0;

	if (rpz_due_apply(c, clock_now(), &next, &applied, &err))
		log_msg(LOG_ERROR, "rpz: %s", err.message);
	else if (applied)
		log_msg(LOG_INFO, "rpz: %d order(s) started or expired", applied);
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

int rpz_scheduler_start(struct store *s, struct err_msg *err)
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
		ret = err_set(err, ERR_INTERNAL, "rpz", "cannot start the order scheduler");
		goto out;
	}
	running = true;
out:
	pthread_mutex_unlock(&lock);
	return ret;
}

void rpz_scheduler_poke(void)
{
	pthread_mutex_lock(&lock);
	if (running) {
		poked = true;
		pthread_cond_signal(&wake);
	}
	pthread_mutex_unlock(&lock);
}

void rpz_scheduler_stop(void)
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
