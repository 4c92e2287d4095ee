using System;
using System.Diagnostics;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace MetricsGen.Runtime.Tests.Exporter;

public class ExporterAuthTests
{
    // Made by `htpasswd -nbB -C 4 prometheus s3cret-4` (apache2-utils 2.4.71, Debian 12).
    internal const string User = "prometheus";
    internal const string Password = "s3cret-4";
    internal const string Hash = "$2y$04$zzwlBuYSDLUs1AEBkeqnsOP07SqZcIEW/dotbfpE.EpYGIsuUl2uG";
    private const string Challenge = "Basic realm=\"metrics\", charset=\"UTF-8\"";

    private readonly ITestOutputHelper _output;

    public ExporterAuthTests(ITestOutputHelper output) => _output = output;

    internal static string Authorization(string user, string password) =>
        "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    [Fact]
    public async Task RightCredentialsAreServedAndMissingOnesGet401WithTheChallenge()
    {
        await using var server = AuthServer();
        using RawClient client = await server.ConnectAsync();

        RawResponse denied = await client.RoundTripAsync(RawClient.Request("GET", "/metrics"));
        Assert.Equal(401, denied.Status);
        Assert.Equal(Challenge, denied.Header("WWW-Authenticate"));
        Assert.DoesNotContain("test_", denied.Text);

        // The 401 keeps the connection, so the client can answer the challenge on it.
        RawResponse served = await client.RoundTripAsync(RawClient.Request("GET", "/metrics", Authorization(User, Password)));
        Assert.Equal(200, served.Status);
        Assert.Contains("test_requests_total 7", served.Text);

        RawResponse head = await client.RoundTripAsync(RawClient.Request("HEAD", "/metrics"), head: true);
        Assert.Equal(401, head.Status);
        Assert.Equal(Challenge, head.Header("WWW-Authenticate"));
    }

