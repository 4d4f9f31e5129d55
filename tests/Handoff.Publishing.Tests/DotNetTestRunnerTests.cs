using Handoff.Publishing;
using Handoff.Testing;

namespace Handoff.Publishing.Tests;

public class DotNetTestRunnerTests
{
    [Test]
    public async Task A_failing_test_is_named_with_its_message_and_counts_come_from_TRX()
    {
        using var dir = new TempDirectory("trx");
        dir.Write("Sample.Tests/Sample.Tests.csproj", TestProjects.NUnitProject);
        dir.Write("Sample.Tests/Tests.cs", """
            using NUnit.Framework;
            public class Checks
            {
                [Test] public void Adds() => Assert.That(1 + 1, Is.EqualTo(2));
                [Test] public void Subtracts_wrongly() => Assert.That(3 - 1, Is.EqualTo(1), "subtraction is broken");
                [Test, Ignore("not today")] public void Later() { }
            }
            """);

        var report = await DotNetTestRunner.RunAsync(new TestRunRequest([dir.Combine("Sample.Tests/Sample.Tests.csproj")], dir.Combine("results")) { Configuration = "Debug" });

        Assert.That((report.Passed, report.Failed, report.Skipped), Is.EqualTo((1, 1, 1)));
        Assert.That(report.Failures.Single().Name, Is.EqualTo("Subtracts_wrongly"));
        Assert.That(report.Failures.Single().Message, Does.Contain("subtraction is broken"));
    }

    [Test]
    public void No_projects_is_an_error_that_says_how_to_point_at_them()
    {
        var ex = Assert.ThrowsAsync<HandoffException>(() => DotNetTestRunner.RunAsync(new TestRunRequest([], Path.GetTempPath())));
        Assert.That(ex!.Message, Does.Contain("--tests=GLOB"));
    }

    [Test]
    public void A_project_that_does_not_build_is_reported_as_not_run()
    {
        using var dir = new TempDirectory("trx");
        dir.Write("Broken/Broken.csproj", TestProjects.NUnitProject);
        dir.Write("Broken/Code.cs", "this is not C#");
        var ex = Assert.ThrowsAsync<HandoffException>(() => DotNetTestRunner.RunAsync(new TestRunRequest([dir.Combine("Broken/Broken.csproj")], dir.Combine("results"))));
        Assert.That(ex!.Message, Does.Contain("Tests could not run").And.Contain("Broken.csproj"));
    }

    [Test]
    public void A_project_that_is_not_a_test_project_is_not_silently_ignored()
    {
        using var dir = new TempDirectory("trx");
        dir.Write("Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
        var ex = Assert.ThrowsAsync<HandoffException>(() => DotNetTestRunner.RunAsync(new TestRunRequest([dir.Combine("Lib/Lib.csproj")], dir.Combine("results"))));
        Assert.That(ex!.Message, Does.Contain("not a test project"));
    }

    [Test]
    public void A_corrupt_TRX_names_the_file_and_line()
    {
        using var dir = new TempDirectory("trx");
        var path = dir.Write("bad.trx", "<TestRun>\n<Results>\n<oops\n");
        var ex = Assert.Throws<InputFileException>(() => TrxReport.Load(path));
        Assert.That(ex!.Message, Does.StartWith(path + ":"));
    }
}
