using Cake.Common.Build;
using Cake.Core;

namespace Handoff.Tasks;

/// <summary>
/// Which CI the build runs on, decided by Cake.Common's build-system providers (so every CI Cake
/// knows is recognised the same way); the run's facts come from <see cref="CiEnvironment"/>.
/// </summary>
public static class CiDetector
{
    public static CiInfo Detect(ICakeContext context)
    {
        var bs = context.BuildSystem();
        if (bs.IsLocalBuild)
        {
            return CiInfo.Local;
        }

        var facts = CiEnvironment.Detect(context.Environment.GetEnvironmentVariable);
        var system = bs switch
        {
            { IsRunningOnGitHubActions: true } => "GitHub Actions",
            { IsRunningOnGitLabCI: true } => "GitLab CI",
            { IsRunningOnAzurePipelines: true } => "Azure Pipelines",
            { IsRunningOnJenkins: true } => "Jenkins",
            _ => bs.Provider.ToString(),
        };
        return facts.System == system ? facts : new CiInfo { System = system };
    }
}
