# Crash safety: kill -9 during a burst of concurrent writes, then restart.
# The database must pass PRAGMA integrity_check, open, keep its audit chain
# intact, and hold every write whose 201 reached the client. Each round kills
# at a different point of the burst (after 1, 15, 60 and 150 acknowledged
# writes), with writers creating agencies (cheap) and users (password
# hashing, a longer window between request and commit).
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }
DB="$DATA/rootcut.db"
TOKEN=$(rc_token admin admin,read,write)
WORKERS=8

# writer ROUND W: create objects until the server goes away; record each
# acknowledged (201) one in $TEST_TMP/ack.ROUND.W as "agency CODE" or "user NAME".
writer() {
	n=0
	while [ $n -lt 2000 ]; do
		n=$((n + 1))
		if [ $(($2 % 2)) -eq 0 ]; then
			kind=agency name="R$1W$2N$n"
			path=/api/v1/agencies
			body="{\"name\":\"崩潰測試 $name\",\"code\":\"$name\",\"kind\":\"police\"}"
		else
			kind=user name="r$1w$2n$n"
			path=/api/v1/users
			body="{\"username\":\"$name\",\"agency_id\":2,\"roles\":[\"investigator\"]}"
		fi
		st=$(curl -sS -m 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
			-H 'Content-Type: application/json' --data-binary "$body" "$BASE$path" 2>/dev/null) || break
		[ "$st" = 201 ] && echo "$kind $name" >>"$TEST_TMP/ack.$1.$2"
	done
}

acked() { # ROUND: acknowledged writes so far
	cat "$TEST_TMP/ack.$1".* 2>/dev/null | wc -l
}

round() { # ROUND THRESHOLD
	r=$1
	pids=""
	w=0
	while [ $w -lt $WORKERS ]; do
		writer "$r" "$w" &
		pids="$pids $!"
		w=$((w + 1))
	done
	i=0
	while [ "$(acked "$r")" -lt "$2" ] && [ $i -lt 1500 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	kill -9 "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=""
	for p in $pids; do wait "$p"; done
	n=$(acked "$r")
	[ "$n" -ge "$2" ] && ok "round $r: killed -9 after $n acknowledged writes" ||
		not_ok "round $r: reached $2 acknowledged writes before the kill" "only $n"

	check=$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)
	is "$check" ok "round $r: PRAGMA integrity_check is ok after the crash"
	is "$(sqlite3 "$DB" 'PRAGMA foreign_key_check' 2>&1)" "" "round $r: no foreign key is broken"

	cat "$TEST_TMP/ack.$r".* | awk '$1 == "agency" { print $2 }' | sort >"$TEST_TMP/want.agencies"
	cat "$TEST_TMP/ack.$r".* | awk '$1 == "user" { print $2 }' | sort >"$TEST_TMP/want.users"
	sqlite3 "$DB" "SELECT code FROM agencies WHERE code LIKE 'R${r}W%'" | sort >"$TEST_TMP/have.agencies"
	sqlite3 "$DB" "SELECT username FROM users WHERE username LIKE 'r${r}w%'" | sort >"$TEST_TMP/have.users"
	lost=$(comm -23 "$TEST_TMP/want.agencies" "$TEST_TMP/have.agencies" | head -5)
	is "$lost" "" "round $r: every acknowledged agency ($(wc -l <"$TEST_TMP/want.agencies")) is in the database"
	lost=$(comm -23 "$TEST_TMP/want.users" "$TEST_TMP/have.users" | head -5)
	is "$lost" "" "round $r: every acknowledged user ($(wc -l <"$TEST_TMP/want.users")) is in the database"
	# Each write and its audit event commit together.
	missing=$(sqlite3 "$DB" "SELECT COUNT(*) FROM agencies a WHERE a.code LIKE 'R${r}W%' AND NOT EXISTS
		(SELECT 1 FROM audit_events e WHERE e.action = 'agency.create' AND e.object_id = CAST(a.id AS TEXT))")
	is "$missing" 0 "round $r: every stored agency has its audit event"

	rc_cli audit verify >"$TEST_TMP/verify.out" 2>&1
	is "$?" 0 "round $r: the audit chain verifies after the crash"
	rc_serve || { not_ok "round $r: the server restarts on the crashed database"; return; }
	anon GET /api/v1/health
	is "$(json .database)" ok "round $r: the restarted server answers, database ok"
	bearer "$TOKEN" GET /api/v1/agencies
	have=$(json "[.items[] | select(.code | startswith(\"R${r}W\"))] | length")
	[ "$have" -ge "$(wc -l <"$TEST_TMP/want.agencies")" ] &&
		ok "round $r: the API lists the acknowledged agencies ($have)" ||
		not_ok "round $r: the API lists the acknowledged agencies" "$have listed"
}

round 1 1
round 2 15
round 3 60
round 4 150

# After all rounds, writes of every round are still there.
total_want=$(cat "$TEST_TMP"/ack.*.* | awk '$1 == "agency"' | wc -l)
total_have=$(sqlite3 "$DB" "SELECT COUNT(*) FROM agencies WHERE code GLOB 'R[0-9]W*'")
[ "$total_have" -ge "$total_want" ] && ok "all rounds' acknowledged agencies survive ($total_have >= $total_want)" ||
	not_ok "all rounds' acknowledged agencies survive" "$total_have < $total_want"
done_testing
