using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using MetricsGen;

// Records every instrument kind through the meters bridge, makes real HttpClient requests against a local exporter,
// and writes what the bridge exposes: OUTDIR/metrics.txt (Prometheus text 0.0.4), OUTDIR/metrics.om (OpenMetrics
// 1.0.0) and OUTDIR/expected.tsv (sample name, labels, value: what was recorded, for the parsers to compare).
// With --runtime it bridges the System.Runtime meter as well.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: MeterCheck OUTDIR [--runtime]");
    return 2;
}

string outDir = args[0];
bool runtime = Array.IndexOf(args, "--runtime") >= 0;
Directory.CreateDirectory(outDir);

var registry = new MetricRegistry();
var warnings = new List<Exception>();
registry.Warning += warnings.Add;
var names = new List<string> { "MeterCheck.*", "System.Net.Http" };
if (runtime)
{
    names.Add("System.Runtime");
}

using IDisposable bridge = registry.AddMeters(names.ToArray());
using var meter = new Meter("MeterCheck.Shop", "1.0");
var expected = new StringBuilder();
void Expect(string sample, string labels, double value) =>
    expected.Append(sample).Append('\t').Append(labels).Append('\t').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');

// Counter<long>, 2 string tags, in both orders.
Counter<long> orders = meter.CreateCounter<long>("shop.orders", "{order}", "Orders placed.");
orders.Add(3, new("shop.region", "eu"), new("payment.method", "card"));
orders.Add(2, new("payment.method", "card"), new("shop.region", "eu"));
orders.Add(1, new("shop.region", "us \"west\"\n2"), new("payment.method", "cash"));
Expect("shop_orders_total", "payment_method=card,shop_region=eu", 5);
Expect("shop_orders_total", "payment_method=cash,shop_region=us \"west\"\n2", 1);

// Counter<double> in bytes.
Counter<double> sent = meter.CreateCounter<double>("shop.sent", "By", "Bytes sent.");
sent.Add(1536.5);
Expect("shop_sent_bytes_total", "", 1536.5);

// UpDownCounter<int>.
UpDownCounter<int> carts = meter.CreateUpDownCounter<int>("shop.carts.open", "{cart}", "Open carts.");
carts.Add(7, new KeyValuePair<string, object?>("tier", "gold"));
carts.Add(-3, new KeyValuePair<string, object?>("tier", "gold"));
Expect("shop_carts_open", "tier=gold", 4);

// Histogram<double> with advice, in seconds, and without advice (the OpenTelemetry default buckets).
Histogram<double> checkout = meter.CreateHistogram<double>(
    "shop.checkout.duration", "s", "Checkout time.", tags: null,
    advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = new[] { 0.1, 0.5, 1, 5 } });
foreach (double seconds in new[] { 0.05, 0.3, 0.7, 2, 9 })
{
    checkout.Record(seconds, new KeyValuePair<string, object?>("outcome", "ok"));
}

Expect("shop_checkout_duration_seconds_count", "outcome=ok", 5);
Expect("shop_checkout_duration_seconds_sum", "outcome=ok", 0.05 + 0.3 + 0.7 + 2 + 9);
Expect("shop_checkout_duration_seconds_bucket", "le=0.5,outcome=ok", 2);
Expect("shop_checkout_duration_seconds_bucket", "le=+Inf,outcome=ok", 5);
Histogram<int> basket = meter.CreateHistogram<int>("shop.basket.items", "{item}", "Items per basket.");
basket.Record(3);
basket.Record(12);
Expect("shop_basket_items_count", "", 2);
Expect("shop_basket_items_bucket", "le=5.0", 1);

// Gauge<double> (.NET 9+), as a ratio.
Gauge<double> fill = meter.CreateGauge<double>("shop.warehouse.fill", "1", "Warehouse fill level.");
fill.Record(0.75, new KeyValuePair<string, object?>("site", "north"));
Expect("shop_warehouse_fill_ratio", "site=north", 0.75);

// Observable instruments, read at the scrape.
meter.CreateObservableCounter("shop.visits", () => new Measurement<long>(1234, new KeyValuePair<string, object?>("channel", "web")), "{visit}", "Visits so far.");
meter.CreateObservableUpDownCounter("shop.stock", () => 42L, "{item}", "Items in stock.");
meter.CreateObservableGauge("shop.temperature", () => 19.5, "Cel", "Shop temperature.");
Expect("shop_visits_total", "channel=web", 1234);
Expect("shop_stock", "", 42);
Expect("shop_temperature_celsius", "", 19.5);

// Bool, int and null tag values.
Counter<int> flagged = meter.CreateCounter<int>("shop.flagged", description: "Flagged orders.");
flagged.Add(1, new("manual", true), new("code", 7), new("note", null));
Expect("shop_flagged_total", "code=7,manual=true,note=", 1);

// HttpClient requests against a local server: the System.Net.Http meter.
await using (var exporter = new PrometheusExporter(new PrometheusExporterOptions { Host = "127.0.0.1", Port = 0 }, new MetricRegistry()))
{
    exporter.Start();
    using var client = new HttpClient();
    for (int i = 0; i < 2; i++)
    {
        await client.GetStringAsync($"http://127.0.0.1:{exporter.Port}/metrics");
    }

    Expect(
        "http_client_request_duration_seconds_count",
        $"http_request_method=GET,http_response_status_code=200,network_protocol_version=1.1,server_address=127.0.0.1,server_port={exporter.Port},url_scheme=http",
        2);
}

if (runtime)
{
    GC.Collect();
}

File.WriteAllText(Path.Combine(outDir, "metrics.txt"), registry.GenerateLatest());
File.WriteAllText(Path.Combine(outDir, "metrics.om"), registry.GenerateLatest(ExpositionFormat.OpenMetrics));
File.WriteAllText(Path.Combine(outDir, "expected.tsv"), expected.ToString().Replace("\n2\t", "\\n2\t", StringComparison.Ordinal));
foreach (Exception warning in warnings)
{
    Console.Error.WriteLine("warning: " + warning.Message);
}

Console.WriteLine($"wrote {outDir}/metrics.txt, metrics.om, expected.tsv; {warnings.Count} warnings");
return warnings.Count == 0 ? 0 : 1;
