# The lookup service (issue 3): a bank's token asks whether identifiers are
# flagged; the answer has risk, counts and dates, never case fields; bulk
# lookups answer each item; national IDs are refused; scopes are enforced.
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }

rc_login prosecutor.tp
api POST /api/v1/cases '{"number":"115年度偵字第77號"}'
CASE=$(json .id)
api POST /api/v1/reports "{\"channel\":\"165\",\"crime_type\":\"investment_fraud\",\"case_id\":$CASE,\"narrative\":\"被害人陳小姐遭騙\",\"occurred_at\":\"2026-11-01\",\"identifiers\":[{\"value\":\"0912-345-678\",\"role\":\"caller\"},{\"type\":\"bank_account\",\"value\":\"822-1234567890\",\"role\":\"receiving_account\"},{\"type\":\"url\",\"value\":\"https://fake-invest.example.com/join\",\"role\":\"website\"},{\"type\":\"phone\",\"value\":\"0911-000-111\",\"role\":\"victim\"}]}"
is "$STATUS" 201 "a report with a case"

TOKEN=$(rc_token bank.bot lookup)
like "$TOKEN" "^rct_" "the bank's api_client gets a lookup token"
bearer "$TOKEN" GET '/api/v1/lookup?type=phone&value=%2B886%20912%20345%20678'
is "$STATUS" 200 "GET /api/v1/lookup answers"
is "$(json .risk)" reported "a reported phone is flagged"
is "$(json .value)" "+886912345678" "the answer gives the canonical form"
is "$(json .report_count)" 1 "with its count"
is "$(json '.first_seen | length > 0')" true "and when it was first seen"
is "$(json 'keys | sort | join(",")')" "display,first_seen,flagged,last_seen,report_count,risk,type,value" "the answer carries exactly these fields"
unlike "$BODY" "115年度|陳小姐|narrative|case" "never a case number, narrative or victim"

bearer "$TOKEN" GET '/api/v1/lookup?value=0911000111'
is "$(json .risk)" none "the victim's own number is not flagged"
bearer "$TOKEN" GET '/api/v1/lookup?type=phone&value=165'
is "$(json .risk)" none "the 165 hotline is never flagged"
bearer "$TOKEN" GET '/api/v1/lookup?type=national_id&value=A123456789'
is "$STATUS" 400 "national IDs are refused"
is "$(json .error.field)" type "naming the type"
bearer "$TOKEN" GET '/api/v1/lookup?type=phone&value=12'
is "$STATUS" 400 "a value that does not parse is 400"
is "$(json .error.field)" value "naming the value"

bearer "$TOKEN" POST /api/v1/lookup '{"items":[{"type":"bank_account","value":"822-1234567890"},{"type":"url","value":"hxxps://fake-invest.example[.]com/join"},{"type":"phone","value":"0900000000"},{"type":"phone","value":"x"}]}'
is "$STATUS" 200 "a bulk lookup answers"
is "$(json '[.items[] | .risk // "error"] | join(",")')" "reported,reported,none,error" "one answer per item, in order"
is "$(json .flagged)" 2 "two are flagged"
is "$(json '.items[3].error.field')" value "the bad item names its field"

i=0; items=""
while [ $i -lt 10001 ]; do items="$items{\"type\":\"phone\",\"value\":\"09$(printf %08d $i)\"},"; i=$((i + 1)); done
printf '{"items":[%s]}' "${items%,}" >"$TEST_TMP/big.json"
BODY=$(curl -sS -m 60 -X POST -H "Authorization: Bearer $TOKEN" --data-binary @"$TEST_TMP/big.json" -w '\n%{http_code}' "$BASE/api/v1/lookup")
STATUS=$(printf '%s' "$BODY" | tail -n1); BODY=$(printf '%s' "$BODY" | sed '$d')
is "$STATUS" 413 "more than 10,000 values is refused"

READ=$(rc_token bank.bot read)
bearer "$READ" GET '/api/v1/lookup?type=phone&value=0912345678'
is "$STATUS" 403 "a token without the lookup scope is refused"
bearer "$TOKEN" GET "/api/v1/reports"
is "$STATUS" 403 "the bank's client cannot read reports"

OUT=$("$ROOTCUT" --data "$DATA" lookup auto 0912345678)
like "$OUT" "risk: reported" "rootcut lookup answers from the console"
done_testing
