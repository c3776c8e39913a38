# tests/integration/lib/common.sh - sourced by every integration test script.
#
# Gives TAP output helpers and a real rootcut server on a free loopback port:
#   . "$(dirname "$0")/../lib/common.sh"
#   rc_start            # init a fresh data dir with demo data, start serve
#   rc_login admin      # sign in through the API; sets $CSRF, cookie jar $JAR
#   api GET /api/v1/users            # curl with the session; body in $BODY, status in $STATUS
#   is "$STATUS" 200 "admins list users"
#   rc_stop
# Everything lives under $TEST_TMP (set by scripts/run-tests) and is bounded
# in time: curl calls time out, the server is killed on exit.

set -u
: "${ROOTCUT:?run through scripts/run-tests (ROOTCUT unset)}"
: "${TEST_TMP:=$(mktemp -d)}"
mkdir -p "$TEST_TMP"
DATA="$TEST_TMP/data"
JAR="$TEST_TMP/cookies"
TAP_N=0
TAP_FAILED=0
SERVER_PID=""
SERVER_STARTED=""  # set once a server was started
SERVER_EXIT_BAD="" # exit statuses of servers that did not stop cleanly on SIGTERM
BASE=""
BODY=""
STATUS=""
CSRF=""

ok() { # description
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1"
}

