using Handoff;
using Handoff.Frosting;
using Handoff.Publishing;
using Handoff.Tasks;

namespace Handoff.Build.Targets;

[TaskName("InstallTestDependencies")]
[TaskDescription("Installs what the test suite runs for real: docker-registry, htpasswd, prometheus (apt, as root), helm/kubectl/trivy into tools/bin.")]
public sealed class InstallTestDependenciesTask : AsyncFrostingTask<HandoffContext>
{
    public override async Task RunAsync(HandoffContext context)
    {
        var result = await Exec.RunAsync("bash", [Path.Combine(context.HandoffHome, "tools", "install-test-deps.sh")], new ExecOptions { OnOutput = context.Info });
        result.EnsureSuccess("Installing test dependencies");
    }
}

[TaskName("SelfTest")]
[TaskDescription("Builds Build.sln and runs every test project of Handoff itself; ends with 'N passed, N failed, N skipped' (also in artifacts/self-test/summary.txt).")]
[IsDependentOn(typeof(InstallTestDependenciesTask))]
public sealed class SelfTestTask : AsyncFrostingTask<HandoffContext>
{
    public override async Task RunAsync(HandoffContext context)
    {
        (await Exec.RunAsync("dotnet", ["build", context.InRoot("Build.sln"), "-c", "Release", "--nologo", "-v", "quiet", "-clp:ErrorsOnly"],
            new ExecOptions { OnOutput = context.Info })).EnsureSuccess("Building Build.sln");

        // The solution decides what is part of Handoff: a test project on disk but not in Build.sln is not built, so not run.
        var listed = await Exec.RunAsync("dotnet", ["sln", context.InRoot("Build.sln"), "list"]);
        var filter = context.Parameters.Get("projects", "tests/*.Tests/*.Tests.csproj");
        var projects = listed.EnsureSuccess("Listing Build.sln").StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => p.EndsWith(".Tests.csproj", StringComparison.Ordinal))
            .Select(p => p.Replace('\\', '/'))
            .Where(p => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(filter, p))
            .Select(context.InRoot)
            .Order(StringComparer.Ordinal)
            .ToList();
        context.Info($"Running {projects.Count} test projects...");
        var report = await DotNetTestRunner.RunAsync(new TestRunRequest(projects, context.Artifact("self-test"))
        {
            WorkingDirectory = context.RootDirectory,
            NoBuild = true,
            CountUnrunProjectsAsFailures = true,
            MaxParallel = int.Parse(context.Parameters.Get("parallel", "2"), System.Globalization.CultureInfo.InvariantCulture),
            OnOutput = line =>
            {
                // Per-assembly verdict lines and failures are worth seeing live; the rest is noise.
                if (line.Contains("Passed!", StringComparison.Ordinal) || line.Contains("Failed", StringComparison.Ordinal) || line.Contains("error", StringComparison.Ordinal))
                {
                    context.Info(line.Trim());
                }
            },
        });
        foreach (var failure in report.Failures)
        {
            context.Warn($"FAILED {failure.Name}: {failure.Message?.Split('\n')[0]}");
        }

        var summary = $"{report.Passed} passed, {report.Failed} failed, {report.Skipped} skipped";
        File.WriteAllText(context.Artifact("self-test", "summary.txt"), summary + "\n");
        context.Info(summary);
        if (report.Failed > 0)
        {
            throw new HandoffException($"{report.Failed} test(s) failed: {string.Join(", ", report.Failures.Select(f => f.Name).Take(20))}");
        }
    }
}
