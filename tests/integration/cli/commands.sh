# The command line: --help everywhere, errors that name the field on stderr
# with a non-zero exit, user/agency/token administration, online backup, and
# the configuration file and environment.
. "$(dirname "$0")/../lib/common.sh"
rc_init || { not_ok "init"; done_testing; exit 1; }

# --help on every command (the list is read from `rootcut --help`).
"$ROOTCUT" --help >"$TEST_TMP/help.txt"
is "$?" 0 "rootcut --help exits 0"
cmds=$(sed -n '/^commands:/,$p' "$TEST_TMP/help.txt" | awk 'NR > 1 && NF { print $1 }')
missing=""
for c in serve init user agency token audit backup config routes version; do
	printf '%s\n' $cmds | grep -qx "$c" || missing="$missing $c"
done
is "$missing" "" "it lists the foundation's commands"
for c in $cmds; do
	out=$("$ROOTCUT" "$c" --help 2>"$TEST_TMP/err")
	rc=$?
	if [ $rc -eq 0 ] && printf '%s' "$out" | grep -q "^usage: rootcut $c" && [ ! -s "$TEST_TMP/err" ]; then
		ok "rootcut $c --help exits 0 with its usage on stdout"
	else
		not_ok "rootcut $c --help exits 0 with its usage on stdout" "exit $rc: $(head -c 200 "$TEST_TMP/err")"
	fi
done
"$ROOTCUT" >/dev/null 2>"$TEST_TMP/err"
is "$?" 2 "rootcut without a command exits 2"
like "$(cat "$TEST_TMP/err")" '^usage:' "with the usage on stderr"
"$ROOTCUT" frobnicate >/dev/null 2>"$TEST_TMP/err"
is "$?" 2 "an unknown command exits 2"
like "$(cat "$TEST_TMP/err")" "'frobnicate' is not a command" "and names it"
rc_cli user frobnicate >/dev/null 2>"$TEST_TMP/err"
is "$?" 2 "an unknown subcommand exits 2"
like "$(cat "$TEST_TMP/err")" "frobnicate" "and names it"
"$ROOTCUT" --version >"$TEST_TMP/out"
is "$?" 0 "rootcut --version exits 0"
like "$(cat "$TEST_TMP/out")" '^rootcut [0-9]+\.[0-9]+\.[0-9]+' "and prints the version"
like "$(rc_cli version)" 'sqlite 3\.[0-9]+' "rootcut version names the library versions"

# err DESCRIPTION PATTERN COMMAND...: exits non-zero, stderr matches PATTERN, stdout empty
err() {
	d=$1 pat=$2
	shift 2
	"$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	rc=$?
	if [ $rc -ne 0 ] && grep -Eq "$pat" "$TEST_TMP/err" && [ ! -s "$TEST_TMP/out" ]; then
		ok "$d"
	else
		not_ok "$d" "exit $rc; stderr: $(head -c 300 "$TEST_TMP/err"); stdout: $(head -c 100 "$TEST_TMP/out")"
	fi
}

# Bad input names the field.
err "user add with an unknown role fails naming the role" "role.*'wizard'" \
	rc_cli user add new.one --agency TPDP --roles analyst,wizard
err "user add with an unknown agency fails naming the agency" "agency.*'NOPE'" \
	rc_cli user add new.one --agency NOPE --roles analyst
err "user add without --roles fails naming roles" "roles" \
	rc_cli user add new.one --agency TPDP
err "user add with a bad user name fails naming username" "username" \
	rc_cli user add "New One" --agency TPDP --roles analyst
err "user add of an existing user fails naming username" "username.*already exists" \
	rc_cli user add analyst --agency THPO --roles analyst
err "agency add with a bad kind fails naming kind" "kind.*'alien'" \
	rc_cli agency add --name 外星機關 --code ALIEN --kind alien
err "agency add without --code fails naming code" "code" \
	rc_cli agency add --name 無代碼機關 --kind bank
err "agency add with an unknown supervisor fails naming it" "supervisor" \
	rc_cli agency add --name 子機關 --code SUB --kind government --supervisor NOPE
err "token create without --scopes fails naming scopes" "scopes" \
	rc_cli token create --user analyst --name t
err "token create with an unknown scope fails naming it" "scope.*'everything'" \
	rc_cli token create --user analyst --name t --scopes read,everything
err "token create for an unknown user fails naming the user" "user.*nobody" \
	rc_cli token create --user nobody --name t --scopes read