not_ok() { # description [diagnostic]
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
	[ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/# /'
}

check() { # description command... : ok when the command succeeds
	d=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$d"; else not_ok "$d" "command failed: $*"; fi
}

is() { # got expected description
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got '$1', expected '$2'; body: $(printf '%s' "$BODY" | head -c 400)"; fi
}

isnt() { # got unexpected description
	if [ "$1" != "$2" ]; then ok "$3"; else not_ok "$3" "got '$1', which it must not be"; fi
}

like() { # text pattern description (grep -E)
	if printf '%s' "$1" | grep -Eq "$2"; then ok "$3"; else not_ok "$3" "'$(printf '%s' "$1" | head -c 300)' does not match /$2/"; fi
}

unlike() { # text pattern description
	if printf '%s' "$1" | grep -Eq "$2"; then not_ok "$3" "'$(printf '%s' "$1" | head -c 300)' matches /$2/"; else ok "$3"; fi
}

done_testing() {
	rc_stop
	if [ -n "$SERVER_STARTED" ]; then
		if [ -z "$SERVER_EXIT_BAD" ] && ! grep -Eq \
			'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$TEST_TMP/server.log" 2>/dev/null; then
			ok "every server stopped cleanly on SIGTERM, with no sanitizer report"
		else
			not_ok "every server stopped cleanly on SIGTERM, with no sanitizer report" \
				"exit statuses:$SERVER_EXIT_BAD; $(grep -E -A5 'Sanitizer|runtime error:' \
				"$TEST_TMP/server.log" | head -20)"
		fi
	fi
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}

# Write a configuration that keeps tests fast: cheap argon2, short lockout.
rc_config() {
	mkdir -p "$DATA"
	cat >"$DATA/rootcut.conf" <<CONF
argon2_t_cost = 1
argon2_m_kib = 1024
login_max_failures = 3
login_lockout_s = 60
login_rate_per_minute = 1000
access_log = $TEST_TMP/access.log
threads = 2
CONF
}

# rc_init [extra init args]: fresh data dir with demo accounts; passwords in $TEST_TMP/logins
rc_init() {
	rm -rf "$DATA"
	rc_config
	# No generated reports unless a test asks (rc_init --demo-reports N): tests count rows.
	"$ROOTCUT" --data "$DATA" init --demo --demo-reports 0 "$@" >"$TEST_TMP/logins" \
		2>"$TEST_TMP/init.log" || {
		echo "# init failed:"; sed 's/^/# /' "$TEST_TMP/init.log"; return 1; }
}

# The demo password of a user, from the last init.
rc_password() {
	awk -v u="$1" '$1 == u { print $2 }' "$TEST_TMP/logins"
}

# rc_serve [serve args]: start serve on a free port; sets $BASE
rc_serve() {
	rm -f "$TEST_TMP/ready"
	"$ROOTCUT" --data "$DATA" serve --listen 127.0.0.1:0 --ready-file "$TEST_TMP/ready" "$@" \
		>>"$TEST_TMP/server.out" 2>>"$TEST_TMP/server.log" &
	SERVER_PID=$!
	SERVER_STARTED=1
	i=0
	while [ ! -s "$TEST_TMP/ready" ]; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
			echo "# server did not start:"; tail -20 "$TEST_TMP/server.log" | sed 's/^/# /'
			return 1
		fi
		sleep 0.05
	done
	BASE=$(cat "$TEST_TMP/ready")
}

rc_start() {
	rc_init && rc_serve "$@"
}

# rc_stop: SIGTERM, then SIGKILL after 5 s; a status other than 0 is recorded
# in $SERVER_EXIT_BAD and reported by done_testing (a sanitizer's exit, a hang).
rc_stop() {
	if [ -n "$SERVER_PID" ]; then
		if kill "$SERVER_PID" 2>/dev/null; then
			i=0
			while kill -0 "$SERVER_PID" 2>/dev/null && [ $i -lt 100 ]; do
				sleep 0.05
				i=$((i + 1))
			done
			kill -9 "$SERVER_PID" 2>/dev/null
		fi
		# Also when it had already exited: the shell keeps its status.
		wait "$SERVER_PID" 2>/dev/null
		st=$?
		[ "$st" -eq 0 ] || SERVER_EXIT_BAD="$SERVER_EXIT_BAD $st"
	fi
	SERVER_PID=""
}

trap 'rc_stop' EXIT INT TERM

# api METHOD PATH [JSON] [extra curl args...]: with the session cookie and CSRF token
api() {
	m=$1 p=$2
	shift 2
	data=""
	if [ $# -gt 0 ]; then data=$1; shift; fi
	if [ -n "$data" ]; then
		set -- --data-binary "$data" -H 'Content-Type: application/json' "$@"
	fi
	BODY=$(curl -sS -m 20 -b "$JAR" -c "$JAR" -X "$m" -H "X-CSRF-Token: $CSRF" \
		-D "$TEST_TMP/headers" -w '\n%{http_code}' "$@" "$BASE$p")
	STATUS=$(printf '%s' "$BODY" | tail -n1)
	BODY=$(printf '%s' "$BODY" | sed '$d')
}

# bearer TOKEN METHOD PATH [JSON]: with an API token instead of the session
bearer() {
	t=$1 m=$2 p=$3
	shift 3
	data=""
	if [ $# -gt 0 ]; then data=$1; shift; fi
	if [ -n "$data" ]; then
		set -- --data-binary "$data" -H 'Content-Type: application/json' "$@"
	fi
	BODY=$(curl -sS -m 20 -X "$m" -H "Authorization: Bearer $t" -D "$TEST_TMP/headers" \
		-w '\n%{http_code}' "$@" "$BASE$p")
	STATUS=$(printf '%s' "$BODY" | tail -n1)
	BODY=$(printf '%s' "$BODY" | sed '$d')
}

# anon METHOD PATH [JSON] [extra curl args...]: no session, no token
anon() {
	m=$1 p=$2
	shift 2
	data=""
	if [ $# -gt 0 ]; then data=$1; shift; fi
	if [ -n "$data" ]; then
		set -- --data-binary "$data" -H 'Content-Type: application/json' "$@"
	fi
	BODY=$(curl -sS -m 20 -X "$m" -D "$TEST_TMP/headers" -w '\n%{http_code}' "$@" "$BASE$p")
	STATUS=$(printf '%s' "$BODY" | tail -n1)
	BODY=$(printf '%s' "$BODY" | sed '$d')
}

# header NAME: a response header of the last api, bearer or anon call (the last
# one of that name), without the name and the CR
header() {
	tr -d '\r' <"$TEST_TMP/headers" | grep -i "^$1:" | tail -n1 | sed 's/^[^:]*: *//'
}

# The session cookie in the jar (empty when there is none).
rc_cookie() {
	awk '$6 == "rootcut_session" { print $7 }' "$JAR" 2>/dev/null
}

# rc_cli ARGS...: the rootcut command line on the test's data directory
rc_cli() {
	"$ROOTCUT" --data "$DATA" "$@"
}

# rc_login USER [PASSWORD [TOTP]]: new cookie jar, signs in, sets $CSRF
rc_login() {
	u=$1
	pw=${2:-$(rc_password "$1")}
	rm -f "$JAR"
	CSRF=""
	if [ $# -ge 3 ]; then
		api POST /api/v1/session "{\"username\":\"$u\",\"password\":\"$pw\",\"totp\":\"$3\"}"
	else
		api POST /api/v1/session "{\"username\":\"$u\",\"password\":\"$pw\"}"
	fi
	CSRF=$(printf '%s' "$BODY" | jq -r '.csrf_token // empty')
}

json() { # jq filter on $BODY
	printf '%s' "$BODY" | jq -r "$1"
}

# A token for USER with SCOPES (comma list), printed.
rc_token() {
	"$ROOTCUT" --data "$DATA" token create --user "$1" --name "test-$2" --scopes "$2" | tail -n1
}
