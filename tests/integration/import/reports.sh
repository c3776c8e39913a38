#!/bin/sh
# tests/integration/import/reports.sh - `rootcut import reports` and
# POST /api/v1/import: good rows kept and bad rows named by line and field,
# duplicates and a second import add nothing, Big5 and JSON Lines input,
# need-to-know on imported reports, one audit event per import, the
# progress bar only on a terminal.
. "$(dirname "$0")/../lib/common.sh"

rc_init || exit 1
DB="$DATA/rootcut.db"
q() { sqlite3 "$DB" "$1"; }

cat >"$TEST_TMP/a.csv" <<'CSV'
source_ref,agency,channel,reported_at,crime_type,loss_twd,phone:caller,bank_account:first_layer_account,url:website,narrative
t-1,CIB,165,2024-03-01,investment_fraud,"120,000",0912-345-678,822-1234567890,https://abc-invest.com/x,"對方說""保證獲利""
第二行"
t-2,CIB,165,2024-03-02,investment_fraud,5000,0912345678,822-1234567890;013-987654321012,,ok
t-3,CIB,165,2024-03-02,bad_type,5000,0912345678,,,x
t-4,CIB,165,2024-03-02,investment_fraud,5000,09123,,,x
t-2,CIB,165,2024-03-02,investment_fraud,5000,0912345678,,,the same source_ref again
,TPDP,police_station,113/03/05,investment_fraud,120000,+886 912 345 678,,,
,NOPE,165,2024-03-02,other,0,0912345678,,,unknown agency
CSV

OUT=$(rc_cli import reports "$TEST_TMP/a.csv" --rejects "$TEST_TMP/a.rejects" 2>"$TEST_TMP/a.err")
is "$?" 1 "exit status 1 when some rows are rejected"
like "$OUT" "7 rows: 3 stored .*, 1 already stored, 3 rejected" "the summary counts stored, already stored and rejected rows"
like "$(cat "$TEST_TMP/a.err")" "a.csv:5: crime_type: unknown crime type 'bad_type'" "a bad enumeration is named by line and field"
like "$(cat "$TEST_TMP/a.err")" "a.csv:6: phone:caller: cannot parse phone '09123'" "a bad identifier is named by line and column"
like "$(cat "$TEST_TMP/a.err")" "a.csv:9: agency: no agency 'NOPE'" "an unknown agency is named"
is "$(head -1 "$TEST_TMP/a.rejects" | tr -d '\r')" "line,field,reason,raw" "--rejects writes a CSV with a header"
is "$(tail -n +2 "$TEST_TMP/a.rejects" | cut -d, -f1 | tr '\n' ' ')" "5 6 9 " "--rejects lists every rejected line"
is "$(q "SELECT COUNT(*) FROM reports")" 3 "the good rows are stored"
is "$(q "SELECT narrative FROM reports WHERE source_ref = 't-1'")" "對方說\"保證獲利\"
第二行" "a quoted field keeps its quotes and line break"
is "$(q "SELECT report_count || ' ' || loss_twd FROM identifiers WHERE type = 'phone' AND value = '+886912345678'")" \
	"3 245000" "one phone however typed, counted once per report"
is "$(q "SELECT COUNT(*) FROM reports WHERE source_ref LIKE 'import:%'")" 1 "a row without source_ref gets one from its content"
is "$(unset ROOTCUT_X; rc_cli audit list --action report.import | grep -c report.import)" 1 "one audit event per import"

OUT=$(rc_cli import reports "$TEST_TMP/a.csv" 2>/dev/null)
like "$OUT" "7 rows: 0 stored .*, 4 already stored, 3 rejected" "a second import adds nothing"
is "$(q "SELECT COUNT(*) FROM reports")" 3 "still three reports"
unlike "$(cat "$TEST_TMP/a.err")" "importing|\\[#" "no progress bar when stderr is not a terminal"

