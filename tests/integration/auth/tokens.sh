# API tokens: created through the API and the CLI, shown once, stored hashed,
# narrowed to their scopes (a read token cannot write; /metrics needs the
# metrics scope), revocable, expiring.
. "$(dirname "$0")/../lib/common.sh"
now=$(date +%s)
rc_init || { not_ok "init"; done_testing; exit 1; }
ROOTCUT_FAKE_NOW=$now rc_serve || { not_ok "server starts"; done_testing; exit 1; }

# Through the API, for oneself.
rc_login prosecutor.tp
api POST /api/v1/tokens '{"name":"reader","scopes":["read"]}'
is "$STATUS" 201 "POST /api/v1/tokens creates a token"
read_tok=$(json .token)
read_id=$(json .id)
like "$read_tok" '^rct_[A-Za-z0-9_-]{40,}$' "the secret is in the answer, once"
is "$(json '.scopes | join(",")')" read "with the asked scopes"
is "$(json .username)" prosecutor.tp "for the caller"
like "$(json .expires_at)" '^20[0-9]{2}-' "it expires (90 days by default)"
api POST /api/v1/tokens '{"name":"writer","scopes":"read,write","expires_in_days":1}'
is "$STATUS" 201 "scopes may be given as a comma list"
write_tok=$(json .token)
write_id=$(json .id)
api POST /api/v1/tokens '{"name":"nothing"}'
is "$STATUS" 400 "a token without scopes is 400"
is "$(json .error.field)" scopes "the error names 'scopes'"
api POST /api/v1/tokens '{"name":"bad","scopes":["read","superuser"]}'
is "$STATUS" 400 "an unknown scope is 400"
is "$(json .error.field)" scopes "the error names 'scopes'"
api POST /api/v1/tokens '{"name":"theirs","scopes":["read"],"user_id":5}'
is "$STATUS" 403 "a non-admin cannot create a token for someone else"
is "$(json .error.field)" user_id "the error names 'user_id'"

api GET /api/v1/tokens
is "$STATUS" 200 "GET /api/v1/tokens lists one's tokens"
is "$(json .count)" 2 "the two tokens of the user"
unlike "$BODY" "$read_tok" "the list does not contain the secret"
unlike "$BODY" "$write_tok" "nor the other secret"
is "$(json '[.items[].prefix] | map(length) | unique | join(",")')" 10 "only a 10-character prefix identifies each"

# Scopes are enforced.
bearer "$read_tok" GET /api/v1/users
is "$STATUS" 200 "a read token reads"
is "$(json '.items[0].agency_id')" 2 "as its user (own agency only)"
bearer "$read_tok" GET /api/v1/session
is "$(json .via)" token "GET /api/v1/session says the caller came by token"
is "$(json .csrf_token)" null "and gives no CSRF token"
bearer "$read_tok" POST /api/v1/tokens '{"name":"more","scopes":["read"]}'
is "$STATUS" 403 "a read-only token cannot POST"
is "$(json .error.code)" forbidden "the error code is forbidden"
bearer "$write_tok" POST /api/v1/tokens '{"name":"more","scopes":["read"]}'
is "$STATUS" 201 "a write token may create a token with fewer scopes"
bearer "$write_tok" POST /api/v1/tokens '{"name":"more","scopes":["read","admin"]}'
is "$STATUS" 403 "but not one with scopes it lacks"
is "$(json .error.field)" scopes "the error names 'scopes'"
bearer "$write_tok" DELETE /api/v1/session
is "$STATUS" 409 "a token cannot sign out (it has no session)"

# Scopes narrow the user's roles; they never widen them.
ptok=$(rc_token prosecutor.tp admin,read,write)
bearer "$ptok" POST /api/v1/agencies '{"name":"x","code":"XTOK","kind":"bank"}'
is "$STATUS" 403 "an admin-scoped token of a non-admin still cannot use admin endpoints"
atok=$(rc_token admin read)
bearer "$atok" POST /api/v1/agencies '{"name":"x","code":"XTOK","kind":"bank"}'
is "$STATUS" 403 "an admin's read-only token cannot write"
bearer "$atok" GET /api/v1/users
is "$STATUS" 200 "an admin's read token reads"
is "$(json '[.items[].agency_id] | unique | join(",")')" 1 "but with the reach of 'read' (own agency), not admin's"

# /metrics: admin or api_client role, and the metrics scope.
bank_read=$(rc_token bank.bot read)
bearer "$bank_read" GET /metrics
is "$STATUS" 403 "a token without the metrics scope gets 403 on /metrics"
out=$(rc_cli token create --user bank.bot --name monitor --scopes metrics)
is "$?" 0 "rootcut token create exits 0"
bank_metrics=$(printf '%s\n' "$out" | tail -n1)
like "$bank_metrics" '^rct_' "the CLI prints the secret"
like "$out" 'shown once' "and says it is shown once"
bearer "$bank_metrics" GET /metrics
is "$STATUS" 200 "a token with the metrics scope gets 200 on /metrics"
like "$(header Content-Type)" '^text/plain; version=0\.0\.4' "Prometheus text format content type"
like "$BODY" '# TYPE rootcut_http_requests_total counter' "it has the request counter"
like "$BODY" 'rootcut_http_requests_total\{method="GET",route="/api/v1/users",status="2xx"\} [0-9]+' \
	"counted by route and status class"
