using Handoff.Delivery.Git;

namespace Handoff.Delivery.Scm;

/// <summary>Where to clone from and push to, with the credentials git needs for it.</summary>
internal sealed record RemoteTarget(string CloneUrl, string DisplayName, string? DefaultBranch, IReadOnlyList<GitCredential> Credentials);

/// <summary>The open pull/merge request for a branch, as the SCM reports it.</summary>
internal sealed record ExistingRequest(int Number, string Url, string Title, string Body, IReadOnlyList<string> Labels, IReadOnlyList<string> Reviewers, IReadOnlyList<string> TeamReviewers);

/// <summary>What the push did, for the SCM to decide between opened, updated and up to date.</summary>
internal sealed record PushReport(bool Pushed, bool BranchExisted, string RemoteOutput);

/// <summary>
/// One way of turning a pushed branch into a reviewable change: GitHub pull requests, GitLab merge
/// requests or a plain branch. The runner calls these in order: resolve, find, push (with
/// <see cref="PushOptions"/>), publish.
/// </summary>
internal interface IScm
{
    Task<RemoteTarget> ResolveAsync(CancellationToken cancellationToken);

    Task<ExistingRequest?> FindAsync(string branch, string baseBranch, CancellationToken cancellationToken);

    IReadOnlyList<string> PushOptions(PullRequestDraft draft);

    Task<PublishedRequest> PublishAsync(PullRequestDraft draft, ExistingRequest? existing, PushReport push, CancellationToken cancellationToken);
}
