using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Handoff.Oci;

/// <summary>
/// Authorizes requests to one registry, learning the scheme from its challenges:
/// Basic (ECR, htpasswd registries) sends the credentials with every request; Bearer (Docker Hub,
/// GHCR, ACR, Harbor, Quay, GAR) exchanges them at the challenge's realm for a token per scope set.
/// Tokens are cached by scope set and reused while valid. The token in use covers the union of the
/// scopes asked for so far, so pull then push on a repository needs one more token, not one per
/// request; an <c>insufficient_scope</c> challenge is answered with that union plus the scope the
/// registry names. Credentials are resolved only when a registry first asks for them.
/// </summary>
internal sealed class RegistryAuthenticator
{
    private readonly RegistryClientOptions _options;
    private readonly string _registry;
    private readonly RetryingSender _sender;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, BearerToken> _tokens = new(StringComparer.Ordinal);
    private RegistryCredential? _credential;
    private bool _credentialResolved;
    private volatile AuthChallenge? _bearerChallenge;
    private volatile bool _basic;
    private ScopeSet _granted = ScopeSet.Empty;
    private BearerToken? _current;
    private volatile AuthenticationHeaderValue? _basicHeader;
    private RegistryCredential? _basicHeaderFor;

    public RegistryAuthenticator(string registry, RegistryClientOptions options, RetryingSender sender)
    {
        _registry = registry;
        _options = options;
        _sender = sender;
        if (options.Credentials is not null)
        {
            _credential = options.Credentials;
            _credentialResolved = true;
        }
    }

    /// <summary>The credentials in use, once a challenge required them (null: anonymous).</summary>
    public RegistryCredential? Credential => _credential;

    /// <summary>The Authorization header for a request needing <paramref name="scope"/>; null before the registry asked for anything.</summary>
    public async Task<AuthenticationHeaderValue?> AuthorizeAsync(ScopeSet scope, RegistryOperation operation, CancellationToken cancellationToken)
    {
        if (_basic)
        {
            return BasicHeader(_credential);
        }

        if (_bearerChallenge is null)
        {
            return null;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } current && _granted.Covers(scope) && !current.IsExpired)
            {
                return current.Header;
            }

            var wanted = _granted.Union(scope);
            return (await TokenForAsync(wanted, operation, forceRefresh: false, cancellationToken)).Header;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Handles a 401: learns the scheme, gets credentials or a token for what the registry asked.
    /// True when the request should be sent again; false when nothing more can be tried.
    /// </summary>
    public async Task<bool> HandleChallengeAsync(HttpResponseMessage response, ScopeSet scope, RegistryOperation operation, AuthenticationHeaderValue? sent, CancellationToken cancellationToken)
    {
        var challenges = AuthChallenge.From(response.Headers);
        LastChallenge = challenges.FirstOrDefault(c => c.IsBearer) ?? challenges.FirstOrDefault(c => c.IsBasic);
        if (LastChallenge is null)
        {
            return false;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (LastChallenge.IsBasic)
            {
                var credential = await ResolveCredentialAsync(cancellationToken);
                if (credential is null || !credential.HasPassword || sent?.Scheme == "Basic")
                {
                    return false;
                }

                _basic = true;
                return true;
            }

            _bearerChallenge = LastChallenge;
            var wanted = _granted.Union(scope).Union(ScopeSet.Parse(LastChallenge.Scope));
            var sentBearer = sent?.Scheme == "Bearer";
            if (sentBearer && _current is { } current && !ReferenceEquals(sent, current.Header) && _granted.Covers(wanted) && !current.IsExpired)
            {
                // A parallel request already got a newer token that covers this one: retry with it.
                return true;
            }

            if (sentBearer && _granted.Covers(wanted) && LastChallenge.Error != "insufficient_scope")
            {
                // The token covered everything yet was refused (expired or revoked): fetch a fresh one once.
                if (_current is not null && _current.Refreshed)
                {
                    return false;
                }

                await TokenForAsync(wanted, operation, forceRefresh: true, cancellationToken);
                return true;
            }

            if (sentBearer && LastChallenge.Error == "insufficient_scope" && _granted.Covers(wanted))
            {
                // The realm already declined to grant more for these scopes.
                return false;
            }

            await TokenForAsync(wanted, operation, forceRefresh: false, cancellationToken);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The challenge of the last 401, for the error message when giving up.</summary>
    public AuthChallenge? LastChallenge { get; private set; }

    private async Task<BearerToken> TokenForAsync(ScopeSet wanted, RegistryOperation operation, bool forceRefresh, CancellationToken cancellationToken)
    {
        if (!forceRefresh && _tokens.TryGetValue(wanted.Key, out var cached) && !cached.IsExpired)
        {
            Use(wanted, cached);
            return cached;
        }

        var token = await FetchTokenAsync(wanted, operation, cancellationToken) with { Refreshed = forceRefresh };
        _tokens[wanted.Key] = token;
        Use(wanted, token);
        return token;
    }

    private void Use(ScopeSet wanted, BearerToken token)
    {
        _current = token;
        // What the realm grants may be less than asked (Docker Hub drops push it will not allow);
        // the registry's insufficient_scope answer then says so.
        _granted = wanted;
    }

    private async Task<BearerToken> FetchTokenAsync(ScopeSet scopes, RegistryOperation operation, CancellationToken cancellationToken)
    {
        var challenge = _bearerChallenge!;
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http"))
        {
            throw new HandoffException($"Registry {_registry} asked for a token from the realm '{challenge.Realm}', which is not an http(s) URL. The registry is misconfigured.");
        }

        var credential = await ResolveCredentialAsync(cancellationToken);
        if (credential is not null && realm.Scheme == "http" && !RegistryEndpoint.IsLoopback(realm.Authority) &&
            !_options.InsecureRegistries.Any(r => RegistryEndpoint.Normalize(r) == RegistryEndpoint.Normalize(realm.Authority)))
        {
            throw new HandoffException($"Registry {_registry} asked for credentials at {realm.GetLeftPart(UriPartial.Path)} over plain http. Refusing to send them unencrypted: use https for the token service, or list {realm.Authority} as an insecure registry.");
        }

        var identityToken = credential?.IdentityToken;
        var (response, attempts) = await _sender.SendAsync(
            () => identityToken is null ? TokenGet(realm, challenge.Service, scopes, credential) : TokenPost(realm, challenge.Service, scopes, identityToken),
            _options.RequestTimeout, HttpCompletionOption.ResponseContentRead, cancellationToken);
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw RegistryErrors.Unauthorized(operation, credential, null);
            }

            if (!response.IsSuccessStatusCode)
            {
                var failure = await RegistryErrors.CreateAsync(response, operation with { Action = $"issuing a token for {scopes} ({operation.Action})" }, attempts, credential, cancellationToken);
                throw new HandoffException($"The token service of {_registry} ({realm.GetLeftPart(UriPartial.Path)}) failed: {failure.Message}");
            }

            return await ReadTokenAsync(response, realm, cancellationToken);
        }
    }