err "token revoke of an unknown id fails" "99999" \
	rc_cli token revoke 99999
err "user show of an unknown user fails" "nobody" \
	rc_cli user show nobody
err "a command on a directory without a database says to run init" "rootcut init" \
	"$ROOTCUT" --data "$TEST_TMP/empty" user list
is "$(sqlite3 "$DATA/rootcut.db" "SELECT COUNT(*) FROM users WHERE username = 'new.one'")" 0 "no refused user was created"

# Administration that works.
out=$(rc_cli agency add --name 臺灣新北地方檢察署 --code PCDP --kind district_prosecutors --supervisor THPO)
is "$?" 0 "agency add exits 0"
rc_cli agency list >"$TEST_TMP/out"
like "$(grep PCDP "$TEST_TMP/out")" 'district_prosecutors +1 ' "agency list shows it under its supervisor"
out=$(rc_cli user add clerk.pc --agency PCDP --roles investigator,reporter --display-name "書記官")
is "$?" 0 "user add exits 0"
otp=$(printf '%s' "$out" | sed -n 's/.*one-time password: *//p')
like "$otp" '^[A-Za-z0-9-]{12,}$' "user add prints a one-time password"
rc_cli user list --agency PCDP >"$TEST_TMP/out"
like "$(cat "$TEST_TMP/out")" 'clerk\.pc .*investigator,reporter' "user list --agency shows the user and roles"
is "$(grep -c 'prosecutor.tp' "$TEST_TMP/out")" 0 "and only that agency's users"
rc_cli user roles clerk.pc analyst >/dev/null
like "$(rc_cli user show clerk.pc)" 'roles: analyst' "user roles replaces the roles"
rc_cli user agency clerk.pc TPDP >/dev/null
like "$(rc_cli user show clerk.pc)" 'agency: .*\(TPDP\)' "user agency moves the user"
rc_cli user disable clerk.pc >/dev/null
like "$(rc_cli user show clerk.pc)" 'state: disabled' "user disable disables"
rc_cli user enable clerk.pc >/dev/null
like "$(rc_cli user show clerk.pc)" 'state: active' "user enable enables"
out=$(rc_cli user passwd clerk.pc)
is "$?" 0 "user passwd exits 0"
like "$(rc_cli user show clerk.pc)" 'must change password: yes' "after passwd the user must change the password"
out=$(rc_cli token create --user clerk.pc --name forever --scopes read --days 0)
like "$(rc_cli token list --user clerk.pc)" 'forever .*never' "token create --days 0 never expires"
rc_cli audit list --actor console:root --limit 100 >"$TEST_TMP/out"
for a in agency.create user.create user.update user.password.reset token.create; do
	like "$(cat "$TEST_TMP/out")" " $a " "the CLI's $a is in the audit log"
done

# init again only migrates: the users stay.
users=$(sqlite3 "$DATA/rootcut.db" 'SELECT COUNT(*) FROM users')
rc_cli init >/dev/null 2>&1
is "$?" 0 "init on an existing database exits 0"
is "$(sqlite3 "$DATA/rootcut.db" 'SELECT COUNT(*) FROM users')" "$users" "and keeps every user"

# Online backup while the server runs and writes.
rc_serve || not_ok "server starts"
TOKEN=$(rc_token admin admin,write,read)
( i=0; while [ $i -lt 30 ]; do i=$((i + 1))
	curl -sS -m 10 -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		--data-binary "{\"name\":\"備份測試 $i\",\"code\":\"BK$i\",\"kind\":\"bank\"}" "$BASE/api/v1/agencies"
done ) &
writer=$!
rc_cli backup "$TEST_TMP/backup.db" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
is "$?" 0 "backup during writes exits 0"
like "$(cat "$TEST_TMP/out")" 'integrity ok' "it reports the copy's integrity"
is "$(ls "$TEST_TMP"/backup.db* | wc -l)" 1 "the backup is one self-contained file (no -wal beside it)"
wait "$writer"
is "$(sqlite3 "$TEST_TMP/backup.db" 'PRAGMA integrity_check')" ok "the backup passes integrity_check"
is "$(sqlite3 "$TEST_TMP/backup.db" "SELECT code FROM agencies WHERE code = 'PCDP'")" PCDP "the backup holds the data"
is "$(sqlite3 "$TEST_TMP/backup.db" "SELECT username FROM users WHERE username = 'clerk.pc'")" clerk.pc "including the users"
mkdir -p "$TEST_TMP/restored"
cp "$TEST_TMP/backup.db" "$TEST_TMP/restored/rootcut.db"
cp "$DATA/audit.key" "$TEST_TMP/restored/"
"$ROOTCUT" --data "$TEST_TMP/restored" audit verify >/dev/null 2>"$TEST_TMP/err"
is "$?" 0 "the restored backup's audit chain verifies with the key"
before=$(stat -c %Y:%s "$TEST_TMP/backup.db")
err "backup over an existing file without --force fails naming the file" "file.*backup\.db.*--force" \
	rc_cli backup "$TEST_TMP/backup.db"
