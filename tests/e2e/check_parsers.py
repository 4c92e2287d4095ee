"""Parses what the exporter serves with prometheus_client's own parsers and compares it with the Sample's ledger.

Usage: check_parsers.py URL EXPECTED_JSON [ledger|model]

ledger (the default): both formats parse, and every expected sample has the recorded value. Exit 0 when they do.
model: the families of the whole metric model (state set, info, summary, callback gauge) reach each parser with the
right type and shape, and the OpenMetrics parser finds the request latency exemplars (trace and span IDs, a value
inside the bucket) on every bucket that received an observation. Exit 0 when every check holds.
"""
import json
import math
import re
import sys
import time
import urllib.request

from prometheus_client.parser import text_string_to_metric_families as parse_text
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics

TEXT = "text/plain;version=0.0.4"
OPENMETRICS = "application/openmetrics-text;version=1.0.0"

# The ledger entries of the metric model: without them the ledger comparison would not cover the new families.
MODEL_LEDGER = (
    "ractogateway_circuit_state",
    "ractogateway_build_info",
    "ractogateway_time_to_first_token_seconds_count",
    "ractogateway_time_to_first_token_seconds_sum",
)
STATES = {"closed", "open", "half_open"}
QUANTILES = ("0.5", "0.9", "0.99")
TRACE_ID = re.compile(r"[0-9a-f]{32}")
SPAN_ID = re.compile(r"[0-9a-f]{16}")


def fetch(url, accept):
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as response:
        content_type = response.headers.get("Content-Type", "")
        return content_type, response.read().decode("utf-8")


def as_float(value):
    if isinstance(value, str):
        return float(value.replace("+Inf", "inf").replace("-Inf", "-inf"))
    return float(value)


def same(expected, actual):
    if math.isnan(expected):
        return math.isnan(actual)
    if math.isinf(expected) or expected == 0:
        return expected == actual
    return abs(expected - actual) <= 1e-9 * max(abs(expected), abs(actual))


def samples(families):
    found = {}
    for family in families:
        for sample in family.samples:
            key = (sample.name, tuple(sorted(sample.labels.items())))
            if key in found:
                raise AssertionError(f"duplicate sample {key}")
            found[key] = sample.value
    return found


def check(label, parser, body, expected):
    parsed = samples(parser(body))
    problems = []
    for entry in expected:
        key = (entry["name"], tuple(sorted(entry["labels"].items())))
        want = as_float(entry["value"])
        if key not in parsed:
            problems.append(f"missing {key}")
        elif not same(want, float(parsed[key])):
            problems.append(f"{key}: expected {want!r}, parsed {parsed[key]!r}")
    if problems:
        print(f"{label}: {len(problems)} mismatches")
        for problem in problems[:20]:
            print("  " + problem)
        return False
    print(f"{label}: {len(parsed)} samples parsed, {len(expected)} expected values match")
    return True


def parse_or_report(label, parser, body):
    """The parsed families, or None after printing why the parser rejected the exposition."""
    try:
        return list(parser(body))
    except Exception as error:  # the parsers raise ValueError (and sometimes others) on any format violation
        print(f"{label} rejected the exposition: {error}")
        return None


def ledger_main(url, expected):
    ok = True
    content_type, body = fetch(url, TEXT)
    if not content_type.startswith("text/plain; version=0.0.4"):
        print(f"text: unexpected Content-Type {content_type!r}")
        ok = False
    try:
        ok = check("text 0.0.4 parser", parse_text, body, expected) and ok
    except Exception as error:
        print(f"text 0.0.4 parser rejected the exposition: {error}")
        ok = False

    content_type, body = fetch(url, OPENMETRICS)
    if not content_type.startswith("application/openmetrics-text; version=1.0.0"):
        print(f"openmetrics: unexpected Content-Type {content_type!r}")
        ok = False
    try:
        ok = check("OpenMetrics 1.0 parser", parse_openmetrics, body, expected) and ok
    except Exception as error:  # the parser raises ValueError on any format violation
        print(f"OpenMetrics 1.0 parser rejected the exposition: {error}")
        ok = False

    names = {entry["name"] for entry in expected}
    missing = [name for name in MODEL_LEDGER if name not in names]
    if missing:
        print(f"ledger: no entry for {', '.join(missing)}, so the comparison does not cover them")
        ok = False
    else:
        counts = ", ".join(f"{sum(1 for e in expected if e['name'] == name)} {name}" for name in MODEL_LEDGER)
        print(f"ledger covers the metric model: {counts}")
    return ok


