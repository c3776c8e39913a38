# Listing management (intel/listing*.c): the warning list stops correlations
# and is kept by the center; identifiers that fan out are held for review and
# their hits withheld until an analyst decides; risk decisions are audited
# with old → new; an owner's dispute, once upheld, makes the lookup answer
# none and tells the submitter; reported-only listings age out while
# confirmed ones never do (ROOTCUT_FAKE_NOW); the lookup answer never carries
# case numbers or narratives. Users come from `rootcut init --demo`.
. "$(dirname "$0")/../lib/common.sh"
rc_init || { not_ok "init"; done_testing; exit 1; }
echo "fanout_review_threshold = 3" >>"$DATA/rootcut.conf"
rc_serve || { not_ok "server starts"; done_testing; exit 1; }

NARRATIVE="對方自稱投資老師 NARRATIVE-MARKER 保證獲利"
CASE_NUMBER="113年度偵字第4321號"
LOSS=1000

# file_report TYPE VALUE ROLE [AGENCY_ID [CASE_ID]]: a report by the current session
# with one identifier and a loss of its own (so no two are duplicates); sets
# REPORT_ID and leaves the answer in $BODY.
file_report() {
	LOSS=$((LOSS + 1))
	b=$(jq -nc --arg t "$1" --arg v "$2" --arg r "$3" --arg n "$NARRATIVE" \
		--argjson loss "$LOSS" --argjson agency "${4:-null}" --argjson case "${5:-null}" \
		'{channel: "165", crime_type: "investment_fraud", victim: {kind: "individual"},
		  loss: {twd: $loss}, narrative: $n,
		  identifiers: [{type: $t, value: $v, role: $r}]}
		 + (if $agency then {agency_id: $agency} else {} end)
		 + (if $case then {case_id: $case} else {} end)')
	api POST /api/v1/reports "$b"
	REPORT_ID=$(json '.report.id // empty')
}

# lookup TOKEN TYPE VALUE: ask the lookup service; the answer in $BODY
lookup() {
	bearer "$1" GET "/api/v1/lookup?type=$2&value=$(jq -rn --arg v "$3" '$v | @uri')"
}

# ident_id TYPE VALUE: the row id of an identifier (as the analyst session)
ident_id() {
	api GET "/api/v1/identifiers?type=$1&value=$(jq -rn --arg v "$2" '$v | @uri')"
	json .identifier.id
}

bank=$(rc_token bank.bot lookup,read,write)
bank_lookup=$(rc_token bank.bot lookup)

rc_login analyst
api GET /api/v1/agencies
tpdp=$(json '.items[] | select(.code == "TPDP") | .id')
ksdp=$(json '.items[] | select(.code == "KSDP") | .id')
cib=$(json '.items[] | select(.code == "CIB") | .id')

# ---- the warning list: who reads it, who keeps it ----

rc_login investigator.cib
api GET /api/v1/warning-list
is "$STATUS" 200 "an investigator reads the warning list"
is "$(json '[.items[] | select(.type == "phone" and .value == "165")] | length')" 1 \
	"the 165 hotline is on it by default"
is "$(json '[.items[] | select(.value == "165")][0].created_by')" null \
	"a shipped default has no creator"
api GET "/api/v1/warning-list?type=domain"
is "$(json '[.items[].type] | unique | join(",")')" domain "?type=domain lists domains only"
api GET "/api/v1/warning-list?type=nonsense"
is "$STATUS" 400 "an unknown ?type is 400"
is "$(json .error.field)" type "naming type"
bearer "$bank_lookup" GET /api/v1/warning-list
is "$STATUS" 403 "a lookup client does not read the warning list"

rc_login prosecutor.tp
api POST /api/v1/warning-list '{"type":"phone","value":"0800-024-365","reason":"bank service line"}'
is "$STATUS" 403 "a prosecutor cannot add to the warning list"
api DELETE /api/v1/warning-list/1
is "$STATUS" 403 "nor remove from it"

