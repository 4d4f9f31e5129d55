using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Handoff.Reports;

/// <summary>Writes a <see cref="ValidationReport"/> in every format CI systems and humans read.</summary>
public static class ReportWriters
{
    public const string ToolName = "Handoff";
    public const string ToolUri = "https://github.com/handoff-dev/handoff";

    /// <summary>Plain-text table per check and scope, then one line per finding (errors first).</summary>
    public static string ConsoleText(ValidationReport report)
    {
        var sb = new StringBuilder();
        var rows = report.Runs.Select(r => (r.Check, r.Scope)).Concat(report.Findings.Select(f => (f.Check, f.Scope))).Distinct()
            .OrderBy(r => r.Scope, StringComparer.Ordinal).ThenBy(r => r.Check, StringComparer.Ordinal).ToList();
        var scopeWidth = Math.Max(5, rows.Select(r => r.Scope.Length).DefaultIfEmpty(0).Max());
        sb.AppendLine($"{"Scope".PadRight(scopeWidth)}  {"Check",-10}  {"Checked",7}  {"Errors",6}  {"Warnings",8}");
        sb.AppendLine(new string('-', scopeWidth + 41));
        foreach (var (check, scope) in rows)
        {
            var checkedItems = report.Runs.Where(r => r.Check == check && r.Scope == scope).Sum(r => r.ItemsChecked);
            var errors = report.Findings.Count(f => f.Check == check && f.Scope == scope && f.Severity == FindingSeverity.Error);
            var warnings = report.Findings.Count(f => f.Check == check && f.Scope == scope && f.Severity == FindingSeverity.Warning);
            sb.AppendLine($"{scope.PadRight(scopeWidth)}  {check,-10}  {checkedItems,7}  {errors,6}  {warnings,8}");
        }

        sb.AppendLine();
        foreach (var f in Ordered(report))
        {
            sb.AppendLine($"{Where(f)}: {Label(f.Severity)} [{f.Check}/{f.RuleId}] {Subject(f)}{f.Message}{(f.Fix is null ? "" : " Fix: " + f.Fix)}");
        }

        sb.AppendLine(Verdict(report));
        return sb.ToString();
    }

    public static string Verdict(ValidationReport report) => report.Failed
        ? $"ValidateDelivery: FAILED with {report.Errors} error(s) and {report.Warnings} warning(s)."
        : $"ValidateDelivery: passed with {report.Warnings} warning(s).";

    public static string Markdown(ValidationReport report, int maxFindings = 200)
    {
        var sb = new StringBuilder();
        sb.AppendLine(report.Failed ? "## ❌ Delivery validation failed" : "## ✅ Delivery validation passed");
        sb.AppendLine();
        sb.AppendLine($"{report.Errors} error(s), {report.Warnings} warning(s) in {report.Duration.TotalSeconds:0.0} s.");
        sb.AppendLine();
        sb.AppendLine("| Scope | Check | Checked | Errors | Warnings |");
        sb.AppendLine("|---|---|---:|---:|---:|");
        foreach (var group in report.Runs.Select(r => (r.Check, r.Scope)).Concat(report.Findings.Select(f => (f.Check, f.Scope))).Distinct()
                     .OrderBy(r => r.Scope, StringComparer.Ordinal).ThenBy(r => r.Check, StringComparer.Ordinal))
        {
            var checkedItems = report.Runs.Where(r => r.Check == group.Check && r.Scope == group.Scope).Sum(r => r.ItemsChecked);
            var errors = report.Findings.Count(f => f.Check == group.Check && f.Scope == group.Scope && f.Severity == FindingSeverity.Error);
            var warnings = report.Findings.Count(f => f.Check == group.Check && f.Scope == group.Scope && f.Severity == FindingSeverity.Warning);
            sb.AppendLine($"| {group.Scope} | {group.Check} | {checkedItems} | {errors} | {warnings} |");
        }

        var ordered = Ordered(report).ToList();
        if (ordered.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| | Where | Check | Finding |");
            sb.AppendLine("|---|---|---|---|");
            foreach (var f in ordered.Take(maxFindings))
            {
                var icon = f.Severity == FindingSeverity.Error ? "❌" : f.Severity == FindingSeverity.Warning ? "⚠️" : "ℹ️";
                sb.AppendLine($"| {icon} | `{Cell(Where(f))}` | {f.Check}/{Cell(f.RuleId)} | {Cell(Subject(f) + f.Message + (f.Fix is null ? "" : " **Fix:** " + f.Fix))} |");
            }

            if (ordered.Count > maxFindings)
            {
                sb.AppendLine();
                sb.AppendLine($"…and {ordered.Count - maxFindings} more (see results.sarif / junit.xml).");
            }
        }

        return sb.ToString();
    }

