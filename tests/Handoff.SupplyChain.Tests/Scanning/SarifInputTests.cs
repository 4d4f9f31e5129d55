using System.Text.Json.Nodes;
using Handoff.SupplyChain.Scanning;
using Handoff.SupplyChain.Tests.Support;
using Handoff.Testing;

namespace Handoff.SupplyChain.Tests.Scanning;

public class SarifInputTests
{
    private static string Report(string name) => Path.Combine(RepoPaths.Shared("scan-reports", "trivy"), name);

    [Test]
    public void Trivy_sarif_gives_the_same_findings_as_the_trivy_json_of_the_same_scan()
    {
        var sarif = SarifReportParser.Parse(Report("alpine-310.sarif"));
        var json = TrivyReportFacts.Vulnerabilities(Report("alpine-310.json"));

        var source = sarif.Single();
        Assert.That(source.Tool, Is.EqualTo("Trivy"));
        Assert.That(source.Findings.Select(f => (f.Id, f.Package, f.InstalledVersion, f.FixedVersion, f.Severity.Label())),
            Is.EquivalentTo(json.Select(v => (v.Id, (string?)v.Package, (string?)v.Installed, v.Fixed, v.Severity))));
    }

    [Test]
    public void Severity_comes_from_security_severity_score_then_tags_then_level()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("generic.sarif", """
            {
              "version": "2.1.0",
              "runs": [{
                "tool": { "driver": { "name": "CodeScanner", "rules": [
                  { "id": "R1", "properties": { "security-severity": "9.8" } },
                  { "id": "R2", "properties": { "tags": ["security", "HIGH"] } },
                  { "id": "R3", "defaultConfiguration": { "level": "note" } }
                ] } },
                "results": [
                  { "ruleId": "R1", "level": "note", "message": { "text": "x" }, "locations": [{ "physicalLocation": { "artifactLocation": { "uri": "src/a.cs" }, "region": { "startLine": 7 } } }] },
                  { "ruleId": "R2", "message": { "text": "y" }, "properties": { "FixedVersion": "2.0.0", "PkgName": "lib" } },
                  { "ruleId": "R3", "message": { "text": "z" } },
                  { "ruleId": "R4", "level": "error", "message": { "text": "w" } },
                  { "ruleId": "R5", "message": { "text": "accepted by the scanner's user" }, "properties": { "security-severity": "9.1", "FixedVersion": "1.2.3", "PkgName": "libz" },
                    "suppressions": [{ "kind": "inSource", "justification": "not reachable" }] }
                ]
              }]
            }
            """);

        var source = SarifReportParser.Parse(path).Single();

        var byRule = source.Findings.ToDictionary(f => f.Id);
        Assert.That(byRule["R1"].Severity, Is.EqualTo(Severity.Critical));
        Assert.That(byRule["R1"].Target, Is.EqualTo("src/a.cs"));
        Assert.That(byRule["R1"].Line, Is.EqualTo(7));
        Assert.That(byRule["R1"].Fix, Is.EqualTo(FixState.Unknown));
        Assert.That(byRule["R2"].Severity, Is.EqualTo(Severity.High));
        Assert.That((byRule["R2"].Fix, byRule["R2"].FixedVersion, byRule["R2"].Package), Is.EqualTo((FixState.Fixed, "2.0.0", "lib")));
        Assert.That(byRule["R3"].Severity, Is.EqualTo(Severity.Low));
        Assert.That(byRule["R4"].Severity, Is.EqualTo(Severity.High));
        Assert.That(source.Findings, Has.Count.EqualTo(5), "a result suppressed inside the SARIF file is still a finding");

