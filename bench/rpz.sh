#!/bin/sh
# bench/rpz.sh - the RPZ primary (issue 5): a zone of DOMAINS seized domains
# (1,000,000 by default) under one court order.
#
#   build    `order add --domains-file` + file + grant + enforce: the time to
#            publish the zone (each domain and its "*." wildcard: 2 rules each)
#   axfr     a full AXFR with dig from `rootcut serve --dns`, and in the same
#            run from Knot DNS serving the exported zone (the anchor); RUNS
#            runs each, alternating, medians and the ratio rootcut / Knot
#   latency  with a small zone, LATENCY_RUNS one-domain orders enforced
#            through the API (POST /api/v1/orders/{id}/enforce): from sending
#            the request to NXDOMAIN at BIND 9 (min-update-interval 0) and at
#            Unbound, both secondaries of rootcut on loopback; and rootcut's
#            own share from its log: request sent → NOTIFY sent → the last
#            IXFR answered
#
# Never run it at full size on a machine others are working on: it takes
# minutes of both CPUs and a few GB of disk. DOMAINS=20000 is a smoke run.
set -eu

usage() {
	cat <<'USAGE'
usage: bench/rpz.sh [-h]

Environment (defaults in brackets):
  ROOTCUT       rootcut binary to measure                   [./rootcut]
  DOMAINS       seized domains in the large zone            [1000000]
  RUNS          AXFR runs of each server                    [5]
  LATENCY_RUNS  one-domain orders for the latency figures   [5]
  WORK          scratch directory                           [a new one under ${TMPDIR:-/tmp}]
  OUT           Markdown fragment                           [bench/out/rpz.md]
USAGE
}
[ "${1:-}" = "-h" ] && { usage; exit 0; }

cd "$(dirname "$0")/.."
ROOT=$PWD
ROOTCUT=$(cd "$(dirname "${ROOTCUT:-./rootcut}")" && pwd)/$(basename "${ROOTCUT:-./rootcut}")
DOMAINS=${DOMAINS:-1000000}
RUNS=${RUNS:-5}
LATENCY_RUNS=${LATENCY_RUNS:-5}
OUT=${OUT:-bench/out/rpz.md}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/rootcut-bench-rpz.XXXXXX")}
mkdir -p "$WORK" "$(dirname "$OUT")"
for t in dig knotd named unbound python3; do
	command -v $t >/dev/null || { echo "bench/rpz.sh: $t is not installed (scripts/bootstrap)" >&2; exit 1; }
done

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ms_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }'; }

