namespace Handoff.SupplyChain.Verification;

/// <summary>Why an attestation was rejected, from the first check to the last.</summary>
public enum VerificationFailure
{
    None,
    /// <summary>The image has no attestation of the DSSE artifact type.</summary>
    NoAttestation,
    /// <summary>The attachment could not be fetched.</summary>
    FetchFailed,
    /// <summary>The attached bytes are not a DSSE envelope (plain JSON, a bare statement…).</summary>
    NotDsse,
    /// <summary>The envelope's payloadType is not application/vnd.in-toto+json.</summary>
    WrongPayloadType,
    /// <summary>The envelope names another key and no signature verifies with ours.</summary>
    WrongKey,
    /// <summary>The signature does not match: payload (or signature) changed after signing.</summary>
    BadSignature,
    /// <summary>The payload is not an in-toto Statement v1.</summary>
    NotAStatement,
    /// <summary>The predicate is not SLSA Provenance v1.</summary>
    WrongPredicateType,
    /// <summary>The statement is about another image: copied onto this one.</summary>
    SubjectMismatch,
    WrongBuilder,
    WrongSourceRepository,
}

/// <summary>One check and whether it passed, in the order they ran.</summary>
public sealed record VerificationCheck(string What, bool Passed, string Detail);

/// <summary>The verdict on one attestation.</summary>
public sealed record AttestationVerification(Digest Referrer, VerificationFailure Failure, string Reason, IReadOnlyList<VerificationCheck> Checks)
{
    public bool Verified => Failure == VerificationFailure.None;
}

/// <summary>The verdict on an image: verified when at least one attestation passes every check.</summary>
public sealed record VerificationResult(ImageReference Image, IReadOnlyList<AttestationVerification> Attestations, VerificationFailure Failure, string Reason, ProvenanceFacts? Facts)
{
    public bool Verified => Failure == VerificationFailure.None;
}

/// <summary>What a verified provenance says.</summary>
public sealed record ProvenanceFacts(string BuilderId, string? SourceRepository, string? SourceRef, string? SourceCommit, string? BuildType, string? InvocationId, string KeyId);

/// <summary>What must hold, besides a good signature and a matching subject.</summary>
public sealed record VerificationPolicy
{
    /// <summary>Required runDetails.builder.id (exact match).</summary>
    public string? ExpectedBuilderId { get; init; }
    /// <summary>Required source repository (compared without scheme, credentials or .git).</summary>
    public string? ExpectedSourceRepository { get; init; }
}
