"""Parses what the exporter serves with prometheus_client's own parsers and compares it with the Sample's ledger.

Usage: check_parsers.py URL EXPECTED_JSON
Exit 0 when both formats parse and every expected sample has the recorded value.
"""
import json
import math
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families as parse_text
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics

TEXT = "text/plain;version=0.0.4"
OPENMETRICS = "application/openmetrics-text;version=1.0.0"


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


def main():
    url, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as handle:
        expected = json.load(handle)

    ok = True
    content_type, body = fetch(url, TEXT)
    if not content_type.startswith("text/plain; version=0.0.4"):
        print(f"text: unexpected Content-Type {content_type!r}")
        ok = False
    ok = check("text 0.0.4 parser", parse_text, body, expected) and ok

    content_type, body = fetch(url, OPENMETRICS)
    if not content_type.startswith("application/openmetrics-text; version=1.0.0"):
        print(f"openmetrics: unexpected Content-Type {content_type!r}")
        ok = False
    try:
        ok = check("OpenMetrics 1.0 parser", parse_openmetrics, body, expected) and ok
    except Exception as error:  # the parser raises ValueError on any format violation
        print(f"OpenMetrics 1.0 parser rejected the exposition: {error}")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
