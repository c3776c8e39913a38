# Signing in and out with a password: the session cookie, the CSRF token, the
# error bodies of failed sign-ins, and the first-login password change.
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }

rc_login prosecutor.tp
is "$STATUS" 201 "sign-in with the right password is 201"
cookie=$(header Set-Cookie)
like "$cookie" '^rootcut_session=[A-Za-z0-9_-]{40,};' "Set-Cookie carries the session id"
like "$cookie" '; HttpOnly' "the session cookie is HttpOnly"
like "$cookie" '; SameSite=Strict' "the session cookie is SameSite=Strict"
like "$cookie" '; Path=/;' "the session cookie covers the whole site"
unlike "$cookie" '; Secure' "the cookie is not Secure over plain HTTP (tls.sh checks HTTPS)"
like "$CSRF" '^[A-Za-z0-9_-]{24,}$' "the answer carries a csrf_token"
is "$(json .user.username)" prosecutor.tp "the answer names the user"
is "$(json .agency.code)" TPDP "the answer names the user's agency"
is "$(json '.user | has("password_hash")')" false "the answer has no password hash"
session=$(rc_cookie)

api GET /api/v1/session
is "$STATUS" 200 "GET /api/v1/session with the cookie is 200"
is "$(json .user.username)" prosecutor.tp "it names the signed-in user"
is "$(json .csrf_token)" "$CSRF" "it repeats the session's CSRF token"
is "$(json .via)" session "it says the caller came by session"
like "$(json .user.last_login_at)" '^20[0-9]{2}-' "last_login_at is recorded"

anon GET /api/v1/session
is "$STATUS" 401 "GET /api/v1/session without a cookie is 401"
anon GET /api/v1/session "" -H "Cookie: rootcut_session=not-a-session"
is "$STATUS" 401 "a made-up session cookie is 401"
is "$(json .error.field)" session "the error names the session"

# Wrong password and unknown user: 401 with the same message, naming the field.
anon POST /api/v1/session '{"username":"prosecutor.tp","password":"wrong-password-1"}'
is "$STATUS" 401 "wrong password is 401"
is "$(json .error.code)" unauthorized "wrong password: code unauthorized"
is "$(json .error.field)" password "wrong password: the error names the field 'password'"
wrong_msg=$(json .error.message)
isnt "$wrong_msg" "" "wrong password: the error has a message"
is "$(header Set-Cookie)" "" "a failed sign-in sets no cookie"
anon POST /api/v1/session '{"username":"nobody.here","password":"wrong-password-1"}'
is "$STATUS" 401 "unknown user is 401"
is "$(json .error.field)" password "unknown user: the same field as a wrong password"
is "$(json .error.message)" "$wrong_msg" "unknown user: the same message as a wrong password"

anon POST /api/v1/session '{"password":"x"}'
is "$STATUS" 400 "sign-in without a user name is 400"
is "$(json .error.field)" username "the error names 'username'"
anon POST /api/v1/session '{"username":"admin","password":"x","remember":true}'
is "$STATUS" 400 "sign-in with an unknown field is 400"
is "$(json .error.field)" remember "the error names the unknown field"
anon POST /api/v1/session '{"username":"admin","password":12345}'
is "$STATUS" 400 "a password that is not a string is 400"
is "$(json .error.field)" password "the error names 'password'"

# The failures did not disturb the good session.
api GET /api/v1/session
is "$STATUS" 200 "the session still works after failed sign-ins elsewhere"

# Sign out: 204, the cookie is cleared, and the old cookie no longer opens anything.
api DELETE /api/v1/session
is "$STATUS" 204 "sign-out is 204"
like "$(header Set-Cookie)" '^rootcut_session=; .*Max-Age=0' "sign-out clears the cookie"
anon GET /api/v1/session "" -H "Cookie: rootcut_session=$session"
is "$STATUS" 401 "the old session cookie no longer works after sign-out"
anon GET /api/v1/users "" -H "Cookie: rootcut_session=$session"
is "$STATUS" 401 "nor for any other endpoint"

# Two sessions of one user are independent: ending one leaves the other.
rc_login analyst
first=$(rc_cookie) first_csrf=$CSRF
rc_login analyst
second=$(rc_cookie)
isnt "$first" "$second" "each sign-in gets a new session id"
isnt "$first_csrf" "$CSRF" "each session gets its own CSRF token"
api DELETE /api/v1/session
anon GET /api/v1/session "" -H "Cookie: rootcut_session=$first"
is "$STATUS" 200 "signing out of one session leaves the other open"

# A new account must change the password its admin set before anything else.
rc_login admin
api POST /api/v1/users '{"username":"new.clerk","agency_id":2,"roles":["investigator"],"password":"Temporary-pass-1"}'
is "$STATUS" 201 "admin creates a user with a set password"
is "$(json .must_change_password)" true "the new account must change its password"
rc_login new.clerk Temporary-pass-1
is "$STATUS" 201 "the new user signs in with the temporary password"
api GET /api/v1/users
is "$STATUS" 403 "until the password is changed other endpoints are 403"
is "$(json .error.field)" password "the error names 'password'"
api POST /api/v1/session/password '{"current_password":"wrong-one-here","new_password":"My-own-secret-42"}'
is "$STATUS" 401 "changing the password with a wrong current one is 401"
is "$(json .error.field)" current_password "the error names 'current_password'"
api POST /api/v1/session/password '{"current_password":"Temporary-pass-1","new_password":"short"}'
is "$STATUS" 400 "a too short new password is 400"
is "$(json .error.field)" new_password "the error names 'new_password'"
old=$(rc_cookie)
api POST /api/v1/session/password '{"current_password":"Temporary-pass-1","new_password":"My-own-secret-42"}'
is "$STATUS" 200 "the password change succeeds"
CSRF=$(json .csrf_token)
is "$(json .user.must_change_password)" false "the account no longer must change its password"
api GET /api/v1/users
is "$STATUS" 200 "the new session may use other endpoints"
anon GET /api/v1/session "" -H "Cookie: rootcut_session=$old"
is "$STATUS" 401 "the session from before the change has ended"
rc_login new.clerk Temporary-pass-1
is "$STATUS" 401 "the temporary password no longer works"
rc_login new.clerk My-own-secret-42
is "$STATUS" 201 "the new password works"

# Disabling an account ends its sessions.
rc_login prosecutor.ks
ks=$(rc_cookie)
ks_id=$(json .user.id)
rc_cli user disable prosecutor.ks >/dev/null 2>&1
anon GET /api/v1/session "" -H "Cookie: rootcut_session=$ks"
is "$STATUS" 401 "a disabled user's session no longer works"
rc_login prosecutor.ks
is "$STATUS" 401 "a disabled user cannot sign in"
rc_cli user enable prosecutor.ks >/dev/null 2>&1
rc_login prosecutor.ks
is "$STATUS" 201 "after enabling, the user signs in again"
is "$(json .user.id)" "$ks_id" "as the same account"

done_testing
