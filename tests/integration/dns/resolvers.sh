# Real resolvers as RPZ secondaries of rootcut: BIND 9 (TSIG, transfers
# from 127.0.0.4) and Unbound (address allow list, 127.0.0.1), each also
# resolving the zone fraud-test.tw from a local authoritative BIND, so that
# "not blocked" is visible as an answer. An order granted and enforced
# through the CLI must make both answer NXDOMAIN for the domain and its
# subdomains, through NOTIFY and an IXFR (not an AXFR); a lift must make it
# resolve again; an order's expiry must lift it by itself; transfers without
# the key, with a wrong key or from an address not allowed are refused.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/dns.sh"

if ! dns_have_peers; then
	echo "ok 1 - # SKIP named, unbound or dig not installed"
	echo "1..1"
	exit 0
fi

rc_init || { not_ok "init"; done_testing; exit 1; }
dns_setup
dns_serve || { not_ok "serve --dns starts"; done_testing; exit 1; }
ok "serve --dns starts on 127.0.0.1:$P_RC"
dns_start_auth || not_ok "the authoritative BIND for fraud-test.tw starts"
dns_start_bind || not_ok "BIND starts"
dns_start_unbound || not_ok "Unbound starts"

is "$(q rootcut "$ZONE" SOA | cut -d' ' -f1)" NOERROR "rootcut answers the SOA of $ZONE"
is "$(q rootcut www.example.com)" REFUSED "rootcut refuses names outside its zones"

# Both secondaries load the zone (its canary is blocked from the start).
for r in bind unbound; do
	t=$(wait_for $r rpz-canary.rootcut.tw NXDOMAIN 15)
	like "$t" '^[0-9]+$' "$r loaded the zone: the canary is NXDOMAIN ($t ms)"
	is "$(q $r shop.fraud-test.tw)" "NOERROR 192.0.2.80" "$r resolves a name that is not blocked"
done

order() { # create, file, grant, enforce an order for DOMAIN [add args]; prints its id
	d=$1
	shift
	id=$(rc_cli order add --agency TPDP --court 臺灣臺北地方法院 --domain "$d" "$@" 2>>"$TEST_TMP/cli.log" |
		grep -Eo '[0-9]+' | head -n1)
	rc_cli order file "$id" >>"$TEST_TMP/cli.log" 2>&1 &&
		rc_cli order grant "$id" --number "113年度聲扣字第$id號" --date 113/05/01 >>"$TEST_TMP/cli.log" 2>&1 &&
		rc_cli order enforce "$id" >>"$TEST_TMP/cli.log" 2>&1 || return 1
	echo "$id"
}

axfrs_before=$(grep -c 'dns: AXFR of' "$TEST_TMP/server.log")
id=$(order bad-invest.fraud-test.tw)
like "$id" '^[0-9]+$' "an order for bad-invest.fraud-test.tw is granted and enforced (order $id)"
for r in bind unbound; do
	t=$(wait_for $r bad-invest.fraud-test.tw NXDOMAIN 10)
	like "$t" '^[0-9]+$' "$r answers NXDOMAIN for the seized domain ($t ms after enforce)"
	is "$(q $r www.bad-invest.fraud-test.tw)" NXDOMAIN "$r blocks its subdomains (covered)"
	is "$(q $r good.fraud-test.tw)" "NOERROR 192.0.2.80" "$r still resolves other names"
done
sleep 0.5
is "$(grep -c 'dns: AXFR of' "$TEST_TMP/server.log")" "$axfrs_before" \
	"no full transfer after the one-domain change"
like "$(grep 'dns: IXFR of' "$TEST_TMP/server.log" | grep -c 'to bind ')" '^[1-9]' \
	"BIND fetched the change by IXFR"
like "$(grep 'dns: IXFR of' "$TEST_TMP/server.log" | grep -c 'to unbound ')" '^[1-9]' \
	"Unbound fetched the change by IXFR"
like "$(grep -c 'IXFR' "$D/bind/named.log")" '^[1-9]' "BIND's log shows an incremental transfer"
m=$(curl -sS -m 10 "$BASE/metrics" -H "Authorization: Bearer $(rc_token admin metrics)")
like "$m" 'rootcut_dns_transfers_total\{secondary="bind",type="ixfr"\} [1-9]' \
	"metrics count BIND's IXFRs"
like "$m" 'rootcut_dns_notify_total\{outcome="acknowledged"\} [1-9]' "metrics count acknowledged NOTIFYs"

# rpz verify asks each resolver about the seized names, the canary and a control.
for r in bind unbound; do
	[ $r = bind ] && port=$P_BIND || port=$P_UNB
	out=$(rc_cli rpz verify "127.0.0.1:$port" --control shop.fraud-test.tw 2>&1)
	st=$?
	is "$st" 0 "rpz verify at $r: every name as expected"
	like "$out" 'bad-invest\.fraud-test\.tw .*NXDOMAIN .*blocked' "$r: the seized domain is listed as blocked"
	like "$out" 'shop\.fraud-test\.tw .*control.*resolves' "$r: the control name resolves"
