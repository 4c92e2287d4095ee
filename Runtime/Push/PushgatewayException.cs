using System;
using System.Globalization;

namespace MetricsGen;

/// <summary>Thrown when the Pushgateway answers a push or delete with a status other than 2xx.</summary>
public sealed class PushgatewayException : Exception
{
    /// <summary>Creates the exception for an answer with <paramref name="statusCode"/> and <paramref name="responseBody"/>.</summary>
    public PushgatewayException(int statusCode, string responseBody)
        : this(statusCode, responseBody, string.Create(CultureInfo.InvariantCulture, $"The Pushgateway answered {statusCode}: {Trimmed(responseBody)}"))
    {
    }

    private PushgatewayException(int statusCode, string responseBody, string message)
        : base(message)
    {
        StatusCode = statusCode;
        ResponseBody = responseBody;
    }

    /// <summary>The HTTP status code of the answer, for example 400 for a push the gateway found inconsistent.</summary>
    public int StatusCode { get; }

    /// <summary>The body of the answer: the Pushgateway's own error message (read up to 64 KiB).</summary>
    public string ResponseBody { get; }

    internal static PushgatewayException ForRequest(int statusCode, string? reason, string method, Uri url, string responseBody)
    {
        string status = string.IsNullOrEmpty(reason)
            ? statusCode.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{statusCode} {reason}");
        string text = Trimmed(responseBody);
        return new PushgatewayException(
            statusCode,
            responseBody,
            $"The Pushgateway answered {status} to {method} {url.AbsoluteUri}" + (text.Length == 0 ? "." : ": " + text));
    }

    private static string Trimmed(string? body) => (body ?? "").Trim();
}
