using System.Formats.Tar;
using Handoff.SupplyChain.Scanning;
using Handoff.Testing;

namespace Handoff.SupplyChain.Tests.Scanning;

public class TrivyRunnerTests
{
    [Test]
    public async Task Offline_trivy_reports_that_it_did_not_scan_and_the_given_reports_still_gate()
    {
        var trivy = Tools.Require("trivy", TrivyRunner.InstallHint);
        using var dir = new TempDirectory("trivy");
        var archive = dir.Combine("image.tar");
        await using (var tar = File.Create(archive))
        {
            await TarFile.CreateFromDirectoryAsync(Directory.CreateDirectory(dir.Combine("empty")).FullName, tar, includeBaseDirectory: false);
        }

        var source = await TrivyRunner.RunAsync(new TrivyRunOptions
        {
            ImageArchive = archive,
            TrivyPath = trivy,
            CacheDirectory = dir.Combine("cache"),
            Timeout = TimeSpan.FromMinutes(2),
        });

        // Without its database (no network here) trivy cannot scan; an empty archive is no image either.
        Assert.That(source.Ran, Is.False);
        Assert.That(source.NotRunReason, Is.Not.Empty);

        var report = TrivyReportParser.Parse(Path.Combine(RepoPaths.Shared("scan-reports", "trivy"), "alpine-310.json"));
        var verdict = ScanGate.Evaluate([source, report], ScanPolicy.Default, ScanAllowlist.Empty, new DateOnly(2026, 1, 1));
        Assert.That(verdict.Findings, Has.Count.EqualTo(report.Findings.Count));
        Assert.That(verdict.Messages, Has.Some.StartWith("trivy did not scan: ").And.Some.Contains("(image archive image.tar)"));
        Assert.That(verdict.Outcome, Is.EqualTo("passed with warnings"), "never a plain pass when a scanner did not run");
    }

    [Test]
    public async Task Missing_trivy_is_a_source_that_did_not_scan_with_the_install_hint()
    {
        using var dir = new TempDirectory();
        var source = await TrivyRunner.RunAsync(new TrivyRunOptions { ImageArchive = dir.Write("i.tar", ""), TrivyPath = dir.Combine("no-trivy") });

        Assert.That(source.Ran, Is.False);
        Assert.That(source.NotRunReason, Does.Contain("not installed").And.Contain("get-trivy.sh"));
    }

    [Test]
    public void The_failure_reason_names_the_database_download_when_trivy_stops_there()
    {
        var result = new ExecResult("trivy", [], 1,
            "",
            "2026-11-26T06:40:44Z\tINFO\t[vulndb] Need to update DB\n2026-11-26T06:40:44Z\tINFO\t[vulndb] Downloading vulnerability DB...\n2026-11-26T06:40:44Z\tINFO\t[vulndb] Downloading artifact...\trepo=\"mirror.gcr.io/aquasec/trivy-db:2\"\n");

        var reason = TrivyRunner.FailureReason(result);

        Assert.That(reason, Does.Contain("could not get its vulnerability database").And.Contain("exited with code 1"));
        var fatal = TrivyRunner.FailureReason(result with { StandardError = "2026-11-26T06:40:44Z\tFATAL\tFatal error\tinit error: DB error" });
        Assert.That(fatal, Is.EqualTo("exit code 1: Fatal error init error: DB error"));
    }
}
