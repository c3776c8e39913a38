# The TOTP second factor (RFC 6238): enrolment, confirmation with a code from
# an independent implementation (oathtool), sign-in with and without the code,
# and replay protection. The server runs on a fake clock (ROOTCUT_FAKE_NOW)
# and oathtool computes codes for the same instants (--now), so no test depends
# on when it runs.
. "$(dirname "$0")/../lib/common.sh"
command -v oathtool >/dev/null || { echo "1..0 # SKIP oathtool is not installed"; exit 0; }
t0=$(( $(date +%s) / 30 * 30 + 5 )) # 5 s into a 30 s step
rc_init || { not_ok "init"; done_testing; exit 1; }
ROOTCUT_FAKE_NOW=$t0 rc_serve || { not_ok "server starts"; done_testing; exit 1; }
apw=$(rc_password analyst)

code() { # SECONDS: the code of the enrolled secret at that instant
	oathtool --totp -b "$secret" --now "@$1"
}
signin() { # [CODE]
	if [ $# -gt 0 ]; then
		anon POST /api/v1/session "{\"username\":\"analyst\",\"password\":\"$apw\",\"totp\":\"$1\"}"
	else
		anon POST /api/v1/session "{\"username\":\"analyst\",\"password\":\"$apw\"}"
	fi
}

rc_login analyst
api POST /api/v1/session/totp/confirm '{"code":"123456"}'
is "$STATUS" 409 "confirming before enrolling is 409"
api POST /api/v1/session/totp
is "$STATUS" 200 "POST /api/v1/session/totp starts enrolment"
secret=$(json .secret)
like "$secret" '^[A-Z2-7]{32}$' "the secret is 160 bits of unpadded base32"
like "$(json .otpauth_uri)" "^otpauth://totp/rootcut:analyst\\?secret=$secret&" "an otpauth URI for the authenticator app"

# Until confirmed, the second factor is not required.
signin
is "$STATUS" 201 "before confirmation, sign-in needs no code"

bad=$(printf '%06d' $(( ($(code "$t0") + 1) % 1000000 )))
api POST /api/v1/session/totp/confirm "{\"code\":\"$bad\"}"
is "$STATUS" 400 "confirming with a wrong code is 400"
is "$(json .error.field)" code "the error names 'code'"
api POST /api/v1/session/totp/confirm '{"code":"12345"}'
is "$STATUS" 400 "a 5-digit code is refused"
api POST /api/v1/session/totp/confirm "{\"code\":\"$(code "$t0")\"}"
is "$STATUS" 200 "confirming with the current oathtool code succeeds"
is "$(json .totp_enabled)" true "the second factor is on"
api GET /api/v1/session
is "$(json .user.totp_enabled)" true "GET /api/v1/session shows it on"

# Sign-in now needs the code.
signin
is "$STATUS" 401 "sign-in without a code is 401"
is "$(json .error.field)" totp "the error names the field 'totp'"
is "$(header Set-Cookie)" "" "no cookie without the code"
signin "$bad"
is "$STATUS" 401 "sign-in with a wrong code is 401"
is "$(json .error.field)" totp "the error names 'totp'"
signin "$(code "$t0")"
is "$STATUS" 401 "the code used to confirm enrolment cannot sign in again (replay)"
signin "$(code $((t0 + 30)))"
is "$STATUS" 201 "the code of the next step (clock drift allowance) signs in"
is "$(json .user.username)" analyst "as the analyst"
signin "$(code $((t0 + 30)))"
is "$STATUS" 401 "the same code is refused the second time (replay)"
is "$(json .error.field)" totp "the replay error names 'totp'"
signin abcdef
is "$STATUS" 401 "a code that is not digits is 401"
rc_cli user unlock analyst >/dev/null
signin "$(code $((t0 + 300)))"
is "$STATUS" 401 "a code from 5 minutes ahead is refused"
signin "$(code $((t0 - 300)))"
is "$STATUS" 401 "a code from 5 minutes ago is refused"
signin "$(code $((t0 - 30)))"
is "$STATUS" 401 "so is a used step's predecessor"
signin
is "$STATUS" 423 "wrong codes count toward the lockout: after three the account is locked"
rc_cli user unlock analyst >/dev/null

# A minute later (server restarted on a later clock): the current code works,
# an older step within the drift window does not go back in time.
rc_stop
ROOTCUT_FAKE_NOW=$((t0 + 60)) rc_serve
signin "$(code $((t0 + 30)))"
is "$STATUS" 401 "an earlier step's code is refused once a later one was used"
signin "$(code $((t0 + 60)))"
is "$STATUS" 201 "the current code signs in a minute later"
signin "$(code $((t0 + 90)))"
is "$STATUS" 201 "the next step's code is then still accepted once"
signin "$(code $((t0 + 60)))"
is "$STATUS" 401 "but not the current one again: steps only go forward"

# The secret never appears again.
rc_login admin
api GET /api/v1/users/2
is "$(json .totp_enabled)" true "an admin sees that the analyst uses TOTP"
unlike "$BODY" "$secret" "but not the secret"
rc_cli user show analyst >"$TEST_TMP/show.txt" 2>&1
unlike "$(cat "$TEST_TMP/show.txt")" "$secret" "rootcut user show does not print the secret"

rc_cli audit list --action user.totp.enable >"$TEST_TMP/audit.txt"
like "$(cat "$TEST_TMP/audit.txt")" 'user.totp.enable .*analyst' "enabling TOTP is audited"

# Turning it off needs the password and a current code; afterwards no code is needed.
rc_stop
ROOTCUT_FAKE_NOW=$((t0 + 120)) rc_serve
rc_login analyst "$apw" "$(code $((t0 + 120)))"
is "$STATUS" 201 "sign in with the code to turn TOTP off"
api DELETE /api/v1/session/totp '{"password":"not-my-password"}'
is "$STATUS" 401 "turning TOTP off with a wrong password is 401"
is "$(json .error.field)" password "the error names 'password'"
api DELETE /api/v1/session/totp "{\"password\":\"$apw\"}"
is "$STATUS" 401 "turning TOTP off without a code is refused"
is "$(json .error.field)" totp "the error names 'totp'"
api DELETE /api/v1/session/totp "{\"password\":\"$apw\",\"totp\":\"$(code $((t0 + 150)))\"}"
is "$STATUS" 200 "turning TOTP off with the password and a fresh code succeeds"
is "$(json .totp_enabled)" false "the second factor is off"
signin
is "$STATUS" 201 "sign-in needs no code again"
done_testing
