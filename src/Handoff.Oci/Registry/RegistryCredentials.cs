using System.Text.Json;

namespace Handoff.Oci;

/// <summary>
/// Finds the credentials for a registry, first match wins:
/// 1. <c>HANDOFF_REGISTRY_USERNAME</c> / <c>HANDOFF_REGISTRY_PASSWORD</c> (CI secrets);
/// 2. Docker's <c>config.json</c> (<c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>):
///    an <c>auths</c> entry (base64 <c>auth</c>, username/password, or <c>identitytoken</c>), keys matched
///    the way Docker matches them (scheme and path ignored, <c>https://index.docker.io/v1/</c> is docker.io);
/// 3. its <c>credHelpers</c> entry for the registry, else its <c>credsStore</c>, by running
///    <c>docker-credential-&lt;name&gt; get</c>.
/// None found means anonymous access. Every secret read is registered with <see cref="Secrets"/>.
/// </summary>
public sealed class RegistryCredentials
{
    public const string UsernameVariable = "HANDOFF_REGISTRY_USERNAME";
    public const string PasswordVariable = "HANDOFF_REGISTRY_PASSWORD";

    private readonly Func<string, string?> _environment;
    private readonly bool _enabled;

    /// <param name="environment">Reads environment variables (tests pass their own); defaults to the process environment.</param>
    public RegistryCredentials(Func<string, string?>? environment = null)
        : this(environment, enabled: true)
    {
    }

    private RegistryCredentials(Func<string, string?>? environment, bool enabled)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _enabled = enabled;
    }

    public static RegistryCredentials Default { get; } = new();

    /// <summary>Never finds credentials: anonymous access only.</summary>
    public static RegistryCredentials None { get; } = new(_ => null, enabled: false);

    /// <summary>The config.json consulted: <c>$DOCKER_CONFIG/config.json</c>, else <c>$HOME/.docker/config.json</c>.</summary>
    public string? DockerConfigPath
    {
        get
        {
            if (_environment("DOCKER_CONFIG") is { Length: > 0 } directory)
            {
                return Path.Combine(directory, "config.json");
            }

            var home = _environment("HOME") ?? _environment("USERPROFILE");
            return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".docker", "config.json");
        }
    }

    public async Task<RegistryCredential?> ResolveAsync(string registry, CancellationToken cancellationToken = default)
    {
        if (!_enabled)
        {
            return null;
        }

        var username = _environment(UsernameVariable);
        var password = _environment(PasswordVariable);
        if (!string.IsNullOrEmpty(username) || !string.IsNullOrEmpty(password))
        {
            if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
            {
                throw new HandoffException(
                    $"Only one of {UsernameVariable} and {PasswordVariable} is set: set both (the user and its password or token) to authenticate to {registry}, or neither to use docker login's credentials.");
            }

            return RegistryCredential.FromPassword(username, password, $"{UsernameVariable}/{PasswordVariable}");
        }

        if (DockerConfigPath is not { } path || DockerConfigFile.Load(path) is not { } config)
        {
            return null;
        }

        if (config.InlineCredentials(registry) is { } inline)
        {
            return inline;
        }

        if (config.HelperFor(registry) is { } helper)
        {
            return await FromHelperAsync(helper, registry, $"{path} (credHelpers)", cancellationToken);
        }

        return config.CredsStore is { } store ? await FromHelperAsync(store, registry, $"{path} (credsStore)", cancellationToken) : null;
    }

    /// <summary>Looks the helper up on the PATH of the environment this resolver reads, so tests can supply their own.</summary>
    private string? FindOnPath(string program)
    {
        var candidates = OperatingSystem.IsWindows() ? new[] { program + ".exe", program + ".cmd", program } : [program];
        foreach (var directory in (_environment("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in candidates)
            {
                var path = Path.Combine(directory, candidate);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    private async Task<RegistryCredential?> FromHelperAsync(string helper, string registry, string configuredIn, CancellationToken cancellationToken)
    {
        var program = "docker-credential-" + helper;
        var executable = FindOnPath(program)
            ?? throw new HandoffException(
                $"{configuredIn} says to get the credentials for {registry} from '{program}', but it is not on PATH. Install it, remove that entry from the config, or set {UsernameVariable} and {PasswordVariable}.");

        // Docker stores Docker Hub's credentials under its v1 index URL and others under the host name.
        var serverUrl = RegistryEndpoint.Normalize(registry) == ImageReference.DockerHub ? "https://index.docker.io/v1/" : registry;
        var (exitCode, standardOutput, standardError) = await CredentialHelper.GetAsync(executable, serverUrl, TimeSpan.FromSeconds(60), cancellationToken);
        if (exitCode != 0)
        {
            var output = Secrets.Redact((standardOutput + standardError).Trim());
            if (output.Contains("credentials not found", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            throw new HandoffException($"'{program} get' failed for {registry} (exit code {exitCode}): {output}. Run `docker login {registry}` again, or set {UsernameVariable} and {PasswordVariable}.");
        }

        try
        {
            using var document = JsonDocument.Parse(standardOutput);
            var user = document.RootElement.GetStringOrNull("Username");
            var secret = document.RootElement.GetStringOrNull("Secret");
            if (string.IsNullOrEmpty(secret))
            {
                return null;
            }

            var source = $"{program} ({configuredIn})";
            // The helper protocol marks an identity (refresh) token with the user name "<token>".
            return user == "<token>" ? RegistryCredential.FromIdentityToken(null, secret, source) : RegistryCredential.FromPassword(user ?? "", secret, source);
        }
        catch (JsonException)
        {
            throw new HandoffException($"'{program} get' printed something other than its JSON answer for {registry}. Check the helper, or set {UsernameVariable} and {PasswordVariable}.");
        }
    }
}
