using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using MetricsGen.CompilerServices;

namespace MetricsGen;

/// <summary>
/// .NET runtime metrics: every instrument of .NET's own <c>System.Runtime</c> meter, computed here on every target
/// framework, with the family names, types, units and labels that OpenTelemetry's Prometheus compatibility rules
/// give those instruments (<c>dotnet.gc.collections</c> → <c>dotnet_gc_collections_total</c>, up-down counters as
/// gauges without <c>_total</c>), so dashboards built for .NET's names work unchanged. Plus <c>dotnet_info</c>.
/// docs/collectors.md lists every family.
/// </summary>
/// <remarks>
/// Computed rather than bridged so that net8.0 (which has no <c>System.Runtime</c> meter) writes exactly what
/// net9.0+ would, and a scrape reads the runtime's counters directly instead of running the meter's callbacks.
/// </remarks>
public sealed class DotNetRuntimeCollector : IMetricSource
{
    /// <summary>The most exception types counted apart; further types share one overflow series, as the series limit does.</summary>
    internal const int MaxExceptionTypes = 2000;

    private static readonly MetricDescriptor Assemblies = new("dotnet_assembly_count", MetricType.Gauge, "Number of .NET assemblies currently loaded.");
    private static readonly MetricDescriptor Exceptions = new("dotnet_exceptions_total", MetricType.Counter, "Number of exceptions thrown in managed code, by exception type.");
    private static readonly MetricDescriptor GcCollections = new("dotnet_gc_collections_total", MetricType.Counter, "Number of garbage collections since the process started, by the generation collected.");
    private static readonly MetricDescriptor GcAllocated = new("dotnet_gc_heap_total_allocated_bytes_total", MetricType.Counter, "Approximate number of bytes allocated on the managed GC heap since the process started (native allocations excluded).", "bytes");
    private static readonly MetricDescriptor GcFragmentation = new("dotnet_gc_last_collection_heap_fragmentation_size_bytes", MetricType.Gauge, "Fragmentation of the managed GC heap as observed during the latest garbage collection, by generation.", "bytes");
    private static readonly MetricDescriptor GcHeapSize = new("dotnet_gc_last_collection_heap_size_bytes", MetricType.Gauge, "Managed GC heap size (fragmentation included) as observed during the latest garbage collection, by generation.", "bytes");
    private static readonly MetricDescriptor GcCommitted = new("dotnet_gc_last_collection_memory_committed_size_bytes", MetricType.Gauge, "Committed virtual memory in use by the GC as observed during the latest garbage collection.", "bytes");
    private static readonly MetricDescriptor GcPause = new("dotnet_gc_pause_time_seconds_total", MetricType.Counter, "Total time paused in garbage collection since the process started.", "seconds");
    private static readonly MetricDescriptor Info = new("dotnet_info", MetricType.Gauge, "Information about the .NET runtime: the value is always 1.");
    private static readonly MetricDescriptor JitTime = new("dotnet_jit_compilation_time_seconds_total", MetricType.Counter, "Time the JIT compiler spent compiling methods since the process started.", "seconds");
    private static readonly MetricDescriptor JitIlSize = new("dotnet_jit_compiled_il_size_bytes_total", MetricType.Counter, "Bytes of intermediate language compiled since the process started.", "bytes");
    private static readonly MetricDescriptor JitMethods = new("dotnet_jit_compiled_methods_total", MetricType.Counter, "Number of times the JIT compiler (re)compiled methods since the process started.");
    private static readonly MetricDescriptor LockContentions = new("dotnet_monitor_lock_contentions_total", MetricType.Counter, "Number of times there was contention acquiring a monitor lock since the process started.");
    private static readonly MetricDescriptor Cpus = new("dotnet_process_cpu_count", MetricType.Gauge, "Number of processors available to the process.");
    private static readonly MetricDescriptor CpuTime = new("dotnet_process_cpu_time_seconds_total", MetricType.Counter, "CPU time used by the process, by mode (user or system).", "seconds");
    private static readonly MetricDescriptor WorkingSet = new("dotnet_process_memory_working_set_bytes", MetricType.Gauge, "Bytes of physical memory mapped to the process context.", "bytes");
    private static readonly MetricDescriptor ThreadPoolQueue = new("dotnet_thread_pool_queue_length", MetricType.Gauge, "Number of work items currently queued to the thread pool.");
    private static readonly MetricDescriptor ThreadPoolThreads = new("dotnet_thread_pool_thread_count", MetricType.Gauge, "Number of thread pool threads that currently exist.");
    private static readonly MetricDescriptor ThreadPoolWorkItems = new("dotnet_thread_pool_work_item_count_total", MetricType.Counter, "Number of work items the thread pool has completed since the process started.");
    private static readonly MetricDescriptor Timers = new("dotnet_timer_count", MetricType.Gauge, "Number of timers currently active (registered to tick at some point in the future and not cancelled).");

