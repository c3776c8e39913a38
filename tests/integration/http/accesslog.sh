# The request log: exactly one line per request, in one format, with the
# caller's name, the path without its query string, and never a password,
# token, session id or CSRF token.
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }
LOG="$TEST_TMP/access.log"
LINE='^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z 127\.0\.0\.1 [^ ]+ [A-Z]+ /[^ ]* [1-5][0-9]{2} [0-9]+ [0-9]+\.[0-9]{3}ms$'

lines() {
	wc -l <"$LOG" | tr -d ' '
}
# settle N: wait until the log has N lines (it is written when a request
# completes, just after the answer is sent); bounded, not a timing assertion
settle() {
	i=0
	while [ "$(lines)" -lt "$1" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}

start=$(lines)
anon GET /api/v1/health
anon GET '/api/v1/health?lookup=0912345678&q=secret-query-value'
anon GET /api/v1/users
anon GET /api/v1/no-such-endpoint
anon DELETE /api/v1/agencies
pw=$(rc_password prosecutor.tp)
rc_login prosecutor.tp "$pw"
session=$(rc_cookie)
api GET /api/v1/session
tok=$(rc_token prosecutor.tp read,write)
bearer "$tok" GET /api/v1/users
anon POST /api/v1/session '{"username":"prosecutor.tp","password":"Wrong-Secret-Passw0rd"}'
head -c 1200000 /dev/zero | tr '\0' ' ' >"$TEST_TMP/big"
bearer "$tok" POST /api/v1/tokens "" --data-binary @"$TEST_TMP/big"
settle $((start + 10))
is "$(( $(lines) - start ))" 10 "10 requests, 10 log lines"
bad=$(tail -n 10 "$LOG" | grep -Ev "$LINE" | head -3)
is "$bad" "" "every line has the same format"
tail -n 10 "$LOG" >"$TEST_TMP/mine"
like "$(cat "$TEST_TMP/mine")" ' - GET /api/v1/health 200 [0-9]+ ' "a public request: no user, path, status, size"
is "$(grep -c ' GET /api/v1/health 200 ' "$TEST_TMP/mine")" 2 "a request with a query string is logged by its path"
unlike "$(cat "$LOG")" 'lookup=|0912345678|secret-query-value|\?' "the query string is never logged"
like "$(cat "$TEST_TMP/mine")" ' - GET /api/v1/users 401 ' "an unauthenticated request is logged with its 401"
like "$(cat "$TEST_TMP/mine")" ' GET /api/v1/no-such-endpoint 404 ' "an unknown path is logged with its 404"
like "$(cat "$TEST_TMP/mine")" ' DELETE /api/v1/agencies 405 ' "a wrong method is logged with its 405"
like "$(cat "$TEST_TMP/mine")" ' - POST /api/v1/session 201 ' "a sign-in is logged"
like "$(cat "$TEST_TMP/mine")" ' prosecutor\.tp GET /api/v1/session 200 ' "a session request names the user"
like "$(cat "$TEST_TMP/mine")" ' prosecutor\.tp GET /api/v1/users 200 ' "a token request names the token's user"
like "$(cat "$TEST_TMP/mine")" ' POST /api/v1/session 401 ' "a failed sign-in is logged with its 401"
like "$(cat "$TEST_TMP/mine")" ' POST /api/v1/tokens 413 ' "a refused oversized body is logged with its 413"

# No secret reaches the request log or the server log.
for f in "$LOG" "$TEST_TMP/server.log"; do
	name=$(basename "$f")
	if grep -qF -e "$pw" -e "Wrong-Secret-Passw0rd" "$f"; then not_ok "$name has no password"; else ok "$name has no password"; fi
	if grep -qF -e "$tok" -e "${tok#rct_}" "$f"; then not_ok "$name has no API token"; else ok "$name has no API token"; fi
	if grep -qF -e "$session" -e "$CSRF" "$f"; then not_ok "$name has no session id or CSRF token"; else ok "$name has no session id or CSRF token"; fi
done

# Concurrent requests: one whole line each, none interleaved.
start=$(lines)
i=0
pids=""
while [ $i -lt 40 ]; do
	curl -sS -m 10 -o /dev/null "$BASE/api/v1/health?n=$i" &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do wait "$p"; done
settle $((start + 40))
is "$(( $(lines) - start ))" 40 "40 concurrent requests, 40 lines"
is "$(tail -n 40 "$LOG" | grep -Ec "$LINE")" 40 "each of them whole and well-formed"

# A long path is logged in full.
long="/api/v1/$(head -c 2000 /dev/zero | tr '\0' p)"
start=$(lines)
anon GET "$long"
settle $((start + 1))
like "$(tail -n 1 "$LOG")" " GET $long 404 " "a 2000-character path is logged in full"

# access_log = off writes nothing; '-' writes to stderr.
rc_stop
mv "$LOG" "$TEST_TMP/access.log.1"
ROOTCUT_ACCESS_LOG=off rc_serve
anon GET /api/v1/health
rc_stop
if [ -e "$LOG" ]; then not_ok "access_log = off writes no log"; else ok "access_log = off writes no log"; fi
: >"$TEST_TMP/server.log"
ROOTCUT_ACCESS_LOG=- rc_serve
anon GET /api/v1/health
rc_stop
like "$(cat "$TEST_TMP/server.log")" ' - GET /api/v1/health 200 ' "access_log = - writes the lines to stderr"
done_testing
