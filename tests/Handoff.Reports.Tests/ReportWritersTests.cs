using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Handoff.Reports;
using Handoff.Testing;

namespace Handoff.Reports.Tests;

public class ReportWritersTests
{
    private static ValidationReport Sample()
    {
        var report = new ValidationReport { Duration = TimeSpan.FromSeconds(1.5) };
        report.Runs.Add(new CheckRun(CheckKinds.Schema, "myapp/dev", 3));
        report.Runs.Add(new CheckRun(CheckKinds.Policy, "myapp/dev", 3));
        report.Runs.Add(new CheckRun(CheckKinds.Schema, "myapp/prod", 3));
        report.Findings.Add(new Finding
        {
            Check = CheckKinds.Policy, RuleId = "require-image-digest/check-digest", Severity = FindingSeverity.Error,
            Message = "image 'app:1.0' is not pinned by digest, and: commas, 100%\nsecond line",
            App = "myapp", Environment = "prod", Resource = new ResourceId("apps/v1", "Deployment", "prod", "myapp"),
            File = "env/prod/values.yaml", Line = 4, Column = 3, Fix = "Pin image.digest.",
        });
        report.Findings.Add(new Finding
        {
            Check = CheckKinds.Freeze, RuleId = "frozen", Severity = FindingSeverity.Error,
            Message = "prod is frozen until 2026-12-01: release freeze", App = "myapp", Environment = "prod",
        });
        report.Findings.Add(new Finding
        {
            Check = CheckKinds.Policy, RuleId = "require-requests/memory", Severity = FindingSeverity.Warning,
            Message = "memory request missing", App = "myapp", Environment = "dev", File = "apps/myapp/chart/templates/deployment.yaml",
        });
        return report;
    }

