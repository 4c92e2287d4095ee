using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace MetricsGen;

/// <summary>
/// Process metrics with the names of the Prometheus clients, read from <c>/proc</c> on Linux at each scrape:
/// <c>prometheus_client</c>'s <c>process_cpu_seconds_total</c>, <c>process_resident_memory_bytes</c>,
/// <c>process_virtual_memory_bytes</c>, <c>process_start_time_seconds</c>, <c>process_open_fds</c> (open handles),
/// <c>process_max_fds</c>; client_golang's <c>process_virtual_memory_max_bytes</c>,
/// <c>process_network_receive_bytes_total</c>, <c>process_network_transmit_bytes_total</c>; prometheus-net's
/// <c>process_num_threads</c>. Elsewhere it writes nothing. Reading <c>/proc</c> allocates, so one reading serves every scrape within a second:
/// values are at most one second old, and a scraper hammering the endpoint costs no extra file reads.
/// </summary>
public sealed class ProcessCollector : IMetricSource
{
    // USER_HZ is 100 on every Linux architecture .NET runs on; /proc reports CPU time in these ticks.
    private const double TicksPerSecond = 100;

    private static readonly MetricDescriptor CpuSeconds = new("process_cpu_seconds_total", MetricType.Counter, "Total user and system CPU time spent in seconds.", "seconds");
    private static readonly MetricDescriptor ResidentMemory = new("process_resident_memory_bytes", MetricType.Gauge, "Resident memory size in bytes.", "bytes");
    private static readonly MetricDescriptor VirtualMemory = new("process_virtual_memory_bytes", MetricType.Gauge, "Virtual memory size in bytes.", "bytes");
    private static readonly MetricDescriptor StartTime = new("process_start_time_seconds", MetricType.Gauge, "Start time of the process since unix epoch in seconds.", "seconds");
    private static readonly MetricDescriptor OpenFds = new("process_open_fds", MetricType.Gauge, "Number of open file descriptors.");
    private static readonly MetricDescriptor MaxFds = new("process_max_fds", MetricType.Gauge, "Maximum number of open file descriptors.");
    private static readonly MetricDescriptor MaxVirtualMemory = new("process_virtual_memory_max_bytes", MetricType.Gauge, "Maximum amount of virtual memory available in bytes.", "bytes");
    private static readonly MetricDescriptor NetworkReceived = new("process_network_receive_bytes_total", MetricType.Counter, "Number of bytes received over the network by the process' network namespace.", "bytes");
    private static readonly MetricDescriptor NetworkTransmitted = new("process_network_transmit_bytes_total", MetricType.Counter, "Number of bytes sent over the network by the process' network namespace.", "bytes");
    private static readonly MetricDescriptor Threads = new("process_num_threads", MetricType.Gauge, "Number of operating system threads of the process.");

    private static readonly MetricDescriptor[] All =
    {
        CpuSeconds, OpenFds, MaxFds, NetworkReceived, NetworkTransmitted, Threads, ResidentMemory, StartTime,
        VirtualMemory, MaxVirtualMemory,
    };

    private const string ProcessDirectory = "/proc/self";
    private const string ProcRoot = "/proc";

    private readonly object _readingLock = new();
    private double? _bootTimeSeconds;
    private Reading _reading;
    private ReadingClock _clock;

    /// <summary>Creates the collector for the current process.</summary>
    public ProcessCollector()
    {
    }

    /// <inheritdoc />
    public string SourceName => "process";

    /// <inheritdoc />
    public IReadOnlyList<MetricDescriptor> Metrics => All;

