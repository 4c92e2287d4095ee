#!/usr/bin/env bash
# Do public Grafana dashboards show data for apps on MetricsGen? The README's minimal web program (its two
# package-test-web blocks, byte for byte, built in tests/e2e/DashboardApp's harness, which injects 503s and thrown
# exceptions from outside the program) and the console Sample are scraped by a real Prometheus server that also loads
# docs/prometheus-net.rules.yml; after traffic of every kind (200, 404, 405, 503, 500 from an exception), every query
# of six dashboards (tests/e2e/dashboards/) is evaluated as Grafana would by check_dashboards.py. Installs what it needs
# from Debian's packages, stops every process it started, and ends with one verdict line per check and a
# "suite: N passed, M failed" line.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# The instant-query result's first value, or nothing.
prom_value() {
  curl -fsS --get --data-urlencode "query=$1" "http://127.0.0.1:$prom_port/api/v1/query" 2>/dev/null |
    /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")' 2>/dev/null
}
# README.md's blocks marked `<!-- MARKER: NAME -->` and followed by a ```csharp fence, each written to DIR/NAME as it
# stands; prints the names. The package suite reads the same markers.
extract_blocks() { # marker directory
  awk -v dir="$2" -v marker="$1" '
  { sub(/\r$/, "") }
  inside { if ($0 == "```") { close(file); print name; inside = 0 } else print > file; next }
  opened { opened = 0
    if ($0 == "```csharp") { file = dir "/" name; printf "" > file; inside = 1; next }
    print "README.md:" NR - 1 ": the " marker " marker for " name " is not followed by a ```csharp line" > "/dev/stderr"; bad = 1 }
  $0 ~ "^<!-- " marker ": [^ /]+ -->$" { name = $3; opened = 1 }
  END { if (inside || opened) { print "README.md: the " marker " block " name " is not closed" > "/dev/stderr"; bad = 1 }
        exit bad }' "$repo/README.md"
}
show_log() { echo "---- last ${2:-30} lines of $(basename "$1")"; tail -n "${2:-30}" "$1"; echo "----"; }

echo "== tools"
need=()
command -v prometheus >/dev/null || need+=(prometheus)
command -v promtool >/dev/null || need+=(prometheus)
command -v curl >/dev/null || need+=(curl)
install_missing $(printf '%s\n' "${need[@]}" | sort -u)
prometheus --version 2>&1 | head -n 1

echo "== 1. promtool check rules docs/prometheus-net.rules.yml"
if promtool check rules "$repo/docs/prometheus-net.rules.yml" >"$work/promtool.log" 2>&1; then
  verdict rules PASS "$(grep -o 'SUCCESS.*' "$work/promtool.log")"
else
  cat "$work/promtool.log"
  verdict rules FAIL "promtool check rules failed (output above)"
fi

echo "== 2. build: the README's web program in the harness, and the console Sample"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
build_flags=(-c Release -tl:off -v q -nologo --disable-build-servers)
app="$work/DashboardApp"
cp -r "$here/DashboardApp" "$app"
rm -rf "$app/bin" "$app/obj"
extracted="$(extract_blocks package-test-web "$app" 2>"$work/extract.err")"; extract_status=$?
start=$(date +%s)
if [ "$extract_status" -ne 0 ] || ! grep -Fxq Program.cs <<<"$extracted" || ! grep -Fxq ShopMetrics.cs <<<"$extracted"; then
  cat "$work/extract.err"
  verdict build FAIL "README.md has no package-test-web blocks ShopMetrics.cs and Program.cs (found: ${extracted:-none})"
  finish
fi
if ! dotnet build "$app" "${build_flags[@]}" -p:MetricsGenRepo="$repo/" >"$work/build-app.log" 2>&1; then
  show_log "$work/build-app.log"
  verdict build FAIL "dotnet build of the harness failed (log above)"
  finish
fi
if ! dotnet build "$repo/Sample" "${build_flags[@]}" >"$work/build-sample.log" 2>&1; then
  show_log "$work/build-sample.log"
  verdict build FAIL "dotnet build of Sample failed (log above)"
  finish
