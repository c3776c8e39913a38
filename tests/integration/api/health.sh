# The public health check and OpenAPI document answer without signing in.
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }
ok "server starts on $BASE"

BODY=$(curl -sS -m 10 -w '\n%{http_code}' "$BASE/api/v1/health"); STATUS=$(printf '%s' "$BODY" | tail -n1); BODY=$(printf '%s' "$BODY" | sed '$d')
is "$STATUS" 200 "GET /api/v1/health answers 200 without credentials"
is "$(json .status)" ok "health reports status ok"
is "$(json .database)" ok "health reports the database ok"

api GET /api/v1/openapi.json
is "$STATUS" 200 "the OpenAPI document is served"
is "$(json .openapi | cut -c1-2)" "3." "it is an OpenAPI 3 document"

api GET /api/v1/users
is "$STATUS" 401 "an API endpoint without credentials is 401"
is "$(json .error.code)" unauthorized "the error body names the code"
done_testing
