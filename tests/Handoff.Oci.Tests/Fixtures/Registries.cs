using Handoff.Testing;
using Handoff.Testing.Oci;

namespace Handoff.Oci.Tests.Fixtures;

/// <summary>Client settings for tests: no ambient credentials, quick retries.</summary>
internal static class Registries
{
    public static readonly RegistryRetryOptions FastRetry = new()
    {
        MaxAttempts = 3,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryAfter = TimeSpan.FromMilliseconds(100),
        UseJitter = false,
    };

    /// <summary>A resolver that sees an empty environment: neither the developer's docker login nor CI secrets leak in.</summary>
    public static RegistryCredentials NoAmbientCredentials { get; } = new(_ => null);

    public static RegistryClient Client(RegistryServer registry, RequestRecorder? recorder = null, RegistryCredential? credentials = null) =>
        Client(registry.Address, recorder, credentials);

    public static RegistryClient Client(string address, RequestRecorder? recorder = null, RegistryCredential? credentials = null) =>
        new(address, new RegistryClientOptions { Credentials = credentials, CredentialResolver = NoAmbientCredentials, Retry = FastRetry }, recorder);

    /// <summary>Pushes a small test image to <paramref name="repository"/>:1 and returns its reference with the digest.</summary>
    public static async Task<ImageReference> PushTestImageAsync(RegistryClient client, string registryAddress, TempDirectory temp, string repository)
    {
        var directory = temp.Combine(repository.Replace('/', '-'));
        TestImage.Create(repository.Length).WriteOciLayout(directory);
        using var archive = OciImageArchive.Open(directory);
        var result = await new ImagePusher(client).PushAsync(archive, ImageReference.Parse($"{registryAddress}/{repository}:1"));
        return result.Reference;
    }
}
