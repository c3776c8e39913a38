# Session expiry on a fake clock: a session ends after session_idle_s without
# use, and session_ttl_s after sign-in however much it is used. Sessions live
# in the database, so the server is restarted at later instants
# (ROOTCUT_FAKE_NOW) instead of waiting.
. "$(dirname "$0")/../lib/common.sh"
t0=$(date +%s)
export ROOTCUT_SESSION_IDLE_S=1800 ROOTCUT_SESSION_TTL_S=7200
rc_init || { not_ok "init"; done_testing; exit 1; }

at() { # SECONDS after t0: restart the server at that instant
	rc_stop
	ROOTCUT_FAKE_NOW=$((t0 + $1)) rc_serve || not_ok "server starts at t0+$1"
}
with() { # COOKIE: GET /api/v1/session with it
	anon GET /api/v1/session "" -H "Cookie: rootcut_session=$1"
}

at 0
rc_login analyst
is "$STATUS" 201 "sign in at t0"
like "$(header Set-Cookie)" 'Max-Age=7200;' "the cookie lives as long as the session (session_ttl_s)"
a=$(rc_cookie)
rc_login auditor
b=$(rc_cookie)

at 1790
with "$a"
is "$STATUS" 200 "after 1790 s unused (idle limit 1800) the session still works"
at 1801
with "$b"
is "$STATUS" 401 "after 1801 s unused it has ended"
is "$(json .error.field)" session "the error names the session"
with "$a"
is "$STATUS" 200 "the session used at 1790 s is still open at 1801 s"

# Kept busy, the session still ends session_ttl_s after sign-in.
for t in 3500 5200 6900; do
	at $t
	with "$a"
	is "$STATUS" 200 "used again at t0+$t: still open"
done
at 7199
with "$a"
is "$STATUS" 200 "at t0+7199 (just under session_ttl_s) still open"
at 7201
with "$a"
is "$STATUS" 401 "at t0+7201 the session has ended however busy it was"

# A new sign-in works, and the expired sessions of the user are swept.
rc_login analyst
is "$STATUS" 201 "a new sign-in after expiry works"
rc_stop
left=$(sqlite3 "$DATA/rootcut.db" "SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id
	WHERE u.username = 'analyst'")
is "$left" 1 "signing in removed the user's expired sessions"
done_testing
