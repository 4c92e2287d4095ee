#!/usr/bin/env bash
# End-to-end checks of the exporter's TLS and basic auth with tools nobody here wrote: openssl makes a CA and a server
# certificate, htpasswd a bcrypt hash, and Debian's Prometheus scrapes the Sample over HTTPS with basic_auth; curl
# checks the refusals. Installs what it needs from Debian's packages, stops every process it started, and ends with
# one verdict line per check and a "suite: N passed, M failed" line.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# Prometheus' instant-query API: prints the first sample's value, or nothing.
prom_value() {
  curl -fsS --get --data-urlencode "query=$1" "http://127.0.0.1:$prom_port/api/v1/query" 2>/dev/null |
    /usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")' 2>/dev/null
}

echo "== tools"
need=()
command -v prometheus >/dev/null || need+=(prometheus)
command -v openssl >/dev/null || need+=(openssl)
command -v htpasswd >/dev/null || need+=(apache2-utils)
command -v curl >/dev/null || need+=(curl)
install_missing "${need[@]}"
prometheus --version 2>&1 | head -n 1
openssl version

echo "== certificates (openssl) and a bcrypt hash (htpasswd)"
cd "$work" || exit 1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 2 \
  -subj "/CN=MetricsGen e2e CA" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout key.pem -out server.csr -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' >server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out cert.pem 2>/dev/null
password="scrape-$(openssl rand -hex 8)"
htpasswd -nbB -C 10 prometheus "$password" | grep . >users.htpasswd
if [ -s cert.pem ] && grep -q '^prometheus:\$2y\$10\$' users.htpasswd; then
  verdict setup PASS "openssl CA and server certificate (SAN 127.0.0.1, localhost), htpasswd -B cost 10 hash"
else
  verdict setup FAIL "openssl or htpasswd made no usable files"
  finish
fi

echo "== start the Sample with TLS and basic auth"
if ! dotnet build "$repo/Sample" -c Release >"$work/build.log" 2>&1; then
  tail -n 30 "$work/build.log"
  verdict sample-build FAIL "dotnet build Sample failed"
  finish
fi
port="$(free_port)"
dotnet "$repo/Sample/bin/Release/net10.0/MetricsGen.Sample.dll" --host 127.0.0.1 --port "$port" --rate 50 \
  --tls-cert cert.pem --tls-key key.pem --basic-auth-file users.htpasswd >sample.log 2>&1 &
pids+=($!)
url="https://127.0.0.1:$port/metrics"
status=""
for _ in $(seq 1 200); do
  status="$(curl -sS -o /dev/null -w '%{http_code}' --cacert ca.pem -u "prometheus:$password" "$url" 2>/dev/null)"
  [ "$status" = 200 ] && break
  sleep 0.1
done
curl -fsS --cacert ca.pem -u "prometheus:$password" "$url" >metrics.txt 2>curl.log
if [ "$status" = 200 ] && grep -q '^ractogateway_requests_total' metrics.txt; then
  verdict https-basic-auth PASS "curl verifies the certificate against the CA and gets 200 with the Sample's metrics"
else
  cat sample.log
  verdict https-basic-auth FAIL "no 200 from $url with the right password (last status '$status')"
  finish
fi

echo "== refusals (curl)"
curl -sS -D wrong.head -o /dev/null --cacert ca.pem -u "prometheus:not-$password" "$url"
if head -n 1 wrong.head | grep -q ' 401' && grep -qi '^WWW-Authenticate: Basic realm="metrics", charset="UTF-8"' wrong.head; then
  verdict wrong-password PASS "401 with WWW-Authenticate: Basic realm=\"metrics\", charset=\"UTF-8\""
else
  verdict wrong-password FAIL "$(head -n 1 wrong.head | tr -d '\r')"
fi
nocred="$(curl -sS -o /dev/null -w '%{http_code}' --cacert ca.pem "$url")"
unknown="$(curl -sS -o /dev/null -w '%{http_code}' --cacert ca.pem -u "root:$password" "$url")"
options="$(curl -sS -o /dev/null -w '%{http_code}' --cacert ca.pem -X OPTIONS "$url")"
if [ "$nocred" = 401 ] && [ "$unknown" = 401 ] && [ "$options" = 401 ]; then
  verdict no-credentials PASS "no credentials, an unknown user and an unauthenticated OPTIONS all get 401"
else
  verdict no-credentials FAIL "statuses: none $nocred, unknown user $unknown, OPTIONS $options"
fi
plain="$(curl -sS -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics" 2>/dev/null)"
after="$(curl -sS -o /dev/null -w '%{http_code}' --cacert ca.pem -u "prometheus:$password" "$url")"
if [ "$plain" != 200 ] && [ "$plain" != 401 ] && [ "$after" = 200 ]; then
  verdict plain-http-refused PASS "plain HTTP to the TLS port gets no HTTP answer (curl: '$plain'); HTTPS is served afterwards"
else
  verdict plain-http-refused FAIL "plain HTTP got '$plain', HTTPS afterwards '$after'"
fi

echo "== Prometheus scrapes over HTTPS with basic_auth"
prom_port="$(free_port)"
cat >prometheus.yml <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: sample-https
    scheme: https
    tls_config:
      ca_file: $work/ca.pem
    basic_auth:
      username: prometheus
      password: '$password'
    static_configs:
      - targets: ['127.0.0.1:$port']
  - job_name: sample-wrong-password
    scheme: https
    tls_config:
      ca_file: $work/ca.pem
    basic_auth:
      username: prometheus
      password: 'wrong'
    static_configs:
      - targets: ['127.0.0.1:$port']
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >prometheus.log 2>&1 &
pids+=($!)
up="" requests="" wrong=""
for _ in $(seq 1 60); do
  up="$(prom_value 'up{job="sample-https"}')"
  requests="$(prom_value 'sum(ractogateway_requests_total{job="sample-https"})')"
  wrong="$(prom_value 'up{job="sample-wrong-password"}')"
  [ "$up" = 1 ] && [ -n "$requests" ] && [ "$wrong" = 0 ] && break
  sleep 0.5
done
if [ "$up" = 1 ] && [ -n "$requests" ] && /usr/bin/python3 -c "import sys; sys.exit(0 if float('$requests') > 0 else 1)"; then
  verdict prometheus-https PASS "up == 1 and sum(ractogateway_requests_total) = $requests arrived over HTTPS with basic_auth"
else
  tail -n 5 prometheus.log
  verdict prometheus-https FAIL "up='$up', requests='$requests'"
fi
error="$(curl -fsS "http://127.0.0.1:$prom_port/api/v1/targets" 2>/dev/null |
  /usr/bin/python3 -c 'import json,sys; t=[t for t in json.load(sys.stdin)["data"]["activeTargets"] if t["labels"]["job"]=="sample-wrong-password"]; print(t[0]["lastError"] if t else "")' 2>/dev/null)"
if [ "$wrong" = 0 ] && grep -q 401 <<<"$error"; then
  verdict prometheus-wrong-password PASS "a job with the wrong password is down: $error"
else
  verdict prometheus-wrong-password FAIL "up='$wrong', lastError='$error'"
fi

finish
