using Handoff.Oci;
using Microsoft.Build.Framework;

namespace Handoff.MSBuild;

/// <summary>
/// Pushes an image archive (OCI layout folder, .tar or .tar.gz, docker-archive, or what
/// <c>dotnet publish /t:PublishContainer -p:ContainerArchiveOutputPath=…</c> writes) to
/// <c>Registry/Repository:Tag</c> with Handoff's OCI client. Blobs the registry already has are not
/// uploaded again, so running it twice is cheap and gives the same digest.
/// </summary>
public sealed class HandoffPushImage : HandoffTask
{
    /// <summary>The image archive to push.</summary>
    public string? ArchivePath { get; set; }

    /// <summary>Registry host, e.g. <c>ghcr.io</c> or <c>127.0.0.1:5000</c>.</summary>
    public string? Registry { get; set; }

    /// <summary>Repository path without the registry, e.g. <c>team/app</c>.</summary>
    public string? Repository { get; set; }

    /// <summary>The tag to push; when empty, the first of <see cref="AdditionalTags"/>; when both are empty the image is pushed by digest only.</summary>
    [Output]
    public string? Tag { get; set; }

    /// <summary>More tags for the same manifest (e.g. the SDK's ContainerImageTags).</summary>
    public ITaskItem[]? AdditionalTags { get; set; }

    /// <summary>Registries reached over plain http (loopback always is); comma- or semicolon-separated.</summary>
    public ITaskItem[]? InsecureRegistries { get; set; }

    /// <summary>A repository of the same registry holding the base image's layers: they are mounted, not uploaded.</summary>
    public string? MountFrom { get; set; }

    /// <summary>Attempts per request for unreachable registries, 5xx and 429 (first included); 0 keeps the default (4).</summary>
    public int MaxAttempts { get; set; }

    /// <summary>The manifest digest the registry confirmed, <c>sha256:…</c>.</summary>
    [Output]
    public string? Digest { get; private set; }

    /// <summary><c>registry/repository@sha256:…</c>, the immutable reference to deploy.</summary>
    [Output]
    public string? PinnedReference { get; private set; }

    /// <summary>The media type of the pushed manifest (OCI or Docker, image or index).</summary>
    [Output]
    public string? MediaType { get; private set; }

    private protected override string FailureCode => ErrorCodes.Push;

    private protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var archivePath = TaskInputs.Require(ArchivePath, nameof(ArchivePath), "the image archive to push, e.g. $(ContainerArchiveOutputPath).");
        var registry = TaskInputs.Registry(Registry, nameof(Registry));
        var repository = TaskInputs.Repository(Repository, nameof(Repository));
        var tags = Tags();
        var mountFrom = TaskInputs.Optional(MountFrom) is { } source ? TaskInputs.Repository(source, nameof(MountFrom)) : null;

        var access = RegistryAccess.From(InsecureRegistries, MaxAttempts);
        var target = new ImageReference(registry, repository, tags.Count > 0 ? tags[0] : null);

        using var archive = OciImageArchive.Open(TaskInputs.FullPath(archivePath));
        using var client = access.Connect(registry, Reporter);
        Reporter.Message($"Pushing {archive.Root.Digest.Short} from {archivePath} to {target}...");
        var result = await new ImagePusher(client).PushAsync(archive, target, new PushOptions { MountFrom = mountFrom, Log = Reporter.Detail }, cancellationToken);
        foreach (var extra in tags.Skip(1))
        {
            var tagged = await client.PutManifestAsync(repository, extra, archive.Root, cancellationToken);
            Reporter.Detail($"{target.Name}:{extra} -> {tagged.Digest}");
        }

        Tag = target.Tag;
        Digest = result.Digest.ToString();
        PinnedReference = result.Reference.Pinned;
        MediaType = result.MediaType;
        Reporter.Message(
            $"Pushed {result.Reference.Pinned}{(tags.Count > 0 ? " as " + string.Join(", ", tags) : " (untagged)")}: " +
            $"{result.BlobsUploaded} blob(s) uploaded ({result.BytesUploaded:N0} bytes), {result.BlobsSkipped} already present, {result.BlobsMounted} mounted.",
            MessageImportance.High);
    }

    /// <summary><see cref="Tag"/> first, then the additional tags, each once.</summary>
    private List<string> Tags()
    {
        var tags = new List<string>();
        if (TaskInputs.Tag(Tag, nameof(Tag)) is { } primary)
        {
            tags.Add(primary);
        }

        foreach (var extra in TaskInputs.List(AdditionalTags))
        {
            if (!tags.Contains(extra, StringComparer.Ordinal))
            {
                tags.Add(TaskInputs.Tag(extra, nameof(AdditionalTags))!);
            }
        }

        return tags;
    }
}
