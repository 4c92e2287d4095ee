"""Replays the Sample's random traffic in Python, so that the checks know every latency it observed.

The Sample draws its requests from `new Random(2026)` (Sample/SampleServer.cs) in Traffic.RecordRandomRequest
(Sample/Traffic.cs). A seeded System.Random keeps the .NET Framework algorithm for compatibility (Knuth's
subtractive generator, "Net5CompatSeedImpl"), so the same draws in the same order give the same requests. The ledger
holds only each latency series' _count and _sum; `replay_latencies` returns the observations themselves, and
`matches_ledger` says whether the replay still agrees with the ledger (count exactly, sum bit for bit when summed in
the same order) — when Traffic.cs changes, it stops agreeing and the checks that need observations say so.
"""
import math

INT_MAX = 2**31 - 1
SEED = 2026
MODELS = (
    ("openai", "gpt-4o"),
    ("openai", "gpt-4o-mini"),
    ("anthropic", "claude-sonnet-4"),
    ("openai", "text-embedding-3-small"),
    ("local", "llama-3-8b"),
)
TOOLS = 4  # Traffic.Tools: three names and null
LATENCY = "ractogateway_request_duration_seconds"


class CompatRandom:
    """System.Random(int seed): the subtractive generator of .NET Framework, kept by .NET for seeded instances."""

    def __init__(self, seed):
        table = [0] * 56
        subtraction = INT_MAX if seed == -2**31 else abs(seed)
        mj = 161803398 - subtraction
        table[55] = mj
        mk = 1
        ii = 0
        for _ in range(1, 55):
            ii += 21
            if ii >= 55:
                ii -= 55
            table[ii] = mk
            mk = mj - mk
            if mk < 0:
                mk += INT_MAX
            mj = table[ii]
        for _ in range(1, 5):
            for i in range(1, 56):
                n = i + 30
                if n >= 55:
                    n -= 55
                table[i] -= table[1 + n]
                if table[i] < 0:
                    table[i] += INT_MAX
        self._table, self._next, self._nextp = table, 0, 21

    def _internal(self):
        index = self._next + 1 if self._next + 1 < 56 else 1
        other = self._nextp + 1 if self._nextp + 1 < 56 else 1
        value = self._table[index] - self._table[other]
        if value == INT_MAX:
            value -= 1
        if value < 0:
            value += INT_MAX
        self._table[index] = value
        self._next, self._nextp = index, other
        return value

    def next_double(self):
        return self._internal() * (1.0 / INT_MAX)

    def next(self, low, high=None):
        """Next(maxValue) when called with one argument, Next(minValue, maxValue) with two."""
        if high is None:
            low, high = 0, low
        return int(self.next_double() * (high - low)) + low


def round3(value):
    """Math.Round(value, 3): scale, round half to even, scale back (what .NET does below 1e16)."""
    return round(value * 1000.0) / 1000.0


def replay_latencies(requests):
    """{(provider, model, operation): [latency, ...]} of the first `requests` random requests, in recording order."""
    random = CompatRandom(SEED)
    observed = {}
    for _ in range(requests):
        provider, model = MODELS[random.next(len(MODELS))]
        if model.startswith("text-embedding"):
            operation = "embed"
        else:
            operation = "stream" if random.next(3) == 0 else "chat"
        ok = random.next(20) != 0
        first = random.next_double()
        second = random.next_double()
        latency = round3(0.02 + first * second * 12)
        if ok:
            random.next(50, 4000)  # input tokens
        if ok and operation != "embed":
            random.next(10, 1500)  # output tokens
        if operation == "chat" and random.next(3) == 0:
            random.next(TOOLS)  # the tool called
        if random.next(2) == 0:
            random.next(2)  # exact or semantic cache
            random.next(3)  # hit or miss
        observed.setdefault((provider, model, operation), []).append(latency)
    return observed


def matches_ledger(observed, expected):
    """Problems between the replay and the ledger's latency _count and _sum; none when the replay is faithful."""
    problems = []
    ledger = {}
    for entry in expected:
        if entry["name"] in (LATENCY + "_count", LATENCY + "_sum"):
            labels = entry["labels"]
            key = (labels.get("provider"), labels.get("model"), labels.get("operation"))
            ledger.setdefault(key, {})[entry["name"].rsplit("_", 1)[1]] = float(entry["value"])
    for key in sorted(set(ledger) | set(observed)):
        values = observed.get(key, [])
        total = 0.0
        for value in values:  # the Sample adds in recording order; so does this
            total += value
        want = ledger.get(key, {})
        if want.get("count") != len(values) or not math.isclose(want.get("sum", math.nan), total, rel_tol=1e-12):
            problems.append(f"{key}: ledger count {want.get('count')} sum {want.get('sum')}, "
                            f"replay count {len(values)} sum {total}")
    return problems