rc_login analyst
api POST /api/v1/warning-list '{"type":"phone","value":"0800-024-365"}'
is "$STATUS" 400 "adding without a reason is 400"
is "$(json .error.field)" reason "naming reason"
api POST /api/v1/warning-list '{"type":"phone","value":"12ab","reason":"x"}'
is "$STATUS" 400 "an unparsable value is 400"
is "$(json .error.field)" value "naming value"
api POST /api/v1/warning-list '{"type":"national_id","value":"A123456789","reason":"x"}'
is "$STATUS" 400 "a national ID cannot go on the warning list"
is "$(json .error.field)" type "naming type"
api POST /api/v1/warning-list '{"type":"phone","value":"0800-024-365","reason":"臺灣銀行客服 bank service line"}'
is "$STATUS" 201 "an analyst adds a bank's service number"
is "$(json .value)" "+886800024365" "stored in canonical form"
is "$(json .created_by)" analyst "with its creator"
bank_line=$(json .id)
api POST /api/v1/warning-list '{"type":"phone","value":"(0800)024365","reason":"again"}'
is "$STATUS" 409 "the same number in another spelling is a conflict"
api DELETE "/api/v1/warning-list/$bank_line"
is "$STATUS" 204 "an analyst removes an entry"
api DELETE "/api/v1/warning-list/$bank_line"
is "$STATUS" 404 "removing it again is 404"

# ---- the warning list stops a correlation ----

file_report phone 165 caller
is "$STATUS" 201 "a report naming the 165 hotline is stored"
file_report phone 165 caller
is "$(json .correlations.shared_identifiers)" 0 "a second report naming 165 correlates with nothing"
file_report url "https://www.google.com/search?q=invest" website
file_report url "https://www.google.com/maps/place/x" website
is "$(json .correlations.shared_identifiers)" 0 "URLs under google.com correlate with nothing"
file_report phone 0912-345-678 caller
first_real=$REPORT_ID
file_report phone "+886 912 345 678" caller
is "$(json .correlations.shared_identifiers)" 1 "two reports sharing a real phone correlate"
is "$(json '.correlations.items[0].reports[0].report_id')" "$first_real" "with the earlier report"

api POST /api/v1/warning-list '{"type":"phone","value":"0933-111-222","reason":"test: a shared switchboard"}'
listed=$(json .id)
file_report phone 0933-111-222 caller
file_report phone 0933111222 caller
is "$(json .correlations.shared_identifiers)" 0 "a number put on the list by hand stops correlating"
lookup "$bank_lookup" phone 0933111222
is "$(json .risk)" none "and the lookup answers none for it"
rc_cli warning list --type phone >"$TEST_TMP/warning.out" 2>&1
like "$(cat "$TEST_TMP/warning.out")" '\+886933111222 .*shared switchboard' \
	"rootcut warning list shows the entry and its reason"
api DELETE "/api/v1/warning-list/$listed"
file_report phone 0933-111-222 caller
is "$(json .correlations.shared_identifiers)" 1 "once removed, a new report correlates again"

# ---- review: an identifier that fans out is held ----

file_report phone 0955-000-333 caller "$tpdp"
fan1=$REPORT_ID
file_report phone 0955-000-333 caller "$ksdp"
is "$(json .correlations.shared_identifiers)" 1 "below the threshold the second report correlates"
file_report phone 0955-000-333 caller "$cib"
is "$(json '.correlations.items[0].identifier.under_review')" true \
	"the third report (fanout_review_threshold = 3) finds it held for review"
is "$(json '.correlations.items[0] | has("reports")')" false "and its hits are withheld"
like "$(json '.correlations.items[0].note')" 'awaiting review' "with a note saying why"
api GET "/api/v1/reports/$fan1/correlations"
is "$(json '.items[0] | has("reports")')" false "withheld for earlier reports too"
held=$(ident_id phone 0955000333)

api GET /api/v1/review
is "$STATUS" 200 "an analyst reads the review queue"
is "$(json "[.items[] | select(.identifier_id == $held)] | length")" 1 "the held phone is in it"
is "$(json ".items[] | select(.identifier_id == $held) | .report_count")" 3 "with its report count"
is "$(json ".items[] | select(.identifier_id == $held) | .agencies")" 3 \
	"and the number of distinct reporting agencies"
