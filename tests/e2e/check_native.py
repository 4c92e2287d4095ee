"""Asks a Prometheus server started with --enable-feature=native-histograms, through its HTTP API, what it scraped
from the Sample over the protobuf exposition.

Usage: check_native.py PROMETHEUS_URL EXPECTED_JSON MODE SAMPLE_URL [PROMETHEUS_LOG]

protobuf:  Prometheus runs with the native-histograms feature, every scrape of it succeeded, and the exporter served
           each of them as protobuf: the Sample's own metricsgen_exporter_scrapes_total{format="protobuf"} (read from
           its text exposition) grows while Prometheus scrapes and equals the number of scrapes Prometheus stored.
native:    ractogateway_request_duration_seconds arrived as native histograms (schema 3 buckets, no classic series):
           histogram_count and histogram_sum per series and summed equal the Sample's ledger, histogram_quantile
           (0.5, 0.9, 0.99) is finite, ordered and inside the observed range; with the Sample's traffic replayed
           (sample_traffic.py) every native bucket holds exactly the observations within its bounds, each quantile
           lies in the bucket of the true quantile (error < 2^(1/8) - 1) and histogram_fraction at powers of two is
           exact.
classic:   adversarial_wide_seconds, a histogram without native buckets, arrived as a classic one: its 41 _bucket
           series hold the counts of its 51 known observations, _count and _sum equal the ledger, no native series.
series:    counters, gauges (state set and info are plain gauges in protobuf), the summary and the callback gauge:
           every ledger value (NaN, ±Inf and 1e±300 included), every series the Sample serves in text equals what
           Prometheus stored, the protobuf types are in Prometheus's metadata, in-flight is 0, uptime grows.
exemplars: exemplars travel over protobuf too: /api/v1/query_exemplars returns exemplars of the native histogram
           with 32-hex trace and 16-hex span IDs whose values are observations of their series, and the latest one of
           each series is an exemplar the Sample serves now.
Exit 0 when every check of the mode holds. Run it after the Sample wrote its ledger (its traffic has ended then).
"""
import json
import math
import os
import re
import sys
import time
import urllib.request

from prometheus_client.parser import text_string_to_metric_families as parse_text
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics

from check_prometheus import query, scalar, wait_for
from check_prometheus_model import Checks, api, key_of, ledger_of, wait_for_scrape_after
from sample_traffic import matches_ledger, replay_latencies

LATENCY = "ractogateway_request_duration_seconds"
WIDE = "adversarial_wide_seconds"
SCHEMA = 3
GROWTH = 2 ** (2 ** -SCHEMA)  # bucket width factor of schema 3, about 1.0905
QUANTILES = (0.5, 0.9, 0.99)
# Traffic.RecordRandomRequest: 0.02 + u * v * 12, rounded to milliseconds.
LOWEST, HIGHEST = 0.02, 12.02
TRACE_ID = re.compile(r"[0-9a-f]{32}")
SPAN_ID = re.compile(r"[0-9a-f]{16}")
SERIES_OF = ("provider", "model", "operation")
# Types Prometheus records from the protobuf MetricFamily (info and state set have no protobuf type: gauges).
TYPES = {
    "ractogateway_requests_total": "counter", "ractogateway_tokens_total": "counter",
    "ractogateway_cost_usd_total": "counter", "ractogateway_cache_hits_total": "counter",
    "ractogateway_tool_calls_total": "counter", "ractogateway_in_flight_requests": "gauge",
    "ractogateway_circuit_state": "gauge", "ractogateway_build_info": "gauge",
    "ractogateway_time_to_first_token_seconds": "summary", "ractogateway_uptime_seconds": "gauge",
    LATENCY: "histogram", WIDE: "histogram", "adversarial_label_text_total": "counter",
    "adversarial_extreme_value": "gauge", "adversarial_fraction_total": "counter",
}


def number(text):
    return float(str(text).replace("+Inf", "inf").replace("-Inf", "-inf"))


def same(expected, actual, tolerance=1e-9):
    if math.isnan(expected) or math.isnan(actual):
        return math.isnan(expected) and math.isnan(actual)
    if math.isinf(expected) or expected == 0:
        return expected == actual
    return abs(expected - actual) <= tolerance * max(abs(expected), abs(actual))


