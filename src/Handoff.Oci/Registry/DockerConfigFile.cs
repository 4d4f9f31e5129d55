using System.Text;
using System.Text.Json;

namespace Handoff.Oci;

/// <summary>The parts of Docker's <c>config.json</c> that hold credentials: <c>auths</c>, <c>credHelpers</c>, <c>credsStore</c>.</summary>
internal sealed class DockerConfigFile
{
    private readonly Dictionary<string, (string Key, JsonElement Entry)> _auths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _helpers = new(StringComparer.Ordinal);
    private readonly JsonDocument _document;

    private DockerConfigFile(string path, JsonDocument document)
    {
        Path = path;
        _document = document;
        var root = document.RootElement;
        if (root.GetPropertyOrNull("auths") is { ValueKind: JsonValueKind.Object } auths)
        {
            foreach (var entry in auths.EnumerateObject())
            {
                // The first spelling wins, as Docker's exact-key lookup would find it first.
                _auths.TryAdd(RegistryEndpoint.Normalize(entry.Name), (entry.Name, entry.Value));
            }
        }

        if (root.GetPropertyOrNull("credHelpers") is { ValueKind: JsonValueKind.Object } helpers)
        {
            foreach (var entry in helpers.EnumerateObject().Where(e => e.Value.ValueKind == JsonValueKind.String))
            {
                _helpers.TryAdd(RegistryEndpoint.Normalize(entry.Name), entry.Value.GetString()!);
            }
        }

        CredsStore = root.GetStringOrNull("credsStore") is { Length: > 0 } store ? store : null;
    }

    public string Path { get; }
    public string? CredsStore { get; }

    public static DockerConfigFile? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return new DockerConfigFile(path, JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true }));
        }
        catch (JsonException ex)
        {
            throw new InputFileException(path, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1,
                "is not valid JSON, so registry credentials cannot be read from it.",
                "Fix it (or run `docker login` again), or set HANDOFF_REGISTRY_USERNAME and HANDOFF_REGISTRY_PASSWORD.", ex);
        }
    }

    public string? HelperFor(string registry) => _helpers.GetValueOrDefault(RegistryEndpoint.Normalize(registry));

    /// <summary>The credentials stored inline under <c>auths</c>; null when the entry is absent or empty (a credsStore marker).</summary>
    public RegistryCredential? InlineCredentials(string registry)
    {
        if (!_auths.TryGetValue(RegistryEndpoint.Normalize(registry), out var found))
        {
            return null;
        }

        var (key, entry) = found;
        var source = $"{Path} (auths \"{key}\")";
        string? username = entry.GetStringOrNull("username");
        string? password = entry.GetStringOrNull("password");
        if (entry.GetStringOrNull("auth") is { Length: > 0 } auth)
        {
            (username, password) = DecodeAuth(auth, key);
        }

        if (entry.GetStringOrNull("identitytoken") is { Length: > 0 } identityToken)
        {
            return RegistryCredential.FromIdentityToken(username, identityToken, source);
        }

        return string.IsNullOrEmpty(username) || password is null ? null : RegistryCredential.FromPassword(username, password, source);
    }

    private (string User, string Password) DecodeAuth(string auth, string key)
    {
        Secrets.Register(auth);
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
        }
        catch (FormatException)
        {
            throw new HandoffException($"{Path}: auths \"{key}\".auth is not base64. It must be base64 of user:password: run `docker login {key}` again, or set HANDOFF_REGISTRY_USERNAME and HANDOFF_REGISTRY_PASSWORD.");
        }

        var colon = decoded.IndexOf(':');
        if (colon <= 0)
        {
            throw new HandoffException($"{Path}: auths \"{key}\".auth does not decode to user:password. Run `docker login {key}` again, or set HANDOFF_REGISTRY_USERNAME and HANDOFF_REGISTRY_PASSWORD.");
        }

        return (decoded[..colon], Secrets.Register(decoded[(colon + 1)..]));
    }
}
