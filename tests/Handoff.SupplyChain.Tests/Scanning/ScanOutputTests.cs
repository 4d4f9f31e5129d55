using System.Text.Json.Nodes;
using Handoff.SupplyChain.Scanning;
using Handoff.SupplyChain.Tests.Support;
using Handoff.Testing;

namespace Handoff.SupplyChain.Tests.Scanning;

public class ScanOutputTests
{
    private static string Report(string name) => Path.Combine(RepoPaths.Shared("scan-reports", "trivy"), name);

    [Test]
    public void Merged_sarif_has_one_run_per_tool_with_levels_from_the_gate()
    {
        using var dir = new TempDirectory();
        var sarifInput = dir.Write("codeql.sarif", """
            { "version": "2.1.0", "runs": [{ "tool": { "driver": { "name": "CodeQL", "rules": [{ "id": "cs/sql-injection", "properties": { "security-severity": "8.8" } }] } },
              "results": [{ "ruleId": "cs/sql-injection", "message": { "text": "SQL built from user input" },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": "src/Db.cs" }, "region": { "startLine": 42 } } }] }] }] }
            """);
        var sources = new List<ScanSource>
        {
            TrivyReportParser.Parse(Report("debian-buster.json")),
            TrivyReportParser.Parse(Report("npm.json")),
            ScanSource.DidNotRun("trivy image app.tar", "Trivy", "offline"),
        };
        sources.AddRange(SarifReportParser.Parse(sarifInput));
        var verdict = ScanGate.Evaluate(sources, ScanPolicy.Default, ScanAllowlist.Empty, new DateOnly(2026, 1, 1));

        var sarif = JsonNode.Parse(SarifWriter.ToText(verdict))!;

        Assert.That((string?)sarif["version"], Is.EqualTo("2.1.0"));
        var runs = sarif["runs"]!.AsArray();
        Assert.That(runs.Select(r => (string?)r!["tool"]!["driver"]!["name"]), Is.EqualTo(new[] { "Trivy", "CodeQL" }));

        var trivy = runs[0]!;
        var expected = TrivyReportFacts.Vulnerabilities(Report("debian-buster.json")).Concat(TrivyReportFacts.Vulnerabilities(Report("npm.json"))).ToList();
        var results = trivy["results"]!.AsArray();
        Assert.That(results, Has.Count.EqualTo(expected.Count));
        var rules = trivy["tool"]!["driver"]!["rules"]!.AsArray();
        foreach (var result in results)
        {
            var rule = rules[(int)result!["ruleIndex"]!]!;
            Assert.That((string?)rule["id"], Is.EqualTo((string?)result["ruleId"]), "ruleIndex points at the rule");
            Assert.That(double.Parse((string)rule["properties"]!["security-severity"]!, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(0));
            Assert.That((string?)result["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"], Is.Not.Empty);
        }

        var critical = expected.Single(v => v.Severity == "CRITICAL");
        Assert.That((string?)results.Single(r => (string?)r!["ruleId"] == critical.Id)!["level"], Is.EqualTo("error"), "blocking findings are errors");
        Assert.That(results.Count(r => (string?)r!["level"] == "warning"), Is.EqualTo(expected.Count - 1));
        Assert.That((string?)trivy["invocations"]![0]!["toolExecutionNotifications"]![0]!["message"]!["text"], Does.Contain("did not scan: offline"));

        var codeql = runs[1]!["results"]![0]!;
        Assert.That((int?)codeql["locations"]![0]!["physicalLocation"]!["region"]!["startLine"], Is.EqualTo(42));
        Assert.That((string?)codeql["level"], Is.EqualTo("error"));
    }

    [Test]
    public async Task Scan_command_reads_the_app_repository_policy_writes_artifacts_and_returns_the_exit_code()
    {
        using var repo = new TempDirectory("app-repo");
        var critical = TrivyReportFacts.Vulnerabilities(Report("debian-buster.json")).Single(v => v.Severity == "CRITICAL");
        repo.Write(".handoff/scan.yaml", "version: 1\nseverities:\n  medium: block-fixable\n");
        repo.Write(".handoff/scan-allowlist.yaml", $"""
            allow:
              - id: {critical.Id}
                reason: accepted for this test
                expires: 2030-01-01
                approvedBy: lead@example.com
            """);
        var output = new StringWriter();

        var result = await ScanCommand.RunAsync(new ScanOptions
        {
            RepositoryRoot = repo.Path,
            Reports = [Report("debian-buster.json"), Report("alpine-310.json")],
            ArtifactsDirectory = repo.Combine("artifacts"),
            Today = new DateOnly(2026, 1, 1),
        }, output);

        // alpine's MEDIUM findings all have fixes and the policy now blocks fixable MEDIUMs.
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Verdict.BlockingFindings.All(f => f.Severity == Severity.Medium), Is.True);
        Assert.That(result.Verdict.Suppressed.Single().Finding.Id, Is.EqualTo(critical.Id));
        Assert.That(File.Exists(result.SarifPath) && File.Exists(result.MarkdownPath), Is.True);
        Assert.That(JsonNode.Parse(File.ReadAllText(result.SarifPath))!["runs"]!.AsArray(), Has.Count.EqualTo(1));
        var text = output.ToString();
        Assert.That(text, Does.Contain($"suppressed {critical.Id}").And.Contain("lead@example.com"));
        Assert.That(text, Does.Contain("scan: BLOCKED:"));
        Assert.That((string?)result.ReleaseJson["policy"]!["origin"], Does.EndWith("scan.yaml"));

        // Re-running gives the same files (idempotent) and nothing half-written.
        var before = File.ReadAllText(result.SarifPath);
        await ScanCommand.RunAsync(new ScanOptions
        {
            RepositoryRoot = repo.Path,
            Reports = [Report("debian-buster.json"), Report("alpine-310.json")],
            ArtifactsDirectory = repo.Combine("artifacts"),
            Today = new DateOnly(2026, 1, 1),
        }, TextWriter.Null);
        Assert.That(File.ReadAllText(result.SarifPath), Is.EqualTo(before));
        Assert.That(Directory.GetFiles(repo.Combine("artifacts")).Select(Path.GetFileName), Is.EquivalentTo(new[] { "scan.sarif", "scan.md" }));
    }

