using System.Collections.Generic;
using Xunit;

namespace MetricsGen.Runtime.Tests.Exporter;

/// <summary>
/// The public scrape rules on <see cref="ExpositionFormats"/> that other HTTP hosts (MapMetrics) use: they must decide
/// exactly as the socket exporter does, from header and query strings.
/// </summary>
public sealed class HostNegotiationTests
{
    [Theory]
    [InlineData(null, ExpositionFormat.PrometheusText)]
    [InlineData("", ExpositionFormat.PrometheusText)]
    [InlineData("*/*", ExpositionFormat.PrometheusText)]
    [InlineData("text/plain", ExpositionFormat.PrometheusText)]
    [InlineData("application/openmetrics-text", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text;q=0.5, text/plain;q=0.5", ExpositionFormat.PrometheusText)]
    [InlineData("application/openmetrics-text;version=2.0.0", ExpositionFormat.PrometheusText)]
    [InlineData("APPLICATION/OpenMetrics-Text; Version=\"1.0.0\"", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text\u00e9", ExpositionFormat.PrometheusText)]
    [InlineData("application/openmetrics-text\u4e00", ExpositionFormat.PrometheusText)]
    public void NegotiatesLikeTheExporter(string? accept, ExpositionFormat expected) =>
        Assert.Equal(expected, ExpositionFormats.Negotiate(accept));

    [Fact]
    public void NegotiatesAHeaderLongerThanTheStackBuffer()
    {
        string accept = string.Concat(System.Linq.Enumerable.Repeat("text/html;q=0.1, ", 200)) + "application/openmetrics-text";
        Assert.True(accept.Length > 1024);
        Assert.Equal(ExpositionFormat.OpenMetrics, ExpositionFormats.Negotiate(accept));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("gzip", true)]
    [InlineData("deflate, gzip;q=0.5", true)]
    [InlineData("gzip;q=0", false)]
    [InlineData("*", true)]
    [InlineData("*;q=0", false)]
    [InlineData("gzip;q=0, *", false)]
    [InlineData("x-gzip", true)]
    [InlineData("identity", false)]
    public void AcceptsGzipLikeTheExporter(string? acceptEncoding, bool expected) =>
        Assert.Equal(expected, ExpositionFormats.AcceptsGzip(acceptEncoding));

    [Fact]
    public void ReadsNameFiltersFromARawQuery()
    {
        var names = new HashSet<string>();
        Assert.True(ExpositionFormats.ReadNameFilter("?name[]=a_total&name%5B%5D=b%3Ac&other=x&name[]=", names));
        Assert.Equal(new HashSet<string> { "a_total", "b:c" }, names);

        names.Clear();
        Assert.True(ExpositionFormats.ReadNameFilter("name[]=only", names));
        Assert.Equal(new HashSet<string> { "only" }, names);

        names.Clear();
        Assert.False(ExpositionFormats.ReadNameFilter(null, names));
        Assert.False(ExpositionFormats.ReadNameFilter("?", names));
        Assert.False(ExpositionFormats.ReadNameFilter("?name[]=&x=1", names));
        Assert.Empty(names);
    }
}
