# Need-to-know access: the policy table decides by role (403 for an endpoint a
# role may not use) and by agency (another agency's object is 404, never its
# data). Refusals are audited. Users come from `rootcut init --demo`:
# prosecutor.tp (TPDP, id 4), prosecutor.ks (KSDP, id 5), admin, auditor, ...
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }

rc_login prosecutor.tp
is "$(json .agency.code)" TPDP "prosecutor.tp belongs to TPDP"
tp_agency=$(json .user.agency_id)

# Another agency's object: 404, and nothing of it in the answer.
api GET /api/v1/users/5
is "$STATUS" 404 "prosecutor.tp reading prosecutor.ks (KSDP) is 404"
unlike "$BODY" 'prosecutor\.ks' "the answer does not contain the other user's name"
unlike "$BODY" '張美玲|\\u5F35' "nor their display name"
msg_other=$(json .error.message | sed 's/[0-9]*$//')
api GET /api/v1/users/99999
is "$STATUS" 404 "a user id that does not exist is 404 too"
is "$(json .error.message | sed 's/[0-9]*$//')" "$msg_other" "with the same message: existence does not leak"
api GET /api/v1/users/4
is "$STATUS" 200 "prosecutor.tp reads their own record"
api GET /api/v1/users/abc
is "$STATUS" 404 "a malformed id is 404"

# Lists show one's own agency only.
api GET /api/v1/users
is "$STATUS" 200 "prosecutor.tp lists users"
is "$(json '[.items[].agency_id] | unique | join(",")')" "$tp_agency" "only users of their own agency"
unlike "$BODY" 'prosecutor\.ks' "prosecutor.ks is not in the list"
api GET "/api/v1/users?agency_id=4"
is "$STATUS" 404 "asking for another agency's users is 404"
unlike "$BODY" 'prosecutor\.ks' "and names none of them"

# Endpoints the role may not use: 403 naming the role, nothing done.
api POST /api/v1/users '{"username":"sneaky.user","agency_id":2,"roles":["admin"]}'
is "$STATUS" 403 "a prosecutor cannot create users"
is "$(json .error.field)" role "the error names 'role'"
api PATCH /api/v1/users/4 '{"roles":["admin"]}'
is "$STATUS" 403 "a prosecutor cannot give themselves the admin role"
api POST /api/v1/users/5/password
is "$STATUS" 403 "a prosecutor cannot reset someone's password"
api POST /api/v1/agencies '{"name":"x","code":"XX","kind":"bank"}'
is "$STATUS" 403 "a prosecutor cannot create agencies"
api GET /api/v1/audit
is "$STATUS" 403 "a prosecutor cannot read the audit log"
api GET /api/v1/audit/verify
is "$STATUS" 403 "nor verify it"
api GET /api/v1/agencies
is "$STATUS" 200 "every user reads the agency directory"
api GET /api/v1/policy
is "$STATUS" 200 "GET /api/v1/policy lists what the caller may do"
is "$(json '[.endpoints[] | select(.method == "POST" and .path == "/api/v1/users")] | length')" 0 \
	"the prosecutor's policy has no POST /api/v1/users"
is "$(json '.endpoints[] | select(.method == "GET" and .path == "/api/v1/users") | .reach')" agency \
	"and GET /api/v1/users with agency reach"

# Tokens: one's own only.
rc_login prosecutor.ks
api POST /api/v1/tokens '{"name":"ks","scopes":["read"]}'
ks_token_id=$(json .id)
rc_login prosecutor.tp
api GET "/api/v1/tokens?user_id=5"
is "$STATUS" 404 "listing another user's tokens is 404"
api DELETE "/api/v1/tokens/$ks_token_id"
is "$STATUS" 404 "revoking another user's token is 404"

# Admin reaches every agency.
rc_login admin
api GET /api/v1/users
is "$STATUS" 200 "admin lists users"
is "$(json .count)" "$(sqlite3 "$DATA/rootcut.db" 'SELECT COUNT(*) FROM users')" "admin sees every user"
is "$(json '[.items[].agency_id] | unique | length')" \
	"$(sqlite3 "$DATA/rootcut.db" 'SELECT COUNT(DISTINCT agency_id) FROM users')" "of every agency"
api GET /api/v1/users/5
is "$STATUS" 200 "admin reads prosecutor.ks"
is "$(json .username)" prosecutor.ks "and gets the record"
api GET /api/v1/audit
is "$STATUS" 403 "admin is not an auditor: GET /api/v1/audit is 403"
api PATCH /api/v1/users/1 '{"roles":["auditor"]}'
is "$STATUS" 409 "an admin cannot drop their own admin role"

# The auditor reads the audit log, and nothing else of admin's.
rc_login auditor
api GET /api/v1/audit
is "$STATUS" 200 "the auditor reads the audit log"
like "$(json .count)" '^[1-9][0-9]*$' "it has events"
api GET /api/v1/audit/verify
is "$STATUS" 200 "the auditor verifies the chain"
is "$(json .intact)" true "the chain is intact"
api POST /api/v1/users '{"username":"x.y","agency_id":1,"roles":["auditor"]}'
is "$STATUS" 403 "the auditor cannot create users"
for who in analyst reviewer.acs dns.twnic investigator.cib; do
	rc_login "$who"
	api GET /api/v1/audit
	is "$STATUS" 403 "$who cannot read the audit log"
done

# Moving a user to another agency moves their visibility with them.
rc_login admin
api PATCH /api/v1/users/5 '{"agency_id":2}'
is "$STATUS" 200 "admin moves prosecutor.ks to TPDP"
rc_login prosecutor.tp
api GET /api/v1/users/5
is "$STATUS" 200 "now prosecutor.tp sees prosecutor.ks"
rc_login prosecutor.ks
api GET /api/v1/users
is "$(json '[.items[].agency_id] | unique | join(",")')" 2 "and prosecutor.ks sees TPDP's users"

# The refusals were audited with who, what and the outcome.
rc_login auditor
api GET "/api/v1/audit?action=access.denied&actor=prosecutor.tp&limit=100"
n=$(json '[.items[] | select(.detail | test("role"))] | length')
[ "$n" -ge 6 ] && ok "prosecutor.tp's role refusals are audited ($n)" || not_ok "prosecutor.tp's role refusals are audited" "$n events"
like "$(json '[.items[].object_id] | join(" ")')" '/api/v1/users/\{id\}/password' "naming the endpoint"
is "$(json '[.items[].agency_id] | unique | join(",")')" "$tp_agency" "and the caller's agency"

# Every routed endpoint has a policy row (the server would not start otherwise)
# and the CLI prints the table.
rc_cli routes >"$TEST_TMP/routes.txt"
is "$?" 0 "rootcut routes exits 0"
like "$(cat "$TEST_TMP/routes.txt")" 'GET +/api/v1/audit +audit' "it lists the audit endpoint"
like "$(grep -A1 'GET    /api/v1/audit ' "$TEST_TMP/routes.txt" | tail -n1)" 'roles auditor' "with its role"
done_testing
