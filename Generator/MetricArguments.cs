using System;
using System.Collections.Generic;
using MetricsGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace MetricsGen.Generator;

public sealed partial class MetricsGenerator
{
    /// <summary>
    /// The arguments of a metric attribute, read from the bound attribute.
    /// Array values are kept as their elements' values (null when the argument is null or not an array).
    /// </summary>
    internal sealed class MetricArguments
    {
        private readonly List<KeyValuePair<string, object?>> _named;

        public MetricArguments(string? name, List<KeyValuePair<string, object?>> named, SyntaxNode? syntax)
        {
            Name = name;
            _named = named;
            Syntax = syntax;
        }

        /// <summary>The name given to the constructor, if a string.</summary>
        public string? Name { get; }

        /// <summary>The attribute as written (diagnostics point at it).</summary>
        public SyntaxNode? Syntax { get; }

        public static MetricArguments From(AttributeData attribute, SyntaxNode? syntax)
        {
            var named = new List<KeyValuePair<string, object?>>(attribute.NamedArguments.Length);
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                TypedConstant value = argument.Value;
                object? read = value.Kind != TypedConstantKind.Array ? value.Value
                    : value.IsNull ? null
                    : ElementValues(value.Values);
                named.Add(new KeyValuePair<string, object?>(argument.Key, read));
            }

            string? name = attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string text ? text : null;
            return new MetricArguments(name, named, syntax);
        }

        public bool Has(string key)
        {
            foreach (KeyValuePair<string, object?> argument in _named)
            {
                if (argument.Key == key)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The first argument named <paramref name="key"/> as a string (null when it is something else).</summary>
        public string? String(string key)
        {
            foreach (KeyValuePair<string, object?> argument in _named)
            {
                if (argument.Key == key)
                {
                    return argument.Value as string;
                }
            }

            return null;
        }

        /// <summary>The first argument named <paramref name="key"/> holding a <typeparamref name="T"/>, else the fallback.</summary>
        public T Value<T>(string key, T fallback)
        {
            foreach (KeyValuePair<string, object?> argument in _named)
            {
                if (argument.Key == key && argument.Value is T value)
                {
                    return value;
                }
            }

            return fallback;
        }

        /// <summary>Whether an array argument is given; <paramref name="elements"/> is null when it is null or no array.</summary>
        public bool TryGetArray(string key, out object?[]? elements)
        {
            foreach (KeyValuePair<string, object?> argument in _named)
            {
                if (argument.Key == key)
                {
                    elements = argument.Value as object?[];
                    return true;
                }
            }

            elements = null;
            return false;
        }

        private static object?[] ElementValues(System.Collections.Immutable.ImmutableArray<TypedConstant> values)
        {
            var elements = new object?[values.Length];
            for (int i = 0; i < elements.Length; i++)
            {
                elements[i] = values[i].Kind == TypedConstantKind.Array ? null : values[i].Value;
            }

            return elements;
        }
    }
}
