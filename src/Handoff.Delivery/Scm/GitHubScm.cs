using Handoff.Delivery.Git;
using Octokit;

namespace Handoff.Delivery.Scm;

/// <summary>
/// GitHub pull requests. Calls per promotion, kept minimal: read the repository (clone URL,
/// default branch; also proves the token before anything is pushed), list open pull requests for
/// the branch, then create or update, then add only the labels and reviewers the request lacks.
/// </summary>
internal sealed class GitHubScm : IScm
{
    private readonly DeliveryRepoLocation _location;
    private readonly GitHubApi _api;
    private readonly string _token;

    public GitHubScm(DeliveryRepoLocation location, GitHubOptions options, Action<string> log)
    {
        _location = location;
        var (owner, name) = OwnerAndName(location, options);
        _token = options.ResolveToken() ?? throw new HandoffException("--scm=github needs a token: set GITHUB_TOKEN or HANDOFF_GITHUB_TOKEN (Contents and Pull requests read/write on the delivery repository), or use --scm=branch to push the branch only.");
        _api = new GitHubApi(options, _token, owner, name, log);
    }

    private static (string Owner, string Name) OwnerAndName(DeliveryRepoLocation location, GitHubOptions options)
    {
        if (!string.IsNullOrEmpty(options.Repository))
        {
            var parts = options.Repository.Split('/');
            if (parts is [{ Length: > 0 } owner, { Length: > 0 } name])
            {
                return (owner, name);
            }

            throw new HandoffException($"--github-repository '{options.Repository}' is not OWNER/NAME. Pass the delivery repository on GitHub as --github-repository=OWNER/NAME, e.g. --github-repository=acme/delivery.");
        }

        if (location is { Owner: { } o, Name: { } n })
        {
            return (o, n);
        }

        throw new HandoffException($"Cannot tell which GitHub repository --delivery-repo '{location}' is. Pass OWNER/NAME as --delivery-repo, an https://github.com/OWNER/NAME URL, or --github-repository=OWNER/NAME.");
    }

    public async Task<RemoteTarget> ResolveAsync(CancellationToken cancellationToken)
    {
        var repository = await _api.GetRepositoryAsync(cancellationToken);
        var cloneUrl = _location.Form == DeliveryRepoForm.GitHubName ? repository.CloneUrl : _location.CloneUrl!;
        var credentials = GitCredential.HttpOrigin(cloneUrl) is { } origin ? new[] { new GitCredential(origin, "x-access-token", _token) } : [];
        return new RemoteTarget(cloneUrl, _api.Repository, repository.DefaultBranch, credentials);
    }

    public async Task<ExistingRequest?> FindAsync(string branch, string baseBranch, CancellationToken cancellationToken) =>
        await _api.FindOpenPullRequestAsync(branch, baseBranch, cancellationToken) is { } pr ? ToExisting(pr) : null;

    public IReadOnlyList<string> PushOptions(PullRequestDraft draft) => [];

    public async Task<PublishedRequest> PublishAsync(PullRequestDraft draft, ExistingRequest? existing, PushReport push, CancellationToken cancellationToken)
    {
        PullRequestOutcome outcome;
        if (existing is null)
        {
            try
            {
                existing = ToExisting(await _api.CreatePullRequestAsync(draft, cancellationToken));
                outcome = PullRequestOutcome.Opened;
            }
            catch (HandoffException ex) when (ex.InnerException is ApiValidationException && ex.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase))
            {
                // Opened concurrently (or by a retried create whose first answer was lost): update that one.
                existing = await FindAsync(draft.Branch, draft.BaseBranch, cancellationToken);
                if (existing is null)
                {
                    throw;
                }

                outcome = await UpdateAsync(draft, existing, push, cancellationToken);
            }
        }
        else
        {
            outcome = await UpdateAsync(draft, existing, push, cancellationToken);
        }

        var labels = draft.Labels.Except(existing.Labels, StringComparer.OrdinalIgnoreCase).ToList();
        if (labels.Count > 0)
        {
            await _api.AddLabelsAsync(existing.Number, labels, cancellationToken);
        }

        var reviewers = draft.Reviewers.Except(existing.Reviewers, StringComparer.OrdinalIgnoreCase).ToList();
        var teams = draft.TeamReviewers.Except(existing.TeamReviewers, StringComparer.OrdinalIgnoreCase).ToList();
        if (reviewers.Count > 0 || teams.Count > 0)
        {
            await _api.RequestReviewersAsync(existing.Number, reviewers, teams, cancellationToken);
        }

        if (outcome == PullRequestOutcome.UpToDate && (labels.Count > 0 || reviewers.Count > 0 || teams.Count > 0))
        {
            outcome = PullRequestOutcome.Updated;
        }

        return new PublishedRequest(outcome, existing.Number, existing.Url, null);
    }

    private async Task<PullRequestOutcome> UpdateAsync(PullRequestDraft draft, ExistingRequest existing, PushReport push, CancellationToken cancellationToken)
    {
        if (existing.Title == draft.Title && NormalizeBody(existing.Body) == NormalizeBody(draft.Body))
        {
            return push.Pushed ? PullRequestOutcome.Updated : PullRequestOutcome.UpToDate;
        }

        await _api.UpdatePullRequestAsync(existing.Number, draft, cancellationToken);
        return PullRequestOutcome.Updated;
    }

    /// <summary>GitHub may hand the body back with CRLF line endings.</summary>
    private static string NormalizeBody(string body) => body.ReplaceLineEndings("\n").TrimEnd();

    private static ExistingRequest ToExisting(PullRequest pr) => new(
        pr.Number,
        pr.HtmlUrl,
        pr.Title ?? "",
        pr.Body ?? "",
        pr.Labels?.Select(l => l.Name).ToList() ?? [],
        pr.RequestedReviewers?.Select(u => u.Login).ToList() ?? [],
        pr.RequestedTeams?.Select(t => t.Slug).ToList() ?? []);
}
