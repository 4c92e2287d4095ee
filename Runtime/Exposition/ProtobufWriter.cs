using System;
using System.Buffers.Binary;
using System.Text;

namespace MetricsGen;

/// <summary>
/// A small protobuf encoder (proto2 wire format) for the exposition's <c>MetricFamily</c> messages. A message is
/// written in place: its length prefix gets one byte up front and the body is moved right in the rare case that
/// the length needs more, so nested messages cost no measuring pass. One instance per thread is reused, so after
/// the buffer has grown to the largest family nothing allocates.
/// </summary>
internal sealed class ProtobufWriter
{
    public const int WireVarint = 0;
    public const int WireFixed64 = 1;
    public const int WireLengthDelimited = 2;

    private const int MaxDepth = 8;

    [ThreadStatic]
    private static ProtobufWriter? t_instance;

    private readonly int[] _messageStarts = new int[MaxDepth];
    private byte[] _buffer = new byte[4096];
    private int _position;
    private int _depth;

    /// <summary>The calling thread's writer, emptied.</summary>
    public static ProtobufWriter Rent()
    {
        ProtobufWriter writer = t_instance ??= new ProtobufWriter();
        writer._position = 0;
        writer._depth = 0;
        return writer;
    }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _position);

    public int Depth => _depth;

    public void Clear()
    {
        _position = 0;
        _depth = 0;
    }

    public void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    public void Varint(ulong value)
    {
        Span<byte> span = Room(10);
        int at = 0;
        while (value >= 0x80)
        {
            span[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[at++] = (byte)value;
        _position += at;
    }

    public void UInt64Field(int field, ulong value)
    {
        Tag(field, WireVarint);
        Varint(value);
    }

    public void Int64Field(int field, long value)
    {
        Tag(field, WireVarint);
        Varint((ulong)value);
    }

    /// <summary>A <c>sint32</c>/<c>sint64</c> field: zigzag, so small negative numbers stay short.</summary>
    public void SignedField(int field, long value)
    {
        Tag(field, WireVarint);
        Varint((ulong)((value << 1) ^ (value >> 63)));
    }

    public void DoubleField(int field, double value)
    {
        Tag(field, WireFixed64);
        BinaryPrimitives.WriteInt64LittleEndian(Room(8), BitConverter.DoubleToInt64Bits(value));
        _position += 8;
    }

    public void BytesField(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, WireLengthDelimited);
        Varint((ulong)value.Length);
        value.CopyTo(Room(value.Length));
        _position += value.Length;
    }

    public void StringField(int field, string value)
    {
        Tag(field, WireLengthDelimited);
        Varint((ulong)TextEscaping.Utf8ByteCount(value));
        _position += TextEscaping.EncodeUtf8(value, Room(Encoding.UTF8.GetMaxByteCount(value.Length)));
    }

    /// <summary>Raw bytes of a length-delimited field begun with <see cref="BeginMessage"/>.</summary>
    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Room(bytes.Length));
        _position += bytes.Length;
    }

    public void RawByte(byte value)
    {
        Room(1)[0] = value;
        _position++;
    }

    /// <summary>Starts a length-delimited field (a nested message, or a string written piecewise).</summary>
    public void BeginMessage(int field)
    {
        Tag(field, WireLengthDelimited);
        Room(1);
        _position++;
        _messageStarts[_depth++] = _position;
    }

    public void EndMessage()
    {
        int start = _messageStarts[--_depth];
        int length = _position - start;
        if (length < 0x80)
        {
            _buffer[start - 1] = (byte)length;
            return;
        }

        // The length needs more than the byte kept for it: move the body right to make room.
        int extra = VarintLength((ulong)length) - 1;
        Room(extra);
        Buffer.BlockCopy(_buffer, start, _buffer, start + extra, length);
        int at = start - 1;
        ulong value = (ulong)length;
        while (value >= 0x80)
        {
            _buffer[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[at] = (byte)value;
        _position += extra;
    }

    public static int VarintLength(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    private Span<byte> Room(int needed)
    {
        if (_buffer.Length - _position < needed)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _position + needed));
        }

        return _buffer.AsSpan(_position);
    }
}
