using Handoff.Oci;

namespace Handoff.Publishing;

/// <summary>
/// The base image a build falls back to when the default one cannot be pulled (no network): Handoff's
/// minimal image, seeded into a local registry. It has no .NET runtime, so the image it gives shows
/// the pipeline end to end but does not run; the warning says so every time it is used.
/// </summary>
public static class OfflineBaseImage
{
    public const string Repository = "handoff/base";
    public const string Tag = "minimal";

    /// <summary>Pushes the minimal image to <paramref name="registry"/> (idempotent: same bytes, same digest) and returns its reference.</summary>
    public static async Task<ImageReference> SeedAsync(RegistryClient client, string registry, CancellationToken cancellationToken = default)
    {
        var seeded = new ImageReference(registry, Repository, Tag);
        await MinimalBaseImage.PushAsync(client, seeded, cancellationToken: cancellationToken);
        return seeded;
    }

    public static string Warning(string wanted, ImageReference seeded) =>
        $"The base image {wanted} cannot be pulled (no network?): seeded a minimal linux/amd64 base image as {seeded} and building on it. " +
        "The image carries the app but no .NET runtime, so it shows the pipeline, not a runnable container; pass --base-image=REF to use a real one.";

    /// <summary>A quick, single-attempt manifest HEAD: a build must not hang on a closed network.</summary>
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
}
