using Handoff.Delivery.Git;
using Handoff.Delivery.Scm;

namespace Handoff.Delivery;

/// <summary>How to reach the delivery repository and open requests on it; shared by every command.</summary>
public sealed record DeliveryOptions
{
    /// <summary>A URL (https, ssh, file), a local path (bare or not) or OWNER/NAME on GitHub.</summary>
    public required string DeliveryRepo { get; init; }

    public ScmKind Scm { get; init; } = ScmKind.Branch;

    /// <summary>The branch promotions target; default: handoff.yaml's baseBranch, else the remote's default branch.</summary>
    public string? BaseBranch { get; init; }

    /// <summary>The folder relative paths are resolved against (the app or delivery repo the build runs in).</summary>
    public string WorkingDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Where promotion-pr.md is written; default WorkingDirectory/artifacts.</summary>
    public string? ArtifactsDirectory { get; init; }

    /// <summary>Where temporary clones go; default the system temp folder. Always removed afterwards.</summary>
    public string? TempDirectory { get; init; }

    public GitIdentity Identity { get; init; } = GitIdentity.Default;
    public GitHubOptions GitHub { get; init; } = new();
    public GitLabOptions GitLab { get; init; } = new();

    /// <summary>Attempts when a push is rejected because someone else moved the branch: refetch, re-apply, retry.</summary>
    public int MaxPushAttempts { get; init; } = 3;

    /// <summary>History fetched by a promotion's shallow clone: enough to find recent promotions for the change log.</summary>
    public int CloneDepth { get; init; } = 50;

    public TimeSpan GitTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public string GitPath { get; init; } = "git";

    /// <summary>The clock freeze windows are checked against.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    internal string Artifacts => ArtifactsDirectory ?? Path.Combine(WorkingDirectory, "artifacts");

    internal GitSettings GitSettings(IReadOnlyList<GitCredential> credentials) => new()
    {
        GitPath = GitPath,
        Identity = Identity,
        Credentials = credentials,
        Timeout = GitTimeout,
    };
}
