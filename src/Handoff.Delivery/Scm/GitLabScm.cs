using System.Text.RegularExpressions;
using Handoff.Delivery.Git;

namespace Handoff.Delivery.Scm;

/// <summary>
/// GitLab merge requests without an API client: GitLab creates or updates the merge request from
/// push options. Push options cannot hold line breaks, so the description is one line with the
/// facts of the change (app, environment, digest, tag, source commit and CI run links) and the
/// full Markdown body goes to artifacts/promotion-pr.md.
/// </summary>
internal sealed partial class GitLabScm(DeliveryRepoLocation location, GitLabOptions options, string artifactsDirectory) : IScm
{
    public Task<RemoteTarget> ResolveAsync(CancellationToken cancellationToken)
    {
        var url = location.CloneUrl ?? throw new HandoffException($"--delivery-repo '{location}' is OWNER/NAME, which means GitHub. For GitLab pass the project's clone URL (https://gitlab.example.com/group/project.git) or a local path.");
        var credentials = new List<GitCredential>();
        if (GitCredential.HttpOrigin(url) is { } origin && options.ResolveToken() is { } token)
        {
            credentials.Add(new GitCredential(origin, options.User, token));
        }

        return Task.FromResult(new RemoteTarget(url, location.ToString(), null, credentials));
    }

    public Task<ExistingRequest?> FindAsync(string branch, string baseBranch, CancellationToken cancellationToken) => Task.FromResult<ExistingRequest?>(null);

    public IReadOnlyList<string> PushOptions(PullRequestDraft draft)
    {
        var pushOptions = new List<string>
        {
            "merge_request.create",
            "merge_request.target=" + draft.BaseBranch,
            "merge_request.title=" + OneLine(draft.Title),
            "merge_request.description=" + OneLine(draft.Summary ?? draft.Title),
        };
        pushOptions.AddRange(draft.Labels.Select(label => "merge_request.label=" + OneLine(label)));
        return pushOptions;
    }

    public Task<PublishedRequest> PublishAsync(PullRequestDraft draft, ExistingRequest? existing, PushReport push, CancellationToken cancellationToken)
    {
        var file = DescriptionFile.Write(artifactsDirectory, draft);
        var outcome = !push.Pushed ? PullRequestOutcome.UpToDate : push.BranchExisted ? PullRequestOutcome.Updated : PullRequestOutcome.Opened;
        var url = MergeRequestUrl().Match(push.RemoteOutput) is { Success: true } match ? match.Value : null;
        return Task.FromResult(new PublishedRequest(outcome, null, url, file));
    }

    private static string OneLine(string value) => Secrets.Redact(value).ReplaceLineEndings(" ").Replace('\0', ' ').Trim();

    [GeneratedRegex(@"https?://\S+/merge_requests/\d+")]
    private static partial Regex MergeRequestUrl();
}
