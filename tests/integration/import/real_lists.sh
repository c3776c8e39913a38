#!/bin/sh
# tests/integration/import/real_lists.sh - the public lists in tests/data/real/
# import through `rootcut import reports` with the mappings of
# docs/user/import.md, with exactly the accepted and rejected counts that
# page's table shows, every rejection for its stated reason; a second import
# of each adds nothing.
. "$(dirname "$0")/../lib/common.sh"
REAL="$(cd "$(dirname "$0")/../../data/real" && pwd)"

rc_init || exit 1

# import NAME ARGS...: sets $OUT (stdout), $RC, rejects in $TEST_TMP/NAME.rejects
import() {
	name=$1
	shift
	OUT=$(rc_cli import reports "$@" --agency CIB --quiet --rejects "$TEST_TMP/$name.rejects" 2>"$TEST_TMP/$name.err")
	RC=$?
}

counts() { # the "N stored … M rejected" of the summary, as "N M D"
	printf '%s' "$OUT" | sed -E 's/.*rows: ([0-9]+) stored.*, ([0-9]+) already stored, ([0-9]+) rejected.*/\1 \3 \2/'
}

import sites "$REAL/165-fake-investment-sites.tsv" --skip 4 --map 網站名稱=narrative \
	--map 網址=url:website --map 件數=- --set crime_type=investment_fraud --set channel=165 \
	--set reported_at=2025-01-11
is "$(counts)" "45244 14 0" "165 fake investment sites: 45,244 stored, 14 rejected"
is "$RC" 1 "exit status 1 when rows are rejected"
is "$(grep -c 'unknown top-level domain' "$TEST_TMP/sites.rejects")" 8 "8 sites have an unknown top-level domain"
is "$(grep -c 'a single label' "$TEST_TMP/sites.rejects")" 6 "6 sites are a single label"
like "$(sed -n 2p "$TEST_TMP/sites.rejects")" "^376,\"url:website\",\"cannot parse URL 'www.acvd.sit'" "rejects name the line and the field"

import line "$REAL/malicious-LINE-ID.txt" --map 編號=- --map 帳號=line_id:contact_account \
	--map 通報日期=reported_at --set crime_type=other --set channel=165
is "$(counts)" "13139 7 0" "LINE IDs: 13,139 stored, 7 rejected"
is "$(grep -c "character '+' not allowed" "$TEST_TMP/line.rejects")" 3 "3 LINE IDs are phone numbers (+)"
is "$(grep -c "character ' ' not allowed" "$TEST_TMP/line.rejects")" 2 "2 LINE IDs contain a space or tab"
is "$(grep -c "character '@' not allowed" "$TEST_TMP/line.rejects")" 1 "1 LINE ID contains @"
is "$(grep -c 'too short' "$TEST_TMP/line.rejects")" 1 "1 LINE ID is too short"
is "$(sqlite3 "$DATA/rootcut.db" "SELECT report_count || ' ' || first_seen FROM identifiers WHERE type = 'line_id' AND value = 'ayin68'")" \
	"1 2017-01-01T16:00:00Z" "an imported LINE ID is counted, dated as the list dates it (Gregorian)"

import calls "$REAL/scam-call-blacklist.txt" --columns phone:caller --set crime_type=other \
	--set channel=165 --set reported_at=2022-12-31
is "$(counts)" "20 0 0" "scam calls: 20 stored, none rejected"
is "$RC" 0 "exit status 0 when no row is rejected"

import domains "$REAL/fake-investment-blacklist.txt" --columns auto:website \
	--set crime_type=investment_fraud --set channel=165 --set reported_at=2022-12-31
is "$(counts)" "67 8 0" "fake investment domains: 67 stored, 8 rejected"
is "$(grep -c 'unknown top-level domain' "$TEST_TMP/domains.rejects")" 6 "6 domains have an unknown top-level domain"
is "$(grep -c 'not recognised as any identifier type' "$TEST_TMP/domains.rejects")" 2 "2 domains are a single label (no type recognised)"

import accounts "$REAL/notified-offshore-accounts.txt" --columns bank_account:receiving_account \
	--set crime_type=other --set channel=bank --set reported_at=2022-12-31
is "$(counts)" "16 118 0" "offshore accounts: 16 stored (IBANs), 118 rejected"
is "$(grep -c 'no separator between the bank code' "$TEST_TMP/accounts.rejects")" 80 "80 accounts without a separator after a bank code"
is "$(grep -c 'missing the 3-digit bank code' "$TEST_TMP/accounts.rejects")" 38 "38 accounts without a bank code"

# Again: nothing is added twice.
import sites2 "$REAL/165-fake-investment-sites.tsv" --skip 4 --map 網站名稱=narrative \
	--map 網址=url:website --map 件數=- --set crime_type=investment_fraud --set channel=165 \
	--set reported_at=2025-01-11
is "$(counts)" "0 14 45244" "the sites again: all 45,244 already stored"
import line2 "$REAL/malicious-LINE-ID.txt" --map 編號=- --map 帳號=line_id:contact_account \
	--map 通報日期=reported_at --set crime_type=other --set channel=165
is "$(counts)" "0 7 13139" "the LINE IDs again: all already stored"
is "$(sqlite3 "$DATA/rootcut.db" 'SELECT COUNT(*) FROM reports')" 58486 "58,486 reports in all"

done_testing
