# The hash-chained audit log: `rootcut audit verify` passes on an honest log
# and, after the test edits the database file directly with sqlite3 (server
# stopped), fails with exit status 5 naming the first bad event: an edited,
# deleted, inserted or reordered event, a truncated end, a forged chain head,
# or the wrong key. GET /api/v1/audit/verify reports the same.
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }
DB="$DATA/rootcut.db"
PRISTINE="$TEST_TMP/pristine.db"

# Some activity: sign-ins, failures, writes.
for u in admin analyst prosecutor.tp prosecutor.ks; do rc_login "$u"; done
for i in 1 2; do anon POST /api/v1/session '{"username":"analyst","password":"not-the-password"}'; done
rc_login admin
for i in 1 2 3 4 5 6; do
	api POST /api/v1/agencies "{\"name\":\"測試機關 $i\",\"code\":\"TAMP$i\",\"kind\":\"government\"}"
done
api POST /api/v1/users '{"username":"late.user","agency_id":3,"roles":["investigator"]}'
rc_login auditor
api GET /api/v1/audit
api GET /api/v1/audit/verify
is "$STATUS" 200 "GET /api/v1/audit/verify answers the auditor"
is "$(json .intact)" true "the live log is intact"
is "$(json .bad_seq)" null "no bad event is named"

# Verify while the server runs and writes: it reads one consistent snapshot.
( for i in 1 2 3 4 5 6 7 8; do
	curl -sS -m 10 -o /dev/null -H 'Content-Type: application/json' \
		--data-binary '{"username":"analyst","password":"not-the-password"}' "$BASE/api/v1/session"
done ) &
writer=$!
rc_cli audit verify >"$TEST_TMP/out" 2>"$TEST_TMP/err"
is "$?" 0 "audit verify passes while the server is writing"
wait "$writer"
rc_cli user unlock analyst >/dev/null
rc_stop

rc_cli audit verify >"$TEST_TMP/out" 2>"$TEST_TMP/err"
is "$?" 0 "audit verify passes after the activity (exit 0)"
like "$(cat "$TEST_TMP/out")" '^audit log intact: [0-9]+ events' "it reports the log intact"
sqlite3 "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
cp "$DB" "$PRISTINE"
N=$(sqlite3 "$DB" 'SELECT MAX(seq) FROM audit_events')
[ "$N" -ge 40 ] && ok "the log has $N events" || not_ok "the log has enough events" "only $N"
like "$(cat "$TEST_TMP/out")" "^audit log intact: $N events" "verify counted every event"
K=$((N / 2))

