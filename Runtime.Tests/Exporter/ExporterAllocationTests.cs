using System;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace MetricsGen.Runtime.Tests.Exporter;

[CollectionDefinition(nameof(AllocationSensitive), DisableParallelization = true)]
public class AllocationSensitive
{
}

/// <summary>
/// Process-wide allocation over many keep-alive scrapes, client included: run alone, so other tests do not
/// allocate meanwhile. The client reuses its buffers and allocates nothing per scrape itself.
/// </summary>
[Collection(nameof(AllocationSensitive))]
public class ExporterAllocationTests
{
    private readonly ITestOutputHelper _output;

    public ExporterAllocationTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData("text/plain;version=0.0.4")]
    [InlineData("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1")]
    public async Task SteadyStateScrapesAllocateAlmostNothingAnywhere(string accept)
    {
        await using var server = new TestServer(source: new TestSource(gaugeSeries: 200));
        await AssertScrapesAllocateAlmostNothingAsync(server, "Accept: " + accept);
    }

    [Fact]
    public async Task AuthenticatedScrapesWithACacheHitAllocateAlmostNothing()
    {
        // After the first scrape, every credential check is a cache hit: a keyed SHA-256 and no bcrypt, no allocation.
        await using var server = new TestServer(o => o.BasicAuthUsers[ExporterAuthTests.User] = ExporterAuthTests.Hash, new TestSource(gaugeSeries: 200));
        await AssertScrapesAllocateAlmostNothingAsync(server, "Accept: text/plain;version=0.0.4", ExporterAuthTests.Authorization(ExporterAuthTests.User, ExporterAuthTests.Password));
        Assert.Equal(1, server.Exporter.Authenticator!.BcryptRuns);
    }

    private async Task AssertScrapesAllocateAlmostNothingAsync(TestServer server, params string[] headers)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, server.Port);
        byte[] request = Encoding.ASCII.GetBytes(RawClient.Request("GET", "/metrics", headers));
        byte[] buffer = new byte[1 << 20];

        [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
        async ValueTask<int> ScrapeAsync()
        {
            await socket.SendAsync(request.AsMemory(), SocketFlags.None);
            int received = 0;
            int expected = -1;
            while (expected < 0 || received < expected)
            {
                received += await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None);
                if (expected < 0)
                {
                    expected = ExpectedLength(buffer.AsSpan(0, received));
                }
            }

            return received;
        }

        Assert.Contains(" 200 ", Encoding.ASCII.GetString(buffer, 0, await ScrapeAsync()));

        for (int i = 0; i < 50; i++)
        {
            await ScrapeAsync();
        }

        const int Scrapes = 200;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < Scrapes; i++)
        {
            await ScrapeAsync();
        }

        long perScrape = (GC.GetTotalAllocatedBytes(precise: true) - before) / Scrapes;
        _output.WriteLine($"{perScrape} bytes per scrape, process-wide");

        // Measured about 500 bytes for client and server together: socket operations, cancellation registrations
        // and thread-pool hops. An exposition copy or a per-scrape buffer would be tens of kilobytes.
        Assert.True(perScrape < 1024, $"{perScrape} bytes allocated per scrape");
    }

    // Head length plus Content-Length, once the head is complete; -1 before.
    private static int ExpectedLength(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return -1;
        }

        ReadOnlySpan<byte> field = "\r\nContent-Length: "u8;
        int at = bytes.Slice(0, end).IndexOf(field) + field.Length;
        int length = 0;
        while (bytes[at] is >= (byte)'0' and <= (byte)'9')
        {
            length = length * 10 + (bytes[at++] - '0');
        }

        return end + 4 + length;
    }
}
