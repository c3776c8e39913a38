# The realistic feed: every domain of the 165 hotline's list of reported fake
# investment sites (tests/data/real/165-fake-investment-sites.tsv, see the
# README there for its source) seized under one order. The list's URLs are
# messy: hosts with ports, IP addresses, single labels and unknown
# top-level domains are refused and reported with their line, never
# silently dropped; the rest are published in one serial and the exported
# zone passes named-checkzone.
. "$(dirname "$0")/../lib/common.sh"
rc_init || { not_ok "init"; done_testing; exit 1; }
LIST="$(dirname "$0")/../../data/real/165-fake-investment-sites.tsv"

out=$(rc_cli order add --agency TPDP --court 臺灣臺北地方法院 --domains-file "$LIST" \
	--column 2 --skip 5 2>"$TEST_TMP/refused")
is "$?" 0 "the whole list under one order"
rows=$(grep -vc '^#' "$LIST")
rows=$((rows - 2)) # the two header rows
like "$out" "$rows rows" "every data row was read"
added=$(printf '%s' "$out" | sed -n 's/.* \([0-9]*\) domains added.*/\1/p')
check "tens of thousands of distinct hosts ($added)" test "$added" -gt 30000
refused=$(wc -l <"$TEST_TMP/refused")
check "the refused rows are reported ($refused)" test "$refused" -gt 0
like "$(cat "$TEST_TMP/refused")" "165-fake-investment-sites.tsv:[0-9]+: refused '154\.209\.3\.50': .*IP address" \
	"an IP address, with its line"
like "$(cat "$TEST_TMP/refused")" "a single label" "a name without a dot"
unlike "$(cat "$TEST_TMP/refused")" "contains ':'" "host:port is taken as a URL's host"
ok_rows=$((rows - refused))
check "rows accepted + refused = rows read ($ok_rows distinct ≥ $added)" test "$ok_rows" -ge "$added"

rc_cli order file 1 >/dev/null && rc_cli order grant 1 --number 114年度聲扣字第165號 --date 2025-01-12 >/dev/null
check "enforced" rc_cli order enforce 1
like "$(rc_cli rpz zones)" "rpz\.rootcut\.tw\. +3 +$((2 * added + 1)) " \
	"one serial; every host and its subdomains, and the canary"
rc_cli rpz export --out "$TEST_TMP/feed.zone"
like "$(cat "$TEST_TMP/feed.zone")" '^www\.0xboost\.finance +60 IN CNAME +\.' "a sample host is seized"
if command -v named-checkzone >/dev/null; then
	out=$(named-checkzone rpz.rootcut.tw "$TEST_TMP/feed.zone" 2>&1)
	is "$?" 0 "named-checkzone accepts the zone of the whole feed"
else
	ok "# SKIP named-checkzone not installed (bind9-utils)"
fi

done_testing