restore() {
	rm -f "$DB-wal" "$DB-shm"
	cp "$PRISTINE" "$DB"
}
sql() {
	sqlite3 "$DB" "$1" || echo "# sqlite3 failed: $1"
}
id_of() { # SEQ
	sqlite3 "$PRISTINE" "SELECT id FROM audit_events WHERE seq = $1"
}
# tampered DESCRIPTION SEQ [ID]: verify fails with status 5 and names SEQ (and row ID)
tampered() {
	rc_cli audit verify >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	rc=$?
	is "$rc" 5 "$1: audit verify exits 5"
	if [ $# -ge 3 ]; then
		like "$(cat "$TEST_TMP/err")" "TAMPERED at event seq $2 \\(row id $3\\)" "$1: stderr names seq $2, row id $3"
	else
		like "$(cat "$TEST_TMP/err")" "TAMPERED at event seq $2 " "$1: stderr names seq $2"
	fi
	unlike "$(cat "$TEST_TMP/out")" 'intact' "$1: stdout does not claim the log intact"
}

# 1. An edited field: each of these alone is caught at that very event.
restore
sql "UPDATE audit_events SET actor = 'someone-else' WHERE seq = $K"
tampered "edited actor" "$K" "$(id_of "$K")"
like "$(cat "$TEST_TMP/err")" 'edited' "edited actor: the reason says the event was edited"
like "$(cat "$TEST_TMP/err")" "$((K - 1)) events before it are intact" "edited actor: it counts the intact events before"

restore
fseq=$(sqlite3 "$DB" "SELECT MIN(seq) FROM audit_events WHERE outcome = 'failed'")
sql "UPDATE audit_events SET outcome = 'ok', detail = '' WHERE seq = $fseq"
tampered "a failed sign-in rewritten as ok" "$fseq" "$(id_of "$fseq")"

restore
sql "UPDATE audit_events SET at = '2020-01-01T00:00:00.000Z' WHERE seq = $K"
tampered "edited time" "$K"

restore
sql "UPDATE audit_events SET source = '10.0.0.1' WHERE seq = $N"
tampered "edited last event" "$N"

# 2. Edited with its hash recomputed without the key (plain SHA-256).
restore
sql "UPDATE audit_events SET detail = 'nothing to see', hash = lower(hex(randomblob(32))) WHERE seq = $K"
tampered "edited event with a new hash" "$K"

# 3. A deleted event in the middle.
restore
sql "DELETE FROM audit_events WHERE seq = $K"
tampered "deleted middle event" "$K" "$(id_of $((K + 1)))"
like "$(cat "$TEST_TMP/err")" "sequence number $((K + 1)) where $K was expected" "deleted: the reason says which number is missing"

# ... and one with the later events renumbered to close the gap.
restore
sql "DELETE FROM audit_events WHERE seq = $K;
     UPDATE audit_events SET seq = -(seq - 1) WHERE seq > $K;
     UPDATE audit_events SET seq = -seq WHERE seq < 0;"
tampered "deleted event, gap renumbered" "$K"
like "$(cat "$TEST_TMP/err")" 'does not continue the chain' "renumbered: the reason says the chain is broken"

# 4. An inserted (forged) event, copying its neighbour's hash and the right
# prev_hash: the key is needed to forge a hash.
restore
sql "UPDATE audit_events SET seq = -(seq + 1), id = -(id + 1) WHERE seq > $K;
     UPDATE audit_events SET seq = -seq, id = -id WHERE seq < 0;
     INSERT INTO audit_events (id, seq, at, actor_user_id, actor, agency_id, action,
         object_type, object_id, source, outcome, detail, prev_hash, hash)
       SELECT id + 1, seq + 1, at, 1, 'admin', 1, 'user.create', 'user', '99', '127.0.0.1', 'ok', 'admin',
         hash, (SELECT hash FROM audit_events WHERE seq = $((K + 2)))
       FROM audit_events WHERE seq = $K;"
is "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM audit_events')" $((N + 1)) "the forged event was inserted"
tampered "inserted forged event" $((K + 1)) "$(( $(id_of "$K") + 1 ))"

# 5. Reordered events: swapped row order, swapped sequence numbers, swapped contents.
restore
a=$(id_of "$K") b=$(id_of $((K + 1)))
sql "UPDATE audit_events SET id = -1 WHERE id = $a;
     UPDATE audit_events SET id = $a WHERE id = $b;
     UPDATE audit_events SET id = $b WHERE id = -1;"
tampered "two events swapped in row order" "$K" "$a"

restore
sql "UPDATE audit_events SET seq = -1 WHERE seq = $K;
     UPDATE audit_events SET seq = $K WHERE seq = $((K + 1));
     UPDATE audit_events SET seq = $((K + 1)) WHERE seq = -1;"
tampered "two events' sequence numbers swapped" "$K"

restore
cols="at, actor_user_id, actor, agency_id, action, object_type, object_id, source, outcome, detail, prev_hash, hash"
sql "CREATE TEMP TABLE t AS SELECT seq, $cols FROM audit_events WHERE seq IN ($K, $((K + 3)));
     UPDATE audit_events SET ($cols) = (SELECT $cols FROM t WHERE t.seq = $((K + 3))) WHERE seq = $K;
     UPDATE audit_events SET ($cols) = (SELECT $cols FROM t WHERE t.seq = $K) WHERE seq = $((K + 3));"
tampered "two events' contents swapped (hashes moved along)" "$K"

# 6. Truncation: the last events cut off; then with the head rewritten too.
restore
sql "DELETE FROM audit_events WHERE seq > $((N - 3))"
rc_cli audit verify >"$TEST_TMP/out" 2>"$TEST_TMP/err"
is "$?" 5 "truncated end: audit verify exits 5"
like "$(cat "$TEST_TMP/err")" "the log ends at event $((N - 3)) " "truncated end: stderr names the last event left"
like "$(cat "$TEST_TMP/err")" "chain head records event $N" "truncated end: and the event the head records"

restore
sql "DELETE FROM audit_events WHERE seq > $((N - 3));
     UPDATE audit_head SET seq = $((N - 3)), hash = (SELECT hash FROM audit_events WHERE seq = $((N - 3)));"
rc_cli audit verify >"$TEST_TMP/out" 2>"$TEST_TMP/err"
is "$?" 5 "truncated end with the head rewritten: exit 5"
like "$(cat "$TEST_TMP/err")" 'head record was altered' "head rewritten: the reason names the head"

restore
sql "DELETE FROM audit_head"
rc_cli audit verify >"$TEST_TMP/out" 2>"$TEST_TMP/err"
is "$?" 5 "the chain head deleted: exit 5"

# 7. Another key is recognised as the wrong key before anything is read or written.
restore
cp "$DATA/audit.key" "$TEST_TMP/audit.key"
openssl rand -hex 32 >"$DATA/audit.key"
rc_cli audit verify >"$TEST_TMP/out" 2>"$TEST_TMP/err"
isnt "$?" 0 "another audit key: verify fails"
like "$(cat "$TEST_TMP/err")" 'not the key this database' "another audit key: stderr says the key is wrong"
rm -f "$DATA/audit.key"
rc_cli audit verify >"$TEST_TMP/out" 2>"$TEST_TMP/err"
isnt "$?" 0 "a missing audit key: verify fails"
like "$(cat "$TEST_TMP/err")" 'restore audit.key' "a missing key: stderr says to restore it, not to init"
rc_cli init >"$TEST_TMP/out" 2>"$TEST_TMP/err"
isnt "$?" 0 "init does not make a new key for an existing log"
is "$(ls "$DATA/audit.key" 2>/dev/null)" "" "and no key file was written"
cp "$TEST_TMP/audit.key" "$DATA/audit.key"

# The untouched copy still verifies: the checks above are not false alarms.
restore
rc_cli audit verify >"$TEST_TMP/out" 2>"$TEST_TMP/err"
is "$?" 0 "the restored log verifies again"

# GET /api/v1/audit/verify on a tampered log.
sql "UPDATE audit_events SET object_id = 'TAMP9' WHERE seq = $K"
rc_serve || not_ok "server starts on the tampered log"
rc_login auditor
api GET /api/v1/audit/verify
is "$STATUS" 200 "GET /api/v1/audit/verify answers on a tampered log"
is "$(json .intact)" false "it reports the log not intact"
is "$(json .bad_seq)" "$K" "it names the first bad event's seq"
is "$(json .bad_id)" "$(id_of "$K")" "and its row id"
like "$(json .reason)" 'edited' "and the reason"
is "$(json .events)" $((K - 1)) "it counts the intact events before it"
api GET "/api/v1/audit?action=audit.verify&limit=1"
is "$(json '.items[0].outcome')" failed "the failed check is itself audited"
rc_stop
rc_cli audit verify >/dev/null 2>&1
is "$?" 5 "events appended after the tampering do not hide it"
done_testing
