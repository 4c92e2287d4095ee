using System;
using System.Threading;
using MetricsGen;

namespace CompatLib;

public enum Tier
{
    Free,
    [LabelValue("paid-plan")] Paid,
}

public enum Phase
{
    Idle,
    Running,
}

/// <summary>Every kind of generated member, compiled against the 1.0.0 package and run on a later one.</summary>
[GatewayMetric(Prefix = "compat")]
public sealed partial class LibraryMetrics
{
    private long _bytes;

    [Counter("requests_total", Help = "Requests by route and tier.")]
    public partial Counter Requests(string route, Tier tier);

    [Counter("flags_total", Help = "By bool and integer labels.", MaxSeries = 3)]
    public partial Counter Flags(bool on, int code);

    [Counter("plain_total", Help = "Unlabelled counter.")]
    public partial Counter Plain { get; }

    [Counter("traced_total", Help = "Counter with exemplars.", Exemplars = true)]
    public partial Counter Traced(string queue);

    [Counter("sessions_total", Help = "Expiring series.", ExpireAfterSeconds = 300)]
    public partial Counter Sessions(string user);

    [Gauge("in_flight", Help = "Requests in flight.")]
    public partial Gauge InFlight { get; }

    [Gauge("temperature_celsius", Help = "Labelled gauge.", Unit = "celsius")]
    public partial Gauge Temperature(string room);

    [Histogram("latency_seconds", Help = "Classic histogram.", Unit = "seconds", Buckets = new[] { 0.1, 1.0, 10.0 }, Exemplars = true)]
    public partial Histogram Latency(Tier tier);

    [Histogram("size_bytes", Help = "Native and classic.", Native = true, Buckets = new[] { 100.0, 1000.0 })]
    public partial Histogram Size { get; }

    [Summary("work_seconds", Help = "Summary with quantiles.", Quantiles = new[] { 0.5, 0.9 })]
    public partial Summary Work(string queue);

    [StateSet("phase", Help = "Current phase.")]
    public partial StateSet<Phase> CurrentPhase { get; }

    [Info("build", Help = "Build information.")]
    public partial void SetBuildInfo(string version, string commit);

    [Gauge("queue_depth", Help = "Read at scrape.")]
    public int QueueDepth => 7;

    [Counter("bytes_read_total", Help = "Read at scrape.")]
    public long BytesRead() => Interlocked.Read(ref _bytes);

    /// <summary>Uses every generated member once.</summary>
    public void Exercise()
    {
        Requests("/a", Tier.Free).Inc();
        Requests("/a", Tier.Paid).Inc(2);
        Flags(true, 200).Inc();
        Flags(false, 500).Inc();
        for (int i = 0; i < 5; i++)
        {
            Flags(true, 1000 + i).Inc();
        }

        Plain.Inc();
        Traced("q").Inc(1, new Exemplar("trace_id", "abc"));
        Sessions("ann").Inc();
        Sessions("bob").Inc();
        RemoveSessions("bob");
        using (InFlight.TrackInProgress())
        {
        }

        InFlight.Set(3);
        Temperature("lab").Set(21.5);
        Temperature("attic").Set(30);
        ClearTemperature();
        Temperature("hall").Set(19);
        Latency(Tier.Free).Observe(0.5, new Exemplar("trace_id", "def"));
        using (Latency(Tier.Paid).NewTimer())
        {
        }

        Size.Observe(250);
        Work("q").Observe(0.2);
        using (Work("q").NewTimer())
        {
        }

        CurrentPhase.Set(Phase.Running);
        SetBuildInfo("1.2.3", "abc123");
        Interlocked.Add(ref _bytes, 42);
    }
}
