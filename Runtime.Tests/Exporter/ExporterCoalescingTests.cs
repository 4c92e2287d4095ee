using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace MetricsGen.Runtime.Tests.Exporter;

/// <summary>Concurrent scrapes of the same format and encoding share one collection (issue 16).</summary>
public class ExporterCoalescingTests
{
    protected virtual bool OverTls => false;

    [Fact]
    public async Task ConcurrentScrapesShareOneCollection()
    {
        using var gate = new Gate();
        await using var server = new TestServer(tls: OverTls);
        int collections = 0;
        server.Source.BeforeCollect = () =>
        {
            Interlocked.Increment(ref collections);
            gate.Enter();
        };

        using RawClient leader = await server.ConnectAsync();
        await leader.SendAsync(RawClient.Request("GET", "/metrics"));
        Assert.True(await gate.WaitEnteredAsync());

        // Three more scrapes arrive while the first collection is held: they wait for it.
        RawClient[] others = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => server.ConnectAsync()));
        try
        {
            foreach (RawClient other in others)
            {
                await other.SendAsync(RawClient.Request("GET", "/metrics"));
            }

            await ExporterLimitsTests.WaitUntilAsync(() => Task.FromResult(server.Exporter.Handler.Waiters == 3));
            gate.Open();

            RawResponse first = await leader.ReadResponseAsync();
            RawResponse[] rest = await Task.WhenAll(others.Select(other => other.ReadResponseAsync()));
            Assert.Equal(200, first.Status);
            Assert.All(rest, response =>
            {
                Assert.Equal(200, response.Status);
                Assert.Equal(first.Body, response.Body);
            });
            Assert.Equal(1, collections);
            Assert.Equal(1, server.Exporter.Handler.Collections);

            // A scrape after the shared one collects afresh (no caching beyond the collection in flight).
            RawResponse later = await leader.RoundTripAsync(RawClient.Request("GET", "/metrics"));
            Assert.Equal(200, later.Status);
            Assert.Equal(2, collections);
            Assert.Empty(server.Errors.Snapshot());
        }
        finally
        {
            foreach (RawClient other in others)
            {
                other.Dispose();
            }
        }
    }

    [Fact]
    public async Task FilteredAndOtherEncodingsDoNotShare()
    {
        using var gate = new Gate();
        await using var server = new TestServer(tls: OverTls);
        int collections = 0;
        server.Source.BeforeCollect = () =>
        {
            Interlocked.Increment(ref collections);
            gate.Enter();
        };

        using RawClient plain = await server.ConnectAsync();
        using RawClient gzip = await server.ConnectAsync();
        using RawClient filtered = await server.ConnectAsync();
        await plain.SendAsync(RawClient.Request("GET", "/metrics"));
        Assert.True(await gate.WaitEnteredAsync());
        await gzip.SendAsync(RawClient.Request("GET", "/metrics", "Accept-Encoding: gzip"));
        Assert.True(await gate.WaitEnteredAsync());
        await filtered.SendAsync(RawClient.Request("GET", "/metrics?name[]=test_requests_total"));
        Assert.True(await gate.WaitEnteredAsync());
        Assert.Equal(0, server.Exporter.Handler.Waiters);
        gate.Open();

        RawResponse plainResponse = await plain.ReadResponseAsync();
        RawResponse gzipResponse = await gzip.ReadResponseAsync();
        RawResponse filteredResponse = await filtered.ReadResponseAsync();
        Assert.Equal(3, collections);
        Assert.Equal("gzip", gzipResponse.Header("content-encoding"));
        Assert.Equal(Gzip.WithoutExporterCounter(plainResponse.Text), Gzip.WithoutExporterCounter(System.Text.Encoding.UTF8.GetString(Gzip.Decompress(gzipResponse.Body))));
        Assert.DoesNotContain("test_temperature_celsius", filteredResponse.Text);
        Assert.Contains("test_requests_total 7", filteredResponse.Text);
    }

    [Fact]
    public async Task ASharedFailureIsA500ForEverySharer()
    {
        using var gate = new Gate();
        await using var server = new TestServer(tls: OverTls);
        server.Source.BeforeCollect = gate.Enter;
        server.Source.Throw = true;

        using RawClient first = await server.ConnectAsync();
        using RawClient second = await server.ConnectAsync();
        await first.SendAsync(RawClient.Request("GET", "/metrics"));
        Assert.True(await gate.WaitEnteredAsync());
        await second.SendAsync(RawClient.Request("GET", "/metrics"));
        await ExporterLimitsTests.WaitUntilAsync(() => Task.FromResult(server.Exporter.Handler.Waiters == 1));
        gate.Open();

        RawResponse a = await first.ReadResponseAsync();
        RawResponse b = await second.ReadResponseAsync();
        Assert.Equal(500, a.Status);
        Assert.Equal(500, b.Status);
        Assert.Contains("TestSource", a.Text);
        Assert.Contains("TestSource", b.Text);
        Assert.Equal(1, server.Exporter.Handler.Collections);
    }
}

public sealed class ExporterCoalescingOverTlsTests : ExporterCoalescingTests
{
    protected override bool OverTls => true;
}
