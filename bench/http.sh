#!/bin/sh
# bench/http.sh - requests/s and p99 latency of rootcut's HTTP API next to an
# anchor measured in the same run: nginx serving static files of the same body
# sizes from another loopback port.
#
# Targets (each wrk'd RUNS times, interleaved, medians reported):
#   rootcut GET /api/v1/health                      no auth, one SELECT 1
#   rootcut GET /api/v1/session + Bearer token      token lookup, user, agency
#   nginx   GET /health.json, /session.json         the two bodies captured
#                                                   from rootcut, byte for byte
# in two access-log modes: "log" (rootcut's log in a file, nginx's default
# access_log in a file) and "off" (both off).
#
# Linux only (reads /proc for CPU time). Bounded: every wrk and curl call has a
# time limit; the servers it starts are stopped on exit, also on ^C.
# Results: a table on stdout and a Markdown fragment in $OUT.
set -eu

usage() {
	cat <<'EOF'
usage: bench/http.sh [-h]

Environment (defaults in brackets):
  ROOTCUT      rootcut binary to measure            [./rootcut]
  NGINX        nginx binary                         [nginx]
  RUNS         measured runs per target             [3]
  DURATION     seconds per wrk run                  [20]
  CONNECTIONS  wrk connections                      [64]
  THREADS      wrk threads                          [2]
  WARMUP       seconds of unrecorded warm-up each   [2]
  NGINX_WORKERS nginx worker_processes              [2]
  MODES        access-log modes: "log", "off"       ["log off"]
  OUT          Markdown fragment written here       [bench/out/http.md]
  KEEP=1       keep the temporary directory (wrk output, logs)
EOF
}

case "${1:-}" in
-h | --help) usage; exit 0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
ROOTCUT=${ROOTCUT:-$ROOT/rootcut}
NGINX=${NGINX:-nginx}
RUNS=${RUNS:-3}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2}
NGINX_WORKERS=${NGINX_WORKERS:-2}
MODES=${MODES:-log off}
OUT=${OUT:-$ROOT/bench/out/http.md}
KEEP=${KEEP:-0}

die() { echo "bench/http.sh: $*" >&2; exit 1; }
note() { echo "# $*" >&2; }
. "$HERE/lib.sh"

for tool in wrk curl timeout ps awk; do
	command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (scripts/bootstrap installs it)"
done
command -v "$NGINX" >/dev/null 2>&1 || [ -x "$NGINX" ] || die "'$NGINX' not found (nginx-light)"
[ -x "$ROOTCUT" ] || die "no rootcut binary at '$ROOTCUT' (run make, or set ROOTCUT)"
[ -r /proc/stat ] || die "needs Linux /proc"
ROOTCUT=$(cd "$(dirname "$ROOTCUT")" && pwd)/$(basename "$ROOTCUT")

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rootcut-bench.XXXXXX")
PIDS=""
NGINX_PID=""
WRK_PID=""

