# HTTPS: with tls_cert and tls_key configured the server speaks TLS only;
# session cookies are Secure and answers carry Strict-Transport-Security.
# A self-signed P-256 certificate for 127.0.0.1 is made for the test.
. "$(dirname "$0")/../lib/common.sh"
command -v openssl >/dev/null || { echo "1..0 # SKIP openssl is not installed"; exit 0; }
CERT="$TEST_TMP/cert.pem"
KEY="$TEST_TMP/key.pem"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	-keyout "$KEY" -out "$CERT" >"$TEST_TMP/openssl.log" 2>&1 ||
	{ not_ok "openssl makes a certificate" "$(cat "$TEST_TMP/openssl.log")"; done_testing; exit 1; }
rc_init || { not_ok "init"; done_testing; exit 1; }
ROOTCUT_TLS_CERT=$CERT ROOTCUT_TLS_KEY=$KEY rc_serve || { not_ok "server starts with TLS"; done_testing; exit 1; }
like "$BASE" '^https://127\.0\.0\.1:[0-9]+$' "the server announces an https:// URL"
HOSTPORT=${BASE#https://}

# Every curl below trusts only the test certificate.
export CURL_CA_BUNDLE="$CERT"
anon GET /api/v1/health
is "$STATUS" 200 "GET /api/v1/health over HTTPS with --cacert is 200"
is "$(json .database)" ok "the health answer is whole"
like "$(header Strict-Transport-Security)" '^max-age=[0-9]{7,}' "HTTPS answers carry Strict-Transport-Security"
is "$(header X-Content-Type-Options)" nosniff "and the other security headers"
code=$(curl -sS -m 10 -o /dev/null -w '%{http_code}' --tlsv1.3 "$BASE/api/v1/health" 2>/dev/null)
is "$code" 200 "TLS 1.3 works"

rc_login admin
is "$STATUS" 201 "sign-in over HTTPS"
cookie=$(header Set-Cookie)
like "$cookie" '; Secure' "the session cookie is Secure under TLS"
like "$cookie" '; HttpOnly' "and HttpOnly"
like "$cookie" '; SameSite=Strict' "and SameSite=Strict"
api GET /api/v1/session
is "$STATUS" 200 "the Secure cookie works over HTTPS"
api POST /api/v1/agencies '{"name":"加密測試","code":"TLS1","kind":"bank"}'
is "$STATUS" 201 "a write with the CSRF token works over HTTPS"

# Without trusting the certificate the client refuses; plain HTTP gets nothing.
unset CURL_CA_BUNDLE
curl -sS -m 10 -o /dev/null --capath /nonexistent --cacert /dev/null "$BASE/api/v1/health" 2>"$TEST_TMP/err"
rc=$?
isnt "$rc" 0 "a client that does not trust the certificate refuses it"
code=$(curl -sS -m 10 -o /dev/null -w '%{http_code}' "http://$HOSTPORT/api/v1/health" 2>/dev/null)
rc=$?
isnt "$rc" 0 "plain HTTP to the TLS port fails"
is "$code" 000 "and gets no HTTP answer"
export CURL_CA_BUNDLE="$CERT"
anon GET /api/v1/health
is "$STATUS" 200 "the server still answers HTTPS after the plain request"

# The certificate served is the configured one.
served=$(echo | openssl s_client -connect "$HOSTPORT" -servername 127.0.0.1 2>/dev/null |
	openssl x509 -noout -fingerprint -sha256 2>/dev/null)
is "$served" "$(openssl x509 -in "$CERT" -noout -fingerprint -sha256)" "the server presents the configured certificate"

# Bad TLS configuration: the server refuses to start and names the key.
rc_stop
ROOTCUT_TLS_CERT=$CERT "$ROOTCUT" --data "$DATA" serve --listen 127.0.0.1:0 >/dev/null 2>"$TEST_TMP/err"
isnt "$?" 0 "tls_cert without tls_key: serve exits non-zero"
like "$(cat "$TEST_TMP/err")" 'tls_key' "and names tls_key"
ROOTCUT_TLS_CERT="$TEST_TMP/missing.pem" ROOTCUT_TLS_KEY=$KEY "$ROOTCUT" --data "$DATA" serve \
	--listen 127.0.0.1:0 >/dev/null 2>"$TEST_TMP/err"
isnt "$?" 0 "a missing certificate file: serve exits non-zero"
like "$(cat "$TEST_TMP/err")" 'tls_cert.*missing\.pem|missing\.pem.*tls_cert' "and names tls_cert and the file"
printf 'not a key\n' >"$TEST_TMP/bad.pem"
ROOTCUT_TLS_CERT=$CERT ROOTCUT_TLS_KEY="$TEST_TMP/bad.pem" timeout 20 "$ROOTCUT" --data "$DATA" serve \
	--listen 127.0.0.1:0 >/dev/null 2>"$TEST_TMP/err"
rc=$?
isnt "$rc" 0 "a key file that is not PEM: serve exits non-zero"
isnt "$rc" 124 "at once, instead of serving"
like "$(cat "$TEST_TMP/err")" 'tls_cert.*refused' "and says the certificate or key was refused"
unlike "$(cat "$TEST_TMP/err")" 'Address already in use' "not that the address is in use"
done_testing
