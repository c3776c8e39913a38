# tests/integration/lib/dns.sh - sourced by the DNS suites after common.sh:
# free ports, rootcut as RPZ primary, and real peers run from the test's own
# directory: an authoritative BIND for the zone "fraud-test.tw" (so that a
# name that is not blocked resolves), BIND 9 as RPZ secondary with TSIG, and
# Unbound as RPZ secondary by address (127.0.0.1, where its transfers come
# from; BIND transfers from 127.0.0.4, so an unsigned transfer from BIND's
# address can be refused while Unbound's is allowed). Every daemon is
# started here on loopback and killed on exit.
#
#   dns_setup          # ports, key, config of rootcut (call before rc_init's serve)
#   dns_serve          # rootcut serve --dns
#   dns_start_auth; dns_start_bind; dns_start_unbound
#   q bind NAME        # "NXDOMAIN", "NOERROR 192.0.2.80", ... from that resolver
#   wait_for bind NAME 'NXDOMAIN' SECONDS

ZONE=rpz.rootcut.tw
DNS_PIDS=""

free_port() {
	python3 -c 'import socket
for _ in range(50):
    t = socket.socket(); t.bind(("127.0.0.1", 0)); p = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", p)); print(p); break
    except OSError: pass
    finally: u.close(); t.close()'
}

dns_have_peers() {
	command -v named >/dev/null && command -v unbound >/dev/null && command -v dig >/dev/null
}

dns_setup() {
	P_RC=$(free_port)
	P_AUTH=$(free_port)
	P_BIND=$(free_port)
	P_UNB=$(free_port)
	KEY=$(openssl rand -base64 32)
	D="$TEST_TMP/peers"
	rm -rf "$D"
	mkdir -p "$D/auth" "$D/bind" "$D/unbound"
	printf 'isp-a. hmac-sha256 %s\n' "$KEY" >"$DATA/tsig.keys"
	chmod 600 "$DATA/tsig.keys"
	cat >"$DATA/secondaries" <<EOF
# name  allow list   key     notify
bind    allow=127.0.0.4  key=isp-a.  notify=127.0.0.1:$P_BIND
unbound allow=127.0.0.1              notify=127.0.0.1:$P_UNB
EOF
	cat >>"$DATA/rootcut.conf" <<EOF
dns_secondaries = $DATA/secondaries
dns_tsig_keys = $DATA/tsig.keys
rpz_zones = $ZONE
rpz_poll_s = 1
log_level = debug
EOF
}

dns_serve() {
	rc_serve --dns "127.0.0.1:$P_RC" "$@"
}

# Wait until PORT answers a query (a daemon started).
wait_port() {
	i=0
	while ! dig +time=1 +tries=1 -p "$1" @127.0.0.1 version.bind CH TXT >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 50 ] || return 1
		sleep 0.2
	done
}

