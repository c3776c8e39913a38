# CSRF protection: a state-changing request that comes with the session cookie
# must also carry the session's X-CSRF-Token; refusals are 403 and audited as
# access.denied. Bearer tokens are not sent by browsers and need no CSRF token.
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }

rc_login admin
session=$(rc_cookie)
good=$CSRF

cookie_req() { # METHOD PATH JSON [extra curl args]: the cookie, no CSRF header of ours
	m=$1 p=$2 d=$3
	shift 3
	anon "$m" "$p" "$d" -H "Cookie: rootcut_session=$session" "$@"
}
agency() { # CODE: JSON of a new agency
	printf '{"name":"測試機關 %s","code":"%s","kind":"government"}' "$1" "$1"
}

cookie_req POST /api/v1/agencies "$(agency CSRF1)"
is "$STATUS" 403 "POST with the cookie but no X-CSRF-Token is 403"
is "$(json .error.code)" forbidden "the error code is forbidden"
is "$(json .error.field)" X-CSRF-Token "the error names the X-CSRF-Token header"
cookie_req POST /api/v1/agencies "$(agency CSRF2)" -H "X-CSRF-Token: ${good}x"
is "$STATUS" 403 "POST with a wrong X-CSRF-Token is 403"
cookie_req POST /api/v1/agencies "$(agency CSRF3)" -H "X-CSRF-Token: $(printf '%s' "$good" | cut -c1-10)"
is "$STATUS" 403 "POST with a prefix of the right token is 403"
cookie_req POST /api/v1/agencies "$(agency CSRF4)" -H "X-CSRF-Token;"
is "$STATUS" 403 "POST with an empty X-CSRF-Token is 403"
cookie_req POST /api/v1/agencies "$(agency CSRF5)" -H 'Content-Type: text/plain'
is "$STATUS" 403 "a form-like text/plain POST with the cookie is 403"
cookie_req PATCH /api/v1/agencies/3 '{"name_en":"changed by CSRF"}'
is "$STATUS" 403 "PATCH without X-CSRF-Token is 403"
cookie_req DELETE /api/v1/session ""
is "$STATUS" 403 "DELETE /api/v1/session (sign-out) without X-CSRF-Token is 403"

# Nothing was changed by the refused requests.
cookie_req GET /api/v1/agencies ""
is "$STATUS" 200 "GET needs no X-CSRF-Token"
is "$(json '[.items[] | select(.code | startswith("CSRF"))] | length')" 0 "no refused agency was created"
is "$(json '.items[] | select(.id == 3) | .name_en')" "Taichung District Prosecutors Office" "the refused PATCH changed nothing"
cookie_req GET /api/v1/session ""
is "$STATUS" 200 "the refused sign-out left the session open"

cookie_req POST /api/v1/agencies "$(agency CSRF6)" -H "X-CSRF-Token: $good"
is "$STATUS" 201 "POST with the right X-CSRF-Token is 201"

# The token belongs to its session: another session's token does not do.
rc_login admin
other=$CSRF
isnt "$other" "$good" "a second session has another CSRF token"
cookie_req POST /api/v1/agencies "$(agency CSRF7)" -H "X-CSRF-Token: $other"
is "$STATUS" 403 "another session's CSRF token is refused"

# Signing in needs no CSRF token (there is no session yet).
anon POST /api/v1/session "{\"username\":\"analyst\",\"password\":\"$(rc_password analyst)\"}"
is "$STATUS" 201 "POST /api/v1/session needs no X-CSRF-Token"

# Bearer tokens need none.
tok=$(rc_token admin admin,write,read)
bearer "$tok" POST /api/v1/agencies "$(agency CSRF8)"
is "$STATUS" 201 "a bearer token writes without X-CSRF-Token"
bearer "$tok" POST /api/v1/agencies "$(agency CSRF9)" -H "X-CSRF-Token: nonsense"
is "$STATUS" 201 "a bearer token ignores a stray X-CSRF-Token"
# A bearer token wins over a cookie sent alongside: still no CSRF needed, and
# the caller is the token's user.
bearer "$tok" POST /api/v1/agencies "$(agency CSRFA)" -H "Cookie: rootcut_session=$session"
is "$STATUS" 201 "bearer token plus cookie: the token decides, no CSRF needed"

# The refusals are in the audit log as access.denied.
rc_login auditor
api GET "/api/v1/audit?action=access.denied&limit=100"
is "$STATUS" 200 "the auditor lists access.denied events"
n=$(json '[.items[] | select(.detail == "missing or wrong CSRF token")] | length')
is "$n" 8 "each of the 8 CSRF refusals was audited"
is "$(json '[.items[] | select(.detail == "missing or wrong CSRF token") | .actor] | unique | join(",")')" admin \
	"the events name the session's user"
is "$(json '[.items[] | select(.detail == "missing or wrong CSRF token") | .outcome] | unique | join(",")')" denied \
	"with outcome denied"
like "$(json '[.items[] | select(.detail == "missing or wrong CSRF token") | .object_id] | unique | join(",")')" \
	'/api/v1/agencies' "and the endpoint"
done_testing
