using System.Text.Json.Nodes;

namespace Handoff.Oci;

/// <summary>
/// Writes attestations where cosign (and so Kyverno's <c>verifyImages</c>, Flux's and Argo's
/// verifiers) looks for them: the image manifest tagged <c>sha256-&lt;hex&gt;.att</c> next to the
/// subject, one layer per attestation, each layer a DSSE envelope
/// (<c>application/vnd.dsse.envelope.v1+json</c>) annotated with <c>predicateType</c> and an empty
/// <c>dev.cosignproject.cosign/signature</c> (the signature lives inside the envelope).
/// </summary>
/// <remarks>
/// The OCI 1.1 referrer Handoff attaches is what its own verifier reads; this second copy exists
/// only so admission control finds the same signed bytes. Attaching appends a layer to an existing
/// <c>.att</c> image, as <c>cosign attest</c> does, and is a no-op when an identical envelope is
/// already there. The config lists the layers as diff IDs (they are stored uncompressed), which
/// go-containerregistry needs to address layers by diff ID.
/// </remarks>
public sealed class CosignAttestations(RegistryClient client)
{
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";
    public const string PredicateTypeAnnotation = "predicateType";
    public const string DsseMediaType = "application/vnd.dsse.envelope.v1+json";

    /// <summary>cosign's tag for a subject's attestations: <c>sha256-&lt;hex&gt;.att</c>.</summary>
    public static string Tag(Digest subject) => $"{subject.Algorithm}-{subject.Hex}.att";

    /// <summary>Adds <paramref name="envelope"/> to the <c>.att</c> image of <paramref name="subject"/>; returns that image's manifest digest.</summary>
    public async Task<Digest> AttachAsync(ImageReference subject, ReadOnlyMemory<byte> envelope, string predicateType, CancellationToken cancellationToken = default)
    {
        var subjectDigest = subject.Digest ?? throw new HandoffException($"Cannot attach an attestation to {subject} in cosign's layout: it needs the image digest. Run CaptureDigest first.");
        var tag = Tag(subjectDigest);
        var existing = await client.TryGetManifestAsync(subject.Repository, tag, cancellationToken);
        if (existing is { IsIndex: true })
        {
            throw new HandoffException($"{client.Registry}/{subject.Repository}:{tag} is an image index, not cosign's attestation image. Delete that tag, then attach again.");
        }

        var layer = new OciDescriptor(DsseMediaType, Digest.Sha256(envelope.Span), envelope.Length)
        {
            Annotations = new Dictionary<string, string> { [SignatureAnnotation] = "", [PredicateTypeAnnotation] = predicateType },
        };
        var layers = existing?.Layers ?? [];
        if (existing is not null && layers.Any(l => l.Digest == layer.Digest))
        {
            return existing.Digest;
        }

        layers = [.. layers, layer];
        if (!await client.BlobExistsAsync(subject.Repository, layer.Digest, cancellationToken))
        {
            await client.UploadBlobAsync(subject.Repository, layer, () => new MemoryStream(envelope.ToArray(), writable: false), cancellationToken: cancellationToken);
        }

        var config = ConfigFor(layers);
        var configDescriptor = new OciDescriptor(MediaTypes.OciConfig, Digest.Sha256(config), config.Length);
        if (!await client.BlobExistsAsync(subject.Repository, configDescriptor.Digest, cancellationToken))
        {
            await client.UploadBlobAsync(subject.Repository, configDescriptor, () => new MemoryStream(config, writable: false), cancellationToken: cancellationToken);
        }

        var manifest = OciManifest.CreateImage(MediaTypes.OciManifest, configDescriptor, layers);
        return (await client.PutManifestAsync(subject.Repository, tag, manifest, cancellationToken)).Digest;
    }

    /// <summary>The envelopes in the <c>.att</c> image of <paramref name="subject"/> with their predicate type annotation.</summary>
    public async Task<IReadOnlyList<(string? PredicateType, byte[] Envelope)>> ListAsync(ImageReference subject, CancellationToken cancellationToken = default)
    {
        var subjectDigest = subject.Digest ?? throw new HandoffException($"Cannot list the attestations of {subject}: it needs the image digest.");
        var manifest = await client.TryGetManifestAsync(subject.Repository, Tag(subjectDigest), cancellationToken);
        if (manifest is null || manifest.IsIndex)
        {
            return [];
        }

        var found = new List<(string?, byte[])>();
        foreach (var layer in manifest.Layers.Where(l => l.MediaType == DsseMediaType))
        {
            found.Add((layer.Annotation(PredicateTypeAnnotation), await client.GetBlobAsync(subject.Repository, layer.Digest, cancellationToken: cancellationToken)));
        }

        return found;
    }

    // The fixed, empty-platform config cosign writes: deterministic, so the same layers give the same image.
    private static byte[] ConfigFor(IReadOnlyList<OciDescriptor> layers)
    {
        var diffIds = new JsonArray();
        var history = new JsonArray();
        foreach (var layer in layers)
        {
            diffIds.Add(layer.Digest.ToString());
            history.Add(new JsonObject { ["created"] = "0001-01-01T00:00:00Z" });
        }

        var config = new JsonObject
        {
            ["architecture"] = "",
            ["created"] = "0001-01-01T00:00:00Z",
            ["history"] = history,
            ["os"] = "",
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds },
            ["config"] = new JsonObject(),
        };
        return System.Text.Encoding.UTF8.GetBytes(config.ToJsonString());
    }
}
