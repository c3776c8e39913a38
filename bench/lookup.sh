#!/bin/sh
# bench/lookup.sh - the real-time lookup service (issue 3): GET /api/v1/lookup
# with a lookup-scope token under wrk, on a database of REPORTS generated
# reports (1,000,000 by default), next to GET /api/v1/health of the same
# server in the same run. Target of the issue: >= 20,000 requests/s with
# p99 <= 5 ms at 64 connections.
#
# The database is generated and imported ONCE into a cache directory
# (bench/out/lookup-data-REPORTS/) and reused by later runs: the import of a
# million reports takes minutes. Every request of a wrk run takes the next
# value of a list that alternates existing and missing values (50/50),
# phones, bank accounts and URLs in turn.
#
# Linux only (reads /proc for CPU time). Bounded: every wrk and curl call has a
# time limit; the server it starts is stopped on exit, also on ^C.
# Results: a table on stdout and a Markdown fragment in $OUT.
set -eu

usage() {
	cat <<'EOF'
usage: bench/lookup.sh [-h]

Environment (defaults in brackets):
  ROOTCUT      rootcut binary to measure            [./rootcut]
  REPORTS      reports in the database              [1000000]
  CACHE        the generated, imported data dir     [bench/out/lookup-data-$REPORTS]
  VALUES       values in the wrk list (half exist)  [6000]
  RUNS         measured runs per target             [3]
  DURATION     seconds per wrk run                  [20]
  CONNECTIONS  wrk connections                      [64]
  THREADS      wrk threads                          [2]
  WARMUP       seconds of unrecorded warm-up each   [5]
  ACCESS_LOG   file or off                          [file]
  OUT          Markdown fragment written here       [bench/out/lookup.md]
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
REPORTS=${REPORTS:-1000000}
CACHE=${CACHE:-$ROOT/bench/out/lookup-data-$REPORTS}
VALUES=${VALUES:-6000}
RUNS=${RUNS:-3}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-5}
ACCESS_LOG=${ACCESS_LOG:-file}
OUT=${OUT:-$ROOT/bench/out/lookup.md}
KEEP=${KEEP:-0}

die() { echo "bench/lookup.sh: $*" >&2; exit 1; }
note() { echo "# $*" >&2; }
. "$HERE/lib.sh"

for tool in wrk curl timeout awk sqlite3; do
	command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (scripts/bootstrap installs it)"
done
[ -x "$ROOTCUT" ] || die "no rootcut binary at '$ROOTCUT' (run make, or set ROOTCUT)"
[ -r /proc/stat ] || die "needs Linux /proc"
case "$ACCESS_LOG" in file | off) ;; *) die "ACCESS_LOG is file or off" ;; esac
ROOTCUT=$(cd "$(dirname "$ROOTCUT")" && pwd)/$(basename "$ROOTCUT")

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rootcut-bench-lookup.XXXXXX")
PID=""
WRK_PID=""

