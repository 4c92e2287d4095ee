# Shared by the end-to-end suites (sourced, not run): a work folder and the processes to stop on exit, one verdict
# line per check, the final "suite: N passed, M failed" line that .ci/run reads, and the small helpers every suite
# needs. A suite sets `set -uo pipefail`, sources this file, appends the PIDs it starts to `pids`, and ends with
# `finish`.

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$repo/tests/e2e"
work="$(mktemp -d)"
suite_start=$(date +%s)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

verdicts=()
passed=0
failed=0
verdict() { # name PASS|FAIL detail
  verdicts+=("verdict: $1 $2 — $3")
  echo "verdict: $1 $2 — $3"
  if [ "$2" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}
finish() {
  echo
  echo "== verdicts ($(( $(date +%s) - suite_start )) s)"
  printf '%s\n' "${verdicts[@]}"
  echo "suite: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # url seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

# Installs the Debian packages named, when there are any (waiting for another apt user rather than failing).
install_missing() { # package...
  [ "$#" -gt 0 ] || return 0
  echo "installing: $*"
  export DEBIAN_FRONTEND=noninteractive
  local sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get -o DPkg::Lock::Timeout=300 update -qq &&
    $sudo_cmd apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" >/dev/null
}

# promtool check metrics on FILE, accepting exactly one lint: the four .NET runtime gauges whose ecosystem names end
# in _count (System.Runtime's dotnet.assembly.count, dotnet.process.cpu.count, dotnet.thread_pool.thread.count and
# dotnet.timer.count, kept as OpenTelemetry and the public dashboards spell them; docs/collectors.md).
# Passes when promtool parses the file (exit 0, or 3 for lint only) and its lint lines are exactly the accepted ones
# for those of the four names the file has: any other lint, a parse error, or a missing accepted line fails. Prints
# what was unexpected. Sets promtool_lines to the number of lint lines seen.
promtool_accepted() { # file
  local log code expected unexpected
  log="$(promtool check metrics <"$1" 2>&1)"; code=$?
  promtool_lines=$(grep -c . <<<"$log")
  expected="$(grep -oE '^dotnet_(assembly|process_cpu|thread_pool_thread|timer)_count ' "$1" | sort -u |
    sed 's/ $/ non-histogram and non-summary metrics should not have "_count" suffix/')"
  unexpected="$(diff <(sort -u <<<"$expected" | grep .) <(sort -u <<<"$log" | grep .))"
  if { [ "$code" -eq 0 ] || [ "$code" -eq 3 ]; } && [ -z "$unexpected" ]; then
    return 0
  fi
  echo "promtool exit $code; differences from the accepted lint (< expected, > seen):"
  echo "$unexpected"
  return 1
}
