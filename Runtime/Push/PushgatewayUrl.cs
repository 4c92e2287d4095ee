using System;
using System.Collections.Generic;
using System.Text;
using MetricsGen.Shared;

namespace MetricsGen;

/// <summary>
/// Builds the group URL <c>&lt;endpoint&gt;/metrics/job/&lt;job&gt;{/&lt;label&gt;/&lt;value&gt;}</c> the way the
/// Pushgateway decodes it.
/// </summary>
internal static class PushgatewayUrl
{
    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>The group URL for <paramref name="job"/> and <paramref name="groupingKey"/> (validated here).</summary>
    /// <exception cref="ArgumentException">Bad endpoint, empty job, or an invalid or reserved label name.</exception>
    public static Uri Build(Uri? endpoint, string? job, IEnumerable<KeyValuePair<string, string>>? groupingKey)
    {
        if (endpoint is null)
        {
            throw new ArgumentException("The Pushgateway endpoint is required.", nameof(PushgatewayOptions.Endpoint));
        }

        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The Pushgateway endpoint must be an absolute http or https URL.", nameof(PushgatewayOptions.Endpoint));
        }

        if (endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0 || endpoint.UserInfo.Length > 0)
        {
            throw new ArgumentException(
                "The Pushgateway endpoint must hold no query, fragment or user information (use Username and Password).",
                nameof(PushgatewayOptions.Endpoint));
        }

        if (string.IsNullOrEmpty(job))
        {
            throw new ArgumentException("The job name must not be empty.", nameof(PushgatewayOptions.Job));
        }

        var labels = new List<KeyValuePair<string, string>>();
        if (groupingKey is not null)
        {
            foreach (KeyValuePair<string, string> pair in groupingKey)
            {
                if (!ExpositionRules.IsValidLabelName(pair.Key))
                {
                    throw new ArgumentException($"'{pair.Key}' is not a valid label name for the grouping key.", nameof(PushgatewayOptions.GroupingKey));
                }

                if (pair.Key == "job")
                {
                    throw new ArgumentException("The grouping key must not hold 'job'; set Job instead.", nameof(PushgatewayOptions.GroupingKey));
                }

                if (pair.Value is null)
                {
                    throw new ArgumentException($"The grouping key value of '{pair.Key}' is null.", nameof(PushgatewayOptions.GroupingKey));
                }

                labels.Add(pair);
            }
        }

        // A stable order, so the same key always names the same URL (the gateway itself does not care).
        labels.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));

        var url = new StringBuilder(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        url.Append("/metrics");
        AppendPair(url, "job", job);
        foreach (KeyValuePair<string, string> pair in labels)
        {
            AppendPair(url, pair.Key, pair.Value);
        }

        return new Uri(url.ToString(), UriKind.Absolute);
    }

    /// <summary>Appends <c>/label/value</c>, or <c>/label@base64/…</c> when the value needs it.</summary>
    public static void AppendPair(StringBuilder url, string label, string value)
    {
        url.Append('/').Append(label);
        if (NeedsBase64(value))
        {
            url.Append("@base64/").Append(Base64Url(value));
        }
        else
        {
            url.Append('/');
            AppendPercentEncoded(url, value);
        }
    }

    /// <summary>
    /// An empty value would be an empty path segment and a <c>/</c> would split one, so both need base64, as the
    /// Pushgateway documents. <c>.</c> and <c>..</c> too: URL and router path cleaning would remove them as dot
    /// segments before the gateway saw them.
    /// </summary>
    public static bool NeedsBase64(string value) =>
        value.Length == 0 || value.Contains('/') || value == "." || value == "..";

    /// <summary>
    /// URL-safe base64 of the UTF-8 bytes, with padding as <c>prometheus_client</c> sends it; the empty value is
    /// <c>=</c> (an empty segment would not survive the URL).
    /// </summary>
    public static string Base64Url(string value)
    {
        if (value.Length == 0)
        {
            return "=";
        }

        string base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        return base64.Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Percent-encodes every UTF-8 byte except the unreserved characters of RFC 3986 (space is <c>%20</c>).</summary>
    public static void AppendPercentEncoded(StringBuilder url, string value)
    {
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                url.Append((char)b);
            }
            else
            {
                url.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
            }
        }
    }
}