like "$(json ".items[] | select(.identifier_id == $held) | .first_seen")" '^20[0-9]{2}-' \
	"and when it was first seen"

rc_login prosecutor.tp
api GET /api/v1/review
is "$STATUS" 403 "a prosecutor does not read the review queue"
api POST "/api/v1/identifiers/$held/review" '{"decision":"correlate","reason":"x"}'
is "$STATUS" 403 "nor decides it"

rc_login analyst
api POST "/api/v1/identifiers/$held/review" '{"decision":"ignore","reason":"x"}'
is "$STATUS" 400 "an unknown decision is 400"
is "$(json .error.field)" decision "naming decision"
api POST "/api/v1/identifiers/$held/review" '{"decision":"correlate"}'
is "$(json .error.field)" reason "a decision needs a reason"
api POST "/api/v1/identifiers/$held/review" \
	'{"decision":"correlate","reason":"one call center: the reports are related"}'
is "$STATUS" 200 "an analyst clears it to correlate"
is "$(json .under_review)" false "it is no longer under review"
api GET "/api/v1/reports/$fan1/correlations"
is "$(json '.items[0].other_reports')" 2 "now the hits are shown"
api POST "/api/v1/identifiers/$held/review" '{"decision":"correlate","reason":"again"}'
is "$STATUS" 409 "deciding it again is a conflict"
api GET /api/v1/review
is "$(json "[.items[] | select(.identifier_id == $held)] | length")" 0 "and it left the queue"

for i in 1 2 3; do file_report domain "pay-gateway-demo.com.tw" website; done
gw=$(ident_id domain pay-gateway-demo.com.tw)
api POST "/api/v1/identifiers/$gw/review" \
	'{"decision":"warning_list","reason":"a payment gateway used by many shops"}'
is "$STATUS" 200 "an analyst sends a held domain to the warning list"
api GET "/api/v1/warning-list?type=domain"
is "$(json '[.items[] | select(.value == "pay-gateway-demo.com.tw")] | length')" 1 \
	"it is on the warning list"
file_report domain pay-gateway-demo.com.tw website
is "$(json .correlations.shared_identifiers)" 0 "and correlates with nothing"
rc_login auditor
api GET "/api/v1/audit?action=identifier.review"
is "$(json '.items | length')" 2 "both review decisions are audited"
like "$(json '[.items[].detail] | join(" | ")')" 'warning_list: a payment gateway' \
	"with the decision and reason"

# ---- risk decisions ----

rc_login analyst
file_report phone 0977-100-200 caller "$tpdp"
confirm_me=$(ident_id phone 0977100200)
file_report phone 0966-300-400 caller
reported_only=$(ident_id phone 0966300400)
file_report bank_account "822-1234567890" receiving_account
seize_me=$(ident_id bank_account 822-1234567890)

api POST "/api/v1/identifiers/$confirm_me/risk" '{"risk":"dangerous","reason":"x"}'
is "$STATUS" 400 "an unknown risk is 400"
is "$(json .error.field)" risk "naming risk"
api POST "/api/v1/identifiers/$confirm_me/risk" '{"risk":"confirmed"}'
is "$(json .error.field)" reason "a risk decision needs a reason"
bearer "$bank" POST "/api/v1/identifiers/$confirm_me/risk" '{"risk":"cleared","reason":"x"}'
is "$STATUS" 403 "a bank cannot decide risk"
rc_login investigator.cib
api POST "/api/v1/identifiers/$confirm_me/risk" '{"risk":"confirmed","reason":"x"}'
is "$STATUS" 403 "nor can an investigator"
rc_login prosecutor.ks
api POST "/api/v1/identifiers/$confirm_me/risk" '{"risk":"confirmed","reason":"x"}'
is "$STATUS" 404 "a prosecutor of another office with no report naming it gets 404"
rc_login prosecutor.tp
api POST "/api/v1/identifiers/$confirm_me/risk" \
	'{"risk":"confirmed","reason":"車手供述與帳戶資料相符 confirmed by the bank records"}'
