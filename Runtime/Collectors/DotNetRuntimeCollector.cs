using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using MetricsGen.CompilerServices;

namespace MetricsGen;

/// <summary>
/// .NET runtime metrics, named after the OpenTelemetry semantic conventions for .NET runtime metrics
/// (<c>dotnet.gc.collections</c> → <c>dotnet_gc_collections_total</c>, …) in Prometheus form.
/// The README lists every family.
/// </summary>
public sealed class DotNetRuntimeCollector : IMetricSource
{
    private static readonly MetricDescriptor GcCollections = new("dotnet_gc_collections_total", MetricType.Counter, "Number of garbage collections that have occurred since the process started, by generation.");
    private static readonly MetricDescriptor GcAllocated = new("dotnet_gc_heap_total_allocated_bytes_total", MetricType.Counter, "Approximate number of bytes allocated on the managed GC heap since the process started.", "bytes");
    private static readonly MetricDescriptor GcHeapSize = new("dotnet_gc_last_collection_heap_size_bytes", MetricType.Gauge, "Managed GC heap size (including fragmentation) as observed during the latest garbage collection, by generation.", "bytes");
    private static readonly MetricDescriptor GcCommitted = new("dotnet_gc_last_collection_memory_committed_size_bytes", MetricType.Gauge, "Memory committed by the GC as observed during the latest garbage collection.", "bytes");
    private static readonly MetricDescriptor GcPause = new("dotnet_gc_pause_time_seconds_total", MetricType.Counter, "Total time paused in garbage collection since the process started.", "seconds");
    private static readonly MetricDescriptor JitIlSize = new("dotnet_jit_compiled_il_size_bytes_total", MetricType.Counter, "Count of bytes of intermediate language compiled since the process started.", "bytes");
    private static readonly MetricDescriptor JitMethods = new("dotnet_jit_compiled_methods_total", MetricType.Counter, "Number of times the JIT compiler (re)compiled methods since the process started.");
    private static readonly MetricDescriptor JitTime = new("dotnet_jit_compilation_time_seconds_total", MetricType.Counter, "Time the JIT compiler spent compiling methods since the process started.", "seconds");
    private static readonly MetricDescriptor LockContentions = new("dotnet_monitor_lock_contentions_total", MetricType.Counter, "Number of times there was contention when trying to acquire a monitor lock since the process started.");
    private static readonly MetricDescriptor ThreadPoolThreads = new("dotnet_thread_pool_threads", MetricType.Gauge, "Number of thread pool threads that currently exist (OpenTelemetry: dotnet.thread_pool.thread.count).");
    private static readonly MetricDescriptor ThreadPoolWorkItems = new("dotnet_thread_pool_work_items_total", MetricType.Counter, "Number of work items that the thread pool has completed since the process started.");
    private static readonly MetricDescriptor ThreadPoolQueue = new("dotnet_thread_pool_queue_length", MetricType.Gauge, "Number of work items currently queued to be processed by the thread pool.");
    private static readonly MetricDescriptor Timers = new("dotnet_timers", MetricType.Gauge, "Number of timer instances that are currently active (OpenTelemetry: dotnet.timer.count).");
    private static readonly MetricDescriptor Exceptions = new("dotnet_exceptions_total", MetricType.Counter, "Number of exceptions that have been thrown in managed code.");
    private static readonly MetricDescriptor Cpus = new("dotnet_process_cpus", MetricType.Gauge, "Number of processors available to the process (OpenTelemetry: dotnet.process.cpu.count).");
    private static readonly MetricDescriptor WorkingSet = new("dotnet_process_memory_working_set_bytes", MetricType.Gauge, "Number of bytes of physical memory mapped to the process context.", "bytes");
    private static readonly MetricDescriptor Info = new("dotnet_info", MetricType.Gauge, "Information about the .NET runtime: the value is always 1.");

    private static readonly MetricDescriptor[] All =
    {
        Exceptions, GcCollections, GcAllocated, GcHeapSize, GcCommitted, GcPause, Info, JitIlSize, JitMethods,
        JitTime, LockContentions, Cpus, WorkingSet, ThreadPoolQueue, ThreadPoolThreads, ThreadPoolWorkItems, Timers,
    };

    private static readonly byte[][] CollectionGenerationLabels =
    {
        "gc_heap_generation=\"gen0\""u8.ToArray(),
        "gc_heap_generation=\"gen1\""u8.ToArray(),
        "gc_heap_generation=\"gen2\""u8.ToArray(),
    };

