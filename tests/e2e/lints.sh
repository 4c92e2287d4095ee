#!/usr/bin/env bash
# The name lints suite: MetricsGen's compile-time lints (MG0034-MG0039, and MG0015 for missing help) against
# `promtool check metrics` itself. tests/e2e/LintCheck holds one class with every case promtool 2.42 lints and
# look-alikes it accepts; the build's MetricsGen warnings and promtool's lines on the program's scrape must name the
# same metrics with the same lints, in both directions. Installs promtool from Debian's packages when missing and
# ends with one verdict line per check and a "suite: N passed, M failed" line.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

echo "== tools"
need=()
command -v promtool >/dev/null || need+=(prometheus)
install_missing "${need[@]}"
promtool --version 2>&1 | head -n 1

echo "== 1. build LintCheck (the warnings are the lints)"
project="$here/LintCheck/LintCheck.csproj"
if dotnet build "$project" -c Release --no-incremental -o "$work/bin" >"$work/build.log" 2>&1; then
  verdict lint-check-build PASS "built with $(grep -cE 'warning MG00(1[5]|3[4-9]):' "$work/build.log") MetricsGen warning lines (warnings do not fail it)"
else
  grep -E 'error' "$work/build.log" | sort -u | head -n 20
  verdict lint-check-build FAIL "dotnet build of tests/e2e/LintCheck failed (see above)"
  finish
fi

# "name ID[ detail]" per lint. The detail tells apart the lints one ID covers: the suffix or label (MG0037), the type
# name (MG0038), camelCase or ':' (MG0039; camelCase in the name and in a label are one key, as a state set's label is
# its name and MetricsGen reports that once).
grep -oE 'warning MG00(15|3[4-9]): Metric '"'"'[^'"'"']+'"'"'.*' "$work/build.log" | sed -E 's/ \[[^]]*\]$//' | sort -u |
  sed -E \
    -e "s/^warning (MG0037): Metric '([^']+)'.*ends with '(_[a-z]+)'.*/\2 \1 \3/" \
    -e "s/^warning (MG0037): Metric '([^']+)'.*label named 'le'.*/\2 \1 le/" \
    -e "s/^warning (MG0038): Metric '([^']+)' has the type name '([^']+)'.*/\2 \1 \3/" \
    -e "s/^warning (MG0039): Metric '([^']+)': its name contains ':'.*/\2 \1 colon/" \
    -e "s/^warning (MG0039): Metric '([^']+)':.*camelCase.*/\2 \1 camel/" \
    -e "s/^warning (MG00[0-9]+): Metric '([^']+)'.*/\2 \1/" |
  sort -u >"$work/expected.txt"

echo "== 2. run LintCheck and promtool check metrics on its scrape"
if dotnet "$work/bin/LintCheck.dll" >"$work/metrics.txt" 2>"$work/run.log" && [ -s "$work/metrics.txt" ]; then
  verdict lint-check-run PASS "$(grep -c '^# TYPE' "$work/metrics.txt") families, $(grep -vc '^#' "$work/metrics.txt") samples"
else
  cat "$work/run.log"
  verdict lint-check-run FAIL "LintCheck failed or printed nothing"
  finish
fi
promtool check metrics <"$work/metrics.txt" >"$work/promtool.log" 2>&1; code=$?
sort -u "$work/promtool.log" | sed -E \
  -e 's/^([^ ]+) use base unit .*/\1 MG0034/' \
  -e 's/^([^ ]+) metric names should not contain abbreviated units$/\1 MG0035/' \
  -e 's/^([^ ]+) non-counter metrics should not have "_total" suffix$/\1 MG0036/' \
  -e 's/^([^ ]+) non-histogram (and non-summary )?metrics should not have "(_[a-z]+)" suffix$/\1 MG0037 \3/' \
  -e 's/^([^ ]+) non-histogram metrics should not have "le" label$/\1 MG0037 le/' \
  -e "s/^([^ ]+) metric name should not include type '([^']+)'$/\1 MG0038 \2/" \
  -e "s/^([^ ]+) metric names should not contain ':'$/\1 MG0039 colon/" \
  -e "s/^([^ ]+) (metric|label) names should be written in 'snake_case' not 'camelCase'$/\1 MG0039 camel/" \
  -e 's/^([^ ]+) no help text$/\1 MG0015/' |
  sort -u >"$work/seen.txt"
# A promtool line no rule above maps keeps its text and so shows up as a mismatch.
if [ "$code" -eq 3 ]; then
  verdict promtool-parse PASS "the scrape parses; $(grep -c . "$work/promtool.log") lint lines ($(grep -c . "$work/seen.txt") distinct)"
else
  cat "$work/promtool.log"
  verdict promtool-parse FAIL "promtool exit $code (3 means lint problems only)"
fi

echo "== 3. the two lists"
missing="$(comm -13 "$work/expected.txt" "$work/seen.txt")"
extra="$(comm -23 "$work/expected.txt" "$work/seen.txt")"
[ -n "$missing" ] && { echo "promtool flags, MetricsGen does not warn:"; sed 's/^/  /' <<<"$missing"; }
[ -n "$extra" ] && { echo "MetricsGen warns, promtool does not flag:"; sed 's/^/  /' <<<"$extra"; }
if [ -z "$missing" ]; then
  verdict promtool-lints-warned PASS "every one of promtool's $(grep -c . "$work/seen.txt") lints has its MetricsGen warning"
else
  verdict promtool-lints-warned FAIL "$(grep -c . <<<"$missing") promtool lints without a warning (listed above)"
fi
if [ -z "$extra" ]; then
  verdict no-false-alarms PASS "every one of the $(grep -c . "$work/expected.txt") MetricsGen warnings is a promtool lint"
else
  verdict no-false-alarms FAIL "$(grep -c . <<<"$extra") warnings promtool does not flag (listed above)"
fi
# The look-alikes must stay in the class: a scrape of lint cases only would not show a false alarm.
clean=$(( $(grep -c '^# TYPE' "$work/metrics.txt") - $(cut -d' ' -f1 "$work/seen.txt" | sort -u | grep -c .) ))
if [ "$clean" -ge 15 ]; then
  verdict look-alikes PASS "$clean families promtool accepts, and no warning for any"
else
  verdict look-alikes FAIL "only $clean families without a lint; the look-alikes are missing"
fi

finish
