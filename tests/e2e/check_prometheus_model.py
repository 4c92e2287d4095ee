"""Asks a real Prometheus server, through its HTTP API, whether the whole metric model of the Sample arrived.

Usage: check_prometheus_model.py PROMETHEUS_URL EXPECTED_JSON model
       check_prometheus_model.py PROMETHEUS_URL EXPECTED_JSON exemplars SAMPLE_URL [PROMETHEUS_LOG]

model: the state set, info, summary and callback gauge series (values against the Sample's ledger) and the types
Prometheus recorded for them (OpenMetrics types: stateset, info, summary, gauge).
exemplars: /api/v1/query_exemplars returns the request latency exemplars: trace_id of 32 hex digits, span_id of 16,
a value inside the bucket, a timestamp within the run, and at least one on every bucket that received observations;
the latest one of each bucket is the exemplar the Sample serves (read with prometheus_client's OpenMetrics parser).
Exit 0 when every check holds. Run it after the Sample wrote its ledger (its traffic has ended then).
"""
import json
import math
import os
import re
import sys
import time
import urllib.parse
import urllib.request

from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics

from check_prometheus import query, scalar, wait_for

TARGET_LABELS = ("__name__", "job", "instance")
STATES = {"closed", "open", "half_open"}
QUANTILES = ("0.5", "0.9", "0.99")
TRACE_ID = re.compile(r"[0-9a-f]{32}")
SPAN_ID = re.compile(r"[0-9a-f]{16}")


def api(base, path, **parameters):
    url = base + path + "?" + urllib.parse.urlencode(parameters)
    with urllib.request.urlopen(url, timeout=10) as response:
        payload = json.load(response)
    if payload.get("status") != "success":
        raise AssertionError(f"{path} {parameters} failed: {payload}")
    return payload["data"]


def key_of(labels):
    return tuple(sorted((name, value) for name, value in labels.items() if name not in TARGET_LABELS))


def series(base, name):
    """The latest value of every series of `name` scraped from the Sample, by its own labels."""
    return {key_of(item["metric"]): float(item["value"][1]) for item in query(base, f'{name}{{job="sample"}}')}


def ledger_of(expected, name):
    return {tuple(sorted(entry["labels"].items())): float(entry["value"]) for entry in expected if entry["name"] == name}


def same(expected, actual):
    if expected == 0:
        return actual == 0
    return abs(expected - actual) <= 1e-9 * max(abs(expected), abs(actual))


def compare(name, expected, actual):
    """Problems between the ledger's series of a sample and Prometheus's; none when both hold the same values."""
    problems = [f"{dict(key)}: Sample recorded {value}, Prometheus has {actual.get(key)}"
                for key, value in expected.items() if key not in actual or not same(value, actual[key])]
    problems += [f"{dict(key)}: Prometheus has {value}, the Sample recorded nothing" for key, value in actual.items()
                 if key not in expected]
    return [f"{name} {problem}" for problem in problems]


class Checks:
    def __init__(self):
        self.failures = []

    def __call__(self, name, condition, detail):
        print(("ok   " if condition else "FAIL ") + name + ": " + detail)
        if not condition:
            self.failures.append(name)


def wait_for_scrape_after(base, moment):
    """Waits for a scrape that started after `moment` (unix seconds): it saw everything the Sample recorded before."""
    return wait_for(f"a scrape after {moment}", lambda: (lambda value: value if value and value > moment else None)(
        scalar(base, 'timestamp(up{job="sample"})')), timeout=30)


