# A full incident from report to closure over the API, on a clock the test
# moves by hours (lib/incident.sh): the hospital's reporter files, the
# ministry (its supervisory authority) reviews, the technical service center
# re-reviews and dispatches support, the hospital sends its closing report,
# the ministry closes it. Each deadline is shown when its step happens; the
# scheduler of `serve` warns before the closing report is due; every step is
# on the timeline and in the audit log.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/incident.sh"
inc_start || { not_ok "server starts"; done_testing; exit 1; }

rc_login reporter.tpech
api POST /api/v1/incidents '{"title":"勒索軟體加密 HIS 主機","description":"LockBit ransom note on the HIS database server",
	"systems":"HIS, PACS","impact":{"confidentiality":2,"integrity":2,"availability":3},"level":2,
	"support_requested":true,"discovered_at":"2026-01-01T07:40:00+08:00",
	"indicators":["ip:203.0.113.66","lockbit-decryptor.example.com","https://pay.example.net/t/1"]}'
is "$STATUS" 201 "the reporter files an incident"
ID=$(json .id)
is "$(json .state)" reported "reported"
is "$(json .agency)" TPECH "for the reporter's agency"
is "$(json '.deadlines[] | select(.kind == "report") | .state')" met "reported within 1 h of discovery"
is "$(json '.deadlines[] | select(.kind == "review") | .due_at')" "$(iso $((T0 + 8 * 3600)))" \
	"the review is due 8 h after the report (level 2)"
is "$(json '.indicators | length')" 3 "three indicators"
is "$(json '[.indicators[].type] | sort | join(",")')" "domain,ip,url" "stored as identifiers"
ident=$(json '.indicators[] | select(.type == "ip") | .identifier_id')
is "$(rc_cli_sql "SELECT value FROM identifiers WHERE id = $ident")" 203.0.113.66 \
	"one row of the anti-fraud database's identifiers"

# +1 h: the ministry accepts at level 3
set_now $((T0 + 3600))
rc_login reviewer.mohw
api POST "/api/v1/incidents/$ID/review" '{"decision":"accept","level":3,"note":"hospital-wide outage"}'
is "$STATUS" 200 "the supervisory authority reviews"
is "$(json .state)" reviewed "reviewed"
is "$(json .level)" 3 "at level 3"
is "$(json '.deadlines[] | select(.kind == "review") | .state')" met "the review deadline met"
is "$(json '.deadlines[] | select(.kind == "rereview") | .due_at')" "$(iso $((T0 + 3 * 3600)))" \
	"the re-review due 2 h later (level 3)"
is "$(json .national_notified)" true "level 3: the national offices are notified"
rc_login officer.ohs
api GET /api/v1/notifications
like "$(json '[.items[].kind] | join(",")')" "incident.national" \
	"the Office of Homeland Security has the notice (§3.3(三))"

# +2 h: the service center re-reviews; support is due 1 h later (level 3)
set_now $((T0 + 7200))
rc_login reviewer.nics
api POST "/api/v1/incidents/$ID/rereview" '{"note":"confirmed"}'
is "$STATUS" 200 "the service center re-reviews"
is "$(json .state)" rereviewed "rereviewed"
is "$(json '.deadlines[] | select(.kind == "dispatch") | .due_at')" "$(iso $((T0 + 3 * 3600)))" \
	"dispatch due 1 h after the re-review (§3.3(二), level 3)"
set_now $((T0 + 7200 + 1800))
rc_login reviewer.nics # sessions end after 30 idle minutes, on the moved clock too
api POST "/api/v1/incidents/$ID/dispatch" '{"note":"two responders on site"}'
is "$STATUS" 200 "support dispatched"
is "$(json .state)" dispatched "dispatched"
is "$(json '.deadlines[] | select(.kind == "dispatch") | .state')" met "within its deadline"
close_due=$(json '.deadlines[] | select(.kind == "close_report") | .due_at')
is "$close_due" "2026-02-01T02:30:00Z" "the closing report due one month after the dispatch"

# a month later, 30 min before it is due: the scheduler warns the hospital
set_now $(($(date -u -d "$close_due" +%s) - 1800))
wait_until "the scheduler warns before the closing report is due" \
	timeline_has "$ID" "deadline.warning .*close_report is due"
rc_login reporter.tpech
api GET /api/v1/notifications
like "$(json '[.items[].kind] | join(",")')" "incident.deadline.warning" "the reporter has the warning"
api POST "/api/v1/incidents/$ID/close-report" '{"timeline":"07:40 found; 08:10 isolated; restored from backup",
	"damage":"HIS down 20 h","after_effects":"none expected"}'
is "$STATUS" 400 "a closing report without its parts is refused"
is "$(json .error.field)" response "naming the missing part"
api POST "/api/v1/incidents/$ID/close-report" '{"timeline":"07:40 found; 08:10 isolated; restored from backup",
	"damage":"HIS down 20 h","after_effects":"none expected","response":"restored from offline backup",
	"improvements":"offline backups daily; EDR on servers","recovered_at":"2026-01-02T04:00:00+08:00"}'
is "$STATUS" 200 "the closing report"
is "$(json .state)" close_reported "close_reported"
is "$(json .close_report.improvements)" "offline backups daily; EDR on servers" "kept"
is "$(json .close_report.recovered_at)" "2026-01-01T20:00:00Z" "with the recovery time"

rc_login reviewer.mohw
api POST "/api/v1/incidents/$ID/close" '{"decision":"accept"}'
is "$STATUS" 200 "the ministry closes it"
is "$(json .state)" closed "closed"
api POST "/api/v1/incidents/$ID/close" '{}'
is "$STATUS" 409 "closing twice is a conflict"
is "$(json .error.field)" state "naming the state"

api GET "/api/v1/incidents/$ID/timeline"
is "$STATUS" 200 "the timeline"
is "$(json '[.items[].kind] | map(select(. == "file" or . == "review" or . == "rereview" or . == "dispatch" or . == "close_report" or . == "close")) | join(",")')" \
	"file,review,rereview,dispatch,close_report,close" "every step, in order"
unlike "$(json '[.items[].kind] | join(",")')" "deadline.missed" "no deadline was missed"
like "$(rc_cli incident show "$ID")" "incident $ID: closed, level 3" "the CLI shows it"

for a in incident.file incident.review incident.rereview incident.dispatch incident.close_report \
	incident.close incident.read incident.timeline incident.deadline.warning; do
	n=$(rc_cli_sql "SELECT COUNT(*) FROM audit_events WHERE action = '$a' AND object_id = '$ID'")
	isnt "${n:-0}" 0 "audited: $a"
done
check "the audit chain verifies" rc_cli audit verify

done_testing
