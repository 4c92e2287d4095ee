namespace MetricsGen.Runtime.Tests.Exporter;

// The hostile-request, limit and robustness tests again, with server and clients speaking TLS: every limit and
// status code must hold over TLS as it does over plain HTTP.

public sealed class ExporterMalformedRequestOverTlsTests : ExporterMalformedRequestTests
{
    protected override bool OverTls => true;
}

public sealed class ExporterLimitsOverTlsTests : ExporterLimitsTests
{
    protected override bool OverTls => true;
}

public sealed class ExporterRobustnessOverTlsTests : ExporterRobustnessTests
{
    protected override bool OverTls => true;
}
