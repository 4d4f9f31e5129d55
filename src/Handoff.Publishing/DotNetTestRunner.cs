namespace Handoff.Publishing;

public sealed record TestRunRequest(IReadOnlyList<string> Projects, string ResultsDirectory)
{
    public string Configuration { get; init; } = "Release";
    public string? WorkingDirectory { get; init; }
    public Action<string>? OnOutput { get; init; }
    /// <summary>Skip the build (the caller built the solution once already).</summary>
    public bool NoBuild { get; init; }
    /// <summary>How many projects run at once; each is its own test host process.</summary>
    public int MaxParallel { get; init; } = 1;
    /// <summary>Report a project that produced no results as one failed test (a suite runner keeps counting) instead of throwing.</summary>
    public bool CountUnrunProjectsAsFailures { get; init; }
}

/// <summary>
/// Runs <c>dotnet test</c> per project with a TRX logger and reads the verdict from the TRX files
/// rather than from console text, so the failed tests can be named exactly.
/// </summary>
public static class DotNetTestRunner
{
    public static async Task<TrxReport> RunAsync(TestRunRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Projects.Count == 0)
        {
            throw new HandoffException("No test projects found. Pass --tests=GLOB (e.g. --tests=tests/**/*.csproj) or set 'tests' in the [Handoff] section of cake.config.");
        }

        var resultsRoot = Path.GetFullPath(request.ResultsDirectory);
        if (Directory.Exists(resultsRoot))
        {
            // Stale TRX files from an earlier run would be counted again.
            Directory.Delete(resultsRoot, recursive: true);
        }

        Directory.CreateDirectory(resultsRoot);
        var reports = new List<TrxReport>();
        var crashed = new List<string>();
        using var gate = new SemaphoreSlim(Math.Max(1, request.MaxParallel));
        var runs = request.Projects.Select(async project =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var trx = Path.Combine(resultsRoot, Path.GetFileNameWithoutExtension(project) + ".trx");
                List<string> args = ["test", project, "-c", request.Configuration, "--nologo", "--logger", $"trx;LogFileName={trx}", "--results-directory", resultsRoot];
                if (request.NoBuild)
                {
                    args.Add("--no-build");
                }

                var result = await Exec.RunAsync("dotnet", args, new ExecOptions { WorkingDirectory = request.WorkingDirectory, OnOutput = request.OnOutput }, cancellationToken);
                return (project, trx, result);
            }
            finally
            {
                gate.Release();
            }
        }).ToList();

        foreach (var (project, trx, result) in await Task.WhenAll(runs))
        {
            if (File.Exists(trx))
            {
                reports.Add(TrxReport.Load(trx));
            }
            else if (!result.Succeeded)
            {
                // No TRX means the project did not build or the host crashed before running tests.
                crashed.Add($"{project}: dotnet test exited with {result.ExitCode} before producing results:\n{Tail(result.StandardOutput + result.StandardError)}");
            }
            else
            {
                // dotnet test quietly does nothing for a project that is not a test project.
                crashed.Add($"{project}: produced no test results; it is not a test project (no Microsoft.NET.Test.Sdk / IsTestProject). Narrow --tests to test projects.");
            }
        }

        if (request.CountUnrunProjectsAsFailures && crashed.Count > 0)
        {
            reports.Add(new TrxReport(0, crashed.Count, 0, crashed.Select(c => new FailedTest(c.Split(':')[0], c)).ToList()));
            crashed.Clear();
        }

        var merged = TrxReport.Merge(reports);
        if (crashed.Count > 0)
        {
            throw new HandoffException("Tests could not run:\n" + string.Join("\n", crashed));
        }

        return merged;
    }

    private static string Tail(string text) => string.Join('\n', text.TrimEnd().Split('\n').TakeLast(25));
}