def check_model(base, expected, checks):
    metadata = {}
    for family in ("ractogateway_circuit_state", "ractogateway_build", "ractogateway_time_to_first_token_seconds",
                   "ractogateway_uptime_seconds"):
        entries = api(base, "/api/v1/metadata", metric=family).get(family, [])
        metadata[family] = ",".join(sorted({entry["type"] for entry in entries})) or "none"
    want = {"ractogateway_circuit_state": "stateset", "ractogateway_build": "info",
            "ractogateway_time_to_first_token_seconds": "summary", "ractogateway_uptime_seconds": "gauge"}
    checks("OpenMetrics types", metadata == want,
           ", ".join(f"{family} {kind}" for family, kind in metadata.items())
           + ("" if metadata == want else f" (expected {', '.join(want.values())})"))

    # State set: the ledger's 0/1 of each state, and exactly one state at 1 per provider.
    states = series(base, "ractogateway_circuit_state")
    problems = compare("ractogateway_circuit_state", ledger_of(expected, "ractogateway_circuit_state"), states)
    providers = {}
    for key, value in states.items():
        labels = dict(key)
        providers.setdefault(labels.get("provider"), {})[labels.get("ractogateway_circuit_state")] = value
    problems += [f"provider {provider}: {each}" for provider, each in providers.items()
                 if set(each) != STATES or sorted(each.values()) != [0, 0, 1]]
    shown = ", ".join(f"{provider}={next((s for s, v in each.items() if v == 1), '?')}"
                      for provider, each in sorted(providers.items()))
    checks("state set ractogateway_circuit_state", bool(states) and not problems,
           f"{len(states)} series, one state at 1 per provider ({shown}), equal to the Sample's ledger"
           if states and not problems else "; ".join(problems[:5]) or "no series")

    info = series(base, "ractogateway_build_info")
    wanted = {(("commit", "sample"), ("version", "0.1.0")): 1.0}
    problems = compare("ractogateway_build_info", ledger_of(expected, "ractogateway_build_info"), info)
    checks("info ractogateway_build_info", info == wanted and not problems,
           'ractogateway_build_info{version="0.1.0",commit="sample"} == 1, the only series'
           if info == wanted and not problems else f"Prometheus has {info}; " + "; ".join(problems[:5]))

    # Summary: _count and _sum per series equal the ledger; their total equals the successful streaming requests
    # Prometheus counted; each series has its three quantiles, finite, ordered and within the sum.
    counts = series(base, "ractogateway_time_to_first_token_seconds_count")
    sums = series(base, "ractogateway_time_to_first_token_seconds_sum")
    problems = compare("_count", ledger_of(expected, "ractogateway_time_to_first_token_seconds_count"), counts)
    problems += compare("_sum", ledger_of(expected, "ractogateway_time_to_first_token_seconds_sum"), sums)
    quantiles = {}
    for key, value in series(base, "ractogateway_time_to_first_token_seconds").items():
        labels = dict(key)
        quantiles.setdefault(key_of({k: v for k, v in labels.items() if k != "quantile"}), {})[labels.get("quantile")] = value
    for key, count in counts.items():
        values = [quantiles.get(key, {}).get(quantile) for quantile in QUANTILES]
        if set(quantiles.get(key, {})) != set(QUANTILES):
            problems.append(f"{dict(key)}: quantiles {sorted(quantiles.get(key, {}))}")
        elif count > 0 and not (all(math.isfinite(v) and 0 <= v <= sums.get(key, math.inf) for v in values)
                                and values == sorted(values)):
            problems.append(f"{dict(key)}: quantiles {values}, sum {sums.get(key)}")
    problems += [f"{dict(key)}: quantiles without _count" for key in quantiles if key not in counts]
    total = sum(counts.values())
    streamed = scalar(base, 'sum(ractogateway_requests_total{job="sample",operation="stream",status="ok"})')
    if total != streamed:
        problems.append(f"sum of _count {total}, successful streaming requests {streamed}")
    checks("summary ractogateway_time_to_first_token_seconds", bool(counts) and total > 0 and not problems,
           f"{len(counts)} series, quantiles {', '.join(QUANTILES)} finite and ordered, _count and _sum equal to the "
           f"Sample's ledger, {total:.0f} observations = the successful streaming requests"
           if counts and total > 0 and not problems else "; ".join(problems[:5]) or "no series")

    # Callback gauge: above zero, and growing from scrape to scrape as fast as the scrapes' clock.
    raw = query(base, 'ractogateway_uptime_seconds{job="sample"}[15s]')
    points = [(float(t), float(v)) for t, v in raw[0]["values"]] if len(raw) == 1 else []
    growing = len(points) >= 3 and all(b[1] > a[1] for a, b in zip(points, points[1:]))
    span = points[-1][0] - points[0][0] if points else 0
    growth = points[-1][1] - points[0][1] if points else 0
    checks("callback gauge ractogateway_uptime_seconds",
           growing and points[0][1] > 0 and abs(growth - span) <= 2,
           f"{len(points)} scrapes in 15 s, {points[0][1]:.3f} -> {points[-1][1]:.3f} s, grew {growth:.3f} s "
           f"in {span:.3f} s between the scrapes" if points else f"{len(raw)} series")


