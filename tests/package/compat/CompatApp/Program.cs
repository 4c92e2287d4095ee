using CompatLib;
using MetricsGen;

// Runs the library's generated members against whatever MetricsGen this app references, and checks the scrape.
var registry = new MetricRegistry();
var metrics = new LibraryMetrics(registry);
metrics.Exercise();
string text = registry.GenerateLatest();
string openMetrics = registry.GenerateLatest(ExpositionFormat.OpenMetrics);

string[] expected =
{
    "compat_requests_total{route=\"/a\",tier=\"free\"} 1\n",
    "compat_requests_total{route=\"/a\",tier=\"paid-plan\"} 2\n",
    "compat_flags_total{on=\"true\",code=\"200\"} 1\n",
    "compat_flags_total{metricsgen_overflow=\"true\"} ",
    "compat_plain_total 1\n",
    "compat_traced_total{queue=\"q\"} 1\n",
    "compat_sessions_total{user=\"ann\"} 1\n",
    "compat_in_flight 3\n",
    "compat_temperature_celsius{room=\"hall\"} 19\n",
    "compat_latency_seconds_count{tier=\"free\"} 1\n",
    "compat_latency_seconds_count{tier=\"paid-plan\"} 1\n",
    "compat_size_bytes_count 1\n",
    "compat_work_seconds_count{queue=\"q\"} 2\n",
    "compat_phase{compat_phase=\"running\"} 1\n",
    "compat_build_info{version=\"1.2.3\",commit=\"abc123\"} 1\n",
    "compat_queue_depth 7\n",
    "compat_bytes_read_total 42\n",
};
string[] absent = { "user=\"bob\"", "room=\"lab\"", "room=\"attic\"" };
var problems = new List<string>();
problems.AddRange(expected.Where(line => !text.Contains(line, StringComparison.Ordinal)).Select(line => "missing: " + line.TrimEnd()));
problems.AddRange(absent.Where(fragment => text.Contains(fragment, StringComparison.Ordinal)).Select(fragment => "still present: " + fragment));
foreach (string exemplar in new[] { "# {trace_id=\"abc\"} 1", "# {trace_id=\"def\"} 0.5" })
{
    if (!openMetrics.Contains(exemplar, StringComparison.Ordinal))
    {
        problems.Add("no exemplar: " + exemplar);
    }
}

if (problems.Count > 0)
{
    Console.Error.WriteLine(string.Join(Environment.NewLine, problems));
    Console.Error.WriteLine(text);
    return 1;
}

Console.WriteLine($"ok: {expected.Length} samples and 2 exemplars from a library built against MetricsGen {typeof(LibraryMetrics).Assembly.GetReferencedAssemblies().First(a => a.Name == "MetricsGen").Version}, run on {typeof(MetricRegistry).Assembly.GetName().Version}");
return 0;
