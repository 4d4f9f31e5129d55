namespace Handoff.MSBuild.Tests.Support;

/// <summary>
/// Runs the real dotnet CLI (msbuild, publish, pack) in a child process with a controlled environment:
/// no node reuse (no MSBuild processes outlive a test), no ambient registry credentials or docker
/// login, and no CI variables unless a test sets them.
/// </summary>
internal static class DotNet
{
    public static Task<BuildResult> MSBuildAsync(string project, string target, IReadOnlyDictionary<string, string>? properties = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var args = new List<string> { "msbuild", project, $"-t:{target}" };
        args.AddRange((properties ?? new Dictionary<string, string>()).Select(p => $"-p:{p.Key}={p.Value}"));
        return RunAsync(args, Path.GetDirectoryName(project)!, environment);
    }

    public static async Task<BuildResult> RunAsync(IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null, string verbosity = "m")
    {
        var dotnet = Exec.FindOnPath("dotnet") ?? throw new InvalidOperationException("dotnet is not on PATH.");
        var env = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_UI_LANGUAGE"] = "en",
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["HANDOFF_REGISTRY_USERNAME"] = null,
            ["HANDOFF_REGISTRY_PASSWORD"] = null,
            ["DOCKER_CONFIG"] = Session.EmptyDockerConfig,
            ["GITHUB_ACTIONS"] = null,
            ["GITLAB_CI"] = null,
            ["TF_BUILD"] = null,
            ["JENKINS_URL"] = null,
            // Set when the tests themselves run under dotnet test; the child must find its own MSBuild.
            ["MSBuildExtensionsPath"] = null,
            ["MSBUILD_EXE_PATH"] = null,
            ["MSBuildSDKsPath"] = null,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        var args = arguments.ToList();
        args.AddRange(["-nologo", "-nodeReuse:false", "-tl:off", $"-v:{verbosity}", "-clp:ForceNoAlign"]);
        var result = await Exec.RunAsync(dotnet, args, new ExecOptions
        {
            WorkingDirectory = workingDirectory,
            Environment = env,
            Timeout = timeout ?? TimeSpan.FromMinutes(2),
        });
        return new BuildResult(result.ExitCode, result.StandardOutput + result.StandardError);
    }
}
