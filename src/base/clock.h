/*
 * base/clock.h - the current time, replaceable by a fake clock in tests.
 *
 * Everything that depends on time (session expiry, lockouts, deadlines, TOTP)
 * asks clock_now_ms(), never time() directly, so tests can move time forward
 * without sleeping. ROOTCUT_FAKE_NOW (seconds since the epoch) in the
 * environment starts the process on a fixed clock, for shell tests.
 * ROOTCUT_FAKE_NOW_FILE (test only) names a file holding those seconds that
 * is read again at every clock_now_ms(), so a test can move the clock of a
 * running server (the incident deadlines of `serve`) by rewriting the file.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* Milliseconds since 1970-01-01 UTC. */
int64_t clock_now_ms(void);
/* Seconds since 1970-01-01 UTC. */
int64_t clock_now(void);
/* Freeze the clock at ms (tests only); pass -1 to return to the real clock. */
void clock_set_fake_ms(int64_t ms);
/* Move a fake clock forward by ms. */
void clock_advance_ms(int64_t ms);
/* Read ROOTCUT_FAKE_NOW and ROOTCUT_FAKE_NOW_FILE from the environment, if set. */
void clock_init_from_env(void);
/* Monotonic milliseconds, for measuring durations. */
int64_t clock_mono_ms(void);
/* Monotonic microseconds, for measuring durations. */
int64_t clock_mono_us(void);
/* Format ms as "2026-11-22T03:21:00.123Z" into out (at least 25 bytes). */
void clock_format_iso(int64_t ms, char *out, size_t size);
/* Format seconds as "2026-11-22T03:21:00Z" (at least 21 bytes). */
void clock_format_iso_s(int64_t s, char *out, size_t size);