def own(labels):
    """key_of as Prometheus sees labels: an empty value is no label, le and quantile are floats (Prometheus writes
    1.0 where the text format says 1)."""
    return tuple((name, repr(number(value)) if name in ("le", "quantile") else value)
                 for name, value in key_of(dict(labels)) if value != "")


def fetch(url, accept):
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode("utf-8")


def served_scrapes(sample_url):
    """metricsgen_exporter_scrapes_total by format, from the Sample's text exposition (this fetch counts as text)."""
    served = {}
    for family in parse_text(fetch(sample_url, "text/plain;version=0.0.4")):
        for sample in family.samples:
            if sample.name == "metricsgen_exporter_scrapes_total":
                served[sample.labels.get("format")] = float(sample.value)
    return served


def target_state(base):
    targets = api(base, "/api/v1/targets").get("activeTargets", [])
    return "; ".join(f"{t['scrapeUrl']} health {t['health']}, lastError {t['lastError']!r}" for t in targets) or "none"


def native_series(base, expression):
    """{own labels: histogram} of the native histogram samples of an instant query; float samples are left out."""
    found = {}
    for item in query(base, expression):
        if "histogram" in item:
            found[key_of(item["metric"])] = item["histogram"][1]
    return found


def buckets_of(histogram):
    """[(rule, lower, upper, count)] of a native histogram as the HTTP API returns it."""
    return [(int(rule), number(lower), number(upper), float(count)) for rule, lower, upper, count in
            histogram.get("buckets", [])]


def schema_problems(name, histogram):
    """Problems with the bucket layout: positive, left-open buckets of schema 3 whose counts add up to the count."""
    problems = []
    total = 0.0
    for rule, lower, upper, count in buckets_of(histogram):
        total += count
        index = math.log2(upper) * 2 ** SCHEMA
        if lower <= 0 or rule != 0:
            problems.append(f"{name}: bucket {rule} ({lower}, {upper}] {count} is not a positive, left-open bucket")
        elif abs(index - round(index)) > 1e-6 or not same(upper / lower, GROWTH, 1e-12):
            problems.append(f"{name}: bucket ({lower}, {upper}] is not a schema {SCHEMA} bucket")
        elif count <= 0:
            problems.append(f"{name}: empty bucket ({lower}, {upper}] served")
    if total != float(histogram["count"]):
        problems.append(f"{name}: buckets hold {total} observations, count {histogram['count']}")
    return problems


def content_problems(name, histogram, observations):
    """Problems between the buckets and the observations: each holds those within its bounds, and all are held."""
    problems = []
    held = 0
    for _, lower, upper, count in buckets_of(histogram):
        inside = sum(1 for value in observations if lower < value <= upper)
        held += inside
        if inside != count:
            problems.append(f"{name}: bucket ({lower}, {upper}] holds {count:.0f}, {inside} observations lie in it")
    if held != len(observations):
        problems.append(f"{name}: buckets hold {held} of the {len(observations)} observations")
    return problems


def quantile_problems(name, estimates, histogram, observations):
    """Problems with the quantile estimates: finite, ordered, within the observed range and, with the observations
    known, inside the (schema 3) bucket that holds the true quantile."""
    problems = []
    values = [estimates.get(q) for q in QUANTILES]
    if any(value is None or not math.isfinite(value) for value in values):
        return [f"{name}: quantiles {values}"]
    if values != sorted(values):
        problems.append(f"{name}: quantiles {values} are not ordered")
    for q, value in zip(QUANTILES, values):
        if not LOWEST / GROWTH <= value <= HIGHEST * GROWTH:
            problems.append(f"{name}: q{q} {value} outside the latencies' range [{LOWEST}, {HIGHEST}]")
        if observations:
            ordered = sorted(observations)
            true = ordered[max(math.ceil(q * len(ordered)), 1) - 1]
            bucket = next(((lower, upper) for _, lower, upper, _ in buckets_of(histogram) if lower < true <= upper),
                          None)
            if bucket is None:
                problems.append(f"{name}: no bucket holds the true q{q} {true}")
            elif not bucket[0] * (1 - 1e-12) <= value <= bucket[1] * (1 + 1e-12):
                problems.append(f"{name}: q{q} {value} outside ({bucket[0]}, {bucket[1]}], the bucket of the true "
                                f"q{q} {true}")
            elif abs(value - true) / true >= GROWTH - 1:
                problems.append(f"{name}: q{q} {value} off the true {true} by {abs(value - true) / true:.1%}")
    return problems


