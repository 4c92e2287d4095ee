using System;
using System.Collections.Generic;
using System.Text;
using Xunit;

namespace MetricsGen.Runtime.Tests.Exporter;

public class ContentNegotiationTests
{
    [Theory]
    [InlineData(null, ExpositionFormat.PrometheusText)]
    [InlineData("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1", ExpositionFormat.OpenMetrics)]
    [InlineData("application/openmetrics-text; version=\"1.0.0\"; q=0.9, text/plain; q=0.8", ExpositionFormat.OpenMetrics)]
    [InlineData("APPLICATION/OpenMetrics-Text", ExpositionFormat.OpenMetrics)]
    [InlineData("application/*", ExpositionFormat.OpenMetrics)]
    [InlineData("application/*;q=0.5, text/*;q=0.6", ExpositionFormat.PrometheusText)]
    [InlineData("application/openmetrics-text;q=0.5, text/plain;q=0.5", ExpositionFormat.PrometheusText)]
    [InlineData("application/openmetrics-text;q=0", ExpositionFormat.PrometheusText)]
    [InlineData("application/openmetrics-text;version=1.0.0;q=0, */*", ExpositionFormat.PrometheusText)]
    [InlineData("text/plain;version=1.0.0, application/openmetrics-text;q=0.1", ExpositionFormat.OpenMetrics)]
    [InlineData("*/*", ExpositionFormat.PrometheusText)]
    [InlineData("", ExpositionFormat.PrometheusText)]
    [InlineData("garbage;;;,,,q=", ExpositionFormat.PrometheusText)]
    public void ChoosesTheFormat(string? accept, ExpositionFormat expected)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(accept ?? "");
        ByteRange[] fields = accept is null ? Array.Empty<ByteRange>() : new[] { new ByteRange(0, bytes.Length) };
        Assert.Equal(expected, ContentNegotiation.ChooseFormat(bytes, fields));
    }

    [Fact]
    public void RepeatedAcceptFieldsCombine()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("text/plain;q=0.2application/openmetrics-text;q=0.9");
        var fields = new[] { new ByteRange(0, 16), new ByteRange(16, bytes.Length - 16) };
        Assert.Equal(ExpositionFormat.OpenMetrics, ContentNegotiation.ChooseFormat(bytes, fields));
    }

    [Theory]
    [InlineData("gzip", true)]
    [InlineData("GZIP;Q=1.0", true)]
    [InlineData("x-gzip", true)]
    [InlineData("gzip, deflate, br", true)]
    [InlineData("*", true)]
    [InlineData("*;q=0.001", true)]
    [InlineData("gzip;q=0", false)]
    [InlineData("gzip;q=0.000", false)]
    [InlineData("gzip;q=0, *", false)]
    [InlineData("*;q=0", false)]
    [InlineData("identity", false)]
    [InlineData("", false)]
    public void AcceptsGzip(string acceptEncoding, bool expected)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(acceptEncoding);
        Assert.Equal(expected, ContentNegotiation.AcceptsGzip(bytes, new[] { new ByteRange(0, bytes.Length) }));
    }

    [Theory]
    [InlineData("1", 1000)]
    [InlineData("1.000", 1000)]
    [InlineData("0.5", 500)]
    [InlineData("0.75", 750)]
    [InlineData("0.001", 1)]
    [InlineData("0", 0)]
    [InlineData("1.5", 0)]
    [InlineData("2", 0)]
    [InlineData("0.1234", 0)]
    [InlineData("abc", 0)]
    public void ParsesQualities(string text, int thousandths) =>
        Assert.Equal(thousandths, ContentNegotiation.ParseQuality(Encoding.ASCII.GetBytes(text)));
}

