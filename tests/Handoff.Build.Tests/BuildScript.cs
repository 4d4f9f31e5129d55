using Handoff.Testing;

namespace Handoff.Build.Tests;

public sealed record ScriptRun(int ExitCode, string Output)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}";
}

/// <summary>Runs ./build.sh exactly as a user or CI does: a separate process, the real compiled graph.</summary>
public static class BuildScript
{
    /// <summary>The variables by which Cake's build-system providers recognise a CI.</summary>
    public static readonly string[] CiVariables =
    [
        "GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITLAB_CI", "CI_SERVER", "TF_BUILD",
        "JENKINS_URL", "JENKINS_HOME", "TEAMCITY_VERSION", "APPVEYOR", "TRAVIS", "BITRISE_BUILD_URL", "BITBUCKET_BUILD_NUMBER",
        "GO_SERVER_URL", "bamboo_buildNumber", "BUILDKITE", "DRONE", "WOODPECKER_CI",
    ];

    public static async Task<ScriptRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null, params string[] args)
    {
        var env = new Dictionary<string, string?>
        {
            // Colour codes would get between the words the tests look for.
            ["NO_COLOR"] = "1",
            ["TERM"] = "dumb",
            // Tests must never pick up the developer's registry credentials or signing key.
            ["HANDOFF_REGISTRY_USERNAME"] = null,
            ["HANDOFF_REGISTRY_PASSWORD"] = null,
            ["HANDOFF_SIGNING_KEY"] = null,
            ["DOCKER_CONFIG"] = Path.Combine(workingDirectory, ".no-docker-config"),
        };
        // Run on a real CI runner, the graph would otherwise detect it and write into the runner's own
        // step outputs and job summary; a test that wants a CI sets its variables explicitly.
        foreach (var name in CiVariables)
        {
            env[name] = null;
        }
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                env[key] = value;
            }
        }

        var result = await Exec.RunAsync(RepoPaths.InRepo("build.sh"), [.. args, $"--working={workingDirectory}"],
            new ExecOptions { Environment = env, Timeout = TimeSpan.FromMinutes(8) });
        return new ScriptRun(result.ExitCode, result.StandardOutput + result.StandardError);
    }

    public static Task<ScriptRun> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);

    /// <summary>
    /// Makes <paramref name="directory"/> an app repository with one commit: Publish names the source
    /// commit in tags and provenance, as it would in a real checkout.
    /// </summary>
    public static void InitAppRepository(string directory)
    {
        Exec.Run("git", ["-C", directory, "init", "-q", "-b", "main"]).EnsureSuccess();
        Exec.Run("git", ["-C", directory, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "app"]).EnsureSuccess();
    }
}
