using System;
using System.Globalization;

namespace MetricsGen.Sample;

/// <summary>The Sample's command line.</summary>
public sealed class SampleOptions
{
    public const string Usage =
        "usage: MetricsGen.Sample [--once] [--format text|openmetrics] [--host HOST] [--port PORT]\n" +
        "                         [--requests N] [--rate PER_SECOND] [--adversarial] [--expect-file PATH]\n" +
        "                         [--tls-cert PEM --tls-key PEM [--tls-client-ca PEM]] [--basic-auth-file HTPASSWD]";

    public bool Once { get; private set; }

    public ExpositionFormat Format { get; private set; } = ExpositionFormat.PrometheusText;

    public string Host { get; private set; } = "0.0.0.0";

    public int Port { get; private set; } = 8000;

    public string? ExpectFile { get; private set; }

    public bool Adversarial { get; private set; }

    /// <summary>Requests to simulate before traffic stops; 0 for no end.</summary>
    public long Requests { get; private set; }

    public double Rate { get; private set; } = 20;

    public string? Error { get; private set; }

    /// <summary>Serve HTTPS with this certificate (PEM) and <see cref="TlsKey"/>.</summary>
    public string? TlsCert { get; private set; }

    public string? TlsKey { get; private set; }

    public string? TlsClientCa { get; private set; }

    /// <summary>An htpasswd file of <c>user:bcrypt-hash</c> lines (<c>htpasswd -nbB user password</c> prints one).</summary>
    public string? BasicAuthFile { get; private set; }

    public static SampleOptions Parse(string[] args)
    {
        var options = new SampleOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (arg)
            {
                case "--once":
                    options.Once = true;
                    break;
                case "--format":
                    string? format = Next();
                    if (format is "text" or "prometheus")
                    {
                        options.Format = ExpositionFormat.PrometheusText;
                    }
                    else if (format is "openmetrics")
                    {
                        options.Format = ExpositionFormat.OpenMetrics;
                    }
                    else
                    {
                        options.Error = $"unknown format '{format}'";
                    }

                    break;
                case "--host":
                    options.Host = Next() ?? string.Empty;
                    if (options.Host.Length == 0)
                    {
                        options.Error = "--host needs a value";
                    }

                    break;
                case "--port":
                    if (!int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
                    {
                        options.Error = "--port needs a number from 0 to 65535";
                    }

                    options.Port = port;
                    break;
                case "--expect-file":
                    options.ExpectFile = Next();
                    if (options.ExpectFile is null)
                    {
                        options.Error = "--expect-file needs a path";
                    }

                    break;
                case "--adversarial":
                    options.Adversarial = true;
                    break;
                case "--requests":
                    if (!long.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out long requests))
                    {
                        options.Error = "--requests needs a whole number";
                    }

                    options.Requests = requests;
                    break;
                case "--rate":
                    if (!double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) || !(rate > 0) || double.IsInfinity(rate))
                    {
                        options.Error = "--rate needs a positive number";
                    }

                    options.Rate = rate;
                    break;
                case "--tls-cert":
                    options.TlsCert = Next() ?? (options.Error = "--tls-cert needs a path");
                    break;
                case "--tls-key":
                    options.TlsKey = Next() ?? (options.Error = "--tls-key needs a path");
                    break;
                case "--tls-client-ca":
                    options.TlsClientCa = Next() ?? (options.Error = "--tls-client-ca needs a path");
                    break;
                case "--basic-auth-file":
                    options.BasicAuthFile = Next() ?? (options.Error = "--basic-auth-file needs a path");
                    break;
                case "-h" or "--help":
                    options.Error = "help";
                    break;
                default:
                    options.Error = $"unknown argument '{arg}'";
                    break;
            }
        }

        if ((options.TlsCert is null) != (options.TlsKey is null) || (options.TlsClientCa is not null && options.TlsCert is null))
        {
            options.Error ??= "--tls-cert and --tls-key go together (and --tls-client-ca needs them)";
        }

        return options;
    }
}
