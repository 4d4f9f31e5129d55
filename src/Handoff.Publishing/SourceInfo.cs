namespace Handoff.Publishing;

/// <summary>The source a build came from, read from git.</summary>
public sealed record SourceInfo(string? RepositoryUrl, string? Commit, string? Branch)
{
    /// <summary>
    /// Where CI systems put the commit they build (GitHub Actions, GitLab CI, Azure Pipelines,
    /// Jenkins): the default tag's source when the build folder is not a git checkout (a CI step
    /// given only a source archive, a shallow export).
    /// </summary>
    public static readonly IReadOnlyList<string> CiCommitVariables = ["GITHUB_SHA", "CI_COMMIT_SHA", "BUILD_SOURCEVERSION", "GIT_COMMIT"];

    /// <summary>The folder the source was read from; see <see cref="RepositoryFor"/>.</summary>
    public string? Directory { get; init; }

    /// <summary>
    /// The repository a build names, in provenance and release.json alike: CI's, else git's origin,
    /// else the build folder as a <c>file://</c> URL (a local clone without a remote still names where it came from).
    /// </summary>
    public string? RepositoryFor(CiInfo ci) => ci.RepositoryUrl ?? RepositoryUrl ?? (Directory is null ? null : $"file://{Directory}");

    /// <summary>
    /// <c>sha-</c> and the first 12 hex digits of the commit: the default image tag. Outside git the
    /// commit comes from <see cref="CiCommitVariables"/>; with none, there is no honest default and
    /// the build must be given --tag (an image tagged "unknown" would be overwritten by the next one).
    /// </summary>
    public string DefaultTag(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var commit = Commit;
        var origin = "git";
        if (commit is null)
        {
            foreach (var variable in CiCommitVariables)
            {
                if (environment(variable) is { Length: > 0 } value)
                {
                    (commit, origin) = (value.Trim(), variable);
                    break;
                }
            }
        }

        if (commit is { Length: >= 12 } && commit.All(Uri.IsHexDigit))
        {
            return "sha-" + commit[..12].ToLowerInvariant();
        }

        throw new HandoffException(commit is null
            ? $"No commit to derive the default image tag from: {Directory ?? "the build folder"} is not a git checkout and none of {string.Join(", ", CiCommitVariables)} is set. Pass the tag, e.g. --tag=1.4.2 (or HANDOFF_TAG)."
            : $"The commit '{commit}' from {origin} is not a git commit id, so it cannot make the default image tag sha-<12 hex>. Pass the tag, e.g. --tag=1.4.2 (or HANDOFF_TAG).");
    }

    public static async Task<SourceInfo> ReadAsync(string directory, CancellationToken cancellationToken = default)
    {
        var commit = await Git(directory, ["rev-parse", "HEAD"], cancellationToken);
        var branch = await Git(directory, ["rev-parse", "--abbrev-ref", "HEAD"], cancellationToken);
        var remote = await Git(directory, ["config", "--get", "remote.origin.url"], cancellationToken);
        return new SourceInfo(remote is null ? null : StripCredentials(remote), commit, branch == "HEAD" ? null : branch) { Directory = directory };
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