cleanup() {
	for p in $WRK_PID $PIDS $NGINX_PID; do
		kill "$p" 2>/dev/null || true
	done
	for p in $WRK_PID $PIDS $NGINX_PID; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$p" 2>/dev/null || true
	done
	if [ "$KEEP" = 1 ]; then note "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

TCK=$(getconf CLK_TCK)

# ---- rootcut: one data directory, one token, one server per access-log mode
note "rootcut init --demo in $TMP/data"
"$ROOTCUT" --data "$TMP/data" init --demo >"$TMP/init.out" 2>"$TMP/init.log" ||
	die "rootcut init failed: $(tail -5 "$TMP/init.log")"
TOKEN=$("$ROOTCUT" --data "$TMP/data" token create --user admin --name bench --scopes read \
	2>"$TMP/token.log" | awk '/^rct_/ { print $1 }')
[ -n "$TOKEN" ] || die "cannot create an API token: $(cat "$TMP/token.log")"

start_rootcut() { # mode access_log -> sets RC_URL
	rm -f "$TMP/ready-$1"
	ROOTCUT_ACCESS_LOG=$2 "$ROOTCUT" --data "$TMP/data" serve --listen 127.0.0.1:0 \
		--ready-file "$TMP/ready-$1" >"$TMP/rootcut-$1.out" 2>"$TMP/rootcut-$1.log" &
	pid=$!
	PIDS="$PIDS $pid"
	i=0
	while [ ! -s "$TMP/ready-$1" ]; do
		i=$((i + 1))
		kill -0 "$pid" 2>/dev/null && [ $i -le 100 ] ||
			die "rootcut serve did not start: $(tail -5 "$TMP/rootcut-$1.log")"
		sleep 0.1
	done
	RC_URL=$(cat "$TMP/ready-$1")
	eval "RC_PID_$1=$pid"
}

for mode in $MODES; do
	case "$mode" in
	log) start_rootcut log "$TMP/rootcut-access.log" ;;
	off) start_rootcut off off ;;
	*) die "unknown mode '$mode' in MODES (log, off)" ;;
	esac
	eval "RC_URL_$mode=\$RC_URL"
done
eval "ANY_URL=\$RC_URL_$(echo $MODES | awk '{ print $1 }')"

# ---- the bodies nginx serves are rootcut's own responses, so the sizes match
# nginx workers run as an unprivileged user when started by root: they need to
# traverse $TMP (mktemp made it 0700) and read www/.
chmod 711 "$TMP"
mkdir -p "$TMP/www/log" "$TMP/www/off" "$TMP/nginx/tmp"
chmod 755 "$TMP/www" "$TMP/www/log" "$TMP/www/off"
fetch() { # url file [curl args]: body to file, "status header_bytes" on stdout
	u=$1 f=$2
	shift 2
	curl -sS --max-time 5 -o "$f" -w '%{http_code} %{size_header}' "$@" "$u"
}
set -- $(fetch "$ANY_URL/api/v1/health" "$TMP/www/log/health.json")
[ "$1" = 200 ] || die "GET /api/v1/health answered $1"
RC_HDR_health=$2
set -- $(fetch "$ANY_URL/api/v1/session" "$TMP/www/log/session.json" \
	-H "Authorization: Bearer $TOKEN")
