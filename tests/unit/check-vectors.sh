#!/bin/sh
# check-vectors.sh - fail when the committed grading vectors are not what the grading engine's
# vector tables (tests/unit/test_grade.c) produce now. The dump is deterministic, so the
# comparison is byte for byte.
#
# Usage: check-vectors.sh TEST_GRADE COMMITTED_JSON
set -eu
[ $# -eq 2 ] || {
	echo "usage: $0 TEST_GRADE COMMITTED_JSON" >&2
	exit 2
}
# Absolute paths, so the command printed below works from any directory.
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
committed=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bin" --dump-vectors >"$out"
if cmp -s "$committed" "$out"; then
	echo "$committed matches $bin --dump-vectors"
	exit 0
fi
echo "FAIL: $committed is out of date: it differs from what $bin --dump-vectors writes now."
echo "--- differences (committed file, then current output), first 80 lines:"
diff -u "$committed" "$out" | sed -n '1,80p' || true
echo "--- regenerate it from the current vectors and commit it with the change:"
echo "    $bin --dump-vectors > $committed"
echo "then run the browser test 'vectors' (tests/browser/vectors.test.mjs), which checks the"
echo "tablet's JavaScript grading preview against it."
exit 1
