# The generated documentation (docs/cli.md, docs/ops/configuration.md) matches the binary.
. "$(dirname "$0")/../lib/common.sh"
cd "$(dirname "$0")/../../.."
GEN_DOCS_OUT="$TEST_TMP/docs" scripts/gen-docs "$ROOTCUT" 2>"$TEST_TMP/gen.log"
is "$?" 0 "scripts/gen-docs runs"
for f in cli.md ops/configuration.md; do
	if diff -u "docs/$f" "$TEST_TMP/docs/$f" >"$TEST_TMP/diff" 2>&1; then
		ok "docs/$f is current"
	else
		not_ok "docs/$f is current (run scripts/gen-docs)" "$(head -20 "$TEST_TMP/diff")"
	fi
done
done_testing
