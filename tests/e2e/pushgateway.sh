#!/usr/bin/env bash
# End-to-end checks of PushgatewayClient against Debian's prometheus-pushgateway (and a Prometheus scraping it):
# PUT/POST/DELETE semantics, grouping-key encoding, gzip, the gateway's consistency check as PushgatewayException.
# tests/e2e/PushCheck, published as NativeAOT, does one push per run; this script reads the results through the gateway's own /metrics and
# /api/v1/metrics and through Prometheus' HTTP API. It installs what it needs, stops every process it started, and
# ends with one verdict line per check and a "suite: N passed, M failed" line.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

echo "== tools"
need=()
command -v prometheus-pushgateway >/dev/null || need+=(prometheus-pushgateway)
command -v prometheus >/dev/null || need+=(prometheus)
command -v curl >/dev/null || need+=(curl)
# NativeAOT links with clang, or gcc when clang is absent.
command -v clang >/dev/null || command -v gcc >/dev/null || need+=(clang)
install_missing "${need[@]}"
prometheus-pushgateway --version 2>&1 | head -n 1
prometheus --version 2>&1 | head -n 1

echo "== publish PushCheck as NativeAOT (the client must be trim- and AOT-clean)"
if ! dotnet publish "$here/PushCheck" -c Release -r linux-x64 -p:PublishAot=true -o "$work/pushcheck" >"$work/publish.log" 2>&1; then
  tail -n 30 "$work/publish.log"
  verdict aot-publish FAIL "tests/e2e/PushCheck did not publish"
  finish
fi
pushcheck="$work/pushcheck/PushCheck"
warnings="$(grep -Eo 'warning (IL[0-9]+|CS[0-9]+)' "$work/publish.log" | sort -u | tr '\n' ' ')"
if [ -z "$warnings" ]; then
  verdict aot-publish PASS "PushCheck (HttpClient, gzip, the client) as a $(( $(stat -c %s "$pushcheck") / 1024 )) KiB NativeAOT binary, no trim or AOT warnings; every check below runs it"
else
  verdict aot-publish FAIL "warnings: $warnings"
fi

echo "== start the Pushgateway (in memory only)"
gw_port="$(free_port)"
gw="http://127.0.0.1:$gw_port"
prometheus-pushgateway --web.listen-address="127.0.0.1:$gw_port" --persistence.file="" --log.level=warn \
  >"$work/pushgateway.log" 2>&1 &
pids+=($!)
if ! wait_http "$gw/-/ready" 20; then
  cat "$work/pushgateway.log"
  verdict pushgateway FAIL "the Pushgateway did not become ready on $gw"
  finish
fi

echo "== start Prometheus scraping the gateway (honor_labels: true)"
prom_port="$(free_port)"
prom="http://127.0.0.1:$prom_port"
cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: pushgateway
    honor_labels: true
    static_configs:
      - targets: ['127.0.0.1:$gw_port']
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)

# run COMMAND ARGS...: one PushCheck run against the gateway; output in $out, exit code in $rc.
run() {
  out="$("$pushcheck" "$@" --url "$gw" 2>&1)"; rc=$?
  echo "  PushCheck $1 -> $out"
}

# value GROUP_LABELS_JSON FAMILY: the family's value in that group, "absent", or "no-group" (from /api/v1/metrics).
value() {
  curl -fsS "$gw/api/v1/metrics" | /usr/bin/python3 -c '
import json, sys
want, family = json.loads(sys.argv[1]), sys.argv[2]
for group in json.load(sys.stdin)["data"]:
    if group["labels"] == want:
        entry = group.get(family)
        print(entry["metrics"][0]["value"] if entry else "absent")
        break
else:
    print("no-group")' "$1" "$2"
}

key=(--job nightly --key instance=db-1 --key "path=/var/a b" --key "team=data eng+ops" --key empty=)
group='{"job": "nightly", "instance": "db-1", "path": "/var/a b", "team": "data eng+ops", "empty": ""}'

echo "== PUT replaces the whole group"
run put "${key[@]}" --alpha 1 --beta 2
first="$(value "$group" pushcheck_alpha)/$(value "$group" pushcheck_beta)"
run put "${key[@]}" --alpha 3
second="$(value "$group" pushcheck_alpha)/$(value "$group" pushcheck_beta)"
if [ "$first" = "1/2" ] && [ "$second" = "3/absent" ]; then
  verdict put-replaces-group PASS "alpha/beta after PUT(1,2): $first; after PUT(alpha=3): $second"
else
  verdict put-replaces-group FAIL "alpha/beta after PUT(1,2): $first (want 1/2); after PUT(alpha=3): $second (want 3/absent)"
fi

