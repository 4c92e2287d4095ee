using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading;
using MetricsGen.Runtime.Tests.Protobuf;

namespace MetricsGen.Runtime.Tests.Meters;

internal static class MeterTestSupport
{
    private static int s_next;

    /// <summary>A meter name no other test uses, so parallel tests never see each other's instruments.</summary>
    public static string UniqueName(string stem) => $"MetricsGen.Tests.{stem}.{Interlocked.Increment(ref s_next)}";

    public static string Text(MetricRegistry registry) => registry.GenerateLatest();

    public static string OpenMetrics(MetricRegistry registry) => registry.GenerateLatest(ExpositionFormat.OpenMetrics);

    public static List<WireMessage> Protobuf(MetricRegistry registry)
    {
        using var buffer = new PooledBufferWriter();
        registry.WriteTo(buffer, ExpositionFormat.Protobuf);
        return WireMessage.ReadDelimited(buffer.WrittenSpan.ToArray());
    }

    /// <summary>The sample lines of the text exposition whose sample name is <paramref name="name"/>.</summary>
    public static string[] Samples(string exposition, string name) =>
        exposition.Split('\n').Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal)).ToArray();

    public static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);

    /// <summary>Collects what the registry reports through its warning hook.</summary>
    public sealed class Warnings
    {
        private readonly List<Exception> _seen = new();

        public Warnings(MetricRegistry registry) => registry.Warning += error =>
        {
            lock (_seen)
            {
                _seen.Add(error);
            }
        };

        public Exception[] All
        {
            get
            {
                lock (_seen)
                {
                    return _seen.ToArray();
                }
            }
        }
    }
}
