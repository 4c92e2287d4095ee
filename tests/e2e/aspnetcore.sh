#!/usr/bin/env bash
# End-to-end checks of MetricsGen.AspNetCore: Sample.AspNetCore (a CreateSlimBuilder minimal API using AddMetricSource,
# UseHttpMetrics and MapMetrics) published as NativeAOT with zero trim/AOT warnings, run on a loopback port, sent
# traffic, and scraped by a real Prometheus server whose HTTP API must show route templates (never raw paths) and
# OpenMetrics as the negotiated format. Installs what it needs from Debian's packages, stops every process it
# started, and ends with one verdict line per check and a "suite: N passed, M failed" line.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# The instant-query result as "labels value" lines, one per series (labels as Prometheus' JSON shows them).
query() { # PromQL
  curl -fsS --get --data-urlencode "query=$1" "http://127.0.0.1:$prom_port/api/v1/query" |
    /usr/bin/python3 -c 'import json,sys
for r in json.load(sys.stdin)["data"]["result"]:
    print(json.dumps(r["metric"], sort_keys=True), r["value"][1])'
}

echo "== tools"
need=()
command -v prometheus >/dev/null || need+=(prometheus)
command -v curl >/dev/null || need+=(curl)
# NativeAOT links with clang, or gcc when clang is absent.
command -v clang >/dev/null || command -v gcc >/dev/null || need+=(clang)
install_missing "${need[@]}"
prometheus --version 2>&1 | head -n 1

echo "== 1. NativeAOT publish of Sample.AspNetCore"
start=$(date +%s)
if dotnet publish "$repo/Sample.AspNetCore" -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" -tl:off \
    >"$work/publish.log" 2>&1; then
  # Every warning of the publish (compiler, trimmer, ILC), once each.
  warnings="$(grep -E ' warning |warning IL' "$work/publish.log" | sed -E 's/^ +//; s/ \[[^]]*\]$//' | sort -u)"
  binary="$work/aot/MetricsGen.Sample.AspNetCore"
  size=$(stat -c %s "$binary")
  echo "binary: $size bytes ($(( size / 1024 )) KiB), published in $(( $(date +%s) - start )) s"
  if [ -z "$warnings" ]; then
    verdict aot-publish PASS "CreateSlimBuilder minimal API, NativeAOT binary of $(( size / 1024 )) KiB, 0 warnings"
  else
    echo "$warnings"
    verdict aot-publish FAIL "$(wc -l <<<"$warnings") warning(s) (listed above)"
  fi
else
  tail -n 30 "$work/publish.log"
  verdict aot-publish FAIL "dotnet publish failed (see log above)"
  finish
fi

echo "== start the AOT web app"
port="$(free_port)"
base="http://127.0.0.1:$port"
"$binary" --urls "$base" >"$work/app.log" 2>&1 &
pids+=($!)
app_pid=$!
if ! wait_http "$base/metrics" 20; then
  cat "$work/app.log"
  verdict aot-serves FAIL "the AOT binary did not serve $base/metrics"
  finish
fi
verdict aot-serves PASS "the AOT binary serves $base/metrics"

echo "== traffic: /hello/{name} with several names, chat completions, an unknown path"
for name in alice bob carol; do curl -fsS -o /dev/null "$base/hello/$name"; done
chat_ok=0
for i in $(seq 1 20); do
  model=gpt-4o; [ $((i % 2)) -eq 0 ] && model=claude-sonnet-4
  code="$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"model\":\"$model\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there, gateway number $i\"}]}" \
    "$base/v1/chat/completions")"
  case "$code" in 200|502) chat_ok=$((chat_ok + 1)) ;; esac
done
curl -sS -o /dev/null "$base/no/such/path/42"
if [ "$chat_ok" -eq 20 ]; then
  verdict traffic PASS "3 greetings, 20 chat completions (200 or a simulated 502), 1 unknown path"
else
  tail -n 20 "$work/app.log"
  verdict traffic FAIL "only $chat_ok of 20 chat completions answered 200 or 502"
fi

echo "== 2. the endpoint itself with Prometheus 2's Accept header"
accept='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
headers="$(curl -fsS -D - -o "$work/scrape.txt" -H "Accept: $accept" -H 'Accept-Encoding: gzip' --compressed "$base/metrics")"
content_type="$(grep -i '^content-type:' <<<"$headers" | tr -d '\r' | cut -d' ' -f2-)"
if [ "$content_type" = 'application/openmetrics-text; version=1.0.0; charset=utf-8' ] && grep -qi '^content-encoding: gzip' <<<"$headers" \
    && [ "$(tail -n 1 "$work/scrape.txt")" = '# EOF' ]; then
  verdict endpoint-negotiation PASS "OpenMetrics 1.0.0, gzip, ends with # EOF"
