# tests/integration/lib/incident.sh - sourced by the incident suites after
# ../lib/common.sh: a server whose clock the test moves (ROOTCUT_FAKE_NOW_FILE,
# test only: re-read at every clock reading) and whose incident scheduler looks
# every second, and waiting for what the scheduler writes.

T0=1767225600 # 2026-01-01T00:00:00Z
NOW_FILE="$TEST_TMP/now"
export ROOTCUT_FAKE_NOW_FILE="$NOW_FILE"

# set_now SECONDS: move the clock of every rootcut process (atomically: mv)
set_now() {
	echo "$1" >"$NOW_FILE.tmp" && mv "$NOW_FILE.tmp" "$NOW_FILE"
}

# iso SECONDS: 2026-01-01T00:00:00Z
iso() {
	date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ
}

# inc_start: fresh demo data at T0, the scheduler looking every second, serve
inc_start() {
	set_now "$T0"
	rc_init || return 1
	echo "incident_poll_s = 1" >>"$DATA/rootcut.conf"
	rc_serve "$@"
}

# wait_until DESCRIPTION COMMAND...: up to 10 s for COMMAND to succeed
wait_until() {
	d=$1
	shift
	i=0
	while [ $i -lt 100 ]; do
		if "$@" >/dev/null 2>&1; then ok "$d"; return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	not_ok "$d" "timed out: $*"
}

# timeline_has ID PATTERN: the incident's timeline (console) matches PATTERN
timeline_has() {
	rc_cli incident timeline "$1" | grep -Eq "$2"
}

# notified USER KIND: USER has a notification of KIND (read through the database)
notified() {
	n=$(rc_cli_sql "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE u.username = '$1' AND n.kind = '$2'")
	[ "${n:-0}" -gt 0 ]
}

rc_cli_sql() {
	sqlite3 -readonly "$DATA/rootcut.db" "$1"
}
