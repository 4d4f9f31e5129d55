namespace Handoff.SupplyChain.Attestations;

/// <summary>An artifact attached to an image (an OCI referrer): its manifest digest, type and annotations.</summary>
public sealed record StoredReferrer(Digest Digest, string ArtifactType, string MediaType, long Size, IReadOnlyDictionary<string, string> Annotations);

/// <summary>
/// The registry side of attestations: attach a blob to an image digest as an OCI referrer, list
/// them, fetch one. The OCI client implements it (referrers API, or the <c>sha256-HEX</c> tag
/// fallback on registries without it); this library never talks to a registry itself.
/// </summary>
public interface IReferrerStore
{
    /// <summary>
    /// Attaches <paramref name="content"/> as a single-layer artifact whose subject is <paramref name="subject"/>
    /// (which must have a digest); returns the stored referrer, whose digest is the artifact manifest's.
    /// </summary>
    Task<StoredReferrer> PushAsync(ImageReference subject, string artifactType, string mediaType, byte[] content, IReadOnlyDictionary<string, string> annotations, CancellationToken ct);

    /// <summary>
    /// The referrers of <paramref name="subject"/>, optionally only those of one artifact type, with the
    /// annotations given to <see cref="PushAsync"/> (re-runs use them to recognise what is already attached).
    /// </summary>
    Task<IReadOnlyList<StoredReferrer>> ListAsync(ImageReference subject, string? artifactType, CancellationToken ct);

    /// <summary>The content (the single layer) of one referrer.</summary>
    Task<byte[]> FetchAsync(ImageReference subject, StoredReferrer referrer, CancellationToken ct);
}

/// <summary>
/// A store that can also put a signed attestation where cosign looks for it (the
/// <c>sha256-HEX.att</c> image), so admission control (Kyverno verifyImages) finds what Handoff's
/// own verifier finds as a referrer. Optional: a store without it just has no admission-time copy.
/// </summary>
public interface ICosignAttestationStore
{
    /// <summary>Adds the envelope to the subject's cosign attestation image; returns its tag.</summary>
    Task<string> AttachCosignAsync(ImageReference subject, byte[] envelope, string predicateType, CancellationToken ct);
}

/// <summary>The artifact and media types Handoff attaches.</summary>
public static class ArtifactTypes
{
    /// <summary>CycloneDX JSON SBOM (IANA-registered media type).</summary>
    public const string CycloneDxJson = "application/vnd.cyclonedx+json";

    /// <summary>
    /// A DSSE envelope. Chosen over <c>application/vnd.in-toto+json</c> because the attached bytes are
    /// the signed envelope, not a bare statement; it is also the layer media type cosign uses for
    /// attestations, so tools that know cosign's layout recognise it.
    /// </summary>
    public const string DsseEnvelope = "application/vnd.dsse.envelope.v1+json";
}

/// <summary>Annotation keys on attached artifacts.</summary>
public static class AttestationAnnotations
{
    public const string Created = "org.opencontainers.image.created";
    /// <summary>cosign's layer annotation for the predicate type of an attestation.</summary>
    public const string PredicateType = "predicateType";
    /// <summary>The same, under the key BuildKit's attestations use.</summary>
    public const string InTotoPredicateType = "in-toto.io/predicate-type";
    /// <summary>sha256 of the attached content, so a re-run can see the same thing is already there.</summary>
    public const string ContentDigest = "dev.handoff.content.digest";
    public const string Kind = "dev.handoff.kind";
}
