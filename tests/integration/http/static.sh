# Static files of the web UI: content types, ETag revalidation, cache headers
# (hashed assets immutable, index.html always revalidated), the single-page
# app fallback, path traversal refused; and the headers every API answer
# carries. Uses a web root of its own (web_root), so it does not depend on
# the state of web/; the built web/dist is checked too when present.
. "$(dirname "$0")/../lib/common.sh"
WEB="$TEST_TMP/webroot"
rm -rf "$WEB"
mkdir -p "$WEB/assets" "$WEB/i18n"
printf '<!doctype html><title>rootcut test</title><script src="/assets/app.3f9a1c.js"></script>\n' >"$WEB/index.html"
printf 'console.log("rootcut");\n' >"$WEB/assets/app.3f9a1c.js"
printf 'body { color: black; }\n' >"$WEB/assets/style.77aa.css"
printf '{"hello":"你好"}\n' >"$WEB/i18n/zh-TW.json"
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$WEB/logo.svg"
printf 'raw bytes\n' >"$WEB/assets/blob.bin"
printf 'TOP SECRET outside the web root\n' >"$TEST_TMP/secret.txt"
ln -s "$TEST_TMP/secret.txt" "$WEB/leak.txt"
rc_init || { not_ok "init"; done_testing; exit 1; }
ROOTCUT_WEB_ROOT=$WEB rc_serve || { not_ok "server starts"; done_testing; exit 1; }

get() { # PATH [curl args]
	path=$1
	shift
	anon GET "$path" "" "$@"
}

get /
is "$STATUS" 200 "GET / is 200"
is "$BODY" "$(cat "$WEB/index.html")" "it is index.html"
is "$(header Content-Type)" "text/html; charset=utf-8" "as text/html in UTF-8"
is "$(header Cache-Control)" no-cache "index.html is always revalidated (no-cache)"
etag=$(header ETag)
like "$etag" '^"[0-9a-f]+-[0-9a-f]+"$' "it has a strong ETag"
like "$(header Content-Security-Policy)" "default-src 'self'" "static answers carry the CSP"
is "$(header X-Content-Type-Options)" nosniff "and X-Content-Type-Options: nosniff"
get / -H "If-None-Match: $etag"
is "$STATUS" 304 "If-None-Match with the ETag is 304"
is "$BODY" "" "with no body"
is "$(header ETag)" "$etag" "the 304 repeats the ETag"
get / -H 'If-None-Match: "0-0"'
is "$STATUS" 200 "another ETag gets the file again"
get /index.html
is "$BODY" "$(cat "$WEB/index.html")" "/index.html is the same file"
get '/?lang=en'
is "$STATUS" 200 "a query string does not change the file"
anon HEAD / "" -I
is "$STATUS" 200 "HEAD / is 200"

# A changed file gets a new ETag.
printf '<!doctype html><title>rootcut test v2</title>\n' >"$WEB/index.html"
touch -d '2020-01-01 00:00:00' "$WEB/index.html" # the ETag is mtime and size
get / -H "If-None-Match: $etag"
is "$STATUS" 200 "after index.html changes, the old ETag gets 200"
isnt "$(header ETag)" "$etag" "and a new ETag"

get /assets/app.3f9a1c.js
is "$STATUS" 200 "a hashed asset is 200"
is "$(header Content-Type)" "text/javascript; charset=utf-8" "JavaScript is text/javascript"
is "$(header Cache-Control)" "public, max-age=31536000, immutable" "assets are cached for a year, immutable"
get /assets/style.77aa.css
is "$(header Content-Type)" "text/css; charset=utf-8" "CSS is text/css"
get /i18n/zh-TW.json
is "$(header Content-Type)" application/json "JSON is application/json"
is "$(header Cache-Control)" no-cache "files outside assets/ are revalidated"
is "$(printf '%s' "$BODY" | jq -r .hello)" 你好 "UTF-8 content arrives intact"
get /logo.svg
is "$(header Content-Type)" image/svg+xml "SVG is image/svg+xml"
get /assets/blob.bin
is "$(header Content-Type)" application/octet-stream "unknown extensions are application/octet-stream"

# Client-side routes fall back to index.html; missing files with an extension do not.
get /cases/112-1234
is "$STATUS" 200 "an unknown client route is 200"
like "$BODY" 'rootcut test v2' "and serves index.html"
is "$(header Content-Type)" "text/html; charset=utf-8" "as HTML"
get /assets
like "$BODY" 'rootcut test v2' "a directory path falls back to index.html"
get /assets/missing.js
is "$STATUS" 404 "a missing file with an extension is 404"
is "$(json .error.code)" not_found "with the JSON error body"

# Path traversal and tricks.
for p in '/../secret.txt' '/%2e%2e/secret.txt' '/assets/../../secret.txt' \
	'/assets/%2e%2e/%2e%2e/secret.txt' '/assets/..%2f..%2fsecret.txt' '/%2E%2E/%2E%2E/etc/passwd' \
	'/./index.html' '/assets/..\\..\\secret.txt' '/leak.txt' '/leak.txt%00.html' '/%2e%2e/secret.txt%00.html'; do
	get "$p" --path-as-is
	if [ "$STATUS" = 404 ] && ! printf '%s' "$BODY" | grep -q 'SECRET\|root:'; then
		ok "$p is 404 and leaks nothing"
	else
		not_ok "$p is 404 and leaks nothing" "status $STATUS: $(printf '%s' "$BODY" | head -c 200)"
	fi
done
alive=$(curl -sS -m 10 -o /dev/null -w '%{http_code}' "$BASE/api/v1/health")
is "$alive" 200 "the server still answers after the traversal attempts"

# API answers: never cached, with the security headers.
get /api/v1/health
is "$(header Cache-Control)" no-store "API answers are Cache-Control: no-store"
is "$(header X-Content-Type-Options)" nosniff "with X-Content-Type-Options: nosniff"
is "$(header X-Frame-Options)" DENY "with X-Frame-Options: DENY"
is "$(header Referrer-Policy)" no-referrer "with Referrer-Policy: no-referrer"
like "$(header Content-Security-Policy)" "frame-ancestors 'none'" "with a CSP forbidding framing"
is "$(header Content-Type)" application/json "as application/json"
is "$(header Strict-Transport-Security)" "" "no HSTS over plain HTTP (tls.sh checks HTTPS)"
get /api/v1/users
is "$STATUS" 401 "an API error"
is "$(header Cache-Control)" no-store "API errors are no-store too"
rc_login admin
api GET /api/v1/users
is "$(header Cache-Control)" no-store "authenticated API answers are no-store"
is "$(header ETag)" "" "and carry no ETag"

# Without a web UI, / says so (404), and the API is unaffected.
rc_stop
ROOTCUT_WEB_ROOT="$TEST_TMP/no-such-dir" rc_serve
get /
is "$STATUS" 404 "with no web root GET / is 404"
like "$(json .error.message)" 'web UI is not installed' "saying the web UI is not installed"
get /api/v1/health
is "$STATUS" 200 "the API still answers"

# The real UI, when web/dist is built, is found beside the binary.
rc_stop
dist="$(dirname "$ROOTCUT")/../web/dist"
if [ -f "$dist/index.html" ]; then
	rc_serve
	get /
	is "$STATUS" 200 "the built web/dist is served by default"
	is "$BODY" "$(cat "$dist/index.html")" "GET / is web/dist/index.html"
else
	echo "ok $((TAP_N + 1)) # SKIP web/dist is not built (scripts/build-web)"
	TAP_N=$((TAP_N + 1))
fi
done_testing
