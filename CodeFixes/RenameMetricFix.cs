using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MetricsGen.Generator;
using MetricsGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MetricsGen.CodeFixes;

/// <summary>
/// One fix for every diagnostic whose cure is another name: it rewrites the name literal of the metric attribute
/// (or the <c>Prefix</c>, or a <c>[Label]</c>). The name lints say what to write in the diagnostic's
/// <c>MetricsGen.SuggestedName</c> property; for MG0005, MG0006 and MG0014 the name is computed here.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RenameMetricFix)), Shared]
public sealed class RenameMetricFix : CodeFixProvider
{
    /// <summary>The name lints (MG0034-MG0039) whose diagnostics may carry a suggested name.</summary>
    internal static readonly ImmutableArray<string> LintIds = ImmutableArray.Create("MG0034", "MG0035", "MG0036", "MG0037", "MG0038", "MG0039");

    /// <summary>
    /// Non-base units and what one of them is in the base unit, as numerator/denominator so that 5 ms becomes
    /// exactly 0.005 (5 / 1000) rather than 5 * 0.001.
    /// </summary>
    private static readonly (string From, string To, double Multiply, double Divide)[] Units =
    {
        ("ms", "seconds", 1, 1e3), ("milliseconds", "seconds", 1, 1e3),
        ("us", "seconds", 1, 1e6), ("microseconds", "seconds", 1, 1e6),
        ("ns", "seconds", 1, 1e9), ("nanoseconds", "seconds", 1, 1e9),
        ("minutes", "seconds", 60, 1), ("hours", "seconds", 3600, 1), ("days", "seconds", 86400, 1),
        ("kb", "bytes", 1e3, 1), ("kilobytes", "bytes", 1e3, 1), ("kib", "bytes", 1024, 1),
        ("mb", "bytes", 1e6, 1), ("megabytes", "bytes", 1e6, 1), ("mib", "bytes", 1048576, 1),
        ("gb", "bytes", 1e9, 1), ("gigabytes", "bytes", 1e9, 1), ("gib", "bytes", 1073741824, 1),
        ("percent", "ratio", 1, 100),
    };

    /// <summary>
    /// One key for every ID: Fix All is scoped by diagnostic ID anyway, and <c>dotnet format</c> takes the key from
    /// the first diagnostic its analyzers report, which for an analyzer of several lints may be another of them.
    /// </summary>
    private const string RenameKey = "MetricsGen.Rename";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(FixIds.InvalidMetricName, FixIds.InvalidLabelName, FixIds.UnitMismatch).AddRange(LintIds);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (Plan(diagnostic, node, model) is not { } plan)
            {
                continue;
            }

