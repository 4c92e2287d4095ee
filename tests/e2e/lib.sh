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