class Checks:
    def __init__(self):
        self.failures = []

    def __call__(self, name, condition, detail):
        print(("ok   " if condition else "FAIL ") + name + ": " + detail)
        if not condition:
            self.failures.append(name)


def family(families, name):
    return next((each for each in families if each.name == name), None)


def labels_without(sample, *names):
    return tuple(sorted((key, value) for key, value in sample.labels.items() if key not in names))


def show(sample):
    labels = ",".join(f'{key}="{value}"' for key, value in sample.labels.items())
    return f"{sample.name}{{{labels}}} {sample.value}"


def check_types(checks, label, families, wanted):
    for name, kind in wanted:
        found = family(families, name)
        checks(f"{label} type of {name}", found is not None and found.type == kind,
               f"expected {kind}, parsed {found.type if found else 'no such family'}")


def check_state_set(checks, label, found):
    if found is None:
        checks(f"{label} state set", False, "no family ractogateway_circuit_state")
        return
    providers = {}
    for sample in found.samples:
        providers.setdefault(sample.labels.get("provider"), {})[sample.labels.get("ractogateway_circuit_state")] = sample.value
    wrong = {provider: states for provider, states in providers.items()
             if set(states) != STATES or sorted(states.values()) != [0, 0, 1]}
    checks(f"{label} state set", bool(providers) and not wrong,
           f"{len(providers)} providers, each with states {sorted(STATES)} and exactly one at 1"
           if providers and not wrong else f"wrong: {wrong or 'no sample'}")


def check_info(checks, label, found, sample_name):
    shown = [show(sample) for sample in found.samples] if found else []
    good = (found is not None and len(found.samples) == 1 and found.samples[0].name == sample_name
            and found.samples[0].labels == {"version": "0.1.0", "commit": "sample"} and found.samples[0].value == 1)
    checks(f"{label} info", good, "; ".join(shown) or "no family")


def check_summary(checks, label, found):
    if found is None:
        checks(f"{label} summary", False, "no family ractogateway_time_to_first_token_seconds")
        return
    series = {}
    for sample in found.samples:
        entry = series.setdefault(labels_without(sample, "quantile"), {})
        if sample.name == found.name:
            entry[sample.labels.get("quantile")] = float(sample.value)
        else:
            entry[sample.name[len(found.name):]] = float(sample.value)
    problems = []
    for key, entry in series.items():
        values = [entry.get(quantile) for quantile in QUANTILES]
        if set(entry) != set(QUANTILES) | {"_sum", "_count"}:
            problems.append(f"{dict(key)} has {sorted(entry)}")
        elif entry["_count"] > 0 and not (all(math.isfinite(v) and 0 <= v <= entry["_sum"] for v in values)
                                          and values == sorted(values)):
            problems.append(f"{dict(key)} quantiles {values} (sum {entry['_sum']})")
    checks(f"{label} summary", bool(series) and not problems,
           f"{len(series)} series with quantiles {', '.join(QUANTILES)} (finite, ordered, within the sum), _sum, _count"
           if series and not problems else f"wrong: {problems or 'no series'}")


def uptime(found):
    return float(found.samples[0].value) if found and len(found.samples) == 1 else None


def check_exemplars(checks, families, served_since):
    found = family(families, "ractogateway_request_duration_seconds")
    buckets = {}
    for sample in found.samples if found else []:
        if sample.name.endswith("_bucket"):
            buckets.setdefault(labels_without(sample, "le"), []).append(sample)
    now = time.time()
    filled, carrying, problems = 0, 0, []
    for series in buckets.values():
        series.sort(key=lambda sample: as_float(sample.labels["le"]))
        below, previous = -math.inf, 0.0
        for sample in series:
            upper = as_float(sample.labels["le"])
            observed = float(sample.value) - previous > 0
            exemplar = sample.exemplar
            filled += observed
            if exemplar is not None:
                carrying += 1
                timestamp = float(exemplar.timestamp) if exemplar.timestamp is not None else None
                if set(exemplar.labels) != {"trace_id", "span_id"} \
                        or not TRACE_ID.fullmatch(exemplar.labels["trace_id"]) \
                        or not SPAN_ID.fullmatch(exemplar.labels["span_id"]) \
                        or set(exemplar.labels["trace_id"]) == {"0"} or set(exemplar.labels["span_id"]) == {"0"}:
                    problems.append(f"labels {exemplar.labels} on {show(sample)}")
                if not below < float(exemplar.value) <= upper:
                    problems.append(f"value {exemplar.value} outside ({below}, {upper}] on {show(sample)}")
                if timestamp is None or not served_since - 1 <= timestamp <= now + 1:
                    problems.append(f"timestamp {timestamp} outside the run on {show(sample)}")
            if observed and exemplar is None:
                problems.append(f"no exemplar on {show(sample)}, which received observations")
            if not observed and exemplar is not None:
                problems.append(f"exemplar {exemplar} on {show(sample)}, which received no observation")
            below, previous = upper, float(sample.value)
    checks("OpenMetrics exemplars", carrying > 0 and not problems,
           f"{carrying} bucket samples carry an exemplar (trace_id 32 hex, span_id 16 hex, value within the bucket, "
           f"timestamp within the run), one on each of the {filled} buckets that received observations"
           if carrying and not problems else f"{carrying} exemplars; " + "; ".join(problems[:5]))


