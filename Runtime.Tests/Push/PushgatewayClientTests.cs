using System;
using System.Collections.Concurrent;
using System.IO;
using System.IO.Compression;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MetricsGen.Runtime.Tests.Exporter;
using Xunit;

namespace MetricsGen.Runtime.Tests.Push;

/// <summary>The client against a recording HTTP server on a real loopback socket.</summary>
public sealed class PushgatewayClientTests : IDisposable
{
    private readonly FakeGateway _gateway = new();
    private readonly MetricRegistry _registry = new();
    private readonly TestSource _source = new();

    public PushgatewayClientTests() => _registry.Register(_source);

    public void Dispose() => _gateway.Dispose();

    private PushgatewayOptions Options(Action<PushgatewayOptions>? configure = null)
    {
        var options = new PushgatewayOptions { Endpoint = _gateway.Endpoint, Job = "nightly" };
        options.GroupingKey["instance"] = "db-1";
        options.GroupingKey["path"] = "/var/a b";
        configure?.Invoke(options);
        return options;
    }

    [Fact]
    public async Task TheDocumentedExampleSendsPutPostAndDeleteToOneGroup()
    {
        // docs/pushgateway.md's first example, as a user writes it.
        var options = new PushgatewayOptions { Endpoint = _gateway.Endpoint, Job = "nightly" };
        options.GroupingKey["instance"] = "db-1";
        options.GroupingKey["path"] = "/var/a b";
        using var pusher = new PushgatewayClient(options, _registry);
        await pusher.PushAsync();
        await pusher.PushAddAsync();
        await pusher.DeleteAsync();

        string group = "/metrics/job/nightly/instance/db-1/path@base64/L3Zhci9hIGI=";
        foreach (string method in new[] { "PUT", "POST", "DELETE" })
        {
            RecordedRequest request = await _gateway.NextAsync();
            Assert.Equal(method, request.Method);
            Assert.Equal(group, request.Target);
        }
    }