    private static readonly byte[][] HeapGenerationLabels =
    {
        "gc_heap_generation=\"gen0\""u8.ToArray(),
        "gc_heap_generation=\"gen1\""u8.ToArray(),
        "gc_heap_generation=\"gen2\""u8.ToArray(),
        "gc_heap_generation=\"loh\""u8.ToArray(),
        "gc_heap_generation=\"poh\""u8.ToArray(),
    };

    private static long s_exceptions;
    private static int s_exceptionHookInstalled;

    private readonly byte[] _infoLabels;

    // GC.GetGCMemoryInfo() and Environment.WorkingSet allocate; one reading serves every scrape within a second.
    private readonly object _memoryLock = new();
    private readonly double[] _heapSizes = new double[5];
    private int _heapGenerations;
    private double _committedBytes;
    private double _workingSetBytes;
    private ReadingClock _memoryClock;

    /// <summary>Creates the collector and starts counting thrown exceptions.</summary>
    public DotNetRuntimeCollector()
    {
        if (Interlocked.Exchange(ref s_exceptionHookInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.FirstChanceException += CountException;
        }

        var labels = new LabelSetBuilder()
            .Add("version"u8, Environment.Version.ToString())
            .Add("framework"u8, RuntimeInformation.FrameworkDescription);
        _infoLabels = labels.ToArray();
    }

    /// <inheritdoc />
    public string SourceName => "dotnet";

    /// <inheritdoc />
    public IReadOnlyList<MetricDescriptor> Metrics => All;

    /// <inheritdoc />
    public void Collect(ref ExpositionWriter writer)
    {
        writer.WriteSingle(Exceptions, Volatile.Read(ref s_exceptions));

        if (writer.BeginFamily(GcCollections))
        {
            // GC.CollectionCount(n) counts collections of generation n and above; the convention counts each generation alone.
            int max = Math.Min(GC.MaxGeneration, 2);
            for (int generation = 0; generation <= max; generation++)
            {
                long count = GC.CollectionCount(generation) - (generation < max ? GC.CollectionCount(generation + 1) : 0);
                writer.WriteSample(GcCollections, CollectionGenerationLabels[generation], count);
            }
        }

        writer.WriteSingle(GcAllocated, GC.GetTotalAllocatedBytes());

        lock (_memoryLock)
        {
            RefreshMemoryReading();
            if (writer.BeginFamily(GcHeapSize))
            {
                for (int i = 0; i < _heapGenerations; i++)
                {
                    writer.WriteSample(GcHeapSize, HeapGenerationLabels[i], _heapSizes[i]);
                }
            }

            writer.WriteSingle(GcCommitted, _committedBytes);
            writer.WriteSingle(WorkingSet, _workingSetBytes);
        }

        writer.WriteSingle(GcPause, GC.GetTotalPauseDuration().TotalSeconds);

        if (writer.BeginFamily(Info))
        {
            writer.WriteSample(Info, _infoLabels, 1);
        }

        writer.WriteSingle(JitIlSize, System.Runtime.JitInfo.GetCompiledILBytes());
        writer.WriteSingle(JitMethods, System.Runtime.JitInfo.GetCompiledMethodCount());
        writer.WriteSingle(JitTime, System.Runtime.JitInfo.GetCompilationTime().TotalSeconds);
        writer.WriteSingle(LockContentions, Monitor.LockContentionCount);
        writer.WriteSingle(Cpus, Environment.ProcessorCount);
        writer.WriteSingle(ThreadPoolQueue, ThreadPool.PendingWorkItemCount);
        writer.WriteSingle(ThreadPoolThreads, ThreadPool.ThreadCount);
        writer.WriteSingle(ThreadPoolWorkItems, ThreadPool.CompletedWorkItemCount);
        writer.WriteSingle(Timers, Timer.ActiveCount);
    }

    private void RefreshMemoryReading()
    {
        if (_memoryClock.IsFresh)
        {
            return;
        }

        GCMemoryInfo memory = GC.GetGCMemoryInfo();
        ReadOnlySpan<GCGenerationInfo> generations = memory.GenerationInfo;
        _heapGenerations = Math.Min(generations.Length, _heapSizes.Length);
        for (int i = 0; i < _heapGenerations; i++)
        {
            _heapSizes[i] = generations[i].SizeAfterBytes;
        }

        _committedBytes = memory.TotalCommittedBytes;
        _workingSetBytes = Environment.WorkingSet;
        _memoryClock.MarkRead();
    }

    private static void CountException(object? sender, FirstChanceExceptionEventArgs e) => Interlocked.Increment(ref s_exceptions);
}
