using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace MetricsGen.Runtime.Tests.Exporter;

public class ExporterTlsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServesMetricsOverTlsWithRsaAndEcdsaKeys(bool rsa)
    {
        using var certificates = new TestCertificates(rsaServer: rsa);
        await using var server = new TestServer(o => o.Tls = certificates.ServerOptions());
        server.ClientTls = new TlsClientSettings(certificates);
        using RawClient client = await server.ConnectAsync();

        Assert.False(client.HandshakeFailed);
        Assert.Equal(certificates.Server.Thumbprint, client.ServerCertificate!.Thumbprint);
        Assert.True(client.Protocol is SslProtocols.Tls12 or SslProtocols.Tls13, client.Protocol.ToString());
        for (int i = 0; i < 2; i++)
        {
            // Keep-alive over TLS.
            RawResponse response = await client.RoundTripAsync(RawClient.Request("GET", "/metrics", "Accept-Encoding: gzip"));
            Assert.Equal(200, response.Status);
            Assert.Contains("test_temperature_celsius{room=\"room-000000\"} 21.5", Encoding.UTF8.GetString(Gzip.Decompress(response.Body)));
        }

        Assert.Empty(server.Errors.Snapshot());
    }

    [Theory]
    [InlineData(SslProtocols.Tls12, SslProtocols.Tls12, true)]
    [InlineData(SslProtocols.Tls12, SslProtocols.Tls13, true)]
    [InlineData(SslProtocols.Tls13, SslProtocols.Tls13, true)]
    [InlineData(SslProtocols.Tls13, SslProtocols.Tls12, false)]
    public async Task MinimumVersionDecidesWhichClientsShakeHands(SslProtocols minimum, SslProtocols client, bool accepted)
    {
        await using var server = new TestServer(o => o.Tls!.MinimumVersion = minimum, tls: true);
        server.ClientTls = new TlsClientSettings(server.Certificates!) { Protocols = client };
        using RawClient connection = await server.ConnectAsync();

        Assert.Equal(!accepted, connection.HandshakeFailed);
        if (accepted)
        {
            Assert.Equal(client, connection.Protocol);
            Assert.Equal(200, (await connection.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
        }

        Assert.Empty(server.Errors.Snapshot());
    }

    [Fact]
    public async Task Tls11ClientHelloIsRefusedWhileTls12IsAnswered()
    {
        await using var server = new TestServer(tls: true);

        // The same hand-made ClientHello, differing only in the version: 1.2 gets a ServerHello (a handshake record),
        // 1.1 an alert or nothing, and only its own connection is closed.
        Assert.Equal(0x16, await FirstRecordTypeAsync(server.Port, ClientHello(0x0303)));
        Assert.NotEqual(0x16, await FirstRecordTypeAsync(server.Port, ClientHello(0x0302)));
        Assert.Equal(200, (await server.GetAsync()).Status);
        Assert.Empty(server.Errors.Snapshot());
    }

    [Fact]
    public async Task PlainHttpOnTheTlsPortClosesOnlyThatConnection()
    {
        await using var server = new TestServer(tls: true);
        using RawClient established = await server.ConnectAsync();
        Assert.Equal(200, (await established.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);

        using RawClient plain = await RawClient.ConnectAsync(server.Port);
        await plain.SendAsync(RawClient.Request("GET", "/metrics"));
        byte[] answer = await ReadUntilClosedAsync(plain.Socket);
        Assert.False(answer.AsSpan().StartsWith("HTTP/"u8), "plain HTTP must not be answered over the TLS port");

        Assert.Equal(200, (await established.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
        Assert.Equal(200, (await server.GetAsync()).Status);
        Assert.Empty(server.Errors.Snapshot());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task StalledHandshakeIsCutOffAtTheHeaderDeadline(int helloBytesSent)
    {
        await using var server = new TestServer(o => o.RequestHeadersTimeout = TimeSpan.FromMilliseconds(400), tls: true);
        var watch = Stopwatch.StartNew();
        using RawClient stalled = await RawClient.ConnectAsync(server.Port);

        // Nothing at all, or the first bytes of a ClientHello record and then silence.
        await stalled.SendAsync(ClientHello(0x0303)[..helloBytesSent]);

        Assert.True(await stalled.IsClosedAsync(TimeSpan.FromSeconds(5)));
        // Only the bound a correct server cannot miss: it did not close before the deadline (no upper bound: a busy
        // machine may notice the deadline late, and IsClosedAsync above already decided the outcome).
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(390), $"closed after {watch.Elapsed}");
        Assert.Equal(200, (await server.GetAsync()).Status);
        Assert.Empty(server.Errors.Snapshot());
    }

    [Fact]
    public async Task RenewedCertificateIsServedToNewConnectionsWithoutARestart()
    {
        using var certificates = new TestCertificates();
        await using var server = new TestServer(o => o.Tls = certificates.ServerOptions());
        server.ClientTls = new TlsClientSettings(certificates);
        using RawClient before = await server.ConnectAsync();
        X509Certificate2 first = certificates.Server;
        Assert.Equal(first.Thumbprint, before.ServerCertificate!.Thumbprint);

        X509Certificate2 renewed = certificates.IssueServer();
        Assert.NotEqual(first.Thumbprint, renewed.Thumbprint);
        using RawClient after = await server.ConnectAsync();

        Assert.Equal(renewed.Thumbprint, after.ServerCertificate!.Thumbprint);
        Assert.Equal(200, (await after.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);

        // The connection made before the renewal keeps its session.
        Assert.Equal(200, (await before.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
        Assert.Empty(server.Errors.Snapshot());
    }

    [Fact]
    public async Task BrokenRenewalKeepsTheOldCertificateAndIsReportedOnce()
    {
        using var certificates = new TestCertificates();
        await using var server = new TestServer(o => o.Tls = certificates.ServerOptions());
        server.ClientTls = new TlsClientSettings(certificates);
        X509Certificate2 first = certificates.Server;

        // A renewal caught halfway: the new certificate is written, its key not yet.
        X509Certificate2 renewed = certificates.IssueServer(keyPath: Path.Combine(certificates.Folder, "next-key.pem"));
        for (int i = 0; i < 2; i++)
        {
            using RawClient client = await server.ConnectAsync();
            Assert.Equal(first.Thumbprint, client.ServerCertificate!.Thumbprint);
        }

        Exception error = Assert.Single(server.Errors.Snapshot());
        Assert.Contains(certificates.KeyPath, error.Message);

        // File.Copy keeps next-key.pem's write time, and Linux file times are coarse (a few ms): in a fast run the
        // two keys, of equal size, can carry the same time and the change would go unseen. A real renewal writes its
        // key long after the old one, so the test dates the copy one second on, as such a renewal would.
        File.Copy(Path.Combine(certificates.Folder, "next-key.pem"), certificates.KeyPath, overwrite: true);
        File.SetLastWriteTimeUtc(certificates.KeyPath, File.GetLastWriteTimeUtc(certificates.KeyPath).AddSeconds(1));
        using RawClient completed = await server.ConnectAsync();
        Assert.Equal(renewed.Thumbprint, completed.ServerCertificate!.Thumbprint);
    }

    [Fact]
    public async Task ClientCertificatesAreRequiredAndVerifiedAgainstTheClientCa()
    {
        using var certificates = new TestCertificates();
        await using var server = new TestServer(o =>
        {
            o.Tls = certificates.ServerOptions();
            o.Tls.ClientCaPath = certificates.CaPath;
        });

        X509Certificate2 otherCa = TestCertificates.CreateCa("Another CA");
        var refused = new Dictionary<string, TlsClientSettings>
        {
            ["no certificate"] = new(certificates),
            ["certificate of another CA"] = new(certificates) { ClientCertificate = certificates.IssueClient(otherCa) },
            ["certificate not for client authentication"] = new(certificates) { ClientCertificate = certificates.IssueClient(extendedUsage: "1.3.6.1.5.5.7.3.1") },
        };
        foreach ((string because, TlsClientSettings settings) in refused)
        {
            // With TLS 1.3 the client learns of the refusal only when it reads, so a full request must fail.
            server.ClientTls = settings;
            Assert.False(await ScrapeSucceedsAsync(server), because);
        }

        server.ClientTls = new TlsClientSettings(certificates) { ClientCertificate = certificates.IssueClient() };
        Assert.True(await ScrapeSucceedsAsync(server));
        Assert.Empty(server.Errors.Snapshot());
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "missing certificate", "cert" },
        { "missing key", "key" },
        { "garbage certificate", "cert" },
        { "garbage key", "key" },
        { "key of another certificate", "key" },
        { "missing chain", "chain" },
        { "missing client CA", "ca" },
        { "garbage client CA", "ca" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task BadOrMissingFilesFailStartNamingTheFile(string because, string file)
    {
        using var certificates = new TestCertificates();
        ExporterTlsOptions tls = certificates.ServerOptions();
        string named = Path.Combine(certificates.Folder, file + ".pem");
        switch (because)
        {
            case "missing certificate":
                tls.CertificatePath = named = Path.Combine(certificates.Folder, "nowhere.pem");
                break;
            case "missing key":
                tls.KeyPath = named = Path.Combine(certificates.Folder, "nowhere.pem");
                break;
            case "garbage certificate":
                File.WriteAllText(named = certificates.CertificatePath, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
                break;
            case "garbage key":
                File.WriteAllText(named = certificates.KeyPath, "hello");
                break;
            case "key of another certificate":
                certificates.IssueServer(certificatePath: Path.Combine(certificates.Folder, "other.pem"), keyPath: named = certificates.KeyPath);
                break;
            case "missing chain":
                tls.ChainPath = named;
                break;
            case "missing client CA":
                tls.ClientCaPath = named = Path.Combine(certificates.Folder, "nowhere-ca.pem");
                break;
            case "garbage client CA":
                File.WriteAllText(named, "no PEM here");
                tls.ClientCaPath = named;
                break;
        }

        var exporter = new PrometheusExporter(new PrometheusExporterOptions { Host = "127.0.0.1", Port = 0, Tls = tls }, new MetricRegistry());
        var error = Assert.Throws<InvalidOperationException>(exporter.Start);
        Assert.Contains(named, error.Message);
        Assert.False(exporter.IsRunning);
        await exporter.DisposeAsync();
    }

    [Fact]
    public void InvalidTlsOptionsAreRefusedByTheConstructor()
    {
        Assert.Throws<ArgumentException>(() => new PrometheusExporter(new PrometheusExporterOptions { Tls = new ExporterTlsOptions { KeyPath = "k.pem" } }));
        Assert.Throws<ArgumentException>(() => new PrometheusExporter(new PrometheusExporterOptions { Tls = new ExporterTlsOptions { CertificatePath = "c.pem" } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrometheusExporter(new PrometheusExporterOptions
        {
            Tls = new ExporterTlsOptions { CertificatePath = "c.pem", KeyPath = "k.pem", MinimumVersion = SslProtocols.None },
        }));
    }

    [Fact]
    public async Task FullChainFileAndChainPathAreSentToClients()
    {
        using var certificates = new TestCertificates();
        File.WriteAllText(Path.Combine(certificates.Folder, "chain.pem"), certificates.Ca.ExportCertificatePem());
        await using var server = new TestServer(o =>
        {
            o.Tls = certificates.ServerOptions();
            o.Tls.ChainPath = Path.Combine(certificates.Folder, "chain.pem");
        });
        server.ClientTls = new TlsClientSettings(certificates);
        using RawClient client = await server.ConnectAsync();
        Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
        Assert.Empty(server.Errors.Snapshot());
    }

    private static async Task<bool> ScrapeSucceedsAsync(TestServer server)
    {
        try
        {
            using RawClient client = await server.ConnectAsync();
            return !client.HandshakeFailed && (await client.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status == 200;
        }
        catch (Exception error) when (error is IOException or AuthenticationException or SocketException)
        {
            return false;
        }
    }

    // The type of the first TLS record the server sends back, or -1 when it closes without one.
    private static async Task<int> FirstRecordTypeAsync(int port, byte[] hello)
    {
        using RawClient client = await RawClient.ConnectAsync(port);
        await client.SendAsync(hello);
        byte[] answer = await ReadUntilClosedAsync(client.Socket, stopAfter: 1);
        return answer.Length == 0 ? -1 : answer[0];
    }

    private static async Task<byte[]> ReadUntilClosedAsync(Socket socket, int stopAfter = int.MaxValue)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            int count;
            while (received.Length < stopAfter && (count = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token)) > 0)
            {
                received.Write(buffer, 0, count);
            }
        }
        catch (SocketException)
        {
            // A reset also ends it.
        }

        Assert.False(limit.IsCancellationRequested, "the server neither answered nor closed");
        return received.ToArray();
    }

    // A minimal ClientHello (RFC 5246 §7.4.1.2) offering ECDHE suites usable from TLS 1.0 to 1.2, with the groups and
    // signature algorithms a P-256 certificate needs, and no supported_versions extension (so no TLS 1.3).
    private static byte[] ClientHello(int version)
    {
        var body = new List<byte> { (byte)(version >> 8), (byte)version };
        body.AddRange(new byte[32]); // random
        body.Add(0); // no session id
        byte[] suites = [0xC0, 0x2B, 0xC0, 0x2F, 0xC0, 0x09, 0xC0, 0x13];
        body.AddRange([0, (byte)suites.Length]);
        body.AddRange(suites);
        body.AddRange([1, 0]); // compression: null only
        byte[] extensions =
        [
            0x00, 0x0A, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17, // supported_groups: secp256r1
            0x00, 0x0B, 0x00, 0x02, 0x01, 0x00, // ec_point_formats: uncompressed
            0x00, 0x0D, 0x00, 0x08, 0x00, 0x06, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01, // signature_algorithms
        ];
        body.AddRange([0, (byte)extensions.Length]);
        body.AddRange(extensions);

        var record = new List<byte> { 0x16, 0x03, 0x01, (byte)((body.Count + 4) >> 8), (byte)(body.Count + 4), 0x01, 0, (byte)(body.Count >> 8), (byte)body.Count };
        record.AddRange(body);
        return record.ToArray();
    }
}