    // In name order, as a generated class writes its families.
    private static readonly MetricDescriptor[] All =
    {
        Assemblies, Exceptions, GcCollections, GcAllocated, GcFragmentation, GcHeapSize, GcCommitted, GcPause, Info,
        JitTime, JitIlSize, JitMethods, LockContentions, Cpus, CpuTime, WorkingSet, ThreadPoolQueue, ThreadPoolThreads,
        ThreadPoolWorkItems, Timers,
    };

    // System.Runtime's values of gc.heap.generation, indexed by GCMemoryInfo.GenerationInfo's order.
    private static readonly byte[][] GenerationLabels =
    {
        "gc_heap_generation=\"gen0\""u8.ToArray(),
        "gc_heap_generation=\"gen1\""u8.ToArray(),
        "gc_heap_generation=\"gen2\""u8.ToArray(),
        "gc_heap_generation=\"loh\""u8.ToArray(),
        "gc_heap_generation=\"poh\""u8.ToArray(),
    };

    private static readonly byte[] UserMode = "cpu_mode=\"user\""u8.ToArray();
    private static readonly byte[] SystemMode = "cpu_mode=\"system\""u8.ToArray();

    private readonly byte[] _infoLabels;

    // GC.GetGCMemoryInfo(), Environment.WorkingSet, the assembly list (and on net8.0 the CPU times) allocate; one
    // reading serves every scrape within a second.
    private readonly object _readingLock = new();
    private readonly double[] _heapSizes = new double[GenerationLabels.Length];
    private readonly double[] _fragmentation = new double[GenerationLabels.Length];
    private int _heapGenerations;
    private bool _collected;
    private double _committedBytes;
    private double _workingSetBytes;
    private double _assemblies;
#if !NET9_0_OR_GREATER
    private double _userSeconds;
    private double _systemSeconds;
#endif
    private ReadingClock _clock;

    /// <summary>Creates the collector and starts counting thrown exceptions (once per process, whatever the number of collectors).</summary>
    public DotNetRuntimeCollector()
    {
        ExceptionCounter.Install();
        _infoLabels = new LabelSetBuilder()
            .Add("version"u8, Environment.Version.ToString())
            .Add("framework"u8, RuntimeInformation.FrameworkDescription)
            .ToArray();
    }

    /// <inheritdoc />
    public string SourceName => "dotnet";

    /// <inheritdoc />
    public IReadOnlyList<MetricDescriptor> Metrics => All;

