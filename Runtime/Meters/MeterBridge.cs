using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Threading;

namespace MetricsGen.Meters;

/// <summary>
/// Bridges the instruments of chosen <see cref="Meter"/>s into a registry (<see cref="MetricRegistry.AddMeters"/>):
/// one <see cref="MeterListener"/> whose published instruments become families, each with a <see cref="Recorder"/>
/// as the listener's per-instrument state, so a measurement goes straight to its family's series.
/// </summary>
internal sealed class MeterBridge : IDisposable
{
    private readonly MetricRegistry _registry;
    private readonly string[] _exact;
    private readonly string[] _prefixes;
    private readonly string[] _excludedExact;
    private readonly string[] _excludedPrefixes;
    private readonly MeterListener _listener;
    private readonly ObservableReader _reader;

    // Guards the families, the reports and the disposal; never held while calling into the listener.
    private readonly object _lock = new();
    private readonly Dictionary<string, BridgedFamily> _families = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    // The families with observable instruments, read by every scrape without a lock.
    private BridgedFamily[] _observed = Array.Empty<BridgedFamily>();
    private bool _disposed;

    public MeterBridge(MetricRegistry registry, string[] meterNames)
    {
        ArgumentNullException.ThrowIfNull(meterNames);
        if (meterNames.Length == 0)
        {
            throw new ArgumentException("Name at least one meter (an exact name, or a prefix ending in '*').", nameof(meterNames));
        }

        var exact = new List<string>();
        var prefixes = new List<string>();
        var excludedExact = new List<string>();
        var excludedPrefixes = new List<string>();
        foreach (string? entry in meterNames)
        {
            bool excluded = entry is not null && entry.StartsWith('!');
            string? name = excluded ? entry!.Substring(1) : entry;
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("A meter name is null or empty.", nameof(meterNames));
            }

            if (name.EndsWith('*'))
            {
                (excluded ? excludedPrefixes : prefixes).Add(name.Substring(0, name.Length - 1));
            }
            else
            {
                (excluded ? excludedExact : exact).Add(name);
            }
        }

        if (exact.Count == 0 && prefixes.Count == 0)
        {
            throw new ArgumentException("Name at least one meter to bridge; '!' entries only leave meters out.", nameof(meterNames));
        }

