# A database restored from an older backup (rpz/highwater.c): its zones would
# go back to serials the secondaries already hold, and they would never
# transfer again. rootcut keeps the highest published serial in
# DATA/rpz.serials and raises a restored zone above it at the next start,
# with its journal cut so every secondary takes one full transfer.
. "$(dirname "$0")/../lib/common.sh"
rc_init || { not_ok "init"; done_testing; exit 1; }

serial() { rc_cli rpz zones | awk '$1 == "rpz.rootcut.tw." { print $2 }'; }
seize() { # domain: one order through to enforced
	id=$(rc_cli order add --agency TPDP --court 臺灣臺北地方法院 --domain "$1" 2>&1 |
		sed -n 's/^order \([0-9]*\).*/\1/p')
	rc_cli order file "$id" >/dev/null && rc_cli order grant "$id" --number "$id" \
		--date 2026-01-01 >/dev/null && rc_cli order enforce "$id" >/dev/null
}

check "a first order enforced" seize first.example.com
s1=$(serial)
check "backup after it" rc_cli backup "$TEST_TMP/backup.db"
check "a second order enforced" seize second.example.com
check "a third" seize third.example.com
s3=$(serial)
ok_if() { if eval "$1"; then ok "$2"; else not_ok "$2"; fi; }
ok_if '[ "$s3" -gt "$s1" ]' "the serial rose with each order ($s1 → $s3)"
check "the published serial is recorded" grep -q "^rpz.rootcut.tw. " "$DATA/rpz.serials"

# restore the older database, as docs/ops/backup.md says
cp "$TEST_TMP/backup.db" "$DATA/rootcut.db"
rm -f "$DATA/rootcut.db-wal" "$DATA/rootcut.db-shm"
s=$(serial 2>"$TEST_TMP/restore.err")
ok_if '[ "$s" -gt "$s3" ]' "after the restore the serial is above the last published ($s > $s3)"
like "$(cat "$TEST_TMP/restore.err")" "older than the zone its secondaries hold" \
	"the raise is explained on stderr"
like "$(rc_cli rpz history rpz.rootcut.tw)" "serial raised above $s3" "and in the zone's history"
z=$(rc_cli rpz export)
like "$z" '^first\.example\.com ' "the restored content: the first order's domain"
unlike "$z" 'second\.example\.com' "not the orders the backup does not hold"
is "$(serial)" "$s" "the next start leaves it alone"
done_testing
