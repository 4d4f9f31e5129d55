namespace Handoff.Oci;

/// <summary>Options for <see cref="ImagePusher.PushAsync"/>.</summary>
public sealed record PushOptions
{
    /// <summary>
    /// A repository of the same registry that likely holds some of the blobs (the base image's);
    /// missing blobs are mounted from it before any upload.
    /// </summary>
    public string? MountFrom { get; init; }

    /// <summary>How many blobs are checked and uploaded at once.</summary>
    public int Parallelism { get; init; } = 3;

    /// <summary>Receives one line per blob and manifest.</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>What a push did and what it produced.</summary>
public sealed record PushResult
{
    /// <summary>The pushed reference with its digest: <c>registry/repository:tag@sha256:…</c>.</summary>
    public required ImageReference Reference { get; init; }
    /// <summary>The sha256 of the root manifest's bytes, as the registry confirmed it.</summary>
    public required Digest Digest { get; init; }
    public required string MediaType { get; init; }
    /// <summary>Size of the root manifest in bytes.</summary>
    public required long Size { get; init; }
    public int BlobsUploaded { get; init; }
    public int BlobsMounted { get; init; }
    /// <summary>Blobs the registry already had.</summary>
    public int BlobsSkipped { get; init; }
    public long BytesUploaded { get; init; }
    public int ManifestsPushed { get; init; }
}

/// <summary>
/// Pushes an image archive to a registry: every blob is checked with HEAD and only missing ones
/// are uploaded (mounted, when a source repository is given), then the manifests, children first,
/// and the root under the tag. Pushing the same archive again uploads nothing: it is idempotent.
/// </summary>
public sealed class ImagePusher(RegistryClient client)
{
    public async Task<PushResult> PushAsync(OciImageArchive image, ImageReference target, PushOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PushOptions();
        if (!client.Serves(target))
        {
            throw new HandoffException($"Cannot push {target} with a client of registry {client.Registry}: create the RegistryClient for {target.Registry}.");
        }

        if (target.Digest is { } pinned && pinned != image.Root.Digest)
        {
            throw new HandoffException($"{target} pins the digest {pinned}, but the image in {image.Path} is {image.Root.Digest}. Push by tag, or pin the archive's digest.");
        }

        var repository = target.Repository;
        var uploaded = 0;
        var mounted = 0;
        var skipped = 0;
        long bytes = 0;
        async ValueTask PushBlobAsync(OciDescriptor blob, CancellationToken token)
        {
            if (await client.BlobExistsAsync(repository, blob.Digest, token))
            {
                Interlocked.Increment(ref skipped);
                options.Log?.Invoke($"{blob.Digest.Short}: already in {target.Name}");
                return;
            }

            var result = await client.UploadBlobAsync(repository, blob, () => image.OpenBlob(blob.Digest), options.MountFrom, token);
            if (result == BlobUploadResult.Mounted)
            {
                Interlocked.Increment(ref mounted);
                options.Log?.Invoke($"{blob.Digest.Short}: mounted from {options.MountFrom}");
                return;
            }

            Interlocked.Increment(ref uploaded);
            Interlocked.Add(ref bytes, blob.Size);
            options.Log?.Invoke($"{blob.Digest.Short}: uploaded {FormatSize(blob.Size)}");
        }

        // The first blob alone: it meets the registry's challenge and gets the token the others reuse,
        // rather than every parallel request being refused and challenged at once.
        if (image.Blobs.Count > 0)
        {
            await PushBlobAsync(image.Blobs[0], cancellationToken);
        }

        await Parallel.ForEachAsync(image.Blobs.Skip(1), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken }, PushBlobAsync);

        foreach (var manifest in image.Manifests.Where(m => m.Digest != image.Root.Digest))
        {
            await client.PutManifestAsync(repository, manifest.Digest.ToString(), manifest, cancellationToken);
            options.Log?.Invoke($"{manifest.Digest.Short}: manifest pushed");
        }

        var reference = target.Tag ?? image.Root.Digest.ToString();
        var pushed = await client.PutManifestAsync(repository, reference, image.Root, cancellationToken);
        options.Log?.Invoke($"{target.Name}:{reference} -> {pushed.Digest}");
        return new PushResult
        {
            Reference = new ImageReference(target.Registry, repository, target.Tag, pushed.Digest),
            Digest = pushed.Digest,
            MediaType = image.Root.MediaType,
            Size = image.Root.Size,
            BlobsUploaded = uploaded,
            BlobsMounted = mounted,
            BlobsSkipped = skipped,
            BytesUploaded = bytes,
            ManifestsPushed = image.Manifests.Count,
        };
    }

    private static string FormatSize(long bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB",
        >= 1024 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} B",
    };
}
