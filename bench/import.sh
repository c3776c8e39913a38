#!/bin/sh
# bench/import.sh - bulk import speed (issue 3: 1,000,000 reports of about four
# identifiers each, with correlation, into SQLite) next to an anchor measured in
# the same run: the sqlite3 shell's .import of the same CSV rows into a plain
# table, the raw speed floor of SQLite on this machine.
#
# The reports come from `rootcut demo generate` (CSV, the import's default
# columns, a fixed seed and date). Each run imports into a fresh database
# (`rootcut init --demo --demo-reports 0`), once as a normal import
# (transactions of 50,000 reports) and once with --bulk (one transaction,
# indexes rebuilt at its end); RUNS runs of each, interleaved, medians
# reported, with reports/s and the database size on disk (main file and WAL)
# after the import. Results: a table on stdout and a Markdown fragment in
# $OUT.
set -eu

usage() {
	cat <<'USAGE'
usage: bench/import.sh [-h]

Environment (defaults in brackets):
  ROOTCUT   rootcut binary to measure          [./rootcut]
  SQLITE3   sqlite3 shell for the anchor       [sqlite3]
  REPORTS   reports to generate and import     [1000000]
  RUNS      runs of each                       [3]
  WORK      scratch directory (GBs for 1M)     [a new one under ${TMPDIR:-/tmp}]
  OUT       Markdown fragment                  [bench/out/import.md]
USAGE
}
[ "${1:-}" = "-h" ] && { usage; exit 0; }

cd "$(dirname "$0")/.."
ROOTCUT=${ROOTCUT:-./rootcut}
SQLITE3=${SQLITE3:-sqlite3}
REPORTS=${REPORTS:-1000000}
RUNS=${RUNS:-3}
OUT=${OUT:-bench/out/import.md}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/rootcut-bench-import.XXXXXX")}
mkdir -p "$WORK" "$(dirname "$OUT")"
trap 'rm -rf "$WORK"' EXIT INT TERM

now() { date +%s.%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
size_mb() { du -cb "$@" 2>/dev/null | tail -1 | awk '{ printf "%.0f\n", $1 / 1048576 }'; }

CSV="$WORK/reports.csv"
echo "generating $REPORTS reports ..."
"$ROOTCUT" demo generate --reports "$REPORTS" --seed 1 --until 2026-01-01 --format csv --out "$CSV"
ROWS=$(($(wc -l <"$CSV") - 1))

: >"$WORK/rootcut.t"
: >"$WORK/bulk.t"
: >"$WORK/anchor.t"
: >"$WORK/rootcut.mb"
: >"$WORK/bulk.mb"
: >"$WORK/anchor.mb"
# import NAME [OPTION]: a fresh database, then the import (with correlation and counts)
import() {
	D="$WORK/data-$1$run"
	rm -rf "$D"
	"$ROOTCUT" --data "$D" init --demo --demo-reports 0 >/dev/null 2>&1
	t0=$(now)
	"$ROOTCUT" --data "$D" import reports "$CSV" --quiet ${2:-} >"$WORK/import-$1$run.out"
	t1=$(now)
	echo "scale=2; ($t1 - $t0) / 1" | bc >>"$WORK/$1.t"
	size_mb "$D/rootcut.db" "$D/rootcut.db-wal" >>"$WORK/$1.mb"
	sqlite3 "$D/rootcut.db" \
		"SELECT (SELECT COUNT(*) FROM reports), (SELECT COUNT(*) FROM observations),
		 (SELECT COUNT(*) FROM identifiers), (SELECT COUNT(*) FROM reports WHERE duplicate_of IS NOT NULL)" \
		>"$WORK/counts-$1"
	rm -rf "$D"
}
for run in $(seq 1 "$RUNS"); do
	import rootcut
	import bulk --bulk
	cmp -s "$WORK/counts-rootcut" "$WORK/counts-bulk" ||
		{ echo "bench/import.sh: --bulk stored other counts than a normal import" >&2; exit 1; }
	# the anchor: the sqlite3 shell's .import of the same file into a plain table
	A="$WORK/anchor$run.db"
	rm -f "$A"
	t0=$(now)
	"$SQLITE3" "$A" "PRAGMA journal_mode=WAL;" ".import --csv $CSV raw" >/dev/null
	t1=$(now)
	echo "scale=2; ($t1 - $t0) / 1" | bc >>"$WORK/anchor.t"
	size_mb "$A" "$A-wal" >>"$WORK/anchor.mb"
	rm -f "$A" "$A-wal" "$A-shm"
	echo "run $run: rootcut $(tail -1 "$WORK/rootcut.t") s, --bulk $(tail -1 "$WORK/bulk.t") s," \
		"sqlite3 .import $(tail -1 "$WORK/anchor.t") s"
done

RT=$(median <"$WORK/rootcut.t")
BT=$(median <"$WORK/bulk.t")
AT=$(median <"$WORK/anchor.t")
RM=$(median <"$WORK/rootcut.mb")
BM=$(median <"$WORK/bulk.mb")
AM=$(median <"$WORK/anchor.mb")
IFS='|' read -r NREP NOBS NIDENT NDUP <"$WORK/counts-rootcut"
RPS=$(echo "$ROWS / $RT" | bc)
BPS=$(echo "$ROWS / $BT" | bc)
APS=$(echo "$ROWS / $AT" | bc)
CPU=$(grep -c ^processor /proc/cpuinfo 2>/dev/null || echo "?")
{
	echo "| what | median s | reports/s | database MB |"
	echo "| --- | ---: | ---: | ---: |"
	echo "| rootcut import reports (with correlation) | $RT | $RPS | $RM |"
	echo "| rootcut import reports --bulk (with correlation) | $BT | $BPS | $BM |"
	echo "| sqlite3 .import into one plain table (anchor) | $AT | $APS | $AM |"
	echo
	echo "$ROWS reports ($NOBS observations of $NIDENT distinct identifiers, $NDUP linked as likely"
	echo "duplicates), median of $RUNS runs each, $CPU CPUs, $(uname -sr)."
} | tee "$OUT"
