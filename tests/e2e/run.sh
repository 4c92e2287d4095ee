#!/usr/bin/env bash
# End-to-end checks with tools nobody here wrote: the NativeAOT build, promtool, prometheus_client's parsers and a
# real Prometheus server, all against the Sample (with its adversarial metrics) published as a NativeAOT binary.
# The Sample uses the whole metric model (counters, gauges, a callback gauge, histograms with exemplars, a summary,
# a state set, an info metric); Prometheus runs with exemplar storage so that the exemplars can be queried back.
# A second Prometheus with --enable-feature=native-histograms scrapes the same Sample over the protobuf exposition:
# the request latency arrives as a native histogram, the rest (a classic-only histogram, counters, gauges, the
# summary, exemplars) must arrive as well (check_native.py).
# Installs what it needs from Debian's packages, stops every process it started, and ends with one verdict line per
# check and a "suite: N passed, M failed" line.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# The checkers import each other: keep their bytecode out of the repository.
export PYTHONDONTWRITEBYTECODE=1

echo "== tools"
need=()
command -v promtool >/dev/null && command -v prometheus >/dev/null || need+=(prometheus)
/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null || need+=(python3-prometheus-client)
command -v curl >/dev/null || need+=(curl)
# NativeAOT links with clang, or gcc when clang is absent.
command -v clang >/dev/null || command -v gcc >/dev/null || need+=(clang)
install_missing "${need[@]}"
prometheus --version 2>&1 | head -n 1

echo "== 1. NativeAOT publish"
start=$(date +%s)
if dotnet publish "$repo/Sample" -c Release -r linux-x64 -p:PublishAot=true -p:MetricsGenTlsSupport=false -o "$work/aot" >"$work/publish.log" 2>&1; then
  warnings="$(grep -Eo 'warning (IL[0-9]+|CS[0-9]+)' "$work/publish.log" | sort -u | tr '\n' ' ')"
  binary="$work/aot/MetricsGen.Sample"
  size=$(stat -c %s "$binary")
  echo "binary: $size bytes ($(( size / 1024 )) KiB), published in $(( $(date +%s) - start )) s"
  if [ -z "$warnings" ]; then
    verdict aot-publish PASS "NativeAOT binary of $(( size / 1024 )) KiB, no trim or AOT warnings"
  else
    verdict aot-publish FAIL "warnings: $warnings"
  fi
else
  tail -n 30 "$work/publish.log"
  verdict aot-publish FAIL "dotnet publish failed (see log above)"
  finish
fi

echo "== start the AOT Sample"
port="$(free_port)"
"$binary" --host 127.0.0.1 --port "$port" --requests 1500 --rate 100 --adversarial --expect-file "$work/expected.json" \
  >"$work/sample.log" 2>&1 &
pids+=($!)
sample_pid=$!
url="http://127.0.0.1:$port/metrics"
if ! wait_http "$url" 20; then
  cat "$work/sample.log"
  verdict aot-serves FAIL "the AOT binary did not serve $url"
  finish
fi
verdict aot-serves PASS "the AOT binary serves $url"

echo "== start Prometheus (scrapes every second while traffic runs; stores exemplars)"
prom_port="$(free_port)"
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: sample
    static_configs:
      - targets: ['127.0.0.1:$port']
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" --enable-feature=exemplar-storage >"$work/prometheus.log" 2>&1 &
pids+=($!)

echo "== start a second Prometheus with native histograms (it asks for protobuf; stores exemplars)"
native_port="$(free_port)"
while [ "$native_port" = "$prom_port" ] || [ "$native_port" = "$port" ]; do native_port="$(free_port)"; done
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb-native" \
  --web.listen-address="127.0.0.1:$native_port" --enable-feature=native-histograms,exemplar-storage \
  >"$work/prometheus-native.log" 2>&1 &
pids+=($!)

echo "== wait for the Sample's traffic to end (it writes its ledger then)"
for _ in $(seq 1 600); do [ -f "$work/expected.json" ] && break; kill -0 "$sample_pid" 2>/dev/null || break; sleep 0.1; done
if [ ! -f "$work/expected.json" ]; then
  cat "$work/sample.log"
  verdict sample-ledger FAIL "the Sample wrote no ledger"
  finish
fi

