using System.Text.Json.Nodes;
using System.Xml.Linq;
using Handoff.Reports;

namespace Handoff.DeliveryValidation.Tests.Support;

/// <summary>Reads what each report format says about a finding, independently of the writers' own code paths.</summary>
public static class ReportAssertions
{
    /// <summary>
    /// Asserts that an error of <paramref name="check"/>/<paramref name="ruleId"/> appears in every format: the console
    /// line, a SARIF result (with its location), a JUnit failure, a GitHub annotation, the Markdown summary and
    /// the GitLab code-quality report.
    /// Returns the finding.
    /// </summary>
    public static Finding AssertErrorEverywhere(ValidationRun run, string check, string ruleId, string? file = null, int? line = null, string? messageContains = null)
    {
        var result = run.Result;
        Assert.That(result.ExitCode, Is.EqualTo(1), run.Console);
        var finding = run.Errors.FirstOrDefault(f => f.Check == check && f.RuleId == ruleId && (file is null || f.File == file) && (line is null || f.Line == line));
        Assert.That(finding, Is.Not.Null, $"no {check}/{ruleId} error{(file is null ? "" : $" at {file}:{line}")} in:\n{run.Console}");
        if (messageContains is not null)
        {
            Assert.That(finding!.Message + " " + finding.Fix, Does.Contain(messageContains));
        }

        var where = finding!.Line > 0 ? $"{finding.File}:{finding.Line}" : finding.File;
        Assert.That(run.Console, Does.Contain($"error [{check}/{ruleId}]"), "console");
        Assert.That(run.Console.Split('\n').Any(l => l.StartsWith(where!, StringComparison.Ordinal) && l.Contains($"[{check}/{ruleId}]", StringComparison.Ordinal)), Is.True, $"console line at {where}:\n{run.Console}");

        var sarif = JsonNode.Parse(File.ReadAllText(result.Files!.Sarif))!;
        var sarifResult = sarif["runs"]![0]!["results"]!.AsArray().FirstOrDefault(r =>
            (string?)r!["ruleId"] == $"{check}/{ruleId}" && (string?)r["level"] == "error"
            && (string?)r["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"] == finding.File
            && (int?)r["locations"]![0]!["physicalLocation"]!["region"]!["startLine"] == Math.Max(1, finding.Line));
        Assert.That(sarifResult, Is.Not.Null, "SARIF result with the finding's location");

        var junit = XDocument.Load(result.Files.JUnit);
        var failure = junit.Descendants("failure").FirstOrDefault(f => (string?)f.Attribute("type") == $"{check}/{ruleId}");
        Assert.That(failure, Is.Not.Null, "JUnit failure");
        Assert.That(failure!.Value, Does.Contain(where!), "JUnit failure text names the location");

        Assert.That(run.Console.Split('\n').Any(l => l.StartsWith("::error ", StringComparison.Ordinal)
            && l.Contains($"file={finding.File}", StringComparison.Ordinal)
            && (finding.Line == 0 || l.Contains($"line={finding.Line}", StringComparison.Ordinal))
            && l.Contains($"{check}/{ruleId}", StringComparison.Ordinal)), Is.True, $"GitHub annotation for {where}:\n{run.Console}");

        Assert.That(File.ReadAllText(result.Files.Summary), Does.Contain($"{check}/{ruleId}").And.Contain("Delivery validation failed"), "summary.md");

        // gl-code-quality-report.json is written on GitLab CI only. A run elsewhere gets the same JSON from the
        // writer ReportSink uses there, for this report, so every error is also checked in that format.
        var gitLab = result.Files.GitLabCodeQuality is { } written
            ? File.ReadAllText(written)
            : ReportWriters.GitLabCodeQuality(run.Report, Delivery.Config.HandoffConfig.FileName);
        var issue = JsonNode.Parse(gitLab)!.AsArray().FirstOrDefault(i =>
            (string?)i!["check_name"] == $"{check}/{ruleId}" && (string?)i["severity"] == "critical"
            && (string?)i["location"]!["path"] == finding.File
            && (int?)i["location"]!["lines"]!["begin"] == Math.Max(1, finding.Line)
            && ((string?)i["description"])!.Contains(finding.Message, StringComparison.Ordinal));
        Assert.That(issue, Is.Not.Null, $"GitLab code-quality issue for {where}:\n{gitLab}");
        Assert.That((string?)issue!["fingerprint"], Has.Length.EqualTo(32), "GitLab deduplicates issues by fingerprint");
        return finding;
    }

    /// <summary>The run passed: exit 0, no error anywhere, and JUnit lists passing test cases for the checks that ran.</summary>
    public static void AssertPassed(ValidationRun run, params string[] scopes)
    {
        Assert.That(run.Result.ExitCode, Is.EqualTo(0), run.Console);
        Assert.That(run.Errors, Is.Empty, run.Console);
        Assert.That(run.Console, Does.Contain("ValidateDelivery: passed"));
        var junit = XDocument.Load(run.Result.Files!.JUnit);
        Assert.That(junit.Descendants("failure"), Is.Empty);
        foreach (var scope in scopes)
        {
            foreach (var check in new[] { CheckKinds.Render, CheckKinds.Schema, CheckKinds.Policy, CheckKinds.Custody })
            {
                Assert.That(junit.Descendants("testcase").Any(t => (string?)t.Attribute("classname") == scope && ((string?)t.Attribute("name"))!.StartsWith(check + " (", StringComparison.Ordinal)),
                    Is.True, $"JUnit passing case {check} for {scope}");
            }
        }

        var sarif = JsonNode.Parse(File.ReadAllText(run.Result.Files.Sarif))!;
        Assert.That(sarif["runs"]![0]!["results"]!.AsArray().Where(r => (string?)r!["level"] == "error"), Is.Empty);
    }

    /// <summary>GitHub Actions, so annotations are printed.</summary>
    public static IReadOnlyDictionary<string, string> GitHubActions { get; } = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" };

    public static int LineOf(string text, string value)
    {
        var lines = text.Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(value, StringComparison.Ordinal));
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"'{value}' not found");
        return index + 1;
    }
}