        _registry = registry;
        _exact = exact.ToArray();
        _prefixes = prefixes.ToArray();
        _excludedExact = excludedExact.ToArray();
        _excludedPrefixes = excludedPrefixes.ToArray();
        _reader = new ObservableReader(this, "meters(" + string.Join(",", meterNames) + ")");

        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = OnMeasurementsCompleted,
        };
        // The state is always the Recorder this bridge passed to EnableMeasurementEvents: no cast check per measurement.
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => Unsafe.As<Recorder>(state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => Unsafe.As<Recorder>(state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => Unsafe.As<Recorder>(state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => Unsafe.As<Recorder>(state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => Unsafe.As<Recorder>(state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => Unsafe.As<Recorder>(state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => Unsafe.As<Recorder>(state!).Record((double)value, tags));

        // Before any family: a scrape reads the observable instruments first, then writes their families.
        registry.Register(_reader);
        _listener.Start();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        // Completes every instrument (OnMeasurementsCompleted); no measurement arrives afterwards.
        _listener.Dispose();
        lock (_lock)
        {
            foreach (BridgedFamily family in _families.Values)
            {
                _registry.Unregister(family);
            }

            _families.Clear();
            Volatile.Write(ref _observed, Array.Empty<BridgedFamily>());
        }

        _registry.Unregister(_reader);
    }

    private bool Bridges(string meterName)
    {
        if (Matches(meterName, _excludedExact, _excludedPrefixes) || !Matches(meterName, _exact, _prefixes))
        {
            return false;
        }

        // DotNetRuntimeCollector computes every System.Runtime instrument under the same names: bridging them too
        // would only clash, so a registry holding it (MetricRegistry.Default) keeps the collector's and skips the meter.
        return meterName != "System.Runtime" || !_registry.HoldsRuntimeCollector();
    }

    private static bool Matches(string meterName, string[] exact, string[] prefixes)
    {
        foreach (string name in exact)
        {
            if (string.Equals(name, meterName, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (string prefix in prefixes)
        {
            if (meterName.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // Runs on the thread that created the instrument (or in Start): nothing may escape into that caller.
    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        try
        {
            if (Bridges(instrument.Meter.Name) && Attach(instrument) is { } recorder)
            {
                listener.EnableMeasurementEvents(instrument, recorder);
            }
        }
        catch (Exception error)
        {
            _registry.ReportWarning(error);
        }
    }

    private Recorder? Attach(Instrument instrument)
    {
        if (InstrumentShape.Of(instrument) is not { } shape)
        {
            Report(instrument.Meter.Name + "/" + instrument.Name, new NotSupportedException(
                $"Instrument '{instrument.Name}' of meter '{instrument.Meter.Name}' is a {instrument.GetType().Name}, which the meters bridge does not know; it is not exposed."));
            return null;
        }

        string name = Shared.OpenTelemetryNaming.MetricName(instrument.Name, instrument.Unit, shape.TypeName, out string? unit);
        ReadOnlySpan<double> buckets = shape.Buckets;
        lock (_lock)
        {
            if (_disposed)
            {
                return null;
            }

            if (_families.TryGetValue(name, out BridgedFamily? family))
            {
                if (!family.Accepts(shape.Type, shape.Mode, instrument.Unit, buckets))
                {
                    // Another instrument of this name has another type, unit, kind (added or read) or buckets.
                    Report(name, new DuplicateMetricException(name, Origin(instrument)));
                    return null;
                }
            }
            else
            {
                string help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;
                var descriptor = new MetricDescriptor(name, shape.Type, help, unit, shape.Buckets);
                family = BridgedFamily.Create(descriptor, shape.Mode, instrument.Unit, _registry);
                try
                {
                    _registry.Register(family);
                }
                catch (DuplicateMetricException)
                {
                    Report(name, new DuplicateMetricException(name, Origin(instrument)));
                    return null;
                }

                _families.Add(name, family);
            }

            family.Instruments++;
            if (instrument.IsObservable)
            {
                family.ObservableInstruments++;
                UpdateObservedLocked();
            }

            return family.CreateRecorder(_registry);
        }
    }

    // The meter was disposed (or the listener was): its family goes when no other instrument records into it.
    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        if (state is not Recorder recorder)
        {
            return;
        }

        BridgedFamily family = recorder.Family;
        lock (_lock)
        {
            family.Instruments--;
            if (instrument.IsObservable)
            {
                family.ObservableInstruments--;
                UpdateObservedLocked();
            }

            if (family.Instruments == 0 && _families.TryGetValue(family.Descriptor.Name, out BridgedFamily? listed) && ReferenceEquals(listed, family))
            {
                _families.Remove(family.Descriptor.Name);
                _registry.Unregister(family);
            }
        }
    }

    private static string Origin(Instrument instrument) => $"instrument '{instrument.Name}' of meter '{instrument.Meter.Name}'";

    private void UpdateObservedLocked()
    {
        var observed = new List<BridgedFamily>();
        foreach (BridgedFamily family in _families.Values)
        {
            if (family.ObservableInstruments > 0)
            {
                observed.Add(family);
            }
        }

        Volatile.Write(ref _observed, observed.ToArray());
    }

    // Once per name: an instrument created again and again (a meter per request) must not flood the hook.
    private void Report(string key, Exception problem)
    {
        if (_reported.Add(key))
        {
            _registry.ReportWarning(problem);
        }
    }

    /// <summary>
    /// Runs the callbacks of the observable instruments when the scrape writes at least one of their families. The
    /// listener reads all of its observable instruments at once, so a scrape restricted by name reads every one of
    /// them as soon as it wants one, and none when it wants none.
    /// </summary>
    private void ReadObservables(ref ExpositionWriter writer)
    {
        bool wanted = false;
        foreach (BridgedFamily family in Volatile.Read(ref _observed))
        {
            if (writer.Wants(family.Descriptor))
            {
                wanted = true;
                break;
            }
        }

        if (!wanted)
        {
            return;
        }

        try
        {
            _listener.RecordObservableInstruments();
        }
        catch (Exception error)
        {
            // A library's callback failed: its families keep their last values, the scrape goes on.
            _registry.ReportWarning(new MetricCollectionException(_reader.SourceName, error));
        }
    }

    /// <summary>The bridge's first source in the registry: it has no families, and reads the observable instruments.</summary>
    private sealed class ObservableReader : IMetricSource
    {
        private readonly MeterBridge _bridge;

        public ObservableReader(MeterBridge bridge, string name)
        {
            _bridge = bridge;
            SourceName = name;
        }

        public string SourceName { get; }

        public IReadOnlyList<MetricDescriptor> Metrics => Array.Empty<MetricDescriptor>();

        public void Collect(ref ExpositionWriter writer) => _bridge.ReadObservables(ref writer);
    }
}
