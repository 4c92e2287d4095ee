using System;
using System.Collections.Generic;
using System.Threading;
using MetricsGen.CompilerServices;

namespace MetricsGen;

/// <summary>
/// A state set series: one of the members of <typeparamref name="TEnum"/> is the current state. Exposed as one
/// sample per state, 1 for the current one and 0 for the others. Starts in the enum's first declared member.
/// </summary>
/// <typeparam name="TEnum">The enum whose declared members are the states.</typeparam>
public sealed class StateSet<TEnum> : MetricSeries
    where TEnum : struct, Enum
{
    // The declared members in declaration order, supplied by generated code (no reflection).
    private readonly TEnum[] _states;
    private int _current;

    // Only for state sets declared with ExpireAfterSeconds.
    private readonly SeriesHome? _home;

    internal StateSet(MetricDescriptor descriptor, byte[] labels, TEnum[] states, SeriesHome? home = null)
        : base(descriptor, labels)
    {
        _states = states;
        _home = home;
    }

    internal override SeriesHome? Home => _home;

    /// <summary>The current state.</summary>
    public TEnum State => _states[Volatile.Read(ref _current)];

    /// <summary>Makes <paramref name="state"/> the current state.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a declared member of the enum.</exception>
    public void Set(TEnum state)
    {
        TEnum[] states = _states;
        for (int i = 0; i < states.Length; i++)
        {
            // EqualityComparer<TEnum>.Default compares enums without boxing.
            if (EqualityComparer<TEnum>.Default.Equals(states[i], state))
            {
                Volatile.Write(ref _current, i);
                if (_home?.Touch(this) is StateSet<TEnum> holder)
                {
                    holder.Set(state);
                }

                return;
            }
        }

        throw new ArgumentOutOfRangeException(
            nameof(state),
            state,
            $"State set '{Descriptor.Name}' got {state}, which is not one of its states (a declared member of the enum).");
    }

    /// <summary>The index of the current state among the declared members.</summary>
    internal int CurrentIndex => Volatile.Read(ref _current);
}