def replay(expected):
    """The observations of every latency series, or None (and why) when the replay no longer matches the ledger."""
    requests = int(sum(float(entry["value"]) for entry in expected if entry["name"] == "ractogateway_requests_total"))
    observed = replay_latencies(requests)
    problems = matches_ledger(observed, expected)
    if problems:
        return None, "; ".join(problems[:3])
    keyed = {tuple(sorted(zip(SERIES_OF, key))): values for key, values in observed.items()}
    return keyed, f"{requests} requests replayed from Random(2026), each series' count and sum equal to the ledger"


def check_protobuf(base, expected, checks, sample_url, prometheus_log):
    flags = api(base, "/api/v1/status/flags").get("enable-feature", "")
    logged = False
    if prometheus_log:
        with open(prometheus_log, encoding="utf-8", errors="replace") as handle:
            logged = "native histogram support enabled" in handle.read()
    checks("native histograms enabled", "native-histograms" in flags.split(",") and (logged or not prometheus_log),
           f"/api/v1/status/flags enable-feature={flags!r}"
           + (", the log says \"Experimental native histogram support enabled\"" if logged else ""))

    up = scalar(base, 'up{job="sample"}')
    failed = scalar(base, 'count_over_time(up{job="sample"}[1h]) - sum_over_time(up{job="sample"}[1h])')
    checks("every scrape succeeded", up == 1 and failed == 0,
           f"up {up}, {failed} failed scrapes; targets: {target_state(base)}")

    # Only this Prometheus asks for protobuf: the exporter's protobuf count is the number of its scrapes. Read the
    # scrapes Prometheus stored before the Sample's count, so that a scrape stored then was counted by then; one
    # more may be served (and counted) but not stored yet, and one between the two reads.
    def sample_of_scrapes():
        stored = scalar(base, 'count_over_time(up{job="sample"}[1h])')
        return stored, served_scrapes(sample_url)

    first_stored, first = sample_of_scrapes()
    time.sleep(2.5)
    later_stored, later = sample_of_scrapes()
    grew = later.get("protobuf", 0) > first.get("protobuf", 0)
    checks("negotiated protobuf", grew,
           f"metricsgen_exporter_scrapes_total{{format=\"protobuf\"}} {first.get('protobuf', 0):.0f} -> "
           f"{later.get('protobuf', 0):.0f} in 2.5 s (openmetrics {later.get('openmetrics', 0):.0f}, "
           f"text {later.get('text', 0):.0f}: the other Prometheus and these reads)")
    agree = all(stored is not None and stored <= served.get("protobuf", 0) <= stored + 2
                for stored, served in ((first_stored, first), (later_stored, later)))
    checks("every scrape of it was protobuf", agree,
           f"Prometheus stored {first_stored:.0f} then {later_stored:.0f} scrapes, the Sample served "
           f"{first.get('protobuf', 0):.0f} then {later.get('protobuf', 0):.0f} as protobuf"
           if first_stored is not None and later_stored is not None else f"no scrape stored: {target_state(base)}")
    if checks.failures:
        return None
    return (f"--enable-feature={flags}; metricsgen_exporter_scrapes_total{{format=\"protobuf\"}} "
            f"{first.get('protobuf', 0):.0f} -> {later.get('protobuf', 0):.0f} in 2.5 s, one per scrape of this "
            f"Prometheus ({later_stored:.0f} stored, none failed)" if later_stored is not None else "")


