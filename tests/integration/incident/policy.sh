# The policy file decides (docs/ops/incident-policy.md): deadlines change with
# no code change. serve reads the file of incident_policy at start, again when
# it changes and on SIGHUP; a bad file is refused naming its line and key, and
# the policy in effect stays; serve will not start on a bad file.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/incident.sh"
set_now "$T0"
rc_init || { not_ok "init"; done_testing; exit 1; }
POLICY="$TEST_TMP/incident-policy.conf"
printf '# test policy\n[level 2]\nreview_within = 3h\n' >"$POLICY"
printf 'incident_poll_s = 1\nincident_policy = %s\n' "$POLICY" >>"$DATA/rootcut.conf"
rc_serve || { not_ok "server starts"; done_testing; exit 1; }

file_level2() {
	rc_login reporter.tpech
	api POST /api/v1/incidents '{"title":"defacement","description":"home page replaced","level":2,
		"discovered_at":"2026-01-01T07:50:00+08:00"}'
}
review_due() {
	json '.deadlines[] | select(.kind == "review") | .due_at'
}

rc_login reviewer.mohw
api GET /api/v1/incident-policy
is "$STATUS" 200 "the policy in effect is shown"
is "$(json .source)" "$POLICY" "from the file"
like "$(json .text)" "review_within = 3h" "with the file's figure"
like "$(json .text)" "dispatch_within = 1h" "and the shipped defaults for what it leaves out"
file_level2
is "$(review_due)" "$(iso $((T0 + 3 * 3600)))" "a level 2 review is due in 3 h, as the file says"

printf '# test policy, edited\n[level 2]\nreview_within = 5h\n' >"$POLICY.new" && mv "$POLICY.new" "$POLICY"
policy_has() {
	rc_login reviewer.mohw >/dev/null
	api GET /api/v1/incident-policy
	printf '%s' "$(json .text)" | grep -q "$1"
}
wait_until "serve notices the edited file by itself" policy_has "review_within = 5h"
file_level2
is "$(review_due)" "$(iso $((T0 + 5 * 3600)))" "the next incident's review is due in 5 h"
grep -q "incident policy loaded from $POLICY" "$TEST_TMP/server.log"
is "$?" 0 "the reload is logged"

printf '[level 2]\nreview_within = 5h\n[level 3]\nreview_within = soon\n' >"$POLICY.new" && mv "$POLICY.new" "$POLICY"
kill -HUP "$SERVER_PID"
last_error_set() {
	rc_login reviewer.mohw >/dev/null
	api GET /api/v1/incident-policy
	[ "$(json '.last_error // empty')" != "" ]
}
wait_until "a bad file is refused" last_error_set
like "$(json .last_error)" "review_within: .*incident-policy.conf:4: 'soon' is not a duration" \
	"naming the key, the line and the reason"
like "$(json .text)" "review_within = 5h" "the policy in effect stays"
file_level2
is "$(review_due)" "$(iso $((T0 + 5 * 3600)))" "incidents are still filed under it"
like "$(cat "$TEST_TMP/server.log")" "incident policy refused, the previous one stays" "the refusal is logged"

out=$(rc_cli incident policy --check "$POLICY" 2>&1)
isnt "$?" 0 "incident policy --check fails on the bad file"
like "$out" "incident-policy.conf:4: 'soon' is not a duration" "and says where"
printf '[level 3]\nreview_within = 90m\n' >"$TEST_TMP/good.conf"
like "$(rc_cli incident policy --check "$TEST_TMP/good.conf")" "good.conf: ok" "a good file checks"

rc_stop
rc_serve 2>/dev/null
isnt "$SERVER_PID" "" "a start was attempted"
sleep 0.3
if kill -0 "$SERVER_PID" 2>/dev/null; then not_ok "serve refuses to start on a bad policy file"; else
	ok "serve refuses to start on a bad policy file"; fi
like "$(tail -n 3 "$TEST_TMP/server.log")" "incident-policy.conf:4: 'soon' is not a duration" \
	"saying why"
SERVER_PID=""
printf '[level 2]\nreview_within = 5h\n' >"$POLICY"
rc_serve || not_ok "serve starts again on a fixed file"

done_testing
