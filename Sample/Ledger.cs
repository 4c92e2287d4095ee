using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace MetricsGen.Sample;

/// <summary>
/// The Sample's own account of what it recorded, kept apart from the metrics so that the end-to-end checks can
/// compare what the parsers and Prometheus read with what really happened (<c>--expect-file</c>).
/// </summary>
public sealed class Ledger
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="amount"/> to a sample (a counter, or a histogram's _count/_sum).</summary>
    public void Add(string sample, double amount, params (string Name, string Value)[] labels)
    {
        lock (_lock)
        {
            Entry entry = EntryOf(sample, labels);
            entry.Value += amount;
        }
    }

    /// <summary>Sets a sample to <paramref name="value"/> (a gauge).</summary>
    public void Set(string sample, double value, params (string Name, string Value)[] labels)
    {
        lock (_lock)
        {
            EntryOf(sample, labels).Value = value;
        }
    }

    /// <summary>The sum of every series of <paramref name="sample"/>.</summary>
    public double Total(string sample)
    {
        lock (_lock)
        {
            return _entries.Values.Where(entry => entry.Sample == sample).Sum(entry => entry.Value);
        }
    }

    /// <summary>Writes the ledger as JSON; non-finite values as the strings <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>.</summary>
    public void WriteJson(string path)
    {
        string temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            lock (_lock)
            {
                foreach (Entry entry in _entries.Values)
                {
                    json.WriteStartObject();
                    json.WriteString("name", entry.Sample);
                    json.WriteStartObject("labels");
                    foreach (var (name, value) in entry.Labels)
                    {
                        json.WriteString(name, value);
                    }

                    json.WriteEndObject();
                    if (double.IsFinite(entry.Value))
                    {
                        json.WriteNumber("value", entry.Value);
                    }
                    else
                    {
                        json.WriteString("value", double.IsNaN(entry.Value) ? "NaN" : entry.Value > 0 ? "+Inf" : "-Inf");
                    }

                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
        }

        // Readers poll for the file: it appears whole or not at all.
        File.Move(temporary, path, overwrite: true);
    }

    private Entry EntryOf(string sample, (string Name, string Value)[] labels)
    {
        string key = sample + "\u0000" + string.Join("\u0000", labels.Select(label => label.Name + "\u0001" + label.Value));
        if (!_entries.TryGetValue(key, out Entry? entry))
        {
            entry = new Entry(sample, labels);
            _entries.Add(key, entry);
        }

        return entry;
    }

    private sealed class Entry
    {
        public Entry(string sample, (string Name, string Value)[] labels)
        {
            Sample = sample;
            Labels = labels;
        }

        public string Sample { get; }

        public (string Name, string Value)[] Labels { get; }

        public double Value { get; set; }
    }
}