else
  echo "$headers"; tail -n 3 "$work/scrape.txt"
  verdict endpoint-negotiation FAIL "content type '$content_type', gzip and # EOF expected"
fi

echo "== 3. Prometheus scrapes the app"
prom_port="$(free_port)"
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: aspnetcore
    static_configs:
      - targets: ['127.0.0.1:$port']
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)
if ! wait_http "http://127.0.0.1:$prom_port/-/ready" 30; then
  tail -n 20 "$work/prometheus.log"
  verdict prometheus-ready FAIL "Prometheus did not become ready"
  finish
fi
# A scrape's own count shows in the next one: wait until the samples count two of Prometheus' scrapes on top of the
# suite's one OpenMetrics scrape (check 2), if Prometheus negotiates OpenMetrics, or give up after 30 s.
for _ in $(seq 1 300); do
  [ "$(query 'sum(metricsgen_aspnetcore_scrapes_total)' | awk '{print int($NF)}')" -ge 4 ] 2>/dev/null && break
  sleep 0.1
done
up="$(query 'up{job="aspnetcore"}' | awk '{print $NF}')"
if [ "$up" = 1 ]; then verdict prometheus-up PASS "up{job=\"aspnetcore\"} = 1"; else verdict prometheus-up FAIL "up = '${up:-none}'"; fi

hello="$(query 'http_server_request_duration_seconds_count{job="aspnetcore",http_route="/hello/{name}",http_request_method="GET",http_response_status_code="200"}')"
hello_count="$(awk '{print $NF}' <<<"$hello" | head -n 1)"
if [ "$(wc -l <<<"$hello")" -eq 1 ] && [ "$hello_count" = 3 ]; then
  verdict route-template PASS "http_route=\"/hello/{name}\" holds all 3 greetings in one series"
else
  echo "$hello"
  verdict route-template FAIL "expected one series with count 3 for http_route=\"/hello/{name}\", got: ${hello:-nothing}"
fi

raw="$(query 'count by (http_route) ({job="aspnetcore",http_route=~".*(alice|bob|carol|/no/such).*"})')"
routes="$(query 'count by (http_route) (http_server_request_duration_seconds_count{job="aspnetcore"})' |
  /usr/bin/python3 -c 'import json,sys; print(" ".join(sorted(repr(json.loads(l.rsplit(" ",1)[0]).get("http_route","")) for l in sys.stdin)))')"
if [ -z "$raw" ] && [ "$routes" = "'' '/hello/{name}' '/v1/chat/completions'" ]; then
  verdict no-raw-paths PASS "routes seen: $routes (the unknown path as '', no raw path, /metrics not recorded)"
else
  verdict no-raw-paths FAIL "raw-path series: ${raw:-none}; routes seen: $routes"
fi

openmetrics="$(query 'metricsgen_aspnetcore_scrapes_total{job="aspnetcore",format="openmetrics"}' | awk '{print int($NF)}')"
text="$(query 'metricsgen_aspnetcore_scrapes_total{job="aspnetcore",format="text"}' | awk '{print int($NF)}')"
# Before Prometheus, the suite itself made one OpenMetrics scrape (check 2) and the readiness probe one text scrape.
if [ "${openmetrics:-0}" -ge 3 ] && [ "${text:-x}" = 1 ]; then
  verdict openmetrics-negotiated PASS "Prometheus' scrapes counted as openmetrics ($openmetrics with the suite's one); text stays at the readiness probe's 1"
else
  verdict openmetrics-negotiated FAIL "openmetrics=${openmetrics:-none} text=${text:-none}"
fi

requests="$(query 'sum(ractogateway_requests_total{job="aspnetcore"})' | awk '{print int($NF)}')"
chat="$(query 'sum(http_server_request_duration_seconds_count{job="aspnetcore",http_route="/v1/chat/completions",http_request_method="POST"})' | awk '{print int($NF)}')"
if [ "${requests:-0}" = 20 ] && [ "${chat:-0}" = 20 ]; then
  verdict gateway-metrics PASS "20 chat completions in ractogateway_requests_total and in the POST /v1/chat/completions histogram"
else
  verdict gateway-metrics FAIL "ractogateway_requests_total=${requests:-none}, POST route count=${chat:-none} (20 each expected)"
fi

echo "== 4. clean shutdown"
kill -TERM "$app_pid"
for _ in $(seq 1 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$app_pid" 2>/dev/null; then
  verdict shutdown FAIL "the app did not stop within 10 s of SIGTERM"
else
  wait "$app_pid"; code=$?
  if [ "$code" -eq 0 ]; then verdict shutdown PASS "SIGTERM: exit 0"; else verdict shutdown FAIL "SIGTERM: exit $code"; fi
fi

finish
