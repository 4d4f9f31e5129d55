using System.Text.Json.Nodes;
using Handoff.SupplyChain.Provenance;
using Handoff.SupplyChain.Signing;

namespace Handoff.SupplyChain.Attestations;

/// <summary>Options of the Sbom/Provenance attach step.</summary>
public sealed record AttestOptions
{
    /// <summary>What the provenance says; its Image (with digest) is the subject of both attachments.</summary>
    public required ProvenanceInput Provenance { get; init; }
    /// <summary>The CycloneDX file to attach (artifacts/sbom.cdx.json); null: no SBOM.</summary>
    public string? SbomPath { get; init; }
    /// <summary>A PEM private key file; null: the HANDOFF_SIGNING_KEY environment variable. Ignored when <see cref="Signer"/> is set.</summary>
    public string? SigningKeyFile { get; init; }
    /// <summary>
    /// Signs the provenance instead of a key file (a KMS, an HSM, a keyless signer). The caller owns
    /// and disposes it; its KeyId is written into the envelope and release.json.
    /// </summary>
    public ISigner? Signer { get; init; }
    /// <summary>
    /// Checks <see cref="Signer"/>'s signatures, so the envelope of an interrupted run can be reused
    /// (one provenance per image, not one per retry). Without it a supplied signer signs afresh.
    /// </summary>
    public IVerifier? SignerVerifier { get; init; }
    /// <summary>Where provenance.dsse.json (the signed envelope) is kept for audit and re-runs.</summary>
    public required string ArtifactsDirectory { get; init; }
}

/// <summary>What was attached: release.json's <c>attestations</c> object.</summary>
public sealed record AttestResult(AttachedArtifact? Sbom, AttachedArtifact Provenance, string EnvelopePath, string KeyId, string BuilderId)
{
    /// <summary>The tag of cosign's attestation image holding the same envelope, when the store wrote one.</summary>
    public string? CosignTag { get; init; }

    public JsonObject ToReleaseJson()
    {
        var json = new JsonObject();
        if (Sbom is not null)
        {
            json["sbom"] = Sbom.ToJson();
        }

        var provenance = Provenance.ToJson();
        provenance["keyId"] = KeyId;
        provenance["builderId"] = BuilderId;
        if (CosignTag is not null)
        {
            provenance["cosignTag"] = CosignTag;
        }

        json["provenance"] = provenance;
        return json;
    }
}

/// <summary>
/// Signs the SLSA provenance and attaches it, and the SBOM, to the pushed image digest. Re-running
/// for the same image reuses the envelope already in artifacts/ (if it is for this digest and
/// verifies with this key) and skips attachments already present, so retries are safe.
/// </summary>
public static class AttestCommand
{
    public const string EnvelopeFileName = "provenance.dsse.json";

    public static async Task<AttestResult> RunAsync(AttestOptions options, IReferrerStore store, TextWriter output, Func<string, string?>? environment = null, TimeProvider? clock = null, CancellationToken ct = default)
    {
        var image = options.Provenance.Image;
        if (image.Digest is null)
        {
            throw new HandoffException($"Cannot attest {image}: no digest. Run CaptureDigest after PushImage.");
        }

        using var loaded = options.Signer is null ? SigningKeyLoader.Load(options.SigningKeyFile, environment) : null;
        var signer = options.Signer ?? loaded!;
        using var ownVerifier = loaded is null ? null : EcdsaP256Verifier.FromPem(loaded.PublicKeyPem(), "signing key");
        var verifier = options.Signer is null ? ownVerifier : options.SignerVerifier;
        var publisher = new AttestationPublisher(store, clock);

        AttachedArtifact? sbom = null;
        if (options.SbomPath is not null)
        {
            if (!File.Exists(options.SbomPath))
            {
                throw new HandoffException($"{options.SbomPath}: SBOM not found. Run the Sbom step first (it writes artifacts/sbom.cdx.json).");
            }

            sbom = await publisher.AttachSbomAsync(image, await File.ReadAllBytesAsync(options.SbomPath, ct), ct);
            output.WriteLine($"attest: SBOM {(sbom.AlreadyPresent ? "already attached" : "attached")} to {image.Pinned} as {sbom.Reference}");
        }

        var envelopePath = Path.Combine(options.ArtifactsDirectory, EnvelopeFileName);
        var envelope = (verifier is null ? null : Reusable(envelopePath, image, verifier)) ?? ProvenanceStatement.Sign(options.Provenance, signer);
        var envelopeBytes = envelope.ToJsonBytes();
        AtomicFile.WriteAllBytes(envelopePath, envelopeBytes);

        var provenance = await publisher.AttachProvenanceAsync(image, envelope, Slsa.ProvenancePredicateType, ct);
        var builderId = CiIdentity.BuilderIdOf(options.Provenance.Ci);
        output.WriteLine($"attest: SLSA provenance (builder {builderId}, key {signer.KeyId}) {(provenance.AlreadyPresent ? "already attached" : "attached")} to {image.Pinned} as {provenance.Reference}");
        string? cosignTag = null;
        if (store is ICosignAttestationStore cosign)
        {
            // The same signed bytes, where Kyverno's verifyImages (through cosign) looks at admission.
            cosignTag = await cosign.AttachCosignAsync(image, envelopeBytes, Slsa.ProvenancePredicateType, ct);
            output.WriteLine($"attest: provenance also in cosign's layout at {image.Name}:{cosignTag} (for admission-time verification)");
        }

        return new AttestResult(sbom, provenance, envelopePath, signer.KeyId, builderId) { CosignTag = cosignTag };
    }

    /// <summary>The envelope of a previous run, when it is for this very digest and signed by this key.</summary>
    private static DsseEnvelope? Reusable(string path, ImageReference image, IVerifier verifier)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var envelope = Dsse.Parse(File.ReadAllBytes(path));
            var pae = Dsse.PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload);
            if (!envelope.Signatures.Any(s => verifier.Verify(pae, s.Sig)))
            {
                return null;
            }

            var statement = JsonNode.Parse(envelope.Payload);
            var subjects = statement?["subject"] as JsonArray ?? [];
            return subjects.Any(s => s?["digest"]?["sha256"]?.GetValue<string>() == image.Digest!.Value.Hex) ? envelope : null;
        }
        catch (Exception ex) when (ex is DsseFormatException or System.Text.Json.JsonException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