    /// <inheritdoc />
    public void Collect(ref ExpositionWriter writer)
    {
        lock (_readingLock)
        {
            Refresh();
            writer.WriteSingle(Assemblies, _assemblies);
            ExceptionCounter.Write(ref writer, Exceptions);
            WriteCollections(ref writer);
            writer.WriteSingle(GcAllocated, GC.GetTotalAllocatedBytes());

            // As System.Runtime does, the last-collection figures have no sample until a collection has happened.
            WriteByGeneration(ref writer, GcFragmentation, _fragmentation);
            WriteByGeneration(ref writer, GcHeapSize, _heapSizes);
            if (writer.BeginFamily(GcCommitted) && _collected)
            {
                writer.WriteSample(GcCommitted, default, _committedBytes);
            }

            writer.WriteSingle(GcPause, GC.GetTotalPauseDuration().TotalSeconds);
            if (writer.BeginFamily(Info))
            {
                writer.WriteSample(Info, _infoLabels, 1);
            }

            writer.WriteSingle(JitTime, System.Runtime.JitInfo.GetCompilationTime().TotalSeconds);
            writer.WriteSingle(JitIlSize, System.Runtime.JitInfo.GetCompiledILBytes());
            writer.WriteSingle(JitMethods, System.Runtime.JitInfo.GetCompiledMethodCount());
            writer.WriteSingle(LockContentions, Monitor.LockContentionCount);
            writer.WriteSingle(Cpus, Environment.ProcessorCount);
            WriteCpuTime(ref writer);
            writer.WriteSingle(WorkingSet, _workingSetBytes);
            writer.WriteSingle(ThreadPoolQueue, ThreadPool.PendingWorkItemCount);
            writer.WriteSingle(ThreadPoolThreads, ThreadPool.ThreadCount);
            writer.WriteSingle(ThreadPoolWorkItems, ThreadPool.CompletedWorkItemCount);
            writer.WriteSingle(Timers, Timer.ActiveCount);
        }
    }

    private static void WriteCollections(ref ExpositionWriter writer)
    {
        if (!writer.BeginFamily(GcCollections))
        {
            return;
        }

        // GC.CollectionCount(n) counts collections of generation n and above; each series counts its generation alone.
        int max = Math.Min(GC.MaxGeneration, 2);
        for (int generation = 0; generation <= max; generation++)
        {
            long count = GC.CollectionCount(generation) - (generation < max ? GC.CollectionCount(generation + 1) : 0);
            writer.WriteSample(GcCollections, GenerationLabels[generation], count);
        }
    }

    private void WriteByGeneration(ref ExpositionWriter writer, MetricDescriptor descriptor, double[] values)
    {
        if (!writer.BeginFamily(descriptor) || !_collected)
        {
            return;
        }

        for (int i = 0; i < _heapGenerations; i++)
        {
            writer.WriteSample(descriptor, GenerationLabels[i], values[i]);
        }
    }

    private void WriteCpuTime(ref ExpositionWriter writer)
    {
        if (!writer.BeginFamily(CpuTime))
        {
            return;
        }

#if NET9_0_OR_GREATER
        Environment.ProcessCpuUsage usage = Environment.CpuUsage;
        writer.WriteSample(CpuTime, UserMode, usage.UserTime.TotalSeconds);
        writer.WriteSample(CpuTime, SystemMode, usage.PrivilegedTime.TotalSeconds);
#else
        writer.WriteSample(CpuTime, UserMode, _userSeconds);
        writer.WriteSample(CpuTime, SystemMode, _systemSeconds);
#endif
    }

    private void Refresh()
    {
        if (_clock.IsFresh)
        {
            return;
        }

        GCMemoryInfo memory = GC.GetGCMemoryInfo();
        _collected = memory.Index != 0;
        ReadOnlySpan<GCGenerationInfo> generations = memory.GenerationInfo;
        _heapGenerations = Math.Min(generations.Length, GenerationLabels.Length);
        for (int i = 0; i < _heapGenerations; i++)
        {
            _heapSizes[i] = generations[i].SizeAfterBytes;
            _fragmentation[i] = generations[i].FragmentationAfterBytes;
        }

        _committedBytes = memory.TotalCommittedBytes;
        _workingSetBytes = Environment.WorkingSet;
        _assemblies = AppDomain.CurrentDomain.GetAssemblies().Length;
#if !NET9_0_OR_GREATER
        using (var process = System.Diagnostics.Process.GetCurrentProcess())
        {
            _userSeconds = process.UserProcessorTime.TotalSeconds;
            _systemSeconds = process.PrivilegedProcessorTime.TotalSeconds;
        }
#endif
        _clock.MarkRead();
    }
}