def check_native(base, expected, checks):
    observations, replayed = replay(expected)
    print(("replay: " if observations else "replay FAILED (bounds-only quantile checks): ") + replayed)
    ledger_count = ledger_of(expected, LATENCY + "_count")
    ledger_sum = ledger_of(expected, LATENCY + "_sum")

    stored = native_series(base, f'{LATENCY}{{job="sample"}}')
    classic = query(base, f'{{job="sample",__name__=~"{LATENCY}_(bucket|count|sum)"}}')
    print(f"{len(stored)} native series of {LATENCY}, {len(classic)} classic series (Prometheus 2.42 ingests a "
          f"histogram with native buckets as native only)")
    problems = []
    if set(stored) != set(ledger_count):
        problems.append(f"native series {sorted(map(dict, stored))}, ledger series {sorted(map(dict, ledger_count))}")
    for key, histogram in stored.items():
        name = ",".join(value for _, value in key)
        problems += schema_problems(name, histogram)
        if observations is not None:
            problems += content_problems(name, histogram, observations.get(key, []))
    buckets = sum(len(histogram.get("buckets", [])) for histogram in stored.values())
    checks("native buckets", bool(stored) and not problems,
           f"{len(stored)} series with {buckets} schema-{SCHEMA} buckets (bounds 2^(k/8)), counts adding up to each "
           f"count" + (", each bucket holding exactly the replayed observations within its bounds"
                       if observations is not None else "") if stored and not problems else "; ".join(problems[:5]))

    # histogram_count and histogram_sum per series and summed, against the ledger.
    counts = {key_of(item["metric"]): float(item["value"][1]) for item in
              query(base, f'histogram_count({LATENCY}{{job="sample"}})')}
    sums = {key_of(item["metric"]): float(item["value"][1]) for item in
            query(base, f'histogram_sum({LATENCY}{{job="sample"}})')}
    problems = [f"{dict(key)}: histogram_count {counts.get(key)}, ledger {value}"
                for key, value in ledger_count.items() if counts.get(key) != value]
    problems += [f"{dict(key)}: histogram_sum {sums.get(key)}, ledger {value}"
                 for key, value in ledger_sum.items() if key not in sums or not same(value, sums[key])]
    problems += [f"{dict(key)}: not in the ledger" for key in set(counts) | set(sums) if key not in ledger_count]
    total_count = scalar(base, f'histogram_count(sum({LATENCY}{{job="sample"}}))')
    total_sum = scalar(base, f'histogram_sum(sum({LATENCY}{{job="sample"}}))')
    want_count, want_sum = sum(ledger_count.values()), sum(ledger_sum.values())
    if total_count != want_count:
        problems.append(f"histogram_count(sum(…)) {total_count}, ledger {want_count}")
    if total_sum is None or not same(want_sum, total_sum):
        problems.append(f"histogram_sum(sum(…)) {total_sum}, ledger {want_sum}")
    checks("histogram_count and histogram_sum", bool(counts) and not problems,
           f"histogram_count(sum({LATENCY})) {total_count:.0f} and histogram_sum {total_sum:.3f} equal the ledger's "
           f"{want_count:.0f} and {want_sum:.3f}; so do all {len(counts)} series' own"
           if counts and not problems else "; ".join(problems[:5]))

    # histogram_quantile of the summed histogram and of each series.
    everything = [value for values in observations.values() for value in values] if observations is not None else []
    summed = native_series(base, f'sum({LATENCY}{{job="sample"}})').get((), {})
    estimates = {q: scalar(base, f'histogram_quantile({q}, sum({LATENCY}{{job="sample"}}))') for q in QUANTILES}
    problems = quantile_problems("sum", estimates, summed, everything)
    per_series = {}
    for q in QUANTILES:
        for item in query(base, f'histogram_quantile({q}, {LATENCY}{{job="sample"}})'):
            per_series.setdefault(key_of(item["metric"]), {})[q] = float(item["value"][1])
    for key, histogram in stored.items():
        problems += quantile_problems(",".join(value for _, value in key), per_series.get(key, {}), histogram,
                                      observations.get(key, []) if observations is not None else [])
    if observations is not None:
        # 1 and the other powers of two are bucket boundaries: the fraction below them is exact.
        for bound in (0.125, 0.25, 0.5, 1, 2, 4, 8):
            fraction = scalar(base, f'histogram_fraction(0, {bound}, sum({LATENCY}{{job="sample"}}))')
            want = sum(1 for value in everything if value <= bound) / len(everything)
            if fraction is None or not same(want, fraction, 1e-12):
                problems.append(f"histogram_fraction(0, {bound}) {fraction}, replayed observations {want}")
    shown = ", ".join(f"q{q} {value:.4f}" for q, value in estimates.items() if value is not None)
    if observations is not None:
        ordered = sorted(everything)
        shown += " (true " + ", ".join(f"{ordered[math.ceil(q * len(ordered)) - 1]:.3f}" for q in QUANTILES) + ")"
    checks("histogram_quantile", not problems,
           f"sum: {shown}; finite, ordered, within [{LOWEST}, {HIGHEST}] s"
           + (f", each in the schema-{SCHEMA} bucket of the true quantile, for the sum and all {len(per_series)} "
              f"series; histogram_fraction(0, 2^k) exact for k = -3..3" if observations is not None else
              f" for the sum and all {len(per_series)} series (no replay: {replayed})")
           if not problems else "; ".join(problems[:5]))
    if checks.failures:
        return None
    return (f"{len(stored)} native series, {buckets} schema-{SCHEMA} buckets"
            + (" holding exactly the replayed observations" if observations is not None else "")
            + f"; histogram_count {total_count:.0f} and histogram_sum {total_sum:.3f} = ledger (summed and per "
            f"series); histogram_quantile {shown}"
            + (", each in the bucket of the true quantile; histogram_fraction exact at 2^k" if observations is not None
               else f"; bounds only, the replay failed: {replayed}"))


