# Who may do what with incidents (auth/policy.c for roles, incident/access.c
# for agencies): another agency's reporter or reviewer gets 404 and never the
# data, a role without the step gets 403, bad input is 400 naming the field,
# a phoned-in report entered by the service center keeps the time of the
# call, and every refusal and read is audited.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/incident.sh"
inc_start || { not_ok "server starts"; done_testing; exit 1; }
rc_cli user roles prosecutor.tp reporter >/dev/null # a reporter of TPDP, under no ministry

rc_login reporter.tpech
api POST /api/v1/incidents '{"title":"phishing","description":"staff credentials phished","level":1,
	"discovered_at":"2026-01-01T07:50:00+08:00"}'
is "$STATUS" 201 "the hospital files"
ID=$(json .id)
TPDP=$(rc_cli_sql "SELECT id FROM agencies WHERE code = 'TPDP'")
api POST /api/v1/incidents "{\"agency_id\":$TPDP,\"title\":\"x\",\"description\":\"y\",\"level\":1,
	\"discovered_at\":\"2026-01-01T07:50:00+08:00\"}"
is "$STATUS" 403 "a reporter cannot file for another agency"
is "$(json .error.field)" agency "naming the field"
api POST "/api/v1/incidents/$ID/review" '{}'
is "$STATUS" 403 "a reporter cannot review (no reviewer role)"

for body in '{"title":"x","description":"y","level":5,"discovered_at":"2026-01-01T00:00:00Z"}:level' \
	'{"title":"x","description":"y","level":1,"discovered_at":"yesterday-ish"}:discovered_at' \
	'{"title":"x","description":"y","level":1}:discovered_at' \
	'{"title":"x","description":"y","level":1,"discovered_at":"2026-01-02T00:00:00Z"}:discovered_at' \
	'{"title":"x","level":1,"discovered_at":"2026-01-01T00:00:00Z"}:description' \
	'{"title":"x","description":"y","level":1,"discovered_at":"2026-01-01T00:00:00Z","colour":1}:colour' \
	'{"title":"x","description":"y","level":1,"discovered_at":"2026-01-01T00:00:00Z","indicators":["ip:999.1.1.1"]}:indicators[0]' \
	'{"title":"x","description":"y","level":1,"discovered_at":"2026-01-01T00:00:00Z","impact":{"integrity":9}}:impact.integrity'; do
	api POST /api/v1/incidents "${body%:*}"
	is "$STATUS:$(json .error.field)" "400:${body##*:}" "refused naming ${body##*:}"
done

rc_login prosecutor.tp
api GET "/api/v1/incidents/$ID"
is "$STATUS" 404 "another agency's reporter: 404"
unlike "$BODY" "phishing" "and none of its data"
api GET /api/v1/incidents
is "$STATUS:$(json '.items | length')" "200:0" "an empty list"
api POST "/api/v1/incidents/$ID/close-report" '{}'
is "$STATUS" 404 "a step on another agency's incident: 404"

rc_login reviewer.acs
api GET "/api/v1/incidents/$ID"
is "$STATUS" 404 "a reviewer of an unrelated authority: 404"
api POST "/api/v1/incidents/$ID/review" '{}'
is "$STATUS" 404 "cannot review it"
rc_login investigator.cib
api GET /api/v1/incidents
is "$STATUS" 403 "an investigator has no incident role: 403"

rc_login reviewer.mohw
api GET /api/v1/incidents
is "$(json '[.items[].id] | join(",")')" "$ID" "the authority sees its subordinate's incident"
api POST "/api/v1/incidents/$ID/rereview" '{}'
is "$STATUS" 403 "the authority cannot re-review"
api POST "/api/v1/incidents/$ID/review" '{"decision":"return"}'
is "$STATUS:$(json .error.field)" "400:note" "returning needs a note"
api POST "/api/v1/incidents/$ID/review" '{"decision":"return","note":"which accounts were phished?"}'
is "$(json .state)" returned "returned for more information"
rc_login reporter.tpech
api POST "/api/v1/incidents/$ID/supplement" '{"note":"3 accounts; passwords reset"}'
is "$(json .state)" reported "supplemented: reported again"
is "$(json '[.deadlines[] | select(.kind == "review")] | map(.state) | join(",")')" "met,open" \
	"the review deadline runs again"

