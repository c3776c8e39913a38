# Reports, correlation and need-to-know (issue 3): filing a report returns what it
# shares with earlier ones; another office sees blind hits only; a report of
# another agency is 404; victims' own identifiers never correlate; a duplicate
# from another channel is linked and not counted twice.
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }

rc_login prosecutor.tp
api POST /api/v1/reports '{"channel":"165","crime_type":"investment_fraud","occurred_at":"2026-10-01","loss":{"twd":300000},"payment_method":"transfer","narrative":"對方LINE ID是abc123，叫我匯到中信822-1234567890","identifiers":[{"type":"line_id","value":"abc123","role":"contact_account"},{"type":"bank_account","value":"822-1234567890","role":"receiving_account"},{"value":"0912-345-678","role":"caller"},{"type":"phone","value":"0911-111-111","role":"victim"}]}'
is "$STATUS" 201 "a prosecutor files a report"
R1=$(json .report.id)
is "$(json .correlations.shared_identifiers)" 0 "the first report shares nothing"
is "$(json '.report.identifiers | map(.value) | sort | join(",")')" "+886911111111,+886912345678,822-1234567890,abc123" "identifiers are stored in canonical form"
is "$(json '.report.identifiers[] | select(.type=="bank_account") | .detail.bank_name')" "中國信託商業銀行" "the bank account names its bank"

api POST /api/v1/reports '{"channel":"165","crime_type":"investment_fraud","identifiers":[{"type":"phone","value":"0912","role":"caller"}]}'
is "$STATUS" 400 "a bad phone number is refused"
is "$(json .error.field)" "identifiers[0].value" "the error names the identifier's field"
like "$(json .error.message)" "phone" "the reason says what is wrong"

api POST /api/v1/reports '{"channel":"165","crime_type":"nonsense"}'
is "$(json .error.field)" crime_type "an unknown crime type names the field"

rc_login prosecutor.ks
api POST /api/v1/reports '{"channel":"police_station","crime_type":"investment_fraud","occurred_at":"2026-10-20","loss":{"twd":50000},"identifiers":[{"value":"+886 912 345 678","role":"caller"},{"type":"phone","value":"0911111111","role":"victim"},{"type":"url","value":"hxxps://www.google[.]com/search","role":"website"}]}'
is "$STATUS" 201 "another office files a report naming the same caller"
R2=$(json .report.id)
is "$(json .correlations.shared_identifiers)" 1 "it shares exactly one identifier (not the victim's, not google.com)"
is "$(json '.correlations.items[0].identifier.value')" "+886912345678" "the shared identifier is the caller's phone"
is "$(json '.correlations.items[0].reports | length')" 0 "the other office's report is not listed in full"
is "$(json '.correlations.items[0].blind[0].office')" "臺灣臺北地方檢察署" "it is a blind hit naming the owning office"
is "$(json '.correlations.items[0].blind[0].reports')" 1 "the blind hit counts one report"
unlike "$BODY" "abc123|822-1234567890|對方" "the blind hit leaks no identifiers or narrative of the other report"

api GET "/api/v1/reports/$R1"
is "$STATUS" 404 "the other office's report is 404"
unlike "$BODY" "investment_fraud" "and its data is not in the answer"

rc_login analyst
api GET "/api/v1/reports/$R1"
is "$STATUS" 200 "the center's analyst reads any report"
api GET "/api/v1/reports/$R2/correlations"
is "$(json '.items[0].reports[0].report_id')" "$R1" "the analyst sees the related report in full"
api GET '/api/v1/identifiers?type=phone&value=0912345678'
is "$(json .identifier.report_count)" 2 "the phone was reported twice"
is "$(json .identifier.first_seen | cut -c1-10)" "2026-09-30" "first seen is the earliest occurrence (Asia/Taipei midnight in UTC)"
api GET '/api/v1/identifiers?type=phone&value=0911111111'
is "$(json .identifier.report_count)" 0 "a victim's own number never counts"

# the same victim's loss through a second channel is a duplicate
rc_login investigator.cib
api POST /api/v1/reports '{"channel":"online_form","crime_type":"investment_fraud","occurred_at":"2026-10-02","loss":{"twd":300000},"identifiers":[{"type":"bank_account","value":"822 1234567890","role":"receiving_account"}]}'
is "$STATUS" 201 "a report of the same loss through the online form is stored"
is "$(json .report.duplicate_of)" "$R1" "it is linked as a likely duplicate of the first"
rc_login analyst
api GET '/api/v1/identifiers?type=bank_account&value=822-1234567890'
is "$(json .identifier.report_count)" 1 "the duplicate is not counted twice"

# source_ref makes a re-sent report idempotent
rc_login prosecutor.tp
api POST /api/v1/reports '{"source_ref":"165-2026-0001","channel":"165","crime_type":"gambling"}'
is "$STATUS" 201 "a report with a source reference is stored"
api POST /api/v1/reports '{"source_ref":"165-2026-0001","channel":"165","crime_type":"gambling"}'
is "$STATUS" 409 "the same source reference again is a conflict"
is "$(json .error.field)" source_ref "naming source_ref"

api GET /api/v1/reports
is "$(json '[.items[].agency] | unique | join(",")')" "臺灣臺北地方檢察署" "a prosecutor lists only reports their office may read"

# every read of case-level data is audited
rc_login auditor
api GET '/api/v1/audit?action=report.read'
like "$(json '[.items[].outcome] | join(",")')" "ok" "successful report reads are in the audit log"
like "$(json '[.items[].outcome] | join(",")')" "denied" "refused report reads are in the audit log"
done_testing
