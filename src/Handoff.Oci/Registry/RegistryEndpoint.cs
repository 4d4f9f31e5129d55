using System.Net;

namespace Handoff.Oci;

/// <summary>Where a registry's API lives: scheme and host for a registry name as images spell it.</summary>
internal static class RegistryEndpoint
{
    /// <summary>Docker Hub's API host; images say docker.io.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    /// <summary>
    /// https, except for loopback hosts and registries the user listed as insecure: plain http must be
    /// a choice, never a silent downgrade.
    /// </summary>
    public static Uri BaseUri(string registry, IReadOnlyCollection<string> insecureRegistries)
    {
        var normalized = Normalize(registry);
        var host = normalized == ImageReference.DockerHub ? DockerHubApiHost : normalized;
        var plain = IsLoopback(host) || insecureRegistries.Any(r => string.Equals(Normalize(r), normalized, StringComparison.OrdinalIgnoreCase));
        return new Uri($"{(plain ? "http" : "https")}://{host}/");
    }

    /// <summary>The registry as a docker config key: lowercase, no scheme or path, Docker Hub's aliases folded into docker.io.</summary>
    public static string Normalize(string registry)
    {
        var value = registry.Trim();
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            value = value[(scheme + 3)..];
        }

        var slash = value.IndexOf('/');
        if (slash >= 0)
        {
            value = value[..slash];
        }

        value = value.ToLowerInvariant();
        return value is "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com" or "docker.io" ? ImageReference.DockerHub : value;
    }

    public static bool IsLoopback(string hostAndPort)
    {
        var host = HostOf(hostAndPort);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    private static string HostOf(string hostAndPort)
    {
        if (hostAndPort.StartsWith('['))
        {
            var end = hostAndPort.IndexOf(']');
            return end > 0 ? hostAndPort[1..end] : hostAndPort;
        }

        var colon = hostAndPort.LastIndexOf(':');
        return colon > 0 && hostAndPort.IndexOf(':') == colon ? hostAndPort[..colon] : hostAndPort;
    }
}
