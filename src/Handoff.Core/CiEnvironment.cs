namespace Handoff;

/// <summary>
/// The facts of a CI run (run URL, builder identity, commit…) from the variables each CI system
/// documents: GitHub Actions, GitLab CI, Azure Pipelines, Jenkins. The Cake graph decides which CI
/// it runs on with Cake's build-system providers and takes the facts from here; MSBuild tasks and
/// libraries without a Cake context use it directly.
/// The builder id names the pipeline definition (workflow file at its ref, pipeline definition, job),
/// never the run: a delivery repo pins one expected builder id, and a run URL changes every run.
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
                BuilderId = GitHubBuilderId(server, repository, Env("GITHUB_WORKFLOW_REF"), Env("GITHUB_WORKFLOW"), Env("GITHUB_REF")),
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
                BuilderId = project is null ? null : reference is null ? project : $"{project}/-/blob/{reference}/{Env("CI_CONFIG_PATH") ?? ".gitlab-ci.yml"}",
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
            var projectUrl = collection is null || project is null ? null : $"{collection.TrimEnd('/')}/{Uri.EscapeDataString(project)}";
            var definition = Env("SYSTEM_DEFINITIONID") is { } definitionId ? $"definitionId={definitionId}"
                : Env("BUILD_DEFINITIONNAME") is { } definitionName ? $"definitionName={Uri.EscapeDataString(definitionName)}"
                : null;
            return new CiInfo
            {
                System = "Azure Pipelines",
                RunId = buildId,
                RunUrl = projectUrl is null || buildId is null ? null : $"{projectUrl}/_build/results?buildId={buildId}",
                BuilderId = projectUrl is null || definition is null ? null : $"{projectUrl}/_build?{definition}",
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
                BuilderId = Env("JOB_URL") ?? JenkinsJobUrl(Env("JENKINS_URL")!, Env("JOB_NAME")),
                RepositoryUrl = Env("GIT_URL"),
                Commit = Env("GIT_COMMIT"),
                Branch = Env("BRANCH_NAME") ?? Env("GIT_BRANCH"),
            };
        }

        return CiInfo.Local;
    }

    /// <summary>
    /// The workflow file at its ref, as GitHub's own OIDC token and attestations name it. Runners
    /// older than GITHUB_WORKFLOW_REF only give the workflow's name, which is still per pipeline.
    /// </summary>
    private static string? GitHubBuilderId(string server, string? repository, string? workflowRef, string? workflow, string? reference)
    {
        if (workflowRef is not null)
        {
            return $"{server}/{workflowRef}";
        }

        return repository is null || workflow is null
            ? null
            : $"{server}/{repository}/actions/workflows/{Uri.EscapeDataString(workflow)}" + (reference is null ? "" : $"@{reference}");
    }

    /// <summary>Jenkins spells a job in folders a/b as JENKINS_URL/job/a/job/b/.</summary>
    private static string? JenkinsJobUrl(string jenkins, string? jobName) =>
        jobName is null ? null : $"{jenkins.TrimEnd('/')}/job/{string.Join("/job/", jobName.Split('/').Select(Uri.EscapeDataString))}/";
}
