#!/bin/sh
# tests/integration/graph/export.sh - `rootcut graph export` and GET
# /api/v1/graph/export: a neighbourhood and a cluster of the demo data as
# GraphML, GEXF and CSV, well-formed by xmllint, with as many nodes and edges
# as the neighbourhood analysis reports; the content types; need-to-know.
. "$(dirname "$0")/../lib/common.sh"

if ! command -v xmllint >/dev/null 2>&1; then
	echo "ok 1 # SKIP xmllint is missing (libxml2-utils)"
	echo "1..1"
	exit 0
fi
rc_init --demo-reports 300 || exit 1
HOUSE=$("$ROOTCUT" --data "$DATA" graph layering --limit 500 2>/dev/null |
	jq -r '[.converge[] | select(.money_house and .type == "bank_account")][0].value')
ID="bank_account:$HOUSE"
NB=$("$ROOTCUT" --data "$DATA" graph neighbourhood --id "$ID" --depth 2 --limit 5000 2>/dev/null)
NODES=$(printf '%s' "$NB" | jq '.nodes | length')
EDGES=$(printf '%s' "$NB" | jq '.edges | length')
check "the money house has a neighbourhood ($NODES nodes, $EDGES edges)" test "$NODES" -gt 3

NS="-xpath"
for f in graphml gexf; do
	rc_cli graph export --id "$ID" --depth 2 --format $f --out "$TEST_TMP/n.$f"
	is "$?" 0 "export --format $f"
	check "the $f file is well-formed XML (xmllint)" xmllint --noout "$TEST_TMP/n.$f"
done
is "$(xmllint $NS "count(//*[local-name()='node'])" "$TEST_TMP/n.graphml")" "$NODES" "GraphML: every node of the neighbourhood"
is "$(xmllint $NS "count(//*[local-name()='edge'])" "$TEST_TMP/n.graphml")" "$EDGES" "GraphML: every edge among them"
is "$(xmllint $NS "count(//*[local-name()='node'])" "$TEST_TMP/n.gexf")" "$NODES" "GEXF: every node"
is "$(xmllint $NS "count(//*[local-name()='edge'])" "$TEST_TMP/n.gexf")" "$EDGES" "GEXF: every edge"
is "$(xmllint $NS "string(/*/@version)" "$TEST_TMP/n.gexf")" 1.3 "GEXF 1.3"
check "GraphML: edges name nodes that exist" sh -c "
	xmllint --xpath '//*[local-name()=\"edge\"]/@target' '$TEST_TMP/n.graphml' | tr ' ' '\n' |
	sed -n 's/^target=\"\\(.*\\)\"/\\1/p' | sort -u >'$TEST_TMP/targets'
	xmllint --xpath '//*[local-name()=\"node\"]/@id' '$TEST_TMP/n.graphml' | tr ' ' '\n' |
	sed -n 's/^id=\"\\(.*\\)\"/\\1/p' | sort -u >'$TEST_TMP/ids'
	test -s '$TEST_TMP/targets' && test -z \"\$(comm -23 '$TEST_TMP/targets' '$TEST_TMP/ids')\""
rc_cli graph export --id "$ID" --depth 2 --format csv --out "$TEST_TMP/n.csv"
is "$(head -1 "$TEST_TMP/n.csv" | tr -d '\r')" "source,source_kind,target,target_kind,kind,at,amount" "CSV header"
is "$(($(wc -l <"$TEST_TMP/n.csv") - 1))" "$EDGES" "CSV: one row per edge"
like "$(cat "$TEST_TMP/n.csv")" ",$HOUSE,bank_account,transfer," "CSV: the transfers into the house"

CASE=$(sqlite3 "$DATA/rootcut.db" "SELECT MIN(case_id) FROM reports WHERE case_id IS NOT NULL")
rc_cli graph export --what cluster --case "$CASE" --format gexf --out "$TEST_TMP/c.gexf"
check "a cluster exports as well-formed GEXF" xmllint --noout "$TEST_TMP/c.gexf"
is "$(xmllint $NS "count(//*[local-name()='edge'][@label='transfer' or @label='call'])" "$TEST_TMP/c.gexf")" 0 \
	"a cluster holds no flows, only what binds the ring"
check "and its case's reports" test "$(xmllint $NS "count(//*[local-name()='edge'][@label='in_case'])" "$TEST_TMP/c.gexf")" -gt 1
rc_cli graph export --format gexf >/dev/null 2>&1
is "$?" 2 "export needs an identifier or a case"

rc_serve || exit 1
rc_login analyst
for f in 'graphml:application/graphml\+xml' 'gexf:application/gexf\+xml' 'csv:text/csv'; do
	fmt=${f%%:*}
	type=$(curl -sS -m 20 -b "$JAR" -o "$TEST_TMP/api.$fmt" -w '%{http_code} %{content_type}' \
		"$BASE/api/v1/graph/export?format=$fmt&depth=2&id=$ID")
	like "$type" "^200 ${f#*:}" "GET /api/v1/graph/export?format=$fmt is ${f#*:}"
	check "the same file as the CLI ($fmt)" cmp -s "$TEST_TMP/api.$fmt" "$TEST_TMP/n.$fmt"
done
api GET "/api/v1/graph/export?format=pdf&id=$ID"
is "$STATUS" 400 "an unknown format is refused"
is "$(json '.error.field')" format "naming the field"
rc_login prosecutor.tp
curl -sS -m 20 -b "$JAR" -o "$TEST_TMP/p.graphml" "$BASE/api/v1/graph/export?format=graphml&depth=2&id=$ID"
check "prosecutors export too" xmllint --noout "$TEST_TMP/p.graphml"
HIDDEN=$(xmllint $NS "count(//*[local-name()='data'][@key='visible'][.='false'])" "$TEST_TMP/p.graphml")
DETAILS=$(xmllint $NS "count(//*[local-name()='node'][*[@key='visible'][.='false']]/*[@key='value'])" "$TEST_TMP/p.graphml")
is "$DETAILS" 0 "reports they may not read appear without details ($HIDDEN blind hits)"
rc_login dns.twnic
api GET "/api/v1/graph/export?id=$ID"
is "$STATUS" 403 "DNS operators may not export"
is "$(sqlite3 "$DATA/rootcut.db" "SELECT COUNT(*) FROM audit_events WHERE action = 'graph.export'")" 8 \
	"every export that ran is audited (4 by CLI, 4 by API)"

done_testing
