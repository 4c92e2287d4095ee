using System.Collections.Generic;
using System.Linq;
using MetricsGen.Generator.Model;
using MetricsGen.Shared;
namespace MetricsGen.Generator;

public sealed partial class MetricsGenerator
{
    // The labelled metric members: series lookup by slot or key, the overflow check past MaxSeries, label sets, key structs and enum helpers.
    internal sealed partial class Emitter
    {
        private void EmitMember(MetricModel metric)
        {
            SourceWriter w = _writer;
            string camel = Camel(metric);
            string seriesType = SeriesType(metric);
            string local = Local(metric);
            w.Line(_generatedCode);
            ParameterList parameters = Parameters(metric);
            switch (Lookups.Of(metric))
            {
                case Lookup.Unlabelled:
                    w.Line(metric.IsProperty
                        ? $"{metric.Modifiers} {seriesType} {metric.MemberName} => _{camel}Series;"
                        : $"{metric.Modifiers} {seriesType} {metric.MemberName}() => _{camel}Series;");
                    return;

                case Lookup.Slots:
                    // The lookup is small enough to inline into the caller: compute the slot, read it, done.
                    // Validation and creation live in Create{Member}, reached on the first call or a bad value.
                    w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
                    w.Open($"{metric.Modifiers} {seriesType} {metric.MemberName}({parameters})");
                    EmitSlotIndexes(metric);
                    w.Open($"if ({EnumCheck(metric)}_{camel}Slots[{SlotExpression(metric)}] is {{ }} {local}series)");
                    w.Line($"return {local}series;");
                    w.Close();
                    w.Line();
                    w.Line($"return Create{metric.MemberName}({Arguments(metric)});");
                    w.Close();
                    w.Line();
                    w.Line(_generatedCode);
                    w.Open($"private {seriesType} Create{metric.MemberName}({parameters})");
                    string[] indexes = EmitSlotIndexes(metric);
                    for (int i = 0; i < indexes.Length; i++)
                    {
                        LabelModel label = metric.Labels[i];
                        if (label.Kind != LabelKind.Enum)
                        {
                            continue;
                        }

                        w.Open($"if ({indexes[i]} < 0)");
                        w.Line($"{CompilerServices}LabelGuard.ThrowUndefined({Literals.Quote(metric.MetricName)}, {Literals.Quote(label.LabelName)}, nameof({label.ParameterName}), (long){label.ParameterName});");
                        w.Close();
                        w.Line();
                    }

                    EmitOverflowCheck(metric, local);
                    EmitLabelSet(metric, local, fromKey: false);
                    w.Line($"return _{camel}.GetOrAdd(_{camel}Slots, {SlotExpression(metric)}, {local}labels);");
                    w.Close();
                    return;

                case Lookup.Map:
                    // The hot path only hashes and looks up. A null string or an undefined enum value is never a key
                    // in the map, so it misses and Create{Member} reports it.
                    w.Open($"{metric.Modifiers} {seriesType} {metric.MemberName}({parameters})");
                    w.Line($"var {local}key = new {metric.MemberName}Labels({Arguments(metric)});");
                    w.Line($"return _{camel}Series.TryGetValue(in {local}key, out {seriesType}? {local}series) ? {local}series : Create{metric.MemberName}(in {local}key);");
                    w.Close();
                    w.Line();
                    w.Line(_generatedCode);
                    w.Open($"private {seriesType} Create{metric.MemberName}(in {metric.MemberName}Labels {local}key)");
                    IReadOnlyList<string> keyFields = KeyFieldsOf(metric);
                    EmitValueGuards(metric, i => local + "key." + keyFields[i], undefinedByNameOf: false);

                    EmitOverflowCheck(metric, local);
                    EmitLabelSet(metric, local, fromKey: true);
                    w.Line($"return _{camel}Series.GetOrAdd(in {local}key, _{camel}, {local}labels);");
                    w.Close();
                    return;
            }
        }

        /// <summary>
        /// Past the limit a new label set gets the overflow series, decided before its label text is built: a flood of
        /// new label values allocates nothing.
        /// </summary>
        private void EmitOverflowCheck(MetricModel metric, string local)
        {
            if (!IsLimited(metric))
            {
                return;
            }

            SourceWriter w = _writer;
            string camel = Camel(metric);
            w.Open($"if (_{camel}.IsFull)");
            w.Line($"return _{camel}.GetOverflow();");
            w.Close();
            w.Line();
        }

        /// <summary>Writes the slot index locals, one per label, and returns their names.</summary>
        private string[] EmitSlotIndexes(MetricModel metric)
        {
            string[] indexes = SlotIndexes(metric);
            for (int i = 0; i < indexes.Length; i++)
            {
                LabelModel label = metric.Labels[i];
                _writer.Line(label.Kind == LabelKind.Bool
                    ? $"int {indexes[i]} = {label.ParameterName} ? 1 : 0;"
                    : $"int {indexes[i]} = MetricLabelValues.IndexOf({label.ParameterName});");
            }

            _writer.Line();
            return indexes;
        }

