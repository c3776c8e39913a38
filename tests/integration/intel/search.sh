# Report text search (issue 4): GET /api/v1/reports?q= finds reports by words
# of their narrative, among those the caller may read; every word must be
# there, LIKE's wildcards are plain characters, and bad input names q.
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }

narr() { # narrative
	api POST /api/v1/reports "{\"channel\":\"165\",\"crime_type\":\"investment_fraud\",\"narrative\":\"$1\",\"identifiers\":[{\"value\":\"0966-555-444\",\"role\":\"caller\"}]}"
	[ "$STATUS" = 201 ] || not_ok "report filed" "$STATUS $BODY"
}
rc_login prosecutor.tp
narr "被害人在臉書看到飆股老師廣告，加入LINE群組後匯款。"
TP=$(json .report.id)
narr "網購 100% 保證退款的假客服。"
rc_login prosecutor.ks
narr "飆股老師要求被害人下載假投資App。"
KS=$(json .report.id)

rc_login prosecutor.tp
api GET "/api/v1/reports?q=飆股老師"
is "$STATUS" 200 "a prosecutor searches report text"
is "$(json '[.items[].id] | join(",")')" "$TP" "only the report of their own office matches"
api GET "/api/v1/reports?q=%E9%A3%86%E8%82%A1%E3%80%80%E5%BB%A3%E5%91%8A"
is "$(json '[.items[].id] | join(",")')" "$TP" "two words (an ideographic space between) must both appear"
api GET "/api/v1/reports?q=飆股%20不存在的字"
is "$(json .count)" 0 "a word that is not there matches nothing"
api GET "/api/v1/reports?q=100%25"
is "$(json .count)" 1 "100% finds the text 100%"
api GET "/api/v1/reports?q=%25"
is "$(json .count)" 1 "a lone % is a character, not a wildcard"
api GET "/api/v1/reports?q=_"
is "$(json .count)" 0 "and _ likewise"
api GET "/api/v1/reports?q=%20%20"
is "$STATUS:$(json .error.field)" "400:q" "no words is refused naming q"
api GET "/api/v1/reports?q=x&crime_type=gambling"
is "$STATUS:$(json .error.field)" "400:q" "q is not combined with other filters"
rc_login analyst
api GET "/api/v1/reports?q=飆股老師"
is "$(json '[.items[].id] | join(",")')" "$KS,$TP" "the center finds both, newest first"
api GET "/api/v1/reports?q=飆股老師&before_id=$KS"
is "$(json '[.items[].id] | join(",")')" "$TP" "and pages with before_id"

done_testing
