"""Parses what the meters bridge wrote (tests/e2e/MeterCheck) with prometheus_client's own parsers.

Usage: check_meters.py OUTDIR

OUTDIR holds metrics.txt (text 0.0.4), metrics.om (OpenMetrics 1.0.0) and expected.tsv (sample name, labels as
k=v,k=v with \\n for a newline, value). Both parsers must accept their file, every expected sample must be there with
its value in both, and the families must have the types (and in OpenMetrics the units) the mapping gives.
Exit 0 when everything holds; one line per problem otherwise.
"""
import math
import sys

from prometheus_client.parser import text_string_to_metric_families as parse_text
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics

TYPES = {
    "shop_orders": "counter",
    "shop_sent_bytes": "counter",
    "shop_carts_open": "gauge",
    "shop_checkout_duration_seconds": "histogram",
    "shop_basket_items": "histogram",
    "shop_warehouse_fill_ratio": "gauge",
    "shop_visits": "counter",
    "shop_stock": "gauge",
    "shop_temperature_celsius": "gauge",
    "shop_flagged": "counter",
    "http_client_request_duration_seconds": "histogram",
    "http_client_active_requests": "gauge",
}
UNITS = {
    "shop_sent_bytes": "bytes",
    "shop_checkout_duration_seconds": "seconds",
    "shop_warehouse_fill_ratio": "ratio",
    "shop_temperature_celsius": "celsius",
    "http_client_request_duration_seconds": "seconds",
    "dotnet_process_memory_working_set_bytes": "bytes",
    "dotnet_process_cpu_time_seconds": "seconds",
}
RUNTIME_TYPES = {
    "dotnet_gc_collections": "counter",
    "dotnet_process_memory_working_set_bytes": "gauge",
    "dotnet_process_cpu_time_seconds": "counter",
}


def expected_rows(path):
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            name, labels, value = line.rstrip("\n").split("\t")
            pairs = {}
            for pair in filter(None, labels.split(",")):
                key, _, text = pair.partition("=")
                pairs[key] = text.replace("\\n", "\n")
            rows.append((name, pairs, float(value)))
    return rows


def same(expected, actual):
    if math.isinf(expected) or expected == 0:
        return expected == actual
    return abs(expected - actual) <= 1e-9 * max(abs(expected), abs(actual))


def check(label, families, rows, problems, units):
    by_name = {family.name: family for family in families}
    found = {}
    for family in families:
        for sample in family.samples:
            found.setdefault(sample.name, []).append(sample)
    for name, labels, value in rows:
        matches = [s for s in found.get(name, []) if s.labels == labels]
        if len(matches) != 1:
            problems.append(f"{label}: {name}{labels} found {len(matches)} times")
        elif not same(value, float(matches[0].value)):
            problems.append(f"{label}: {name}{labels} = {matches[0].value}, expected {value}")
    types = dict(TYPES)
    if "dotnet_gc_collections" in by_name:
        types.update(RUNTIME_TYPES)
    for name, kind in types.items():
        family = by_name.get(name)
        if family is None:
            problems.append(f"{label}: family {name} missing")
        elif family.type != kind:
            problems.append(f"{label}: family {name} is {family.type}, expected {kind}")
        elif units and family.unit != UNITS.get(name, ""):
            problems.append(f"{label}: family {name} has unit '{family.unit}', expected '{UNITS.get(name, '')}'")
    names = [family.name for family in families]
    if len(names) != len(set(names)):
        problems.append(f"{label}: a family appears twice")
    return sum(len(family.samples) for family in families)


def main():
    out = sys.argv[1]
    rows = expected_rows(f"{out}/expected.tsv")
    problems = []
    with open(f"{out}/metrics.txt", encoding="utf-8") as handle:
        text = handle.read()
    with open(f"{out}/metrics.om", encoding="utf-8") as handle:
        openmetrics = handle.read()
    try:
        text_samples = check("text", list(parse_text(text)), rows, problems, units=False)
    except Exception as error:  # the parser refused the exposition
        problems.append(f"text: parser rejected the exposition: {error!r}")
        text_samples = 0
    try:
        om_samples = check("openmetrics", list(parse_openmetrics(openmetrics)), rows, problems, units=True)
    except Exception as error:
        problems.append(f"openmetrics: parser rejected the exposition: {error!r}")
        om_samples = 0
    for problem in problems:
        print("FAIL " + problem)
    print(f"text: {text_samples} samples, openmetrics: {om_samples} samples, {len(rows)} expected values checked in each")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
