#!/usr/bin/env bash
# Adds up the Surefire reports of every module and prints one closing line:
#   tests: N passed, N failed, N skipped
# Exits non-zero when no test ran at all.
set -euo pipefail
cd "$(dirname "$0")/.."
total=0; failed=0; skipped=0
shopt -s nullglob
for f in */target/surefire-reports/TEST-*.xml; do
  line=$(grep -m1 -o '<testsuite [^>]*>' "$f")
  t=$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$line")
  e=$(sed -n 's/.* errors="\([0-9]*\)".*/\1/p' <<<"$line")
  fl=$(sed -n 's/.* failures="\([0-9]*\)".*/\1/p' <<<"$line")
  s=$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$line")
  total=$((total + ${t:-0})); failed=$((failed + ${e:-0} + ${fl:-0})); skipped=$((skipped + ${s:-0}))
done
passed=$((total - failed - skipped))
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
[ "$total" -gt 0 ]