cleanup() {
	for p in $WRK_PID $PID; do
		kill "$p" 2>/dev/null || true
	done
	for p in $WRK_PID $PID; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$p" 2>/dev/null || true
	done
	if [ "$KEEP" = 1 ]; then note "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

TCK=$(getconf CLK_TCK)
DATA="$CACHE/data"

# ---- the database: generated and imported once, then reused
if [ ! -f "$CACHE/ready" ]; then
	note "no cached database in $CACHE: generating and importing $REPORTS reports (minutes)"
	rm -rf "$CACHE"
	mkdir -p "$CACHE"
	"$ROOTCUT" demo generate --reports "$REPORTS" --seed 1 --until 2026-01-01 --format csv \
		--out "$CACHE/reports.csv" || die "demo generate failed"
	"$ROOTCUT" --data "$DATA" init --demo --demo-reports 0 >"$CACHE/init.out" 2>&1 ||
		die "rootcut init failed: $(tail -5 "$CACHE/init.out")"
	t0=$(date +%s)
	"$ROOTCUT" --data "$DATA" import reports "$CACHE/reports.csv" --quiet \
		>"$CACHE/import.out" 2>&1 || [ $? -eq 1 ] ||
		die "import failed: $(tail -5 "$CACHE/import.out")"
	note "imported in $(($(date +%s) - t0)) s"
	rm -f "$CACHE/reports.csv"
	echo "$REPORTS reports, imported $(date -u +%Y-%m-%dT%H:%MZ) by $("$ROOTCUT" version | head -1)" \
		>"$CACHE/ready"
fi
note "database: $(cat "$CACHE/ready")"
DB_MB=$(du -cb "$DATA/rootcut.db" "$DATA/rootcut.db-wal" 2>/dev/null | tail -1 |
	awk '{ printf "%.0f", $1 / 1048576 }')
COUNTS=$(sqlite3 "$DATA/rootcut.db" "SELECT (SELECT COUNT(*) FROM reports) || ' reports, ' ||
	(SELECT COUNT(*) FROM identifiers) || ' distinct identifiers'")

TOKEN=$("$ROOTCUT" --data "$DATA" token create --user bank.bot --name bench-lookup \
	--scopes lookup 2>"$TMP/token.log" | awk '/^rct_/ { print $1 }')
[ -n "$TOKEN" ] || die "cannot create an API token: $(cat "$TMP/token.log")"

# ---- the values: existing ones from the database, missing ones made up, alternating
half=$((VALUES / 2))
per=$(((half + 2) / 3))
sqlite3 -separator ' ' "$DATA/rootcut.db" "
	SELECT * FROM (SELECT type, value FROM identifiers WHERE type = 'phone'
		AND report_count > 0 ORDER BY random() LIMIT $per);
	SELECT * FROM (SELECT type, value FROM identifiers WHERE type = 'bank_account'
		AND report_count > 0 ORDER BY random() LIMIT $per);
	SELECT * FROM (SELECT type, value FROM identifiers WHERE type = 'url'
		AND report_count > 0 ORDER BY random() LIMIT $per);" >"$TMP/existing"
# Missing: mobile numbers in a block the generator rarely uses, accounts at a
# real bank code with a 14-digit number, URLs on made-up .com.tw names.
awk -v n="$per" -v seed="$$" 'BEGIN { srand(seed)
	for (i = 0; i < n; i++) printf "phone 0909%06d\n", int(rand() * 1000000)
	for (i = 0; i < n; i++) printf "bank_account 822-%07d%07d\n", int(rand() * 1e7), int(rand() * 1e7)
	for (i = 0; i < n; i++) printf "url https://miss-%d.com.tw/p/%d\n", int(rand() * 1e9), i
}' >"$TMP/missing"
# Interleave: existing, missing, existing, … with the types in turn.
awk 'FNR == 1 { f++ }
	{ v[f, $1, ++n[f, $1]] = $0 }
	END { split("phone bank_account url", t, " ")
		for (i = 1; ; i++) { k = t[(i - 1) % 3 + 1]; j = int((i - 1) / 3) + 1
			if (!((1, k, j) in v) || !((2, k, j) in v)) break
			print v[1, k, j]; print v[2, k, j] } }' "$TMP/existing" "$TMP/missing" >"$TMP/values"
awk 'function enc(s,    i, c, o) { o = ""
		for (i = 1; i <= length(s); i++) { c = substr(s, i, 1)
			if (c ~ /[A-Za-z0-9._~-]/) o = o c; else o = o sprintf("%%%02X", ord[c]) }
		return o }
	BEGIN { for (i = 0; i < 256; i++) ord[sprintf("%c", i)] = i }
	{ print "/api/v1/lookup?type=" $1 "&value=" enc($2) }' "$TMP/values" >"$TMP/paths"
NPATHS=$(wc -l <"$TMP/paths" | tr -d ' ')
[ "$NPATHS" -ge 6 ] || die "too few values ($NPATHS): is the database empty?"