    [Fact]
    public async Task PushIsAPutOfTheTextExpositionToTheGroupUrl()
    {
        using var client = new PushgatewayClient(Options(), _registry);
        await client.PushAsync();

        RecordedRequest request = await _gateway.NextAsync();
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/metrics/job/nightly/instance/db-1/path@base64/L3Zhci9hIGI=", request.Target);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", request.Header("Content-Type"));
        Assert.Null(request.Header("Content-Encoding"));
        Assert.Null(request.Header("Authorization"));
        Assert.Equal(_registry.GenerateLatest(ExpositionFormat.PrometheusText), request.BodyText);
        Assert.Contains("test_temperature_celsius{room=\"room-000000\"} 21.5\n", request.BodyText);
    }

    [Fact]
    public async Task PushAddIsAPostAndDeleteADeleteWithoutBody()
    {
        using var client = new PushgatewayClient(Options(), _registry);
        await client.PushAddAsync();
        RecordedRequest post = await _gateway.NextAsync();
        Assert.Equal("POST", post.Method);
        Assert.Equal(client.GroupUrl.PathAndQuery, post.Target);
        Assert.Equal(_registry.GenerateLatest(), post.BodyText);

        await client.DeleteAsync();
        RecordedRequest delete = await _gateway.NextAsync();
        Assert.Equal("DELETE", delete.Method);
        Assert.Equal(client.GroupUrl.PathAndQuery, delete.Target);
        Assert.Empty(delete.Body);
        Assert.Null(delete.Header("Content-Type"));
    }

    [Fact]
    public async Task TheDefaultRegistryIsPushedWhenNoneIsGiven()
    {
        using var client = new PushgatewayClient(Options());
        Assert.Same(MetricRegistry.Default, client.Registry);
        await client.PushAsync();
        Assert.Contains("# TYPE dotnet_gc_collections_total counter", (await _gateway.NextAsync()).BodyText);
    }

    [Fact]
    public async Task GzipCompressesTheBody()
    {
        using var client = new PushgatewayClient(Options(o => o.UseGzip = true), _registry);
        await client.PushAsync();

        RecordedRequest request = await _gateway.NextAsync();
        Assert.Equal("gzip", request.Header("Content-Encoding"));
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal(0x1f, request.Body[0]);
        using var gzip = new GZipStream(new MemoryStream(request.Body), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        Assert.Equal(_registry.GenerateLatest(), reader.ReadToEnd());
    }

    [Fact]
    public async Task BasicAuthAndExtraHeadersAreSent()
    {
        using var client = new PushgatewayClient(
            Options(o =>
            {
                o.Username = "pusher";
                o.Password = "pä:ss";
                o.Headers["X-Scope-OrgID"] = "tenant-7";
                o.Headers["User-Agent"] = "nightly-job/1.0";
            }),
            _registry);
        await client.DeleteAsync();

        RecordedRequest request = await _gateway.NextAsync();
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("pusher:pä:ss")), request.Header("Authorization"));
        Assert.Equal("tenant-7", request.Header("X-Scope-OrgID"));
        Assert.Equal("nightly-job/1.0", request.Header("User-Agent"));
    }

    [Fact]
    public async Task AnAuthorizationHeaderCanCarryABearerToken()
    {
        using var client = new PushgatewayClient(Options(o => o.Headers["Authorization"] = "Bearer abc"), _registry);
        await client.PushAsync();
        Assert.Equal("Bearer abc", (await _gateway.NextAsync()).Header("Authorization"));
    }

    [Theory]
    [InlineData(400, "pushed metrics are invalid or inconsistent with existing metrics: collected metric \"x\" is not a GAUGE\n")]
    [InlineData(500, "")]
    [InlineData(401, "Unauthorized\n")]
    [InlineData(301, "")]
    public async Task ANon2xxAnswerIsAPushgatewayExceptionWithTheGatewaysMessage(int status, string body)
    {
        _gateway.Status = status;
        _gateway.ResponseBody = body;
        using var client = new PushgatewayClient(Options(), _registry);

        PushgatewayException error = await Assert.ThrowsAsync<PushgatewayException>(() => client.PushAsync());
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(body, error.ResponseBody);
        Assert.Contains($"answered {status}", error.Message);
        Assert.Contains("PUT " + client.GroupUrl.AbsoluteUri, error.Message);
        Assert.Contains(body.Trim(), error.Message);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    [InlineData(204)]
    public async Task Every2xxIsSuccess(int status)
    {
        _gateway.Status = status;
        using var client = new PushgatewayClient(Options(), _registry);

        // Success: the task completes without an exception, after the gateway received the whole request.
        Task push = client.PushAddAsync();
        await push;
        Assert.True(push.IsCompletedSuccessfully);
        RecordedRequest post = await _gateway.NextAsync();
        Assert.Equal("POST", post.Method);
        Assert.Equal("/metrics/job/nightly/instance/db-1/path@base64/L3Zhci9hIGI=", post.Target);
        Assert.Equal(_registry.GenerateLatest(), post.BodyText);

        Task delete = client.DeleteAsync();
        await delete;
        Assert.True(delete.IsCompletedSuccessfully);
        RecordedRequest deleted = await _gateway.NextAsync();
        Assert.Equal("DELETE", deleted.Method);
        Assert.Equal(post.Target, deleted.Target);
        Assert.Empty(deleted.Body);
    }

    [Fact]
    public async Task ATransportFailureIsHttpRequestException()
    {
        // A port that was free a moment ago: nobody listens there.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        using var client = new PushgatewayClient(Options(o => o.Endpoint = new Uri($"http://127.0.0.1:{port}")), _registry);
        HttpRequestException error = await Assert.ThrowsAsync<HttpRequestException>(() => client.PushAsync());
        Assert.IsType<SocketException>(error.InnerException);
    }

    [Fact]
    public async Task TheTimeoutEndsARequestTheGatewayDoesNotAnswer()
    {
        _gateway.Hold = true;
        using var client = new PushgatewayClient(Options(o => o.Timeout = TimeSpan.FromSeconds(1)), _registry);

        // The gateway records the request and never answers; only the client's timeout can end the push.
        Task push = client.PushAsync();
        Task finished = await Task.WhenAny(push, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(push, finished);
        TaskCanceledException error = await Assert.ThrowsAsync<TaskCanceledException>(() => push);
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact]
    public async Task TheCallersTokenCancelsARequest()
    {
        _gateway.Hold = true;
        using var client = new PushgatewayClient(Options(o => o.Timeout = Timeout.InfiniteTimeSpan), _registry);
        using var cancel = new CancellationTokenSource();

        Task delete = client.DeleteAsync(cancel.Token);
        await _gateway.NextAsync();
        cancel.Cancel();
        Task finished = await Task.WhenAny(delete, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(delete, finished);
        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delete);
        Assert.IsNotType<TimeoutException>(error.InnerException);
        Assert.True(delete.IsCanceled);
    }

    [Fact]
    public async Task AnAlreadyCancelledTokenSendsNothing()
    {
        using var client = new PushgatewayClient(Options(), _registry);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.PushAsync(new CancellationToken(canceled: true)));
        Assert.Equal(0, _gateway.ConnectionCount);
    }

    [Theory]
    [InlineData("room")]
    [InlineData("job")]
    public async Task AGroupingLabelInAPushedSeriesIsRefusedBeforeAnythingIsSent(string label)
    {
        var options = new PushgatewayOptions { Endpoint = _gateway.Endpoint, Job = "nightly" };
        if (label != "job")
        {
            options.GroupingKey[label] = "kitchen";
        }

        if (label == "job")
        {
            _source.Temperature.Add("job=\"other\""u8.ToArray()).Set(1);
        }

        using var client = new PushgatewayClient(options, _registry);
        ArgumentException push = await Assert.ThrowsAsync<ArgumentException>(() => client.PushAsync());
        Assert.Contains($"'{label}'", push.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => client.PushAddAsync());

        // DELETE sends no series, so it is allowed; it is the first and only request the gateway sees.
        await client.DeleteAsync();
        Assert.Equal("DELETE", (await _gateway.NextAsync()).Method);
        Assert.Equal(1, _gateway.ConnectionCount);
    }

    [Fact]
    public async Task AGroupingLabelNameInsideALabelValueIsNoConflict()
    {
        _source.Temperature.Add("room=\"instance=\\\"x\\\"\""u8.ToArray()).Set(3);
        using var client = new PushgatewayClient(Options(), _registry);
        await client.PushAsync();
        Assert.Contains("room=\"instance=\\\"x\\\"\"", (await _gateway.NextAsync()).BodyText);
    }

    [Fact]
    public void BadOptionsAreArgumentExceptionsFromTheConstructor()
    {
        Assert.Throws<ArgumentNullException>(() => new PushgatewayClient(null!));
        Assert.Throws<ArgumentException>(() => new PushgatewayClient(Options(o => o.Job = "")));
        Assert.Throws<ArgumentException>(() => new PushgatewayClient(Options(o => o.Endpoint = null)));
        Assert.Throws<ArgumentException>(() => new PushgatewayClient(Options(o => o.GroupingKey["bad-name"] = "x")));
        Assert.Throws<ArgumentException>(() => new PushgatewayClient(Options(o => o.GroupingKey["job"] = "x")));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PushgatewayClient(Options(o => o.Timeout = TimeSpan.Zero)));
        Assert.Throws<ArgumentException>(() => new PushgatewayClient(Options(o => o.Username = "a:b")));
        Assert.Throws<ArgumentException>(() => new PushgatewayClient(Options(o => o.Password = "no user")));
        Assert.Throws<ArgumentException>(() => new PushgatewayClient(Options(o => o.Headers["Content-Type"] = "text/html")));
        Assert.Throws<ArgumentException>(() => new PushgatewayClient(Options(o => o.Headers["X-Evil"] = "a\r\nX-Injected: 1")));
        Assert.Throws<ArgumentException>(() => new PushgatewayClient(Options(o => o.Headers["Bad Name"] = "x")));
        Assert.Throws<ArgumentException>(() => new PushgatewayClient(Options(o =>
        {
            o.Username = "u";
            o.Headers["Authorization"] = "Bearer x";
        })));
        Assert.Equal(0, _gateway.ConnectionCount);
    }

    [Fact]
    public async Task TheOptionsAreCopied()
    {
        PushgatewayOptions options = Options();
        using var client = new PushgatewayClient(options, _registry);
        options.GroupingKey["instance"] = "db-2";
        options.Job = "other";
        options.UseGzip = true;
        await client.PushAsync();
        RecordedRequest request = await _gateway.NextAsync();
        Assert.Equal("/metrics/job/nightly/instance/db-1/path@base64/L3Zhci9hIGI=", request.Target);
        Assert.Null(request.Header("Content-Encoding"));
    }

    [Fact]
    public async Task ACallerSuppliedHandlerIsUsedAndNotDisposed()
    {
        var handler = new CountingHandler();
        var client = new PushgatewayClient(Options(o => o.HttpMessageHandler = handler), _registry);
        await client.PushAsync();
        await _gateway.NextAsync();
        Assert.Equal(1, handler.Requests);
        client.Dispose();
        Assert.False(handler.Disposed);

        // Still usable by its owner, e.g. a second client.
        using var second = new PushgatewayClient(Options(o => o.HttpMessageHandler = handler), _registry);
        await second.DeleteAsync();
        Assert.Equal(2, handler.Requests);
        handler.Dispose();
        Assert.True(handler.Disposed);
    }

    [Fact]
    public async Task ADisposedClientRefusesWork()
    {
        var client = new PushgatewayClient(Options(), _registry);
        client.Dispose();
        client.Dispose();
        await client.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.PushAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.PushAddAsync());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.DeleteAsync());
        Assert.Throws<ObjectDisposedException>(() => client.StartPeriodicPush(TimeSpan.FromSeconds(1)));
        Assert.Equal(0, _gateway.ConnectionCount);
    }

    [Fact]
    public async Task AnAsyncDisposedClientRefusesWork()
    {
        var client = new PushgatewayClient(Options(), _registry);
        await client.DisposeAsync();
        client.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.PushAsync());
        Assert.Throws<ObjectDisposedException>(() => client.StartPeriodicPush(TimeSpan.FromSeconds(1)));
        Assert.Equal(0, _gateway.ConnectionCount);
    }

    [Fact]
    public async Task DisposingAPeriodicPushAsynchronouslyPushesALastTime()
    {
        await using var client = new PushgatewayClient(Options(), _registry);
        await using (PeriodicPush periodic = client.StartPeriodicPush(TimeSpan.FromHours(1)))
        {
            Assert.Contains("test_requests_total 7\n", (await _gateway.NextAsync()).BodyText);
            _source.Requests[0].Inc(35);
        }

        RecordedRequest last = Assert.IsType<RecordedRequest>(_gateway.TryTake());
        Assert.Contains("test_requests_total 42\n", last.BodyText);
    }

    [Fact]
    public async Task DisposingTheClientAsynchronouslyEndsItsPeriodicPushWithALastPush()
    {
        var client = new PushgatewayClient(Options(), _registry);
        client.StartPeriodicPush(TimeSpan.FromHours(1));
        await _gateway.NextAsync();
        _source.Requests[0].Inc(1);
        await client.DisposeAsync();
        Assert.Contains("test_requests_total 8\n", Assert.IsType<RecordedRequest>(_gateway.TryTake()).BodyText);
        Assert.Null(_gateway.TryTake());
    }

    [Fact]
    public async Task DisposeDoesNotDeadlockOnAThreadWhoseSynchronizationContextNeverRuns()
    {
        // A handler that awaits without ConfigureAwait(false) would need the disposing thread's context to go on;
        // Dispose blocks that thread, so the last push must not run on it.
        var handler = new ContextCapturingHandler();
        var client = new PushgatewayClient(Options(o => o.HttpMessageHandler = handler), _registry);
        PeriodicPush periodic = client.StartPeriodicPush(TimeSpan.FromHours(1));
        await _gateway.NextAsync();

        var disposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            SynchronizationContext.SetSynchronizationContext(new NeverRunningContext());
            periodic.Dispose();
            client.Dispose();
            disposed.SetResult();
        });
        thread.Start();

        // The bound only turns a deadlock into a failure instead of a hung run.
        Task finished = await Task.WhenAny(disposed.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(disposed.Task, finished);
        Assert.Equal("PUT", Assert.IsType<RecordedRequest>(_gateway.TryTake()).Method);
        handler.Dispose();
    }

    [Fact]
    public async Task AFailedPeriodicPushReachesTheRegistrysWarningAndOnErrorOnceEach()
    {
        _gateway.Status = 503;
        var warnings = new ConcurrentQueue<Exception>();
        var callbacks = new ConcurrentQueue<Exception>();
        var firstReported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _registry.Warning += warnings.Enqueue;
        var client = new PushgatewayClient(
            Options(o => o.OnError = error =>
            {
                callbacks.Enqueue(error);
                firstReported.TrySetResult();
            }),
            _registry);

        PeriodicPush periodic = client.StartPeriodicPush(TimeSpan.FromHours(1));
        await firstReported.Task.WaitAsync(TimeSpan.FromSeconds(30));
        periodic.Dispose();

        // Two pushes failed (the first and the last); the timer of an hour never ticked. Dispose returned after the
        // last report, so nothing is still on its way.
        Assert.Equal(2, _gateway.ConnectionCount);
        Assert.Equal(2, warnings.Count);
        Assert.Equal(warnings, callbacks);
        Assert.All(warnings, error => Assert.Equal(503, Assert.IsType<PushgatewayException>(error).StatusCode));
        client.Dispose();
        Assert.Equal(2, callbacks.Count);
    }

    [Fact]
    public void OnErrorSeesTheRegistrysWarningsWhileTheClientLives()
    {
        var callbacks = new ConcurrentQueue<Exception>();
        var before = new InvalidOperationException("before");
        var during = new InvalidOperationException("during");
        var after = new InvalidOperationException("after");
        _registry.ReportWarning(before);
        var client = new PushgatewayClient(Options(o => o.OnError = callbacks.Enqueue), _registry);
        _registry.ReportWarning(during);
        client.Dispose();
        _registry.ReportWarning(after);
        Assert.Equal(new Exception[] { during }, callbacks);
    }

    [Fact]
    public void AConstructorThatThrowsLeavesNoSubscription()
    {
        var callbacks = new ConcurrentQueue<Exception>();
        Assert.Throws<ArgumentException>(() => new PushgatewayClient(Options(o =>
        {
            o.OnError = callbacks.Enqueue;
            o.Job = "";
        }), _registry));
        _registry.ReportWarning(new InvalidOperationException("nobody listens"));
        Assert.Empty(callbacks);
    }

    [Fact]
    public async Task PeriodicPushPushesRepeatedly()
    {
        using var client = new PushgatewayClient(Options(), _registry);
        using (client.StartPeriodicPush(TimeSpan.FromMilliseconds(50)))
        {
            for (int i = 0; i < 3; i++)
            {
                RecordedRequest request = await _gateway.NextAsync();
                Assert.Equal("PUT", request.Method);
                Assert.Contains("test_requests_total 7", request.BodyText);
            }
        }
    }

    [Fact]
    public async Task DisposingAPeriodicPushPushesALastTime()
    {
        using var client = new PushgatewayClient(Options(), _registry);
        IDisposable periodic = client.StartPeriodicPush(TimeSpan.FromHours(1));
        Assert.Contains("test_requests_total 7\n", (await _gateway.NextAsync()).BodyText); // the first push is at once

        _source.Requests[0].Inc(35);
        periodic.Dispose();

        // Dispose returns after the last push was answered, so it is already recorded.
        RecordedRequest last = Assert.IsType<RecordedRequest>(_gateway.TryTake());
        Assert.Equal("PUT", last.Method);
        Assert.Contains("test_requests_total 42\n", last.BodyText);

        periodic.Dispose();
        Assert.Null(_gateway.TryTake());
    }

    [Fact]
    public async Task DisposingTheClientEndsItsPeriodicPushWithALastPush()
    {
        var client = new PushgatewayClient(Options(), _registry);
        client.StartPeriodicPush(TimeSpan.FromHours(1));
        await _gateway.NextAsync();
        _source.Temperature.Add("room=\"attic\""u8.ToArray()).Set(-4);
        client.Dispose();
        RecordedRequest last = Assert.IsType<RecordedRequest>(_gateway.TryTake());
        Assert.Contains("test_temperature_celsius{room=\"attic\"} -4\n", last.BodyText);
    }

    [Fact]
    public async Task PeriodicPushFailuresGoToTheCallbackAndTheLoopGoesOn()
    {
        _gateway.Status = 503;
        _gateway.ResponseBody = "overloaded";
        var errors = new BlockingCollection<Exception>();
        using var client = new PushgatewayClient(
            Options(o => o.OnError = error =>
            {
                errors.Add(error);
                throw new InvalidOperationException("A failing callback must not stop the loop.");
            }),
            _registry);

        IDisposable periodic = client.StartPeriodicPush(TimeSpan.FromMilliseconds(50));
        for (int i = 0; i < 3; i++)
        {
            Assert.True(errors.TryTake(out Exception? error, TimeSpan.FromSeconds(30)), "no failure was reported");
            PushgatewayException failure = Assert.IsType<PushgatewayException>(error);
            Assert.Equal(503, failure.StatusCode);
            Assert.Equal("overloaded", failure.ResponseBody);
        }

        periodic.Dispose(); // does not throw although its last push fails too
    }

    [Fact]
    public async Task TheLastPushsFailureGoesToTheCallbackAndIsNotThrown()
    {
        _gateway.Status = 400;
        _gateway.ResponseBody = "inconsistent";
        var errors = new BlockingCollection<Exception>();
        using var client = new PushgatewayClient(Options(o => o.OnError = errors.Add), _registry);
        IDisposable periodic = client.StartPeriodicPush(TimeSpan.FromHours(1));
        Assert.True(errors.TryTake(out Exception? first, TimeSpan.FromSeconds(30)), "the first push's failure was not reported");
        Assert.IsType<PushgatewayException>(first);

        periodic.Dispose();

        // Reported before Dispose returned.
        Assert.True(errors.TryTake(out Exception? last), "the last push's failure was not reported");
        Assert.Equal(400, Assert.IsType<PushgatewayException>(last).StatusCode);
        Assert.Equal(2, _gateway.ConnectionCount);
    }

    [Fact]
    public void APeriodicPushSurvivesTheGatewayBeingDown()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var errors = new BlockingCollection<Exception>();
        using var client = new PushgatewayClient(Options(o =>
        {
            o.Endpoint = new Uri($"http://127.0.0.1:{port}");
            o.OnError = errors.Add;
        }), _registry);
        using (client.StartPeriodicPush(TimeSpan.FromMilliseconds(50)))
        {
            for (int i = 0; i < 2; i++)
            {
                Assert.True(errors.TryTake(out Exception? error, TimeSpan.FromSeconds(30)), "no failure was reported");
                Assert.IsType<HttpRequestException>(error);
            }
        }
    }

    [Fact]
    public void ThePeriodicIntervalMustBePositive()
    {
        using var client = new PushgatewayClient(Options(), _registry);
        Assert.Throws<ArgumentOutOfRangeException>(() => client.StartPeriodicPush(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.StartPeriodicPush(TimeSpan.FromSeconds(-1)));
    }

    /// <summary>Queues what is posted to it and never runs it, like a UI thread that is blocked.</summary>
    private sealed class NeverRunningContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state)
        {
        }

        public override void Send(SendOrPostCallback d, object? state) =>
            throw new InvalidOperationException("The context's thread is blocked.");
    }

    /// <summary>Awaits without ConfigureAwait(false), as user handlers often do.</summary>
    private sealed class ContextCapturingHandler : DelegatingHandler
    {
        public ContextCapturingHandler()
            : base(new SocketsHttpHandler())
        {
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return await base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        public CountingHandler()
            : base(new SocketsHttpHandler())
        {
        }

        public int Requests;

        public bool Disposed;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            return base.SendAsync(request, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
