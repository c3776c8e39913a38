# bench/lib.sh - shared by the wrk benchmarks (bench/http.sh, bench/lookup.sh):
# CPU accounting from /proc, reading wrk's output, medians. Sourced, not run.
# The caller defines note() and sets TMP (a scratch directory), TCK (clock
# ticks per second), THREADS and CONNECTIONS (wrk's -t and -c).

cpu_ticks() { # pid...: user+system clock ticks of these processes
	for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null || true; done |
		awk '{ sub(/^.*\) /, ""); t += $12 + $13 } END { print t + 0 }'
}

child_s() { # file: CPU seconds (user+system) of waited-for children, from a times output
	awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] }
		printf "%.3f\n", t }' "$1"
}

busy_ticks() { # "busy total" ticks of the whole machine
	awk '/^cpu / { b = $2 + $3 + $4 + $7 + $8 + $9; print b, b + $5 + $6; exit }' /proc/stat
}

to_ms() { # wrk latency (850.00us, 1.20ms, 1.01s) -> milliseconds
	echo "$1" | awk '{ v = $0 + 0
		if ($0 ~ /us$/) v /= 1000; else if ($0 ~ /ms$/) v += 0; else if ($0 ~ /m$/) v *= 60000;
		else if ($0 ~ /s$/) v *= 1000; printf "%.3f\n", v }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	else if (NR) print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# col id column: the median of that column of $TMP/results over the runs of id
col() { awk -v id="$1" -v c="$2" '$1 == id { print $c }' "$TMP/results" | median; }

# wrk_measure id run seconds outfile "server pids" wrk-arguments...
# Runs wrk (bounded by a timeout) while measuring the server's CPU time, wrk's
# own and the whole machine's. When run > 0 it appends to $TMP/results:
#   id run req/s p99_ms server_us_per_req machine_busy_% errors server_% wrk_% other_%
# (the last three in percent of all CPUs: other is what neither used, e.g. a
# neighbour). Returns 1, with wrk's output on stderr, when wrk gave no figures.
wrk_measure() {
	id=$1 run=$2 secs=$3 out=$4 pids=$5
	shift 5
	c0=$(cpu_ticks $pids)
	read -r b0 t0 <<-EOT
	$(busy_ticks)
	EOT
	times >"$TMP/times.0" # not in $(…): a subshell has no children of ours
	# In the background and waited for, so that a signal stops the run at once.
	timeout $((secs + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --latency "$@" \
		>"$out" 2>&1 </dev/null &
	WRK_PID=$!
	wait "$WRK_PID" || true
	WRK_PID=""
	times >"$TMP/times.1"
	c1=$(cpu_ticks $pids)
	read -r b1 t1 <<-EOT
	$(busy_ticks)
	EOT
	[ "$run" -gt 0 ] || return 0
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
	reqs=$(awk '/requests in/ { print $1 }' "$out")
	p99=$(awk '$1 == "99%" { print $2 }' "$out")
	errs=$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
		END { print n + 0 }' "$out")
	[ -n "$rps" ] && [ -n "$p99" ] && [ -n "$reqs" ] || {
		note "wrk failed for $id run $run:"; sed 's/^/#   /' "$out" >&2; return 1; }
	wrk_s=$(awk -v a="$(child_s "$TMP/times.0")" -v b="$(child_s "$TMP/times.1")" \
		'BEGIN { print b - a }')
	awk -v id="$id" -v run="$run" -v rps="$rps" -v p99="$(to_ms "$p99")" -v reqs="$reqs" \
		-v errs="$errs" -v cpu=$((c1 - c0)) -v busy=$((b1 - b0)) -v total=$((t1 - t0)) \
		-v wrk="$wrk_s" -v tck="$TCK" 'BEGIN {
		if (!total) total = 1
		server = 100 * cpu / total; client = 100 * wrk * tck / total
		other = 100 * busy / total - server - client; if (other < 0) other = 0
		printf "%s %s %s %s %.1f %.0f %s %.0f %.0f %.0f\n", id, run, rps, p99,
			cpu * 1e6 / tck / reqs, 100 * busy / total, errs, server, client, other
	}' >>"$TMP/results"
}

# run_note: the last result as a progress line on stderr
run_note() {
	note "run $(tail -1 "$TMP/results" | awk '{ printf "%s %-17s %7.0f req/s  p99 %6.2f ms  %5.1f us/req  cpu: server %s%% wrk %s%% other %s%%", $2, $1, $3, $4, $5, $8, $9, $10 }')"
}
