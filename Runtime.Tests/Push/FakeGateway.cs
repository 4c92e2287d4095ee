using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace MetricsGen.Runtime.Tests.Push;

/// <summary>One request as the fake gateway received it, byte for byte.</summary>
internal sealed record RecordedRequest(string Method, string Target, Dictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 (TcpListener): records each request (request line, headers, a body of
/// Content-Length bytes), answers with <see cref="Status"/> and <see cref="ResponseBody"/>, and closes the
/// connection. With <see cref="Hold"/> it records the request and never answers, for timeouts and cancellation.
/// </summary>
internal sealed class FakeGateway : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<RecordedRequest> _requests = Channel.CreateUnbounded<RecordedRequest>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = new();
    private int _connectionCount;

    public FakeGateway()
    {
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public volatile int Status = 200;

    public volatile string ResponseBody = "";

    public volatile bool Hold;

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>The next recorded request; fails the test when none arrives within 30 seconds.</summary>
    public async Task<RecordedRequest> NextAsync()
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return await _requests.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The fake gateway received no request within 30 seconds.");
        }
    }

    /// <summary>A request already received, or null (does not wait).</summary>
    public RecordedRequest? TryTake() => _requests.Reader.TryRead(out RecordedRequest? request) ? request : null;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_connections)
        {
            foreach (TcpClient connection in _connections)
            {
                connection.Dispose();
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            Interlocked.Increment(ref _connectionCount);
            lock (_connections)
            {
                _connections.Add(client);
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            NetworkStream stream = client.GetStream();
            var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int headEnd;
            while ((headEnd = IndexOfHeadEnd(buffer)) < 0)
            {
                int read = await stream.ReadAsync(chunk, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                buffer.Write(chunk, 0, read);
            }

            byte[] all = buffer.ToArray();
            string[] lines = Encoding.Latin1.GetString(all, 0, headEnd).Split("\r\n");
            string[] requestLine = lines[0].Split(' ');
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 1; i < lines.Length; i++)
            {
                int colon = lines[i].IndexOf(':');
                string name = lines[i][..colon];
                string value = lines[i][(colon + 1)..].Trim();
                headers[name] = headers.TryGetValue(name, out string? earlier) ? earlier + ", " + value : value;
            }

            int length = headers.TryGetValue("Content-Length", out string? text) ? int.Parse(text) : 0;
            var body = new MemoryStream();
            body.Write(all, headEnd + 4, all.Length - headEnd - 4);
            while (body.Length < length)
            {
                int read = await stream.ReadAsync(chunk, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                body.Write(chunk, 0, read);
            }

            _requests.Writer.TryWrite(new RecordedRequest(requestLine[0], requestLine[1], headers, body.ToArray()));
            if (Hold)
            {
                // Never answers; the connection is closed when the client gives up or the gateway is disposed.
                await Task.Delay(Timeout.Infinite, _stop.Token);
                return;
            }

            byte[] responseBody = Encoding.UTF8.GetBytes(ResponseBody);
            string head = $"HTTP/1.1 {Status} Status\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {responseBody.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.Latin1.GetBytes(head), _stop.Token);
            await stream.WriteAsync(responseBody, _stop.Token);
        }
        catch (Exception)
        {
            // The client went away or the test ended.
        }
        finally
        {
            client.Dispose();
        }
    }

    private static int IndexOfHeadEnd(MemoryStream buffer) =>
        buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf("\r\n\r\n"u8);
}
