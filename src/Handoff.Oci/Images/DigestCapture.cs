namespace Handoff.Oci;

/// <summary>
/// Reads back the digest a registry serves for a tag: a HEAD with every manifest media type in
/// Accept (so the registry does not convert), its <c>Docker-Content-Digest</c>; for registries that
/// omit that header, a GET and the sha256 of the bytes.
/// </summary>
public sealed class DigestCapture(RegistryClient client)
{
    /// <param name="expected">The digest the push produced; a different one is an error showing both.</param>
    public async Task<Digest> CaptureAsync(ImageReference reference, Digest? expected = null, CancellationToken cancellationToken = default)
    {
        if (!client.Serves(reference))
        {
            throw new HandoffException($"Cannot read {reference} with a client of registry {client.Registry}: create the RegistryClient for {reference.Registry}.");
        }

        var manifestReference = reference.Tag ?? reference.Digest?.ToString() ?? "latest";
        var head = await client.HeadManifestAsync(reference.Repository, manifestReference, cancellationToken)
            ?? throw new HandoffException($"{reference.Name}:{manifestReference} does not exist in the registry. Push the image first (PushImage), or check the repository and tag.");
        var digest = head.Digest ?? (await client.GetManifestAsync(reference.Repository, manifestReference, cancellationToken)).Digest;
        if (expected is { } wanted && wanted != digest)
        {
            throw new HandoffException(
                $"{reference.Name}:{manifestReference} has the digest {digest} in the registry, but the push produced {wanted}. " +
                "Another push moved the tag in between, or the registry rewrote the manifest: push again, and make sure no other job pushes the same tag.");
        }

        return digest;
    }
}
