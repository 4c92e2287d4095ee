using System;
using System.Buffers;
using System.ComponentModel;
using System.Globalization;

namespace MetricsGen.CompilerServices;

/// <summary>
/// Encodes a label set once, when its series is created (<c>a="x",b="y"</c>, escaped, UTF-8).
/// Used by generated code.
/// </summary>
/// <remarks>For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class LabelSetBuilder
{
    private readonly ArrayBufferWriter<byte> _output = new(64);

    /// <summary>Adds a label whose value is escaped here.</summary>
    /// <remarks>
    /// Takes a nullable string because generated key structs hold the values unchecked (a lookup must not pay for
    /// the check); the generated code has checked them with <see cref="LabelGuard"/> before it encodes.
    /// </remarks>
    public LabelSetBuilder Add(ReadOnlySpan<byte> name, string? value)
    {
        ArgumentNullException.ThrowIfNull(value);
        AppendName(name);
        TextEscaping.AppendLabelValue(_output, value);
        _output.Write("\""u8);
        return this;
    }

    /// <summary>Adds a label whose value is already escaped UTF-8 (an enum or bool literal).</summary>
    public LabelSetBuilder AddEncoded(ReadOnlySpan<byte> name, ReadOnlySpan<byte> escapedValue)
    {
        AppendName(name);
        _output.Write(escapedValue);
        _output.Write("\""u8);
        return this;
    }

    /// <summary>Adds a label with a signed integer value in invariant decimal.</summary>
    public LabelSetBuilder Add(ReadOnlySpan<byte> name, long value) => AddInteger(name, value);

    /// <summary>Adds a label with an unsigned integer value in invariant decimal.</summary>
    public LabelSetBuilder Add(ReadOnlySpan<byte> name, ulong value) => AddInteger(name, value);

    private LabelSetBuilder AddInteger<T>(ReadOnlySpan<byte> name, T value)
        where T : IUtf8SpanFormattable
    {
        AppendName(name);
        value.TryFormat(_output.GetSpan(20), out int written, default, CultureInfo.InvariantCulture);
        _output.Advance(written);
        _output.Write("\""u8);
        return this;
    }

    /// <summary>The encoded label set.</summary>
    public byte[] ToArray() => _output.WrittenSpan.ToArray();

    private void AppendName(ReadOnlySpan<byte> name)
    {
        if (_output.WrittenCount > 0)
        {
            _output.Write(","u8);
        }

        _output.Write(name);
        _output.Write("=\""u8);
    }
}
