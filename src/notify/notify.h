/*
 * notify/notify.h - notifications to users: stored in-app messages now;
 * e-mail and signed webhooks deliver the same events later (issue 6).
 *
 * A notification says what happened and links to it; it never carries
 * case contents, so a user who may not read the object learns only that
 * something happened (the link still enforces need-to-know).
 */
#pragma once
#include <stdint.h>

struct store_conn;
struct store_module_schema;

const struct store_module_schema *notify_schema(void);

/*
 * Queue a notification for user_id inside the caller's write transaction.
 * kind is a dotted event name ("watch.hit", "access.decided" …); title is
 * one line for people; link is an API or UI path, may be NULL.
 */
int notify_user(struct store_conn *c, int64_t user_id, const char *kind, const char *title,
	const char *link);
