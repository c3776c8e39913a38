#!/bin/sh
# tests/browser/run.sh - browser tests of the web UI, as TAP on stdout.
#
# Starts its own rootcut server ($ROOTCUT, default build/rootcut) on a fresh
# demo data directory and drives Debian's chromium with playwright-core
# (web/node_modules) through tests/browser/ui.test.mjs, then rpz.test.mjs
# (or only the files named as arguments): headless, with the closed-network
# flags and a fresh profile. Everything is bounded in time.
# Screenshots go to $OUT/screenshots, or to $ROOTCUT_SCREENSHOTS when set
# (`ROOTCUT_SCREENSHOTS=docs/screenshots` refreshes the README's pictures).
set -u
cd "$(dirname "$0")/../.."
REPO=$PWD
: "${ROOTCUT:=$REPO/build/rootcut}"
BUILD_NAME=$(basename "${ROOTCUT_BUILD:-$(dirname "$ROOTCUT")}")
OUT="$REPO/tests/out/$BUILD_NAME/browser"
DATA="$OUT/data"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
SERVER_PID=""

bail() { # reason
	echo "not ok 1 - browser tests could not start: $1"
	echo "1..1"
	exit 1
}

stop_server() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null
		i=0
		while kill -0 "$SERVER_PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
		kill -9 "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		SERVER_PID=""
	fi
}
trap stop_server EXIT INT TERM

[ -x "$ROOTCUT" ] || bail "no rootcut binary at $ROOTCUT"
command -v node >/dev/null 2>&1 || bail "node is not installed (scripts/bootstrap)"
[ -x "$CHROMIUM" ] || bail "no chromium at $CHROMIUM (scripts/bootstrap installs Debian's chromium)"
[ -d web/node_modules/playwright-core ] || bail "web/node_modules is missing (scripts/bootstrap runs npm ci)"
[ -f web/dist/index.html ] || bail "the web UI is not built (make web)"

rm -rf "$OUT"
mkdir -p "$DATA"
# Cheap password hashing and no sign-in rate limit: the tests sign in often.
cat >"$DATA/rootcut.conf" <<CONF
argon2_t_cost = 1
argon2_m_kib = 1024
login_rate_per_minute = 1000
threads = 4
web_root = $REPO/web/dist
access_log = $OUT/access.log
CONF
"$ROOTCUT" --data "$DATA" init --demo >"$OUT/logins" 2>"$OUT/init.log" || bail "init --demo failed: $(tail -3 "$OUT/init.log")"
# A user who must change the one-time password at first sign-in.
"$ROOTCUT" --data "$DATA" user add new.officer --agency TPDP --roles investigator \
	--display-name "新進偵查員 測試" >"$OUT/newuser" 2>>"$OUT/init.log" || bail "user add failed"
NEWUSER_PASSWORD=$(sed -n 's/.*one-time password: //p' "$OUT/newuser")

"$ROOTCUT" --data "$DATA" serve --listen 127.0.0.1:0 --ready-file "$OUT/ready" \
	>"$OUT/server.out" 2>"$OUT/server.log" &
SERVER_PID=$!
i=0
while [ ! -s "$OUT/ready" ]; do
	i=$((i + 1))
	if [ $i -gt 200 ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
		bail "the server did not start: $(tail -3 "$OUT/server.log")"
	fi
	sleep 0.05
done

# Each test file in turn against this server (all of them, or those named:
# `sh tests/browser/run.sh rpz.test.mjs`), each bounded in time.
rc=0
for file in ${*:-ui.test.mjs rpz.test.mjs}; do
	BASE=$(cat "$OUT/ready") LOGINS="$OUT/logins" NEWUSER_PASSWORD="$NEWUSER_PASSWORD" \
		CHROMIUM="$CHROMIUM" OUT="$OUT" SHOTS="${ROOTCUT_SCREENSHOTS:-$OUT/screenshots}" \
		TEST_FILE="${file%%.*}" timeout -k 10 420 node "tests/browser/$file"
	frc=$?
	[ $frc -ne 124 ] || echo "not ok - the browser tests of $file timed out after 420 s"
	[ $frc -eq 0 ] || rc=$frc
done
stop_server
exit $rc
