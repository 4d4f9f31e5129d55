using System.Net;
using Octokit;
using Polly;
using Polly.Retry;

namespace Handoff.Delivery.Scm;

/// <summary>
/// The few GitHub REST calls a promotion makes, through Octokit, with transient failures (5xx,
/// secondary rate limits, network errors) retried with backoff and Retry-After honoured. Every
/// other failure becomes a <see cref="HandoffException"/> carrying GitHub's own message and the fix,
/// never the token.
/// </summary>
internal sealed class GitHubApi
{
    private readonly GitHubClient _client;
    private readonly ResiliencePipeline _pipeline;
    private readonly GitHubOptions _options;
    private readonly string _owner;
    private readonly string _name;

    public GitHubApi(GitHubOptions options, string token, string owner, string name, Action<string> log)
    {
        _options = options;
        _owner = owner;
        _name = name;
        _client = new GitHubClient(new ProductHeaderValue("Handoff"), new Uri(options.ApiUrl))
        {
            Credentials = new Credentials(token),
        };
        _client.SetRequestTimeout(options.Timeout);
        _pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ApiException>(IsTransient).Handle<HttpRequestException>(),
                MaxRetryAttempts = Math.Max(0, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome.Exception)),
                OnRetry = args =>
                {
                    log($"GitHub: {Describe(args.Outcome.Exception)}; retrying in {args.RetryDelay.TotalSeconds:0.##} s (attempt {args.AttemptNumber + 2} of {options.MaxRetries + 1}).");
                    return default;
                },
            })
            .Build();
    }

    public string Repository => $"{_owner}/{_name}";

    public Task<Octokit.Repository> GetRepositoryAsync(CancellationToken cancellationToken) =>
        CallAsync("read the repository", () => _client.Repository.Get(_owner, _name), cancellationToken);

    public async Task<PullRequest?> FindOpenPullRequestAsync(string branch, string baseBranch, CancellationToken cancellationToken)
    {
        var request = new PullRequestRequest { State = ItemStateFilter.Open, Head = $"{_owner}:{branch}", Base = baseBranch };
        var open = await CallAsync("list pull requests", () => _client.PullRequest.GetAllForRepository(_owner, _name, request, new ApiOptions { PageSize = 10, PageCount = 1, StartPage = 1 }), cancellationToken);
        return open.FirstOrDefault(pr => pr.Head?.Ref == branch);
    }

    public Task<PullRequest> CreatePullRequestAsync(PullRequestDraft draft, CancellationToken cancellationToken) =>
        CallAsync("open the pull request", () => _client.PullRequest.Create(_owner, _name, new NewPullRequest(draft.Title, draft.Branch, draft.BaseBranch) { Body = draft.Body }), cancellationToken);

    public Task<PullRequest> UpdatePullRequestAsync(int number, PullRequestDraft draft, CancellationToken cancellationToken) =>
        CallAsync($"update pull request #{number}", () => _client.PullRequest.Update(_owner, _name, number, new PullRequestUpdate { Title = draft.Title, Body = draft.Body }), cancellationToken);

    public Task<IReadOnlyList<Label>> AddLabelsAsync(int number, IReadOnlyList<string> labels, CancellationToken cancellationToken) =>
        CallAsync($"label pull request #{number}", () => _client.Issue.Labels.AddToIssue(_owner, _name, number, labels.ToArray()), cancellationToken);

    public Task<PullRequest> RequestReviewersAsync(int number, IReadOnlyList<string> reviewers, IReadOnlyList<string> teams, CancellationToken cancellationToken) =>
        CallAsync($"request reviewers on pull request #{number}", () => _client.PullRequest.ReviewRequest.Create(_owner, _name, number, new PullRequestReviewRequest(reviewers.ToList(), teams.ToList())), cancellationToken);

    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async _ => await call(), cancellationToken);
        }
        catch (ApiException ex)
        {
            throw Failure(what, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new HandoffException(Secrets.Redact($"GitHub: cannot {what} in {Repository}: the API at {_options.ApiUrl} is not reachable ({ex.Message}). Check the network and the GitHub API URL (GITHUB_API_URL, or --github-api-url for GitHub Enterprise: https://HOST/api/v3/)."), ex);
        }
    }

    private HandoffException Failure(string what, ApiException ex)
    {
        var message = ApiMessage(ex);
        var fix = ex.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "The token was rejected: set GITHUB_TOKEN or HANDOFF_GITHUB_TOKEN to a valid token (fine-grained: Contents and Pull requests read/write on the delivery repository).",
            HttpStatusCode.NotFound => $"Check that {Repository} exists at {_options.ApiUrl} and that the token can see it (private repositories answer 404 to tokens without access).",
            HttpStatusCode.Forbidden when IsRateLimit(ex) => "GitHub's rate limit is exhausted; wait until it resets, or use a token with a higher limit.",
            HttpStatusCode.Forbidden => "The token lacks a permission: it needs Contents and Pull requests read/write (and Issues write for labels) on the delivery repository.",
            (HttpStatusCode)422 => "GitHub refused the request as invalid; the message above says which field.",
            _ when IsTransient(ex) => $"GitHub kept failing after {_options.MaxRetries + 1} attempts; try again later.",
            _ => "",
        };
        return new HandoffException(Secrets.Redact($"GitHub: cannot {what} in {Repository}: {(int)ex.StatusCode} {message}. {fix}").TrimEnd(), ex);
    }

    private static string ApiMessage(ApiException ex)
    {
        var message = ex.ApiError?.Message ?? ex.Message;
        if (ex.ApiError?.Errors is { Count: > 0 } errors)
        {
            message += ": " + string.Join("; ", errors.Select(e => e.Message ?? $"{e.Resource}.{e.Field} {e.Code}"));
        }

        return message;
    }

    private static string Describe(Exception? exception) => exception switch
    {
        ApiException api => $"{(int)api.StatusCode} {ApiMessage(api)}",
        null => "failed",
        _ => exception.Message,
    };

    internal static bool IsTransient(ApiException ex) =>
        (int)ex.StatusCode >= 500 || IsSecondaryRateLimit(ex);

    private static bool IsSecondaryRateLimit(ApiException ex) =>
        ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests &&
        (ex is SecondaryRateLimitExceededException || RetryAfterHeader(ex) is not null ||
         ApiMessage(ex).Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase));

    private static bool IsRateLimit(ApiException ex) => ex is RateLimitExceededException || IsSecondaryRateLimit(ex);

    private static TimeSpan? RetryAfterHeader(ApiException ex)
    {
        if (ex.HttpResponse?.Headers is not { } headers)
        {
            return null;
        }

        foreach (var (key, value) in headers)
        {
            if (string.Equals(key, "Retry-After", StringComparison.OrdinalIgnoreCase) && int.TryParse(value, out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }

        return null;
    }

    /// <summary>The server's Retry-After, capped; null lets the exponential backoff decide.</summary>
    private TimeSpan? RetryAfter(Exception? exception)
    {
        if (exception is ApiException api && RetryAfterHeader(api) is { } wait)
        {
            if (wait > _options.MaxRetryAfter)
            {
                throw new HandoffException($"GitHub asks to wait {wait.TotalSeconds:0} s before retrying ({ApiMessage(api)}), longer than the {_options.MaxRetryAfter.TotalSeconds:0} s Handoff waits. Run the promotion again later.", api);
            }

            return wait;
        }

        return null;
    }
}
