using System.Net.Http.Headers;
using System.Text;

namespace Handoff.Oci;

/// <summary>One challenge of a <c>WWW-Authenticate</c> header: <c>Bearer realm="…",service="…",scope="…",error="…"</c> or <c>Basic realm="…"</c>.</summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);
    public string? Realm => Parameters.GetValueOrDefault("realm");
    public string? Service => Parameters.GetValueOrDefault("service");
    public string? Scope => Parameters.GetValueOrDefault("scope");
    public string? Error => Parameters.GetValueOrDefault("error");

    public static IReadOnlyList<AuthChallenge> From(HttpHeaders headers) =>
        headers.TryGetValues("WWW-Authenticate", out var values) ? values.SelectMany(Parse).ToList() : [];

    /// <summary>
    /// Parses a header value that may hold several challenges. Parameters are <c>key=token</c> or
    /// <c>key="quoted \" string"</c>, separated by commas; a bare token starts the next challenge.
    /// </summary>
    public static IEnumerable<AuthChallenge> Parse(string header)
    {
        var challenges = new List<AuthChallenge>();
        var position = 0;
        string? scheme = null;
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            SkipSeparators(header, ref position);
            if (position >= header.Length)
            {
                break;
            }

            var token = ReadToken(header, ref position);
            if (token.Length == 0)
            {
                position++;
                continue;
            }

            SkipSpaces(header, ref position);
            if (position < header.Length && header[position] == '=' && scheme is not null)
            {
                position++;
                SkipSpaces(header, ref position);
                parameters[token] = position < header.Length && header[position] == '"' ? ReadQuoted(header, ref position) : ReadToken(header, ref position);
                continue;
            }

            if (scheme is not null)
            {
                challenges.Add(new AuthChallenge(scheme, parameters));
                parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            }

            scheme = token;
        }

        if (scheme is not null)
        {
            challenges.Add(new AuthChallenge(scheme, parameters));
        }

        return challenges;
    }

    private static void SkipSpaces(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }
    }

    private static void SkipSeparators(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or ',')
        {
            i++;
        }
    }

    private static string ReadToken(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && s[i] is not (' ' or '\t' or ',' or '=' or '"'))
        {
            i++;
        }

        return s[start..i];
    }

    private static string ReadQuoted(string s, ref int i)
    {
        var builder = new StringBuilder();
        i++;
        while (i < s.Length && s[i] != '"')
        {
            if (s[i] == '\\' && i + 1 < s.Length)
            {
                i++;
            }

            builder.Append(s[i++]);
        }

        i++;
        return builder.ToString();
    }
}
