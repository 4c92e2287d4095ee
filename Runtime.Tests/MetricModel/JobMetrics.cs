using System.Collections.Generic;
using System.Threading;

namespace MetricsGen.Runtime.Tests.MetricModel;

public enum JobState { Idle, Running, [LabelValue("failed_hard")] Failed }

/// <summary>The metric model issue's example, compiled through the generator as users compile it.</summary>
[GatewayMetric(Prefix = "jobs")]
public sealed partial class JobMetrics
{
    private readonly Queue<string> _queue = new();
    private long _bytesRead;

    [Summary("latency_seconds", Help = "Job latency.", Quantiles = new[] { 0.5, 0.9, 0.99 })]
    public partial Summary Latency(string queue);

    [Summary("payload_bytes", Help = "Payload sizes, count and sum only.")]
    public partial Summary Payload { get; }

    [Info("build", Help = "Build information.")]
    public partial void SetBuildInfo(string version, string commit);

    [StateSet("state", Help = "Scheduler state.")]
    public partial StateSet<JobState> State { get; }

    [StateSet("queue_state", Help = "State per queue.")]
    public partial StateSet<JobState> QueueState(string queue);

    [Counter("runs_total", Help = "Runs.", Exemplars = true)]
    public partial Counter Runs(string queue);

    [Histogram("run_seconds", Help = "Run time.", Buckets = new[] { 0.1, 1.0, 10.0 }, Exemplars = true)]
    public partial Histogram RunTime { get; }

    [Gauge("queue_depth", Help = "Jobs waiting, read at scrape.")]
    public int QueueDepth => _queue.Count;

    [Counter("bytes_read_total", Help = "Bytes read, from another component's counter.")]
    public long BytesRead() => Interlocked.Read(ref _bytesRead);

    public void Enqueue(string job) => _queue.Enqueue(job);

    public void Read(long bytes) => Interlocked.Add(ref _bytesRead, bytes);
}
