#!/usr/bin/env bash
# Case 7 of docs/benchmarks.md: the Sample published as NativeAOT. Prints the binary size, then, per run, starts the
# Sample (--host 127.0.0.1 --port P --rate 50), measures the time from just before the process is spawned to the first
# 200 on /metrics (the poller retries every 0.2 ms), then makes 1,000 scrapes over one keep-alive connection (as
# Prometheus does) and reads VmRSS and VmHWM from /proc/PID/status. Medians over the runs. The same is measured for the
# JIT build of the Sample (framework-dependent publish, started through its apphost) for comparison. Then 4 concurrent
# keep-alive clients asking for gzip make 1,000 more scrapes (250 each) and VmRSS is read again (issue 16's figure).
# The Sample is published with -p:MetricsGenTlsSupport=false (the TLS code trimmed away, as an app without TLS gets it)
# plus PUBLISH_ARGS (e.g. PUBLISH_ARGS='-p:ConcurrentGarbageCollection=false' to try a GC setting).
#   Benchmarks/aot.sh           5 runs each
#   Benchmarks/aot.sh --quick   3 runs of the NativeAOT build only (no JIT comparison)
# Environment: RUNS, SCRAPES (default 1000), PORT (default 9480), NO_PUBLISH=1 to reuse the last publish, NO_JIT=1 to skip
#   the JIT comparison, PUBLISH_ARGS (extra publish arguments).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-5}
if [[ "${1:-}" == "--quick" ]]; then
  runs=${RUNS:-3}
  NO_JIT=${NO_JIT:-1}
fi
scrapes=${SCRAPES:-1000}
port=${PORT:-9480}
aot_dir=Benchmarks/bin/aot-sample
jit_dir=Benchmarks/bin/jit-sample
python=/usr/bin/python3
[[ -x $python ]] || python=python3

if [[ "${NO_PUBLISH:-}" != 1 ]]; then
  echo "== dotnet publish Sample -c Release -r linux-x64 -p:PublishAot=true -p:MetricsGenTlsSupport=false ${PUBLISH_ARGS:-} -o $aot_dir" >&2
  # shellcheck disable=SC2086
  dotnet publish Sample -c Release -r linux-x64 -p:PublishAot=true -p:MetricsGenTlsSupport=false ${PUBLISH_ARGS:-} -o "$aot_dir" --nologo -v quiet >&2
  if [[ "${NO_JIT:-}" != 1 ]]; then
    echo "== dotnet publish Sample -c Release -r linux-x64 --self-contained false -p:PublishAot=false -o $jit_dir" >&2
    dotnet publish Sample -c Release -r linux-x64 --self-contained false -p:PublishAot=false -o "$jit_dir" --nologo -v quiet >&2
  fi
fi

aot_bin=$aot_dir/MetricsGen.Sample
aot_size=$(stat -c %s "$aot_bin")

# measure BINARY PORT RUNS SCRAPES -> one line: "start_ms_median rss_kb_median hwm_kb_median scrapes_per_s_median"
measure() {
  "$python" - "$@" <<'PY'
import http.client, os, signal, statistics, subprocess, sys, threading, time

binary, port, runs, scrapes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
starts, rss, hwm, rates, gzip_rss = [], [], [], [], []

def gzip_client(p, count, failures):
    conn = http.client.HTTPConnection("127.0.0.1", p, timeout=10)
    for _ in range(count):
        conn.request("GET", "/metrics", headers={"Accept-Encoding": "gzip"})
        resp = conn.getresponse()
        if resp.status != 200 or resp.getheader("Content-Encoding") != "gzip" or not resp.read():
            failures.append(resp.status)
            return
    conn.close()

def status(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])  # kB

for run in range(runs):
    p = port + run  # a fresh port per run, so no earlier socket can answer
    t0 = time.perf_counter_ns()
    proc = subprocess.Popen([binary, "--host", "127.0.0.1", "--port", str(p), "--rate", "50"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", p, timeout=5)
                conn.request("GET", "/metrics")
                resp = conn.getresponse()
                body = resp.read()
                if resp.status == 200 and body:
                    break
                conn.close()
            except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected):
                pass
            if proc.poll() is not None:
                sys.exit(f"{binary} exited with {proc.returncode} before serving")
            time.sleep(0.0002)
        starts.append((time.perf_counter_ns() - t0) / 1e6)

        # 1,000 scrapes on the kept-alive connection.
        t1 = time.perf_counter()
        for _ in range(scrapes):
            conn.request("GET", "/metrics")
            resp = conn.getresponse()
            if resp.status != 200 or not resp.read():
                sys.exit(f"scrape failed with {resp.status}")
        rates.append(scrapes / (time.perf_counter() - t1))
        conn.close()
        rss.append(status(proc.pid, "VmRSS"))

        # Then 4 concurrent keep-alive clients asking for gzip, SCRAPES scrapes in all.
        failures = []
        clients = [threading.Thread(target=gzip_client, args=(p, scrapes // 4, failures)) for _ in range(4)]
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        if failures:
            sys.exit(f"gzip scrape failed with {failures[0]}")
        gzip_rss.append(status(proc.pid, "VmRSS"))
        hwm.append(status(proc.pid, "VmHWM"))
        print(f"   run {run + 1}: first scrape after {starts[-1]:.1f} ms; VmRSS {rss[-1]} kB (peak {hwm[-1]} kB) "
              f"after {scrapes} scrapes at {rates[-1]:.0f}/s; VmRSS {gzip_rss[-1]} kB after {scrapes} more by 4 gzip clients; "
              f"first body {len(body)} B", file=sys.stderr)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

print(f"{statistics.median(starts):.1f} {statistics.median(rss):.0f} {statistics.median(hwm):.0f} {statistics.median(rates):.0f} {statistics.median(gzip_rss):.0f}")
PY
}

echo "== NativeAOT: $aot_bin ($aot_size B)" >&2
read -r aot_start aot_rss aot_hwm aot_rate aot_gzip_rss < <(measure "$aot_bin" "$port" "$runs" "$scrapes")
if [[ "${NO_JIT:-}" != 1 ]]; then
  jit_bin=$jit_dir/MetricsGen.Sample
  echo "== JIT: $jit_bin" >&2
  read -r jit_start jit_rss jit_hwm jit_rate jit_gzip_rss < <(measure "$jit_bin" "$((port + 100))" "$runs" "$scrapes")
fi

mib() { awk -v b="$1" 'BEGIN { printf "%.2f MiB", b / 1048576 }'; }
kib_mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
echo
echo "Case 7: Sample --rate 50, median of $runs run(s); RSS read after $scrapes scrapes on one keep-alive connection"
echo
echo "| Build | Binary | Start to first scrape | VmRSS after $scrapes scrapes | then after $scrapes gzip scrapes by 4 clients | VmHWM (peak) | Scrapes/s (1 client) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
echo "| NativeAOT (linux-x64) | $(mib "$aot_size") (\`MetricsGen.Sample\`, .dbg not counted) | $aot_start ms | $(kib_mib "$aot_rss") | $(kib_mib "$aot_gzip_rss") | $(kib_mib "$aot_hwm") | $aot_rate |"
if [[ "${NO_JIT:-}" != 1 ]]; then
  echo "| JIT (framework-dependent, apphost) | n/a (needs the shared runtime) | $jit_start ms | $(kib_mib "$jit_rss") | $(kib_mib "$jit_gzip_rss") | $(kib_mib "$jit_hwm") | $jit_rate |"
fi