dns_start_auth() {
	cat >"$D/auth/fraud-test.tw.zone" <<'EOF'
$TTL 5
@   SOA ns.fraud-test.tw. hostmaster.fraud-test.tw. 1 60 60 600 5
@   NS  ns.fraud-test.tw.
ns  A   192.0.2.53
*   A   192.0.2.80
@   A   192.0.2.80
EOF
	cat >"$D/auth/named.conf" <<EOF
options {
	directory "$D/auth";
	pid-file "$D/auth/named.pid";
	session-keyfile "$D/auth/session.key";
	managed-keys-directory "$D/auth";
	listen-on port $P_AUTH { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion no;
	notify no;
	dnssec-validation no;
};
controls { };
zone "fraud-test.tw" { type primary; file "fraud-test.tw.zone"; };
EOF
	named -c "$D/auth/named.conf" -f -n 1 >"$D/auth/out.log" 2>&1 &
	DNS_PIDS="$DNS_PIDS $!"
	wait_port "$P_AUTH"
}

# dns_start_bind [min-update-interval]
dns_start_bind() {
	cat >"$D/bind/named.conf" <<EOF
options {
	directory "$D/bind";
	pid-file "$D/bind/named.pid";
	session-keyfile "$D/bind/session.key";
	managed-keys-directory "$D/bind";
	listen-on port $P_BIND { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion yes;
	allow-query { 127.0.0.0/8; };
	dnssec-validation no;
	notify no;
	transfer-source 127.0.0.4;
	response-policy { zone "$ZONE"; } min-update-interval ${1:-0} qname-wait-recurse no;
};
controls { };
key "isp-a." { algorithm hmac-sha256; secret "$KEY"; };
zone "$ZONE" {
	type secondary;
	primaries port $P_RC { 127.0.0.1 key "isp-a."; };
	file "rpz.db";
	allow-query { 127.0.0.0/8; };
	allow-notify { 127.0.0.1; };
};
zone "fraud-test.tw" { type forward; forward only; forwarders { 127.0.0.1 port $P_AUTH; }; };
logging {
	channel log { file "$D/bind/named.log"; severity debug 1; print-time yes; print-category yes; };
	category default { log; };
	category xfer-in { log; };
	category notify { log; };
	category rpz { log; };
	category lame-servers { null; };
};
EOF
	named -c "$D/bind/named.conf" -f -n 1 >"$D/bind/out.log" 2>&1 &
	DNS_PIDS="$DNS_PIDS $!"
	wait_port "$P_BIND"
}

dns_start_unbound() {
	cat >"$D/unbound/unbound.conf" <<EOF
server:
	interface: 127.0.0.1@$P_UNB
	port: $P_UNB
	do-ip6: no
	do-not-query-localhost: no
	access-control: 127.0.0.0/8 allow
	username: ""
	chroot: ""
	directory: "$D/unbound"
	pidfile: "$D/unbound/unbound.pid"
	use-syslog: no
	logfile: "$D/unbound/unbound.log"
	log-time-ascii: yes
	verbosity: 2
	module-config: "respip iterator"
	cache-max-ttl: 5
	cache-max-negative-ttl: 5
	num-threads: 1
remote-control:
	control-enable: no
rpz:
	name: "$ZONE"
	primary: 127.0.0.1@$P_RC
	zonefile: "$D/unbound/rpz.zone"
	rpz-log: yes
stub-zone:
	name: "fraud-test.tw."
	stub-addr: 127.0.0.1@$P_AUTH
EOF
	unbound -d -c "$D/unbound/unbound.conf" >"$D/unbound/out.log" 2>&1 &
	DNS_PIDS="$DNS_PIDS $!"
	wait_port "$P_UNB"
}

dns_stop_peers() {
	for p in $DNS_PIDS; do kill "$p" 2>/dev/null; done
	for p in $DNS_PIDS; do wait "$p" 2>/dev/null; done
	DNS_PIDS=""
}

trap 'dns_stop_peers; rc_stop' EXIT INT TERM

# q PEER NAME [TYPE]: the rcode and the first answer's data, e.g. "NOERROR 192.0.2.80"
q() {
	case "$1" in
	bind) port=$P_BIND ;;
	unbound) port=$P_UNB ;;
	auth) port=$P_AUTH ;;
	rootcut) port=$P_RC ;;
	esac
	out=$(dig +time=2 +tries=1 -p "$port" @127.0.0.1 "$2" "${3:-A}")
	st=$(printf '%s\n' "$out" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p')
	ans=$(printf '%s\n' "$out" | awk '/^;; ANSWER SECTION:/{on=1; next} on && NF==0{exit} on{print $NF; exit}')
	echo "${st:-TIMEOUT}${ans:+ $ans}"
}

# wait_for PEER NAME EXPECTED SECONDS: poll every 50 ms; prints the time taken (ms) or "timeout"
wait_for() {
	t0=$(date +%s%N)
	limit=$(($4 * 1000))
	while :; do
		got=$(q "$1" "$2")
		ms=$((($(date +%s%N) - t0) / 1000000))
		if [ "$got" = "$3" ]; then echo "$ms"; return 0; fi
		if [ "$ms" -gt "$limit" ]; then echo "timeout (last: $got)"; return 1; fi
		sleep 0.05
	done
}
