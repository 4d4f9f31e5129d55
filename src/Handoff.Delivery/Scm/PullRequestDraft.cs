namespace Handoff.Delivery.Scm;

/// <summary>Which kind of change request a promotion becomes.</summary>
public enum ScmKind
{
    /// <summary>Push the branch only; the title and body go to artifacts/promotion-pr.md (offline, local repos).</summary>
    Branch,
    /// <summary>A GitHub pull request through the REST API.</summary>
    GitHub,
    /// <summary>A GitLab merge request through push options (no API client).</summary>
    GitLab,
}

public static class ScmKinds
{
    public static ScmKind Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "branch" => ScmKind.Branch,
        "github" => ScmKind.GitHub,
        "gitlab" => ScmKind.GitLab,
        _ => throw new HandoffException($"--scm '{value}' is not known. Use github (pull request via the REST API), gitlab (merge request via push options) or branch (push the branch only; the default)."),
    };
}

/// <summary>A pull/merge request to open or update: the same content whatever the SCM.</summary>
public sealed record PullRequestDraft(
    string Branch,
    string BaseBranch,
    string Title,
    string Body,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Reviewers,
    IReadOnlyList<string> TeamReviewers)
{
    /// <summary>One line describing the change, for SCMs that cannot take the Markdown body (GitLab push options).</summary>
    public string? Summary { get; init; }
}

/// <summary>What happened to the pull/merge request.</summary>
public enum PullRequestOutcome
{
    /// <summary>A new request was opened (or, for the branch SCM, the branch was pushed).</summary>
    Opened,
    /// <summary>The open request for the branch was updated with the new change.</summary>
    Updated,
    /// <summary>The open request already shows exactly this change; nothing was written.</summary>
    UpToDate,
}

public sealed record PublishedRequest(PullRequestOutcome Outcome, int? Number, string? Url, string? DescriptionFile);
