# Court orders from the console (rpz/order_cmd.c, rpz_cmd.c): the lifecycle
# through `rootcut order`, the zone exported and accepted by named-checkzone,
# expiry and a later start applied at their time on the project clock
# (ROOTCUT_FAKE_NOW with `rpz apply-due`), and expiry by `rootcut serve`
# itself: its scheduler lifts an order whose expires_at comes while it runs.
. "$(dirname "$0")/../lib/common.sh"
rc_init || { not_ok "init"; done_testing; exit 1; }

T0=1767225600 # 2026-01-01T00:00:00Z
cli_at() { t=$1; shift; ROOTCUT_FAKE_NOW=$t "$ROOTCUT" --data "$DATA" "$@"; }

out=$(cli_at $T0 order add --agency TPDP --court 臺灣臺北地方法院 --expires 2026-01-02T00:00:00Z \
	--domain expiring.example.com --domain 'bad[.]example.net' 2>&1)
like "$out" "order 1 \(draft" "a draft from the console"
check "filed" cli_at $T0 order file 1
check "granted" cli_at $T0 order grant 1 --number 115年度聲扣字第1號 --date 2026-01-01
check "enforced" cli_at $T0 order enforce 1
out=$(cli_at $T0 order add --agency TPDP --court 臺灣臺北地方法院 --starts 2026-01-01T12:00:00Z \
	--action redirect --redirect 192.0.2.80,2001:db8::80 --no-subdomains --domain later.example.com 2>&1)
like "$out" "order 2" "a second order starting at noon, redirecting"
cli_at $T0 order file 2 >/dev/null && cli_at $T0 order grant 2 --number 2 --date 2026-01-01 >/dev/null
check "the second enforced before its start" cli_at $T0 order enforce 2

rc_cli rpz export --out "$TEST_TMP/rpz.zone" >/dev/null 2>&1
check "rpz export writes a file" test -s "$TEST_TMP/rpz.zone"
z=$(cat "$TEST_TMP/rpz.zone")
like "$z" 'IN SOA ns\.rootcut\.tw\. hostmaster\.rootcut\.tw\.' "with the SOA"
like "$z" '@ 60 IN NS ns\.rootcut\.tw\.' "and the NS"
like "$z" '^bad\.example\.net +60 IN CNAME +\.' "a defanged domain seized"
like "$z" '^rpz-canary\.rootcut\.tw +60 IN CNAME +\.' "the canary is always there"
unlike "$z" 'later\.example\.com' "not before its start"
if command -v named-checkzone >/dev/null; then
	out=$(named-checkzone rpz.rootcut.tw "$TEST_TMP/rpz.zone" 2>&1)
	is "$?" 0 "named-checkzone accepts the export"
	like "$out" "loaded serial" "and loads it"
else
	ok "# SKIP named-checkzone not installed (bind9-utils)"
fi

out=$(cli_at $((T0 + 43200)) rpz apply-due)
like "$out" "1 order\(s\) started" "at noon the second order starts"
like "$out" "next due: 2026-01-02T00:00:00Z" "and the next due time is the expiry"
z=$(rc_cli rpz export)
like "$z" '^later\.example\.com +60 IN A +192\.0\.2\.80' "redirect: A local data"
like "$z" '^later\.example\.com +60 IN AAAA +2001:db8::80' "and AAAA"
out=$(cli_at $((T0 + 86400)) rpz apply-due)
like "$out" "1 order\(s\) started or expired" "a day later the first expires"
like "$(rc_cli order show 1)" "order 1: expired" "its state is expired"
unlike "$(rc_cli rpz export)" 'expiring\.example\.com' "and its rules are gone"
like "$(rc_cli order show 1)" "expire .* by system: expires_at reached" "history says why"
like "$(rc_cli rpz history rpz.rootcut.tw)" "order expired" "the zone's history too"
out=$(rc_cli order lift-domain 2 later.example.com 2>&1)
like "$out" "reason" "lift-domain needs a reason"
check "lift-domain with a reason" rc_cli order lift-domain 2 later.example.com --reason "wrong host"
out=$(rc_cli order enforce 2 2>&1)
like "$out" "order 2 is enforced; cannot enforce" "a step out of order is refused"

# ---- serve lifts an order at its expiry by itself (real clock) ----

now=$(date -u +%s)
exp=$(date -u -d "@$((now + 3))" +%Y-%m-%dT%H:%M:%SZ)
rc_cli order add --agency TPDP --court 臺灣臺北地方法院 --expires "$exp" --domain soon.example.com >/dev/null
rc_cli order file 3 >/dev/null && rc_cli order grant 3 --number 3 --date 2026-01-01 >/dev/null &&
	rc_cli order enforce 3 >/dev/null
like "$(rc_cli rpz export)" '^soon\.example\.com' "a short order is published"
echo "rpz_poll_s = 1" >>"$DATA/rootcut.conf"
rc_serve || { not_ok "server starts"; done_testing; exit 1; }
i=0
while [ $i -lt 100 ] && ! rc_cli order show 3 | grep -q "order 3: expired"; do
	sleep 0.2
	i=$((i + 1))
done
like "$(rc_cli order show 3)" "order 3: expired" "serve expired it by itself"
unlike "$(rc_cli rpz export)" 'soon\.example\.com' "and withdrew its rule"
rc_stop
like "$(cat "$TEST_TMP/server.log")" "rpz: 1 order\(s\) started or expired" "the scheduler logged it"

done_testing
