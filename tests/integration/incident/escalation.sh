# Deadlines that enforce themselves, with `serve` running on a clock the test
# moves: a level 4 report whose supervisory authority does not review within
# 2 h is escalated by the scheduler (a warning first, then the miss on the
# timeline and as notifications), and the technical service center reviews
# it directly (seed 003 §3.3(一)); its level change moves the dispatch
# deadline, counted from the re-review; a level 3-4 incident involving crime
# opens a case at the center, whose analysts are notified.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/incident.sh"
inc_start || { not_ok "server starts"; done_testing; exit 1; }

rc_login reporter.tpech
api POST /api/v1/incidents '{"title":"DDoS on the appointment site","description":"300 Gbps",
	"level":4,"support_requested":true,"crime":true,"discovered_at":"2026-01-01T07:30:00+08:00"}'
is "$STATUS" 201 "a level 4 incident"
ID=$(json .id)
is "$(json '.deadlines[] | select(.kind == "review") | .due_at')" "$(iso $((T0 + 7200)))" \
	"the review due in 2 h (level 4)"

rc_login reviewer.nics
api POST "/api/v1/incidents/$ID/rereview" '{}'
is "$STATUS" 409 "the service center waits while the authority's deadline runs"
like "$(json .error.message)" "supervisory authority reviews first" "and says why"

set_now $((T0 + 5400)) # 30 min before the review is due
wait_until "the scheduler warns 30 min before the review is due" \
	timeline_has "$ID" "deadline.warning .*review is due $(iso $((T0 + 7200)))"
wait_until "the authority's reviewer is warned" notified reviewer.mohw incident.deadline.warning

set_now $((T0 + 7200 + 60)) # the authority missed it
wait_until "the missed review is on the timeline, escalated" \
	timeline_has "$ID" "deadline.missed .*review was due .*technical service center reviews directly"
wait_until "the service center is notified to review" notified reviewer.nics incident.escalated
rc_login reviewer.nics
api GET /api/v1/notifications
like "$(json '[.items[] | select(.kind == "incident.escalated") | .link] | join(",")')" \
	"/api/v1/incidents/$ID" "in its notifications, linking to the incident"
api GET "/api/v1/incidents/$ID"
is "$(json .review_escalated)" true "the incident says so"
is "$(json '.deadlines[] | select(.kind == "review") | .state')" missed "the review deadline: missed"
grep -q "incident: 1 deadline warning(s) or escalation(s)" "$TEST_TMP/server.log"
is "$?" 0 "the scheduler logged it"

set_now $((T0 + 7200 + 600))
rc_login reviewer.nics
api POST "/api/v1/incidents/$ID/rereview" '{"note":"reviewed directly"}'
is "$STATUS" 200 "the service center reviews directly"
is "$(json .state)" rereviewed "rereviewed"
RR=$((T0 + 7200 + 600))
is "$(json '.deadlines[] | select(.kind == "dispatch" and .state == "open") | .due_at')" "$(iso $((RR + 3600)))" \
	"dispatch due 1 h after the re-review (level 4)"
is "$(json '.deadlines[] | select(.kind == "review") | .state')" met_late "the review: met late"
is "$(json .case.number)" restricted "a case is linked; its number only for those who may read it"
timeline_has "$ID" "rereview .*reviewed directly \(the authority's deadline passed\)"
is "$?" 0 "the timeline says the center reviewed directly"
rc_login analyst
api GET "/api/v1/incidents/$ID"
is "$(json .case.number)" "115年度資安字第$ID號" "level 4 involving crime opened a case at the center"
rc_login reviewer.nics
check "the center's analysts are notified of the crime" notified analyst incident.crime

set_now $((RR + 1200))
rc_login reviewer.nics
api POST "/api/v1/incidents/$ID/level" '{"level":2}'
is "$STATUS" 400 "a level change needs a reason"
is "$(json .error.field)" note "naming the field"
api POST "/api/v1/incidents/$ID/level" '{"level":2,"note":"traffic scrubbed; only the site affected"}'
is "$STATUS" 200 "the service center changes the level"
is "$(json .level)" 2 "to 2"
is "$(json '.deadlines[] | select(.kind == "dispatch" and .state == "open") | .due_at')" "$(iso $((RR + 7200)))" \
	"the dispatch deadline moved to 2 h after the re-review (level 2)"
timeline_has "$ID" "deadline.moved .*dispatch due $(iso $((RR + 7200))), was $(iso $((RR + 3600))) \(level 4 → 2\)"
is "$?" 0 "the move is on the timeline"

rc_login reviewer.mohw
api POST "/api/v1/incidents/$ID/level" '{"level":3,"note":"x"}'
is "$STATUS" 403 "the authority may not change the level after the re-review"
like "$(json .error.message)" "technical service center" "the refusal says who may"

set_now $((RR + 7200 + 5))
wait_until "the missed dispatch is escalated too" timeline_has "$ID" "deadline.missed .*dispatch was due"
n=$(rc_cli_sql "SELECT COUNT(*) FROM audit_events WHERE action = 'incident.deadline.missed' AND object_id = '$ID' AND actor = 'system'")
is "$n" 2 "both misses audited as the system"

done_testing
