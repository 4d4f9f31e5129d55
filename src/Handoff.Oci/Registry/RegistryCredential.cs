namespace Handoff.Oci;

/// <summary>
/// Credentials for one registry. The secret parts are registered with <see cref="Secrets"/> when
/// created, and <see cref="ToString"/> never shows them.
/// </summary>
public sealed class RegistryCredential
{
    private RegistryCredential(string? username, string? password, string? identityToken, string source)
    {
        Username = username;
        Password = password is null ? null : Secrets.Register(password);
        IdentityToken = identityToken is null ? null : Secrets.Register(identityToken);
        Source = source;
    }

    public string? Username { get; }
    public string? Password { get; }
    /// <summary>An OAuth2 refresh token (docker config's <c>identitytoken</c>, e.g. from <c>az acr login</c>), exchanged at the token endpoint.</summary>
    public string? IdentityToken { get; }
    /// <summary>Where the credentials came from, for messages: an environment variable pair, a config file entry, a helper.</summary>
    public string Source { get; }

    public bool HasPassword => !string.IsNullOrEmpty(Username) && Password is not null;

    public static RegistryCredential FromPassword(string username, string password, string source) => new(username, password, null, source);

    public static RegistryCredential FromIdentityToken(string? username, string identityToken, string source) => new(username, null, identityToken, source);

    /// <summary>The user and source, never the secret.</summary>
    public override string ToString() => $"{(string.IsNullOrEmpty(Username) ? "identity token" : $"user '{Username}'")} from {Source}";
}
