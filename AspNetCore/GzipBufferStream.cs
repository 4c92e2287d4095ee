using System;
using System.Buffers;
using System.IO;

namespace MetricsGen.AspNetCore;

/// <summary>A write-only stream into a reused <see cref="PooledBufferWriter"/>, so gzip output lands in pooled memory.</summary>
internal sealed class GzipBufferStream : Stream
{
    public PooledBufferWriter? Target { get; set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        IBufferWriter<byte> target = Target ?? throw new InvalidOperationException("No target buffer.");
        buffer.CopyTo(target.GetSpan(buffer.Length));
        target.Advance(buffer.Length);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
