using Handoff.Testing;

namespace Handoff.Build.Tests;

public sealed record ScriptRun(int ExitCode, string Output)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}";
}

/// <summary>Runs ./build.sh exactly as a user or CI does: a separate process, the real compiled graph.</summary>
public static class BuildScript
{
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
}