def check_classic(base, expected, checks):
    # AdversarialTraffic.Record: 51 observations step * 0.0251, none on a bucket bound.
    observations = [step * 0.0251 for step in range(51)]
    buckets = {}
    for item in query(base, f'{WIDE}_bucket{{job="sample"}}'):
        buckets[item["metric"]["le"]] = float(item["value"][1])
    problems = []
    if len(buckets) != 41 or "+Inf" not in buckets:
        problems.append(f"{len(buckets)} _bucket series, le {sorted(buckets)[:5]}…")
    for le, value in buckets.items():
        want = sum(1 for observation in observations if observation <= number(le))
        if value != want:
            problems.append(f'le="{le}": {value}, {want} observations')
    count = scalar(base, f'{WIDE}_count{{job="sample"}}')
    total = scalar(base, f'{WIDE}_sum{{job="sample"}}')
    want_count = sum(ledger_of(expected, f"{WIDE}_count").values())
    want_sum = sum(ledger_of(expected, f"{WIDE}_sum").values())
    if count != want_count:
        problems.append(f"_count {count}, ledger {want_count}")
    if total is None or not same(want_sum, total):
        problems.append(f"_sum {total}, ledger {want_sum}")
    native = native_series(base, f'{WIDE}{{job="sample"}}')
    if native:
        problems.append(f"a native series too: {native}")
    # The classic series are still a histogram to PromQL.
    median = scalar(base, f'histogram_quantile(0.5, {WIDE}_bucket{{job="sample"}})')
    if median is None or not 0.6 <= median <= 0.65:
        problems.append(f"histogram_quantile(0.5) {median}, the 26th of 51 observations is {observations[25]}")
    checks(f"classic histogram {WIDE}", not problems,
           f"41 _bucket series with the counts of its 51 observations, _count {count:.0f} and _sum {total} equal to "
           f"the ledger, no native series, histogram_quantile(0.5) {median:.4f}" if not problems
           else "; ".join(problems[:5]))
    if checks.failures:
        return None
    return (f"{WIDE} (classic only): 41 _bucket series with the counts of its observations, _count {count:.0f} and "
            f"_sum {total:.4f} = ledger, no native series")