fi
verdict build PASS "README's Program.cs ($(wc -l <"$app/Program.cs") lines) and ShopMetrics.cs in the harness, and Sample, built (JIT) in $(( $(date +%s) - start )) s"

echo "== 3. start the web program and the Sample"
# The runtime reports the last GC's heap sizes only once a GC has happened (as System.Runtime does), and the
# dashboards chart collections per window. These two small apps allocate a few hundred KB a second and, with the
# default gen0 budget (megabytes, from the CPU's cache size), might not collect at all during the test; a 1 MB gen0
# budget (the runtime's GCgen0size setting) makes them collect every few seconds, as a busy service does.
export DOTNET_GCgen0size=0x100000
web_port="$(free_port)"
web="http://127.0.0.1:$web_port"
# DASHBOARD_FAULTS=1 turns on the harness' X-Fault middleware (tests/e2e/DashboardApp/Faults.cs).
DASHBOARD_FAULTS=1 dotnet "$app/bin/Release/net10.0/DashboardApp.dll" --urls "$web" >"$work/app.log" 2>&1 &
web_pid=$!
pids+=($web_pid)
sample_port="$(free_port)"
dotnet "$repo/Sample/bin/Release/net10.0/MetricsGen.Sample.dll" --host 127.0.0.1 --port "$sample_port" --rate 20 \
  >"$work/sample.log" 2>&1 &
sample_pid=$!
pids+=($sample_pid)
unset DOTNET_GCgen0size
if ! wait_http "$web/metrics" 30; then
  show_log "$work/app.log"
  verdict app-serves FAIL "the README program did not serve $web/metrics"
  finish
fi
if ! wait_http "http://127.0.0.1:$sample_port/metrics" 30; then
  show_log "$work/sample.log"
  verdict app-serves FAIL "the Sample did not serve /metrics on port $sample_port"
  finish
fi
if grep -q 'X-Fault middleware is installed' "$work/app.log"; then
  verdict app-serves PASS "the README program (X-Fault middleware installed) and the Sample serve /metrics"
else
  show_log "$work/app.log"
  verdict app-serves FAIL "the harness did not install its X-Fault middleware"
  finish
fi

echo "== 4. Prometheus scrapes both (1 s), with the recording rules"
prom_port="$(free_port)"
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $repo/docs/prometheus-net.rules.yml
scrape_configs:
  - job_name: web
    static_configs:
      - targets: ['127.0.0.1:$web_port']
  - job_name: sample
    static_configs:
      - targets: ['127.0.0.1:$sample_port']
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)
if ! wait_http "http://127.0.0.1:$prom_port/-/ready" 30; then
  show_log "$work/prometheus.log"
  verdict prometheus-up FAIL "Prometheus did not become ready"
  finish
fi
for _ in $(seq 1 100); do
  [ "$(prom_value 'sum(up{job=~"web|sample"})')" = 2 ] && break
  sleep 0.2
done
up_web="$(prom_value 'up{job="web"}')"; up_sample="$(prom_value 'up{job="sample"}')"
if [ "$up_web" = 1 ] && [ "$up_sample" = 1 ]; then
  verdict prometheus-up PASS "up{job=\"web\"} = 1, up{job=\"sample\"} = 1"
else
  show_log "$work/prometheus.log"
  verdict prometheus-up FAIL "up{job=\"web\"} = '${up_web:-none}', up{job=\"sample\"} = '${up_sample:-none}'"
  finish
fi

