using Cake.Common.Build;
using Cake.Core;

namespace Handoff.Tasks;

/// <summary>Reads the CI system through Cake.Common's build-system providers, so every CI Cake knows is recognised the same way.</summary>
public static class CiDetector
{
    public static CiInfo Detect(ICakeContext context)
    {
        var bs = context.BuildSystem();
        var env = context.Environment;
        string? Env(string name) => env.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;

        if (bs.IsRunningOnGitHubActions)
        {
            var w = bs.GitHubActions.Environment.Workflow;
            var server = w.ServerUrl ?? "https://github.com";
            var runUrl = $"{server}/{w.Repository}/actions/runs/{w.RunId}" + (w.Attempt > 0 ? $"/attempts/{w.Attempt}" : "");
            return new CiInfo
            {
                System = "GitHub Actions",
                RunId = w.RunId,
                RunUrl = runUrl,
                BuilderId = string.IsNullOrEmpty(w.WorkflowRef) ? runUrl : $"{server}/{w.WorkflowRef}",
                RepositoryUrl = $"{server}/{w.Repository}",
                Commit = w.Sha,
                Branch = w.RefName,
                OutputFile = Env("GITHUB_OUTPUT"),
                SummaryFile = Env("GITHUB_STEP_SUMMARY"),
            };
        }

        if (bs.IsRunningOnGitLabCI)
        {
            return new CiInfo
            {
                System = "GitLab CI",
                RunId = Env("CI_PIPELINE_ID"),
                RunUrl = Env("CI_PIPELINE_URL") ?? Env("CI_JOB_URL"),
                BuilderId = Env("CI_JOB_URL") ?? Env("CI_PIPELINE_URL"),
                RepositoryUrl = Env("CI_PROJECT_URL"),
                Commit = Env("CI_COMMIT_SHA"),
                Branch = Env("CI_COMMIT_REF_NAME"),
            };
        }

        if (bs.IsRunningOnAzurePipelines)
        {
            var info = bs.AzurePipelines.Environment;
            var collection = Env("SYSTEM_COLLECTIONURI") ?? Env("SYSTEM_TEAMFOUNDATIONCOLLECTIONURI");
            var project = Env("SYSTEM_TEAMPROJECT");
            var buildId = info.Build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var runUrl = collection is null || project is null ? null : $"{collection.TrimEnd('/')}/{Uri.EscapeDataString(project)}/_build/results?buildId={buildId}";
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

        if (bs.IsRunningOnJenkins)
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

        if (!bs.IsLocalBuild)
        {
            return new CiInfo { System = bs.Provider.ToString() };
        }

        return CiInfo.Local;
    }
}