echo "== 2. promtool check metrics"
curl -fsS -H 'Accept: text/plain' "$url" >"$work/metrics.txt"
# The default registry holds the runtime's four *_count gauges; promtool_accepted (lib.sh) allows exactly their lint.
if promtool_accepted "$work/metrics.txt" >"$work/promtool.log"; then
  verdict promtool PASS "$(grep -vc '^#' "$work/metrics.txt") samples parse; lint only the runtime's _count gauges ($promtool_lines lines)"
else
  cat "$work/promtool.log"
  verdict promtool FAIL "$(head -n 3 "$work/promtool.log" | tr '\n' ' ')"
fi

echo "== 3. prometheus_client's parsers"
if /usr/bin/python3 "$here/check_parsers.py" "$url" "$work/expected.json" | tee "$work/parsers.log"; then
  verdict reference-parsers PASS "text 0.0.4 and OpenMetrics 1.0 parse; values equal the Sample's ledger (state set, info and summary included)"
else
  verdict reference-parsers FAIL "$(grep -v '^  ' "$work/parsers.log" | tail -n 2 | tr '\n' ' ')"
fi
if /usr/bin/python3 "$here/check_parsers.py" "$url" "$work/expected.json" model 2>&1 | tee "$work/parsers-model.log"; then
  verdict reference-parsers-model PASS "types stateset, info, summary (text: gauge, gauge, summary) and gauge; one state per provider; quantiles; callback gauge grows; exemplars on every observed bucket, none in text"
else
  verdict reference-parsers-model FAIL "$(grep -E '^FAIL|rejected|Error' "$work/parsers-model.log" | tr '\n' ' ')"
fi

echo "== 4 and 5. Prometheus server"
if ! wait_http "http://127.0.0.1:$prom_port/-/ready" 30; then
  tail -n 20 "$work/prometheus.log"
  verdict prometheus-server FAIL "Prometheus did not become ready"
else
  if /usr/bin/python3 "$here/check_prometheus.py" "http://127.0.0.1:$prom_port" "$work/expected.json" | tee "$work/prom-check.log"; then
    verdict prometheus-server PASS "up, samples scraped, request total exact, quantile computed, OpenMetrics negotiated, adversarial series intact"
  else
    verdict prometheus-server FAIL "$(grep '^FAIL' "$work/prom-check.log" | tr '\n' ' ')"
  fi
  if /usr/bin/python3 "$here/check_prometheus_model.py" "http://127.0.0.1:$prom_port" "$work/expected.json" model \
      2>&1 | tee "$work/prom-model.log"; then
    verdict prometheus-metric-model PASS "OpenMetrics types kept; state set, info and summary series equal the Sample's ledger; summary _count = successful streams; uptime callback grows with the clock"
  else
    verdict prometheus-metric-model FAIL "$(grep -E '^FAIL|Error' "$work/prom-model.log" | tr '\n' ' ')"
  fi
  if /usr/bin/python3 "$here/check_prometheus_model.py" "http://127.0.0.1:$prom_port" "$work/expected.json" exemplars \
      "$url" "$work/prometheus.log" 2>&1 | tee "$work/prom-exemplars.log"; then
    stored="$(grep -o '[0-9]* exemplars on [0-9]* bucket series' "$work/prom-exemplars.log" | head -n 1)"
    verdict prometheus-exemplars PASS "query_exemplars: $stored, 32-hex trace_id, 16-hex span_id, values within their buckets, the latest as served"
  else
    verdict prometheus-exemplars FAIL "$(grep -E '^FAIL|Error' "$work/prom-exemplars.log" | tr '\n' ' ')"
  fi
fi

echo "== 6. Prometheus with native histograms, over protobuf"
native_check() { # mode verdict-name
  if /usr/bin/python3 "$here/check_native.py" "http://127.0.0.1:$native_port" "$work/expected.json" "$1" "$url" \
      "$work/prometheus-native.log" 2>&1 | tee "$work/native-$1.log"; then
    verdict "$2" PASS "$(sed -n 's/^summary: //p' "$work/native-$1.log")"
  else
    verdict "$2" FAIL "$(grep -E '^FAIL|Error|rejected' "$work/native-$1.log" | tr '\n' ' ')"
  fi
}
if ! wait_http "http://127.0.0.1:$native_port/-/ready" 30; then
  tail -n 20 "$work/prometheus-native.log"
  verdict native-prometheus FAIL "Prometheus with --enable-feature=native-histograms did not become ready"
else
  native_check protobuf protobuf-negotiated
  native_check native native-histogram
  native_check classic protobuf-classic-histogram
  native_check series protobuf-counters-gauges
  native_check exemplars protobuf-exemplars
fi

finish
