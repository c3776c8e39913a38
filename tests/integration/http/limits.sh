# Bad input over HTTP: malformed, truncated, oversized and mistyped JSON,
# too many or too large headers, unknown paths and methods, broken framing.
# Each gets a 4xx (the JSON error body naming the field where rootcut answers
# it, libmicrohttpd's own page where the request never reaches rootcut), and
# after each the same server process still answers /api/v1/health.
. "$(dirname "$0")/../lib/common.sh"
rc_start || { not_ok "server starts"; done_testing; exit 1; }
pid=$SERVER_PID
TOKEN=$(rc_token admin admin,read,write)
HOSTPORT=${BASE#http://}

alive() { # what was just sent
	code=$(curl -sS -m 10 -o /dev/null -w '%{http_code}' "$BASE/api/v1/health" 2>/dev/null)
	if [ "$code" = 200 ] && kill -0 "$pid" 2>/dev/null; then
		ok "the server still answers after $1"
	else
		not_ok "the server still answers after $1" "health: $code"
	fi
}
post() { # PATH BODY [curl args]: as admin by token
	p=$1 d=$2
	shift 2
	bearer "$TOKEN" POST "$p" "$d" "$@"
}
# raw TEXT: send TEXT (with \r\n escapes) over a plain socket, close our
# sending side, print the status line of the answer, "closed" when the server
# hangs up without one, or "no answer" when none comes within 3 s
raw() {
	python3 - "$HOSTPORT" "$1" <<'PY'
import socket, sys
host, port = sys.argv[1].rsplit(":", 1)
data = sys.argv[2].encode("latin-1").decode("unicode_escape").encode("latin-1")
s = socket.create_connection((host, int(port)), timeout=3)
s.sendall(data)
s.shutdown(socket.SHUT_WR)
got = b""
try:
    while len(got) < 65536:
        chunk = s.recv(4096)
        if not chunk:
            break
        got += chunk
except socket.timeout:
    if not got:
        got = b"no answer"
line = got.split(b"\r\n", 1)[0].decode("latin-1")
print(line if line else "closed")
PY
}
agencies_before=$(sqlite3 "$DATA/rootcut.db" 'SELECT COUNT(*) FROM agencies')

# Malformed and truncated JSON.
post /api/v1/agencies '{"name":'
is "$STATUS" 400 "malformed JSON is 400"
is "$(json .error.code)" parse "code parse"
is "$(json .error.field)" body "the error names the body"
like "$(json .error.message)" 'line 1 column' "the message says where"
alive "malformed JSON"
post /api/v1/agencies '{"name":"測試","code":"TRUNC","kind":"pol'
is "$STATUS" 400 "truncated JSON is 400"
alive "truncated JSON"
post /api/v1/agencies '{"name":"x"} trailing'
is "$STATUS" 400 "JSON followed by garbage is 400"
post /api/v1/agencies '[1,2,3]'
is "$STATUS" 400 "a JSON array instead of an object is 400"
like "$(json .error.message)" 'object' "the message asks for an object"
post /api/v1/agencies '"just a string"'
is "$STATUS" 400 "a JSON string instead of an object is 400"
bearer "$TOKEN" POST /api/v1/agencies
is "$STATUS" 400 "an empty body is 400"
is "$(json .error.field)" body "the error names the body"
post /api/v1/agencies '{"name":"a","name":"b","code":"DUP","kind":"bank"}'
is "$STATUS" 400 "a duplicate key is 400"
post /api/v1/agencies '{"name":"a\u0000b","code":"NUL","kind":"bank"}'
is "$STATUS" 400 "a NUL character in a string is 400"
post /api/v1/agencies '{"name":"a","code":"BIG","kind":"bank","supervisor_id":1e400}'
is "$STATUS" 400 "a number that overflows is 400"
python3 -c 'print("[" * 100000 + "]" * 100000)' >"$TEST_TMP/deep.json"
post /api/v1/agencies "" --data-binary @"$TEST_TMP/deep.json"
is "$STATUS" 400 "JSON nested 100000 deep is 400"
alive "deeply nested JSON"

# Invalid UTF-8 inside a string.
printf '{"name":"bad \377\376 bytes","code":"UTF","kind":"bank"}' >"$TEST_TMP/utf8.json"
post /api/v1/agencies "" --data-binary @"$TEST_TMP/utf8.json"
is "$STATUS" 400 "invalid UTF-8 in a string is 400"
is "$(json .error.field)" body "the error names the body"
printf '{"name":"overlong \300\257","code":"UTF2","kind":"bank"}' >"$TEST_TMP/utf8.json"
post /api/v1/agencies "" --data-binary @"$TEST_TMP/utf8.json"
is "$STATUS" 400 "an overlong UTF-8 encoding is 400"
alive "invalid UTF-8"

# Wrong types and unknown fields: 400 naming the field.
post /api/v1/agencies '{"name":123,"code":"T1","kind":"bank"}'
is "$STATUS" 400 "a number where a string belongs is 400"
is "$(json .error.field)" name "the error names 'name'"
post /api/v1/agencies '{"name":"x","code":"T2","kind":"bank","supervisor_id":"one"}'
is "$STATUS" 400 "a string where an id belongs is 400"
is "$(json .error.field)" supervisor_id "the error names 'supervisor_id'"
post /api/v1/agencies '{"name":"x","code":"T3","kind":"bank","disabled":"yes"}'
is "$STATUS" 400 "a string where a boolean belongs is 400"
is "$(json .error.field)" disabled "the error names 'disabled'"
post /api/v1/agencies '{"name":"x","code":"T4","kind":"spaceship"}'
is "$STATUS" 400 "an unknown agency kind is 400"
is "$(json .error.field)" kind "the error names 'kind'"
post /api/v1/users '{"username":"typed.user","agency_id":2,"roles":5}'
is "$STATUS" 400 "roles that are not a list is 400"
is "$(json .error.field)" roles "the error names 'roles'"
post /api/v1/users '{"username":"typed.user","agency_id":2.5,"roles":["analyst"]}'
is "$STATUS" 400 "a fractional agency id is 400"
is "$(json .error.field)" agency_id "the error names 'agency_id'"
post /api/v1/users '{"username":"typed.user","agency_id":999,"roles":["analyst"]}'
is "$STATUS" 400 "an agency_id that names no agency is 400"
is "$(json .error.field)" agency_id "the error names 'agency_id', as the body calls it"
post /api/v1/agencies '{"name":"x","code":"T7","kind":"bank","supervisor_id":999}'
is "$STATUS" 400 "a supervisor_id that names no agency is 400"
is "$(json .error.field)" supervisor_id "the error names 'supervisor_id', as the body calls it"
bearer "$TOKEN" PATCH /api/v1/agencies/2 '{"supervisor_id":2}'
is "$STATUS" 400 "an agency supervising itself is 400"
is "$(json .error.field)" supervisor_id "the error names 'supervisor_id'"
post /api/v1/agencies '{"name":"x","code":"T5","kind":"bank","colour":"red"}'
is "$STATUS" 400 "an unknown field is 400"
is "$(json .error.field)" colour "the error names the unknown field"
like "$(json .error.message)" 'unknown field' "the message says it is unknown"
post /api/v1/agencies "{\"name\":\"$(head -c 300 /dev/zero | tr '\0' x)\",\"code\":\"T6\",\"kind\":\"bank\"}"
is "$STATUS" 400 "a name longer than allowed is 400"
is "$(json .error.field)" name "the error names 'name'"
alive "wrong types"

# Bodies over the limit: with Content-Length (refused before reading) and
# chunked (refused once the limit is passed).
head -c 1200000 /dev/zero | tr '\0' ' ' >"$TEST_TMP/big.json"
post /api/v1/agencies "" --data-binary @"$TEST_TMP/big.json"
is "$STATUS" 413 "a body over max_body_bytes with Content-Length is 413"
is "$(json .error.code)" too_large "code too_large"
is "$(json .error.field)" body "the error names the body"
alive "an oversized body"
post /api/v1/agencies "" --data-binary @"$TEST_TMP/big.json" -H 'Transfer-Encoding: chunked'
is "$STATUS" 413 "a chunked body over max_body_bytes is 413"
is "$(json .error.field)" body "the error names the body"
alive "an oversized chunked body"
head -c 10000 /dev/zero | tr '\0' ' ' >"$TEST_TMP/mid.json"
anon POST /api/v1/session "" --data-binary @"$TEST_TMP/mid.json" -H 'Content-Type: application/json'
is "$STATUS" 413 "sign-in has its own smaller limit (8 KiB): 10 KB is 413"
raw 'POST /api/v1/agencies HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n{}' >"$TEST_TMP/raw"
like "$(cat "$TEST_TMP/raw")" '^(HTTP/1.1 4[0-9][0-9]|closed)' "an absurd Content-Length is refused"
alive "an absurd Content-Length"

# Headers: too many, one too large, a URL too long, a bad Content-Length.
args=""
i=0
while [ $i -lt 70 ]; do args="$args -H X-Filler-$i:v"; i=$((i + 1)); done
# shellcheck disable=SC2086
anon GET /api/v1/health "" $args
is "$STATUS" 431 "70 header fields (max_headers 64) is 431"
is "$(json .error.field)" headers "the error names the headers"
alive "too many headers"
anon GET /api/v1/health "" -H "X-Large: $(head -c 40000 /dev/zero | tr '\0' h)"
is "$STATUS" 431 "a 40 KB header (max_header_bytes 32 KiB) is 431"
alive "an oversized header"
anon GET "/api/v1/$(head -c 40000 /dev/zero | tr '\0' u)"
is "$STATUS" 414 "a 40 KB URL is 414"
alive "an oversized URL"
raw 'POST /api/v1/agencies HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n' >"$TEST_TMP/raw"
like "$(cat "$TEST_TMP/raw")" '^HTTP/1.1 400' "a non-numeric Content-Length is 400"
alive "a bad Content-Length"

# Broken framing: a body shorter than its Content-Length, then the client
# hangs up; a request line that is not HTTP; a bare connection closed at once.
raw 'POST /api/v1/agencies HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"name":"half' >"$TEST_TMP/raw"
like "$(cat "$TEST_TMP/raw")" '^(closed|no answer)$' "a body cut short by hang-up gets no answer"
alive "a body cut short"
raw 'HELLO THERE\r\n\r\n' >"$TEST_TMP/raw"
like "$(cat "$TEST_TMP/raw")" '^(HTTP/1.1 4[0-9][0-9]|closed)' "a request line that is not HTTP is refused"
alive "a non-HTTP request line"
raw '' >/dev/null
alive "a connection closed without a request"
raw 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n' >"$TEST_TMP/raw"
like "$(cat "$TEST_TMP/raw")" '^(HTTP/1.1 [24][0-9][0-9] |closed$|no answer$)' "both Transfer-Encoding and Content-Length: no crash"
alive "conflicting framing headers"

# Unknown paths and wrong methods.
anon GET /api/v1/nothing-here
is "$STATUS" 404 "an unknown API path is 404"
is "$(json .error.field)" path "the error names the path"
anon GET /api/v2/health
is "$STATUS" 404 "another API version is 404"
anon GET '/api/v1/%ff%fe'
is "$STATUS" 404 "a path of invalid UTF-8 is 404"
is "$(json .error.code)" not_found "with a JSON error body"
anon DELETE /api/v1/agencies
is "$STATUS" 405 "DELETE on a collection that has none is 405"
is "$(json .error.field)" method "the error names the method"
anon PUT /api/v1/health
is "$STATUS" 405 "PUT /api/v1/health is 405"
anon POST /index.html
is "$STATUS" 405 "POST to a static file is 405"
alive "unknown paths and methods"

# Nothing of the above was stored, and the server process never changed.
is "$(sqlite3 "$DATA/rootcut.db" 'SELECT COUNT(*) FROM agencies')" "$agencies_before" "no bad request created an agency"
is "$SERVER_PID" "$pid" "the same server process answered throughout"
unlike "$(cat "$TEST_TMP/server.log")" 'error|BUG|abort' "the server logged no errors"

# max_body_bytes is configurable: with 2048, a 3000-byte body is 413.
rc_stop
ROOTCUT_MAX_BODY_BYTES=2048 rc_serve
pid=$SERVER_PID
head -c 3000 /dev/zero | tr '\0' ' ' >"$TEST_TMP/3k.json"
post /api/v1/agencies "" --data-binary @"$TEST_TMP/3k.json"
is "$STATUS" 413 "with max_body_bytes = 2048 a 3000-byte body is 413"
post /api/v1/agencies '{"name":"小機關","code":"SMALL","kind":"bank"}'
is "$STATUS" 201 "and a small body still works"
done_testing