    [Test]
    public async Task The_gate_files_nearest_to_the_project_win_up_to_the_repository_root()
    {
        using var repo = new TempDirectory("monorepo");
        // The root blocks when no scanner ran; the app's own policy warns, and the root allowlist covers every app.
        repo.Write(".handoff/scan.yaml", "version: 1\nwhenNoScanRan: block\n");
        repo.Write(".handoff/scan-allowlist.yaml", "allow: []\n");
        repo.Write("apps/web/.handoff/scan.yaml", "version: 1\nwhenNoScanRan: warn\n");
        var project = repo.Combine("apps", "web", "src", "Web");
        Directory.CreateDirectory(project);
        Task<ScanCommandResult> Scan(string? projectDirectory, string? policyPath = null, TextWriter? output = null) => ScanCommand.RunAsync(new ScanOptions
        {
            RepositoryRoot = repo.Path,
            ProjectDirectory = projectDirectory,
            PolicyPath = policyPath,
            ArtifactsDirectory = repo.Combine("artifacts"),
        }, output ?? TextWriter.Null);

        var output = new StringWriter();
        var app = await Scan(project, output: output);
        Assert.That(app.Verdict.Policy.Origin, Is.EqualTo(repo.Combine("apps", "web", ".handoff", "scan.yaml")));
        Assert.That(app.ExitCode, Is.Zero, "the app's policy warns when no scanner ran");
        Assert.That(output.ToString(), Does.Contain($"scan: policy {repo.Combine("apps", "web", ".handoff", "scan.yaml")}")
            .And.Contain($"scan: allowlist {repo.Combine(".handoff", "scan-allowlist.yaml")}"), "the root allowlist, the only one on the way up");

        var other = await Scan(repo.Combine("apps", "api"));
        Assert.That((other.Verdict.Policy.Origin, other.ExitCode), Is.EqualTo((repo.Combine(".handoff", "scan.yaml"), 1)), "an app without its own policy gets the root's");

        using var outside = new TempDirectory("elsewhere");
        outside.Write(".handoff/scan.yaml", "version: 1\nwhenNoScanRan: warn\n");
        var foreign = await Scan(outside.Path);
        Assert.That(foreign.Verdict.Policy.Origin, Is.EqualTo(repo.Combine(".handoff", "scan.yaml")), "a project outside the repository does not bring its gate");

        var given = await Scan(project, policyPath: repo.Combine(".handoff", "scan.yaml"));
        Assert.That(given.Verdict.Policy.Origin, Is.EqualTo(repo.Combine(".handoff", "scan.yaml")), "--scan-policy overrides the lookup");
    }
}