def served_exemplars(sample_url):
    """The exemplar of each bucket the Sample serves now, by the bucket's labels, as prometheus_client parses it."""
    request = urllib.request.Request(sample_url, headers={"Accept": "application/openmetrics-text;version=1.0.0"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode("utf-8")
    served = {}
    for family in parse_openmetrics(body):
        for sample in family.samples:
            if sample.name == "ractogateway_request_duration_seconds_bucket" and sample.exemplar is not None:
                served[key_of(sample.labels)] = sample.exemplar
    return served


def check_exemplars(base, expected, checks, sample_url, prometheus_log):
    if prometheus_log:
        with open(prometheus_log, encoding="utf-8", errors="replace") as handle:
            enabled = "exemplar storage enabled" in handle.read()
        checks("exemplar storage", enabled,
               "Prometheus logged it enabled (--enable-feature=exemplar-storage)" if enabled
               else f"no \"exemplar storage enabled\" in {prometheus_log}")

    started = scalar(base, 'process_start_time_seconds{job="sample"}') or time.time() - 3600
    now = time.time()
    data = api(base, "/api/v1/query_exemplars", query="ractogateway_request_duration_seconds_bucket",
               start=f"{started - 1:.3f}", end=f"{now + 1:.3f}")

    # The buckets that received observations, from the latest scrape: each must have had an exemplar.
    buckets = {}
    for item in query(base, 'ractogateway_request_duration_seconds_bucket{job="sample"}'):
        labels = item["metric"]
        buckets.setdefault(key_of({k: v for k, v in labels.items() if k != "le"}), []).append(
            (float(labels["le"]), labels["le"], float(item["value"][1])))
    bounds, filled = {}, set()
    for key, each in buckets.items():
        each.sort()
        below, previous = -math.inf, 0.0
        for upper, spelled, count in each:
            bucket = key + (("le", spelled),)
            bounds[tuple(sorted(bucket))] = (below, upper)
            if count > previous:
                filled.add(tuple(sorted(bucket)))
            below, previous = upper, count

    total, problems, carrying, latest = 0, [], set(), {}
    for item in data:
        bucket = key_of(item["seriesLabels"])
        below, upper = bounds.get(bucket, (None, None))
        if item["exemplars"]:
            latest[bucket] = max(item["exemplars"], key=lambda exemplar: float(exemplar["timestamp"]))
        for exemplar in item["exemplars"]:
            total += 1
            labels, value, timestamp = exemplar["labels"], float(exemplar["value"]), float(exemplar["timestamp"])
            where = f"{dict(bucket)}: {labels} {value} {timestamp}"
            if set(labels) != {"trace_id", "span_id"} or not TRACE_ID.fullmatch(labels["trace_id"]) \
                    or not SPAN_ID.fullmatch(labels["span_id"]) or set(labels["trace_id"]) == {"0"} \
                    or set(labels["span_id"]) == {"0"}:
                problems.append(f"labels of {where}")
            if upper is None:
                problems.append(f"no such bucket series for {where}")
            elif not below < value <= upper:
                problems.append(f"value outside ({below}, {upper}] in {where}")
            if not started - 1 <= timestamp <= now + 1:
                problems.append(f"timestamp outside the run ({started}..{now}) in {where}")
        if item["exemplars"]:
            carrying.add(bucket)
    problems += [f"no exemplar for {dict(bucket)}, which received observations" for bucket in sorted(filled - carrying)]
    checks("exemplars of ractogateway_request_duration_seconds_bucket", total > 0 and not problems,
           f"/api/v1/query_exemplars returned {total} exemplars on {len(carrying)} bucket series (trace_id 32 hex, "
           f"span_id 16 hex, value within the bucket, timestamp within the run); each of the {len(filled)} buckets "
           f"that received observations has one" if total and not problems
           else f"{total} exemplars; " + "; ".join(problems[:5]))

    # Prometheus stored what was served: the latest exemplar of each bucket is the one the Sample serves now.
    served = served_exemplars(sample_url)
    differ = []
    for bucket in sorted(set(served) | set(latest)):
        mine, stored = served.get(bucket), latest.get(bucket)
        if mine is None or stored is None or mine.labels != stored["labels"] \
                or float(mine.value) != float(stored["value"]) or mine.timestamp is None \
                or abs(float(mine.timestamp) - float(stored["timestamp"])) > 0.001:
            differ.append(f"{dict(bucket)}: served {mine}, Prometheus's latest {stored}")
    checks("exemplars as served", bool(served) and not differ,
           f"the latest stored exemplar of each of the {len(latest)} bucket series is the one the Sample serves "
           f"(trace_id, span_id, value, timestamp to the millisecond)" if served and not differ
           else f"{len(differ)} differ; " + "; ".join(differ[:3]))


def main():
    base, expected_path, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    sample_url = sys.argv[4] if len(sys.argv) > 4 else None
    prometheus_log = sys.argv[5] if len(sys.argv) > 5 else None
    with open(expected_path, encoding="utf-8") as handle:
        expected = json.load(handle)
    checks = Checks()
    # The ledger is written when the traffic ends: a scrape that started later saw all of it.
    moment = wait_for_scrape_after(base, os.path.getmtime(expected_path) + 0.1)
    print(f"latest scrape at {moment:.3f}, after the ledger was written")
    if mode == "model":
        check_model(base, expected, checks)
    elif mode == "exemplars":
        check_exemplars(base, expected, checks, sample_url, prometheus_log)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
