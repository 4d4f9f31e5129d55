using Handoff.Delivery.Git;

namespace Handoff.Delivery.Scm;

/// <summary>The embedded default: push the branch and describe the request in a file; MergePromotion merges it.</summary>
internal sealed class BranchScm(DeliveryRepoLocation location, string githubApiUrl, string artifactsDirectory) : IScm
{
    public Task<RemoteTarget> ResolveAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new RemoteTarget(RemoteUrls.CloneUrl(location, githubApiUrl), location.ToString(), null, []));

    public Task<ExistingRequest?> FindAsync(string branch, string baseBranch, CancellationToken cancellationToken) => Task.FromResult<ExistingRequest?>(null);

    public IReadOnlyList<string> PushOptions(PullRequestDraft draft) => [];

    public Task<PublishedRequest> PublishAsync(PullRequestDraft draft, ExistingRequest? existing, PushReport push, CancellationToken cancellationToken)
    {
        var file = DescriptionFile.Write(artifactsDirectory, draft);
        var outcome = !push.Pushed ? PullRequestOutcome.UpToDate : push.BranchExisted ? PullRequestOutcome.Updated : PullRequestOutcome.Opened;
        return Task.FromResult(new PublishedRequest(outcome, null, null, file));
    }
}

internal static class RemoteUrls
{
    /// <summary>A clone URL for any form of --delivery-repo; OWNER/NAME maps to the GitHub web host of the API URL.</summary>
    public static string CloneUrl(DeliveryRepoLocation location, string githubApiUrl) =>
        location.CloneUrl ?? $"{GitHubWebUrl(githubApiUrl)}{location.Owner}/{location.Name}.git";

    /// <summary>https://api.github.com/ → https://github.com/; https://HOST/api/v3/ → https://HOST/.</summary>
    public static string GitHubWebUrl(string apiUrl)
    {
        var uri = new Uri(apiUrl.EndsWith('/') ? apiUrl : apiUrl + "/");
        if (uri.Host == "api.github.com")
        {
            return "https://github.com/";
        }

        var path = uri.AbsolutePath;
        var api = path.IndexOf("/api/", StringComparison.Ordinal);
        return uri.GetLeftPart(UriPartial.Authority) + (api >= 0 ? path[..(api + 1)] : "/");
    }
}