    /// <inheritdoc />
    public void Collect(ref ExpositionWriter writer)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(Path.Combine(ProcessDirectory, "stat")))
        {
            return;
        }

        Reading reading = CurrentReading();
        writer.WriteSingle(CpuSeconds, reading.CpuSeconds);
        writer.WriteSingle(OpenFds, reading.OpenFds);
        writer.WriteSingle(MaxFds, reading.MaxFds);
        if (writer.BeginFamily(NetworkReceived) && reading.Network is { } received)
        {
            writer.WriteSample(NetworkReceived, default, received.Received);
        }

        if (writer.BeginFamily(NetworkTransmitted) && reading.Network is { } sent)
        {
            writer.WriteSample(NetworkTransmitted, default, sent.Transmitted);
        }

        writer.WriteSingle(Threads, reading.Threads);
        writer.WriteSingle(ResidentMemory, reading.ResidentBytes);
        writer.WriteSingle(StartTime, reading.StartTimeSeconds);
        writer.WriteSingle(VirtualMemory, reading.VirtualBytes);
        writer.WriteSingle(MaxVirtualMemory, reading.MaxVirtualBytes);
    }

    private Reading CurrentReading()
    {
        lock (_readingLock)
        {
            if (_clock.IsFresh)
            {
                return _reading;
            }

            ProcessStat stat = ReadStat();
            _reading = new Reading(
                CpuSeconds: (stat.UserTicks + stat.SystemTicks) / TicksPerSecond,
                OpenFds: CountOpenFds(),
                MaxFds: ReadLimit("Max open files"),
                MaxVirtualBytes: ReadLimit("Max address space"),
                Threads: stat.Threads,
                Network: ReadNetwork(),
                ResidentBytes: stat.ResidentPages * (double)Environment.SystemPageSize,
                StartTimeSeconds: ReadBootTime() + stat.StartTicks / TicksPerSecond,
                VirtualBytes: stat.VirtualBytes);
            _clock.MarkRead();
            return _reading;
        }
    }

    private ProcessStat ReadStat()
    {
        // The command name (field 2) may hold spaces and parentheses, so fields are counted after the last ')'.
        string text = File.ReadAllText(Path.Combine(ProcessDirectory, "stat"));
        string[] fields = text.Substring(text.LastIndexOf(')') + 2).Split(' ');

        // fields[0] is field 3 (state) of proc(5).
        return new ProcessStat(
            UserTicks: ParseField(fields, 14),
            SystemTicks: ParseField(fields, 15),
            Threads: ParseField(fields, 20),
            StartTicks: ParseField(fields, 22),
            VirtualBytes: ParseField(fields, 23),
            ResidentPages: ParseField(fields, 24));
    }

    private static double ParseField(string[] fields, int procField) =>
        double.Parse(fields[procField - 3], NumberStyles.Float, CultureInfo.InvariantCulture);

    private double ReadBootTime()
    {
        if (_bootTimeSeconds is double known)
        {
            return known;
        }

        foreach (string line in File.ReadLines(Path.Combine(ProcRoot, "stat")))
        {
            if (line.StartsWith("btime ", StringComparison.Ordinal))
            {
                double boot = double.Parse(line.AsSpan(6), NumberStyles.Float, CultureInfo.InvariantCulture);
                _bootTimeSeconds = boot;
                return boot;
            }
        }

        return 0;
    }

    private double CountOpenFds()
    {
        int count = 0;
        foreach (string _ in Directory.EnumerateFileSystemEntries(Path.Combine(ProcessDirectory, "fd")))
        {
            count++;
        }

        return count;
    }

    // The soft limit of a /proc/self/limits line; "unlimited" is +Inf.
    private static double ReadLimit(string limit)
    {
        foreach (string line in File.ReadLines(Path.Combine(ProcessDirectory, "limits")))
        {
            if (line.StartsWith(limit, StringComparison.Ordinal))
            {
                string[] parts = line.Substring(limit.Length).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 0 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double soft)
                    ? soft
                    : double.PositiveInfinity;
            }
        }

        return double.NaN;
    }

    // IpExt's InOctets and OutOctets of /proc/self/net/netstat, as client_golang reads them: the bytes of the whole
    // network namespace the process is in (in a container, the container's). A header line names the fields, the
    // next line holds the values.
    private static NetworkBytes? ReadNetwork()
    {
        string path = Path.Combine(ProcessDirectory, "net", "netstat");
        if (!File.Exists(path))
        {
            return null;
        }

        string[]? header = null;
        foreach (string line in File.ReadLines(path))
        {
            if (!line.StartsWith("IpExt:", StringComparison.Ordinal))
            {
                continue;
            }

            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (header is null)
            {
                header = fields;
                continue;
            }

            int received = Array.IndexOf(header, "InOctets");
            int sent = Array.IndexOf(header, "OutOctets");
            if (received <= 0 || sent <= 0 || received >= fields.Length || sent >= fields.Length)
            {
                return null;
            }

            return new NetworkBytes(
                double.Parse(fields[received], NumberStyles.Float, CultureInfo.InvariantCulture),
                double.Parse(fields[sent], NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return null;
    }

    private readonly record struct Reading(
        double CpuSeconds,
        double OpenFds,
        double MaxFds,
        double MaxVirtualBytes,
        double Threads,
        NetworkBytes? Network,
        double ResidentBytes,
        double StartTimeSeconds,
        double VirtualBytes);

    private readonly record struct NetworkBytes(double Received, double Transmitted);

    private readonly record struct ProcessStat(double UserTicks, double SystemTicks, double Threads, double StartTicks, double VirtualBytes, double ResidentPages);
}
