using Handoff.Oci;

namespace Handoff.Publishing;

/// <summary>
/// What the Demo needs to publish with no configuration: a throwaway local registry and a base image
/// the .NET SDK can pull. Offline, the default base image is unreachable, so a minimal one is seeded
/// into the local registry (and the user is told).
/// </summary>
public sealed class DemoSandbox : IDisposable
{
    public const string DefaultBaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0";

    private DemoSandbox(LocalRegistry registry, string baseImage, bool seeded)
    {
        Registry = registry;
        BaseImage = baseImage;
        SeededBaseImage = seeded;
    }

    public LocalRegistry Registry { get; }

    /// <summary>The base image to build on: the default one when reachable, else the seeded one.</summary>
    public string BaseImage { get; }

    public bool SeededBaseImage { get; }

    public static async Task<DemoSandbox> StartAsync(string directory, Action<string> say, string? baseImage = null, params string[] toolDirectories)
    {
        var binary = await LocalRegistry.EnsureBinaryAsync(say, toolDirectories);
        if (Directory.Exists(directory))
        {
            // A previous demo's registry data would make its first push a no-op; start clean.
            Directory.Delete(directory, recursive: true);
        }

        var registry = LocalRegistry.Start(binary, directory);
        say($"Started a throwaway registry at {registry.Address} (data in {directory}).");
        try
        {
            var wanted = baseImage ?? DefaultBaseImage;
            if (await IsReachableAsync(wanted))
            {
                return new DemoSandbox(registry, wanted, seeded: false);
            }

            var seededRef = new ImageReference(registry.Address, "handoff/base", "minimal");
            using var client = new RegistryClient(registry.Address);
            await MinimalBaseImage.PushAsync(client, seededRef);
            say($"The base image {wanted} cannot be pulled (no network?): seeded a minimal linux/amd64 base image as {seededRef} and building on it. " +
                "The demo image carries the app but no .NET runtime, so it shows the pipeline, not a runnable container; pass --base-image=REF to use a real one.");
            return new DemoSandbox(registry, seededRef.ToString(), seeded: true);
        }
        catch
        {
            registry.Dispose();
            throw;
        }
    }

    /// <summary>A quick, single-attempt manifest HEAD: the demo must not hang on a closed network.</summary>
    public static async Task<bool> IsReachableAsync(string image)
    {
        if (!ImageReference.TryParse(image, out var reference, out _))
        {
            return false;
        }

        using var client = new RegistryClient(reference!.Registry, new RegistryClientOptions
        {
            Retry = new RegistryRetryOptions { MaxAttempts = 1 },
            RequestTimeout = TimeSpan.FromSeconds(4),
            CredentialResolver = RegistryCredentials.None,
        });
        try
        {
            return await client.HeadManifestAsync(reference.Repository, reference.ManifestReference) is not null;
        }
        catch (Exception ex) when (ex is HandoffException or HttpRequestException or TaskCanceledException or OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => Registry.Dispose();
}