echo "== POST replaces only the families it sends"
run put "${key[@]}" --alpha 1 --beta 2
run post "${key[@]}" --alpha 5
after="$(value "$group" pushcheck_alpha)/$(value "$group" pushcheck_beta)"
if [ "$after" = "5/2" ]; then
  verdict post-replaces-families PASS "alpha/beta after PUT(1,2) then POST(alpha=5): $after"
else
  verdict post-replaces-families FAIL "alpha/beta after PUT(1,2) then POST(alpha=5): $after (want 5/2)"
fi

echo "== gzip body"
run post "${key[@]}" --alpha 6 --gzip
gz="$(value "$group" pushcheck_alpha)"
if [ "$rc" -eq 0 ] && [ "$gz" = "6" ]; then
  verdict gzip PASS "a gzip-compressed POST set alpha to $gz"
else
  verdict gzip FAIL "exit $rc, alpha $gz (want 6): $out"
fi

echo "== grouping key with '/', a space, '+' and an empty value"
url="${out#ok POST }"
line='pushcheck_alpha{empty="",instance="db-1",job="nightly",path="/var/a b",team="data eng+ops"} 6'
if curl -fsS "$gw/metrics" | grep -qxF "$line" \
   && [[ "$url" == *"/metrics/job/nightly/empty@base64/=/instance/db-1/path@base64/L3Zhci9hIGI=/team/data%20eng%2Bops" ]]; then
  verdict grouping-key PASS "sent $url; the gateway shows $line"
else
  curl -fsS "$gw/metrics" | grep pushcheck_
  verdict grouping-key FAIL "sent $url; the gateway's /metrics lacks: $line"
fi

echo "== a job name with '/' and a space"
run put --job "batch/nightly run" --alpha 4
job_value="$(value '{"job": "batch/nightly run"}' pushcheck_alpha)"
if [ "$job_value" = "4" ] && [[ "$out" == *"/metrics/job@base64/YmF0Y2gvbmlnaHRseSBydW4="* ]]; then
  verdict job-encoding PASS "job \"batch/nightly run\" sent as job@base64/YmF0Y2gvbmlnaHRseSBydW4=, alpha $job_value"
else
  verdict job-encoding FAIL "alpha in group job=\"batch/nightly run\": $job_value (want 4); $out"
fi

echo "== Prometheus scrapes the pushed values"
if ! wait_http "$prom/-/ready" 60; then
  tail -n 20 "$work/prometheus.log"
  verdict prometheus-sees-push FAIL "Prometheus did not become ready"
else
  query='pushcheck_alpha{job="nightly",instance="db-1",path="/var/a b",team="data eng+ops"}'
  seen=""
  for _ in $(seq 1 60); do
    seen="$(curl -fsS -G "$prom/api/v1/query" --data-urlencode "query=$query" | /usr/bin/python3 -c '
import json, sys
result = json.load(sys.stdin)["data"]["result"]
print(",".join(r["value"][1] + ("" if "empty" not in r["metric"] else "+empty-label") for r in result))')"
    [ "$seen" = "6" ] && break
    sleep 0.5
  done
  if [ "$seen" = "6" ]; then
    verdict prometheus-sees-push PASS "Prometheus (honor_labels) has $query = 6"
  else
    verdict prometheus-sees-push FAIL "Prometheus answered '$seen' for $query (want 6)"
  fi
fi

echo "== DELETE removes the group, and only that group"
run delete "${key[@]}"
deleted="$(value "$group" pushcheck_alpha)"
other="$(value '{"job": "batch/nightly run"}' pushcheck_alpha)"
if [ "$rc" -eq 0 ] && [ "$deleted" = "no-group" ] && [ "$other" = "4" ] \
   && ! curl -fsS "$gw/metrics" | grep -q 'job="nightly"'; then
  verdict delete-removes-group PASS "group gone from /api/v1/metrics and /metrics; the other group keeps alpha $other"
else
  verdict delete-removes-group FAIL "exit $rc; group: $deleted (want no-group); other group: $other (want 4)"
fi

echo "== the consistency check: same family, another type, another group"
run bad-type --job other
# The gateway keeps a refused group's push_failure_time_seconds, but none of its metrics.
refused="$(value '{"job": "other"}' pushcheck_alpha)"
if [ "$rc" -eq 3 ] && [[ "$out" == "PushgatewayException StatusCode=400 "* ]] && [[ "$out" == *pushcheck_alpha* ]] \
   && { [ "$refused" = "absent" ] || [ "$refused" = "no-group" ]; }; then
  verdict consistency-400 PASS "${out:0:160}…"
else
  verdict consistency-400 FAIL "exit $rc (want 3), alpha in group job=other: $refused (want none): $out"
fi

finish
