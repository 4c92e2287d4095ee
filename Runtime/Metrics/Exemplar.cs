using System;
using MetricsGen.Shared;

namespace MetricsGen;

/// <summary>
/// The labels of an exemplar: a reference (usually a trace) attached to a counter increment or a histogram
/// observation, written after the sample in OpenMetrics (<c># {trace_id="…"} value timestamp</c>).
/// One or two label pairs; together their names and values are at most 128 UTF-8 characters.
/// </summary>
public readonly struct Exemplar
{
    /// <summary>The limit OpenMetrics sets on the characters of an exemplar's label names and values together.</summary>
    public const int MaxLabelCharacters = 128;

    /// <summary>An exemplar with one label, such as <c>new Exemplar("trace_id", traceId)</c>.</summary>
    /// <exception cref="ArgumentException">The name is not a label name, or the label exceeds 128 characters.</exception>
    public Exemplar(string name, string value)
    {
        Validate(name, value, null, null);
        Name1 = name;
        Value1 = value;
    }

    /// <summary>An exemplar with two labels, such as trace and span ID.</summary>
    /// <exception cref="ArgumentException">A name is not a label name, both names are equal, or the labels exceed 128 characters.</exception>
    public Exemplar(string name1, string value1, string name2, string value2)
    {
        ArgumentNullException.ThrowIfNull(name2);
        ArgumentNullException.ThrowIfNull(value2);
        Validate(name1, value1, name2, value2);
        Name1 = name1;
        Value1 = value1;
        Name2 = name2;
        Value2 = value2;
    }

    /// <summary>The first label's name.</summary>
    public string? Name1 { get; }

    /// <summary>The first label's value.</summary>
    public string? Value1 { get; }

    /// <summary>The second label's name, or null.</summary>
    public string? Name2 { get; }

    /// <summary>The second label's value, or null.</summary>
    public string? Value2 { get; }

    /// <summary>False for <c>default(Exemplar)</c>, which carries no label and is ignored.</summary>
    public bool HasLabels => Name1 is not null;

    private static void Validate(string name1, string value1, string? name2, string? value2)
    {
        ArgumentNullException.ThrowIfNull(name1);
        ArgumentNullException.ThrowIfNull(value1);
        CheckName(name1);
        int characters = CodePoints(name1) + CodePoints(value1);
        if (name2 is not null)
        {
            CheckName(name2);
            if (name2 == name1)
            {
                throw new ArgumentException($"An exemplar cannot have the label '{name1}' twice.", nameof(name2));
            }

            characters += CodePoints(name2) + CodePoints(value2!);
        }

        if (characters > MaxLabelCharacters)
        {
            throw new ArgumentException(
                $"Exemplar labels have {characters} characters; OpenMetrics allows at most {MaxLabelCharacters} for names and values together.",
                nameof(value1));
        }
    }

    private static void CheckName(string name)
    {
        if (!ExpositionRules.IsValidLabelName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid exemplar label name ([a-zA-Z_][a-zA-Z0-9_]*).", nameof(name));
        }
    }

    // OpenMetrics counts characters (code points), not UTF-16 units or bytes.
    private static int CodePoints(string text)
    {
        int count = text.Length;
        foreach (char c in text)
        {
            if (char.IsLowSurrogate(c))
            {
                count--;
            }
        }

        return count;
    }
}
