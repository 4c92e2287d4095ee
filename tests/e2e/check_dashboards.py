#!/usr/bin/env python3
"""Does a Grafana dashboard show data against a real Prometheus server?

    check_dashboards.py PROMETHEUS_URL DASHBOARD.json JOB [--start UNIX_TIME] [--end UNIX_TIME]
                        [--expect-empty SUBSTRING]... [--min-data N]

Every panel's targets (rows' nested panels and old-style rows[].panels included, hidden targets too) and every
template variable of type query are evaluated the way Grafana would evaluate them: variables substituted, each
target run as a range query over the test window with a 1 s step. A variable named job is the job under test (its
query must list it); a multi-value or include-All variable is 'All', its allValue or else, as Grafana does, the
alternation of the values its query lists ("()" when it lists none); a single-value variable, an interval or a
custom variable is tried with each of its values. A target has data when, for some combination of
the variables' values, the result holds at least one sample that is not NaN and at least one metric it names has
series of JOB (so a query without a job selector cannot pass on another job's series alone). Prints one line per
query, then a summary line:

    DASHBOARD <file>: <n> of <m> queries with data (panels with data: x of y); empty: <titles>

and exits 0 when every query has data except those whose expression contains an --expect-empty substring, which
must then really be empty; with --min-data N, when at least N queries have data (expected-empty ones still must be
empty). Python 3 standard library only.
"""

import argparse
import itertools
import json
import math
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

SCRAPE_INTERVAL = 1.0  # seconds, as the suite's prometheus.yml sets it
# $__interval: Grafana derives it from the time range and the panel's width (range / max data points); for a test
# window of about a minute on a panel some 1000 px wide that is 1-2 s, never below the scrape interval.
INTERVAL = 2.0
# $__rate_interval: Grafana's rule is max($__interval + scrape interval, 4 x scrape interval), with the scrape interval
# from the data source's settings: 4 s for a 1 s data source, but 60 s for one left at Grafana's default of 15 s.
# 15 s stays a window of many scrapes that still moves within a test of half a minute; a target's own minimum
# interval raises it as it raises $__interval.
RATE_INTERVAL = 15.0

AGGREGATIONS = {"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
                "quantile", "limitk", "limit_ratio"}
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless",
            "atan2", "inf", "nan", "start", "end"}


class Prometheus:
    def __init__(self, url, start, end):
        self.url = url.rstrip("/")
        self.start = start
        self.end = end

    def get(self, path, params):
        # GET, which every endpoint takes (the label-values one takes nothing else); the queries are short.
        url = self.url + path + "?" + urllib.parse.urlencode(params, doseq=True)
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                body = json.load(response)
        except urllib.error.HTTPError as error:
            try:
                body = json.load(error)
            except ValueError:
                raise QueryError(f"HTTP {error.code} from {path}") from None
        if body.get("status") != "success":
            raise QueryError(f"{body.get('errorType', '?')}: {body.get('error', '?')}")
        return body["data"]

    def query_range(self, expr):
        return self.get("/api/v1/query_range", {"query": expr, "start": self.start, "end": self.end, "step": "1"})

    def instant(self, expr):
        return self.get("/api/v1/query", {"query": expr, "time": self.end})

    def label_values(self, label, selector=None):
        params = {"start": self.start, "end": self.end}
        if selector:
            params["match[]"] = [selector]
        return self.get(f"/api/v1/label/{urllib.parse.quote(label)}/values", params)

    def has_series(self, selector):
        return bool(self.get("/api/v1/series", {"match[]": [selector], "start": self.start, "end": self.end}))


class QueryError(Exception):
    pass


# ---- durations ----------------------------------------------------------------------------------------------------

def parse_duration(text):
    """Grafana's interval strings: '5m', '1h', '30s', '1' (seconds); None when empty or unknown."""
    if text is None:
        return None
    text = str(text).strip().lstrip(">")
    if not text:
        return None
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)?", text)
    if not match:
        return None
    value = float(match.group(1))
    return value * {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000, None: 1}[match.group(2)]


def duration(seconds):
    seconds = max(1, math.ceil(seconds))
    return f"{seconds}s"


# ---- variables ----------------------------------------------------------------------------------------------------

def regular_escape(value):
    # Grafana's escape for a single value in PromQL (prometheusRegularEscape).
    return value.replace("\\", "\\\\").replace("'", "\\'")