    public static string JUnit(ValidationReport report)
    {
        var suites = new XElement("testsuites", new XAttribute("name", "handoff-validate-delivery"));
        foreach (var check in report.Runs.Select(r => r.Check).Concat(report.Findings.Select(f => f.Check)).Distinct().Order(StringComparer.Ordinal))
        {
            var cases = new List<XElement>();
            foreach (var run in report.Runs.Where(r => r.Check == check && !report.Findings.Any(f => f.Check == check && f.Scope == r.Scope && f.Severity == FindingSeverity.Error)))
            {
                cases.Add(new XElement("testcase", new XAttribute("classname", run.Scope), new XAttribute("name", $"{check} ({run.ItemsChecked} checked)")));
            }

            foreach (var f in report.Findings.Where(f => f.Check == check))
            {
                var testcase = new XElement("testcase", new XAttribute("classname", f.Scope), new XAttribute("name", $"{f.RuleId} {f.Resource?.ToString() ?? f.File ?? ""}".Trim()));
                var text = $"{Where(f)}: {f.Message}{(f.Fix is null ? "" : "\nFix: " + f.Fix)}";
                testcase.Add(f.Severity == FindingSeverity.Error
                    ? new XElement("failure", new XAttribute("message", Truncate(f.Message, 500)), new XAttribute("type", $"{f.Check}/{f.RuleId}"), text)
                    : new XElement("system-out", $"{Label(f.Severity)}: {text}"));
                cases.Add(testcase);
            }

            suites.Add(new XElement("testsuite",
                new XAttribute("name", check),
                new XAttribute("tests", cases.Count),
                new XAttribute("failures", report.Findings.Count(f => f.Check == check && f.Severity == FindingSeverity.Error)),
                new XAttribute("errors", 0),
                cases));
        }

        suites.SetAttributeValue("tests", suites.Elements().Sum(s => (int)s.Attribute("tests")!));
        suites.SetAttributeValue("failures", report.Errors);
        suites.SetAttributeValue("time", report.Duration.TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), suites).ToString() + "\n";
    }

    /// <summary>
    /// SARIF 2.1.0 for GitHub code scanning: one rule per check/rule id, locations relative to the
    /// repository root (%SRCROOT%). Code scanning rejects results without a location, so findings that
    /// have no file point at <paramref name="fallbackFile"/> (handoff.yaml).
    /// </summary>
    public static string Sarif(ValidationReport report, string fallbackFile, string? version = null)
    {
        var rules = report.Findings.Select(f => $"{f.Check}/{f.RuleId}").Distinct().Order(StringComparer.Ordinal).ToList();
        var ruleIndex = rules.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
        var ruleNodes = new JsonArray();
        foreach (var rule in rules)
        {
            var sample = report.Findings.First(f => $"{f.Check}/{f.RuleId}" == rule);
            ruleNodes.Add(new JsonObject
            {
                ["id"] = rule,
                ["name"] = rule.Replace('/', '.'),
                ["shortDescription"] = new JsonObject { ["text"] = $"{sample.Check} check {sample.RuleId}" },
                ["defaultConfiguration"] = new JsonObject { ["level"] = Level(sample.Severity) },
                ["properties"] = new JsonObject { ["tags"] = new JsonArray("handoff", sample.Check) },
            });
        }

        var results = new JsonArray();
        foreach (var f in Ordered(report))
        {
            var rule = $"{f.Check}/{f.RuleId}";
            var file = (f.File ?? fallbackFile).Replace('\\', '/');
            var region = new JsonObject { ["startLine"] = Math.Max(1, f.Line) };
            if (f.Column > 0)
            {
                region["startColumn"] = f.Column;
            }

            results.Add(new JsonObject
            {
                ["ruleId"] = rule,
                ["ruleIndex"] = ruleIndex[rule],
                ["level"] = Level(f.Severity),
                ["message"] = new JsonObject { ["text"] = Subject(f) + f.Message + (f.Fix is null ? "" : " Fix: " + f.Fix) },
                ["locations"] = new JsonArray(new JsonObject
                {
                    ["physicalLocation"] = new JsonObject
                    {
                        ["artifactLocation"] = new JsonObject { ["uri"] = file, ["uriBaseId"] = "%SRCROOT%" },
                        ["region"] = region,
                    },
                }),
                ["partialFingerprints"] = new JsonObject { ["handoff/v1"] = Fingerprint(f) },
                ["properties"] = new JsonObject { ["scope"] = f.Scope, ["resource"] = f.Resource?.ToString() },
            });
        }

        var sarif = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = ToolName,
                        ["informationUri"] = ToolUri,
                        ["version"] = version ?? typeof(ReportWriters).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
                        ["rules"] = ruleNodes,
                    },
                },
                ["results"] = results,
            }),
        };
        return sarif.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>GitHub Actions workflow commands; they become annotations on the PR's changed lines.</summary>
    public static IEnumerable<string> GitHubAnnotations(ValidationReport report)
    {
        foreach (var f in Ordered(report).Where(f => f.Severity != FindingSeverity.Note))
        {
            var properties = new List<string>();
            if (f.File is not null)
            {
                properties.Add($"file={EscapeProperty(f.File)}");
                if (f.Line > 0)
                {
                    properties.Add($"line={f.Line}");
                }

                if (f.Column > 0)
                {
                    properties.Add($"col={f.Column}");
                }
            }

            properties.Add($"title={EscapeProperty($"{f.Check}/{f.RuleId} ({f.Scope})")}");
            yield return $"::{(f.Severity == FindingSeverity.Error ? "error" : "warning")} {string.Join(',', properties)}::{EscapeData(Subject(f) + f.Message + (f.Fix is null ? "" : " Fix: " + f.Fix))}";
        }
    }

    /// <summary>GitLab code-quality report (artifacts:reports:codequality).</summary>
    public static string GitLabCodeQuality(ValidationReport report, string fallbackFile)
    {
        var items = new JsonArray();
        foreach (var f in Ordered(report))
        {
            items.Add(new JsonObject
            {
                ["description"] = Subject(f) + f.Message,
                ["check_name"] = $"{f.Check}/{f.RuleId}",
                ["fingerprint"] = Fingerprint(f),
                ["severity"] = f.Severity switch { FindingSeverity.Error => "critical", FindingSeverity.Warning => "minor", _ => "info" },
                ["location"] = new JsonObject
                {
                    ["path"] = (f.File ?? fallbackFile).Replace('\\', '/'),
                    ["lines"] = new JsonObject { ["begin"] = Math.Max(1, f.Line) },
                },
            });
        }

        return items.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static IEnumerable<Finding> Ordered(ValidationReport report) => report.Findings
        .OrderBy(f => f.Severity)
        .ThenBy(f => f.File ?? "", StringComparer.Ordinal)
        .ThenBy(f => f.Line)
        .ThenBy(f => f.Check, StringComparer.Ordinal);

    private static string Where(Finding f) => f.File is null ? f.Scope : f.Line > 0 ? (f.Column > 0 ? $"{f.File}:{f.Line}:{f.Column}" : $"{f.File}:{f.Line}") : f.File;

    private static string Subject(Finding f) => f.Resource is null ? "" : $"{f.Resource} ({f.Scope}): ";

    private static string Label(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Error => "error",
        FindingSeverity.Warning => "warning",
        _ => "note",
    };

    private static string Level(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Error => "error",
        FindingSeverity.Warning => "warning",
        _ => "note",
    };

    private static string Fingerprint(Finding f) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{f.Check}|{f.RuleId}|{f.Scope}|{f.Resource}|{f.File}|{f.Message}")))[..32];

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\r", "").Replace("\n", "<br>");

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    // GitHub's escaping rules for workflow commands: data escapes %, CR, LF; properties also ':' and ','.
    private static string EscapeData(string value) => value.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    private static string EscapeProperty(string value) => EscapeData(value).Replace(":", "%3A").Replace(",", "%2C");
}
