using Handoff.Oci;

namespace Handoff.SupplyChain.Attestations;

/// <summary>
/// <see cref="IReferrerStore"/> over Handoff's OCI client: each attachment is a one-layer OCI
/// artifact whose subject is the image (referrers API, or the <c>sha256-HEX</c> tag index on
/// registries without it; see <see cref="ReferrersClient"/>). The annotations go on the manifest,
/// where listings show them, and on the layer, where cosign-style tools look for predicateType.
/// </summary>
public sealed class OciReferrerStore(RegistryClient client) : IReferrerStore, ICosignAttestationStore
{
    private readonly ReferrersClient _referrers = new(client);

    public async Task<StoredReferrer> PushAsync(ImageReference subject, string artifactType, string mediaType, byte[] content, IReadOnlyDictionary<string, string> annotations, CancellationToken ct)
    {
        var blob = new ArtifactBlob(mediaType, content) { Annotations = annotations };
        var descriptor = await _referrers.AttachAsync(subject, artifactType, [blob], annotations, ct);
        return ToStored(descriptor, artifactType);
    }

    public async Task<IReadOnlyList<StoredReferrer>> ListAsync(ImageReference subject, string? artifactType, CancellationToken ct)
    {
        var listed = await _referrers.ListAsync(subject, artifactType, ct);
        return listed.Select(d => ToStored(d, d.ArtifactType ?? "")).ToList();
    }

    public async Task<byte[]> FetchAsync(ImageReference subject, StoredReferrer referrer, CancellationToken ct)
    {
        var manifest = await client.GetManifestAsync(subject.Repository, referrer.Digest.ToString(), ct);
        if (manifest.Layers.Count != 1)
        {
            throw new HandoffException($"The referrer {referrer.Digest.Short} of {subject} has {manifest.Layers.Count} layers; Handoff attestations have exactly one. It was not attached by Handoff.");
        }

        return await client.GetBlobAsync(subject.Repository, manifest.Layers[0].Digest, cancellationToken: ct);
    }

    public async Task<string> AttachCosignAsync(ImageReference subject, byte[] envelope, string predicateType, CancellationToken ct)
    {
        await new CosignAttestations(client).AttachAsync(subject, envelope, predicateType, ct);
        return CosignAttestations.Tag(subject.Digest!.Value);
    }

    private static StoredReferrer ToStored(OciDescriptor descriptor, string artifactType) =>
        new(descriptor.Digest, artifactType, descriptor.MediaType, descriptor.Size, descriptor.Annotations ?? new Dictionary<string, string>());
}