            string title = plan.Unit is { } unit
                ? $"Rename to '{plan.NewName}' (record {unit.To})"
                : $"Rename to '{plan.NewName}'";
            context.RegisterCodeFix(
                CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(Apply(root, plan))), equivalenceKey: RenameKey),
                diagnostic);
        }
    }

    /// <summary>What to write where: the literal (or the attribute to add a name to), the name, the unit it changes.</summary>
    private sealed class RenamePlan
    {
        public RenamePlan(SyntaxNode target, string newName, AttributeSyntax? insertNameInto, (string From, string To, double Multiply, double Divide)? unit, AttributeSyntax? attribute)
        {
            Target = target;
            NewName = newName;
            InsertNameInto = insertNameInto;
            Unit = unit;
            Attribute = attribute;
        }

        public SyntaxNode Target { get; }

        public string NewName { get; }

        public AttributeSyntax? InsertNameInto { get; }

        public (string From, string To, double Multiply, double Divide)? Unit { get; }

        public AttributeSyntax? Attribute { get; }
    }

    private static RenamePlan? Plan(Diagnostic diagnostic, SyntaxNode node, SemanticModel? model)
    {
        switch (diagnostic.Id)
        {
            case FixIds.InvalidLabelName:
                return PlanLabel(node);
            case FixIds.InvalidMetricName:
                return PlanMetricName(node);
            case FixIds.UnitMismatch:
                return PlanUnit(node, model);
        }

        // A name lint: the analyzer has worked out the name; write it where the name is (or add it).
        if (!diagnostic.Properties.TryGetValue(FixIds.SuggestedNameProperty, out string? suggested) || string.IsNullOrEmpty(suggested)
            || node.FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute)
        {
            return null;
        }

        LiteralExpressionSyntax? literal = MetricSyntax.NameLiteral(attribute);
        string oldName = literal?.Token.ValueText ?? MemberName(attribute) ?? string.Empty;
        return new RenamePlan((SyntaxNode?)literal ?? attribute, suggested!, literal is null ? attribute : null, UnitChange(oldName, suggested!), attribute);
    }

    private static RenamePlan? PlanLabel(SyntaxNode node)
    {
        ParameterSyntax? parameter = node.FirstAncestorOrSelf<ParameterSyntax>();
        AttributeSyntax? label = parameter?.AttributeLists.SelectMany(list => list.Attributes).FirstOrDefault(attribute => MetricSyntax.ShortName(attribute) == "Label");
        if (label is null || MetricSyntax.NameLiteral(label) is not { } literal)
        {
            // A label named after its parameter: the parameter name is C#, where the fix is the author's.
            return null;
        }

        string fixedName = Sanitize(literal.Token.ValueText, allowColon: false);
        return ExpositionRules.IsValidLabelName(fixedName) ? new RenamePlan(literal, fixedName, null, null, null) : null;
    }

    private static RenamePlan? PlanMetricName(SyntaxNode node)
    {
        if (node.FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute)
        {
            return null;
        }

        // The class's Prefix, or the member's declared name.
        ExpressionSyntax? written = MetricSyntax.ShortName(attribute) == "GatewayMetric" ? MetricSyntax.Named(attribute, "Prefix") : MetricSyntax.NameLiteral(attribute);
        if (written is not LiteralExpressionSyntax literal || !literal.IsKind(SyntaxKind.StringLiteralExpression))
        {
            return null;
        }

        string fixedName = Sanitize(literal.Token.ValueText, allowColon: true);
        return ExpositionRules.IsValidMetricName(fixedName) && fixedName != literal.Token.ValueText ? new RenamePlan(literal, fixedName, null, null, null) : null;
    }

    private static RenamePlan? PlanUnit(SyntaxNode node, SemanticModel? model)
    {
        if (node.FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute
            || MetricSyntax.StringValue(MetricSyntax.Named(attribute, "Unit")) is not { } unit || !ExpositionRules.IsValidLabelName(unit))
        {
            return null;
        }

        LiteralExpressionSyntax? literal = MetricSyntax.NameLiteral(attribute);
        string? name = literal?.Token.ValueText ?? (MemberName(attribute) is { } member ? Naming.ToSnakeCase(member) : null);
        if (name is null)
        {
            return null;
        }

        // The unit goes before the type's own suffix: a counter's family name (without _total) must end with it.
        string suffix = MetricSyntax.KindOf(attribute, model) switch
        {
            "Counter" => ExpositionRules.CounterSuffix,
            "Info" => ExpositionRules.InfoSuffix,
            _ => string.Empty,
        };
        bool hadSuffix = suffix.Length > 0 && name.EndsWith(suffix, StringComparison.Ordinal);
        string stem = hadSuffix ? name.Substring(0, name.Length - suffix.Length) : name;
        string fixedName = stem.EndsWith("_" + unit, StringComparison.Ordinal) ? name : stem + "_" + unit + (hadSuffix ? suffix : string.Empty);
        return fixedName == name ? null : new RenamePlan((SyntaxNode?)literal ?? attribute, fixedName, literal is null ? attribute : null, null, null);
    }

    private static string? MemberName(AttributeSyntax attribute) => attribute.FirstAncestorOrSelf<MemberDeclarationSyntax>() switch
    {
        MethodDeclarationSyntax method => method.Identifier.ValueText,
        PropertyDeclarationSyntax property => property.Identifier.ValueText,
        _ => null,
    };

    /// <summary>
    /// snake_case, then every character the exposition does not allow becomes '_' (dots of OpenTelemetry names
    /// included), runs of '_' collapse, and a leading digit gets a '_' before it; leading '__' (reserved) goes.
    /// </summary>
    internal static string Sanitize(string name, bool allowColon)
    {
        string snake = Naming.ToSnakeCase(name);
        var builder = new StringBuilder(snake.Length + 1);
        foreach (char c in snake)
        {
            bool allowed = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' || (allowColon && c == ':');
            char written = allowed ? c : '_';
            if (written == '_' && builder.Length > 0 && builder[builder.Length - 1] == '_')
            {
                continue;
            }

            builder.Append(written);
        }

        string result = builder.ToString().Trim('_');
        return result.Length > 0 && char.IsDigit(result[0]) ? "_" + result : result;
    }

    /// <summary>The unit a rename swaps for its base unit (<c>latency_ms</c> → <c>latency_seconds</c>), if any.</summary>
    internal static (string From, string To, double Multiply, double Divide)? UnitChange(string oldName, string newName)
    {
        string[] oldWords = oldName.Split('_');
        string[] newWords = newName.Split('_');
        foreach ((string From, string To, double Multiply, double Divide) unit in Units)
        {
            if (oldWords.Contains(unit.From, StringComparer.OrdinalIgnoreCase) && !newWords.Contains(unit.From, StringComparer.OrdinalIgnoreCase)
                && newWords.Contains(unit.To, StringComparer.Ordinal) && !oldWords.Contains(unit.To, StringComparer.Ordinal))
            {
                return unit;
            }
        }

        return null;
    }

    private static SyntaxNode Apply(SyntaxNode root, RenamePlan plan)
    {
        var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
        if (plan.InsertNameInto is { } attribute)
        {
            // No name written: the name becomes the first (constructor) argument.
            AttributeArgumentSyntax argument = SyntaxFactory.AttributeArgument(MetricSyntax.StringLiteral(plan.NewName, null));
            AttributeArgumentListSyntax list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
            AttributeSyntax renamed = attribute.WithArgumentList(list.WithArguments(list.Arguments.Insert(0, argument)));
            renamed = ScaleUnit(renamed, plan.Unit);
            replacements[attribute] = renamed;
        }
        else if (plan.Unit is { } && plan.Attribute is { } owner)
        {
            var renamedLiteral = MetricSyntax.StringLiteral(plan.NewName, plan.Target);
            AttributeSyntax renamed = owner.ReplaceNode(plan.Target, renamedLiteral);
            replacements[owner] = ScaleUnit(renamed, plan.Unit);
        }
        else
        {
            replacements[plan.Target] = MetricSyntax.StringLiteral(plan.NewName, plan.Target);
        }

        return root.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]);
    }

    /// <summary>
    /// The rename changes what the values mean, so what the attribute says in the old unit follows: a literal
    /// bucket array is converted, and a <c>Unit</c> naming the old unit names the new one.
    /// </summary>
    private static AttributeSyntax ScaleUnit(AttributeSyntax attribute, (string From, string To, double Multiply, double Divide)? unit)
    {
        if (unit is not { } change)
        {
            return attribute;
        }

        if (MetricSyntax.Named(attribute, "Unit") is LiteralExpressionSyntax unitLiteral
            && string.Equals(unitLiteral.Token.ValueText, change.From, StringComparison.OrdinalIgnoreCase))
        {
            attribute = attribute.ReplaceNode(unitLiteral, MetricSyntax.StringLiteral(change.To, unitLiteral));
        }

        if (MetricSyntax.Named(attribute, "Buckets") is { } buckets && BucketArray.Elements(buckets) is { } elements
            && elements.All(element => BucketArray.LiteralValue(element) is not null))
        {
            attribute = attribute.ReplaceNodes(elements, (original, _) =>
                BucketArray.DoubleLiteral(BucketArray.LiteralValue(original)!.Value * change.Multiply / change.Divide).WithTriviaFrom(original));
        }

        return attribute;
    }
}