    [Test]
    public void Sarif_has_rules_levels_and_repository_relative_locations()
    {
        var sarif = JsonNode.Parse(ReportWriters.Sarif(Sample(), "handoff.yaml", "1.0.0"))!;
        Assert.That((string?)sarif["version"], Is.EqualTo("2.1.0"));
        var run = sarif["runs"]![0]!;
        Assert.That((string?)run["tool"]!["driver"]!["name"], Is.EqualTo("Handoff"));
        var rules = run["tool"]!["driver"]!["rules"]!.AsArray().Select(r => (string?)r!["id"]).ToList();
        Assert.That(rules, Is.EquivalentTo(new[] { "policy/require-image-digest/check-digest", "freeze/frozen", "policy/require-requests/memory" }));
        var results = run["results"]!.AsArray();
        Assert.That(results, Has.Count.EqualTo(3));
        foreach (var result in results)
        {
            var index = (int)result!["ruleIndex"]!;
            Assert.That(rules[index], Is.EqualTo((string?)result["ruleId"]), "ruleIndex points at the result's rule");
            Assert.That((int)result["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]!, Is.GreaterThanOrEqualTo(1));
        }

        var digest = results.Single(r => (string?)r!["ruleId"] == "policy/require-image-digest/check-digest")!;
        Assert.That((string?)digest["level"], Is.EqualTo("error"));
        var location = digest["locations"]![0]!["physicalLocation"]!;
        Assert.That((string?)location["artifactLocation"]!["uri"], Is.EqualTo("env/prod/values.yaml"));
        Assert.That((int)location["region"]!["startLine"]!, Is.EqualTo(4));
        Assert.That((int)location["region"]!["startColumn"]!, Is.EqualTo(3));
        var freeze = results.Single(r => (string?)r!["ruleId"] == "freeze/frozen")!;
        Assert.That((string?)freeze["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"], Is.EqualTo("handoff.yaml"), "code scanning needs a location");
        Assert.That((string?)results.Single(r => (string?)r!["level"] == "warning")!["ruleId"], Is.EqualTo("policy/require-requests/memory"));
    }

    [Test]
    public void JUnit_is_valid_against_the_junit_schema_kubeconform_uses()
    {
        var xsd = Path.Combine(RepoPaths.Shared("conformance", "kubeconform", "fixtures"), "junit.xsd");
        var xml = ReportWriters.JUnit(Sample());
        var schemas = new XmlSchemaSet();
        schemas.Add(null, xsd);
        var errors = new List<string>();
        XDocument.Parse(xml).Validate(schemas, (_, e) => errors.Add(e.Message));
        Assert.That(errors, Is.Empty, xml);

        var doc = XDocument.Parse(xml);
        Assert.That((int)doc.Root!.Attribute("failures")!, Is.EqualTo(2));
        var policy = doc.Root.Elements("testsuite").Single(s => (string?)s.Attribute("name") == "policy");
        Assert.That(policy.Descendants("failure").Single().Value, Does.Contain("env/prod/values.yaml:4:3").And.Contain("Fix: Pin image.digest."));
        var schema = doc.Root.Elements("testsuite").Single(s => (string?)s.Attribute("name") == "schema");
        Assert.That(schema.Elements("testcase").Count(), Is.EqualTo(2));
        Assert.That(schema.Descendants("failure"), Is.Empty);
    }

    [Test]
    public void GitHub_annotations_escape_what_the_workflow_command_syntax_reserves()
    {
        var lines = ReportWriters.GitHubAnnotations(Sample()).ToList();
        Assert.That(lines, Has.Count.EqualTo(3));
        var digest = lines.Single(l => l.Contains("require-image-digest"));
        Assert.That(digest, Does.StartWith("::error file=env/prod/values.yaml,line=4,col=3,title=policy/require-image-digest/check-digest (myapp/prod)::"));
        Assert.That(digest, Does.Contain("100%25%0Asecond line"));
        Assert.That(digest.Split("::")[2], Does.Contain("commas"), "data part keeps commas");
        Assert.That(lines.Single(l => l.Contains("frozen")), Does.StartWith("::error title=freeze/frozen (myapp/prod)::"));
        Assert.That(lines.Single(l => l.StartsWith("::warning", StringComparison.Ordinal)), Does.Contain("file=apps/myapp/chart/templates/deployment.yaml,title="));
    }

    [Test]
    public void GitLab_code_quality_has_unique_fingerprints_and_severities()
    {
        var items = JsonNode.Parse(ReportWriters.GitLabCodeQuality(Sample(), "handoff.yaml"))!.AsArray();
        Assert.That(items.Select(i => (string?)i!["fingerprint"]).Distinct().Count(), Is.EqualTo(3));
        Assert.That(items.Select(i => (string?)i!["severity"]), Is.EquivalentTo(new[] { "critical", "critical", "minor" }));
        Assert.That(items.All(i => (int)i!["location"]!["lines"]!["begin"]! >= 1), Is.True);
    }

    [Test]
    public void Markdown_and_console_summaries_show_counts_and_the_verdict()
    {
        var report = Sample();
        var md = ReportWriters.Markdown(report);
        Assert.That(md, Does.StartWith("## ❌ Delivery validation failed"));
        Assert.That(md, Does.Contain("| myapp/dev | schema | 3 | 0 | 0 |"));
        Assert.That(md, Does.Contain("`env/prod/values.yaml:4:3`"));
        Assert.That(md, Does.Contain("second line").And.Contain("<br>"), "newlines cannot break the table");
        var text = ReportWriters.ConsoleText(report);
        Assert.That(text, Does.Contain("env/prod/values.yaml:4:3: error [policy/require-image-digest/check-digest] Deployment/prod/myapp (myapp/prod):"));
        Assert.That(text.TrimEnd(), Does.EndWith("ValidateDelivery: FAILED with 2 error(s) and 1 warning(s)."));

        var clean = new ValidationReport();
        clean.Runs.Add(new CheckRun(CheckKinds.Schema, "myapp/dev", 1));
        Assert.That(ReportWriters.Markdown(clean), Does.StartWith("## ✅"));
    }

    [Test]
    public void The_sink_writes_every_file_and_appends_to_the_step_summary()
    {
        using var dir = new TempDirectory("reports");
        var summary = dir.Write("step-summary.md", "earlier step\n");
        var files = ReportSink.Write(Sample(), dir.Combine("validation"), "handoff.yaml", gitLab: true, summary);
        Assert.That(new[] { files.Summary, files.JUnit, files.Sarif, files.GitLabCodeQuality! }.All(File.Exists), Is.True);
        Assert.That(File.ReadAllText(summary), Does.StartWith("earlier step\n## ❌"));
    }
}
