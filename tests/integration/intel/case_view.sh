# A case's page (issue 4): the identifiers of its reports with cross-case
# counts, and its timeline read from the audit log; editing the case and its
# members shows up there. Members and the center only; every read is audited.
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }
uid() { "$ROOTCUT" --data "$DATA" user show "$1" | awk '$1 == "id:" { print $2 }'; }
CIB=$(uid investigator.cib)

rc_login prosecutor.tp
api POST /api/v1/cases '{"number":"115年度偵字第3001號","title":"案件頁測試"}'
CASE=$(json .id)
api POST /api/v1/reports "{\"channel\":\"165\",\"crime_type\":\"impersonation\",\"case_id\":$CASE,\"identifiers\":[{\"value\":\"0955-123-456\",\"role\":\"caller\"},{\"value\":\"0911-000-999\",\"role\":\"victim\"}]}"
api POST /api/v1/reports '{"channel":"165","crime_type":"impersonation","loss":{"twd":4321},"identifiers":[{"value":"0955123456","role":"caller"},{"type":"bank_account","value":"822-1234567890","role":"receiving_account"}]}'
R2=$(json .report.id)
api POST "/api/v1/cases/$CASE/reports" "{\"report_id\":$R2}"
is "$STATUS" 200 "the owner links a second report"
api PATCH "/api/v1/cases/$CASE" '{"status":"investigating"}'
api PATCH "/api/v1/cases/$CASE" '{"title":"案件頁測試（更新）"}'
is "$(json .title)" "案件頁測試（更新）" "the owner changes the title"
api POST "/api/v1/cases/$CASE/members" "{\"user_id\":$CIB,\"role\":\"investigator\"}"
is "$STATUS" 200 "the owner adds a member"
api DELETE "/api/v1/cases/$CASE/members/$CIB"
is "$STATUS" 204 "and removes them"

rc_login prosecutor.ks
api POST /api/v1/cases '{"number":"115年度偵字第3002號"}'
KSCASE=$(json .id)
api POST /api/v1/reports "{\"channel\":\"165\",\"crime_type\":\"impersonation\",\"case_id\":$KSCASE,\"identifiers\":[{\"value\":\"+886 955 123 456\",\"role\":\"caller\"}]}"
api GET "/api/v1/cases/$CASE/identifiers"
is "$STATUS" 404 "another office cannot read the case's identifiers"
api GET "/api/v1/cases/$CASE/events"
is "$STATUS" 404 "nor its timeline"

rc_login prosecutor.tp
api GET "/api/v1/cases/$CASE/identifiers"
is "$STATUS" 200 "the owner reads the case's identifiers"
is "$(json '[.items[].value] | join(",")')" "+886955123456,822-1234567890" "the shared phone first; the victim's own phone left out"
is "$(json '.items[0] | "\(.case_reports) \(.other_cases) \(.all_reports)"')" "2 1 3" "the phone: 2 reports here, 1 other case, 3 reports in all"
is "$(json '.items[1] | "\(.case_reports) \(.other_cases)"')" "1 0" "the account: in this case only"
api GET "/api/v1/cases/$CASE/events"
is "$STATUS" 200 "the owner reads the timeline"
is "$(json '[.items[].action] | map(select(. != "report.reported")) | join(",")')" \
	"case.create,case.report.link,case.update,case.update,case.member.add,case.member.remove" \
	"every change of the case, in order"
is "$(json '[.items[] | select(.action == "case.update") | .detail] | join(" | ")')" \
	"status open → investigating | title 案件頁測試（更新）" "what changed, from what"
is "$(json '[.items[] | select(.action == "case.member.remove") | .detail] | join("")')" investigator.cib "who was removed"
is "$(json '[.items[] | select(.action == "report.reported") | .report_id] | length')" 2 "both reports are on the timeline"
is "$(json '[.items[] | select(.action == "case.create") | .actor] | join("")')" prosecutor.tp "with who did it"

rc_login analyst
api GET "/api/v1/cases/$CASE/identifiers"
is "$STATUS" 200 "the center reads any case's identifiers"
rc_login admin
api GET "/api/v1/cases/$CASE/events"
is "$STATUS" 403 "an administrator may not read case timelines"
AUDIT=$(rc_cli audit list --limit 200)
like "$AUDIT" "case.identifiers" "reading a case's identifiers is audited"
like "$AUDIT" "case.events.*denied|denied.*case.events" "a refused timeline read is audited as denied"

done_testing
