#!/usr/bin/env bash
# The meters bridge suite: what MetricRegistry.AddMeters exposes (a custom meter with every instrument kind, real
# HttpClient requests, and the System.Runtime meter), checked by tools nobody here wrote: promtool and
# prometheus_client's text and OpenMetrics parsers. Driven by tests/e2e/MeterCheck, published as NativeAOT (zero trim
# and AOT warnings) and run natively. Installs what it needs from Debian's packages and ends with one verdict line
# per check and a "suite: N passed, M failed" line.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

echo "== tools"
need=()
command -v promtool >/dev/null || need+=(prometheus)
# NativeAOT links with clang, or gcc when clang is absent.
command -v clang >/dev/null || command -v gcc >/dev/null || need+=(clang)
/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null || need+=(python3-prometheus-client)
install_missing "${need[@]}"
promtool --version 2>&1 | head -n 1

echo "== 1. publish MeterCheck as NativeAOT and run it"
start=$(date +%s)
if dotnet publish "$here/MeterCheck/MeterCheck.csproj" -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" \
    >"$work/publish.log" 2>&1; then
  warnings="$(grep -Eo 'warning (IL[0-9]+|CS[0-9]+)' "$work/publish.log" | sort -u | tr '\n' ' ')"
  size=$(stat -c %s "$work/aot/MeterCheck")
  echo "binary: $size bytes, published in $(( $(date +%s) - start )) s"
  if [ -z "$warnings" ]; then
    verdict meter-check-aot PASS "NativeAOT binary of $(( size / 1024 )) KiB (bridge, exporter, HttpClient), no trim or AOT warnings"
  else
    verdict meter-check-aot FAIL "warnings: $warnings"
  fi
else
  tail -n 30 "$work/publish.log"
  verdict meter-check-aot FAIL "dotnet publish of tests/e2e/MeterCheck failed (see log above)"
  finish
fi
if "$work/aot/MeterCheck" "$work/custom" >"$work/run.log" 2>&1 \
  && "$work/aot/MeterCheck" "$work/runtime" --runtime >>"$work/run.log" 2>&1; then
  verdict meter-check-run PASS "the native binary bridged every instrument kind, HttpClient requests and System.Runtime without a warning"
else
  cat "$work/run.log"
  verdict meter-check-run FAIL "MeterCheck failed or reported warnings (see log above)"
  finish
fi

echo "== 2. promtool check metrics (custom meter and System.Net.Http)"
if promtool check metrics <"$work/custom/metrics.txt" >"$work/promtool.log" 2>&1 && [ ! -s "$work/promtool.log" ]; then
  verdict promtool PASS "$(grep -vc '^#' "$work/custom/metrics.txt") samples, exit 0, no lint problem"
else
  cat "$work/promtool.log"
  verdict promtool FAIL "$(head -n 3 "$work/promtool.log" | tr '\n' ' ')"
fi

echo "== 3. promtool check metrics (with System.Runtime)"
# The runtime's four *_count gauges are the one lint promtool_accepted (lib.sh) allows; anything else fails.
if promtool_accepted "$work/runtime/metrics.txt" >"$work/promtool-runtime.log"; then
  verdict promtool-runtime PASS "$(grep -vc '^#' "$work/runtime/metrics.txt") samples parse; lint only flags the runtime's own _count gauge names ($promtool_lines lines)"
else
  cat "$work/promtool-runtime.log"
  verdict promtool-runtime FAIL "$(head -n 3 "$work/promtool-runtime.log" | tr '\n' ' ')"
fi

echo "== 4. prometheus_client's parsers"
if /usr/bin/python3 "$here/check_meters.py" "$work/custom" | tee "$work/parsers.log"; then
  verdict reference-parsers PASS "text 0.0.4 and OpenMetrics 1.0 parse; $(tail -n 1 "$work/parsers.log"); types and units as mapped"
else
  verdict reference-parsers FAIL "$(grep '^FAIL' "$work/parsers.log" | head -n 3 | tr '\n' ' ')"
fi
if /usr/bin/python3 "$here/check_meters.py" "$work/runtime" | tee "$work/parsers-runtime.log"; then
  verdict reference-parsers-runtime PASS "with System.Runtime: $(tail -n 1 "$work/parsers-runtime.log")"
else
  verdict reference-parsers-runtime FAIL "$(grep '^FAIL' "$work/parsers-runtime.log" | head -n 3 | tr '\n' ' ')"
fi

finish
