using System;
using System.Buffers;
using System.Collections.Generic;
using System.ComponentModel;
using MetricsGen.CompilerServices;

namespace MetricsGen;

/// <summary>
/// Writes families into an <see cref="IBufferWriter{T}"/> in one exposition format. A metric source receives
/// it in <see cref="IMetricSource.Collect"/>; it writes straight into the output's memory and allocates nothing.
/// </summary>
/// <remarks>
/// The seam between metrics and formats: families hand over typed series (a counter's value, a histogram's
/// buckets, a summary's quantiles, …) and the format decides how they are laid out (sample names and suffixes,
/// state set labels, exemplars, <c>_created</c>). This file holds the format-neutral part; each format's layout
/// lives in its own partial file (<c>ExpositionWriter.Text.cs</c> for Prometheus text and OpenMetrics).
/// </remarks>
public ref partial struct ExpositionWriter
{
    private const int ChunkSize = 16 * 1024;

    private readonly IBufferWriter<byte> _output;
    private readonly IReadOnlySet<string>? _names;
    private readonly bool _createdSamples;
    private Span<byte> _span;

    // The family being built in the protobuf format; null in the text formats and between families.
    private ProtobufWriter? _proto;
    private int _position;

    /// <summary>Not for use: a writer is only ever handed to <see cref="IMetricSource.Collect"/> by the registry.</summary>
    /// <remarks>
    /// A struct cannot hide its parameterless constructor, so this one refuses to compile; a <c>default</c> writer has
    /// no output and throws <see cref="InvalidOperationException"/> on its first write rather than writing nowhere.
    /// </remarks>
    /// <exception cref="InvalidOperationException">Always.</exception>
    [Obsolete("An ExpositionWriter is handed to IMetricSource.Collect by the registry; it cannot be created.", error: true)]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ExpositionWriter() => throw NoOutput();

    internal ExpositionWriter(IBufferWriter<byte> output, ExpositionFormat format, IReadOnlySet<string>? names, bool createdSamples = false)
    {
        _output = output;
        _names = names;
        Format = format;
        _createdSamples = createdSamples && format != ExpositionFormat.PrometheusText;
        _span = default;
        _position = 0;
        _proto = null;
    }

    /// <summary>The format being written.</summary>
    public ExpositionFormat Format { get; }

    /// <summary>Writes a counter family and all its series.</summary>
    /// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Write(MetricFamily<Counter> family)
    {
        family.SweepExpired();
        MetricDescriptor descriptor = family.Descriptor;
        if (!BeginFamily(descriptor))
        {
            return;
        }

        if (_proto is null)
        {
            WriteCountersText(descriptor, family.Snapshot());
            return;
        }

        foreach (Counter series in family.Snapshot())
        {
            WriteCounterProto(series.LabelBytes, series.Value, series.ExemplarCell, series.CreatedTicks);
        }
    }

    /// <summary>Writes a gauge family and all its series.</summary>
    /// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Write(MetricFamily<Gauge> family)
    {
        family.SweepExpired();
        MetricDescriptor descriptor = family.Descriptor;
        if (!BeginFamily(descriptor))
        {
            return;
        }

        if (_proto is null)
        {
            WriteGaugesText(descriptor, family.Snapshot());
            return;
        }

        foreach (Gauge series in family.Snapshot())
        {
            WriteValueProto(descriptor, series.LabelBytes, series.Value);
        }
    }

    /// <summary>Writes a histogram family and all its series.</summary>
    /// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Write(MetricFamily<Histogram> family)
    {
        family.SweepExpired();
        MetricDescriptor descriptor = family.Descriptor;
        if (!BeginFamily(descriptor))
        {
            return;
        }

        foreach (Histogram series in family.Snapshot())
        {
            if (_proto is not null)
            {
                WriteHistogramProto(descriptor, series);
            }
            else
            {
                WriteHistogramText(descriptor, series);
            }
        }
    }

    /// <summary>Writes a summary family and all its series.</summary>
    /// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Write(MetricFamily<Summary> family)
    {
        family.SweepExpired();
        MetricDescriptor descriptor = family.Descriptor;
        if (!BeginFamily(descriptor))
        {
            return;
        }

        // Quantile values are read into a stack buffer: a summary has few quantiles.
        int quantileCount = descriptor.Quantiles.Length;
        Span<double> quantiles = quantileCount <= 32 ? stackalloc double[quantileCount] : new double[quantileCount];
        foreach (Summary series in family.Snapshot())
        {
            series.GetQuantiles(quantiles);
            if (_proto is not null)
            {
                WriteSummaryProto(descriptor, series.LabelBytes, quantiles, series.Count, series.Sum, series.CreatedTicks);
            }
            else
            {
                WriteSummaryText(descriptor, series.LabelBytes, quantiles, series.Count, series.Sum, series.CreatedTicks);
            }
        }
    }

    /// <summary>Writes a state set family and all its series.</summary>
    /// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Write<TEnum>(MetricFamily<StateSet<TEnum>> family)
        where TEnum : struct, Enum
    {
        family.SweepExpired();
        MetricDescriptor descriptor = family.Descriptor;
        if (!BeginFamily(descriptor))
        {
            return;
        }

        foreach (StateSet<TEnum> series in family.Snapshot())
        {
            if (_proto is not null)
            {
                WriteStateSetProto(descriptor, series.LabelBytes, series.CurrentIndex);
            }
            else
            {
                WriteStateSetText(descriptor, series.LabelBytes, series.CurrentIndex);
            }
        }
    }

    /// <summary>Writes an info family: its one series once labels were set, else nothing at all.</summary>
    /// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Write(InfoFamily family)
    {
        byte[]? labels = family.Labels;
        if (labels is not null && BeginFamily(family.Descriptor))
        {
            if (_proto is not null)
            {
                WriteValueProto(family.Descriptor, labels, 1);
            }
            else
            {
                WriteInfoText(family.Descriptor, labels);
            }
        }
    }

    /// <summary>Writes a family whose one unlabelled value was read from a callback at this scrape.</summary>
    /// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void WriteCallback(MetricDescriptor descriptor, double value)
    {
        if (descriptor.Type == MetricType.Counter && !(value >= 0))
        {
            throw new MetricCallbackException(
                descriptor.Name,
                new InvalidOperationException($"Counter '{descriptor.Name}' read {value} from its callback; a counter is never negative or NaN."));
        }

        if (!BeginFamily(descriptor))
        {
            return;
        }

        if (_proto is not null)
        {
            WriteValueProto(descriptor, default, value);
        }
        else if (descriptor.Type == MetricType.Counter)
        {
            WriteCounterText(descriptor, default, value, null, 0);
        }
        else
        {
            WriteGaugeText(descriptor, default, value);
        }
    }

    /// <summary>Whether this exposition writes <paramref name="descriptor"/>'s family (it is not restricted to other names).</summary>
    internal readonly bool Wants(MetricDescriptor descriptor) => _names is null || descriptor.Matches(_names);

    /// <summary>
    /// Writes the header lines of <paramref name="descriptor"/> and returns true, or returns false when the
    /// exposition is restricted to other names. Hand-written sources call it before their samples.
    /// </summary>
    public bool BeginFamily(MetricDescriptor descriptor)
    {
        if (_names is not null && !descriptor.Matches(_names))
        {
            return false;
        }

        if (Format == ExpositionFormat.Protobuf)
        {
            BeginFamilyProto(descriptor);
        }
        else
        {
            WriteBytes(Format == ExpositionFormat.OpenMetrics ? descriptor.OpenMetricsHeader : descriptor.TextHeader);
        }

        return true;
    }

    /// <summary>
    /// Writes one sample of a family begun with <see cref="BeginFamily"/>: the family's sample name, the encoded
    /// labels (<c>a="x",b="y"</c>, may be empty) and the value. In the protobuf format a counter's or gauge's
    /// sample becomes its metric message, any other type's an untyped one.
    /// </summary>
    public void WriteSample(MetricDescriptor descriptor, ReadOnlySpan<byte> labels, double value)
    {
        if (_proto is not null)
        {
            WriteValueProto(descriptor, labels, value);
        }
        else
        {
            WriteSampleLine(descriptor.NameUtf8, labels, default, value);
        }
    }

    /// <summary>Writes a family that has one sample and no labels (header lines and the sample).</summary>
    public void WriteSingle(MetricDescriptor descriptor, double value)
    {
        if (BeginFamily(descriptor))
        {
            WriteSample(descriptor, default, value);
        }
    }

    /// <summary>Writes bytes as they are; they must be valid exposition text.</summary>
    /// <exception cref="InvalidOperationException">The format is <see cref="ExpositionFormat.Protobuf"/>, which is not text.</exception>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        if (Format == ExpositionFormat.Protobuf)
        {
            throw new InvalidOperationException("WriteRaw writes exposition text, which the protobuf format cannot carry; use BeginFamily and WriteSample.");
        }

        WriteBytes(bytes);
    }

    private void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (_span.Length - _position < bytes.Length)
        {
            Reserve(bytes.Length);
        }

        bytes.CopyTo(_span.Slice(_position));
        _position += bytes.Length;
    }

    internal void Flush()
    {
        EndFamilyProto();
        if (_position > 0)
        {
            _output.Advance(_position);
            _position = 0;
        }

        _span = default;
    }

    /// <summary>Room for at least <paramref name="needed"/> bytes at <see cref="_position"/>.</summary>
    private Span<byte> Ensure(int needed)
    {
        if (_span.Length - _position < needed)
        {
            Reserve(needed);
        }

        return _span.Slice(_position);
    }

    private void Reserve(int needed)
    {
        // Every write reserves first (a fresh writer's span is empty), so this one check covers a default writer.
        if (_output is null)
        {
            throw NoOutput();
        }

        if (_position > 0)
        {
            _output.Advance(_position);
            _position = 0;
        }

        _span = _output.GetSpan(Math.Max(needed, ChunkSize));
    }

    private static InvalidOperationException NoOutput() =>
        new("This ExpositionWriter has no output: it was made with default instead of being handed to IMetricSource.Collect by the registry.");
}
