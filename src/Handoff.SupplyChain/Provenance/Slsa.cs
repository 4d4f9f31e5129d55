namespace Handoff.SupplyChain.Provenance;

/// <summary>The type URIs Handoff's provenance uses.</summary>
public static class Slsa
{
    public const string StatementType = "https://in-toto.io/Statement/v1";
    public const string ProvenancePredicateType = "https://slsa.dev/provenance/v1";

    /// <summary>
    /// Handoff's build type, documented in src/Handoff.SupplyChain/README.md ("Build type"): a
    /// container image built by Handoff's Publish graph from a git commit. Bump the version when the
    /// meaning of externalParameters changes.
    /// </summary>
    public const string HandoffBuildType = "https://handoff.dev/provenance/container-image/v1";
}

/// <summary>Source repository URLs in one comparable, provenance-friendly form.</summary>
public static class SourceRepositories
{
    /// <summary>
    /// <c>git@host:owner/repo.git</c>, <c>ssh://git@host/owner/repo</c> and <c>https://host/owner/repo.git/</c>
    /// all become <c>https://host/owner/repo</c> (ssh ones keep ssh://); the host is lowercased.
    /// </summary>
    public static string Normalize(string url)
    {
        var text = url.Trim();
        if (text.StartsWith("git+", StringComparison.OrdinalIgnoreCase))
        {
            text = text[4..];
        }

        // scp-like syntax: user@host:path
        var at = text.IndexOf('@');
        var colon = text.IndexOf(':');
        if (!text.Contains("://", StringComparison.Ordinal) && at > 0 && colon > at)
        {
            text = "ssh://" + text[..colon] + "/" + text[(colon + 1)..];
        }

        text = text.TrimEnd('/');
        if (text.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^4];
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ssh" or "git")
        {
            var host = uri.IsDefaultPort ? uri.Host.ToLowerInvariant() : $"{uri.Host.ToLowerInvariant()}:{uri.Port}";
            var user = uri.Scheme == "ssh" && uri.UserInfo.Length > 0 ? uri.UserInfo + "@" : "";
            return $"{uri.Scheme}://{user}{host}{uri.AbsolutePath.TrimEnd('/')}";
        }

        return text;
    }

    /// <summary>Equal as repositories: scheme (https vs ssh), credentials, user and ".git" do not matter.</summary>
    public static bool SameRepository(string a, string b) =>
        string.Equals(HostAndPath(a), HostAndPath(b), StringComparison.OrdinalIgnoreCase);

    private static string HostAndPath(string url)
    {
        var normalized = Normalize(url);
        return Uri.TryCreate(normalized, UriKind.Absolute, out var uri) ? uri.Host + uri.AbsolutePath.TrimEnd('/') : normalized;
    }
}