is "$(stat -c %Y:%s "$TEST_TMP/backup.db")" "$before" "and leaves the existing file alone"
rc_cli backup --force "$TEST_TMP/backup.db" >/dev/null 2>&1
is "$?" 0 "backup --force replaces it"
is "$(sqlite3 "$TEST_TMP/backup.db" "SELECT COUNT(*) FROM agencies WHERE code = 'BK30'")" 1 "the new copy has the latest writes"
err "backup into a missing directory fails" "backup" rc_cli backup "$TEST_TMP/no/such/dir/b.db"
err "backup without FILE is a usage error" "FILE" rc_cli backup

# serve: a bad --listen and a port already served are refused.
err "serve --listen with a bad address fails naming listen" "listen" \
	rc_cli serve --listen 'not-an-address'
port=${BASE##*:}
err "a second server on a port already served fails naming listen" "listen.*in use" \
	timeout 20 "$ROOTCUT" --data "$DATA" serve --listen "127.0.0.1:$port"
anon GET /api/v1/health
is "$STATUS" 200 "the first server still answers"
rc_stop

# Configuration: file, environment over file, errors with file:line.
is "$(rc_cli config | sed -n 's/^login_max_failures = //p')" 3 "rootcut config shows the file's value"
like "$(rc_cli config | head -1)" "read from $DATA/rootcut.conf" "and which file it read"
is "$(ROOTCUT_LISTEN=127.0.0.1:9999 rc_cli config | sed -n 's/^listen = //p')" 127.0.0.1:9999 \
	"ROOTCUT_LISTEN overrides the default"
is "$(ROOTCUT_LOGIN_MAX_FAILURES=7 rc_cli config | sed -n 's/^login_max_failures = //p')" 7 \
	"the environment overrides the file"
like "$(rc_cli config --reference)" '#max_body_bytes = 1048576' "config --reference lists every key with its default"
keys=$(rc_cli config | grep -c ' = ')
is "$(rc_cli config --reference | grep -c '^#[a-z_0-9]* = ')" "$keys" "the reference documents every key"
err "a bad environment value names the variable" "ROOTCUT_THREADS.*'many'" \
	env ROOTCUT_THREADS=many "$ROOTCUT" --data "$DATA" config
cp "$DATA/rootcut.conf" "$TEST_TMP/good.conf"
printf 'threads = 2\n\n# a comment\nthis line is wrong\n' >"$DATA/rootcut.conf"
err "a line without '=' is reported with file:line" "rootcut\.conf:4: expected 'key = value'" rc_cli config
printf 'threads = 2\ncolour = red\n' >"$DATA/rootcut.conf"
err "an unknown key is reported with file:line and the key" "colour.*rootcut\.conf:2: unknown" rc_cli config
printf 'max_body_bytes = 12\n' >"$DATA/rootcut.conf"
err "a value out of range is reported with file:line and the range" "max_body_bytes.*rootcut\.conf:1:.*1024" rc_cli config
printf 'db_synchronous_full = maybe\n' >"$DATA/rootcut.conf"
err "a bad boolean is reported" "db_synchronous_full.*'maybe'" rc_cli config
err "serve refuses to start with a bad config" "rootcut\.conf:1" rc_cli serve --listen 127.0.0.1:0
cp "$TEST_TMP/good.conf" "$DATA/rootcut.conf"
err "--config with a missing file fails naming it" "missing\.conf" \
	"$ROOTCUT" --data "$DATA" --config "$TEST_TMP/missing.conf" config
mkdir -p "$TEST_TMP/noconf"
is "$("$ROOTCUT" --data "$TEST_TMP/noconf" config | sed -n 's/^listen = //p')" 127.0.0.1:8080 \
	"with no config file the defaults apply"
is "$(ROOTCUT_DATA="$DATA" "$ROOTCUT" config | sed -n 's/^login_max_failures = //p')" 3 \
	"ROOTCUT_DATA chooses the data directory"
done_testing