is "$STATUS" 200 "the prosecutor whose office reported it confirms it"
is "$(json .risk)" confirmed "the risk is confirmed"
is "$(json .previous_risk)" reported "the answer gives the previous risk"
api POST "/api/v1/identifiers/$confirm_me/risk" '{"risk":"confirmed","reason":"again"}'
is "$STATUS" 409 "confirming it again is a conflict"
lookup "$bank_lookup" phone 0977100200
is "$(json .risk)" confirmed "the lookup answers confirmed"

rc_login analyst
api POST "/api/v1/identifiers/$seize_me/risk" '{"risk":"seized","reason":"扣押命令 court order"}'
is "$(json .risk)" seized "an analyst records a seizure"
lookup "$bank_lookup" bank_account 822-1234567890
is "$(json .risk)" seized "the lookup answers seized"
api POST "/api/v1/identifiers/$(ident_id phone 165)/risk" '{"risk":"confirmed","reason":"x"}'
is "$STATUS" 409 "a warning-listed identifier cannot be flagged"
like "$(json .error.message)" 'warning list' "the error says why"
api POST /api/v1/identifiers/999999/risk '{"risk":"confirmed","reason":"x"}'
is "$STATUS" 404 "an identifier that does not exist is 404"

rc_login auditor
api GET "/api/v1/audit?action=identifier.risk&object_id=$confirm_me"
like "$(json '.items[0].detail')" '^reported → confirmed: 車手供述' "risk changes are audited old → new"
is "$(json '.items[0].actor')" prosecutor.tp "with who decided"

# ---- disputes ----

rc_login analyst
file_report phone 0922-555-666 caller
file_report phone 0922-555-666 caller
disputed=$(ident_id phone 0922555666)
file_report phone 0911-777-888 caller
lookup "$bank_lookup" phone 0922555666
is "$(json .risk)" reported "a shop's number is reported"

bearer "$bank" POST /api/v1/disputes \
	'{"type":"phone","value":"0987-000-111","claimant":"x","reason":"y"}'
is "$STATUS" 404 "a dispute about a number that is not listed is 404"
is "$(json .error.field)" value "naming value"
like "$(json .error.message)" '987 000 111' "and the number"
bearer "$bank" POST /api/v1/disputes '{"type":"phone","value":"0922555666","reason":"y"}'
is "$STATUS" 400 "a dispute needs a claimant"
is "$(json .error.field)" claimant "naming claimant"
bearer "$bank" POST /api/v1/disputes \
	'{"type":"national_id","value":"A123456789","claimant":"x","reason":"y"}'
is "$STATUS" 400 "a national ID cannot be disputed through the lookup side"
bearer "$bank_lookup" POST /api/v1/disputes \
	'{"type":"phone","value":"0922555666","claimant":"x","reason":"y"}'
is "$STATUS" 403 "a lookup-only token cannot file disputes"
bearer "$bank" POST /api/v1/disputes '{"type":"phone","value":"0922-555-666","claimant":"王小明 (店家 shop owner)","contact":"02-2345-6789","reason":"這是我們店的訂位專線，被誤報 our booking line, reported by mistake"}'
is "$STATUS" 201 "a bank relays the shop owner's dispute"
is "$(json .status)" open "it is open"
is "$(json .identifier.value)" "+886922555666" "about the canonical number"
is "$(json .submitted_by)" bank.bot "submitted by the bank"
dispute1=$(json .id)
bearer "$bank" POST /api/v1/disputes '{"value":"0922555666","claimant":"x","reason":"again"}'
is "$STATUS" 409 "a second open dispute by the same submitter is a conflict"

lookup "$bank_lookup" phone 0922555666
is "$(json .risk)" reported "while open, the lookup answer is unchanged"
unlike "$BODY" 'dispute|王小明|claimant|booking' "and never shows the dispute"

