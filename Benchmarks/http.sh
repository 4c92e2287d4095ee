#!/usr/bin/env bash
# Case 5 of docs/benchmarks.md: requests per second for an HTTP scrape of 10,000 series, 4 concurrent keep-alive
# clients, MetricsGen's PrometheusExporter vs prometheus-net's MetricServer vs OpenTelemetry's Prometheus HttpListener
# exporter (response cache off). Each server is `Benchmarks serve LIBRARY PORT` (Benchmarks/ServeMode.cs); the client
# is the same for all three: wrk -t 2 -c 4 (keep-alive), once without and once with `Accept-Encoding: gzip`.
#   Benchmarks/http.sh                  3 runs of 10 s per server and encoding, medians reported
#   Benchmarks/http.sh --quick          1 run of 3 s each, shorter warm-up (about 40 s in all)
# Environment: RUNS, DURATION (wrk -d), PORT (default 9464), MAX_SCRAPES (MetricsGen's MaxConcurrentScrapes, default 4),
#   NO_BUILD=1 to skip the build.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-3}
duration=${DURATION:-10s}
warmup=3
if [[ "${1:-}" == "--quick" ]]; then
  runs=${RUNS:-1}
  duration=${DURATION:-3s}
  warmup=2
fi
port=${PORT:-9464}
max_scrapes=${MAX_SCRAPES:-4}
url="http://127.0.0.1:$port/metrics"
bin=Benchmarks/bin/Release/net10.0/Benchmarks
work=$(mktemp -d)
server_pid=

cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is required (Debian: apt-get install -y wrk)" >&2; exit 1; }
if [[ "${NO_BUILD:-}" != 1 ]]; then
  dotnet build Benchmarks/Benchmarks.csproj -c Release --nologo -v quiet >/dev/null
fi

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

clock_ticks=$(getconf CLK_TCK)
# CPU time (user + system, in clock ticks) the server process has used so far.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }

# wrk_run LABEL [extra wrk args...]: one measured run; appends
# "rps non2xx errors bytes_per_response server_cpu_ms_per_request" to $work/LABEL.
wrk_run() {
  local label=$1
  shift
  local out ticks_before ticks_after
  ticks_before=$(server_ticks)
  out=$(wrk -t 2 -c 4 -d "$duration" --latency "$@" "$url")
  ticks_after=$(server_ticks)
  echo "$out" >>"$work/$label.log"
  local rps non2xx errors requests read_bytes
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")
  errors=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  read_bytes=$(awk '/requests in/ { v = $5; sub(",", "", v); u = v; gsub(/[0-9.]/, "", u); gsub(/[A-Za-z]/, "", v);
    m = (u == "KB") ? 1024 : (u == "MB") ? 1048576 : (u == "GB") ? 1073741824 : 1; printf "%.0f", v * m }' <<<"$out")
  local cpu_ms
  cpu_ms=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$clock_ticks" -v n="$requests" 'BEGIN { printf "%.3f", (n > 0 ? t * 1000 / hz / n : 0) }')
  echo "$rps ${non2xx:-0} ${errors:-0} $((read_bytes / (requests > 0 ? requests : 1))) $cpu_ms" >>"$work/$label"
}

