namespace Handoff.Publishing;

/// <summary>The source a build came from, read from git.</summary>
public sealed record SourceInfo(string? RepositoryUrl, string? Commit, string? Branch)
{
    /// <summary><c>sha-</c> and the first 12 hex digits of the commit: the default image tag.</summary>
    public string DefaultTag => Commit is { Length: >= 12 } c ? "sha-" + c[..12] : "sha-unknown";

    public static async Task<SourceInfo> ReadAsync(string directory, CancellationToken cancellationToken = default)
    {
        var commit = await Git(directory, ["rev-parse", "HEAD"], cancellationToken);
        var branch = await Git(directory, ["rev-parse", "--abbrev-ref", "HEAD"], cancellationToken);
        var remote = await Git(directory, ["config", "--get", "remote.origin.url"], cancellationToken);
        return new SourceInfo(remote is null ? null : StripCredentials(remote), commit, branch == "HEAD" ? null : branch);
    }

    /// <summary>Removes user:password@ from a URL: remotes sometimes embed tokens, and this ends up in release.json.</summary>
    public static string StripCredentials(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.UserInfo) && uri.Scheme is "http" or "https")
        {
            return new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString().TrimEnd('/');
        }

        return url;
    }

    private static async Task<string?> Git(string directory, string[] args, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Exec.RunAsync("git", ["-C", directory, .. args], cancellationToken: cancellationToken);
            return result.Succeeded ? result.StandardOutput.Trim() : null;
        }
        catch (HandoffException)
        {
            return null;
        }
    }
}