[ "$1" = 200 ] || die "GET /api/v1/session with the token answered $1"
RC_HDR_session=$2
cp "$TMP/www/log/health.json" "$TMP/www/log/session.json" "$TMP/www/off/"
chmod 644 "$TMP"/www/*/*.json
SIZE_health=$(wc -c <"$TMP/www/log/health.json" | tr -d ' ')
SIZE_session=$(wc -c <"$TMP/www/log/session.json" | tr -d ' ')

# ---- nginx: compiled-in defaults except worker_processes, paths and MIME type
write_nginx_conf() { # port
	cat >"$TMP/nginx/nginx.conf" <<EOF
# Generated by bench/http.sh. Everything not set here is nginx's compiled-in
# default (sendfile off, keepalive_timeout 75s, keepalive_requests 1000).
worker_processes $NGINX_WORKERS;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { }
http {
	types { application/json json; }
	client_body_temp_path $TMP/nginx/tmp;
	proxy_temp_path $TMP/nginx/tmp;
	fastcgi_temp_path $TMP/nginx/tmp;
	uwsgi_temp_path $TMP/nginx/tmp;
	scgi_temp_path $TMP/nginx/tmp;
	access_log $TMP/nginx-access.log;
	server {
		listen 127.0.0.1:$1;
		root $TMP/www;
		location /off/ { access_log off; }
	}
}
EOF
}

NGINX_PORT=""
tries=0
while [ -z "$NGINX_PORT" ]; do
	tries=$((tries + 1))
	[ $tries -le 20 ] || die "nginx did not start: $(tail -3 "$TMP/nginx/error.log")"
	port=$(awk -v s="$$$tries" 'BEGIN { srand(s); print 20000 + int(rand() * 40000) }')
	write_nginx_conf "$port"
	"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" \
		>"$TMP/nginx/out" 2>&1 &
	NGINX_PID=$!
	i=0
	while kill -0 "$NGINX_PID" 2>/dev/null && [ $i -lt 50 ]; do
		if curl -s --max-time 1 -o /dev/null "http://127.0.0.1:$port/log/health.json"; then
			NGINX_PORT=$port
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	if [ -z "$NGINX_PORT" ]; then
		kill "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
		NGINX_PID=""
	fi
done
NGX_URL="http://127.0.0.1:$NGINX_PORT"
for what in health session; do
	set -- $(fetch "$NGX_URL/log/$what.json" "$TMP/check")
	[ "$1" = 200 ] || die "nginx answered $1 for /log/$what.json"
	eval "NGX_HDR_$what=\$2"
done

# ---- targets: id mode server url (the session target adds the token)
: >"$TMP/targets"
for mode in $MODES; do
	eval "u=\$RC_URL_$mode"
	for what in session health; do
		echo "ngx-$what-$mode $mode nginx $NGX_URL/$mode/$what.json" >>"$TMP/targets"
		echo "rc-$what-$mode $mode rootcut $u/api/v1/$what" >>"$TMP/targets"
	done
done

# run_wrk id server url seconds outfile run: wrk_measure() (bench/lib.sh) of one target
run_wrk() {
	id=$1 server=$2 url=$3 secs=$4 out=$5 run=$6
	if [ "$server" = nginx ]; then
		pids=$(ps -o pid= --ppid "$NGINX_PID" | tr '\n' ' ')
	else
		eval "pids=\$RC_PID_${id##*-}"
	fi
	case "$id" in
	rc-session-*) wrk_measure "$id" "$run" "$secs" "$out" "$pids" \
		-H "Authorization: Bearer $TOKEN" "$url" ;;
	*) wrk_measure "$id" "$run" "$secs" "$out" "$pids" "$url" ;;
	esac
}

note "rootcut $("$ROOTCUT" version | head -1), nginx on $NGX_URL;" \
	"$RUNS x $(wc -l <"$TMP/targets") targets x ${DURATION}s"
while read -r id mode server url; do
	run_wrk "$id" "$server" "$url" "$WARMUP" "$TMP/warmup.$id" 0
done <"$TMP/targets"
: >"$TMP/results"
run=1
while [ $run -le "$RUNS" ]; do
	# Odd runs go down the list, even runs up, so no target always runs first.
	if [ $((run % 2)) -eq 1 ]; then cat "$TMP/targets"; else sed -n '1!G;h;$p' "$TMP/targets"; fi \
		>"$TMP/order"
	while read -r id mode server url; do
		run_wrk "$id" "$server" "$url" "$DURATION" "$TMP/wrk.$id.$run" "$run" || exit 1
		run_note
	done <"$TMP/order"
	run=$((run + 1))
done

# ---- medians; the ratio is the median of per-run ratios to the nginx run of the
# same body size and log mode (adjacent in time, so drift cancels)
ratios() { # rootcut-id nginx-id column [invert]: median of per-round ratios
	awk -v a="$1" -v b="$2" -v c="$3" -v inv="${4:-0}" '$1 == a { x[$2] = $c } $1 == b { y[$2] = $c }
		END { for (r in x) if (x[r] && y[r]) print inv ? y[r] / x[r] : x[r] / y[r] }' \
		"$TMP/results" | median
}

CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
ROOTCUT_VERSION=$("$ROOTCUT" version | head -1)
NGINX_VERSION=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')
WRK_VERSION=$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }')
SETTINGS="RUNS=$RUNS DURATION=$DURATION CONNECTIONS=$CONNECTIONS THREADS=$THREADS NGINX_WORKERS=$NGINX_WORKERS MODES=\"$MODES\""

mkdir -p "$(dirname "$OUT")"
{
	echo "<!-- generated by bench/http.sh on $(date -u +%Y-%m-%dT%H:%MZ) -->"
	echo "Machine: $(nproc) CPUs ($CPU_MODEL), Linux $(uname -r); wrk, rootcut and"
	echo "nginx share these CPUs. Versions: $ROOTCUT_VERSION; nginx $NGINX_VERSION; wrk $WRK_VERSION."
	echo
	echo "Command: \`$SETTINGS bench/http.sh\`"
	echo "(each wrk run: \`wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency URL\`)."
	echo
	echo "| target | access log | body B | header B | req/s | p99 ms | server CPU µs/req | req/s ratio to nginx | CPU ratio to nginx |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for mode in $MODES; do
		[ "$mode" = log ] && ml="file" || ml="off"
		for what in session health; do
			eval "size=\$SIZE_$what rh=\$RC_HDR_$what nh=\$NGX_HDR_$what"
			[ "$what" = session ] && name="rootcut GET /api/v1/session (Bearer)" ||
				name="rootcut GET /api/v1/health"
			printf '| %s | %s | %s | %s | %.0f | %.2f | %.1f | **%.2f** | %.2f |\n' "$name" \
				"$ml" "$size" "$rh" "$(col "rc-$what-$mode" 3)" "$(col "rc-$what-$mode" 4)" \
				"$(col "rc-$what-$mode" 5)" "$(ratios "rc-$what-$mode" "ngx-$what-$mode" 3)" \
				"$(ratios "rc-$what-$mode" "ngx-$what-$mode" 5 1)"
			printf '| nginx static %s.json | %s | %s | %s | %.0f | %.2f | %.1f | 1 | 1 |\n' "$what" \
				"$ml" "$size" "$nh" "$(col "ngx-$what-$mode" 3)" "$(col "ngx-$what-$mode" 4)" \
				"$(col "ngx-$what-$mode" 5)"
		done
	done
	echo
	echo "Medians of $RUNS runs. Server CPU: user+system time of the server process(es)"
	echo "divided by requests served. req/s ratio: median over rounds of rootcut's req/s"
	echo "divided by nginx's in the same round, same body size and log mode. CPU ratio:"
	echo "the same for nginx's CPU µs/req divided by rootcut's, i.e. requests per CPU-second"
	echo "relative to nginx, which wrk's share of the CPUs does not blur."
	echo
	echo "Every run. CPU columns are shares of all $(nproc) CPUs during the run: the server"
	echo "process(es), wrk, and everything else (other processes, kernel threads,"
	echo "hypervisor steal). A large \"other\" means a neighbour competed for the CPUs."
	echo
	echo "| target | run | req/s | p99 ms | server µs/req | server CPU % | wrk CPU % | other CPU % | errors |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	sort -k1,1 -k2,2n "$TMP/results" | awk '{ printf "| %s | %s | %.0f | %.2f | %.1f | %s | %s | %s | %s |\n",
		$1, $2, $3, $4, $5, $8, $9, $10, $7 }'
} >"$OUT"

# The same table for the terminal.
echo
awk -F' [|] ' 'function row(a, b, c, d, e, f, g, h) {
		printf "%-38s %-4s %5s %8s %8s %7s %6s %6s\n", a, b, c, d, e, f, g, h }
	/^\| target \| access/ { row("target", "log", "body", "req/s", "p99 ms", "us/req", "req/s", "CPU") }
	/^\| (rootcut|nginx)/ { gsub(/\*/, ""); gsub(/ \|$/, "")
		row(substr($1, 3), $2, $3, $5, $6, $7, $8, $9) }' "$OUT"
echo "(the last two columns: ratios to nginx)"
echo "Markdown fragment: $OUT"

bad=$(awk '$7 > 0' "$TMP/results" | wc -l)
[ "$bad" -eq 0 ] || die "$bad runs had non-2xx answers or socket errors; see the table"