        // Unknown fix counts as fixable: the generic CRITICAL blocks under the default policy.
        var verdict = ScanGate.Evaluate([source], ScanPolicy.Default, ScanAllowlist.Empty, new DateOnly(2026, 1, 1));
        Assert.That(verdict.BlockingFindings.Select(f => f.Id), Is.EquivalentTo(new[] { "R1", "R2", "R4", "R5" }));
    }

    [Test]
    public void A_suppression_inside_the_SARIF_file_is_ignored_and_only_the_allowlist_lets_the_finding_through()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("suppressed.sarif", """
            {
              "version": "2.1.0",
              "runs": [{
                "tool": { "driver": { "name": "CodeScanner", "rules": [{ "id": "CVE-2026-0001", "properties": { "security-severity": "9.8" } }] } },
                "results": [
                  { "ruleId": "CVE-2026-0001", "message": { "text": "x" }, "properties": { "PkgName": "libz", "InstalledVersion": "1.0", "FixedVersion": "1.1" },
                    "suppressions": [{ "kind": "external", "status": "accepted", "justification": "trust me" }] }
                ]
              }]
            }
            """);
        var source = SarifReportParser.Parse(path).Single();

        var blocked = ScanGate.Evaluate([source], ScanPolicy.Default, ScanAllowlist.Empty, new DateOnly(2026, 1, 1));

        Assert.That(blocked.Blocked, Is.True, "a fixable CRITICAL blocks even when the SARIF file marks it suppressed");
        Assert.That(blocked.BlockingFindings.Single().Id, Is.EqualTo("CVE-2026-0001"));
        Assert.That(blocked.Messages, Has.Some.Contains("ignored the in-SARIF suppression of 1 result(s) (CVE-2026-0001)").And.Some.Contains(".handoff/scan-allowlist.yaml"));
        Assert.That(ScanMarkdown.Render(blocked), Does.Contain("in-SARIF suppression"), "the summary shows it too");

        var allowlistPath = dir.Write("scan-allowlist.yaml", """
            allow:
              - id: CVE-2026-0001
                package: libz
                reason: not reachable from the app
                expires: 2026-06-30
                approvedBy: security@example.com
            """);
        var allowed = ScanGate.Evaluate([source], ScanPolicy.Default, ScanAllowlistLoader.Load(allowlistPath), new DateOnly(2026, 1, 1));

        Assert.That(allowed.Blocked, Is.False, string.Join(" ", allowed.BlockReasons));
        Assert.That(allowed.Suppressed.Single().Entry.Reason, Is.EqualTo("not reachable from the app"));
    }

    [Test]
    public void A_run_that_did_not_execute_is_reported_as_not_scanned()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("failed.sarif", """
            { "version": "2.1.0", "runs": [{ "tool": { "driver": { "name": "Grype" } },
              "invocations": [{ "executionSuccessful": false, "toolExecutionNotifications": [{ "message": { "text": "db unavailable" } }] }],
              "results": [] }] }
            """);

        var source = SarifReportParser.Parse(path).Single();
        var verdict = ScanGate.Evaluate([source], ScanPolicy.Default, ScanAllowlist.Empty, new DateOnly(2026, 1, 1));

        Assert.That(source.Ran, Is.False);
        Assert.That(source.NotRunReason, Does.Contain("db unavailable"));
        Assert.That(verdict.Blocked, Is.True, "no source produced data: never a clean pass");
        Assert.That(verdict.Outcome, Is.Not.EqualTo("passed"));
    }

    [Test]
    public void The_same_findings_from_json_and_sarif_are_counted_once()
    {
        var sources = new List<ScanSource> { TrivyReportParser.Parse(Report("alpine-310.json")) };
        sources.AddRange(SarifReportParser.Parse(Report("alpine-310.sarif")));

        var verdict = ScanGate.Evaluate(sources, ScanPolicy.Default, ScanAllowlist.Empty, new DateOnly(2026, 1, 1));

        Assert.That(verdict.Findings, Has.Count.EqualTo(TrivyReportFacts.Vulnerabilities(Report("alpine-310.json")).Count));
    }

    [Test]
    public void Format_is_detected_from_content_not_file_name()
    {
        using var dir = new TempDirectory();
        var copy = dir.Write("report.txt", File.ReadAllText(Report("alpine-310.sarif")));

        Assert.That(ScanReportReader.Detect(JsonNode.Parse(File.ReadAllText(copy))!, copy), Is.EqualTo(ReportFormat.Sarif));
        Assert.That(ScanReportReader.Detect(JsonNode.Parse(File.ReadAllText(Report("npm.json")))!, "npm.json"), Is.EqualTo(ReportFormat.Trivy));
        var unknown = dir.Write("other.json", """{ "hello": 1 }""");
        Assert.That(() => ScanReportReader.ReadAsync(unknown, null), Throws.InstanceOf<InputFileException>().With.Message.Contains("not a scan report"));
    }
}