rc_login analyst
api GET "/api/v1/incidents/$ID"
is "$STATUS" 200 "the center's analysts see every incident"
api POST "/api/v1/incidents/$ID/review" '{}'
is "$STATUS" 403 "but take no step"

# the network is down: the hospital phoned the service center at 08:40; entered at 09:30
set_now $((T0 + 5400))
TPECH=$(rc_cli_sql "SELECT id FROM agencies WHERE code = 'TPECH'")
rc_login reviewer.nics
api POST /api/v1/incidents "{\"agency_id\":$TPECH,\"phoned\":true,\"reported_at\":\"2026-01-01T08:40:00+08:00\",
	\"caller\":\"資訊室 吳佳穎\",\"title\":\"network down\",\"description\":\"core switch attacked\",\"level\":2,
	\"discovered_at\":\"2026-01-01T08:10:00+08:00\"}"
is "$STATUS" 201 "the service center enters a phoned-in report"
P=$(json .id)
is "$(json .reported_at)" "2026-01-01T00:40:00Z" "it keeps the time of the call"
is "$(json .entered_at)" "$(iso $((T0 + 5400)))" "and records when it was entered"
is "$(json .entered_by)" "$(rc_cli_sql "SELECT id FROM users WHERE username = 'reviewer.nics'")" "and by whom"
is "$(json .reported_by)" null "no reporter account filed it"
is "$(json '.deadlines[] | select(.kind == "report") | .state')" met "the call came within 1 h"
is "$(json '.deadlines[] | select(.kind == "review") | .due_at')" "2026-01-01T08:40:00Z" \
	"the review counts from the call"
timeline_has "$P" "phoned in at 2026-01-01T00:40:00Z by 資訊室 吳佳穎; entered by reviewer.nics"
is "$?" 0 "the timeline says who phoned and who entered it"
api POST /api/v1/incidents "{\"agency_id\":$TPECH,\"phoned\":true,\"title\":\"x\",\"description\":\"y\",\"level\":1,
	\"discovered_at\":\"2026-01-01T08:10:00+08:00\"}"
is "$STATUS:$(json .error.field)" "400:reported_at" "a phoned-in report needs the time of the call"
rc_login reviewer.mohw
api POST /api/v1/incidents "{\"agency_id\":$TPECH,\"phoned\":true,\"reported_at\":\"2026-01-01T08:40:00+08:00\",
	\"title\":\"x\",\"description\":\"y\",\"level\":1,\"discovered_at\":\"2026-01-01T08:10:00+08:00\"}"
is "$STATUS" 403 "the authority does not enter phoned-in reports"

# the console: list and file
out=$(rc_cli incident file --agency TPECH --title "late" --description "found yesterday" --level 1 \
	--discovered 2026-01-01T00:00:00+08:00 --indicator 0912-345-678 2>&1)
like "$out" "incident [0-9]+ \(reported, level 1\)" "the console files"
L=$(printf '%s' "$out" | sed -n 's/^incident \([0-9]*\).*/\1/p')
like "$(rc_cli incident show "$L")" "report +due 2025-12-31T17:00:00Z .*met late" \
	"a report after 1 h is recorded as late"
like "$(rc_cli incident show "$L")" "indicator: phone \+886912345678" "the phone number normalised"
like "$(rc_cli incident list --agency MOHW)" "TPECH" "the console lists an authority's subordinates"
out=$(rc_cli incident review "$L" --level 9 2>&1)
is "$?" 2 "a bad level is a usage error"

for a in incident.read incident.file incident.review incident.rereview; do
	n=$(rc_cli_sql "SELECT COUNT(*) FROM audit_events WHERE action = '$a' AND outcome = 'denied'")
	isnt "${n:-0}" 0 "refusals audited: $a"
done
check "the audit chain verifies" rc_cli audit verify

done_testing
