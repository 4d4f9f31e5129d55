namespace Handoff.SupplyChain.Provenance;

/// <summary>
/// Who built it, from the CI's own environment variables, for provenance's <c>builder.id</c> and
/// <c>invocationId</c> when the task layer did not supply them:
/// GitHub Actions — the workflow ref URI (<c>https://github.com/OWNER/REPO/.github/workflows/publish.yml@refs/heads/main</c>);
/// GitLab CI — the pipeline definition at its ref (<c>PROJECT_URL/-/blob/REF/.gitlab-ci.yml</c>);
/// anything else — <c>urn:handoff:builder:local:HOST</c>, which no policy should trust.
/// </summary>
public static class CiIdentity
{
    public const string LocalBuilderPrefix = "urn:handoff:builder:local:";

    public static CiInfo FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string? Get(string name) => environment(name) is { Length: > 0 } v ? v : null;

        if (Get("GITHUB_ACTIONS") == "true")
        {
            var server = Get("GITHUB_SERVER_URL") ?? "https://github.com";
            var repository = Get("GITHUB_REPOSITORY");
            var runId = Get("GITHUB_RUN_ID");
            var attempt = Get("GITHUB_RUN_ATTEMPT") ?? "1";
            return new CiInfo
            {
                System = "GitHub Actions",
                RunId = runId,
                RunUrl = repository is not null && runId is not null ? $"{server}/{repository}/actions/runs/{runId}/attempts/{attempt}" : null,
                BuilderId = Get("GITHUB_WORKFLOW_REF") is { } workflowRef ? $"{server}/{workflowRef}" : null,
                RepositoryUrl = repository is not null ? $"{server}/{repository}" : null,
                Commit = Get("GITHUB_SHA"),
                Branch = Get("GITHUB_REF_NAME"),
                OutputFile = Get("GITHUB_OUTPUT"),
                SummaryFile = Get("GITHUB_STEP_SUMMARY"),
            };
        }

        if (Get("GITLAB_CI") == "true")
        {
            var project = Get("CI_PROJECT_URL");
            var reference = Get("CI_COMMIT_REF_NAME");
            return new CiInfo
            {
                System = "GitLab CI",
                RunId = Get("CI_JOB_ID") ?? Get("CI_PIPELINE_ID"),
                RunUrl = Get("CI_JOB_URL") ?? Get("CI_PIPELINE_URL"),
                BuilderId = project is not null && reference is not null ? $"{project}/-/blob/{reference}/{Get("CI_CONFIG_PATH") ?? ".gitlab-ci.yml"}" : null,
                RepositoryUrl = project,
                Commit = Get("CI_COMMIT_SHA"),
                Branch = reference,
            };
        }

        return CiInfo.Local;
    }

    /// <summary>The builder id for provenance: the CI's, or a local one that names the machine.</summary>
    public static string BuilderIdOf(CiInfo ci) =>
        ci.BuilderId is { Length: > 0 } id ? id : LocalBuilderPrefix + Environment.MachineName.ToLowerInvariant();
}
