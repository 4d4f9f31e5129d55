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
            if (await OfflineBaseImage.IsReachableAsync(wanted))
            {
                return new DemoSandbox(registry, wanted, seeded: false);
            }

            using var client = new RegistryClient(registry.Address);
            var seededRef = await OfflineBaseImage.SeedAsync(client, registry.Address);
            say(OfflineBaseImage.Warning(wanted, seededRef));
            return new DemoSandbox(registry, seededRef.ToString(), seeded: true);
        }
        catch
        {
            registry.Dispose();
            throw;
        }
    }

    public void Dispose() => Registry.Dispose();
}