# The helpers of the DNS integration tests: free ports, BIND, Unbound, q, wait_for.
TEST_TMP="$WORK/latency"
DATA="$TEST_TMP/data"
mkdir -p "$TEST_TMP"
rc_cli() { "$ROOTCUT" --data "$DATA" "$@"; }
. "$ROOT/tests/integration/lib/dns.sh"
PIDS=""
cleanup() {
	dns_stop_peers
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

conf() { # DATA: a config for a benchmark data directory
	cat >"$1/rootcut.conf" <<EOF
argon2_t_cost = 1
argon2_m_kib = 1024
access_log = off
rpz_zones = $ZONE
EOF
}

order() { # DATA FILE-or-DOMAIN: a granted, enforced order; prints its id
	d=$1
	shift
	id=$("$ROOTCUT" --data "$d" order add --agency TPDP --court 臺灣臺北地方法院 "$@" 2>>"$WORK/cli.log" |
		grep -Eo '[0-9]+' | head -n1)
	"$ROOTCUT" --data "$d" order file "$id" >/dev/null
	"$ROOTCUT" --data "$d" order grant "$id" --number "113年度聲扣字第${id}號" --date 113/05/01 >/dev/null
	"$ROOTCUT" --data "$d" order enforce "$id" >/dev/null
	echo "$id"
}

# ---- build ----
BIG="$WORK/big"
mkdir -p "$BIG"
"$ROOTCUT" --data "$BIG" init --demo --demo-reports 0 >/dev/null 2>&1
conf "$BIG"
echo "dig allow=127.0.0.0/8" >"$BIG/secondaries"
echo "dns_secondaries = $BIG/secondaries" >>"$BIG/rootcut.conf"
awk -v n="$DOMAINS" 'BEGIN { for (i = 0; i < n; i++) printf "fake-invest-%07d.com\n", i }' \
	>"$WORK/domains.txt"
echo "building a zone of $DOMAINS seized domains ..."
t0=$(now)
order "$BIG" --domains-file "$WORK/domains.txt" >/dev/null
build_ms=$(ms_since "$t0")
rules=$("$ROOTCUT" --data "$BIG" rpz zones | awk -v z="$ZONE." '$1 == z { print $3 }')
echo "  $rules rules in $build_ms ms"

# ---- axfr: rootcut beside Knot DNS ----
P_BIG=$(free_port)
P_KNOT=$(free_port)
"$ROOTCUT" --data "$BIG" serve --listen 127.0.0.1:0 --dns "127.0.0.1:$P_BIG" \
	>"$WORK/big.out" 2>"$WORK/big.log" &
PIDS="$PIDS $!"
"$ROOTCUT" --data "$BIG" rpz export --out "$WORK/knot.zone"
mkdir -p "$WORK/knot"
cat >"$WORK/knot/knot.conf" <<EOF
server:
    listen: 127.0.0.1@$P_KNOT
    rundir: $WORK/knot
database:
    storage: $WORK/knot/db
acl:
  - id: local
    address: 127.0.0.0/8
    action: transfer
zone:
  - domain: $ZONE
    file: $WORK/knot.zone
    acl: local
    journal-content: none
    zonefile-sync: -1
EOF
knotd -c "$WORK/knot/knot.conf" >"$WORK/knot/out.log" 2>&1 &
PIDS="$PIDS $!"
wait_port "$P_BIG"
wait_port "$P_KNOT"
i=0
until dig +time=2 +tries=1 -p "$P_KNOT" @127.0.0.1 "$ZONE" SOA | grep -q 'status: NOERROR'; do
	i=$((i + 1)); [ $i -lt 600 ] || { echo "knotd did not load the zone" >&2; exit 1; }; sleep 0.5
done
axfr() { # PORT: seconds for a full AXFR with dig, checking the record count
	t0=$(now)
	n=$(dig +tcp +time=120 -p "$1" @127.0.0.1 "$ZONE" AXFR | grep -c 'IN' || true)
	t=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f\n", b - a }')
	[ "$n" -ge "$rules" ] || echo "  warning: AXFR from port $1 gave $n records, not $rules" >&2
	echo "$t"
}
: >"$WORK/axfr.rootcut"
: >"$WORK/axfr.knot"
for run in $(seq "$RUNS"); do
	axfr "$P_BIG" >>"$WORK/axfr.rootcut"
	axfr "$P_KNOT" >>"$WORK/axfr.knot"
	echo "  run $run: rootcut $(tail -n1 "$WORK/axfr.rootcut") s, Knot $(tail -n1 "$WORK/axfr.knot") s"
done
ax_rc=$(median <"$WORK/axfr.rootcut")
ax_knot=$(median <"$WORK/axfr.knot")
ratio=$(awk -v a="$ax_rc" -v b="$ax_knot" 'BEGIN { printf "%.2f\n", a / b }')
for p in $PIDS; do kill "$p" 2>/dev/null || true; done
PIDS=""

# ---- latency: a small zone, BIND and Unbound as secondaries ----
"$ROOTCUT" --data "$DATA" init --demo --demo-reports 0 >/dev/null 2>&1
conf "$DATA"
dns_setup
TOKEN=$("$ROOTCUT" --data "$DATA" token create --user admin --name bench --scopes write | tail -n1)
"$ROOTCUT" --data "$DATA" serve --listen 127.0.0.1:0 --dns "127.0.0.1:$P_RC" \
	--ready-file "$TEST_TMP/ready" >"$TEST_TMP/server.out" 2>"$TEST_TMP/server.log" &
PIDS="$PIDS $!"
wait_port "$P_RC"
BASE=$(cat "$TEST_TMP/ready")
dns_start_auth
dns_start_bind
dns_start_unbound
wait_for bind rpz-canary.rootcut.tw NXDOMAIN 30 >/dev/null
wait_for unbound rpz-canary.rootcut.tw NXDOMAIN 30 >/dev/null
: >"$WORK/lat.bind"
: >"$WORK/lat.unbound"
: >"$WORK/lat.share"
for run in $(seq "$LATENCY_RUNS"); do
	d="latency-$run.fraud-test.tw"
	id=$("$ROOTCUT" --data "$DATA" order add --agency TPDP --court 臺灣臺北地方法院 --domain "$d" |
		grep -Eo '[0-9]+' | head -n1)
	"$ROOTCUT" --data "$DATA" order file "$id" >/dev/null
	"$ROOTCUT" --data "$DATA" order grant "$id" --number "113年度聲扣字第${id}號" --date 113/05/01 >/dev/null
	t0=$(now)
	t0_iso=$(date -u +%H:%M:%S.%N | cut -c1-12)
	curl -sS -m 30 -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" \
		"$BASE/api/v1/orders/$id/enforce" &
	w="$!"
	for r in bind unbound; do
		( t=$(wait_for $r "$d" NXDOMAIN 30); echo "$t" >"$WORK/lat.$r.$run" ) &
		w="$w $!"
	done
	for p in $w; do wait "$p" || true; done
	for r in bind unbound; do
		t=$(cat "$WORK/lat.$r.$run")
		echo "$t" >>"$WORK/lat.$r"
	done
	sleep 0.3
	# rootcut's share: the NOTIFY and the IXFRs of this serial, from the log's timestamps
	serial=$(dig +short -p "$P_RC" @127.0.0.1 "$ZONE" SOA | awk '{ print $3 }')
	awk -v s="$serial" -v t0="$t0_iso" '
		function sec(ts) { split(substr(ts, 12, 12), a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
		$0 ~ ("NOTIFY .* serial " s " to") && !n { n = sec($1) }
		$0 ~ ("IXFR of .* serial " s " to") { x = sec($1) }
		END { split(t0, b, ":"); z = b[1] * 3600 + b[2] * 60 + b[3]
			if (n && x) printf "%.0f %.0f\n", (n - z) * 1000, (x - z) * 1000 }' \
		"$TEST_TMP/server.log" >>"$WORK/lat.share"
	echo "  order $id: BIND $(tail -n1 "$WORK/lat.bind") ms, Unbound $(tail -n1 "$WORK/lat.unbound") ms;" \
		"enforce → NOTIFY, → last IXFR: $(tail -n1 "$WORK/lat.share" | sed 's/ / ms, /') ms"
done
lat_bind=$(grep -E '^[0-9]+$' "$WORK/lat.bind" | median)
lat_unb=$(grep -E '^[0-9]+$' "$WORK/lat.unbound" | median)
share_notify=$(awk '{ print $1 }' "$WORK/lat.share" | median)
share_ixfr=$(awk '{ print $2 }' "$WORK/lat.share" | median)

knot_v=$(knotd --version 2>&1 | head -n1)
bind_v=$(named -v | head -n1)
unb_v=$(unbound -V 2>&1 | head -n1)
{
	echo "### RPZ primary ($(date -u +%Y-%m-%d), $(nproc) CPUs, $(uname -m))"
	echo
	echo "\`DOMAINS=$DOMAINS RUNS=$RUNS LATENCY_RUNS=$LATENCY_RUNS bench/rpz.sh\`; $knot_v, $bind_v, $unb_v."
	echo
	echo "| measure | rootcut | anchor | ratio |"
	echo "| --- | --- | --- | --- |"
	echo "| build: order of $DOMAINS domains → zone of $rules rules published | $build_ms ms | | |"
	echo "| full AXFR with dig (median of $RUNS) | $ax_rc s | Knot DNS $ax_knot s | $ratio |"
	echo "| API enforce → NXDOMAIN at BIND (min-update-interval 0), small zone (median of $LATENCY_RUNS) | $lat_bind ms | | |"
	echo "| API enforce → NXDOMAIN at Unbound, small zone | $lat_unb ms | | |"
	echo "| rootcut's share: request sent → NOTIFY sent | $share_notify ms | | |"
	echo "| rootcut's share: request sent → last IXFR answered | $share_ixfr ms | | |"
	echo
	echo "The NXDOMAIN figures are polled every 50 ms with dig, so they are up to 50 ms late."
} >"$OUT"
cat "$OUT"
