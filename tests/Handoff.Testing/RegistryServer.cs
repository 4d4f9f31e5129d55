using Handoff.Publishing;

namespace Handoff.Testing;

/// <summary>
/// A real CNCF distribution registry (Debian's docker-registry) on a free loopback port, with its
/// own storage folder: the product's <see cref="LocalRegistry"/> in a temp folder. Optional htpasswd
/// basic auth. Dispose stops it and deletes its data.
/// </summary>
public sealed class RegistryServer : IDisposable
{
    private readonly LocalRegistry _registry;
    private readonly TempDirectory _dir;

    private RegistryServer(LocalRegistry registry, TempDirectory dir)
    {
        _registry = registry;
        _dir = dir;
    }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Address => _registry.Address;

    public string DataDirectory => _registry.DataDirectory;

    public string LogFile => _registry.LogFile;

    /// <summary>Starts a registry; <paramref name="htpasswd"/> is the content of an htpasswd file (bcrypt entries) to require basic auth.</summary>
    public static RegistryServer Start(string? htpasswd = null, string? extraConfig = null)
    {
        var binary = LocalRegistry.FindBinary(RepoPaths.InRepo("tools", "bin"));
        if (binary is null)
        {
            RepoPaths.Unavailable("skipped: docker-registry not installed (apt-get install docker-registry, or tools/install-test-deps.sh)");
        }

        var dir = new TempDirectory("registry");
        try
        {
            return new RegistryServer(LocalRegistry.Start(binary!, dir.Path, new LocalRegistryOptions { Htpasswd = htpasswd, ExtraConfig = extraConfig }), dir);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _registry.Dispose();
        _dir.Dispose();
    }
}
