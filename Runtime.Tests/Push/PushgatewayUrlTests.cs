using System;
using System.Collections.Generic;
using Xunit;

namespace MetricsGen.Runtime.Tests.Push;

/// <summary>The group URL: the issue's cases, and those of prometheus_client's own tests.</summary>
public sealed class PushgatewayUrlTests
{
    private static readonly Uri Gateway = new("http://pushgateway:9091");

    private static string Path(string job, params (string Label, string Value)[] key)
    {
        var groupingKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string label, string value) in key)
        {
            groupingKey[label] = value;
        }

        return PushgatewayUrl.Build(Gateway, job, groupingKey).AbsoluteUri["http://pushgateway:9091".Length..];
    }

    [Fact]
    public void TheIssuesExampleEncodesTheSlashValueAsBase64AndSortsTheKey() =>
        Assert.Equal("/metrics/job/nightly/instance/db-1/path@base64/L3Zhci9hIGI=", Path("nightly", ("path", "/var/a b"), ("instance", "db-1")));

    // prometheus_client's test_exposition.py: push_to_gateway with these jobs and grouping keys.
    [Theory]
    [InlineData("my_job", "", "", "/metrics/job/my_job")]
    [InlineData("my_job", "a", "9", "/metrics/job/my_job/a/9")]
    [InlineData("my_job", "a", "", "/metrics/job/my_job/a@base64/=")]
    [InlineData("my_job", "b", "a/ z", "/metrics/job/my_job/b@base64/YS8geg==")]
    [InlineData("my/job", "", "", "/metrics/job@base64/bXkvam9i")]
    public void PrometheusClientCases(string job, string label, string value, string expected)
    {
        string path = label.Length == 0 ? Path(job) : Path(job, (label, value));
        Assert.Equal(expected, path);
    }

    [Fact]
    public void PrometheusClientsComplexGroupingKey() =>
        Assert.Equal("/metrics/job/my_job/a/9/b@base64/YS8geg==", Path("my_job", ("b", "a/ z"), ("a", "9")));

    [Theory]
    [InlineData("a b", "a%20b")] // a space in a path is %20; '+' would be a literal plus there
    [InlineData("a+b", "a%2Bb")]
    [InlineData("100%", "100%25")]
    [InlineData("ü", "%C3%BC")]
    [InlineData("日本", "%E6%97%A5%E6%9C%AC")]
    [InlineData("a-b_c.d~e", "a-b_c.d~e")]
    [InlineData("x?y#z&w=v", "x%3Fy%23z%26w%3Dv")]
    [InlineData("@base64", "%40base64")]
    [InlineData("...", "...")]
    public void OtherValuesArePercentEncoded(string value, string encoded) =>
        Assert.Equal("/metrics/job/j/l/" + encoded, Path("j", ("l", value)));

    [Theory]
    [InlineData("", "=")]
    [InlineData("/", "Lw==")]
    [InlineData("x/ü", "eC_DvA==")] // URL-safe alphabet: '_' where standard base64 has '/'
    [InlineData(".", "Lg==")] // dot segments would be removed from the path before the gateway saw them
    [InlineData("..", "Li4=")]
    public void EmptySlashAndDotValuesAreBase64(string value, string encoded) =>
        Assert.Equal("/metrics/job/j/l@base64/" + encoded, Path("j", ("l", value)));

    [Fact]
    public void TheJobFollowsTheSameRules()
    {
        Assert.Equal("/metrics/job/a%20b", Path("a b"));
        Assert.Equal("/metrics/job@base64/YS9i", Path("a/b"));
        Assert.Equal("/metrics/job@base64/Lg==", Path("."));
    }

    [Fact]
    public void TheKeyIsInOrdinalOrder() =>
        Assert.Equal("/metrics/job/j/B/3/a/2/b/1", Path("j", ("b", "1"), ("a", "2"), ("B", "3")));

    [Fact]
    public void AnEndpointPathPrefixIsKept()
    {
        Assert.Equal("http://proxy/gateway/metrics/job/j", PushgatewayUrl.Build(new Uri("http://proxy/gateway/"), "j", null).AbsoluteUri);
        Assert.Equal("https://proxy:8443/gw/metrics/job/j", PushgatewayUrl.Build(new Uri("https://proxy:8443/gw"), "j", null).AbsoluteUri);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void AnEmptyJobIsRefused(string? job)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => PushgatewayUrl.Build(Gateway, job, null));
        Assert.Equal("Job", error.ParamName);
    }

    [Theory]
    [InlineData("a-b")]
    [InlineData("1a")]
    [InlineData("")]
    [InlineData("__name")]
    [InlineData("a:b")]
    [InlineData("job")]
    public void InvalidOrReservedLabelNamesAreRefused(string label)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            PushgatewayUrl.Build(Gateway, "j", new Dictionary<string, string> { [label] = "v" }));
        Assert.Equal("GroupingKey", error.ParamName);
    }

    [Theory]
    [InlineData("ftp://gateway/")]
    [InlineData("http://gateway/?x=1")]
    [InlineData("http://gateway/#top")]
    [InlineData("http://user:secret@gateway/")]
    public void BadEndpointsAreRefused(string endpoint)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => PushgatewayUrl.Build(new Uri(endpoint), "j", null));
        Assert.Equal("Endpoint", error.ParamName);
    }

    [Fact]
    public void AMissingOrRelativeEndpointIsRefused()
    {
        Assert.Throws<ArgumentException>(() => PushgatewayUrl.Build(null, "j", null));
        Assert.Throws<ArgumentException>(() => PushgatewayUrl.Build(new Uri("/metrics", UriKind.Relative), "j", null));
    }
}
