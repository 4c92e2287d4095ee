using System;
using System.Threading.Tasks;
using Xunit;

namespace MetricsGen.Runtime.Tests.Exporter;

public class ExporterMalformedRequestTests
{
    /// <summary>Whether server and clients speak TLS; the same tests run over TLS in a subclass that overrides it.</summary>
    protected virtual bool OverTls => false;

    public static TheoryData<string, string, int> BadRequests => new()
    {
        { "bare LF", "GET /metrics HTTP/1.1\nHost: x\n\n", 400 },
        { "bare LF in a header", "GET /metrics HTTP/1.1\r\nHost: x\nAccept: */*\r\n\r\n", 400 },
        { "bare CR", "GET /metrics HTTP/1.1\r\nHost: x\rAccept: */*\r\n\r\n", 400 },
        { "obs-fold", "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: text/plain,\r\n */*\r\n\r\n", 400 },
        { "body by Content-Length", "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", 400 },
        { "malformed Content-Length", "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", 400 },
        { "Transfer-Encoding", "GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "missing Host", "GET /metrics HTTP/1.1\r\nAccept: */*\r\n\r\n", 400 },
        { "two Hosts", "GET /metrics HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
        { "non-ASCII header name", "GET /metrics HTTP/1.1\r\nHost: x\r\nAcc\u00e9pt: */*\r\n\r\n", 400 },
        { "space before colon", "GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n", 400 },
        { "control byte in header name", "GET /metrics HTTP/1.1\r\nHost: x\r\nX\u0001Y: 1\r\n\r\n", 400 },
        { "control byte in header value", "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Y: a\u0000b\r\n\r\n", 400 },
        { "non-ASCII in target", "GET /m\u00e9trics HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "control byte in method", "G\u0001T /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "double space", "GET  /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "missing version", "GET /metrics\r\nHost: x\r\n\r\n", 400 },
        { "lowercase version", "GET /metrics http/1.1\r\nHost: x\r\n\r\n", 400 },
        { "empty request line", "\r\nGET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "relative target", "GET metrics HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "fragment", "GET /metrics#x HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "HTTP/2.0", "GET /metrics HTTP/2.0\r\nHost: x\r\n\r\n", 505 },
        { "asterisk with GET", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task MalformedRequestsAreRefusedAndClosed(string because, string request, int status)
    {
        await using var server = new TestServer(tls: OverTls);
        using RawClient client = await server.ConnectAsync();
        RawResponse response = await client.RoundTripAsync(request);

        Assert.True(status == response.Status, because);
        Assert.Equal("close", response.Header("Connection"));
        Assert.StartsWith("text/plain", response.Header("Content-Type"));
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)), because);
        Assert.Empty(server.Errors.Snapshot());
    }

    [Fact]
    public async Task OversizeHeadersGet431()
    {
        await using var server = new TestServer(tls: OverTls);
        using RawClient client = await server.ConnectAsync();
        string request = RawClient.Request("GET", "/metrics", "X-Padding: " + new string('a', 17 * 1024));
        RawResponse response = await client.RoundTripAsync(request);

        Assert.Equal(431, response.Status);
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ManySmallHeadersBeyondTheLimitGet431()
    {
        await using var server = new TestServer(o => o.MaxRequestHeaderBytes = 1024, tls: OverTls);
        var headers = new string[100];
        for (int i = 0; i < headers.Length; i++)
        {
            headers[i] = $"X-H{i}: value";
        }

        using RawClient client = await server.ConnectAsync();
        Assert.Equal(431, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics", headers))).Status);
    }

    [Fact]
    public async Task HeadersJustUnderTheLimitAreServed()
    {
        await using var server = new TestServer(o => o.MaxRequestHeaderBytes = 1024, tls: OverTls);
        string bare = RawClient.Request("GET", "/metrics", "X-Padding: ");
        string request = RawClient.Request("GET", "/metrics", "X-Padding: " + new string('a', 1024 - bare.Length));
        Assert.Equal(1024, request.Length);
        Assert.Equal(200, (await server.GetAsync("/metrics", "X-Padding: " + new string('a', 1024 - bare.Length))).Status);
    }

    [Fact]
    public async Task OverlongRequestLineGets414()
    {
        await using var server = new TestServer(tls: OverTls);
        RawResponse response = await server.GetAsync("/metrics?" + new string('a', 17 * 1024));
        Assert.Equal(414, response.Status);
    }
}
