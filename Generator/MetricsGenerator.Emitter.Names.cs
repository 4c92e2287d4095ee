using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MetricsGen.Generator.Model;
namespace MetricsGen.Generator;

public sealed partial class MetricsGenerator
{
    // Names and parameter lists derived from the metric being written (camelCase names, locals, lookups, key fields).
    internal sealed partial class Emitter
    {
        // Names derived from the metric being written, computed once for it: every part of its block uses them, and
        // recomputing them per line was much of what the emitter allocated besides the source itself.
        private MetricModel? _namesOf;
        private string? _camel;
        private string? _local;
        private IReadOnlyList<string>? _keyFields;
        private string? _lookupArgument;

        private void NamesFor(MetricModel metric)
        {
            if (!ReferenceEquals(_namesOf, metric))
            {
                _namesOf = metric;
                _camel = _local = null;
                _keyFields = null;
                _lookupArgument = null;
            }
        }

        private string Camel(MetricModel metric)
        {
            NamesFor(metric);
            return _camel ??= Naming.ToCamelCase(metric.MemberName);
        }

        private string Local(MetricModel metric)
        {
            NamesFor(metric);
            return _local ??= LocalPrefix(metric);
        }

        /// <summary>The label parameters as declared: <c>string provider, bool cached</c>.</summary>
        private static ParameterList Parameters(MetricModel metric) => new(metric.Labels, withTypes: true);

        /// <summary>The label parameters passed on: <c>provider, cached</c>.</summary>
        private static ParameterList Arguments(MetricModel metric) => new(metric.Labels, withTypes: false);

        private IReadOnlyList<string> KeyFieldsOf(MetricModel metric)
        {
            NamesFor(metric);
            return _keyFields ??= KeyFields(metric);
        }

        /// <summary>
        /// Field names of a key struct: the label names in PascalCase (<c>token_type</c> → <c>TokenType</c>), or
        /// <c>Value0</c>, <c>Value1</c>, … when one of those would clash with another or with a member every struct has.
        /// </summary>
        private static IReadOnlyList<string> KeyFields(MetricModel metric)
        {
            var names = new string[metric.Labels.Count];
            string keyType = GeneratedNames.KeyType(metric);
            bool clash = false;
            for (int i = 0; i < names.Length; i++)
            {
                string name = Naming.SnakeToPascalCase(metric.Labels[i].LabelName);
                names[i] = name;
                clash |= name.Length == 0 || !char.IsLetter(name[0])
                    || name is "Equals" or "GetHashCode" or "ToString" or "GetType" or "MemberwiseClone" or "ReferenceEquals" or "PrintMembers" or "Deconstruct"
                    || name == keyType || System.Array.IndexOf(names, name, 0, i) >= 0;
            }

            if (clash)
            {
                for (int i = 0; i < names.Length; i++)
                {
                    names[i] = "Value" + i.ToString(CultureInfo.InvariantCulture);
                }
            }

            return names;
        }

        /// <summary>
        /// A prefix for the locals of a generated member that no label parameter starts with, so that a parameter
        /// named <c>key</c>, <c>slot</c> or <c>labels</c> cannot clash with them.
        /// </summary>
        private static string LocalPrefix(MetricModel metric)
        {
            string prefix = "__";
            while (AnyStartsWith(metric.Labels, prefix))
            {
                prefix += "_";
            }

            return prefix;

            static bool AnyStartsWith(EquatableArray<LabelModel> labels, string prefix)
            {
                foreach (LabelModel label in labels.AsSpan())
                {
                    if (label.ParameterName.TrimStart('@').StartsWith(prefix, System.StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>
        /// A comma-separated parameter or argument list, written straight into the line: the label parameters
        /// (<c>string provider, bool cached</c> or <c>provider, cached</c>), or a key's constructor parameters.
        /// </summary>
        internal readonly struct ParameterList
        {
            private readonly EquatableArray<LabelModel> _labels;
            private readonly bool _withTypes;
            private readonly string[]? _types;
            private readonly string[]? _names;

            public ParameterList(EquatableArray<LabelModel> labels, bool withTypes)
            {
                _labels = labels;
                _withTypes = withTypes;
                _types = _names = null;
            }

            public ParameterList(string[] types, string[] names)
            {
                _labels = default;
                _withTypes = true;
                _types = types;
                _names = names;
            }

            public int Count => _names?.Length ?? _labels.Count;

            /// <summary>The list as a string, for text that is built before it is written (a lookup's argument).</summary>
            public override string ToString()
            {
                var text = new System.Text.StringBuilder();
                AppendTo(text);
                return text.ToString();
            }

            public void AppendTo(System.Text.StringBuilder text)
            {
                for (int i = 0; i < Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(", ");
                    }

                    if (_withTypes)
                    {
                        text.Append(_types is null ? _labels[i].ParameterType : _types[i]).Append(' ');
                    }

                    text.Append(_names is null ? _labels[i].ParameterName : _names[i]);
                }
            }
        }
    }
}