def regex_escape(value):
    # Grafana's escape for a value inside a regex matcher (prometheusSpecialRegexEscape): the PromQL string needs
    # the regex's backslash doubled.
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\\\\\")
        elif char in "$^*{}[]'+?.()|":
            out.append("\\\\" + char)
        else:
            out.append(char)
    return "".join(out)


def all_value(variable, values):
    """The text Grafana substitutes for 'All' (or every value of a multi-value variable)."""
    if variable.get("allValue"):
        return variable["allValue"]
    escaped = [regex_escape(v) for v in values]
    # One value is used as it is; several become an alternation; none becomes "()", which matches an empty label.
    return escaped[0] if len(escaped) == 1 else "(" + "|".join(escaped) + ")"


VARIABLE = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$(\w+)")


def substitute(expr, values):
    def replace(match):
        name = match.group(1) or match.group(2) or match.group(3)
        return values[name] if name in values else match.group(0)
    return VARIABLE.sub(replace, expr)


def referenced(expr):
    return {m.group(1) or m.group(2) or m.group(3) for m in VARIABLE.finditer(expr)}


def variable_query(variable):
    query = variable.get("query")
    if isinstance(query, dict):
        query = query.get("query")
    return query or ""


def run_variable_query(prom, query, regex):
    """The values a Grafana Prometheus query variable would list."""
    query = query.strip()
    match = re.fullmatch(r"label_values\(\s*(?:(.*),\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)", query, re.S)
    if match:
        values = prom.label_values(match.group(2), match.group(1))
    elif (match := re.fullmatch(r"label_names\(\s*(.*?)\s*\)", query, re.S)):
        values = prom.get("/api/v1/labels", {"start": prom.start, "end": prom.end,
                                              **({"match[]": [match.group(1)]} if match.group(1) else {})})
    elif (match := re.fullmatch(r"metrics\(\s*(.*?)\s*\)", query, re.S)):
        values = [n for n in prom.label_values("__name__") if re.search(match.group(1), n)]
    else:
        inner = re.fullmatch(r"query_result\(\s*(.*)\s*\)", query, re.S)
        data = prom.instant(inner.group(1) if inner else query)
        values = []
        for series in data["result"] if isinstance(data["result"], list) else []:
            metric = dict(series["metric"])
            name = metric.pop("__name__", "")
            labels = ", ".join(f'{k}="{v}"' for k, v in metric.items())
            values.append(f"{name}{{{labels}}} {series['value'][1]} {int(series['value'][0] * 1000)}")
    if regex:
        pattern = re.compile(regex.strip("/"))
        kept = []
        for value in values:
            found = pattern.search(value)
            if found:
                kept.append(found.group(1) if found.groups() else value)
        values = kept
    return sorted(dict.fromkeys(values))


class Query:
    """One line of the report: a panel's target, or a template variable's query."""

    def __init__(self, kind, title, expr, panel=None, hidden=False, min_interval=None):
        self.kind = kind
        self.title = title
        self.expr = expr
        self.panel = panel
        self.hidden = hidden
        self.min_interval = min_interval
        self.data = False
        self.evaluated = None
        self.note = ""
        self.expected_empty = False
        self.missing = []


