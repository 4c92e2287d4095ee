using System;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MetricsGen.CompilerServices;

/// <summary>
/// Hashes string label values for the series lookup. Used by generated code.
/// </summary>
/// <remarks>
/// A lookup hashes every string label on every call, and <see cref="string.GetHashCode()"/> (Marvin) was most of the
/// cost of a labelled lookup. This hash reads eight bytes per step with multiply–rotate rounds and a final avalanche,
/// keyed by a per-process random seed so that colliding label values cannot be precomputed.
/// For generated code; may change between versions.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LabelHash
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Prime3 = 0x165667B19E3779F9UL;

    private static readonly ulong Seed = CreateSeed();

    /// <summary>The hash of <paramref name="value"/>; equal strings hash equally within a process; null is 0.</summary>
    public static int Of(string? value)
    {
        if (value is null)
        {
            return 0;
        }

        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(value.AsSpan());
        ulong hash = Seed ^ ((ulong)bytes.Length * Prime3);
        while (bytes.Length >= 8)
        {
            hash ^= BitOperations.RotateLeft(BinaryPrimitives.ReadUInt64LittleEndian(bytes) * Prime2, 31) * Prime1;
            hash = BitOperations.RotateLeft(hash, 27) * Prime1 + Prime3;
            bytes = bytes.Slice(8);
        }

        if (bytes.Length >= 4)
        {
            hash ^= BinaryPrimitives.ReadUInt32LittleEndian(bytes) * Prime1;
            hash = BitOperations.RotateLeft(hash, 23) * Prime2 + Prime3;
            bytes = bytes.Slice(4);
        }

        if (bytes.Length >= 2)
        {
            hash ^= BinaryPrimitives.ReadUInt16LittleEndian(bytes) * Prime3;
            hash = BitOperations.RotateLeft(hash, 11) * Prime1;
        }

        hash ^= hash >> 33;
        hash *= Prime2;
        hash ^= hash >> 29;
        hash *= Prime3;
        hash ^= hash >> 32;
        return (int)hash;
    }

    private static ulong CreateSeed()
    {
        Span<byte> seed = stackalloc byte[8];
        RandomNumberGenerator.Fill(seed);
        return BinaryPrimitives.ReadUInt64LittleEndian(seed);
    }
}
