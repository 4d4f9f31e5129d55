using Handoff.Oci;
using Microsoft.Build.Framework;

namespace Handoff.MSBuild;

/// <summary>
/// Reads the digest a registry serves for <c>REF:TAG</c> (HEAD with every manifest media type, so the
/// registry converts nothing). With <see cref="Expected"/>, a different digest is an error showing both:
/// the tag moved, or the registry rewrote the manifest.
/// </summary>
public sealed class HandoffCaptureDigest : HandoffTask
{
    /// <summary>The image to read, <c>registry/repository:tag</c> (or <c>@sha256:…</c>).</summary>
    public string? Image { get; set; }

    /// <summary>The digest the push produced (HandoffPushImage's Digest output); optional.</summary>
    public string? Expected { get; set; }

    /// <summary>Registries reached over plain http (loopback always is); comma- or semicolon-separated.</summary>
    public ITaskItem[]? InsecureRegistries { get; set; }

    /// <summary>Attempts per request for unreachable registries, 5xx and 429 (first included); 0 keeps the default (4).</summary>
    public int MaxAttempts { get; set; }

    /// <summary>The digest the registry serves, <c>sha256:…</c>.</summary>
    [Output]
    public string? Digest { get; private set; }

    /// <summary><c>registry/repository@sha256:…</c>.</summary>
    [Output]
    public string? PinnedReference { get; private set; }

    private protected override string FailureCode => ErrorCodes.Capture;

    private protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var image = TaskInputs.Image(Image, nameof(Image), "the image to read, e.g. ghcr.io/team/app:1.2.3.");
        var expected = TaskInputs.OptionalDigest(Expected, nameof(Expected));
        var access = RegistryAccess.From(InsecureRegistries, MaxAttempts);

        using var client = access.Connect(image.Registry, Reporter);
        var digest = await new DigestCapture(client).CaptureAsync(image, expected, cancellationToken);
        Digest = digest.ToString();
        PinnedReference = image.WithDigest(digest).Pinned;
        Reporter.Message($"Registry serves {image} as {PinnedReference}", MessageImportance.High);
    }
}
