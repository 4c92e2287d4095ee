using System;

namespace MetricsGen;

/// <summary>
/// The layout of the protobuf format: one length-delimited <c>io.prometheus.client.MetricFamily</c> per family,
/// built in the thread's <see cref="ProtobufWriter"/> and copied into the output when the family ends. Field numbers
/// are those of the published <c>metrics.proto</c> that Prometheus 2.40 and later parse.
/// </summary>
public ref partial struct ExpositionWriter
{
    // MetricFamily
    private const int FamilyName = 1;
    private const int FamilyHelp = 2;
    private const int FamilyType = 3;
    private const int FamilyMetric = 4;
    private const int FamilyUnit = 5;

    // MetricType enum
    private const int TypeCounter = 0;
    private const int TypeGauge = 1;
    private const int TypeSummary = 2;
    private const int TypeUntyped = 3;
    private const int TypeHistogram = 4;

    // Metric
    private const int MetricLabel = 1;
    private const int MetricGauge = 2;
    private const int MetricCounter = 3;
    private const int MetricSummary = 4;
    private const int MetricUntyped = 5;
    private const int MetricHistogram = 7;

    // LabelPair, and the value field shared by Gauge, Counter and Untyped
    private const int LabelName = 1;
    private const int LabelValue = 2;
    private const int ValueField = 1;

    // Counter
    private const int CounterExemplar = 2;
    private const int CounterCreated = 3;

    // Summary
    private const int SummaryCount = 1;
    private const int SummarySum = 2;
    private const int SummaryQuantile = 3;
    private const int SummaryCreated = 4;
    private const int QuantileQuantile = 1;
    private const int QuantileValue = 2;

    // Histogram and Bucket
    private const int HistogramCount = 1;
    private const int HistogramSum = 2;
    private const int HistogramBucket = 3;
    private const int HistogramCreated = 15;
    private const int BucketCumulativeCount = 1;
    private const int BucketUpperBound = 2;
    private const int BucketExemplar = 3;

    // Exemplar and google.protobuf.Timestamp
    private const int ExemplarLabel = 1;
    private const int ExemplarValue = 2;
    private const int ExemplarTimestamp = 3;
    private const int TimestampSeconds = 1;
    private const int TimestampNanos = 2;

    private void BeginFamilyProto(MetricDescriptor descriptor)
    {
        EndFamilyProto();
        ProtobufWriter proto = ProtobufWriter.Rent();
        _proto = proto;
        proto.StringField(FamilyName, descriptor.Name);
        proto.StringField(FamilyHelp, descriptor.Help);
        proto.UInt64Field(FamilyType, (ulong)ProtoType(descriptor.Type));
        if (descriptor.Unit is not null)
        {
            proto.StringField(FamilyUnit, descriptor.Unit);
        }
    }

    /// <summary>Copies the open family, if any, into the output with its length prefix.</summary>
    private void EndFamilyProto()
    {
        ProtobufWriter? proto = _proto;
        if (proto is null)
        {
            return;
        }

        _proto = null;
        ReadOnlySpan<byte> body = proto.Written;
        Span<byte> prefix = stackalloc byte[10];
        int length = 0;
        ulong value = (ulong)body.Length;
        while (value >= 0x80)
        {
            prefix[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        prefix[length++] = (byte)value;
        WriteBytes(prefix.Slice(0, length));
        WriteBytes(body);
        proto.Clear();
    }

    private static int ProtoType(MetricType type) => type switch
    {
        MetricType.Counter => TypeCounter,
        MetricType.Summary => TypeSummary,
        MetricType.Histogram => TypeHistogram,
        MetricType.Gauge or MetricType.Info or MetricType.StateSet => TypeGauge,
        _ => TypeUntyped,
    };

    private void WriteValueProto(MetricDescriptor descriptor, ReadOnlySpan<byte> labels, double value)
    {
        int kind = descriptor.Type switch
        {
            MetricType.Counter => MetricCounter,
            MetricType.Gauge or MetricType.Info or MetricType.StateSet => MetricGauge,
            _ => MetricUntyped,
        };
        ProtobufWriter proto = _proto!;
        proto.BeginMessage(FamilyMetric);
        WriteLabelsProto(proto, labels, default);
        proto.BeginMessage(kind);
        proto.DoubleField(ValueField, value);
        proto.EndMessage();
        proto.EndMessage();
    }

    private void WriteCounterProto(ReadOnlySpan<byte> labels, double value, ExemplarCell? exemplar, long createdTicks)
    {
        ProtobufWriter proto = _proto!;
        proto.BeginMessage(FamilyMetric);
        WriteLabelsProto(proto, labels, default);
        proto.BeginMessage(MetricCounter);
        proto.DoubleField(ValueField, value);
        if (exemplar is not null && exemplar.TryRead(out ExemplarSnapshot snapshot))
        {
            WriteExemplarProto(proto, CounterExemplar, in snapshot);
        }

        if (_createdSamples && createdTicks != 0)
        {
            WriteTimestampProto(proto, CounterCreated, createdTicks);
        }

        proto.EndMessage();
        proto.EndMessage();
    }

    private void WriteHistogramProto(MetricDescriptor descriptor, Histogram series)
    {
        ProtobufWriter proto = _proto!;
        proto.BeginMessage(FamilyMetric);
        WriteLabelsProto(proto, series.LabelBytes, default);
        proto.BeginMessage(MetricHistogram);

        // Classic buckets without +Inf, which Prometheus derives from the count (as client_golang writes them).
        double[] bounds = descriptor.BucketBounds;
        ExemplarCell[]? exemplars = series.Exemplars;
        long running = 0;
        for (int i = 0; i < bounds.Length; i++)
        {
            long cumulative = series.CumulativeCount(i, ref running);
            proto.BeginMessage(HistogramBucket);
            proto.UInt64Field(BucketCumulativeCount, (ulong)cumulative);
            proto.DoubleField(BucketUpperBound, bounds[i]);
            if (exemplars is not null && exemplars[i].TryRead(out ExemplarSnapshot snapshot))
            {
                WriteExemplarProto(proto, BucketExemplar, in snapshot);
            }

            proto.EndMessage();
        }

        long count = series.CumulativeCount(bounds.Length, ref running);
        proto.UInt64Field(HistogramCount, (ulong)count);
        proto.DoubleField(HistogramSum, series.Sum);
        series.WriteNativeProto(proto);
        if (_createdSamples)
        {
            WriteTimestampProto(proto, HistogramCreated, series.CreatedTicks);
        }

        proto.EndMessage();
        proto.EndMessage();
    }

    private void WriteSummaryProto(MetricDescriptor descriptor, ReadOnlySpan<byte> labels, scoped ReadOnlySpan<double> values, long count, double sum, long createdTicks)
    {
        ProtobufWriter proto = _proto!;
        proto.BeginMessage(FamilyMetric);
        WriteLabelsProto(proto, labels, default);
        proto.BeginMessage(MetricSummary);
        proto.UInt64Field(SummaryCount, (ulong)count);
        proto.DoubleField(SummarySum, sum);
        ReadOnlySpan<double> quantiles = descriptor.Quantiles;
        for (int i = 0; i < quantiles.Length; i++)
        {
            proto.BeginMessage(SummaryQuantile);
            proto.DoubleField(QuantileQuantile, quantiles[i]);
            proto.DoubleField(QuantileValue, values[i]);
            proto.EndMessage();
        }

        if (_createdSamples && createdTicks != 0)
        {
            WriteTimestampProto(proto, SummaryCreated, createdTicks);
        }

        proto.EndMessage();
        proto.EndMessage();
    }

    private void WriteStateSetProto(MetricDescriptor descriptor, ReadOnlySpan<byte> labels, int current)
    {
        byte[][] states = descriptor.BucketLabels;
        for (int i = 0; i < states.Length; i++)
        {
            ProtobufWriter proto = _proto!;
            proto.BeginMessage(FamilyMetric);
            WriteLabelsProto(proto, labels, states[i]);
            proto.BeginMessage(MetricGauge);
            proto.DoubleField(ValueField, i == current ? 1 : 0);
            proto.EndMessage();
            proto.EndMessage();
        }
    }

    /// <summary>
    /// Writes the label pairs of the series' encoded label text (<c>a="x",b="y"</c>), unescaping the values, then
    /// those of <paramref name="extra"/> (a state set's state label).
    /// </summary>
    private static void WriteLabelsProto(ProtobufWriter proto, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> extra)
    {
        WriteLabelPairs(proto, labels, MetricLabel);
        WriteLabelPairs(proto, extra, MetricLabel);
    }

    private static void WriteLabelPairs(ProtobufWriter proto, ReadOnlySpan<byte> text, int field)
    {
        int at = 0;
        while (at < text.Length)
        {
            int equals = text.Slice(at).IndexOf((byte)'=');
            ReadOnlySpan<byte> name = text.Slice(at, equals);
            at += equals + 2; // past =" to the value
            proto.BeginMessage(field);
            proto.BytesField(LabelName, name);
            proto.BeginMessage(LabelValue);
            while (text[at] != (byte)'"')
            {
                byte b = text[at++];
                if (b == (byte)'\\')
                {
                    b = text[at++];
                    if (b == (byte)'n')
                    {
                        b = (byte)'\n';
                    }
                }

                proto.RawByte(b);
            }

            proto.EndMessage();
            proto.EndMessage();
            at++; // the closing quote
            if (at < text.Length && text[at] == (byte)',')
            {
                at++;
            }
        }
    }

    private static void WriteExemplarProto(ProtobufWriter proto, int field, in ExemplarSnapshot exemplar)
    {
        proto.BeginMessage(field);
        WriteExemplarLabel(proto, exemplar.Name1, exemplar.Value1);
        if (exemplar.Name2 is not null)
        {
            WriteExemplarLabel(proto, exemplar.Name2, exemplar.Value2!);
        }

        proto.DoubleField(ExemplarValue, exemplar.Value);
        WriteTimestampProto(proto, ExemplarTimestamp, exemplar.TimestampTicks);
        proto.EndMessage();
    }

    private static void WriteExemplarLabel(ProtobufWriter proto, string name, string value)
    {
        proto.BeginMessage(ExemplarLabel);
        proto.StringField(LabelName, name);
        proto.StringField(LabelValue, value);
        proto.EndMessage();
    }

    private static void WriteTimestampProto(ProtobufWriter proto, int field, long utcTicks)
    {
        long sinceEpoch = utcTicks - DateTime.UnixEpoch.Ticks;
        long seconds = Math.DivRem(sinceEpoch, TimeSpan.TicksPerSecond, out long remainder);
        proto.BeginMessage(field);
        proto.Int64Field(TimestampSeconds, seconds);
        proto.Int64Field(TimestampNanos, remainder * 100);
        proto.EndMessage();
    }
}