like "$BODY" 'rootcut_http_request_duration_seconds_bucket\{.*le="\+Inf"\}' "and a latency histogram"
bad=$(printf '%s\n' "$BODY" | grep -v '^#' | grep -Ev '^[a-z_:][a-z0-9_:]*(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+$' | head -3)
is "$bad" "" "every sample line is valid Prometheus text"
inv_metrics=$(rc_token investigator.cib metrics)
bearer "$inv_metrics" GET /metrics
is "$STATUS" 403 "the metrics scope alone is not enough without the role"
anon GET /metrics
is "$STATUS" 401 "/metrics without a token is 401"

rc_cli token list >"$TEST_TMP/list.txt" 2>&1
is "$?" 0 "rootcut token list exits 0"
like "$(cat "$TEST_TMP/list.txt")" 'monitor' "it lists the CLI token"
if grep -qF -e "$bank_metrics" -e "$read_tok" -e "$write_tok" "$TEST_TMP/list.txt"; then
	not_ok "the CLI list shows no secret"
else
	ok "the CLI list shows no secret"
fi

# Revocation: through the API and the CLI; the secret stops working at once.
rc_login prosecutor.ks
api DELETE "/api/v1/tokens/$read_id"
is "$STATUS" 404 "another user cannot revoke someone's token (404, not 403)"
bearer "$read_tok" GET /api/v1/session
is "$STATUS" 200 "so it still works"
rc_login prosecutor.tp
api DELETE "/api/v1/tokens/$read_id"
is "$STATUS" 204 "the owner revokes the token"
bearer "$read_tok" GET /api/v1/session
is "$STATUS" 401 "a revoked token is 401"
is "$(json .error.field)" authorization "the error names 'authorization'"
api DELETE "/api/v1/tokens/$read_id"
is "$STATUS" 409 "revoking twice is 409"
api GET /api/v1/tokens
is "$(json ".items[] | select(.id == $read_id) | .active")" false "the list shows it inactive"
bank_id=$(rc_cli token list --user bank.bot | awk '$3 == "monitor" { print $1 }')
# Used a few times first: the server caches token lookups on several connections.
for i in 1 2 3 4 5 6; do bearer "$bank_metrics" GET /metrics; done
is "$STATUS" 200 "the token works before it is revoked"
rc_cli token revoke "$bank_id" >/dev/null
is "$?" 0 "rootcut token revoke exits 0"
bearer "$bank_metrics" GET /metrics
is "$STATUS" 401 "the token revoked by the CLI is 401"
refused=0
for i in 1 2 3 4 5 6; do bearer "$bank_metrics" GET /metrics; [ "$STATUS" = 401 ] && refused=$((refused + 1)); done
is "$refused" 6 "and stays 401 on every request, whichever connection serves it"

# Unknown, malformed and expired tokens.
bearer "rct_$(printf 'x%.0s' $(seq 43))" GET /api/v1/session
is "$STATUS" 401 "an unknown token is 401"
bearer "not-a-token" GET /api/v1/session
is "$STATUS" 401 "a malformed token is 401"
anon GET /api/v1/session "" -H "Authorization: Basic YWRtaW46YWRtaW4="
is "$STATUS" 401 "Basic authentication is 401"
anon GET /api/v1/session "" -H "Authorization: Bearer"
is "$STATUS" 401 "an empty Bearer is 401"
bearer "$write_tok" GET /api/v1/session
is "$STATUS" 200 "the 1-day token works today"
rc_stop
ROOTCUT_FAKE_NOW=$((now + 86400 + 60)) rc_serve
bearer "$write_tok" GET /api/v1/session
is "$STATUS" 401 "a day later it has expired: 401"
bearer "$ptok" GET /api/v1/session
is "$STATUS" 200 "a 90-day token still works"

# A disabled user's tokens stop working.
rc_cli user disable prosecutor.tp >/dev/null
bearer "$ptok" GET /api/v1/session
is "$STATUS" 401 "a disabled user's token is 401"
rc_stop

# Only hashes are stored: no secret is in the data directory.
if grep -rqF -e "$read_tok" -e "$write_tok" -e "$ptok" -e "$bank_metrics" "$DATA"; then
	not_ok "no token secret is stored in the data directory"
else
	ok "no token secret is stored in the data directory"
fi
is "$(sqlite3 "$DATA/rootcut.db" 'SELECT COUNT(*) FROM api_tokens WHERE length(token_hash) = 64')" \
	"$(sqlite3 "$DATA/rootcut.db" 'SELECT COUNT(*) FROM api_tokens')" "every token is stored as a SHA-256"
done_testing
