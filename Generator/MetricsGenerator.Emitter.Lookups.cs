using System.Collections.Generic;
using System.Linq;
using MetricsGen.Generator.Model;
using MetricsGen.Shared;
namespace MetricsGen.Generator;

public sealed partial class MetricsGenerator
{
    // The labelled metric members: series lookup by slot or key, first-use creation, label sets, key structs and enum helpers.
    internal sealed partial class Emitter
    {
        private void EmitMember(MetricModel metric)
        {
            SourceWriter w = _writer;
            string camel = Camel(metric);
            string seriesType = SeriesType(metric);
            w.Line(_generatedCode);
            switch (Lookups.Of(metric))
            {
                case Lookup.Unlabelled:
                    w.Line(metric.IsProperty
                        ? $"{metric.Modifiers} {seriesType} {metric.MemberName} => _{camel}.Unlabelled;"
                        : $"{metric.Modifiers} {seriesType} {metric.MemberName}() => _{camel}.Unlabelled;");
                    return;

                case Lookup.Slots:
                    // Small enough to inline into the caller: compute the slot, read it. An undefined enum value gives
                    // a negative slot (Lookups.UndefinedIndex), which finds nothing, so Create{Member} reports it.
                    w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
                    break;

                case Lookup.Map:
                    // The hot path only hashes and looks up. A null string or an undefined enum value is never a key
                    // in the map, so it misses and Create{Member} reports it.
                    break;
            }

            string lookup = LookupArgument(metric);
            w.Line($"{metric.Modifiers} {seriesType} {metric.MemberName}({Parameters(metric)}) =>");
            w.Indent();
            w.Line($"_{camel}.Find({lookup}) ?? Create{metric.MemberName}({Arguments(metric)});");
            w.Unindent();
            w.Line();

            // Validation, the label set's text and the limit are the family's first use of a label set, kept out of
            // the hot path. The label set is encoded by a static lambda only when a series is made: past the limit a
            // new label set gets the overflow series and allocates nothing.
            w.Line(_generatedCode);
            bool guarded = HasGuards(metric);
            string start;
            if (guarded)
            {
                w.Open($"private {seriesType} Create{metric.MemberName}({Parameters(metric)})");
                EmitValueGuards(metric);
                start = "return ";
            }
            else
            {
                w.Line($"private {seriesType} Create{metric.MemberName}({Parameters(metric)}) =>");
                w.Indent();
                start = string.Empty;
            }

            if (Lookups.Of(metric) == Lookup.Map)
            {
                IReadOnlyList<string> fields = KeyFieldsOf(metric);
                w.Line($"{start}_{camel}.GetOrAdd({lookup}, static key => new {CompilerServices}LabelSetBuilder()");
                w.Indent();
                EmitLabelSet(metric, i => "key." + fields[i]);
            }
            else if (metric.Labels.Count == 1)
            {
                // The lambda's parameter is named after the label parameter it receives (it may shadow it: static).
                string parameter = metric.Labels[0].ParameterName;
                w.Line($"{start}_{camel}.GetOrAdd({lookup}, {parameter}, static {parameter} => new {CompilerServices}LabelSetBuilder()");
                w.Indent();
                EmitLabelSet(metric, i => parameter);
            }
            else
            {
                // Tuple elements by position: a label parameter may have a name a tuple cannot infer (Item1, Rest).
                w.Line($"{start}_{camel}.GetOrAdd({lookup}, ({Arguments(metric)}), static labels => new {CompilerServices}LabelSetBuilder()");
                w.Indent();
                EmitLabelSet(metric, i => "labels.Item" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            w.Line(".ToArray());");
            w.Unindent();
            if (guarded)
            {
                w.Close();
            }
            else
            {
                w.Unindent();
            }
        }

        /// <summary>Whether a label of the metric can hold a bad value (a null string, an undefined enum value).</summary>
        private static bool HasGuards(MetricModel metric)
        {
            foreach (LabelModel label in metric.Labels.AsSpan())
            {
                if (label.Kind is LabelKind.String or LabelKind.Enum)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// What finds a label set's series in the metric's family: the slot (<c>(IndexOf(a) * 2 + IndexOf(b)) * 3 + c</c>)
        /// or the key (<c>new RequestsLabels(provider, model)</c>).
        /// </summary>
        private string LookupArgument(MetricModel metric)
        {
            NamesFor(metric);
            return _lookupArgument ??= Lookups.Of(metric) == Lookup.Map
                ? $"new {GeneratedNames.KeyType(metric)}({Arguments(metric)})"
                : SlotExpression(metric);
        }

        private static string SlotExpression(MetricModel metric)
        {
            // Mixed radix over the labels' value counts; an undefined value's index is so negative that the whole sum
            // stays negative whatever the other labels hold (see Lookups.UndefinedIndex).
            bool alone = metric.Labels.Count == 1;
            string expression = SlotIndex(metric.Labels[0], alone);
            for (int i = 1; i < metric.Labels.Count; i++)
            {
                expression = (i == 1 ? expression : $"({expression})") + $" * {metric.Labels[i].EnumSize} + {SlotIndex(metric.Labels[i], alone)}";
            }

            return expression;
        }

        private static string SlotIndex(LabelModel label, bool alone) => label.Kind != LabelKind.Bool
            ? $"MetricLabelValues.IndexOf({label.ParameterName})"
            : alone ? $"{label.ParameterName} ? 1 : 0" : $"({label.ParameterName} ? 1 : 0)";

        /// <summary>
        /// The builder calls of a label set, one line per label; <paramref name="valueOf"/> gives the C# expression of
        /// label i's value (a parameter, a tuple element or a key property).
        /// </summary>
        private void EmitLabelSet(MetricModel metric, System.Func<int, string> valueOf)
        {
            SourceWriter w = _writer;
            for (int i = 0; i < metric.Labels.Count; i++)
            {
                LabelModel label = metric.Labels[i];
                Literals.Literal name = Literals.QuoteUtf8(label.LabelName);
                string value = valueOf(i);
                switch (label.Kind)
                {
                    case LabelKind.String:
                        w.Line($".Add({name}, {value})");
                        break;
                    case LabelKind.Enum:
                        w.Line($".AddEncoded({name}, MetricLabelValues.ValueOf({value}))");
                        break;
                    case LabelKind.Bool:
                        w.Line($".AddEncoded({name}, {value} ? \"true\"u8 : \"false\"u8)");
                        break;
                    case LabelKind.SignedInteger:
                        w.Line($".Add({name}, (long){value})");
                        break;
                    default:
                        w.Line($".Add({name}, (ulong){value})");
                        break;
                }
            }
        }

        private void EmitKey(MetricModel metric)
        {
            SourceWriter w = _writer;
            string key = GeneratedNames.KeyType(metric);
            // Properties are named after the labels (KeyFields falls back to Value0, Value1, … when a name could
            // clash with another, with a member the record gets, or with the struct itself).
            IReadOnlyList<string> names = KeyFieldsOf(metric);
            int count = metric.Labels.Count;
            var types = new string[count];
            var properties = new string[count];
            for (int i = 0; i < count; i++)
            {
                types[i] = metric.Labels[i].Kind == LabelKind.String ? "string?" : metric.Labels[i].ParameterType;
                properties[i] = names[i];
            }

            w.Line($"/// <summary>The label values of <see cref=\"{metric.MemberName}\"/>, the key of its series.</summary>");
            w.Line(_generatedCode);

            // A record struct: the compiler writes the fields, constructor and field-by-field Equals (ordinal for
            // strings); only the hash is ours.
            w.Open($"private readonly record struct {key}({new ParameterList(types, properties)})");
            // String hashes are seeded per process (LabelHash), so a caller cannot choose colliding label values;
            // the runtime map spreads the combined value over its buckets. LabelHash.Combine is the polynomial
            // ((a * K + b) * K + c) * K + d with its powers of K written out (terms side by side, not a chain).
            var hashes = new string[count];
            for (int i = 0; i < count; i++)
            {
                (string before, string after) = HashParts(metric.Labels[i].Kind);
                hashes[i] = before + names[i] + after;
            }

            if (count == 1)
            {
                w.Line($"public override int GetHashCode() => {hashes[0]};");
            }
            else if (count <= 4)
            {
                w.Line($"public override int GetHashCode() => {CompilerServices}LabelHash.Combine({string.Join(", ", hashes)});");
            }
            else
            {
                // Beyond LabelHash.Combine's four: the same polynomial, its terms side by side.
                w.Line("public override int GetHashCode() =>");
                w.Indent();
                for (int i = 0; i < count; i++)
                {
                    int power = count - 1 - i;
                    string start = i == 0 ? "unchecked(" : "+ ";
                    string end = i == count - 1 ? ");" : string.Empty;
                    w.Line(power == 0 ? $"{start}{hashes[i]}{end}" : $"{start}({hashes[i]} * {HashFactor(power)}){end}");
                }

                w.Unindent();
            }

            w.Close();
        }

        /// <summary>What goes around a key field to hash it.</summary>
        private static (string Before, string After) HashParts(LabelKind kind) => kind switch
        {
            LabelKind.Enum => ("(int)", string.Empty),
            LabelKind.Bool => ("(", " ? 1 : 0)"),
            LabelKind.String => (CompilerServices + "LabelHash.Of(", ")"),
            _ => (string.Empty, ".GetHashCode()"),
        };

        // -1521134295^power, wrapping as the generated unchecked arithmetic does.
        private static int HashFactor(int power)
        {
            int factor = 1;
            for (int i = 0; i < power; i++)
            {
                factor = unchecked(factor * -1521134295);
            }

            return factor;
        }

        private void EmitEnumHelpers()
        {
            SourceWriter w = _writer;
            w.Line("/// <summary>Enum label values: an index for slot lookups and the escaped UTF-8 value for the exposition.</summary>");
            w.Line(_generatedCode);
            w.Open("private static class MetricLabelValues");
            bool first = true;
            foreach (EnumModel enumModel in _model.Enums)
            {
                if (!first)
                {
                    w.Line();
                }

                first = false;
                int count = enumModel.Members.Count;
                if (enumModel.IsZeroBasedRange && count > 0)
                {
                    w.Line($"public static int IndexOf({enumModel.FullName} value) => (uint)value < {count}u ? (int)value : {Lookups.UndefinedIndex};");
                }
                else
                {
                    w.Line($"public static int IndexOf({enumModel.FullName} value) => value switch");
                    w.Line("{");
                    w.Indent();
                    for (int i = 0; i < count; i++)
                    {
                        w.Line($"{enumModel.FullName}.{enumModel.Members[i].Name} => {i},");
                    }

                    w.Line($"_ => {Lookups.UndefinedIndex},");
                    w.Unindent();
                    w.Line("};");
                }

                w.Line();
                w.Line($"public static global::System.ReadOnlySpan<byte> ValueOf({enumModel.FullName} value) => value switch");
                w.Line("{");
                w.Indent();
                foreach (EnumMemberModel member in enumModel.Members)
                {
                    w.Line($"{enumModel.FullName}.{member.Name} => {Literals.QuoteUtf8(ExpositionRules.EscapeLabelValue(member.LabelValue))},");
                }

                w.Line("_ => throw new global::System.ArgumentOutOfRangeException(nameof(value)),");
                w.Unindent();
                w.Line("};");
            }

            w.Close();
        }
    }
}
