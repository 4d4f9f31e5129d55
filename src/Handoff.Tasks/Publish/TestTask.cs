using Cake.Common.IO;
using Handoff.Frosting;
using Handoff.Publishing;

namespace Handoff.Tasks.Publish;

[TaskName("Test")]
[TaskDescription("Runs the app's test projects (dotnet test, TRX results in artifacts/test-results); a failure stops the graph and names the failed tests.")]
public sealed class TestTask : AsyncFrostingTask<HandoffContext>
{
    public override bool ShouldRun(HandoffContext context) => !context.Parameters.Flag("skip-tests") && !CaptureDigestTask.IsStandalone(context);

    public override async Task RunAsync(HandoffContext context)
    {
        var patterns = context.Parameters.Get("tests", "**/*Tests.csproj").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var projects = patterns.SelectMany(p => context.GetFiles(context.InRoot(p))).Select(f => f.FullPath).Distinct().Order(StringComparer.Ordinal).ToList();
        context.Info($"Testing {projects.Count} project(s): {string.Join(", ", projects.Select(p => Path.GetRelativePath(context.RootDirectory, p)))}");
        var report = await DotNetTestRunner.RunAsync(new TestRunRequest(projects, context.Artifact("test-results"))
        {
            WorkingDirectory = context.RootDirectory,
            OnOutput = context.Verbose,
        });
        context.Publish.Tests = report;
        context.Info($"Tests: {report.Summary}.");
        if (report.Failed > 0)
        {
            foreach (var failure in report.Failures)
            {
                context.Warn($"FAILED {failure.Name}: {failure.Message?.Split('\n')[0]}");
            }

            throw new HandoffException($"{report.Failed} test(s) failed: {string.Join(", ", report.Failures.Select(f => f.Name))}. Results: {Path.GetRelativePath(context.RootDirectory, context.Artifact("test-results"))}/*.trx");
        }

        if (report.Total == 0)
        {
            throw new HandoffException($"The test projects ran no tests ({string.Join(", ", patterns)}). A release without tests is not a release: add tests or pass --skip-tests explicitly.");
        }
    }
}
