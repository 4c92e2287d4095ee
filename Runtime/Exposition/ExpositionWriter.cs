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
public ref struct ExpositionWriter
{
    private const int ChunkSize = 16 * 1024;

    private readonly IBufferWriter<byte> _output;
    private readonly IReadOnlySet<string>? _names;
    private Span<byte> _span;
    private int _position;

    internal ExpositionWriter(IBufferWriter<byte> output, ExpositionFormat format, IReadOnlySet<string>? names)
    {
        _output = output;
        _names = names;
        Format = format;
        _span = default;
        _position = 0;
    }

    /// <summary>The format being written.</summary>
    public ExpositionFormat Format { get; }

    /// <summary>Writes a counter family and all its series.</summary>
    /// <remarks>For generated code; may change between versions.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Write(CounterFamily family)
    {
        if (!BeginFamily(family.Descriptor))
        {
            return;
        }

        byte[] name = family.Descriptor.NameUtf8;
        foreach (Counter series in family.Snapshot())
        {
            WriteSample(name, series.LabelBytes, default, series.Value);
        }
    }

    /// <summary>Writes a gauge family and all its series.</summary>
    /// <remarks>For generated code; may change between versions.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Write(GaugeFamily family)
    {
        if (!BeginFamily(family.Descriptor))
        {
            return;
        }

        byte[] name = family.Descriptor.NameUtf8;
        foreach (Gauge series in family.Snapshot())
        {
            WriteSample(name, series.LabelBytes, default, series.Value);
        }
    }

    /// <summary>Writes a histogram family and all its series.</summary>
    /// <remarks>For generated code; may change between versions.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Write(HistogramFamily family)
    {
        MetricDescriptor descriptor = family.Descriptor;
        if (!BeginFamily(descriptor))
        {
            return;
        }

        byte[][] bounds = descriptor.BucketLabels;
        foreach (Histogram series in family.Snapshot())
        {
            long running = 0;
            for (int i = 0; i < bounds.Length; i++)
            {
                WriteSample(descriptor.BucketNameUtf8, series.LabelBytes, bounds[i], series.CumulativeCount(i, ref running));
            }

            // _count is the +Inf bucket, so the two always agree.
            WriteSample(descriptor.CountNameUtf8, series.LabelBytes, default, running);
            WriteSample(descriptor.SumNameUtf8, series.LabelBytes, default, series.Sum);
        }
    }

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

        WriteRaw(Format == ExpositionFormat.OpenMetrics ? descriptor.OpenMetricsHeader : descriptor.TextHeader);
        return true;
    }

    /// <summary>
    /// Writes one sample line of a family begun with <see cref="BeginFamily"/>:
    /// the family's sample name, the encoded labels (may be empty) and the value.
    /// </summary>
    public void WriteSample(MetricDescriptor descriptor, ReadOnlySpan<byte> labels, double value) =>
        WriteSample(descriptor.NameUtf8, labels, default, value);

    /// <summary>Writes a family that has one sample and no labels (header lines and the sample).</summary>
    public void WriteSingle(MetricDescriptor descriptor, double value)
    {
        if (BeginFamily(descriptor))
        {
            WriteSample(descriptor.NameUtf8, default, default, value);
        }
    }

    /// <summary>Writes bytes as they are; they must be valid exposition text.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
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
        if (_position > 0)
        {
            _output.Advance(_position);
            _position = 0;
        }

        _span = default;
    }

    private void WriteSample(ReadOnlySpan<byte> name, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> extraLabel, double value)
    {
        // name{labels,extra} value\n — reserve once for the whole line.
        int needed = name.Length + labels.Length + extraLabel.Length + TextEscaping.MaxValueLength + 5;
        if (_span.Length - _position < needed)
        {
            Reserve(needed);
        }

        Span<byte> span = _span.Slice(_position);
        name.CopyTo(span);
        int at = name.Length;
        if (labels.Length + extraLabel.Length > 0)
        {
            span[at++] = (byte)'{';
            labels.CopyTo(span.Slice(at));
            at += labels.Length;
            if (extraLabel.Length > 0)
            {
                if (labels.Length > 0)
                {
                    span[at++] = (byte)',';
                }

                extraLabel.CopyTo(span.Slice(at));
                at += extraLabel.Length;
            }

            span[at++] = (byte)'}';
        }

        span[at++] = (byte)' ';
        at += TextEscaping.FormatValue(value, span.Slice(at));
        span[at++] = (byte)'\n';
        _position += at;
    }

    private void Reserve(int needed)
    {
        if (_position > 0)
        {
            _output.Advance(_position);
            _position = 0;
        }

        _span = _output.GetSpan(Math.Max(needed, ChunkSize));
    }
}
