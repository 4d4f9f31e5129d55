namespace Handoff.Oci;

/// <summary>A blob of an artifact to attach (an SBOM, a provenance statement, a signature).</summary>
public sealed record ArtifactBlob(string MediaType, ReadOnlyMemory<byte> Content)
{
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public OciDescriptor Descriptor => new(MediaType, Digest.Sha256(Content.Span), Content.Length) { Annotations = Annotations };
}

/// <summary>
/// Attaches artifacts to an image and lists them (OCI distribution 1.1 "referrers").
/// </summary>
/// <remarks>
/// An artifact is an OCI image manifest with an <c>artifactType</c>, the empty config
/// (<c>application/vnd.oci.empty.v1+json</c>, <c>{}</c>), its blobs as layers and a <c>subject</c>
/// descriptor naming the image. It is pushed by digest.
/// <para>
/// A registry with the referrers API answers that push with an <c>OCI-Subject</c> header and lists
/// referrers at <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c> (optionally <c>?artifactType=</c>).
/// A registry without it (distribution 2.x, older Harbor, ECR before 2023…) gets the referrers tag
/// schema: the tag <c>&lt;alg&gt;-&lt;hex&gt;</c> of the subject's digest (e.g. <c>sha256-3b1f…</c>) holds
/// an OCI index whose <c>manifests</c> are the artifacts' descriptors (with artifactType and
/// annotations). Attaching reads that index, adds the artifact unless its digest is already listed
/// (so attaching the same artifact twice lists it once) and pushes it back. That read-modify-write is
/// not atomic: two jobs attaching to the same image at the same instant can lose one entry, which
/// re-running the attach repairs (distribution offers no conditional PUT to prevent it).
/// </para>
/// Listing uses the API when the registry has it, else the tag; filtering by artifactType is done
/// here when the registry did not apply it.
/// </remarks>
public sealed class ReferrersClient(RegistryClient client)
{
    private static readonly byte[] EmptyJson = "{}"u8.ToArray();

    /// <summary>The empty JSON config every artifact manifest carries.</summary>
    public static OciDescriptor EmptyConfig { get; } = new(MediaTypes.OciEmpty, Digest.Sha256(EmptyJson), EmptyJson.Length);

    /// <summary>The referrers tag schema's tag for a subject: <c>&lt;alg&gt;-&lt;hex&gt;</c>, at most 128 characters.</summary>
    public static string FallbackTag(Digest subject)
    {
        var tag = $"{subject.Algorithm}-{subject.Hex}";
        return tag.Length > 128 ? tag[..128] : tag;
    }

    /// <summary>
    /// Attaches an artifact to <paramref name="subject"/> (a tag or digest reference of an image in the
    /// client's registry) and returns the artifact manifest's descriptor.
    /// </summary>
    public async Task<OciDescriptor> AttachAsync(ImageReference subject, string artifactType, IReadOnlyList<ArtifactBlob> blobs,
        IReadOnlyDictionary<string, string>? annotations = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifactType);
        var repository = subject.Repository;
        var subjectDescriptor = await ResolveSubjectAsync(subject, cancellationToken);

        var layers = blobs.Count == 0 ? [EmptyConfig] : blobs.Select(b => b.Descriptor).ToList();
        var uploads = new Dictionary<Digest, (OciDescriptor Descriptor, ReadOnlyMemory<byte> Content)> { [EmptyConfig.Digest] = (EmptyConfig, EmptyJson) };
        foreach (var blob in blobs)
        {
            uploads.TryAdd(blob.Descriptor.Digest, (blob.Descriptor, blob.Content));
        }

        foreach (var (digest, (descriptor, content)) in uploads)
        {
            if (!await client.BlobExistsAsync(repository, digest, cancellationToken))
            {
                await client.UploadBlobAsync(repository, descriptor, () => new MemoryStream(content.ToArray(), writable: false), cancellationToken: cancellationToken);
            }
        }

        var manifest = OciManifest.CreateImage(MediaTypes.OciManifest, EmptyConfig, layers, subjectDescriptor, artifactType, annotations);
        var pushed = await client.PutManifestAsync(repository, manifest.Digest.ToString(), manifest, cancellationToken);
        var artifact = new OciDescriptor(manifest.MediaType, manifest.Digest, manifest.Size) { ArtifactType = manifest.EffectiveArtifactType, Annotations = manifest.Annotations };
        if (!pushed.SubjectAccepted)
        {
            await AddToFallbackIndexAsync(repository, subjectDescriptor.Digest, artifact, cancellationToken);
        }

        return artifact;
    }

    /// <summary>The artifacts attached to <paramref name="subject"/>, optionally only those of <paramref name="artifactType"/>.</summary>
    public async Task<IReadOnlyList<OciDescriptor>> ListAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        var digest = (await ResolveSubjectAsync(subject, cancellationToken)).Digest;
        IReadOnlyList<OciDescriptor> listed;
        var filtered = false;
        if (await client.QueryReferrersApiAsync(subject.Repository, digest, artifactType, cancellationToken) is { } page)
        {
            listed = page.Manifests;
            filtered = page.FilterApplied;
        }
        else
        {
            var index = await client.TryGetManifestAsync(subject.Repository, FallbackTag(digest), cancellationToken);
            listed = index is { IsIndex: true } ? index.Manifests : [];
        }

        return artifactType is null || filtered ? listed : listed.Where(d => d.ArtifactType == artifactType).ToList();
    }

    private async Task AddToFallbackIndexAsync(string repository, Digest subject, OciDescriptor artifact, CancellationToken cancellationToken)
    {
        var tag = FallbackTag(subject);
        var existing = await client.TryGetManifestAsync(repository, tag, cancellationToken);
        if (existing is { IsIndex: false })
        {
            throw new HandoffException(
                $"{client.Registry}/{repository}:{tag} exists but is not an image index, so it cannot list the referrers of {subject.Short} (OCI referrers tag schema). Delete or rename that tag, then attach again.");
        }

        var manifests = existing?.Manifests ?? [];
        if (manifests.Any(m => m.Digest == artifact.Digest))
        {
            return;
        }

        var index = OciManifest.CreateIndex(MediaTypes.OciIndex, [.. manifests, artifact]);
        await client.PutManifestAsync(repository, tag, index, cancellationToken);
    }

    private async Task<OciDescriptor> ResolveSubjectAsync(ImageReference subject, CancellationToken cancellationToken)
    {
        if (!client.Serves(subject))
        {
            throw new HandoffException($"Cannot reach {subject} with a client of registry {client.Registry}: create the RegistryClient for {subject.Registry}.");
        }

        var reference = subject.Digest?.ToString() ?? subject.Tag ?? "latest";
        var head = await client.HeadManifestAsync(subject.Repository, reference, cancellationToken)
            ?? throw new HandoffException($"{subject} does not exist in the registry, so nothing can be attached to it. Push the image first.");
        if (head.Digest is { } digest && head.Size >= 0 && MediaTypes.IsManifest(head.MediaType))
        {
            return new OciDescriptor(head.MediaType, digest, head.Size);
        }

        var manifest = await client.GetManifestAsync(subject.Repository, reference, cancellationToken);
        return new OciDescriptor(manifest.MediaType, manifest.Digest, manifest.Size);
    }
}
