using Handoff.Publishing;

namespace Handoff.Tasks.Publish;

/// <summary>The registry-side parameters shared by BuildImage, PushImage and CaptureDigest, validated once.</summary>
public static class PublishParameters
{
    /// <summary>registry/repository:tag from --registry, --repository and --tag (default sha-&lt;12 hex of the commit&gt;).</summary>
    public static ImageReference Target(HandoffContext context)
    {
        if (context.Publish.Target is { } known)
        {
            return known;
        }

        var registry = context.Parameters.Require("registry", "The registry to push to, e.g. --registry=ghcr.io or --registry=127.0.0.1:5000.");
        var repository = context.Parameters.Require("repository", "The image repository, e.g. --repository=team/myapp.");
        var tag = context.Parameters.Get("tag") ?? context.SourceAsync().GetAwaiter().GetResult().DefaultTag(context.Environment.GetEnvironmentVariable);
        try
        {
            context.Publish.Target = new ImageReference(registry, repository, tag);
        }
        catch (FormatException ex)
        {
            throw new HandoffException($"Invalid image target: {ex.Message}");
        }

        return context.Publish.Target;
    }

    public static IReadOnlyList<string> InsecureRegistries(HandoffContext context) =>
        context.Parameters.FindAll("insecure-registry")
            .SelectMany(v => v.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
}

public static class RegistryHosts
{
    public static bool IsLoopback(string registry)
    {
        var host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']')] : registry.Split(':')[0];
        return host == "localhost" || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));
    }
}
