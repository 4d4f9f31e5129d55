namespace Handoff.Delivery.Config;

/// <summary>Compares image names the way a user means them: a configured name without registry matches any registry.</summary>
internal static class ImageNames
{
    /// <summary>
    /// True when <paramref name="configured"/> (e.g. <c>handoff/myapp</c> or <c>ghcr.io/org/myapp</c>)
    /// names the same repository as <paramref name="actual"/> (a repository path, optionally with registry).
    /// </summary>
    public static bool SameRepository(string configured, string actual)
    {
        configured = configured.Trim().TrimEnd('/');
        actual = actual.Trim().TrimEnd('/');
        if (string.Equals(configured, actual, StringComparison.Ordinal))
        {
            return true;
        }

        // A configured path without registry matches the path part of the release's reference, and vice versa.
        return actual.EndsWith("/" + configured, StringComparison.Ordinal) || configured.EndsWith("/" + actual, StringComparison.Ordinal);
    }
}
