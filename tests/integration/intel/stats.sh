# Statistics for the dashboard (issue 4): reports counted by crime type, office,
# Taipei day and week; cases by office; the identifiers named across the most
# cases. Need-to-know: the center counts everything, a district office only
# what it may read, and an identifier seen only in another office's reports is
# never listed to it.
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }

report() { # channel crime loss reported_at phone
	api POST /api/v1/reports "{\"channel\":\"$1\",\"crime_type\":\"$2\",\"loss\":{\"twd\":$3},\"reported_at\":\"$4\",\"identifiers\":[{\"type\":\"phone\",\"value\":\"$5\",\"role\":\"caller\"}]}"
	[ "$STATUS" = 201 ] || not_ok "report $2 $4 filed" "$STATUS $BODY"
}
PERIOD='since=2026-03-01&until=2026-04-01'

rc_login prosecutor.tp
report 165 investment_fraud 100000 2026-03-02T09:00:00+08:00 0911-111-111
T1=$(json .report.id)
report police_station investment_fraud 100000 2026-03-02T20:00:00+08:00 0911-111-111
isnt "$(json '.report.duplicate_of // empty')" "" "the second channel's copy is a likely duplicate"
# 23:30 and 00:30 Taipei time are both 2 March in UTC: the Taipei day splits them
report 165 romance_fraud 3000 2026-03-02T23:30:00+08:00 0922-222-222
report 165 investment_fraud 7000 2026-03-03T00:30:00+08:00 0922-222-222
report 165 romance_fraud 1 2026-03-09T10:00:00+08:00 0944-444-444
api POST /api/v1/cases '{"number":"115年度偵字第2001號","title":"統計測試 北"}'
TPCASE=$(json .id)
api POST "/api/v1/cases/$TPCASE/reports" "{\"report_id\":$T1}"
is "$STATUS" 200 "the Taipei report is linked to the Taipei case"

rc_login prosecutor.ks
report 165 investment_fraud 200000 2026-03-04T10:00:00+08:00 0911-111-111
K1=$(json .report.id)
report 165 gambling 500 2026-03-05T10:00:00+08:00 0933-333-333
report 165 gambling 600 2026-03-06T10:00:00+08:00 0933-333-333
api POST /api/v1/cases '{"number":"115年度偵字第2002號","title":"統計測試 南"}'
KSCASE=$(json .id)
api POST "/api/v1/cases/$KSCASE/reports" "{\"report_id\":$K1}"

# the center: every report
rc_login analyst
api GET "/api/v1/stats/reports?$PERIOD&group_by=crime_type"
is "$STATUS" 200 "the center reads report counts"
is "$(json .scope)" all "as national figures"
is "$(json .count)" 7 "seven reports, the likely duplicate left out"
is "$(json .duplicates)" 1 "the duplicate is counted beside them"
is "$(json .loss_twd)" 311101 "the loss of the counted reports"
is "$(json '[.groups[] | "\(.key)=\(.count)"] | join(",")')" "investment_fraud=3,gambling=2,romance_fraud=2" "by crime type, largest first"
api GET "/api/v1/stats/reports?$PERIOD&group_by=agency"
is "$(json '[.groups[] | .count] | join(",")')" "4,3" "by office: Taipei 4, Kaohsiung 3"
like "$(json '.groups[1].name')" "高雄" "the office is named"
api GET "/api/v1/stats/reports?since=2026-03-09&until=2026-03-10"
is "$(json .count)" 1 "until and since bound the period (dates are Taipei midnight)"
api GET "/api/v1/stats/cases?since=2026-01-01&until=2030-01-01"
is "$(json .count)" 2 "the center counts both cases"
api GET /api/v1/stats/top-identifiers
is "$(json '.items[0].identifier.value')" "+886911111111" "the identifier in two cases comes first"
is "$(json '.items[0] | "\(.cases) \(.reports) \(.agencies) \(.readable_reports)"')" "2 2 2 2" "with its cases, reports, offices"
like "$(json '[.items[].identifier.value] | join(",")')" "\+886933333333" "the Kaohsiung-only phone is listed to the center"
unlike "$(json '[.items[].identifier.value] | join(",")')" "\+886944444444" "a phone named once is not"

# a district office: only what it may read
rc_login prosecutor.tp
api GET "/api/v1/stats/reports?$PERIOD&group_by=crime_type"
is "$(json .scope)" readable "a prosecutor's counts are of what they may read"
is "$(json .count)" 4 "four Taipei reports"
is "$(json '[.groups[] | "\(.key)=\(.count)"] | join(",")')" "investment_fraud=2,romance_fraud=2" "Kaohsiung's gambling reports are not counted"
api GET "/api/v1/stats/reports?$PERIOD&group_by=office"
is "$(json '[.groups[] | .count] | join(",")')" 4 "one office only"
api GET "/api/v1/stats/reports?$PERIOD&group_by=day"
is "$(json '[.groups[] | "\(.key)=\(.count)+\(.duplicates)"] | join(",")')" "2026-03-02=2+1,2026-03-03=1+0,2026-03-09=1+0" "by Taipei day, in time order"
api GET "/api/v1/stats/reports?$PERIOD&group_by=week"
is "$(json '[.groups[] | "\(.key)=\(.count)"] | join(",")')" "2026-03-02=3,2026-03-09=1" "by week, keyed by its Monday"
api GET "/api/v1/stats/cases?since=2026-01-01&until=2030-01-01&group_by=office"
is "$(json '.count')" 1 "a prosecutor counts the cases they are a member of"
api GET /api/v1/stats/top-identifiers
is "$(json '.items[0] | "\(.identifier.value) \(.cases) \(.reports) \(.readable_reports)"')" "+886911111111 2 2 1" "the shared phone with every case, one report readable"
unlike "$(json '[.items[].identifier.value] | join(",")')" "\+886933333333" "a phone only in Kaohsiung's reports is not listed"
is "$(json .count)" 2 "two identifiers in all"

# bad input names the field; other roles are refused
api GET "/api/v1/stats/reports?group_by=colour"
is "$STATUS:$(json .error.field)" "400:group_by" "an unknown grouping is refused naming group_by"
api GET "/api/v1/stats/reports?group_by=status"
is "$STATUS:$(json .error.field)" "400:group_by" "status is for cases only"
api GET "/api/v1/stats/reports?since=yesterday"
is "$STATUS:$(json .error.field)" "400:since" "a bad since is refused"
api GET "/api/v1/stats/reports?since=2026-03-02&until=2026-03-01"
is "$STATUS:$(json .error.field)" "400:until" "until before since is refused"
api GET "/api/v1/stats/top-identifiers?limit=0"
is "$STATUS:$(json .error.field)" "400:limit" "a limit of 0 is refused"
rc_login admin
api GET /api/v1/stats/reports
is "$STATUS" 403 "an administrator gets no report counts"
api GET /api/v1/stats/top-identifiers
is "$STATUS" 403 "nor identifiers"

done_testing