public class HttpRequestParserTests
{
    [Fact]
    public void ParsesARequestHeadIncrementally()
    {
        byte[] request = Encoding.ASCII.GetBytes("GET /metrics?name[]=a HTTP/1.1\r\nHost: h\r\nAccept: text/plain\r\nAccept-Encoding: gzip\r\n\r\nGET /next");
        var parser = new HttpRequestParser(16 * 1024);
        int end = request.Length - "GET /next".Length;
        for (int length = 0; length < end; length++)
        {
            Assert.Equal(ParseResult.Incomplete, parser.Parse(request.AsSpan(0, length), out _));
        }

        Assert.Equal(ParseResult.Complete, parser.Parse(request, out HttpRequestHead head));
        Assert.Equal(end, head.Length);
        Assert.Equal(RequestMethod.Get, head.Method);
        Assert.True(head.IsHttp11);
        Assert.True(head.KeepAlive);
        Assert.Equal("/metrics", Encoding.ASCII.GetString(head.Path.Of(request)));
        Assert.Equal("name[]=a", Encoding.ASCII.GetString(head.Query.Of(request)));
        Assert.Equal("text/plain", Encoding.ASCII.GetString(Assert.Single(parser.Accept.ToArray()).Of(request)));
        Assert.Equal("gzip", Encoding.ASCII.GetString(Assert.Single(parser.AcceptEncoding.ToArray()).Of(request)));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false)]
    public void KeepAliveFollowsVersionAndConnection(string request, bool keepAlive)
    {
        var parser = new HttpRequestParser(1024);
        Assert.Equal(ParseResult.Complete, parser.Parse(Encoding.ASCII.GetBytes(request), out HttpRequestHead head));
        Assert.Equal(keepAlive, head.KeepAlive);
    }

    [Fact]
    public void BareLfIsRefusedBeforeTheHeadEnds()
    {
        var parser = new HttpRequestParser(1024);
        Assert.Equal(ParseResult.Invalid, parser.Parse("GET / HTTP/1.1\nHo"u8, out HttpRequestHead head));
        Assert.Equal(400, head.ErrorStatus);
    }

    [Fact]
    public void FullBufferWithoutTheEndIs431()
    {
        var parser = new HttpRequestParser(256);
        byte[] request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nX: " + new string('a', 300));
        Assert.Equal(ParseResult.Invalid, parser.Parse(request.AsSpan(0, 256), out HttpRequestHead head));
        Assert.Equal(431, head.ErrorStatus);
    }
}

public class QueryStringTests
{
    [Theory]
    [InlineData("name[]=a&name[]=b", "a,b")]
    [InlineData("name%5B%5D=a%3Ab&x=1", "a:b")]
    [InlineData("name[]=&name[]", "")]
    [InlineData("names[]=a&name=b", "")]
    [InlineData("name[]=a+b&name[]=%zz", "%zz,a b")]
    public void ReadsNameParameters(string query, string expected)
    {
        var names = new HashSet<string>();
        bool found = QueryString.ReadNames(Encoding.ASCII.GetBytes(query), names);
        var sorted = new List<string>(names);
        sorted.Sort(StringComparer.Ordinal);
        Assert.Equal(expected, string.Join(",", sorted));
        Assert.Equal(expected.Length > 0, found);
    }
}

public class ScrapeHandlerTests
{
    [Fact]
    public void SteadyStateScrapeAllocatesNothing()
    {
        var registry = new MetricRegistry();
        registry.Register(new TestSource(gaugeSeries: 100));
        var handler = new ScrapeHandler(registry, maxConcurrentScrapes: 1);
        using var buffers = new ScrapeBuffers(HttpResponseHead.MaxLength);
        using var responder = new ScrapeResponder();
        byte[] request = Encoding.ASCII.GetBytes(
            "GET /metrics HTTP/1.1\r\nHost: h\r\nAccept: application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1\r\nAccept-Encoding: identity\r\n\r\n");
        var parser = new HttpRequestParser(16 * 1024);

        long Scrape()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            parser.Reset();
            ParseResult parsed = parser.Parse(request, out HttpRequestHead head);
            long afterParse = GC.GetAllocatedBytesForCurrentThread();
            var scrape = ScrapeRequest.Read(request, parser.Accept, parser.AcceptEncoding, head.Query.Of(request), buffers.Names);
            long afterNegotiation = GC.GetAllocatedBytesForCurrentThread();
            ScrapeAnswer answer = handler.Scrape(scrape, buffers);
            responder.Frame(answer, headOnly: false, ConnectionDirective.None);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(parsed == ParseResult.Complete);
            Assert.Equal(200, answer.Status);
            Assert.False(scrape.Gzip);
            Assert.Equal(ExpositionFormat.OpenMetrics, scrape.Format);
            Assert.True(afterParse == before, $"parse allocated {afterParse - before}");
            Assert.True(afterNegotiation == afterParse, $"negotiation allocated {afterNegotiation - afterParse}");
            return allocated;
        }

        for (int i = 0; i < 5; i++)
        {
            Scrape();
        }

