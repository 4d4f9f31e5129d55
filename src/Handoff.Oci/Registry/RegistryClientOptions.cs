namespace Handoff.Oci;

/// <summary>How a <see cref="RegistryClient"/> connects, authenticates and retries.</summary>
public sealed record RegistryClientOptions
{
    /// <summary>Credentials to use; when null they are resolved (on the first challenge) by <see cref="CredentialResolver"/>.</summary>
    public RegistryCredential? Credentials { get; init; }

    /// <summary>Finds credentials when <see cref="Credentials"/> is null: environment, then Docker's config.json and helpers.</summary>
    public RegistryCredentials CredentialResolver { get; init; } = RegistryCredentials.Default;

    /// <summary>Registries (host or host:port) reached over plain http. Loopback hosts always are.</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    public RegistryRetryOptions Retry { get; init; } = new();

    /// <summary>Limit for one request without a large body (manifests, HEAD, tokens).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Limit for one blob upload or download.</summary>
    public TimeSpan TransferTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Receives one line per notable step (retries, uploads); already redacted.</summary>
    public Action<string>? Log { get; init; }

    public string UserAgent { get; init; } = "handoff-oci/1.0";
}

/// <summary>
/// Bounded retries with exponential backoff for unreachable registries, 5xx and 429 answers.
/// A 429's or 503's Retry-After is honoured up to <see cref="MaxRetryAfter"/>.
/// </summary>
public sealed record RegistryRetryOptions
{
    /// <summary>Attempts in all, the first included; 1 disables retries.</summary>
    public int MaxAttempts { get; init; } = 4;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);
    public bool UseJitter { get; init; } = true;
}