def variable_assignments(prom, variables, job, report):
    """Every combination of variable values a user could pick (single-value variables branch over their values),
    each as the text substituted for every variable. Records each query variable's own result in report."""
    assignments = [{}]
    for variable in variables:
        name = variable.get("name")
        kind = variable.get("type")
        if not name:
            continue
        next_assignments = []
        if kind == "query":
            query = variable_query(variable)
            line = report.setdefault(name, Query("variable", f"variable {name}", query))
            for assignment in assignments:
                evaluated = substitute(query, assignment)
                try:
                    values = run_variable_query(prom, evaluated, variable.get("regex"))
                except QueryError as error:
                    values = []
                    line.note = str(error)
                if name == "job":
                    # The job under test is chosen; the variable's own query must offer it.
                    ok = job in values
                    if ok or line.evaluated is None:
                        line.evaluated = evaluated
                        line.note = f"lists {', '.join(values) or 'no job'}" + ("" if ok else f": not {job}")
                    line.data = line.data or ok
                    next_assignments.append({**assignment, name: job})
                    continue
                if values and not line.data:
                    line.evaluated = evaluated
                    line.note = f"{len(values)} value(s): {', '.join(values)[:100]}"
                elif line.evaluated is None:
                    line.evaluated = evaluated
                    line.note = line.note or "no values"
                line.data = line.data or bool(values)
                if variable.get("multi") or variable.get("includeAll"):
                    next_assignments.append({**assignment, name: all_value(variable, values)})
                else:
                    # Grafana shows no value when the query lists none; the panel then queries with an empty one.
                    for value in values or [""]:
                        next_assignments.append({**assignment, name: regular_escape(value)})
        elif kind in ("interval", "custom"):
            options = [o.get("value") for o in variable.get("options") or [] if o.get("value") not in (None, "$__all")]
            if not options:
                options = [o.strip() for o in str(variable.get("query", "")).split(",") if o.strip()]
            if kind == "custom" and (variable.get("multi") or variable.get("includeAll")):
                next_assignments = [{**a, name: all_value(variable, options)} for a in assignments]
            else:
                next_assignments = [{**a, name: o} for a in assignments for o in options]
        elif kind in ("constant", "textbox"):
            next_assignments = [{**a, name: str(variable.get("query", ""))} for a in assignments]
        else:
            next_assignments = assignments  # datasource, adhoc: nothing in an expression
        # Only variables that later ones or the targets use need to branch; keep the product small by deduplicating.
        unique = {json.dumps(a, sort_keys=True): a for a in next_assignments}
        assignments = list(unique.values())
    return assignments


# ---- panels -------------------------------------------------------------------------------------------------------

def panel_queries(dashboard):
    queries = []
    panels = []

    def walk(items):
        for panel in items or []:
            targets = [t for t in panel.get("targets") or [] if isinstance(t, dict) and t.get("expr")]
            if targets:
                panels.append(panel)
            for target in targets:
                minimum = parse_duration(target.get("interval")) or parse_duration(panel.get("interval"))
                queries.append(Query("target", panel.get("title") or "(untitled)", target["expr"], panel=id(panel),
                                     hidden=bool(target.get("hide")), min_interval=minimum))
            walk(panel.get("panels"))

    walk(dashboard.get("panels"))
    for row in dashboard.get("rows") or []:
        walk(row.get("panels"))
    return queries, panels


def metric_names(expr):
    """The metric names an expression reads: bare selectors and __name__ matchers (alternatives of a regex too)."""
    names = {}  # a dict as an ordered set
    for matcher in re.finditer(r'__name__\s*(=~|=)\s*"((?:[^"\\]|\\.)*)"', expr):
        value = matcher.group(2)
        if matcher.group(1) == "=":
            names[value] = None
        else:
            names.update((p, None) for p in value.split("|") if re.fullmatch(r"[a-zA-Z_:][a-zA-Z0-9_:]*", p))
    # Drop strings and label matchers, durations and by/without/on/ignoring lists, then read the identifiers left.
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', expr)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    for token in re.finditer(r"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?", text):
        word, call = token.group(1), token.group(2)
        if call or word in AGGREGATIONS or word.lower() in KEYWORDS:
            continue
        names[word] = None
    return list(names)


def has_data(result):
    for series in result.get("result", []):
        points = series.get("values") or ([series["value"]] if "value" in series else [])
        if any(p[1] != "NaN" for p in points):
            return True
    return False


def summary_of(result):
    series = result.get("result", [])
    values = [float(p[1]) for s in series for p in (s.get("values") or []) if p[1] != "NaN"]
    note = f"{len(series)} series"
    if values and all(v == 0 for v in values):
        note += ", all 0"
    return note


def shorten(text, width=150):
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 3] + "..."


