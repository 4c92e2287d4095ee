namespace MetricsGen.Sample;

/// <summary>Fills <see cref="AdversarialMetrics"/> with values that are hard to write and to parse.</summary>
public static class AdversarialTraffic
{
    /// <summary>Distinct tool names a hostile client sends: more than tool_calls_total's limit of 20 series.</summary>
    public const int FloodedToolNames = 30;

    /// <summary>Records the adversarial values once, and their expected values in <paramref name="ledger"/>.</summary>
    public static void Record(AdversarialMetrics metrics, GatewayRecorder recorder, Ledger? ledger)
    {
        // A client inventing tool names: the first ones up to the limit get series, the rest share the overflow series.
        for (int i = 0; i < FloodedToolNames; i++)
        {
            recorder.RecordToolCall("invented-tool-" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
        }

        for (int i = 0; i < AdversarialMetrics.HostileLabelValues.Length; i++)
        {
            string text = AdversarialMetrics.HostileLabelValues[i];
            metrics.LabelText(text).Inc(i + 1);
            ledger?.Add("adversarial_label_text_total", i + 1, ("text", text));
        }

        (ExtremeKind Kind, string Label, double Value)[] extremes =
        {
            (ExtremeKind.NaN, "nan", double.NaN),
            (ExtremeKind.PositiveInfinity, "+inf", double.PositiveInfinity),
            (ExtremeKind.NegativeInfinity, "-inf", double.NegativeInfinity),
            (ExtremeKind.NegativeZero, "-0", -0.0),
            (ExtremeKind.Tiny, "1e-300", 1e-300),
            (ExtremeKind.Huge, "1e300", 1e300),
        };
        foreach (var (kind, label, value) in extremes)
        {
            metrics.Extreme(kind).Set(value);
            ledger?.Set("adversarial_extreme_value", value, ("kind", label));
        }

        for (int step = 0; step <= 50; step++)
        {
            double observation = step * 0.0251;
            metrics.Wide().Observe(observation);
            ledger?.Add("adversarial_wide_seconds_count", 1);
            ledger?.Add("adversarial_wide_seconds_sum", observation);
        }

        for (int i = 1; i <= 10; i++)
        {
            double amount = 1.0 / (i + 2);
            metrics.Fraction.Inc(amount);
            ledger?.Add("adversarial_fraction_total", amount);
        }
    }
}