# --bulk: one transaction, indexes rebuilt at its end; the same rows, and a re-run adds nothing.
OUT=$(rc_cli import reports "$TEST_TMP/a.csv" --bulk 2>/dev/null)
like "$OUT" "7 rows: 0 stored .*, 4 already stored, 3 rejected" "--bulk finds the stored rows too"
sed 's/^t-\([0-9]\)/b-\1/' "$TEST_TMP/a.csv" >"$TEST_TMP/bulk.csv"
OUT=$(rc_cli import reports "$TEST_TMP/bulk.csv" --bulk 2>/dev/null)
like "$OUT" "7 rows: 2 stored .*, 2 already stored, 3 rejected" "--bulk stores the new rows (the row without a source_ref is stored already)"
is "$(q "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN
	('reports_reported', 'reports_case', 'observations_report')")" 3 "--bulk leaves its indexes rebuilt"
is "$(q "PRAGMA integrity_check")" ok "the database is whole after --bulk"
is "$(q "SELECT report_count FROM identifiers WHERE type = 'phone' AND value = '+886912345678'")" \
	5 "--bulk counts as a normal import does"

# Header problems stop the import before any row.
printf 'crime,phone:caller\nx,0912345678\n' >"$TEST_TMP/h.csv"
rc_cli import reports "$TEST_TMP/h.csv" >/dev/null 2>"$TEST_TMP/h.err"
is "$?" 2 "an unknown column is a usage error"
like "$(cat "$TEST_TMP/h.err")" "column 'crime' is not a field: map it" "the unknown column is named with the fix"
rc_cli import reports "$TEST_TMP/h.csv" --map crime=crime_type --set channel=165 --set reported_at=2024-01-01 --agency CIB >/dev/null 2>&1
is "$?" 1 "--map renames a column (and the row's bad value is still rejected)"
rc_cli import reports "$TEST_TMP/a.csv" --map crim=crime_type >/dev/null 2>"$TEST_TMP/h.err"
like "$(cat "$TEST_TMP/h.err")" "the header has no column 'crim'" "a --map naming no column is refused"
rc_cli import reports "$TEST_TMP/h.csv" --set crime_type=nonsense --map crime=- >/dev/null 2>"$TEST_TMP/h.err"
like "$(cat "$TEST_TMP/h.err")" "unknown crime type 'nonsense'|set" "a bad --set value is refused before any row"

# Big5 (CP950), tab-separated, with a Chinese header mapped by --map.
printf '網址\t案情\t日期\nhttps://big5-scam.com/\t假投資網站，對方稱保證獲利\t113/05/01\n' |
	iconv -f UTF-8 -t CP950 >"$TEST_TMP/b.tsv"
rc_cli import reports "$TEST_TMP/b.tsv" --map 網址=url:website --map 案情=narrative --map 日期=reported_at \
	--set crime_type=investment_fraud --set channel=165 --agency CIB >/dev/null 2>"$TEST_TMP/b.err"
isnt "$?" 0 "Big5 read as UTF-8 is refused"
like "$(cat "$TEST_TMP/b.err")" "not valid UTF-8 \\(a Big5 file\\? use --encoding big5\\)|header" "the reason suggests --encoding big5"
OUT=$(rc_cli import reports "$TEST_TMP/b.tsv" --encoding big5 --map 網址=url:website --map 案情=narrative \
	--map 日期=reported_at --set crime_type=investment_fraud --set channel=165 --agency CIB 2>&1)
is "$?" 0 "Big5 with --encoding big5 imports"
is "$(q "SELECT narrative || ' ' || reported_at FROM reports WHERE narrative LIKE '假投資%'")" \
	"假投資網站，對方稱保證獲利 2024-04-30T16:00:00Z" "Big5 text and an ROC date arrive as UTF-8 and UTC"