    private HttpRequestMessage TokenGet(Uri realm, string? service, ScopeSet scopes, RegistryCredential? credential)
    {
        var query = new StringBuilder(realm.Query.TrimStart('?'));
        void Add(string key, string value) => query.Append(query.Length > 0 ? "&" : "").Append(key).Append('=').Append(Uri.EscapeDataString(value));
        if (!string.IsNullOrEmpty(service))
        {
            Add("service", service);
        }

        foreach (var scope in scopes.Scopes)
        {
            Add("scope", scope);
        }

        if (credential?.HasPassword == true)
        {
            Add("account", credential.Username!);
        }

        var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(realm) { Query = query.ToString() }.Uri);
        if (credential?.HasPassword == true)
        {
            request.Headers.Authorization = BasicHeader(credential);
        }

        return request;
    }

    private static HttpRequestMessage TokenPost(Uri realm, string? service, ScopeSet scopes, string identityToken)
    {
        // OAuth2 refresh-token grant, as Docker does for an identitytoken (ACR, and registries using OAuth2).
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", identityToken),
            new("client_id", "handoff"),
            new("scope", string.Join(' ', scopes.Scopes)),
        };
        if (!string.IsNullOrEmpty(service))
        {
            form.Add(new("service", service));
        }

        return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
    }

    private async Task<BearerToken> ReadTokenAsync(HttpResponseMessage response, Uri realm, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            var root = document.RootElement;
            var value = root.GetStringOrNull("token") is { Length: > 0 } token ? token : root.GetStringOrNull("access_token");
            if (string.IsNullOrEmpty(value))
            {
                throw new HandoffException($"The token service of {_registry} ({realm.GetLeftPart(UriPartial.Path)}) answered without a token or access_token. The registry's token service is misconfigured.");
            }

            Secrets.Register(value);
            // The spec's default lifetime is 60 s. Expiry counts from receipt, not issued_at: the
            // registry's clock may differ from ours, and a token must not expire between check and
            // use, so it is renewed a little early.
            var lifetime = root.GetPropertyOrNull("expires_in") is { ValueKind: JsonValueKind.Number } expires && expires.TryGetInt32(out var seconds) && seconds > 0 ? seconds : 60;
            return new BearerToken(new AuthenticationHeaderValue("Bearer", value), DateTimeOffset.UtcNow.AddSeconds(lifetime - Math.Min(15, lifetime / 4.0)));
        }
        catch (JsonException)
        {
            throw new HandoffException($"The token service of {_registry} ({realm.GetLeftPart(UriPartial.Path)}) answered with something other than JSON. Check the registry address.");
        }
    }

    private async Task<RegistryCredential?> ResolveCredentialAsync(CancellationToken cancellationToken)
    {
        if (!_credentialResolved)
        {
            _credential = await _options.CredentialResolver.ResolveAsync(_registry, cancellationToken);
            _credentialResolved = true;
        }

        return _credential;
    }

    private AuthenticationHeaderValue? BasicHeader(RegistryCredential? credential)
    {
        if (credential?.HasPassword != true)
        {
            return null;
        }

        if (_basicHeader is { } cached && ReferenceEquals(_basicHeaderFor, credential))
        {
            return cached;
        }

        var header = new AuthenticationHeaderValue("Basic", Secrets.Register(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}"))));
        _basicHeaderFor = credential;
        _basicHeader = header;
        return header;
    }

    private sealed record BearerToken(AuthenticationHeaderValue Header, DateTimeOffset ExpiresAt)
    {
        public bool Refreshed { get; init; }

        public bool IsExpired => DateTimeOffset.UtcNow >= ExpiresAt;
    }
}