        /// <summary>
        /// The label set's bytes from the label parameters, or with <paramref name="fromKey"/> from the fields of the
        /// map key local (<c>__key.Provider</c>), written as prefix and name rather than built per label.
        /// </summary>
        private void EmitLabelSet(MetricModel metric, string local, bool fromKey)
        {
            SourceWriter w = _writer;
            w.Line($"byte[] {local}labels = new {CompilerServices}LabelSetBuilder()");
            w.Indent();
            string source = fromKey ? local + "key." : string.Empty;
            IReadOnlyList<string>? keyFields = fromKey ? KeyFieldsOf(metric) : null;
            for (int i = 0; i < metric.Labels.Count; i++)
            {
                LabelModel label = metric.Labels[i];
                Literals.Literal name = Literals.QuoteUtf8(label.LabelName);
                string value = keyFields is null ? label.ParameterName : keyFields[i];
                switch (label.Kind)
                {
                    case LabelKind.String:
                        w.Line($".Add({name}, {source}{value})");
                        break;
                    case LabelKind.Enum:
                        w.Line($".AddEncoded({name}, MetricLabelValues.ValueOf({source}{value}))");
                        break;
                    case LabelKind.Bool:
                        w.Line($".AddEncoded({name}, {source}{value} ? \"true\"u8 : \"false\"u8)");
                        break;
                    case LabelKind.SignedInteger:
                        w.Line($".Add({name}, (long){source}{value})");
                        break;
                    default:
                        w.Line($".Add({name}, (ulong){source}{value})");
                        break;
                }
            }

            w.Line(".ToArray();");
            w.Unindent();
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
            // the runtime map spreads the combined value over its buckets. The combination is the polynomial
            // ((a * K + b) * K + c) * K + d with its powers of K written out, so the terms are computed side by side
            // instead of in a chain of multiplies that every lookup would wait for.
            if (count == 1)
            {
                (string before, string after) = HashParts(metric.Labels[0].Kind);
                w.Line($"public override int GetHashCode() => {before}{names[0]}{after};");
            }
            else
            {
                w.Line("public override int GetHashCode() =>");
                w.Indent();
                for (int i = 0; i < count; i++)
                {
                    int power = count - 1 - i;
                    (string before, string after) = HashParts(metric.Labels[i].Kind);
                    string start = i == 0 ? "unchecked(" : "+ ";
                    string end = i == count - 1 ? ");" : string.Empty;
                    if (power == 0)
                    {
                        w.Line($"{start}{before}{names[i]}{after}{end}");
                    }
                    else
                    {
                        w.Line($"{start}({before}{names[i]}{after} * {HashFactor(power)}){end}");
                    }
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
                    w.Line($"public static int IndexOf({enumModel.FullName} value) => (uint)value < {count}u ? (int)value : -1;");
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

                    w.Line("_ => -1,");
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

        /// <summary>
        /// "<c>i &gt;= 0 &amp;&amp; </c>" (or "<c>(i | j) &gt;= 0 &amp;&amp; </c>") over the enum labels' indexes, which are -1
        /// for an undefined value; empty without enum labels.
        /// </summary>
        private string EnumCheck(MetricModel metric)
        {
            NamesFor(metric);
            return _enumCheck ??= EnumCheck(metric, SlotIndexes(metric));
        }

        private static string EnumCheck(MetricModel metric, string[] indexes)
        {
            string? first = null;
            System.Text.StringBuilder? several = null;
            for (int i = 0; i < indexes.Length; i++)
            {
                if (metric.Labels[i].Kind != LabelKind.Enum)
                {
                    continue;
                }

                if (first is null)
                {
                    first = indexes[i];
                }
                else
                {
                    several ??= new System.Text.StringBuilder("(").Append(first);
                    several.Append(" | ").Append(indexes[i]);
                }
            }

            return first is null ? string.Empty
                : several is null ? first + " >= 0 && "
                : several.Append(") >= 0 && ").ToString();
        }

        /// <summary>The slot of a label combination: <c>(aIndex * 2 + bIndex) * 3 + cIndex</c>.</summary>
        private string SlotExpression(MetricModel metric)
        {
            NamesFor(metric);
            return _slotExpression ??= SlotExpression(metric, SlotIndexes(metric));
        }

        private static string SlotExpression(MetricModel metric, string[] indexes)
        {
            string expression = indexes[0];
            for (int i = 1; i < indexes.Length; i++)
            {
                expression = (i == 1 ? expression : $"({expression})") + $" * {metric.Labels[i].EnumSize} + {indexes[i]}";
            }

            return expression;
        }
    }
}
