"""Asks a real Prometheus server, through its HTTP API, what it scraped from the Sample.

Usage: check_prometheus.py PROMETHEUS_URL EXPECTED_JSON
"""
import json
import math
import sys
import time
import urllib.parse
import urllib.request


def query(base, expression):
    url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": expression})
    with urllib.request.urlopen(url, timeout=10) as response:
        payload = json.load(response)
    if payload.get("status") != "success":
        raise AssertionError(f"query {expression!r} failed: {payload}")
    return payload["data"]["result"]


def scalar(base, expression):
    result = query(base, expression)
    if not result:
        return None
    return float(result[0]["value"][1])


def wait_for(description, probe, timeout=60):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            last = probe()
            if last:
                return last
        except Exception as error:  # the server may still be starting
            last = error
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {description}; last: {last!r}")


def main():
    base, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as handle:
        expected = json.load(handle)
    expected_requests = sum(float(entry["value"]) for entry in expected if entry["name"] == "ractogateway_requests_total")
    failures = []

    def check(name, condition, detail):
        print(("ok   " if condition else "FAIL ") + name + ": " + detail)
        if not condition:
            failures.append(name)

    up = wait_for("up == 1", lambda: scalar(base, 'up{job="sample"}') == 1)
    check("up", up is True, "up{job=\"sample\"} is 1")

    scraped = scalar(base, 'scrape_samples_scraped{job="sample"}')
    check("scrape_samples_scraped", scraped is not None and scraped > 0, f"{scraped}")

    # Traffic stopped before this script ran; wait for a scrape that saw all of it.
    total = wait_for(
        "sum(ractogateway_requests_total) to reach the ledger's total",
        lambda: (lambda value: value if value is not None and value >= expected_requests else None)(
            scalar(base, "sum(ractogateway_requests_total)")),
    )
    check("sum(ractogateway_requests_total)", total == expected_requests, f"Prometheus {total}, Sample recorded {expected_requests}")

    quantile = scalar(base, "histogram_quantile(0.9, sum by (le) (rate(ractogateway_request_duration_seconds_bucket[1m])))")
    check("histogram_quantile(0.9, …)", quantile is not None and not math.isnan(quantile), f"{quantile}")

    # The exporter counts the scrapes it served by negotiated format. Over a few seconds in which only Prometheus
    # scrapes, the OpenMetrics count must grow and the text count must not.
    def served():
        return (scalar(base, 'sum(metricsgen_exporter_scrapes_total{format="openmetrics"})') or 0,
                scalar(base, 'sum(metricsgen_exporter_scrapes_total{format="text"})') or 0)

    # Our own text fetches (promtool, the parser check) ended just before this script; let Prometheus scrape a few
    # times first so that they are already in "before" (a scraped value lags the exporter by up to an interval).
    time.sleep(3)
    before = served()
    time.sleep(4)
    after = served()
    check("negotiated OpenMetrics", after[0] > before[0] and after[1] == before[1],
          f"OpenMetrics scrapes {before[0]:.0f} -> {after[0]:.0f}, text scrapes {before[1]:.0f} -> {after[1]:.0f}")

    series = scalar(base, "count(adversarial_label_text_total)")
    check("adversarial label series", series == 10, f"{series} series of adversarial_label_text_total")
    cyrillic = scalar(base, 'adversarial_label_text_total{text="кириллица"}')
    check("non-Latin label value", cyrillic == 6, f"{cyrillic}")
    newline = scalar(base, 'adversarial_label_text_total{text="first line\\nsecond line"}')
    check("newline label value", newline == 3, f"{newline}")
    empty = scalar(base, 'adversarial_label_text_total{text=""}')
    check("empty label value", empty == 9, f"{empty}")
    nan = scalar(base, 'adversarial_extreme_value{kind="nan"}')
    check("NaN gauge", nan is not None and math.isnan(nan), f"{nan}")
    huge = scalar(base, 'adversarial_extreme_value{kind="1e300"}')
    check("1e300 gauge", huge == 1e300, f"{huge}")
    buckets = scalar(base, "count(adversarial_wide_seconds_bucket)")
    check("40-bucket histogram", buckets == 41, f"{buckets} bucket series")

    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
