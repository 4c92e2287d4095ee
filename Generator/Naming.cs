using System.Text;

namespace MetricsGen.Generator;

internal static class Naming
{
    /// <summary><c>tokenType</c> → <c>token_type</c>, <c>HTTPRequests</c> → <c>http_requests</c>.</summary>
    public static string ToSnakeCase(string name)
    {
        // Most label parameters are lowercase already and come out as they are: no builder, no copy.
        if (!HasUpper(name))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool afterLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                bool endsAcronym = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if ((afterLowerOrDigit || endsAcronym) && builder.Length > 0 && builder[builder.Length - 1] != '_')
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static bool HasUpper(string name)
    {
        foreach (char c in name)
        {
            if (char.IsUpper(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>token_type</c> → <c>TokenType</c>.</summary>
    public static string SnakeToPascalCase(string snake)
    {
        var builder = new StringBuilder(snake.Length);
        bool upper = true;
        foreach (char c in snake)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return builder.ToString();
    }

    /// <summary><c>CacheHits</c> → <c>cacheHits</c>.</summary>
    public static string ToCamelCase(string name) =>
        name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);
}
