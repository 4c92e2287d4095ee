using System;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MetricsGen.CompilerServices;

/// <summary>
/// Hashes string label values for the series lookup. Used by generated code.
/// </summary>
/// <remarks>
/// A lookup hashes every string label on every call, and <see cref="string.GetHashCode()"/> (Marvin) was most of the
/// cost of a labelled lookup. This hash folds 128-bit products (the high and low halves of a 64 x 64 multiply,
/// xor-ed; the mixing step of wyhash): a label value of up to 16 characters takes two or three such multiplies that
/// do not wait for each other (a lookup waits for the longest chain, not the count), longer ones one more per 16
/// bytes. The inputs are xor-ed with per-process random secrets, so colliding label values cannot be precomputed.
/// For generated code, not for direct use; within a major version it only grows, because compiled libraries call it.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LabelHash
{
    private static readonly ulong Seed = CreateSecret();
    private static readonly ulong Secret1 = CreateSecret() | 1;
    private static readonly ulong Secret2 = CreateSecret() | 1;

    private static readonly ulong Secret3 = CreateSecret() | 1;
    private static readonly ulong Secret4 = CreateSecret() | 1;

    /// <summary>The hash of <paramref name="value"/>; equal strings hash equally within a process; null is 0.</summary>
    public static int Of(string? value)
    {
        if (value is null)
        {
            return 0;
        }

        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(value.AsSpan());
        int length = bytes.Length;

        // The length goes in through a fold of its own, independent of the text, so that it does not lengthen the
        // chain of dependent multiplies a lookup waits for; without the secrets its share cannot be cancelled.
        ulong lengthMix = Fold((ulong)length ^ Secret3, Secret4);
        if (length <= 16)
        {
            ulong a;
            ulong b;
            if (length >= 8)
            {
                // 4 to 8 characters: the first and the last eight bytes (they overlap below 16).
                a = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
                b = BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(length - 8));
            }
            else if (length >= 4)
            {
                a = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
                b = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(length - 4));
            }
            else
            {
                a = length == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes) : 0UL;
                b = 0;
            }

            return (int)(Fold(a ^ Secret1, b ^ Seed) ^ lengthMix);
        }

        if (length <= 32)
        {
            // 9 to 16 characters: the first and the last sixteen bytes (overlapping below 32), folded side by side
            // with different secrets.
            ReadOnlySpan<byte> tail = bytes.Slice(length - 16);
            ulong head = Fold(BinaryPrimitives.ReadUInt64LittleEndian(bytes) ^ Secret1, BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(8)) ^ Seed);
            ulong end = Fold(BinaryPrimitives.ReadUInt64LittleEndian(tail) ^ Secret2, BinaryPrimitives.ReadUInt64LittleEndian(tail.Slice(8)) ^ Secret3);
            return (int)(head ^ end ^ lengthMix);
        }

        // Longer values: 16 bytes per round; the last (possibly overlapping) 16 bytes go to the final round.
        ulong state = Seed;
        ReadOnlySpan<byte> rest = bytes;
        while (rest.Length > 16)
        {
            state = Fold(BinaryPrimitives.ReadUInt64LittleEndian(rest) ^ Secret1, BinaryPrimitives.ReadUInt64LittleEndian(rest.Slice(8)) ^ state);
            rest = rest.Slice(16);
        }

        ReadOnlySpan<byte> last = bytes.Slice(length - 16);
        ulong mixed = Fold(BinaryPrimitives.ReadUInt64LittleEndian(last) ^ Secret2, BinaryPrimitives.ReadUInt64LittleEndian(last.Slice(8)) ^ state);
        return (int)(mixed ^ lengthMix);
    }

    // The xor of both halves of the 128-bit product: every input bit reaches every output bit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Fold(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out ulong low);
        return high ^ low;
    }

    private static ulong CreateSecret()
    {
        Span<byte> seed = stackalloc byte[8];
        RandomNumberGenerator.Fill(seed);
        return BinaryPrimitives.ReadUInt64LittleEndian(seed);
    }

    // The combination of label hashes is the polynomial ((a * K + b) * K + c) * K + d, K = -1521134295, with its powers
    // of K written out: the terms are computed side by side instead of in a chain of multiplies a lookup waits for.
    private const int K1 = -1521134295;
    private const int K2 = unchecked(K1 * K1);
    private const int K3 = unchecked(K2 * K1);

    /// <summary>Combines the hashes of two label values (<see cref="Of"/> for strings, the value for enums and integers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Combine(int first, int second) => unchecked((first * K1) + second);

    /// <summary>Combines the hashes of three label values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Combine(int first, int second, int third) => unchecked((first * K2) + (second * K1) + third);

    /// <summary>Combines the hashes of four label values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Combine(int first, int second, int third, int fourth) =>
        unchecked((first * K3) + (second * K2) + (third * K1) + fourth);
}
