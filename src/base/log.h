/*
 * base/log.h - one-line log messages to stderr (or a file), with levels.
 *
 * Never log a secret: passwords, tokens, session ids and TOTP codes are
 * never passed to these functions (grep-able rule, checked in review).
 */
#pragma once

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Set the lowest level written; messages below it are dropped. */
void log_set_level(enum log_level level);
/* Parse "debug", "info", "warn" or "error"; returns 0 or ERR_INVAL. */
int log_level_parse(const char *s, enum log_level *out);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