rc_login investigator.cib
api POST /api/v1/disputes '{"type":"phone","value":"0911-777-888","claimant":"李先生","reason":"號碼是新申辦的 new subscriber"}'
is "$STATUS" 201 "an investigator files a dispute"
dispute2=$(json .id)
api GET /api/v1/disputes
is "$(json '[.items[].id] | join(",")')" "$dispute2" "an investigator lists only their own disputes"
bearer "$bank" GET /api/v1/disputes
is "$(json '[.items[].id] | join(",")')" "$dispute1" "the bank lists only its own"
rc_login analyst
api GET "/api/v1/disputes?status=open"
is "$(json .count)" 2 "an analyst lists every open dispute"
is "$(json ".items[] | select(.id == $dispute1) | .contact")" "02-2345-6789" \
	"with the claimant's contact"
api GET "/api/v1/disputes?status=pending"
is "$STATUS" 400 "an unknown ?status is 400"

rc_login prosecutor.tp
api POST "/api/v1/disputes/$dispute1/decision" '{"decision":"upheld"}'
is "$STATUS" 403 "a prosecutor cannot decide disputes"
rc_login analyst
api POST "/api/v1/disputes/$dispute1/decision" '{"decision":"accepted"}'
is "$STATUS" 400 "an unknown decision is 400"
is "$(json .error.field)" decision "naming decision"
api POST /api/v1/disputes/999999/decision '{"decision":"upheld"}'
is "$STATUS" 404 "deciding a dispute that does not exist is 404"
api POST "/api/v1/disputes/$dispute1/decision" \
	'{"decision":"upheld","note":"店家訂位專線，查證屬實 verified with the telecom"}'
is "$STATUS" 200 "an analyst upholds the dispute"
is "$(json .status)" upheld "it is upheld"
is "$(json .decided_by)" analyst "by the analyst"
api POST "/api/v1/disputes/$dispute1/decision" '{"decision":"rejected"}'
is "$STATUS" 409 "deciding it again is a conflict"

lookup "$bank_lookup" phone 0922555666
is "$(json .risk)" none "after upholding, the lookup answers none"
is "$(json .report_count)" 0 "with no counts"
api GET "/api/v1/identifiers/$disputed"
is "$(json .identifier.risk)" cleared "the record says cleared"
is "$(json '.reports | length')" 2 "and its reports remain"
rc_login investigator.cib
file_report phone 0922-555-666 caller "$cib"
is "$(json .correlations.shared_identifiers)" 1 "correlation for investigators is unchanged"
lookup "$bank_lookup" phone 0922555666
is "$(json .risk)" none "and a new report does not flag a cleared number again"

bearer "$bank" GET /api/v1/notifications
is "$(json '[.items[] | select(.kind == "dispute.decided")] | length')" 1 \
	"the bank is notified of the decision"
like "$(json '[.items[] | select(.kind == "dispute.decided")][0].title')" 'upheld' \
	"which says upheld"

rc_cli dispute list --status open >"$TEST_TMP/dispute.out" 2>&1
like "$(cat "$TEST_TMP/dispute.out")" "^ *$dispute2 +open .*李先生" "rootcut dispute list shows the open one"
unlike "$(cat "$TEST_TMP/dispute.out")" "王小明" "and not the decided one"
rc_cli dispute decide "$dispute1" rejected --note x >"$TEST_TMP/decide.out" 2>&1
is "$?" 5 "rootcut dispute decide on a decided dispute exits 5 (conflict)"
rc_cli dispute decide "$dispute2" rejected --note "號碼確為詐騙使用 confirmed in use by the ring" \
	>"$TEST_TMP/decide.out" 2>&1
is "$?" 0 "rootcut dispute decide rejects the other"
rc_login investigator.cib
api GET /api/v1/notifications
like "$(json '[.items[] | select(.kind == "dispute.decided")][0].title')" 'rejected' \
	"the investigator is notified of the rejection"
lookup "$bank_lookup" phone 0911777888
is "$(json .risk)" reported "a rejected dispute leaves the listing"

