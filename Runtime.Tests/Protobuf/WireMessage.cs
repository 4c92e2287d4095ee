using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Google.Protobuf;

namespace MetricsGen.Runtime.Tests.Protobuf;

/// <summary>
/// A protobuf message read field by field with Google.Protobuf's own wire reader: an independent decoder of what the
/// runtime's hand-written encoder produces. Field numbers are those of io.prometheus.client's metrics.proto.
/// </summary>
internal sealed class WireMessage
{
    private readonly Dictionary<int, List<object>> _fields = new();

    public static List<WireMessage> ReadDelimited(byte[] data)
    {
        var messages = new List<WireMessage>();
        var input = new CodedInputStream(data);
        while (!input.IsAtEnd)
        {
            // A delimited message is framed exactly like a bytes field: a varint length, then the body.
            messages.Add(Parse(input.ReadBytes().ToByteArray()));
        }

        return messages;
    }

    public static WireMessage Parse(byte[] data)
    {
        var message = new WireMessage();
        var input = new CodedInputStream(data);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            object value = WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.Varint => input.ReadUInt64(),
                WireFormat.WireType.Fixed64 => input.ReadFixed64(),
                WireFormat.WireType.LengthDelimited => input.ReadBytes().ToByteArray(),
                var other => throw new InvalidOperationException($"Unexpected wire type {other} for field {field}."),
            };
            if (!message._fields.TryGetValue(field, out List<object>? values))
            {
                message._fields[field] = values = new List<object>();
            }

            values.Add(value);
        }

        return message;
    }

    public bool Has(int field) => _fields.ContainsKey(field);

    public IReadOnlyList<int> Fields => _fields.Keys.OrderBy(number => number).ToList();

    public string String(int field) => Encoding.UTF8.GetString((byte[])Single(field));

    public ulong Varint(int field) => (ulong)Single(field);

    public long SignedVarint(int field) => ZigZag(Varint(field));

    public double Double(int field) => BitConverter.Int64BitsToDouble((long)(ulong)Single(field));

    public WireMessage Message(int field) => Parse((byte[])Single(field));

    public IEnumerable<WireMessage> Messages(int field) =>
        _fields.TryGetValue(field, out List<object>? values) ? values.Select(value => Parse((byte[])value)) : Enumerable.Empty<WireMessage>();

    public IEnumerable<long> SignedVarints(int field) =>
        _fields.TryGetValue(field, out List<object>? values) ? values.Select(value => ZigZag((ulong)value)) : Enumerable.Empty<long>();

    /// <summary>The metric's labels (field 1 of Metric, LabelPair name 1 / value 2), in order.</summary>
    public List<(string Name, string Value)> Labels(int field = 1) =>
        Messages(field).Select(pair => (pair.String(1), pair.Has(2) ? pair.String(2) : string.Empty)).ToList();

    private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private object Single(int field)
    {
        if (!_fields.TryGetValue(field, out List<object>? values) || values.Count != 1)
        {
            throw new InvalidOperationException($"Field {field} occurs {(values?.Count ?? 0)} times, expected once.");
        }

        return values[0];
    }
}