def check_series(base, expected, checks, sample_url):
    # Every ledger value but the latency histogram's (checked natively).
    names = sorted({entry["name"] for entry in expected if not entry["name"].startswith(LATENCY)})
    problems = []
    compared = 0
    for name in names:
        want = {own(key): value for key, value in ledger_of(expected, name).items()}
        have = {own(item["metric"]): float(item["value"][1]) for item in query(base, f'{name}{{job="sample"}}')
                if "value" in item}
        compared += len(want)
        problems += [f"{name}{dict(key)}: ledger {value}, Prometheus {have.get(key)}" for key, value in want.items()
                     if key not in have or not same(value, have[key])]
        problems += [f"{name}{dict(key)}: Prometheus {value}, not in the ledger" for key, value in have.items()
                     if key not in want]
    total = scalar(base, 'sum(ractogateway_requests_total{job="sample"})')
    want_total = sum(ledger_of(expected, "ractogateway_requests_total").values())
    if total != want_total:
        problems.append(f"sum(ractogateway_requests_total) {total}, ledger {want_total}")
    checks("ledger over protobuf", compared > 0 and not problems,
           f"sum(ractogateway_requests_total) {total:.0f} as the ledger; {compared} values of {len(names)} ledger "
           f"samples (counters, the state set and info gauges, summary _count/_sum, hostile and empty label values, "
           f"NaN, ±Inf, -0, 1e±300, fractional counters) equal"
           if compared and not problems
           else "; ".join(problems[:5]))

    # Everything the Sample serves in text, but the native histogram and the clock-driven uptime.
    served = {}
    for family in parse_text(fetch(sample_url, "text/plain;version=0.0.4")):
        for sample in family.samples:
            if sample.name.startswith(("ractogateway_", "adversarial_")) and not sample.name.startswith(LATENCY) \
                    and sample.name != "ractogateway_uptime_seconds":
                served[(sample.name, own(sample.labels))] = float(sample.value)
    stored = {}
    for item in query(base, '{job="sample",__name__=~"(ractogateway|adversarial)_.+"}'):
        name = item["metric"]["__name__"]
        if "value" in item and not name.startswith(LATENCY) and name != "ractogateway_uptime_seconds":
            stored[(name, own(item["metric"]))] = float(item["value"][1])
    problems = [f"{name}{dict(key)}: served {value}, Prometheus {stored.get((name, key))}"
                for (name, key), value in served.items()
                if (name, key) not in stored or not same(value, stored[(name, key)])]
    problems += [f"{name}{dict(key)}: stored, not served" for (name, key) in stored if (name, key) not in served]
    in_flight = scalar(base, 'ractogateway_in_flight_requests{job="sample"}')
    if in_flight != 0:
        problems.append(f"ractogateway_in_flight_requests {in_flight} after the traffic")
    quantiles = sum(1 for name, key in stored if name == "ractogateway_time_to_first_token_seconds")
    checks("every served series over protobuf", bool(served) and not problems,
           f"all {len(served)} series the Sample serves in text (counters, gauges, the summary's {quantiles} "
           f"quantiles, _count and _sum, the classic buckets; in-flight 0) are stored with the same values, none more"
           if served and not problems else "; ".join(problems[:5]))

    metadata = api(base, "/api/v1/metadata")
    kinds = {name: ",".join(sorted({entry["type"] for entry in metadata.get(name, [])})) or "none" for name in TYPES}
    wrong = [f"{name} {kind} (expected {TYPES[name]})" for name, kind in kinds.items() if kind != TYPES[name]]
    checks("protobuf types", not wrong,
           f"{len(TYPES)} families: counters, gauges (state set and info too), summary, histograms"
           if not wrong else "; ".join(wrong))

    raw = query(base, 'ractogateway_uptime_seconds{job="sample"}[10s]')
    points = [(float(t), float(v)) for t, v in raw[0]["values"]] if len(raw) == 1 else []
    growing = len(points) >= 3 and all(b[1] > a[1] for a, b in zip(points, points[1:]))
    growth = points[-1][1] - points[0][1] if points else 0
    span = points[-1][0] - points[0][0] if points else 0
    checks("callback gauge over protobuf", growing and abs(growth - span) <= 2,
           f"ractogateway_uptime_seconds {len(points)} scrapes in 10 s, grew {growth:.3f} s in {span:.3f} s"
           if points else f"{len(raw)} series")
    if checks.failures:
        return None
    return (f"sum(ractogateway_requests_total) {total:.0f} = ledger; {compared} ledger values and all {len(served)} "
            f"served series (counters, gauges incl. state set and info, summary, buckets, NaN/±Inf/-0/1e±300) "
            f"equal; in-flight {in_flight:.0f}; protobuf types in the metadata; uptime grows")


def served_exemplars(sample_url):
    """{own labels of a latency series: [exemplar of each bucket]} as prometheus_client's OpenMetrics parser reads."""
    served = {}
    for family in parse_openmetrics(fetch(sample_url, "application/openmetrics-text;version=1.0.0")):
        for sample in family.samples:
            if sample.name == LATENCY + "_bucket" and sample.exemplar is not None:
                served.setdefault(key_of({k: v for k, v in sample.labels.items() if k != "le"}), []).append(
                    sample.exemplar)
    return served


