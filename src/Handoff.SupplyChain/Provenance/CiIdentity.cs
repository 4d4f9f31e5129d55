namespace Handoff.SupplyChain.Provenance;

/// <summary>
/// Who built it, from the CI's own environment variables, for provenance's <c>builder.id</c> and
/// <c>invocationId</c> when the task layer did not supply them:
/// GitHub Actions — the workflow ref URI (<c>https://github.com/OWNER/REPO/.github/workflows/publish.yml@refs/heads/main</c>);
/// GitLab CI — the pipeline definition at its ref (<c>PROJECT_URL/-/blob/REF/.gitlab-ci.yml</c>);
/// Azure Pipelines — the pipeline definition (<c>COLLECTION/PROJECT/_build?definitionId=ID</c>);
/// Jenkins — the job (<c>JOB_URL</c>); anything else — <c>urn:handoff:builder:local:HOST</c>, which no policy should trust.
/// </summary>
public static class CiIdentity
{
    public const string LocalBuilderPrefix = "urn:handoff:builder:local:";

    public static CiInfo FromEnvironment(Func<string, string?>? environment = null) => CiEnvironment.Detect(environment);

    /// <summary>The builder id for provenance: the CI's, or a local one that names the machine.</summary>
    public static string BuilderIdOf(CiInfo ci) =>
        ci.BuilderId is { Length: > 0 } id ? id : LocalBuilderPrefix + Environment.MachineName.ToLowerInvariant();
}