rc_login auditor
api GET "/api/v1/audit?action=dispute.uphold"
is "$(json '.items | length')" 1 "upholding is audited"
api GET "/api/v1/audit?action=dispute.reject"
like "$(json '.items[0].actor')" '^console:' "a console decision is audited with the console actor"
api GET "/api/v1/audit?action=identifier.risk&object_id=$disputed"
like "$(json '.items[0].detail')" "^reported → cleared: dispute $dispute1 upheld" \
	"the clearing is audited on the identifier"

# ---- the lookup answer never carries case data ----

rc_login analyst
api POST /api/v1/cases "{\"number\":\"$CASE_NUMBER\",\"title\":\"假投資機房\"}"
case_id=$(json .id)
file_report phone 0988-123-456 caller "" "$case_id"
file_report phone 0988-123-456 caller "" "$case_id"
lookup "$bank_lookup" phone 0988123456
is "$(json .risk)" reported "a phone of a case is reported"
is "$(json 'keys | join(",")')" "display,first_seen,flagged,last_seen,report_count,risk,type,value" \
	"the lookup answer has only its documented keys"
unlike "$BODY" "NARRATIVE-MARKER|偵字|假投資|victim|narrative|case" \
	"and no narrative, case number or victim"
bearer "$bank_lookup" POST /api/v1/lookup '{"items":[{"type":"phone","value":"0988123456"}]}'
is "$(json '.items[0] | keys | join(",")')" "display,first_seen,flagged,last_seen,report_count,risk,type,value" \
	"nor does the bulk answer"
unlike "$BODY" "NARRATIVE-MARKER|偵字|假投資" "which has no case data either"

# ---- CLI: the warning list ----

rc_cli warning add phone 0800-000-165 --reason "測試 test entry" >"$TEST_TMP/wadd.out" 2>&1
is "$?" 0 "rootcut warning add adds an entry"
entry=$(sed -n 's/^warning-list entry \([0-9]*\):.*/\1/p' "$TEST_TMP/wadd.out")
like "$entry" '^[0-9]+$' "and prints its id"
rc_cli warning add phone 0800-000-165 --reason again >/dev/null 2>&1
is "$?" 5 "adding it again exits 5 (conflict)"
rc_cli warning add phone 0800-000-166 >/dev/null 2>&1
is "$?" 2 "without --reason it is a usage error"
rc_cli warning remove "$entry" >/dev/null 2>&1
is "$?" 0 "rootcut warning remove removes it"
rc_cli warning remove "$entry" >/dev/null 2>&1
is "$?" 3 "removing it again exits 3 (not found)"

# ---- aging: reported-only listings age out, confirmed ones never ----

lookup "$bank_lookup" phone 0966300400
is "$(json .risk)" reported "today a reported-only listing is flagged"
rc_stop
later=$(($(date +%s) + 3 * 365 * 86400))
export ROOTCUT_FAKE_NOW=$later
rc_serve || { not_ok "server restarts three years later"; done_testing; exit 1; }
rc_cli token create --user bank.bot --name later --scopes lookup >"$TEST_TMP/tok"
later_token=$(tail -n1 "$TEST_TMP/tok")
lookup "$later_token" phone 0966300400
is "$(json .risk)" none \
	"three years later (lookup_report_ttl_days 365) the reported-only listing has aged out"
lookup "$later_token" phone 0977100200
is "$(json .risk)" confirmed "the confirmed one has not"
is "$(json .report_count)" 1 "and still gives its count"
lookup "$later_token" bank_account 822-1234567890
is "$(json .risk)" seized "nor has the seized one"
rc_cli lookup phone 0966300400 >"$TEST_TMP/lookup.out" 2>&1
like "$(cat "$TEST_TMP/lookup.out")" 'risk: none \(reported, but not within' \
	"rootcut lookup says why the listing aged out"
rc_login analyst
api GET "/api/v1/identifiers/$reported_only"
is "$(json .identifier.risk)" reported "investigators still see it as reported"

done_testing