done
stored=$(sqlite3 "$DATA/rootcut.db" "SELECT COUNT(*) FROM rpz_verifications" 2>/dev/null)
like "$stored" '^[2-9]' "the verifications are stored ($stored)"
out=$(rc_cli rpz verify "127.0.0.1:$P_AUTH" --control shop.fraud-test.tw --no-store --timeout-ms 500 2>&1)
is "$?" 1 "rpz verify at a server that does not enforce the zone exits 1"
like "$out" 'NOT BLOCKED' "and names the domains it does not block"

# The same over the API, for DNS operators only.
rc_login admin
api POST /api/v1/rpz/verify "{\"resolver\":\"127.0.0.1:$P_UNB\",\"control\":\"shop.fraud-test.tw\"}"
is "$STATUS" 200 "POST /api/v1/rpz/verify at Unbound"
is "$(json .failed)" 0 "every name as expected"
like "$(json '.items[] | select(.name == "bad-invest.fraud-test.tw") | .answer')" NXDOMAIN \
	"the seized domain's answer"
like "$(json .id)" '^[0-9]+$' "the result is stored"
api POST /api/v1/rpz/verify '{"resolver":"not-an-address"}'
is "$STATUS" 400 "a resolver that is not an address is refused"
is "$(json .error.field)" resolver "naming the field"
rc_login analyst
api POST /api/v1/rpz/verify "{\"resolver\":\"127.0.0.1:$P_UNB\"}"
is "$STATUS" 403 "an analyst may not make the server query resolvers"

# An order without subdomains blocks only the name itself.
id2=$(order exact-only.fraud-test.tw --no-subdomains)
for r in bind unbound; do
	t=$(wait_for $r exact-only.fraud-test.tw NXDOMAIN 10)
	like "$t" '^[0-9]+$' "$r blocks exact-only.fraud-test.tw ($t ms)"
	is "$(q $r www.exact-only.fraud-test.tw)" "NOERROR 192.0.2.80" \
		"$r does not block its subdomains (not covered)"
done

# Lifting makes the domain resolve again.
rc_cli order lift "$id" --reason "test: lifted" >>"$TEST_TMP/cli.log" 2>&1
check "the order is lifted" test $? -eq 0
for r in bind unbound; do
	t=$(wait_for $r bad-invest.fraud-test.tw "NOERROR 192.0.2.80" 10)
	like "$t" '^[0-9]+$' "$r resolves the domain again after the lift ($t ms)"
done

# An order expiring in a few seconds lifts by itself (serve applies expiries).
exp=$(date -u -d '+4 seconds' +%Y-%m-%dT%H:%M:%SZ)
id3=$(order soon-gone.fraud-test.tw --expires "$exp")
for r in bind unbound; do
	t=$(wait_for $r soon-gone.fraud-test.tw NXDOMAIN 10)
	like "$t" '^[0-9]+$' "$r blocks the domain of an order expiring at $exp ($t ms)"
done
for r in bind unbound; do
	t=$(wait_for $r soon-gone.fraud-test.tw "NOERROR 192.0.2.80" 20)
	like "$t" '^[0-9]+$' "$r resolves it again once the order expired ($t ms later)"
done

# Transfer access.
xfr() { dig +time=3 +tries=1 -p "$P_RC" @127.0.0.1 "$ZONE" AXFR "$@" 2>&1; }
is "$(xfr -b 127.0.0.4 -y "hmac-sha256:isp-a.:$KEY" | grep -c 'IN.SOA')" 2 \
	"an AXFR signed with BIND's key from its address is served"
like "$(xfr -b 127.0.0.4)" 'Transfer failed' "an unsigned AXFR from BIND's address is refused"
like "$(xfr -b 127.0.0.4 -y "hmac-sha256:isp-a.:$(openssl rand -base64 32)")" \
	'Transfer failed|tsig verify failure|BADSIG' "an AXFR signed with a wrong secret is refused"
like "$(xfr -b 127.0.0.2 -y "hmac-sha256:isp-a.:$KEY")" 'Transfer failed' \
	"the right key from an address not allowed is refused"
like "$(xfr -b 127.0.0.2)" 'Transfer failed' "an unsigned AXFR from an address not allowed is refused"
like "$(grep -c 'refused' "$TEST_TMP/server.log")" '^[1-9]' "refusals are logged"
unlike "$(cat "$TEST_TMP/server.log")" "$KEY" "the TSIG secret never reaches the log"

# Malformed packets to the DNS port: dropped or FORMERR, and the server stays up.
python3 - "$P_RC" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for p in (b"\x00", b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c\x00\x01\x00\x01", b"\xff" * 600):
    s.sendto(p, ("127.0.0.1", int(sys.argv[1])))
EOF
is "$(q rootcut "$ZONE" SOA | cut -d' ' -f1)" NOERROR "rootcut still answers after malformed packets"

dns_stop_peers
done_testing
