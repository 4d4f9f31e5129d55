using Handoff.SupplyChain.Scanning;
using Handoff.SupplyChain.Tests.Support;
using Handoff.Testing;

namespace Handoff.SupplyChain.Tests.Scanning;

public class TrivyReportGateTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    private static string Report(string name) => Path.Combine(RepoPaths.Shared("scan-reports", "trivy"), name);

    [TestCase("alpine-310.json")]
    [TestCase("centos-7.json")]
    [TestCase("debian-buster.json")]
    [TestCase("distroless-base.json")]
    [TestCase("dotnet.json")]
    [TestCase("npm.json")]
    [TestCase("nuget.json")]
    public void Default_policy_verdict_and_counts_match_the_report(string file)
    {
        var path = Report(file);
        var expected = TrivyReportFacts.Vulnerabilities(path);

        var verdict = ScanGate.Evaluate([TrivyReportParser.Parse(path)], ScanPolicy.Default, ScanAllowlist.Empty, Today);

        foreach (var severity in Severities.WorstFirst)
        {
            var ofSeverity = expected.Where(v => v.Severity == severity.Label()).ToList();
            var count = verdict.CountOf(severity);
            Assert.That(count.Fixable, Is.EqualTo(ofSeverity.Count(v => v.Fixed is not null)), $"{severity} with fix");
            Assert.That(count.NoFix, Is.EqualTo(ofSeverity.Count(v => v.Fixed is null)), $"{severity} without fix");
            Assert.That(count.FixUnknown, Is.Zero, "Trivy always says whether a fix exists");
        }

        // Default policy: CRITICAL and HIGH with a fixed version block; everything else warns.
        var mustBlock = expected.Where(v => v.Severity is "CRITICAL" or "HIGH" && v.Fixed is not null).Select(v => (v.Id, v.Package)).ToHashSet();
        Assert.That(verdict.BlockingFindings.Select(f => (f.Id, f.Package!)).ToHashSet(), Is.EquivalentTo(mustBlock));
        Assert.That(verdict.Blocked, Is.EqualTo(mustBlock.Count > 0));
        Assert.That(verdict.WarningFindings, Has.Count.EqualTo(expected.Count - mustBlock.Count));
        Assert.That(verdict.Sources.Single().Ran, Is.True);

        foreach (var finding in verdict.BlockingFindings)
        {
            var source = expected.Single(v => v.Id == finding.Id && v.Package == finding.Package);
            Assert.That(finding.InstalledVersion, Is.EqualTo(source.Installed));
            Assert.That(finding.FixedVersion, Is.EqualTo(source.Fixed));
        }
    }

    [Test]
    public void A_critical_with_a_fix_blocks_and_a_low_without_a_fix_only_warns()
    {
        var path = Report("debian-buster.json");
        var facts = TrivyReportFacts.Vulnerabilities(path);
        var critical = facts.Single(v => v.Severity == "CRITICAL");
        var low = facts.Single(v => v.Severity == "LOW");
        Assert.That(critical.Fixed, Is.Not.Null, "fixture: the CRITICAL has a fix");
        Assert.That(low.Fixed, Is.Null, "fixture: the LOW has none");

        var verdict = ScanGate.Evaluate([TrivyReportParser.Parse(path)], ScanPolicy.Default, ScanAllowlist.Empty, Today);

        Assert.That(verdict.Blocked, Is.True);
        Assert.That(verdict.BlockingFindings.Single().Id, Is.EqualTo(critical.Id));
        Assert.That(verdict.WarningFindings.Single().Id, Is.EqualTo(low.Id));
        Assert.That(verdict.BlockReasons.Single(), Does.Contain(critical.Id).And.Contain("CRITICAL"));

        var markdown = ScanMarkdown.Render(verdict);
        Assert.That(markdown, Does.Contain("Vulnerability scan: blocked"));
        Assert.That(markdown, Does.Contain($"{critical.Installed} → {critical.Fixed}"));
        Assert.That(markdown, Does.Contain($"{low.Installed} → no fix"));
    }

    [Test]
    public void Centos_report_with_only_low_and_medium_passes_with_warnings()
    {
        var path = Report("centos-7.json");
        var facts = TrivyReportFacts.Vulnerabilities(path);
        Assert.That(facts.Select(f => f.Severity), Has.None.EqualTo("CRITICAL").And.None.EqualTo("HIGH"));

        var verdict = ScanGate.Evaluate([TrivyReportParser.Parse(path)], ScanPolicy.Default, ScanAllowlist.Empty, Today);

        Assert.That(verdict.Blocked, Is.False);
        Assert.That(verdict.Outcome, Is.EqualTo("passed with warnings"));
        Assert.That(verdict.WarningFindings, Has.Count.EqualTo(facts.Count));
    }

    [Test]
    public void Block_even_without_a_fix_blocks_the_unfixed_low()
    {
        using var dir = new TempDirectory();
        var policyPath = dir.Write(".handoff/scan.yaml", """
            version: 1
            severities:
              low: block
            """);
        var path = Report("centos-7.json");
        var unfixedLow = TrivyReportFacts.Vulnerabilities(path).Single(v => v.Severity == "LOW" && v.Fixed is null);

        var verdict = ScanGate.Evaluate([TrivyReportParser.Parse(path)], ScanPolicyLoader.Load(policyPath), ScanAllowlist.Empty, Today);

        Assert.That(verdict.Blocked, Is.True);
        Assert.That(verdict.BlockingFindings.Select(f => f.Id), Does.Contain(unfixedLow.Id));
        Assert.That(verdict.BlockingFindings.All(f => f.Severity == Severity.Low), Is.True);
    }

    [Test]
    public void Ignore_unfixed_drops_findings_without_a_fix_from_warnings_but_keeps_counting_them()
    {
        using var dir = new TempDirectory();
        var policyPath = dir.Write("scan.yaml", "ignoreUnfixed: true\n");
        var path = Report("distroless-base.json");
        var facts = TrivyReportFacts.Vulnerabilities(path);

        var verdict = ScanGate.Evaluate([TrivyReportParser.Parse(path)], ScanPolicyLoader.Load(policyPath), ScanAllowlist.Empty, Today);

        Assert.That(verdict.IgnoredCount, Is.EqualTo(facts.Count(f => f.Fixed is null)));
        Assert.That(verdict.WarningFindings, Has.Count.EqualTo(facts.Count(f => f.Fixed is not null)));
        Assert.That(verdict.Counts.Sum(c => c.Total), Is.EqualTo(facts.Count));
    }

    [Test]
    public void Merging_several_reports_adds_their_findings_and_blocks_on_any()
    {
        var files = new[] { "alpine-310.json", "nuget.json", "npm.json" };
        var sources = files.Select(f => TrivyReportParser.Parse(Report(f))).ToList();
        var expected = files.SelectMany(f => TrivyReportFacts.Vulnerabilities(Report(f))).ToList();

        var verdict = ScanGate.Evaluate(sources, ScanPolicy.Default, ScanAllowlist.Empty, Today);

        Assert.That(verdict.Findings, Has.Count.EqualTo(expected.Count));
        Assert.That(verdict.Blocked, Is.EqualTo(expected.Any(v => v.Severity is "HIGH" or "CRITICAL" && v.Fixed is not null)));
        Assert.That(verdict.Sources.Select(s => s.Findings), Is.EqualTo(files.Select(f => TrivyReportFacts.Vulnerabilities(Report(f)).Count)));
    }

    [Test]
    public void A_report_of_another_schema_version_is_rejected_with_the_file_and_fix()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("old.json", """{ "SchemaVersion": 1, "Results": [] }""");

        var ex = Assert.Throws<InputFileException>(() => TrivyReportParser.Parse(path))!;

        Assert.That(ex.Message, Does.StartWith(path).And.Contain("SchemaVersion 1").And.Contain("trivy image --format json"));
    }

    [Test]
    public void Broken_json_names_line_and_column()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("broken.json", "{\n  \"SchemaVersion\": 2,\n  \"Results\": [ oops ]\n}\n");

        var ex = Assert.ThrowsAsync<InputFileException>(() => ScanReportReader.ReadAsync(path, null))!;

        Assert.That(ex.Line, Is.EqualTo(3));
        Assert.That(ex.Message, Does.StartWith($"{path}:3:"));
    }
}
