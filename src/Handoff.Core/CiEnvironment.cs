namespace Handoff;

/// <summary>
/// The facts of a CI run (run URL, builder identity, commit…) from the variables each CI system
/// documents: GitHub Actions, GitLab CI, Azure Pipelines, Jenkins. The Cake graph decides which CI
/// it runs on with Cake's build-system providers and takes the facts from here; MSBuild tasks and
/// libraries without a Cake context use it directly.
/// </summary>
public static class CiEnvironment
{
    public static CiInfo Detect(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string? Env(string name) => environment(name) is { Length: > 0 } value ? value : null;

        if (Env("GITHUB_ACTIONS") == "true")
        {
            var server = Env("GITHUB_SERVER_URL") ?? "https://github.com";
            var repository = Env("GITHUB_REPOSITORY");
            var runId = Env("GITHUB_RUN_ID");
            var attempt = Env("GITHUB_RUN_ATTEMPT");
            var runUrl = repository is null || runId is null ? null : $"{server}/{repository}/actions/runs/{runId}{(attempt is null ? "" : "/attempts/" + attempt)}";
            return new CiInfo
            {
                System = "GitHub Actions",
                RunId = runId,
                RunUrl = runUrl,
                BuilderId = Env("GITHUB_WORKFLOW_REF") is { } workflow ? $"{server}/{workflow}" : runUrl,
                RepositoryUrl = repository is null ? null : $"{server}/{repository}",
                Commit = Env("GITHUB_SHA"),
                Branch = Env("GITHUB_REF_NAME"),
                OutputFile = Env("GITHUB_OUTPUT"),
                SummaryFile = Env("GITHUB_STEP_SUMMARY"),
            };
        }

        if (Env("GITLAB_CI") == "true")
        {
            var project = Env("CI_PROJECT_URL");
            var reference = Env("CI_COMMIT_REF_NAME");
            return new CiInfo
            {
                System = "GitLab CI",
                RunId = Env("CI_PIPELINE_ID"),
                RunUrl = Env("CI_PIPELINE_URL") ?? Env("CI_JOB_URL"),
                // The pipeline definition at its ref: stable across runs, which is what a provenance builder id must be.
                BuilderId = project is not null && reference is not null ? $"{project}/-/blob/{reference}/{Env("CI_CONFIG_PATH") ?? ".gitlab-ci.yml"}" : Env("CI_JOB_URL"),
                RepositoryUrl = Env("CI_PROJECT_URL"),
                Commit = Env("CI_COMMIT_SHA"),
                Branch = Env("CI_COMMIT_REF_NAME"),
            };
        }

        if (string.Equals(Env("TF_BUILD"), "true", StringComparison.OrdinalIgnoreCase))
        {
            var collection = Env("SYSTEM_COLLECTIONURI") ?? Env("SYSTEM_TEAMFOUNDATIONCOLLECTIONURI");
            var project = Env("SYSTEM_TEAMPROJECT");
            var buildId = Env("BUILD_BUILDID");
            var runUrl = collection is null || project is null || buildId is null
                ? null
                : $"{collection.TrimEnd('/')}/{Uri.EscapeDataString(project)}/_build/results?buildId={buildId}";
            return new CiInfo
            {
                System = "Azure Pipelines",
                RunId = buildId,
                RunUrl = runUrl,
                BuilderId = runUrl,
                RepositoryUrl = Env("BUILD_REPOSITORY_URI"),
                Commit = Env("BUILD_SOURCEVERSION"),
                Branch = Env("BUILD_SOURCEBRANCHNAME"),
            };
        }

        if (Env("JENKINS_URL") is not null)
        {
            return new CiInfo
            {
                System = "Jenkins",
                RunId = Env("BUILD_NUMBER"),
                RunUrl = Env("BUILD_URL"),
                BuilderId = Env("JOB_URL") ?? Env("BUILD_URL"),
                RepositoryUrl = Env("GIT_URL"),
                Commit = Env("GIT_COMMIT"),
                Branch = Env("BRANCH_NAME") ?? Env("GIT_BRANCH"),
            };
        }

        return CiInfo.Local;
    }
}