# JSON Lines: the fields of POST /api/v1/reports, plus an agency code.
cat >"$TEST_TMP/c.jsonl" <<'JSONL'
{"source_ref":"j-1","agency":"CIB","channel":"165","reported_at":"2024-06-01","crime_type":"romance_fraud","loss":{"twd":30000},"identifiers":[{"type":"line_id","value":"lovescam88","role":"contact_account"}]}
{"source_ref":"j-2","agency":"CIB","channel":"165","reported_at":"2024-06-02","crime_type":"romance_fraud","identifiers":[{"type":"line_id","value":"a b","role":"contact_account"}]}
not json
{"source_ref":"j-3","agency":"CIB","channel":"165","crime_type":"romance_fraud"}
JSONL
OUT=$(rc_cli import reports "$TEST_TMP/c.jsonl" 2>"$TEST_TMP/c.err")
like "$OUT" "4 rows: 1 stored .*, 3 rejected" "JSON Lines: good line stored, bad lines rejected"
like "$(cat "$TEST_TMP/c.err")" "c.jsonl:2: identifiers\\[0\\].value: cannot parse LINE ID" "a bad identifier in JSON Lines is named by its path"
like "$(cat "$TEST_TMP/c.err")" "c.jsonl:3: record: not JSON" "a line that is not JSON is named"
like "$(cat "$TEST_TMP/c.err")" "c.jsonl:4: reported_at: is required" "an import needs reported_at (or --set)"

# The API: an investigator files rows as their own agency; need-to-know applies.
rc_serve || exit 1
INV=$(rc_token investigator.cib write,read)
PRO=$(rc_token prosecutor.tp read)
ANA=$(rc_token analyst read)
printf 'source_ref,channel,reported_at,crime_type,phone:caller\napi-1,165,2024-07-01,impersonation,0933-111-222\napi-2,165,2024-07-01,impersonation,0912\n' >"$TEST_TMP/d.csv"
BODY=$(curl -sS -m 20 -X POST -H "Authorization: Bearer $INV" --data-binary @"$TEST_TMP/d.csv" \
	-w '\n%{http_code}' "$BASE/api/v1/import?format=csv")
STATUS=$(printf '%s' "$BODY" | tail -n1); BODY=$(printf '%s' "$BODY" | sed '$d')
is "$STATUS" 200 "POST /api/v1/import answers 200"
is "$(json '[.rows, .accepted, .rejected, .duplicates] | join(" ")')" "2 1 1 0" "the counts"
is "$(json '.rejects[0] | "\(.line) \(.field)"')" "3 phone:caller" "a rejected row by line and field"
ID=$(json '.report_ids[0]')
is "$(q "SELECT a.code FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE r.id = $ID")" CIB "filed as the caller's agency"
bearer "$INV" POST "/api/v1/import?format=csv&agency=TPDP" "$(cat "$TEST_TMP/d.csv")"
is "$STATUS" 403 "an investigator may not import for another agency"
bearer "$PRO" GET "/api/v1/reports/$ID"
is "$STATUS" 404 "another office's prosecutor cannot read the imported report"
bearer "$ANA" GET "/api/v1/reports/$ID"
is "$STATUS" 200 "the center's analyst can"
bearer "$PRO" POST "/api/v1/import?format=csv" "$(cat "$TEST_TMP/d.csv")"
is "$STATUS" 403 "a read-only token cannot import"
bearer "$INV" POST "/api/v1/import?format=csv&map=x=y" "$(cat "$TEST_TMP/d.csv")"
is "$STATUS" 400 "a bad mapping is a 400"
is "$(json .error.field)" map "naming the field"

# On a terminal the progress bar is drawn (if script(1) is here to make one).
if command -v script >/dev/null 2>&1; then
	rc_cli demo generate --reports 300 --out "$TEST_TMP/p.jsonl"
	script -qec "'$ROOTCUT' --data '$DATA' import reports '$TEST_TMP/p.jsonl'" /dev/null >"$TEST_TMP/p.out" 2>&1
	like "$(cat "$TEST_TMP/p.out")" "importing \\(KiB\\) \\[#+\\] 100%" "a progress bar on a terminal"
else
	ok "# SKIP script(1) not installed"
fi

done_testing