    public static TheoryData<string, string[]> MalformedCredentials => new()
    {
        { "scheme only", ["Authorization: Basic"] },
        { "another scheme", ["Authorization: Bearer " + Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Password))] },
        { "not base64", ["Authorization: Basic !!!!"] },
        { "base64 with junk after it", [Authorization(User, Password) + " x"] },
        { "no colon", ["Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(User + Password))] },
        { "empty credentials", ["Authorization: Basic "] },
        { "NUL in the password", [Authorization(User, Password + "\0")] },
        { "two Authorization fields", [Authorization(User, Password), Authorization(User, Password)] },
        { "unknown user", [Authorization("root", Password)] },
        { "user differs in case", [Authorization("Prometheus", Password)] },
        { "wrong password", [Authorization(User, "s3cret-5")] },
        { "empty password", [Authorization(User, string.Empty)] },
    };

    [Theory]
    [MemberData(nameof(MalformedCredentials))]
    public async Task BadCredentialsGet401(string because, string[] headers)
    {
        await using var server = AuthServer();
        using RawClient client = await server.ConnectAsync();
        RawResponse response = await client.RoundTripAsync(RawClient.Request("GET", "/metrics", headers));

        Assert.True(response.Status == 401, because);
        Assert.Equal(Challenge, response.Header("WWW-Authenticate"));

        // Still usable: the next request with the right credentials is served.
        Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics", Authorization(User, Password)))).Status);
    }

    [Fact]
    public async Task SchemeNameIsCaseInsensitive()
    {
        await using var server = AuthServer();
        string header = Authorization(User, Password).Replace("Basic", "bAsIc");
        Assert.Equal(200, (await server.GetAsync("/metrics", header)).Status);
    }

    [Theory]
    [InlineData("OPTIONS", "/metrics", 200)]
    [InlineData("OPTIONS", "*", 200)]
    [InlineData("GET", "/other", 404)]
    [InlineData("POST", "/metrics", 405)]
    public async Task EveryRouteRequiresAuthentication(string method, string target, int withCredentials)
    {
        await using var server = AuthServer();
        using RawClient client = await server.ConnectAsync();
        RawResponse denied = await client.RoundTripAsync(RawClient.Request(method, target));
        Assert.Equal(401, denied.Status);
        Assert.Null(denied.Header("Allow"));
        Assert.DoesNotContain("/metrics", denied.Text);

        Assert.Equal(withCredentials, (await client.RoundTripAsync(RawClient.Request(method, target, Authorization(User, Password)))).Status);
    }

    [Fact]
    public async Task SuccessIsCachedPerUserAndPasswordSoAWrongPasswordAfterARightOneIsStill401()
    {
        await using var server = AuthServer();
        BasicAuthenticator authenticator = server.Exporter.Authenticator!;
        using RawClient client = await server.ConnectAsync();

        Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics", Authorization(User, Password)))).Status);
        Assert.Equal(1, authenticator.BcryptRuns);
        Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics", Authorization(User, Password)))).Status);
        Assert.Equal(1, authenticator.BcryptRuns);

        // Not a cache hit: the cache key holds the password's digest, not only the user.
        Assert.Equal(401, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics", Authorization(User, "wrong")))).Status);
        Assert.Equal(2, authenticator.BcryptRuns);
        Assert.Equal(401, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics", Authorization(User, "wrong")))).Status);
        Assert.Equal(3, authenticator.BcryptRuns);

        // A new connection shares the cache.
        Assert.Equal(200, (await server.GetAsync("/metrics", Authorization(User, Password))).Status);
        Assert.Equal(3, authenticator.BcryptRuns);
    }

    [Fact]
    public async Task TheSamePasswordOfAnotherUserIsNotACacheHit()
    {
        await using var server = AuthServer(o => o.BasicAuthUsers["other"] = "$2b$04$vXv0NuL7ri/.tftEvOwjoOBzgSTUYxQwZY6ErLdBRJXnYQbJQ6UGK");
        Assert.Equal(200, (await server.GetAsync("/metrics", Authorization(User, Password))).Status);
        Assert.Equal(401, (await server.GetAsync("/metrics", Authorization("other", Password))).Status);
        Assert.Equal(200, (await server.GetAsync("/metrics", Authorization("other", "correct horse battery staple"))).Status);
        Assert.Equal(3, server.Exporter.Authenticator!.BcryptRuns);
    }

    [Fact]
    public async Task UnknownUsersAreCheckedAgainstADummyHash()
    {
        await using var server = AuthServer();
        BasicAuthenticator authenticator = server.Exporter.Authenticator!;
        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal(401, (await server.GetAsync("/metrics", Authorization("nobody", Password))).Status);

            // A bcrypt ran for the unknown user too, every time (nothing is cached for it).
            Assert.Equal(i, authenticator.BcryptRuns);
        }
    }

    [Fact]
    public async Task BasicAuthWithoutTlsWarnsOnceAtStartAndWithTlsDoesNot()
    {
        await using (var plain = AuthServer())
        {
            Exception warning = Assert.Single(plain.Errors.Snapshot());
            Assert.IsType<InvalidOperationException>(warning);
            Assert.Contains("TLS", warning.Message);
            await plain.GetAsync("/metrics", Authorization(User, Password));
            Assert.Single(plain.Errors.Snapshot());
        }

        await using var secure = AuthServer(tls: true);
        Assert.Equal(200, (await secure.GetAsync("/metrics", Authorization(User, Password))).Status);
        Assert.Equal(401, (await secure.GetAsync("/metrics", Authorization(User, "wrong"))).Status);
        Assert.Empty(secure.Errors.Snapshot());
    }

    [Theory]
    [InlineData("$2x$04$zzwlBuYSDLUs1AEBkeqnsOP07SqZcIEW/dotbfpE.EpYGIsuUl2uG")]
    [InlineData("$2y$03$zzwlBuYSDLUs1AEBkeqnsOP07SqZcIEW/dotbfpE.EpYGIsuUl2uG")]
    [InlineData("$2y$32$zzwlBuYSDLUs1AEBkeqnsOP07SqZcIEW/dotbfpE.EpYGIsuUl2uG")]
    [InlineData("s3cret-4")]
    public void HashesThatAreNotBcryptAreRefusedWithoutRepeatingThem(string hash)
    {
        var options = new PrometheusExporterOptions();
        options.BasicAuthUsers[User] = hash;
        var error = Assert.Throws<ArgumentException>(() => new PrometheusExporter(options));
        Assert.Contains(User, error.Message);
        Assert.DoesNotContain(hash, error.Message);
    }

    [Fact]
    public void UserNamesWithAColonAreRefused()
    {
        var options = new PrometheusExporterOptions();
        options.BasicAuthUsers["a:b"] = Hash;
        Assert.Throws<ArgumentException>(() => new PrometheusExporter(options));
    }

    [Fact]
    public async Task UsersAddedAfterConstructionHaveNoEffect()
    {
        var options = new PrometheusExporterOptions { Host = "127.0.0.1", Port = 0 };
        var registry = new MetricRegistry();
        await using var exporter = new PrometheusExporter(options, registry);
        options.BasicAuthUsers[User] = Hash;
        exporter.Start();
        using RawClient client = await RawClient.ConnectAsync(exporter.Port);
        Assert.Equal(200, (await client.RoundTripAsync(RawClient.Request("GET", "/metrics"))).Status);
    }

    [Fact]
    public async Task ACacheHitCostsNoBcryptAndNoAllocation()
    {
        var users = new System.Collections.Generic.Dictionary<string, string> { [User] = Hash, ["other"] = Hash };
        BasicAuthenticator authenticator = BasicAuthenticator.Create(users)!;
        byte[] head = Encoding.ASCII.GetBytes(Authorization(User, Password)["Authorization: ".Length..]);
        ByteRange[] field = [new ByteRange(0, head.Length)];

        Assert.Equal(AuthResult.NeedsBcrypt, authenticator.Check(head, field, out BasicAuthenticator.PendingCredentials? pending));
        Assert.True(await authenticator.VerifyAsync(pending!, default));
        Assert.Equal(1, authenticator.BcryptRuns);

        MeasureCacheHits(authenticator, head, field);
    }

    private void MeasureCacheHits(BasicAuthenticator authenticator, byte[] head, ByteRange[] field)
    {
        // Synchronous, so the allocation count of this thread is the checks' alone.
        const int Checks = 20_000;
        for (int i = 0; i < 1000; i++)
        {
            authenticator.Check(head, field, out _);
        }

        var watch = new Stopwatch();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        watch.Start();
        int granted = 0;
        for (int i = 0; i < Checks; i++)
        {
            // Counted rather than asserted here: xunit's Assert.Equal allocates.
            granted += authenticator.Check(head, field, out _) == AuthResult.Granted ? 1 : 0;
        }

        watch.Stop();
        Assert.Equal(Checks, granted);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        _output.WriteLine($"cache hit: {watch.Elapsed.TotalMilliseconds * 1_000_000 / Checks:0} ns per check, {allocated} bytes in {Checks} checks");
        Assert.Equal(1, authenticator.BcryptRuns);

        // Under one byte per check: no check allocates (the smallest object is 24 bytes). A few hundred bytes in total
        // come from the runtime itself (tiered JIT recompiling the loop), not from the checks.
        Assert.True(allocated < Checks, $"{allocated} bytes in {Checks} checks");
    }

    private static TestServer AuthServer(Action<PrometheusExporterOptions>? configure = null, bool tls = false) =>
        new(o =>
        {
            o.BasicAuthUsers[User] = Hash;
            configure?.Invoke(o);
        }, tls: tls);
}
