using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.SupplyChain.Attestations;
using Handoff.SupplyChain.Provenance;
using Handoff.SupplyChain.Signing;

namespace Handoff.SupplyChain.Verification;

/// <summary>
/// Verifies the SLSA provenance attached to an image digest: each DSSE attestation is checked in
/// order — envelope, payload type, signature over the PAE with the trusted key, in-toto statement,
/// predicate type, subject digest = image digest, builder id, source repository — and the first
/// failing check is the precise reason. The image verifies when one attestation passes them all.
/// </summary>
public sealed class ProvenanceVerifier(IReferrerStore store, IVerifier verifier)
{
    public async Task<VerificationResult> VerifyAsync(ImageReference image, VerificationPolicy policy, TextWriter? log = null, CancellationToken ct = default)
    {
        log ??= TextWriter.Null;
        var digest = image.Digest ?? throw new HandoffException($"Verify an image by digest: {image} has none. Use the reference from release.json (image.reference), e.g. {image.Name}@sha256:….");
        log.WriteLine($"Verifying provenance of {image.Pinned} with key {verifier.KeyId}");

        var referrers = await store.ListAsync(image, ArtifactTypes.DsseEnvelope, ct);
        if (referrers.Count == 0)
        {
            var reason = $"no provenance attestation is attached to {image.Pinned} (no referrer of type {ArtifactTypes.DsseEnvelope}); publish it with ./build.sh --target=Publish, which attaches signed provenance";
            log.WriteLine($"  FAILED: {reason}");
            return new VerificationResult(image, [], VerificationFailure.NoAttestation, reason, null);
        }

        log.WriteLine($"  {referrers.Count} attestation(s) of type {ArtifactTypes.DsseEnvelope}");
        var results = new List<AttestationVerification>(referrers.Count);
        foreach (var referrer in referrers)
        {
            var (result, facts) = await VerifyOneAsync(image, digest, referrer, policy, ct);
            results.Add(result);
            log.WriteLine($"  attestation {referrer.Digest.Short}:");
            foreach (var check in result.Checks)
            {
                log.WriteLine($"    {(check.Passed ? "ok  " : "FAIL")} {check.What}: {check.Detail}");
            }

            if (result.Verified)
            {
                log.WriteLine($"Verified: {image.Pinned} was built by {facts!.BuilderId} from {facts.SourceRepository}@{facts.SourceCommit} (signed by key {facts.KeyId}).");
                return new VerificationResult(image, results, VerificationFailure.None, "verified", facts);
            }
        }

        // The attestation that got furthest explains best why verification failed.
        var best = results.MaxBy(r => r.Checks.Count(c => c.Passed))!;
        log.WriteLine($"NOT verified: {best.Reason}");
        return new VerificationResult(image, results, best.Failure, best.Reason, null);
    }

    private async Task<(AttestationVerification, ProvenanceFacts?)> VerifyOneAsync(ImageReference image, Digest digest, StoredReferrer referrer, VerificationPolicy policy, CancellationToken ct)
    {
        var checks = new List<VerificationCheck>();
        (AttestationVerification, ProvenanceFacts?) Fail(VerificationFailure failure, string what, string reason)
        {
            checks.Add(new VerificationCheck(what, false, reason));
            return (new AttestationVerification(referrer.Digest, failure, reason, checks), null);
        }

        byte[] content;
        try
        {
            content = await store.FetchAsync(image, referrer, ct);
        }
        catch (HandoffException ex)
        {
            return Fail(VerificationFailure.FetchFailed, "fetch", $"attestation {referrer.Digest} could not be fetched: {ex.Message}");
        }

        DsseEnvelope envelope;
        try
        {
            envelope = Dsse.Parse(content);
        }
        catch (DsseFormatException ex)
        {
            return Fail(VerificationFailure.NotDsse, "DSSE envelope", $"attestation {referrer.Digest.Short} is not a DSSE envelope: {ex.Message}");
        }

        checks.Add(new VerificationCheck("DSSE envelope", true, $"{envelope.Signatures.Count} signature(s)"));
        if (envelope.PayloadType != Dsse.InTotoPayloadType)
        {
            return Fail(VerificationFailure.WrongPayloadType, "payload type", $"payload type is '{envelope.PayloadType}', expected '{Dsse.InTotoPayloadType}'");
        }

        checks.Add(new VerificationCheck("payload type", true, envelope.PayloadType));

        var pae = Dsse.PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload);
        if (!envelope.Signatures.Any(s => verifier.Verify(pae, s.Sig)))
        {
            // keyid is an unauthenticated hint: it only chooses the wording of the reason, never the outcome.
            var otherKeys = envelope.Signatures.Select(s => s.KeyId).Where(k => !string.IsNullOrEmpty(k) && k != verifier.KeyId).Distinct().ToList();
            return otherKeys.Count > 0 && envelope.Signatures.All(s => s.KeyId != verifier.KeyId)
                ? Fail(VerificationFailure.WrongKey, "signature", $"signed by another key (keyid {string.Join(", ", otherKeys)}), not the trusted key {verifier.KeyId}")
                : Fail(VerificationFailure.BadSignature, "signature", $"the signature does not verify with key {verifier.KeyId}: the payload or signature was changed after signing");
        }