declare -A rps_plain rps_gzip cpu_plain cpu_gzip bad body_bytes samples gz_bytes
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) (anything well above 0 means other work shares the $(nproc) cores)" >&2
libraries=(metricsgen prometheus-net otel)
for lib in "${libraries[@]}"; do
  echo "== $lib: starting the server on port $port" >&2
  "$bin" serve "$lib" "$port" "$max_scrapes" >"$work/$lib.server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do
    grep -q '^ready' "$work/$lib.server.log" && curl -fsS -o /dev/null "$url" 2>/dev/null && break
    sleep 0.1
  done
  curl -fsS -o "$work/$lib.body" "$url"
  body_bytes[$lib]=$(wc -c <"$work/$lib.body")
  samples[$lib]=$(grep -vc '^#' "$work/$lib.body" || true)
  gz_bytes[$lib]=$(curl -fsS -H 'Accept-Encoding: gzip' "$url" | wc -c)
  echo "   body: ${body_bytes[$lib]} B, ${samples[$lib]} sample lines; with Accept-Encoding: gzip ${gz_bytes[$lib]} B" >&2
  if ((samples[$lib] < 10000 || samples[$lib] > 10010)); then
    echo "expected ~10,000 samples from $lib, got ${samples[$lib]}" >&2
    exit 1
  fi

  # Warm-up (JIT tiering, buffers grown), not measured.
  wrk -t 2 -c 4 -d "${warmup}s" "$url" >/dev/null
  wrk -t 2 -c 4 -d "$((warmup - 1))s" -H 'Accept-Encoding: gzip' "$url" >/dev/null
  for ((r = 1; r <= runs; r++)); do
    wrk_run "$lib.plain"
    wrk_run "$lib.gzip" -H 'Accept-Encoding: gzip'
    echo "   run $r: plain $(tail -n1 "$work/$lib.plain" | cut -d' ' -f1) req/s ($(tail -n1 "$work/$lib.plain" | cut -d' ' -f5) ms server CPU/req)," \
      "gzip $(tail -n1 "$work/$lib.gzip" | cut -d' ' -f1) req/s ($(tail -n1 "$work/$lib.gzip" | cut -d' ' -f5) ms server CPU/req)" >&2
  done
  rps_plain[$lib]=$(cut -d' ' -f1 "$work/$lib.plain" | median)
  rps_gzip[$lib]=$(cut -d' ' -f1 "$work/$lib.gzip" | median)
  cpu_plain[$lib]=$(cut -d' ' -f5 "$work/$lib.plain" | median)
  cpu_gzip[$lib]=$(cut -d' ' -f5 "$work/$lib.gzip" | median)
  bad[$lib]=$(cat "$work/$lib.plain" "$work/$lib.gzip" | awk '{ n += $2; e += $3 } END { printf "%d non-2xx, %d socket errors", n, e }')
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "n/a" }'; }
echo
echo "Case 5: wrk -t 2 -c 4 -d $duration (keep-alive), median of $runs run(s); $(nproc) cores shared by server and wrk"
echo
echo "| Server | Body (plain / gzip asked) | Samples | req/s plain | req/s gzip asked | Failures (all runs) | MetricsGen plain / this plain | MetricsGen gzip / this gzip | Server CPU ms/req plain | gzip |"
echo "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |"
declare -A names=([metricsgen]="MetricsGen PrometheusExporter" [prometheus-net]="prometheus-net 8.2.1 MetricServer" [otel]="OpenTelemetry 1.20.1 HttpListener (cache 0 ms)")
for lib in "${libraries[@]}"; do
  echo "| ${names[$lib]} | ${body_bytes[$lib]} / ${gz_bytes[$lib]} B | ${samples[$lib]} | ${rps_plain[$lib]} | ${rps_gzip[$lib]} | ${bad[$lib]} | $(ratio "${rps_plain[metricsgen]}" "${rps_plain[$lib]}") | $(ratio "${rps_gzip[metricsgen]}" "${rps_gzip[$lib]}") | ${cpu_plain[$lib]} | ${cpu_gzip[$lib]} |"
done
echo
met() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { r = a / b; printf "%s (%.1fx)", (r >= t ? "met" : "MISSED"), r }'; }
echo "Target MetricsGen >= 10x prometheus-net (plain): $(met "${rps_plain[metricsgen]}" "${rps_plain[prometheus-net]}" 10)"
echo "Target MetricsGen >= 3x OpenTelemetry (plain):   $(met "${rps_plain[metricsgen]}" "${rps_plain[otel]}" 3)"
echo "Server CPU per request, prometheus-net / MetricsGen: $(ratio "${cpu_plain[prometheus-net]}" "${cpu_plain[metricsgen]}");" \
  "OpenTelemetry / MetricsGen: $(ratio "${cpu_plain[otel]}" "${cpu_plain[metricsgen]}") (plain; wrk's own CPU is not counted)"
