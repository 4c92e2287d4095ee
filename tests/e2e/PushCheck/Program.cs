using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Threading.Tasks;
using MetricsGen;
using PushCheck;

// One command per run, against the gateway at --url:
//   put | post      push the families given (--alpha V, --beta V) with PUT or POST
//   delete          delete the group
//   bad-type        PUT pushcheck_alpha as a histogram (the gateway refuses it when another group has it as a gauge)
// Group: --job NAME, --key label=value (repeatable). --gzip compresses the body.
// Prints "ok METHOD URL", or "PushgatewayException StatusCode=N Message=..." (exit 3), or "error TYPE: message" (exit 1).
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: PushCheck put|post|delete|bad-type --url URL --job JOB [--key l=v]... [--alpha V] [--beta V] [--gzip]");
    return 2;
}

string command = args[0];
var options = new PushgatewayOptions();
double? alpha = null;
double? beta = null;
for (int i = 1; i < args.Length; i++)
{
    string value = i + 1 < args.Length ? args[i + 1] : "";
    switch (args[i])
    {
        case "--url": options.Endpoint = new Uri(value); i++; break;
        case "--job": options.Job = value; i++; break;
        case "--key":
            int eq = value.IndexOf('=');
            options.GroupingKey[value[..eq]] = value[(eq + 1)..];
            i++;
            break;
        case "--alpha": alpha = double.Parse(value, CultureInfo.InvariantCulture); i++; break;
        case "--beta": beta = double.Parse(value, CultureInfo.InvariantCulture); i++; break;
        case "--gzip": options.UseGzip = true; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

var registry = new MetricRegistry();
if (command == "bad-type")
{
    new AlphaAsHistogramMetrics(registry).Alpha.Observe(1.5);
}
else
{
    if (alpha is { } a)
    {
        new AlphaMetrics(registry).Alpha.Set(a);
    }

    if (beta is { } b)
    {
        new BetaMetrics(registry).Beta.Set(b);
    }
}

try
{
    using var client = new PushgatewayClient(options, registry);
    string method;
    switch (command)
    {
        case "put" or "bad-type": await client.PushAsync(); method = "PUT"; break;
        case "post": await client.PushAddAsync(); method = "POST"; break;
        case "delete": await client.DeleteAsync(); method = "DELETE"; break;
        default: Console.Error.WriteLine($"unknown command {command}"); return 2;
    }

    Console.WriteLine($"ok {method} {client.GroupUrl.AbsoluteUri}");
    return 0;
}
catch (PushgatewayException error)
{
    Console.WriteLine($"PushgatewayException StatusCode={error.StatusCode} Message={error.Message.ReplaceLineEndings(" ")}");
    return 3;
}
catch (Exception error) when (error is HttpRequestException or ArgumentException or TaskCanceledException)
{
    Console.WriteLine($"error {error.GetType().Name}: {error.Message}");
    return 1;
}