        Assert.Equal(0, Scrape());
        string response = Encoding.UTF8.GetString(responder.Response.Span);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response);
        Assert.EndsWith("# EOF\n", response);
    }

    [Fact]
    public void ResponseHeadSitsRightBeforeTheBody()
    {
        var registry = new MetricRegistry();
        registry.Register(new TestSource());
        var handler = new ScrapeHandler(registry, maxConcurrentScrapes: 1);
        using var buffers = new ScrapeBuffers(HttpResponseHead.MaxLength);
        using var responder = new ScrapeResponder();
        var scrape = new ScrapeRequest(ExpositionFormat.PrometheusText, gzip: false, names: null);
        responder.Frame(handler.Scrape(scrape, buffers), headOnly: false, ConnectionDirective.Close);
        string response = Encoding.UTF8.GetString(responder.Response.Span);
        int split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string body = response.Substring(split + 4);

        Assert.Equal(registry.GenerateLatest(), body);
        Assert.Contains($"\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n", response);
        Assert.Contains("\r\nConnection: close\r\n", response);

        responder.Frame(handler.Scrape(scrape, buffers), headOnly: true, ConnectionDirective.None);
        Assert.EndsWith("\r\n\r\n", Encoding.UTF8.GetString(responder.Response.Span));
    }

    [Fact]
    public void AFailingSourceGets500NamingItWithNoExpositionBytesAndOneReport()
    {
        var registry = new MetricRegistry();
        registry.Register(new TestSource("ok"));
        registry.Register(new TestSource("bad") { SourceName = "Bad", Throw = true });
        var warnings = new ErrorLog();
        registry.Warning += warnings.Add;
        var handler = new ScrapeHandler(registry, maxConcurrentScrapes: 1);
        using var buffers = new ScrapeBuffers();

        foreach (IReadOnlySet<string>? names in new[] { null, new HashSet<string> { "ok_temperature" } })
        {
            ScrapeAnswer answer = handler.Scrape(new ScrapeRequest(ExpositionFormat.OpenMetrics, gzip: true, names), buffers);
            Assert.Equal(500, answer.Status);
            Assert.Null(answer.Format);
            Assert.False(answer.Gzip);
            Assert.Equal("text/plain; charset=utf-8", answer.ContentType);
            Assert.Equal("Metric source 'Bad' failed during collection.\n", Encoding.UTF8.GetString(answer.Body.Span));
            Assert.Equal("Bad", answer.Failure!.SourceName);
        }

        Assert.Equal(2, warnings.Snapshot().Length);
    }

    [Fact]
    public void GzipAnswersDecompressToTheExposition()
    {
        var registry = new MetricRegistry();
        registry.Register(new TestSource());
        var handler = new ScrapeHandler(registry, maxConcurrentScrapes: 1);
        using var buffers = new ScrapeBuffers();
        ScrapeAnswer answer = handler.Scrape(new ScrapeRequest(ExpositionFormat.PrometheusText, gzip: true, names: null), buffers);
        Assert.Equal(200, answer.Status);
        Assert.True(answer.Gzip);
        Assert.Equal(registry.GenerateLatest(), Encoding.UTF8.GetString(Gzip.Decompress(answer.Body.ToArray())));
    }

    [Fact]
    public void AScrapeBeyondTheLimitGets503WhileAnotherCollects()
    {
        var registry = new MetricRegistry();
        var source = new TestSource();
        registry.Register(source);
        var handler = new ScrapeHandler(registry, maxConcurrentScrapes: 1);
        using var buffers = new ScrapeBuffers();
        ScrapeAnswer inner = default;

        // The second scrape runs from inside the first one's collection, so the first surely holds the only slot.
        source.BeforeCollect = () =>
        {
            source.BeforeCollect = null;
            using var other = new ScrapeBuffers();
            inner = handler.Scrape(new ScrapeRequest(ExpositionFormat.PrometheusText, false, new HashSet<string> { "x" }), other);
            Assert.Equal(503, inner.Status);
            Assert.Equal(ScrapeHandler.TooManyScrapesMessage + "\n", Encoding.UTF8.GetString(inner.Body.Span));
        };

        Assert.Equal(200, handler.Scrape(new ScrapeRequest(ExpositionFormat.PrometheusText, false, null), buffers).Status);
        Assert.Equal(503, inner.Status);
    }
}
