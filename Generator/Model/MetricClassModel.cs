namespace MetricsGen.Generator.Model;

/// <summary>
/// One <c>[GatewayMetric]</c> class to generate. Must stay immutable and structurally equal: it is the cache key
/// of the source output step.
/// </summary>
/// <param name="Namespace">The namespace, or empty for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of enclosing types, outermost first (<c>partial class Outer</c>).</param>
/// <param name="Keyword">How the class is declared: <c>class</c> or <c>record</c>.</param>
/// <param name="Name">The class name.</param>
/// <param name="FullName">The name shown in errors and used for the hint name (<c>Ns.Outer.Name</c>).</param>
/// <param name="Metrics">The metrics, sorted ordinally by metric name.</param>
/// <param name="Enums">The enums used as labels, sorted by full name.</param>
internal sealed record MetricClassModel(
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string Keyword,
    string Name,
    string FullName,
    EquatableArray<MetricModel> Metrics,
    EquatableArray<EnumModel> Enums);
