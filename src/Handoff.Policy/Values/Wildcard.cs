namespace Handoff.Policy.Values;

/// <summary>Kyverno's glob: <c>*</c> matches any run of characters (also none), <c>?</c> exactly one.</summary>
public static class Wildcard
{
    public static bool ContainsWildcard(string text) => text.AsSpan().IndexOfAny('*', '?') >= 0;

    public static bool Match(string pattern, string text)
    {
        if (pattern.Length == 0)
        {
            return text.Length == 0;
        }

        if (!ContainsWildcard(pattern))
        {
            return string.Equals(pattern, text, StringComparison.Ordinal);
        }

        if (pattern == "*")
        {
            return true;
        }

        // Iterative matcher with single backtrack point: linear for the patterns policies use.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