        checks.Add(new VerificationCheck("signature", true, $"verifies with key {verifier.KeyId} over the DSSE PAE"));

        JsonObject statement;
        try
        {
            statement = JsonNode.Parse(envelope.Payload) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return Fail(VerificationFailure.NotAStatement, "in-toto statement", "the signed payload is not a JSON object");
        }

        var type = Str(statement["_type"]);
        if (type != Slsa.StatementType)
        {
            return Fail(VerificationFailure.NotAStatement, "in-toto statement", $"_type is '{type ?? "(missing)"}', expected '{Slsa.StatementType}'");
        }

        checks.Add(new VerificationCheck("in-toto statement", true, Slsa.StatementType));
        var predicateType = Str(statement["predicateType"]);
        if (predicateType != Slsa.ProvenancePredicateType)
        {
            return Fail(VerificationFailure.WrongPredicateType, "predicate type", $"predicateType is '{predicateType ?? "(missing)"}', expected '{Slsa.ProvenancePredicateType}'");
        }

        checks.Add(new VerificationCheck("predicate type", true, predicateType));

        var subjects = (statement["subject"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(s => (Name: Str(s["name"]), Sha256: Str(s["digest"]?["sha256"])))
            .ToList();
        if (!subjects.Any(s => s.Sha256 == digest.Hex && digest.Algorithm == "sha256"))
        {
            var named = subjects.Count == 0 ? "no subject" : string.Join(", ", subjects.Select(s => $"{s.Name}@sha256:{s.Sha256}"));
            return Fail(VerificationFailure.SubjectMismatch, "subject", $"the statement is about {named}, not {digest}: this attestation was made for another image and copied onto this one");
        }

        checks.Add(new VerificationCheck("subject", true, $"matches {digest}"));

        var predicate = statement["predicate"];
        var builderId = Str(predicate?["runDetails"]?["builder"]?["id"]);
        if (builderId is null)
        {
            return Fail(VerificationFailure.NotAStatement, "builder id", "the provenance has no runDetails.builder.id");
        }

        if (policy.ExpectedBuilderId is { } expectedBuilder && !string.Equals(builderId, expectedBuilder, StringComparison.Ordinal))
        {
            return Fail(VerificationFailure.WrongBuilder, "builder id", $"built by '{builderId}', expected '{expectedBuilder}'");
        }

        checks.Add(new VerificationCheck("builder id", true, builderId + (policy.ExpectedBuilderId is null ? " (not required)" : " (as required)")));

        var source = predicate?["buildDefinition"]?["externalParameters"]?["source"];
        var repository = Str(source?["repository"]);
        if (policy.ExpectedSourceRepository is { } expectedRepository)
        {
            if (repository is null || !SourceRepositories.SameRepository(repository, expectedRepository))
            {
                return Fail(VerificationFailure.WrongSourceRepository, "source repository", $"built from '{repository ?? "(no repository recorded)"}', expected '{SourceRepositories.Normalize(expectedRepository)}'");
            }
        }

        checks.Add(new VerificationCheck("source repository", true, (repository ?? "(none)") + (policy.ExpectedSourceRepository is null ? " (not required)" : " (as required)")));

        var facts = new ProvenanceFacts(
            builderId,
            repository,
            Str(source?["ref"]),
            Str(source?["commit"]),
            Str(predicate?["buildDefinition"]?["buildType"]),
            Str(predicate?["runDetails"]?["metadata"]?["invocationId"]),
            verifier.KeyId);
        return (new AttestationVerification(referrer.Digest, VerificationFailure.None, "verified", checks), facts);
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
