using System.Text.Json.Nodes;

namespace Handoff.SupplyChain.Attestations;

/// <summary>An artifact attached to an image, for release.json and the promotion PR.</summary>
public sealed record AttachedArtifact(string Kind, ImageReference Subject, string ArtifactType, Digest ReferrerDigest, Digest ContentDigest, bool AlreadyPresent, IReadOnlyDictionary<string, string> Annotations)
{
    /// <summary>The attached artifact itself, pullable by digest: <c>registry/repository@sha256:…</c>.</summary>
    public string Reference => $"{Subject.Name}@{ReferrerDigest}";

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["artifactType"] = ArtifactType,
            ["reference"] = Reference,
            ["digest"] = ReferrerDigest.ToString(),
            ["contentDigest"] = ContentDigest.ToString(),
            ["subject"] = Subject.Pinned,
        };
        if (Annotations.TryGetValue(AttestationAnnotations.PredicateType, out var predicate))
        {
            json["predicateType"] = predicate;
        }

        return json;
    }
}

/// <summary>
/// Attaches SBOMs and signed provenance to an image digest through an <see cref="IReferrerStore"/>.
/// Idempotent: content already attached (same sha256, same type) is not pushed again, so
/// re-running Publish does not pile up duplicate referrers.
/// </summary>
public sealed class AttestationPublisher(IReferrerStore store, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public Task<AttachedArtifact> AttachSbomAsync(ImageReference subject, byte[] cycloneDxJson, CancellationToken ct = default) =>
        AttachAsync("sbom", subject, ArtifactTypes.CycloneDxJson, cycloneDxJson, new Dictionary<string, string>(), ct);

    public Task<AttachedArtifact> AttachProvenanceAsync(ImageReference subject, Signing.DsseEnvelope envelope, string predicateType, CancellationToken ct = default) =>
        AttachAsync("provenance", subject, ArtifactTypes.DsseEnvelope, envelope.ToJsonBytes(), new Dictionary<string, string>
        {
            [AttestationAnnotations.PredicateType] = predicateType,
            [AttestationAnnotations.InTotoPredicateType] = predicateType,
        }, ct);

    private async Task<AttachedArtifact> AttachAsync(string kind, ImageReference subject, string artifactType, byte[] content, Dictionary<string, string> annotations, CancellationToken ct)
    {
        if (subject.Digest is null)
        {
            throw new HandoffException($"Cannot attach the {kind} to {subject}: attachments are made to a digest. Run CaptureDigest first.");
        }

        var contentDigest = Digest.Sha256(content);
        var existing = await store.ListAsync(subject, artifactType, ct);
        var same = existing.FirstOrDefault(r => r.Annotations.TryGetValue(AttestationAnnotations.ContentDigest, out var d) && d == contentDigest.ToString());
        if (same is not null)
        {
            return new AttachedArtifact(kind, subject, artifactType, same.Digest, contentDigest, AlreadyPresent: true, same.Annotations);
        }

        annotations[AttestationAnnotations.Created] = _clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        annotations[AttestationAnnotations.ContentDigest] = contentDigest.ToString();
        annotations[AttestationAnnotations.Kind] = kind;
        var stored = await store.PushAsync(subject, artifactType, artifactType, content, annotations, ct);
        return new AttachedArtifact(kind, subject, artifactType, stored.Digest, contentDigest, AlreadyPresent: false, annotations);
    }
}
