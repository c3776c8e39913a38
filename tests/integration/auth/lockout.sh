# Repeated wrong passwords lock an account (login_max_failures = 3 in the test
# configuration); the lock holds against the right password, ends with
# `rootcut user unlock`, an admin's unlock or time, and is in the audit log.
# The server runs on a fake clock so the lock's expiry needs no waiting.
. "$(dirname "$0")/../lib/common.sh"
now=$(date +%s)
rc_init || { not_ok "init"; done_testing; exit 1; }
ROOTCUT_FAKE_NOW=$now rc_serve || { not_ok "server starts"; done_testing; exit 1; }
inv_pw=$(rc_password investigator.cib)

login() { # USER PASSWORD
	anon POST /api/v1/session "{\"username\":\"$1\",\"password\":\"$2\"}"
}

# Successes reset the count: two failures, a success, two failures do not lock.
login investigator.cib bad-password-1
login investigator.cib bad-password-2
login investigator.cib "$inv_pw"
is "$STATUS" 201 "two failures then the right password signs in"
login investigator.cib bad-password-3
login investigator.cib bad-password-4
login investigator.cib "$inv_pw"
is "$STATUS" 201 "a success resets the count of failures"

for i in 1 2 3; do
	login investigator.cib "bad-password-x$i"
	is "$STATUS" 401 "wrong password $i of 3 is 401"
done
login investigator.cib "$inv_pw"
is "$STATUS" 423 "after 3 failures the right password is refused with 423"
is "$(json .error.code)" locked "the error code is 'locked'"
is "$(json .error.field)" username "the error names 'username'"
like "$(json .error.message)" 'locked' "the message says the account is locked"
login investigator.cib bad-password-y
is "$STATUS" 401 "a wrong password on a locked account is a plain 401: the lock shows only to the right password"
is "$(json .error.message)" "wrong user name or password" "the same answer as for an unknown user name"
is "$(header Set-Cookie)" "" "no cookie is set for a locked account"

# Other accounts are not affected.
login reviewer.acs "$(rc_password reviewer.acs)"
is "$STATUS" 201 "another account still signs in"

# Unknown user names never lock anything, however often they fail.
for i in 1 2 3 4; do login no.such.user "bad-password-$i"; done
is "$STATUS" 401 "an unknown user name stays 401, not 423"

rc_login admin
api GET "/api/v1/users?agency_id=5"
is "$(json '.items[] | select(.username == "investigator.cib") | .locked')" true "the API shows the user as locked"

# The audit log has each failure and the lock.
rc_cli audit list --action session.login --actor investigator.cib --limit 100 >"$TEST_TMP/audit.txt"
failed=$(grep -c ' failed ' "$TEST_TMP/audit.txt")
[ "$failed" -ge 9 ] && ok "the audit log has every failed sign-in ($failed)" ||
	not_ok "the audit log has every failed sign-in" "$failed failed events"
like "$(cat "$TEST_TMP/audit.txt")" 'failed account locked after repeated failures' "the audit log records the lock"
like "$(cat "$TEST_TMP/audit.txt")" 'failed attempt while locked' "the audit log records attempts while locked"
like "$(cat "$TEST_TMP/audit.txt")" 'failed wrong password' "the audit log records wrong passwords"
like "$(cat "$TEST_TMP/audit.txt")" 'session.login .* ok' "the audit log records successful sign-ins"
rc_login auditor
api GET "/api/v1/audit?action=session.login&outcome=failed&object_id=investigator.cib&limit=1000"
is "$STATUS" 200 "an auditor lists the failed sign-ins"
is "$(json '[.items[] | select(.detail == "account locked after repeated failures")] | length')" 1 \
	"GET /api/v1/audit shows one lock event"
is "$(json '.items[0].source')" 127.0.0.1 "the events carry the source address"

# `rootcut user unlock` clears the lock while the server runs.
out=$(rc_cli user unlock investigator.cib 2>&1)
is "$?" 0 "rootcut user unlock exits 0"
login investigator.cib "$inv_pw"
is "$STATUS" 201 "after unlock the right password signs in"
rc_cli audit list --action user.unlock >"$TEST_TMP/audit.txt"
like "$(cat "$TEST_TMP/audit.txt")" 'user.unlock' "the unlock is audited"
rc_cli user unlock nobody.at.all >/dev/null 2>"$TEST_TMP/err.txt"
isnt "$?" 0 "unlocking an unknown user exits non-zero"
like "$(cat "$TEST_TMP/err.txt")" 'nobody.at.all' "and names the user on stderr"

# Lock again; an admin unlocks through the API.
for i in 1 2 3; do login investigator.cib "bad-password-z$i"; done
login investigator.cib "$inv_pw"
is "$STATUS" 423 "locked again after 3 more failures"
rc_login admin
api PATCH /api/v1/users/6 '{"unlock":true}'
is "$STATUS" 200 "admin unlocks through PATCH /api/v1/users/{id}"
is "$(json .locked)" false "the answer shows the user unlocked"
login investigator.cib "$inv_pw"
is "$STATUS" 201 "after the admin's unlock the user signs in"

# The lock ends by itself after login_lockout_s (60 s): restart on a later clock.
for i in 1 2 3; do login investigator.cib "bad-password-w$i"; done
login investigator.cib "$inv_pw"
is "$STATUS" 423 "locked a third time"
rc_stop
ROOTCUT_FAKE_NOW=$((now + 30)) rc_serve
login investigator.cib "$inv_pw"
is "$STATUS" 423 "30 s later it is still locked"
rc_stop
ROOTCUT_FAKE_NOW=$((now + 61)) rc_serve
login investigator.cib "$inv_pw"
is "$STATUS" 201 "61 s later the lock has expired"
is "$(json .user.locked)" false "the sign-in answer no longer shows the account locked"

# Too many attempts from one address in a minute: 429 before any password check.
rc_stop
ROOTCUT_FAKE_NOW=$((now + 120)) ROOTCUT_LOGIN_RATE_PER_MINUTE=5 rc_serve
for i in 1 2 3 4 5; do login reviewer.acs "$(rc_password reviewer.acs)"; done
is "$STATUS" 201 "5 sign-ins in a minute are allowed"
login reviewer.acs "$(rc_password reviewer.acs)"
is "$STATUS" 429 "the 6th in the same minute is 429"
is "$(json .error.code)" rate_limited "the error code is rate_limited"
rc_stop
ROOTCUT_FAKE_NOW=$((now + 180)) ROOTCUT_LOGIN_RATE_PER_MINUTE=5 rc_serve
login reviewer.acs "$(rc_password reviewer.acs)"
is "$STATUS" 201 "a minute later sign-ins are allowed again"
done_testing