def model_main(url, expected):
    checks = Checks()
    _, text_body = fetch(url, TEXT)
    text = parse_or_report("text 0.0.4 parser", parse_text, text_body)
    _, om_body = fetch(url, OPENMETRICS)
    openmetrics = parse_or_report("OpenMetrics 1.0 parser", parse_openmetrics, om_body)
    checks("both parsers accept their format", text is not None and openmetrics is not None,
           f"text 0.0.4: {len(text) if text is not None else 'rejected'} families, "
           f"OpenMetrics 1.0: {len(openmetrics) if openmetrics is not None else 'rejected'} families")
    if text is None or openmetrics is None:
        return 1

    check_types(checks, "text 0.0.4", text, [
        ("ractogateway_circuit_state", "gauge"), ("ractogateway_build_info", "gauge"),
        ("ractogateway_time_to_first_token_seconds", "summary"), ("ractogateway_uptime_seconds", "gauge")])
    check_types(checks, "OpenMetrics 1.0", openmetrics, [
        ("ractogateway_circuit_state", "stateset"), ("ractogateway_build", "info"),
        ("ractogateway_time_to_first_token_seconds", "summary"), ("ractogateway_uptime_seconds", "gauge")])

    for label, families in (("text 0.0.4", text), ("OpenMetrics 1.0", openmetrics)):
        check_state_set(checks, label, family(families, "ractogateway_circuit_state"))
        check_summary(checks, label, family(families, "ractogateway_time_to_first_token_seconds"))
    check_info(checks, "text 0.0.4", family(text, "ractogateway_build_info"), "ractogateway_build_info")
    check_info(checks, "OpenMetrics 1.0", family(openmetrics, "ractogateway_build"), "ractogateway_build_info")

    # The callback gauge is read at each scrape: the OpenMetrics fetch came after the text one.
    first = uptime(family(text, "ractogateway_uptime_seconds"))
    second = uptime(family(openmetrics, "ractogateway_uptime_seconds"))
    checks("callback gauge", first is not None and second is not None and 0 < first < second,
           f"ractogateway_uptime_seconds {first} (text), then {second} (OpenMetrics)")

    # Exemplars travel only in OpenMetrics; the text format must not carry them.
    in_text = [line for line in text_body.splitlines()
               if line.startswith("ractogateway_request_duration_seconds_bucket") and "#" in line]
    checks("no exemplar in text 0.0.4", not in_text, in_text[0] if in_text else "none of the bucket lines has one")
    with_exemplar = [sample for each in text for sample in each.samples if sample.exemplar is not None]
    checks("text 0.0.4 parser sees no exemplar", not with_exemplar,
           show(with_exemplar[0]) if with_exemplar else "no sample has one")

    started = family(openmetrics, "process_start_time_seconds")
    served_since = float(started.samples[0].value) if started else time.time() - 3600
    check_exemplars(checks, openmetrics, served_since)
    return 1 if checks.failures else 0


def main():
    url, expected_path = sys.argv[1], sys.argv[2]
    mode = sys.argv[3] if len(sys.argv) > 3 else "ledger"
    with open(expected_path, encoding="utf-8") as handle:
        expected = json.load(handle)
    if mode == "model":
        return model_main(url, expected)
    return 0 if ledger_main(url, expected) else 1


if __name__ == "__main__":
    sys.exit(main())