cat >"$TMP/lookup.lua" <<EOF
-- Each request is the next of the list, formatted once at start (so wrk's own
-- cost per request stays that of a static request); each thread starts elsewhere.
local reqs = {}
local n = 0
local threads = 0
function setup(thread)
	thread:set("start", threads * 7919)
	threads = threads + 1
end
function init(args)
	local headers = { ["Authorization"] = "Bearer $TOKEN" }
	for line in io.lines("$TMP/paths") do reqs[#reqs + 1] = wrk.format("GET", line, headers) end
	n = start or 0
end
function request()
	n = n % #reqs + 1
	return reqs[n]
end
EOF

# ---- the server
if [ "$ACCESS_LOG" = file ]; then LOGPATH="$TMP/access.log"; else LOGPATH=off; fi
# The reports are dated in 2025 (--until 2026-01-01); with the default age-out
# of 365 days most would answer "none" from some date on. Ten years keep every
# existing value "reported", so each takes the full path: the identifier, the
# age-out check, then the warning list.
ROOTCUT_ACCESS_LOG=$LOGPATH ROOTCUT_LOOKUP_REPORT_TTL_DAYS=3650 \
	"$ROOTCUT" --data "$DATA" serve --listen 127.0.0.1:0 --ready-file "$TMP/ready" \
	>"$TMP/rootcut.out" 2>"$TMP/rootcut.log" &
PID=$!
i=0
while [ ! -s "$TMP/ready" ]; do
	i=$((i + 1))
	kill -0 "$PID" 2>/dev/null && [ $i -le 300 ] ||
		die "rootcut serve did not start: $(tail -5 "$TMP/rootcut.log")"
	sleep 0.1
done
URL=$(cat "$TMP/ready")

# ---- check the mix once with the bulk lookup: how many answer "reported"
awk 'BEGIN { printf "{\"items\":[" } { printf "%s{\"type\":\"%s\",\"value\":\"%s\"}", (NR > 1 ? "," : ""), $1, $2 }
	END { print "]}" }' "$TMP/values" >"$TMP/bulk.json"
curl -sS --max-time 120 -H "Authorization: Bearer $TOKEN" --data-binary @"$TMP/bulk.json" \
	-o "$TMP/bulk.out" -w '%{http_code}' "$URL/api/v1/lookup" >"$TMP/bulk.status" ||
	die "the bulk check failed"
[ "$(cat "$TMP/bulk.status")" = 200 ] || die "the bulk check answered $(cat "$TMP/bulk.status")"
MIX=$(tr '{' '\n' <"$TMP/bulk.out" | awk -F'"risk":"' 'NF > 1 { split($2, a, "\""); r[a[1]]++ }
	/"error":$/ { r["refused as invalid"]++ }
	END { s = ""; for (k in r) s = s (s ? ", " : "") r[k] " " k; print s }')
note "$NPATHS values: $MIX"
curl -sS --max-time 5 -o "$TMP/one.json" -H "Authorization: Bearer $TOKEN" \
	"$URL$(head -1 "$TMP/paths")"
BODY_B=$(wc -c <"$TMP/one.json" | tr -d ' ')

# run_wrk id seconds outfile run: wrk_measure() (bench/lib.sh) of lookup or health
run_wrk() {
	case "$1" in
	lookup) wrk_measure "$1" "$4" "$2" "$3" "$PID" -s "$TMP/lookup.lua" "$URL" ;;
	health) wrk_measure "$1" "$4" "$2" "$3" "$PID" "$URL/api/v1/health" ;;
	esac
}

note "rootcut $("$ROOTCUT" version | head -1) on $URL; $RUNS x 2 targets x ${DURATION}s"
run_wrk lookup "$WARMUP" "$TMP/warmup.lookup" 0
run_wrk health "$WARMUP" "$TMP/warmup.health" 0
: >"$TMP/results"
run=1
while [ $run -le "$RUNS" ]; do
	# Odd runs lookup first, even runs health first.
	if [ $((run % 2)) -eq 1 ]; then order="lookup health"; else order="health lookup"; fi
	for id in $order; do
		run_wrk "$id" "$DURATION" "$TMP/wrk.$id.$run" "$run" || exit 1
		run_note
	done
	run=$((run + 1))
