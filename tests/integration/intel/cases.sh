# Cases, need-to-know and the way in (issue 3): a case is readable by its members
# and the center only; a blind hit's case can be asked for access; its owner
# grants and the requester then reads it; watchers hear of new reports.
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }
uid() { "$ROOTCUT" --data "$DATA" user show "$1" | awk '$1 == "id:" { print $2 }'; }

rc_login prosecutor.tp
api POST /api/v1/cases '{"number":"１１５年度偵字第１２３４號","title":"假投資群組"}'
is "$STATUS" 201 "a prosecutor opens a case (full-width digits accepted)"
is "$(json .number)" "115年度偵字第1234號" "the case number is stored canonically"
CASE=$(json .id)
api POST /api/v1/cases '{"number":"115年偵1234"}'
is "$STATUS" 400 "a malformed case number is refused"
is "$(json .error.field)" number "naming the number field"
api POST /api/v1/cases '{"number":"115年度偵字第1234號"}'
is "$STATUS" 409 "the same case number twice is a conflict"

api POST /api/v1/reports "{\"channel\":\"165\",\"crime_type\":\"online_shopping\",\"case_id\":$CASE,\"identifiers\":[{\"value\":\"0987-654-321\",\"role\":\"caller\"}]}"
is "$STATUS" 201 "a report filed into the case"
R1=$(json .report.id)
is "$(json .report.case_id)" "$CASE" "the report is linked to the case"
api POST /api/v1/reports "{\"channel\":\"165\",\"crime_type\":\"online_shopping\",\"case_id\":$CASE,\"identifiers\":[{\"value\":\"0987-000-111\",\"role\":\"caller\"}]}"
api GET "/api/v1/cases/$CASE"
is "$(json '.members[0].username')" prosecutor.tp "the creator is the case's owner"
is "$(json '.reports | length')" 2 "the case lists both of its reports"
api PATCH "/api/v1/cases/$CASE" '{"status":"investigating"}'
is "$(json .status)" investigating "the owner changes the status"
api PATCH "/api/v1/cases/$CASE" '{"status":"sleeping"}'
is "$(json .error.field)" status "an unknown status is refused naming the field"

# another office: blind hit, 404 on the case, then ask for access
rc_login prosecutor.ks
api POST /api/v1/watches '{"type":"phone","value":"0987654321","note":"高雄案關聯"}'
is "$STATUS" 201 "a prosecutor watches the phone"
api POST /api/v1/reports '{"channel":"police_station","crime_type":"online_shopping","identifiers":[{"value":"0987654321","role":"caller"}]}'
is "$(json '.correlations.items[0].blind[0].case_ids[0]')" "$CASE" "the blind hit gives the case as a handle"
api GET "/api/v1/cases/$CASE"
is "$STATUS" 404 "a non-member cannot read the case"
api POST "/api/v1/cases/$CASE/access-requests" '{"reason":"同一支電話出現在高雄的假網拍案"}'
is "$STATUS" 201 "the non-member asks for access"
REQ=$(json .id)
is "$(json .status)" pending "the request is pending"
api POST "/api/v1/cases/$CASE/access-requests" '{"reason":"again"}'
is "$STATUS" 409 "a second pending request is refused"
api POST "/api/v1/access-requests/$REQ/decision" '{"grant":true}'
is "$STATUS" 404 "the requester cannot decide their own request"

rc_login prosecutor.tp
api GET /api/v1/notifications
like "$(json '.items[0].title')" "115年度偵字第1234號" "the owner is notified of the request"
rc_login investigator.cib
api POST "/api/v1/cases/$CASE/access-requests" '{"reason":"刑事局也查到同一支電話"}'
REQ2=$(json .id)
rc_login prosecutor.tp
api GET /api/v1/access-requests
is "$(json '[.to_decide[].id] | sort | map(tostring) | join(",")')" "$(printf '%s\n' "$REQ" "$REQ2" | sort -n | paste -sd,)" "the owner sees both requests to decide"
api POST "/api/v1/access-requests/$REQ/decision" '{"grant":"yes"}'
is "$(json .error.field)" grant "grant must be a boolean"
api POST "/api/v1/access-requests/$REQ/decision" '{"grant":true,"note":"同意調閱"}'
is "$(json .status)" granted "the owner grants it"
api POST "/api/v1/access-requests/$REQ/decision" '{"grant":false}'
is "$STATUS" 409 "a decided request cannot be decided again"
# the Taipei prosecutor files another report with the watched phone
api POST /api/v1/reports '{"channel":"165","crime_type":"online_shopping","identifiers":[{"value":"+886987654321","role":"caller"}]}'

rc_login prosecutor.ks
api GET "/api/v1/cases/$CASE"
is "$STATUS" 200 "after the grant the requester reads the case"
is "$(json '[.members[] | select(.username=="prosecutor.ks") | .role] | join(",")')" viewer "as a viewer"
api GET "/api/v1/reports/$R1"
is "$STATUS" 200 "and the case's reports"
api PATCH "/api/v1/cases/$CASE" '{"status":"closed"}'
is "$STATUS" 403 "a viewer cannot change the case"
api GET /api/v1/notifications
like "$(json '[.items[].kind] | join(",")')" "access.decided" "the requester is told of the decision"
like "$(json '[.items[].kind] | join(",")')" "watch.hit" "the watcher is told of the new report"
is "$(json .unread)" 2 "both are unread"
N=$(json '.items[0].id')
api POST "/api/v1/notifications/$N/read"
is "$STATUS" 204 "a notification is marked read"
api GET /api/v1/notifications
is "$(json .unread)" 1 "one is left unread"

rc_login auditor
api GET '/api/v1/audit?action=case.access.*'
like "$(json '[.items[].action] | join(",")')" "case.access.grant" "the grant is audited"
like "$(json '[.items[].action] | join(",")')" "case.access.request" "the request is audited"

# the CLI works on the same data
"$ROOTCUT" --data "$DATA" case add "115年度他字第7號" --office KSDP --owner prosecutor.ks >"$TEST_TMP/case.out" 2>&1
is "$?" 0 "rootcut case add opens a case"
"$ROOTCUT" --data "$DATA" case add "115年度他字第7號" --office KSDP --owner prosecutor.ks >"$TEST_TMP/case.out" 2>&1
isnt "$?" 0 "the same case twice fails"
like "$(cat "$TEST_TMP/case.out")" "number.*already exists" "naming the number"
done_testing
