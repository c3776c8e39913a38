/*
 * auth/ratelimit.c - login attempts per source address per minute, in memory.
 *
 * A fixed table of slots hashed by address; a slot holds the minute it counts
 * and the attempts in it. A collision simply shares a slot, which can only
 * make the limit stricter for the two addresses, never looser. The lockout of
 * an account (after repeated failures) is the durable defence; this one slows
 * password spraying across accounts from one address.
 */
#include "auth/internal.h"

#include <pthread.h>
#include <string.h>

#include "base/clock.h"

#define SLOTS 4096

struct slot {
	uint64_t addr_hash;
	int64_t minute;
	int64_t count;
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

bool auth_rate_allow(const char *source)
{
	uint64_t h = fnv1a(source ? source : "-");
	int64_t minute = clock_now() / 60;
	struct slot *s = &slots[h % SLOTS];
	bool ok;

	pthread_mutex_lock(&lock);
	if (s->addr_hash != h || s->minute != minute) {
		s->addr_hash = h;
		s->minute = minute;
		s->count = 0;
	}
	ok = ++s->count <= auth_settings.login_rate_per_minute;
	pthread_mutex_unlock(&lock);
	return ok;
}
