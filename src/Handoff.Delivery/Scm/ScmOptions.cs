namespace Handoff.Delivery.Scm;

/// <summary>GitHub settings. The token comes from here, else HANDOFF_GITHUB_TOKEN, else GITHUB_TOKEN.</summary>
public sealed record GitHubOptions
{
    public const string PublicApiUrl = "https://api.github.com/";

    /// <summary>The REST API root: https://api.github.com/ or, for GitHub Enterprise Server, https://HOST/api/v3/.</summary>
    public string ApiUrl { get; init; } = Environment.GetEnvironmentVariable("GITHUB_API_URL") is { Length: > 0 } url ? url : PublicApiUrl;

    public string? Token { get; init; }

    /// <summary>OWNER/NAME of the delivery repository when --delivery-repo is a path or a URL GitHub cannot be read from.</summary>
    public string? Repository { get; init; }

    /// <summary>Retries of transient failures (5xx, secondary rate limits, network errors).</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First backoff delay; doubles with jitter on each retry.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest a Retry-After header may make us wait before giving up instead.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(90);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    public string? ResolveToken()
    {
        var token = Token;
        if (string.IsNullOrEmpty(token))
        {
            token = Environment.GetEnvironmentVariable("HANDOFF_GITHUB_TOKEN");
        }

        if (string.IsNullOrEmpty(token))
        {
            token = Environment.GetEnvironmentVariable("GITHUB_TOKEN");
        }

        return string.IsNullOrEmpty(token) ? null : Secrets.Register(token);
    }
}

/// <summary>GitLab settings for pushing over https. The token comes from here, else HANDOFF_GITLAB_TOKEN, else GITLAB_TOKEN.</summary>
public sealed record GitLabOptions
{
    public string? Token { get; init; }

    /// <summary>The user name paired with the token over https; GitLab accepts "oauth2" for personal, project and group access tokens.</summary>
    public string User { get; init; } = "oauth2";

    public string? ResolveToken()
    {
        var token = Token;
        if (string.IsNullOrEmpty(token))
        {
            token = Environment.GetEnvironmentVariable("HANDOFF_GITLAB_TOKEN");
        }

        if (string.IsNullOrEmpty(token))
        {
            token = Environment.GetEnvironmentVariable("GITLAB_TOKEN");
        }

        return string.IsNullOrEmpty(token) ? null : Secrets.Register(token);
    }
}
