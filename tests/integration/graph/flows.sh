#!/bin/sh
# tests/integration/graph/flows.sh - `rootcut import flows` and POST
# /api/v1/flows/import: bad rows named by line and field, good rows kept, a
# second import adds nothing; the analyses through CLI and API, with the
# roles that may and may not ask, and every query audited.
. "$(dirname "$0")/../lib/common.sh"

rc_init || exit 1
DB="$DATA/rootcut.db"
q() { sqlite3 "$DB" "$1"; }

cat >"$TEST_TMP/t.csv" <<'CSV'
交易序號,轉出帳號,轉入帳號,金額,交易時間,交易管道
T1,822-123456789012,808-1234567890123,"50,000",2024-03-01 10:00,網銀
T2,808-1234567890123,812-12345678901234,49000,2024-03-01 11:00,ATM
T3,808-1234567890123,013-123456789012,1000,2024-02-01 11:00,ATM
T4,bad,812-12345678901234,49000,2024-03-01 11:00,ATM
T5,822-123456789012,808-1234567890123,abc,2024-03-01 11:00,ATM
CSV

OUT=$(rc_cli import flows "$TEST_TMP/t.csv" --kind transfer --rejects "$TEST_TMP/t.rej" 2>"$TEST_TMP/t.err")
is "$?" 1 "exit status 1 when some rows are rejected"
like "$OUT" "5 rows: 3 transfer flows stored, 0 already stored, 2 rejected" "the summary counts"
like "$(cat "$TEST_TMP/t.err")" "t.csv:5: from_account: cannot parse bank account 'bad'" "a bad account is named by line and column"
like "$(cat "$TEST_TMP/t.err")" "t.csv:6: amount: 'abc' is not a whole amount" "a bad amount is named by line and column"
is "$(tail -n +2 "$TEST_TMP/t.rej" | cut -d, -f1 | tr '\n' ' ')" "5 6 " "--rejects lists every rejected line"
is "$(q "SELECT COUNT(*) FROM flows WHERE kind = 'transfer'")" 3 "the good rows are stored"
OUT=$(rc_cli import flows "$TEST_TMP/t.csv" --kind transfer --quiet 2>/dev/null)
like "$OUT" "0 transfer flows stored, 3 already stored, 2 rejected" "a second import adds nothing"
is "$(q "SELECT COUNT(*) FROM flows")" 3 "still three flows"
is "$(rc_cli audit list --action flow.import | grep -c flow.import)" 2 "one audit event per import"

printf 'caller,callee,start\n0912-345-678,0912-345-678,2024-03-01\n' >"$TEST_TMP/self.csv"
rc_cli import flows "$TEST_TMP/self.csv" --kind call --quiet >/dev/null 2>&1
is "$?" 1 "a call to oneself is rejected"
printf 'caller,who\n' >"$TEST_TMP/h.csv"
ERR=$(rc_cli import flows "$TEST_TMP/h.csv" --kind call 2>&1 >/dev/null)
like "$ERR" "header: unknown column 'who' for call flows" "an unknown column stops the import"
rc_cli import flows "$TEST_TMP/t.csv" >/dev/null 2>&1
is "$?" 2 "--kind is required"

OUT=$(rc_cli graph layering --start bank_account:808-1234567890123)
is "$(printf '%s' "$OUT" | jq '.layers[1].accounts')" 1 "layer 2 has the account paid after the money came"
is "$(printf '%s' "$OUT" | jq -r '.layers[1].top[0].value')" "812-12345678901234" "and not the one paid a month before"
rc_cli graph bogus >/dev/null 2>&1
is "$?" 2 "an unknown analysis is a usage error"
ERR=$(rc_cli graph path --from 1 2>&1 >/dev/null)
like "$ERR" "to: is required" "path needs both ends"

rc_serve || exit 1
rc_login analyst
printf '{"caller":"0912-000-111","callee":"0933-222-333","start":"2024-03-02T10:00:00+08:00","duration":60,"cell":"46692-1234","imei":"490154203237518"}\n{"caller":"0912-000-111","callee":"x"}\n' >"$TEST_TMP/c.jsonl"
BODY=$(curl -sS -m 20 -b "$JAR" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/x-ndjson' \
	--data-binary @"$TEST_TMP/c.jsonl" -w '\n%{http_code}' "$BASE/api/v1/flows/import?kind=call")
STATUS=$(printf '%s' "$BODY" | tail -1)
BODY=$(printf '%s' "$BODY" | sed '$d')
is "$STATUS" 200 "analysts import flows over HTTP"
is "$(json '.accepted')" 1 "the good line is stored"
is "$(json '.rejects[0].line')" 2 "the bad line is named"
is "$(json '.rejects[0].field')" callee "with its field"
is "$(q "SELECT COUNT(*) FROM flows WHERE kind = 'call' AND imei_id IS NOT NULL AND cell = '46692-1234'")" 1 "the call keeps its handset and cell"
api GET "/api/v1/graph/clusters?limit=5"
is "$STATUS" 200 "analysts ask for clusters"
api GET "/api/v1/graph/neighbourhood?id=phone:0912-000-111&depth=2"
is "$STATUS" 200 "and a neighbourhood by TYPE:VALUE"
is "$(json '.reached')" 4 "the phone, its callee, handset and cell"
api GET "/api/v1/graph/path?from=phone:0912-000-111"
is "$STATUS" 400 "a path without its end is refused"
is "$(json '.error.field')" to "naming the field"
api GET "/api/v1/graph/clusters?depth=3"
is "$STATUS" 400 "an option the analysis does not take is refused"
api GET "/api/v1/graph/nothing"
is "$STATUS" 404 "an unknown analysis is not found"
is "$(q "SELECT COUNT(*) FROM audit_events WHERE action = 'graph.query'")" 5 "every query that ran is audited, failed ones too (2 by CLI, 3 by API)"

rc_login dns.twnic
api GET "/api/v1/graph/clusters"
is "$STATUS" 403 "DNS operators may not run the analyses"
BODY=$(curl -sS -m 20 -b "$JAR" -H "X-CSRF-Token: $CSRF" --data-binary @"$TEST_TMP/t.csv" \
	-o /dev/null -w '%{http_code}' "$BASE/api/v1/flows/import?kind=transfer")
is "$BODY" 403 "nor import flows"
rc_login prosecutor.tp
api GET "/api/v1/graph/call-centers"
is "$STATUS" 200 "prosecutors run the analyses within need-to-know"

done_testing
