using System.Text.Json.Nodes;
using Handoff.SupplyChain.Scanning;
using Handoff.SupplyChain.Tests.Support;
using Handoff.Testing;

namespace Handoff.SupplyChain.Tests.Scanning;

public class AllowlistTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    private static ScanSource Debian() => TrivyReportParser.Parse(Path.Combine(RepoPaths.Shared("scan-reports", "trivy"), "debian-buster.json"));

    private static TrivyVuln Critical() =>
        TrivyReportFacts.Vulnerabilities(Path.Combine(RepoPaths.Shared("scan-reports", "trivy"), "debian-buster.json")).Single(v => v.Severity == "CRITICAL");

    [Test]
    public void An_approved_exception_suppresses_the_blocking_finding_and_is_listed()
    {
        var critical = Critical();
        using var dir = new TempDirectory();
        var path = dir.Write("scan-allowlist.yaml", $"""
            # exceptions approved by the security team
            allow:
              - id: {critical.Id}
                package: {critical.Package}
                reason: "Only reachable through a feature we compile out | see SEC-12"
                expires: 2026-12-31
                approvedBy: security@example.com
            """);

        var verdict = ScanGate.Evaluate([Debian()], ScanPolicy.Default, ScanAllowlistLoader.Load(path), Today);

        Assert.That(verdict.Blocked, Is.False);
        var suppressed = verdict.Suppressed.Single();
        Assert.That(suppressed.Finding.Id, Is.EqualTo(critical.Id));
        Assert.That(suppressed.Entry.Line, Is.EqualTo(3));
        Assert.That(verdict.CountOf(Severity.Critical).Total, Is.Zero, "suppressed findings are not active");

        var markdown = ScanMarkdown.Render(verdict);
        Assert.That(markdown, Does.Contain("Suppressed by approved exceptions").And.Contain(critical.Id).And.Contain("security@example.com"));
        Assert.That(markdown, Does.Contain("compile out \\| see SEC-12"), "a pipe in the reason must not break the table");

        var json = ScanJson.ToJson(verdict);
        Assert.That((string?)json["suppressed"]![0]!["approvedBy"], Is.EqualTo("security@example.com"));

        var sarif = SarifWriter.ToSarif(verdict);
        var result = sarif["runs"]![0]!["results"]!.AsArray().Single(r => (string?)r!["ruleId"] == critical.Id)!;
        Assert.That((string?)result["suppressions"]![0]!["status"], Is.EqualTo("accepted"));
    }

    [Test]
    public void An_exception_for_another_package_does_not_suppress()
    {
        var critical = Critical();
        using var dir = new TempDirectory();
        var path = dir.Write("a.yaml", $"""
            allow:
              - id: {critical.Id}
                package: some-other-package
                reason: wrong package
                expires: 2026-12-31
                approvedBy: someone
            """);

        var verdict = ScanGate.Evaluate([Debian()], ScanPolicy.Default, ScanAllowlistLoader.Load(path), Today);

        Assert.That(verdict.Blocked, Is.True);
        Assert.That(verdict.UnusedEntries, Has.Count.EqualTo(1));
    }

    [Test]
    public void An_expired_exception_fails_the_gate_naming_the_entry_and_its_line()
    {
        var critical = Critical();
        using var dir = new TempDirectory();
        var path = dir.Write("scan-allowlist.yaml", $"""
            allow:
              - id: CVE-0000-0001
                reason: still valid
                expires: 2026-06-01
                approvedBy: a@example.com
              - id: {critical.Id}
                reason: was accepted last year
                expires: 2026-05-31
                approvedBy: b@example.com
            """);

        var verdict = ScanGate.Evaluate([Debian()], ScanPolicy.Default, ScanAllowlistLoader.Load(path), Today);

        Assert.That(verdict.Blocked, Is.True);
        Assert.That(verdict.ExpiredEntries.Single().Id, Is.EqualTo(critical.Id), "valid through its expiry day, expired the day after");
        Assert.That(verdict.BlockReasons, Has.Some.Contains($"{path}:6").And.Some.Contains("expired on 2026-05-31"));
        Assert.That(verdict.BlockingFindings.Select(f => f.Id), Does.Contain(critical.Id), "an expired entry suppresses nothing");
    }

    [Test]
    public void An_unused_exception_is_a_warning_with_its_line()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("scan-allowlist.yaml", """
            allow:
              - id: CVE-1999-0001
                reason: old
                expires: 2027-01-01
                approvedBy: a@example.com
            """);

        var verdict = ScanGate.Evaluate([Debian()], ScanPolicy.Default, ScanAllowlistLoader.Load(path), Today);

        Assert.That(verdict.UnusedEntries.Single().Line, Is.EqualTo(2));
        Assert.That(verdict.Messages, Has.Some.Contains($"{path}:2").And.Some.Contains("matched no finding"));
        Assert.That(ScanMarkdown.Render(verdict), Does.Contain("Allowlist warnings"));
    }

    [TestCase("""
        allow:
          - id: CVE-2024-1
            reason: x
            expires: 2026-12-31
        """, 2, 5, "lacks approvedBy")]
    [TestCase("""
        allow:
          - id: CVE-2024-1
            reason: x
            expires: 31/12/2026
            approvedBy: me
        """, 4, 14, "not a date")]
    [TestCase("""
        allow:
          - id: CVE-2024-1
            reason: x
            expires: 2026-12-31
            approvedby: me
        """, 5, 5, "Did you mean 'approvedBy'")]
    [TestCase("""
        allow:
          - CVE-2024-1
        """, 2, 5, "must be a mapping")]
    [TestCase("""
        allow:
          - id: CVE-2024-1
            reason: [a, b]
        """, 3, 13, "single value")]
    [TestCase("""
        allow:
          - id: CVE-2024-1
           reason: x
        """, 3, 0, "not valid YAML")]
    [TestCase("""
        exceptions: []
        """, 1, 1, "unknown key 'exceptions'")]
    public void A_malformed_allowlist_names_file_line_column_and_the_fix(string yaml, int line, int column, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("scan-allowlist.yaml", yaml);

        var ex = Assert.Throws<InputFileException>(() => ScanAllowlistLoader.Load(path))!;

        Assert.That(ex.File, Is.EqualTo(path));
        Assert.That(ex.Line, Is.EqualTo(line));
        if (column > 0)
        {
            Assert.That(ex.Column, Is.EqualTo(column));
        }

        Assert.That(ex.Message, Does.Contain(problem));
        Assert.That(ex.Fix, Is.Not.Null.And.Not.Empty);
    }

    [Test]
    public void A_missing_allowlist_or_policy_file_means_none_and_defaults()
    {
        using var dir = new TempDirectory();
        Assert.That(ScanAllowlistLoader.Load(dir.Combine("nope.yaml")).Entries, Is.Empty);
        Assert.That(ScanPolicyLoader.Load(dir.Combine("nope.yaml")), Is.SameAs(ScanPolicy.Default));
    }

    [TestCase("severities:\n  high: stop\n", 2, 9, "'stop' is not an action")]
    [TestCase("severities:\n  severe: block\n", 2, 3, "unknown key 'severe'")]
    [TestCase("version: 2\n", 1, 10, "version is '2'")]
    [TestCase("ignoreUnfixed: maybe\n", 1, 16, "not a boolean")]
    [TestCase("whenNoScanRan: pass\n", 1, 16, "whenNoScanRan is 'pass'")]
    public void A_malformed_policy_names_file_line_column_and_the_fix(string yaml, int line, int column, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("scan.yaml", yaml);

        var ex = Assert.Throws<InputFileException>(() => ScanPolicyLoader.Load(path))!;

        Assert.That((ex.Line, ex.Column), Is.EqualTo((line, column)));
        Assert.That(ex.Message, Does.StartWith($"{path}:{line}:{column}:").And.Contain(problem));
    }

    [Test]
    public void Nothing_scanned_blocks_by_default_and_can_be_made_a_warning()
    {
        var blocked = ScanGate.Evaluate([], ScanPolicy.Default, ScanAllowlist.Empty, Today);
        Assert.That(blocked.Blocked, Is.True);
        Assert.That(blocked.BlockReasons.Single(), Does.Contain("nothing was checked"));

        using var dir = new TempDirectory();
        var lenient = ScanPolicyLoader.Load(dir.Write("scan.yaml", "whenNoScanRan: warn\n"));
        var warned = ScanGate.Evaluate([ScanSource.DidNotRun("trivy", "Trivy", "offline")], lenient, ScanAllowlist.Empty, Today);
        Assert.That(warned.Blocked, Is.False);
        Assert.That(warned.Outcome, Is.EqualTo("passed without scan data"));
        Assert.That(ScanMarkdown.Render(warned), Does.Contain("trivy: did not scan: offline"));
        Assert.That((bool?)ScanJson.ToJson(warned)["sources"]![0]!["ran"], Is.False);
    }

    [Test]
    public void Release_json_scan_object_carries_counts_blocking_and_sources()
    {
        var path = Path.Combine(RepoPaths.Shared("scan-reports", "trivy"), "debian-buster.json");
        var facts = TrivyReportFacts.Vulnerabilities(path);
        var verdict = ScanGate.Evaluate([TrivyReportParser.Parse(path)], ScanPolicy.Default, ScanAllowlist.Empty, Today);

        var json = ScanJson.ToJson(verdict);
        // Round trip through text: it must serialise.
        var reparsed = JsonNode.Parse(json.ToJsonString())!;

        Assert.That((bool?)reparsed["blocked"], Is.True);
        Assert.That((int?)reparsed["counts"]!["critical"]!["fixable"], Is.EqualTo(facts.Count(f => f.Severity == "CRITICAL" && f.Fixed is not null)));
        Assert.That((int?)reparsed["counts"]!["low"]!["noFix"], Is.EqualTo(facts.Count(f => f.Severity == "LOW" && f.Fixed is null)));
        Assert.That((string?)reparsed["blocking"]![0]!["id"], Is.EqualTo(facts.Single(f => f.Severity == "CRITICAL").Id));
        Assert.That((string?)reparsed["policy"]!["severities"]!["high"], Is.EqualTo("block-fixable"));
    }
}
