# The realistic feed at real resolvers: every domain of the 165 hotline's
# list of reported fake investment sites (tests/data/real/, see its README
# for the source) seized under one order, transferred by AXFR to BIND 9
# (TSIG) and Unbound (by address), which must then block a sample of the
# seized domains and their subdomains while a control name still resolves;
# `rootcut rpz verify` checks 100 of them at each.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/dns.sh"

if ! dns_have_peers; then
	echo "ok 1 - # SKIP named, unbound or dig not installed"
	echo "1..1"
	exit 0
fi
LIST="$(dirname "$0")/../../data/real/165-fake-investment-sites.tsv"

rc_init || { not_ok "init"; done_testing; exit 1; }
dns_setup
rc_cli order add --agency TPDP --court 臺灣臺北地方法院 --domains-file "$LIST" --column 2 --skip 5 \
	>"$TEST_TMP/add.out" 2>"$TEST_TMP/refused"
rc_cli order file 1 >/dev/null && rc_cli order grant 1 --number 114年度聲扣字第165號 --date 2025-01-12 \
	>/dev/null && rc_cli order enforce 1 >/dev/null
check "the whole list is seized under one enforced order" test $? -eq 0
rules=$(rc_cli rpz zones | awk -v z="$ZONE." '$1 == z { print $3 }')
check "the zone holds tens of thousands of rules ($rules)" test "${rules:-0}" -gt 60000

dns_serve || { not_ok "serve --dns starts"; done_testing; exit 1; }
dns_start_auth || not_ok "the authoritative BIND starts"
dns_start_bind || not_ok "BIND starts"
dns_start_unbound || not_ok "Unbound starts"
for r in bind unbound; do
	t=$(wait_for $r rpz-canary.rootcut.tw NXDOMAIN 60)
	like "$t" '^[0-9]+$' "$r transferred and loaded the whole feed ($t ms)"
done
like "$(grep 'dns: AXFR of' "$TEST_TMP/server.log" | grep -c "$rules records")" '^[2-9]' \
	"both transfers carried every rule ($rules records)"

# A sample of the seized hosts, as the export writes them.
sample=$(rc_cli rpz export | awk '$4 == "CNAME" && $1 !~ /^\*/ && $1 !~ /^rpz-canary/ { print $1 }' |
	sed "s/\.$ZONE\.\$//" | awk 'NR % 997 == 1' | head -n 8)
for r in bind unbound; do
	for d in $sample; do
		is "$(q $r "$d")" NXDOMAIN "$r blocks $d"
	done
	d=$(echo "$sample" | head -n1)
	is "$(q $r "www.$d")" NXDOMAIN "$r blocks a subdomain of $d"
done
for r in bind unbound; do
	[ $r = bind ] && port=$P_BIND || port=$P_UNB
	out=$(rc_cli rpz verify "127.0.0.1:$port" --control shop.fraud-test.tw --sample 100 2>&1)
	is "$?" 0 "rpz verify at $r: 100 seized domains, the canary and the control as expected"
	like "$out" '102 of 102 names as expected' "$r: the count of names asked"
done

dns_stop_peers
done_testing