def check_exemplars(base, expected, checks, sample_url, prometheus_log):
    if prometheus_log:
        with open(prometheus_log, encoding="utf-8", errors="replace") as handle:
            enabled = "exemplar storage enabled" in handle.read()
        if not enabled:
            checks("exemplar storage", False, f"no \"exemplar storage enabled\" in {prometheus_log}")
            return
    observations, replayed = replay(expected)
    started = scalar(base, 'process_start_time_seconds{job="sample"}') or time.time() - 3600
    now = time.time()
    data = api(base, "/api/v1/query_exemplars", query=f'{LATENCY}{{job="sample"}}', start=f"{started - 1:.3f}",
               end=f"{now + 1:.3f}")
    total, problems, latest = 0, [], {}
    for item in data:
        key = key_of(item["seriesLabels"])
        for exemplar in item["exemplars"]:
            total += 1
            labels, value, timestamp = exemplar["labels"], float(exemplar["value"]), float(exemplar["timestamp"])
            where = f"{dict(key)}: {labels} {value} {timestamp}"
            if set(labels) != {"trace_id", "span_id"} or not TRACE_ID.fullmatch(labels["trace_id"]) \
                    or not SPAN_ID.fullmatch(labels["span_id"]):
                problems.append(f"labels of {where}")
            if observations is not None and value not in observations.get(key, []):
                problems.append(f"value of {where} is none of the series' observations")
            elif not LOWEST <= value <= HIGHEST:
                problems.append(f"value of {where} outside the latencies")
            if not started - 1 <= timestamp <= now + 1:
                problems.append(f"timestamp outside the run in {where}")
        if item["exemplars"]:
            latest[key] = max(item["exemplars"], key=lambda exemplar: float(exemplar["timestamp"]))
    served = served_exemplars(sample_url)
    for key, stored in latest.items():
        if not any(mine.labels == stored["labels"] and float(mine.value) == float(stored["value"])
                   and mine.timestamp is not None and abs(float(mine.timestamp) - float(stored["timestamp"])) <= 0.001
                   for mine in served.get(key, [])):
            problems.append(f"{dict(key)}: the latest stored {stored} is none of the served {served.get(key)}")
    checks("exemplars over protobuf", total > 0 and len(latest) == len(served) and not problems,
           f"/api/v1/query_exemplars returned {total} exemplars on {len(latest)} of the {len(served)} native series "
           f"(32-hex trace_id, 16-hex span_id, " + ("values among the series' replayed observations"
                                                    if observations is not None else "values within the latencies")
           + ", within the run); the latest of each series is one the Sample serves"
           if total and len(latest) == len(served) and not problems
           else f"{total} exemplars on {len(latest)} of {len(served)} series; " + "; ".join(problems[:5]))
    if checks.failures:
        return None
    return (f"query_exemplars: {total} exemplars on the {len(latest)} native series, "
            + ("values among the replayed observations" if observations is not None else "values within the latencies")
            + ", the latest as served")


def main():
    base, expected_path, mode, sample_url = sys.argv[1:5]
    prometheus_log = sys.argv[5] if len(sys.argv) > 5 else None
    with open(expected_path, encoding="utf-8") as handle:
        expected = json.load(handle)
    checks = Checks()
    try:
        wait_for("up == 1", lambda: scalar(base, 'up{job="sample"}') == 1, timeout=20)
    except AssertionError as error:
        checks("up", False, f"{error}; targets: {target_state(base)}")
        return 1
    # The ledger is written when the traffic ends: a scrape that started later saw all of it.
    moment = wait_for_scrape_after(base, os.path.getmtime(expected_path) + 0.1)
    print(f"latest scrape at {moment:.3f}, after the ledger was written")
    if mode == "protobuf":
        summary = check_protobuf(base, expected, checks, sample_url, prometheus_log)
    elif mode == "native":
        summary = check_native(base, expected, checks)
    elif mode == "classic":
        summary = check_classic(base, expected, checks)
    elif mode == "series":
        summary = check_series(base, expected, checks, sample_url)
    elif mode == "exemplars":
        summary = check_exemplars(base, expected, checks, sample_url, prometheus_log)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    if not checks.failures:
        print(f"summary: {summary}")  # run.sh's verdict line
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
