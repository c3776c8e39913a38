# Prometheus metrics at GET /metrics: counts that match the requests made,
# by route and status class, a consistent latency histogram, store counters,
# and text that a Prometheus parser accepts.
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }
MT=$(rc_token admin metrics,admin,write,read)

metrics() {
	bearer "$MT" GET /metrics
	printf '%s\n' "$BODY" >"$TEST_TMP/metrics.txt"
}
value() { # SAMPLE (name with labels, exact): its value, or 0 when absent
	awk -v s="$1" 'index($0, s " ") == 1 { print $NF; f = 1 } END { if (!f) print 0 }' "$TEST_TMP/metrics.txt"
}
# settle: /metrics counts a request when it completes, just after its answer
# is sent; ask until the expected count shows (bounded; not a timing assertion)
settle() { # SAMPLE EXPECTED [SAMPLE EXPECTED]
	i=0
	metrics
	while { [ "$(value "$1")" != "$2" ] || { [ $# -gt 2 ] && [ "$(value "$3")" != "$4" ]; }; } &&
		[ $i -lt 50 ]; do
		sleep 0.05
		metrics
		i=$((i + 1))
	done
}

metrics
is "$STATUS" 200 "GET /metrics with the metrics scope is 200"
like "$(header Content-Type)" '^text/plain; version=0\.0\.4' "in the Prometheus text format"
is "$(header Cache-Control)" no-store "and never cached"
health='rootcut_http_requests_total{method="GET",route="/api/v1/health",status="2xx"}'
users4='rootcut_http_requests_total{method="GET",route="/api/v1/users",status="4xx"}'
h0=$(value "$health")
u0=$(value "$users4")

for i in 1 2 3 4 5 6 7; do anon GET /api/v1/health; done
for i in 1 2 3; do anon GET /api/v1/users; done
settle "$health" $((h0 + 7)) "$users4" $((u0 + 3))
is "$(value "$health")" $((h0 + 7)) "7 health checks add 7 to the health route's 2xx counter"
is "$(value "$users4")" $((u0 + 3)) "3 refused user lists add 3 to its 4xx counter"
is "$(value 'rootcut_http_requests_total{method="GET",route="/api/v1/users",status="2xx"}')" 0 \
	"and nothing to its 2xx counter"
is "$(value 'rootcut_http_request_duration_seconds_count{method="GET",route="/api/v1/health"}')" "$(value "$health")" \
	"the latency histogram counted the same requests"

# The histogram is cumulative and ends at the count.
grep '^rootcut_http_request_duration_seconds_bucket{method="GET",route="/api/v1/health",' "$TEST_TMP/metrics.txt" |
	awk '{ print $NF }' >"$TEST_TMP/buckets"
is "$(sort -n "$TEST_TMP/buckets" | tr '\n' ' ')" "$(tr '\n' ' ' <"$TEST_TMP/buckets")" "the buckets never decrease"
is "$(tail -n1 "$TEST_TMP/buckets")" "$(value 'rootcut_http_request_duration_seconds_count{method="GET",route="/api/v1/health"}')" \
	"the +Inf bucket equals the count"
like "$(grep -c 'le="+Inf"' "$TEST_TMP/metrics.txt")" '^[1-9]' "routes that were used have a histogram"

# Store counters move with writes.
c0=$(value rootcut_store_commits_total)
for i in 1 2 3; do bearer "$MT" POST /api/v1/agencies "{\"name\":\"指標測試 $i\",\"code\":\"MET$i\",\"kind\":\"bank\"}"; done
metrics
c1=$(value rootcut_store_commits_total)
[ "$c1" -ge $((c0 + 3)) ] && ok "3 writes add at least 3 commits ($c0 -> $c1)" || not_ok "3 writes add at least 3 commits" "$c0 -> $c1"
is "$(value rootcut_store_errors_total)" 0 "no store errors"
inflight=$(value rootcut_http_requests_in_flight)
[ "$inflight" -ge 1 ] && ok "requests in flight count the /metrics request itself ($inflight)" ||
	not_ok "requests in flight count the /metrics request itself" "$inflight"
like "$(grep '^rootcut_build_info' "$TEST_TMP/metrics.txt")" 'version="[0-9]+\.[0-9]+\.[0-9]+"' "build_info names the version"

# Static and unrouted requests are counted apart from the API routes.
anon GET /no-such-file.png
metrics
like "$(grep 'route="static"' "$TEST_TMP/metrics.txt")" 'status="4xx"' "static requests are counted under route=static"
unlike "$(cat "$TEST_TMP/metrics.txt")" 'no-such-file' "paths themselves never become labels"

# The text is valid: every sample has a TYPE, names and labels are well-formed.
bad=$(grep -v '^#' "$TEST_TMP/metrics.txt" | grep -v '^$' |
	grep -Ev '^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*")*\})? [0-9.e+-]+$' | head -3)
is "$bad" "" "every sample line is well-formed"
untyped=$(grep -v '^#' "$TEST_TMP/metrics.txt" | grep -v '^$' | sed 's/[{ ].*//; s/_bucket$//; s/_sum$//; s/_count$//' | sort -u |
	while read -r m; do grep -q "^# TYPE $m " "$TEST_TMP/metrics.txt" || echo "$m"; done)
is "$untyped" "" "every metric has a # TYPE line"
dups=$(grep -v '^#' "$TEST_TMP/metrics.txt" | grep -v '^$' | sed 's/ [^ ]*$//' | sort | uniq -d | head -3)
is "$dups" "" "no sample appears twice"
if command -v promtool >/dev/null; then
	promtool check metrics <"$TEST_TMP/metrics.txt" >"$TEST_TMP/promtool.txt" 2>&1
	is "$?" 0 "promtool check metrics accepts it"
fi

# Counters start from zero in a new process.
rc_stop
rc_serve
metrics
is "$(value "$health")" 0 "a restarted server starts its counters at zero"
done_testing