def evaluate_target(prom, query, assignments, job, base_values, window):
    names = metric_names(query.expr)
    used = referenced(query.expr)
    interval = max(INTERVAL, query.min_interval or 0)
    builtins = {**base_values,
                "__interval": duration(interval),
                "__interval_ms": str(int(interval * 1000)),
                "__rate_interval": duration(max(RATE_INTERVAL, interval + SCRAPE_INTERVAL)),
                "__range": duration(window),
                "__range_s": str(math.ceil(window)),
                "__range_ms": str(math.ceil(window) * 1000)}
    tried = set()
    for assignment in assignments:
        evaluated = substitute(query.expr, {**builtins, **{k: v for k, v in assignment.items() if k in used}})
        if evaluated in tried:
            continue
        tried.add(evaluated)
        query.evaluated = query.evaluated or evaluated
        try:
            result = prom.query_range(evaluated)
        except QueryError as error:
            query.evaluated, query.note = evaluated, f"query error: {error}"
            continue
        if has_data(result):
            query.evaluated = evaluated
            query.note = summary_of(result)
            query.data = True
            break
    in_job = {n for n in names if prom.has_series(f'{{__name__="{n}",job="{job}"}}')}
    if query.data and names and not in_job:
        query.data = False
        query.note = f"data only from other jobs than {job} ({', '.join(sorted(names))})"
    elif not query.data and not query.note.startswith("query error"):
        # In the order the expression names them, so the summary's first one is the dashboard's own first choice.
        missing = [n for n in names if not prom.has_series(f'{{__name__="{n}"}}')]
        elsewhere = [n for n in names if n not in missing and n not in in_job]
        query.missing = [n for n in names if n not in in_job]
        notes = []
        if missing:
            notes.append("no series at all for: " + ", ".join(missing))
        if elsewhere:
            notes.append(f"no series of job {job} for: " + ", ".join(elsewhere))
        query.note = "; ".join(notes) or "series exist, but no sample in the window that is not NaN"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prometheus")
    parser.add_argument("dashboard")
    parser.add_argument("job")
    parser.add_argument("--start", type=float, help="the test window's start (default: 60 s before --end)")
    parser.add_argument("--end", type=float, help="the test window's end (default: now)")
    parser.add_argument("--expect-empty", action="append", default=[], metavar="SUBSTRING")
    parser.add_argument("--min-data", type=int)
    args = parser.parse_args()

    end = args.end or time.time()
    start = args.start or end - 60
    window = end - start
    prom = Prometheus(args.prometheus, start, end)
    with open(args.dashboard, encoding="utf-8") as f:
        dashboard = json.load(f)
    name = os.path.basename(args.dashboard)
    print(f"-- {name}: \"{dashboard.get('title', '')}\", job {args.job}, window {duration(window)}, "
          f"$__rate_interval {duration(RATE_INTERVAL)}, $__interval {duration(INTERVAL)}")

    variables = (dashboard.get("templating") or {}).get("list") or []
    report = {}
    try:
        assignments = variable_assignments(prom, variables, args.job, report)
        targets, panels = panel_queries(dashboard)
        for query in targets:
            evaluate_target(prom, query, assignments, args.job, {}, window)
    except (OSError, QueryError) as error:
        print(f"error: Prometheus at {args.prometheus}: {error}")
        return 2
    queries = targets + list(report.values())

    for substring in args.expect_empty:
        if not any(substring in q.expr for q in queries):
            print(f"error: no query contains the --expect-empty substring {substring!r}")
            return 2
    failures = []
    for query in queries:
        query.expected_empty = any(s in query.expr for s in args.expect_empty)
        state = "DATA " if query.data else "EMPTY"
        if query.expected_empty:
            state += " (expected EMPTY)" if not query.data else " (expected EMPTY: has data!)"
            if query.data:
                failures.append(query)
        elif not query.data and args.min_data is None:
            failures.append(query)
        title = query.title + (" [hidden target]" if query.hidden else "")
        print(f"{state} | {title} | {shorten(query.evaluated or query.expr)} | {query.note}")

    with_data = sum(q.data for q in queries)
    panels_with_data = len({q.panel for q in targets if q.data})
    # Each empty query by its title (a panel may hold several targets), with the first metric it lacks, if any.
    empty_titles = list(dict.fromkeys(
        q.title + (f" ({q.missing[0]})" if q.missing else "") + (" [expected]" if q.expected_empty else "")
        for q in queries if not q.data))
    print(f"DASHBOARD {name}: {with_data} of {len(queries)} queries with data "
          f"(panels with data: {panels_with_data} of {len(panels)}); empty: {'; '.join(empty_titles) or 'none'}")
    if args.min_data is not None and with_data < args.min_data:
        print(f"FAIL: {with_data} queries with data, at least {args.min_data} required")
        return 1
    if failures:
        print(f"FAIL: {len(failures)} quer{'y' if len(failures) == 1 else 'ies'} not as expected: "
              + "; ".join(dict.fromkeys(q.title for q in failures)))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