done

ratio() { # column: median of per-round lookup / health
	awk -v c="$1" '$1 == "lookup" { x[$2] = $c } $1 == "health" { y[$2] = $c }
		END { for (r in x) if (x[r] && y[r]) print x[r] / y[r] }' "$TMP/results" | median
}

CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
ROOTCUT_VERSION=$("$ROOTCUT" version | head -1)
WRK_VERSION=$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }')
SETTINGS="REPORTS=$REPORTS VALUES=$VALUES RUNS=$RUNS DURATION=$DURATION CONNECTIONS=$CONNECTIONS THREADS=$THREADS ACCESS_LOG=$ACCESS_LOG"
LRPS=$(col lookup 3)
LP99=$(col lookup 4)

mkdir -p "$(dirname "$OUT")"
{
	echo "<!-- generated by bench/lookup.sh on $(date -u +%Y-%m-%dT%H:%MZ) -->"
	echo "Machine: $(nproc) CPUs ($CPU_MODEL), Linux $(uname -r); wrk and rootcut"
	echo "share these CPUs. Versions: $ROOTCUT_VERSION; wrk $WRK_VERSION."
	echo "Database: $COUNTS, $DB_MB MiB ($(cat "$CACHE/ready"))."
	echo "Values: $NPATHS, alternating existing and missing, phones, bank accounts and"
	echo "URLs in turn; the bulk lookup of the same list answered: $MIX."
	echo
	echo "Command: \`$SETTINGS bench/lookup.sh\`"
	echo "(each wrk run: \`wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency\`)."
	echo
	echo "| target | body B | req/s | p99 ms | server CPU µs/req | req/s ratio to health | target met |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
	printf '| GET /api/v1/lookup (Bearer, lookup scope) | %s | %.0f | %.2f | %.1f | **%.2f** | %s |\n' \
		"$BODY_B" "$LRPS" "$LP99" "$(col lookup 5)" "$(ratio 3)" \
		"$(awk -v r="$LRPS" -v p="$LP99" 'BEGIN { printf "%s req/s, %s p99", (r >= 20000 ? "yes" : "no"), (p <= 5 ? "yes" : "no") }')"
	printf '| GET /api/v1/health | %s | %.0f | %.2f | %.1f | 1 | |\n' \
		"$(curl -sS --max-time 5 "$URL/api/v1/health" | wc -c | tr -d ' ')" "$(col health 3)" \
		"$(col health 4)" "$(col health 5)"
	echo
	echo "Medians of $RUNS runs. Server CPU: user+system time of the rootcut process"
	echo "divided by requests served. Target (issue 3): >= 20,000 req/s with p99 <= 5 ms."
	echo
	echo "Every run. CPU columns are shares of all $(nproc) CPUs during the run: rootcut, wrk,"
	echo "and everything else (other processes, kernel threads, hypervisor steal). A large"
	echo "\"other\" means a neighbour competed for the CPUs."
	echo
	echo "| target | run | req/s | p99 ms | server µs/req | server CPU % | wrk CPU % | other CPU % | errors |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	sort -k1,1 -k2,2n "$TMP/results" | awk '{ printf "| %s | %s | %.0f | %.2f | %.1f | %s | %s | %s | %s |\n",
		$1, $2, $3, $4, $5, $8, $9, $10, $7 }'
} >"$OUT"

echo
sed -n '/^| target | body/,/^$/p' "$OUT"
echo "Markdown fragment: $OUT"

bad=$(awk '$7 > 0' "$TMP/results" | wc -l)
[ "$bad" -eq 0 ] || die "$bad runs had non-2xx answers or socket errors; see the table"