echo "== 5. traffic: 6 rounds over ~9 s (200, 404, 405, 503, a thrown exception; a reset scrape of the Sample)"
traffic_start=$(date +%s)
# One connection held open across several scrapes (kestrel_active_connections above 0), closed after ~6 s.
/usr/bin/python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /hello/keepalive HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
s.recv(4096)
time.sleep(6)
s.close()' "$web_port" >/dev/null 2>&1 &
pids+=($!)
# A scraper that goes away mid-request (a reset, not a close): the Sample's exporter meets a SocketException, which
# the runtime's exception counter sees like any thrown exception (the Sample itself throws none).
reset_scrape() { # port
  /usr/bin/python3 -c '
import socket, struct, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n")
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()' "$1"
}
bad=()
sent=0
expect() { # status curl-arguments...
  local want="$1"; shift
  local got; got="$(curl -sS -o /dev/null -w '%{http_code}' "$@" 2>/dev/null)"
  sent=$((sent + 1))
  [ "$got" = "$want" ] || bad+=("$* -> $got (expected $want)")
}
for round in 1 2 3 4 5 6; do
  for name in alice bob carol; do expect 200 "$web/hello/$name"; done
  expect 404 "$web/no/such/path"
  expect 405 -X POST "$web/hello/x"
  expect 503 -H 'X-Fault: 503' "$web/hello/x"
  expect 500 -H 'X-Fault: throw' "$web/hello/x"
  reset_scrape "$sample_port"
  [ "$round" -lt 6 ] && sleep 1.5
done
if [ "${#bad[@]}" -eq 0 ]; then
  verdict traffic PASS "$sent requests, each on a new connection, answered as expected: 18x 200, 6x 404, 6x 405 (POST), 6x 503 (X-Fault), 6x 500 (thrown); 6 scrapes of the Sample reset"
else
  printf '%s\n' "${bad[@]}"
  show_log "$work/app.log"
  verdict traffic FAIL "${#bad[@]} of $sent requests answered otherwise (listed above)"
fi

# Rates and increases need several scrapes after the traffic: evaluate 20 s after it began.
wait_for=$(( traffic_start + 20 - $(date +%s) ))
[ "$wait_for" -gt 0 ] && sleep "$wait_for"
window_end=$(date +%s)

for pid_log in "$web_pid:app.log" "$sample_pid:sample.log"; do
  kill -0 "${pid_log%%:*}" 2>/dev/null || { echo "exited early:"; show_log "$work/${pid_log#*:}"; }
done

echo "== 6. the dashboards, every query evaluated as Grafana would"
dashboard() { # verdict-name file job [check_dashboards.py options...]
  local name="$1" file="$2" job="$3"; shift 3
  local log="$work/$name.txt"
  /usr/bin/python3 "$here/check_dashboards.py" "http://127.0.0.1:$prom_port" "$here/dashboards/$file" "$job" \
    --start "$traffic_start" --end "$window_end" "$@" >"$log" 2>&1
  local code=$?
  cat "$log"
  local line; line="$(grep '^DASHBOARD ' "$log" | sed -E 's/^DASHBOARD [^:]*: //')"
  if [ "$code" -eq 0 ]; then
    verdict "$name" PASS "job $job: $line"
  else
    verdict "$name" FAIL "job $job: ${line:-$(tail -n 1 "$log")}"
  fi
}
dashboard dashboard-19924 aspnetcore-19924.json web
dashboard dashboard-19925 aspnetcore-endpoint-19925.json web
dashboard dashboard-23178 kestrel-23178.json web
# OpenTelemetry's exporter writes dotnet.thread_pool.thread.count as a counter (_total), against the semantic
# conventions' UpDownCounter; MetricsGen writes the gauge dotnet_thread_pool_thread_count, so that target stays empty.
dashboard dashboard-23179-web dotnet-runtime-23179.json web --expect-empty dotnet_thread_pool_thread_count_total
dashboard dashboard-23179-sample dotnet-runtime-23179.json sample --expect-empty dotnet_thread_pool_thread_count_total
# prometheus-net's own names through docs/prometheus-net.rules.yml; some have no MetricsGen equivalent
# (process_private_memory_bytes; controller labels, which a route template does not carry).
dashboard dashboard-10427 prometheus-net-10427.json web --min-data 12
dashboard dashboard-10915 prometheus-net-aspnetcore-10915.json web --min-data 8

finish
