using System;
using System.Collections.Generic;
using Xunit;

namespace MetricsGen.Runtime.Tests.Push;

/// <summary>The shape of the options: collections are get-only, start empty, and are filled in place.</summary>
public sealed class PushgatewayOptionsTests
{
    [Fact]
    public void CollectionsAreGetOnlyAndStartEmpty()
    {
        var options = new PushgatewayOptions();
        Assert.Empty(options.GroupingKey);
        Assert.Empty(options.Headers);
        Assert.False(typeof(PushgatewayOptions).GetProperty(nameof(PushgatewayOptions.GroupingKey))!.CanWrite);
        Assert.False(typeof(PushgatewayOptions).GetProperty(nameof(PushgatewayOptions.Headers))!.CanWrite);
        Assert.NotSame(options.GroupingKey, new PushgatewayOptions().GroupingKey);
    }

    [Fact]
    public void TheGroupingKeyTakesAnIndexerAndACollectionInitializer()
    {
        var byIndexer = new PushgatewayOptions { Endpoint = new Uri("http://gateway:9091"), Job = "nightly" };
        byIndexer.GroupingKey["instance"] = "db-1";

        var byInitializer = new PushgatewayOptions
        {
            Endpoint = new Uri("http://gateway:9091"),
            Job = "nightly",
            GroupingKey = { ["instance"] = "db-1" },
            Headers = { ["X-Scope-OrgID"] = "tenant-7" },
        };

        Assert.Equal("tenant-7", byInitializer.Headers["X-Scope-OrgID"]);
        using var first = new PushgatewayClient(byIndexer, new MetricRegistry());
        using var second = new PushgatewayClient(byInitializer, new MetricRegistry());
        Assert.Equal("http://gateway:9091/metrics/job/nightly/instance/db-1", first.GroupUrl.AbsoluteUri);
        Assert.Equal(first.GroupUrl, second.GroupUrl);
    }

    [Fact]
    public void GroupingLabelNamesCompareOrdinallyAndHeaderNamesIgnoreCase()
    {
        var options = new PushgatewayOptions();
        options.GroupingKey["zone"] = "a";
        options.GroupingKey["Zone"] = "b";
        Assert.Equal(2, options.GroupingKey.Count);

        options.Headers["X-Tenant"] = "1";
        options.Headers["x-tenant"] = "2";
        KeyValuePair<string, string> header = Assert.Single(options.Headers);
        Assert.Equal("2", header.Value);
    }
}
