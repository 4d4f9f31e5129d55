using System.Text.Json;
using System.Text.Json.Nodes;

namespace Handoff.SupplyChain.Scanning;

/// <summary>
/// The merged SARIF 2.1.0 file for <c>artifacts/</c>: one run per source tool, uploadable to GitHub
/// code scanning. Results carry the gate's decision as their level (error = blocks, warning = warns,
/// note = ignored); allowlisted findings are kept as suppressed results with the approval as
/// justification; sources that did not run are runs whose invocation failed, with the reason.
/// </summary>
public static class SarifWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static JsonObject ToSarif(ScanVerdict verdict)
    {
        var tools = verdict.Sources.Select(s => s.Tool).Distinct(StringComparer.Ordinal).ToList();
        var runs = new JsonArray();
        foreach (var tool in tools)
        {
            var active = verdict.Findings.Where(f => f.Tool == tool).ToList();
            var suppressed = verdict.Suppressed.Where(s => s.Finding.Tool == tool).ToList();
            var all = active.Concat(suppressed.Select(s => s.Finding)).ToList();
            var ruleIds = all.Select(f => f.Id).Distinct(StringComparer.Ordinal).ToList();
            var ruleIndex = ruleIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);

            var rules = new JsonArray();
            foreach (var id in ruleIds)
            {
                var sample = all.Where(f => f.Id == id).MaxBy(f => f.Severity)!;
                var rule = new JsonObject
                {
                    ["id"] = id,
                    ["shortDescription"] = new JsonObject { ["text"] = sample.Title ?? id },
                    ["properties"] = new JsonObject
                    {
                        ["security-severity"] = sample.Severity.Score(),
                        ["tags"] = new JsonArray("vulnerability", "security", sample.Severity.Label()),
                    },
                };
                if (sample.Url is not null)
                {
                    rule["helpUri"] = sample.Url;
                }

                rules.Add(rule);
            }

            var results = new JsonArray();
            foreach (var finding in active)
            {
                results.Add(Result(finding, ruleIndex[finding.Id], Level(ScanGate.Classify(finding, verdict.Policy)), null));
            }

            foreach (var s in suppressed)
            {
                results.Add(Result(s.Finding, ruleIndex[s.Finding.Id], Level(ScanGate.Classify(s.Finding, verdict.Policy)), s.Entry));
            }

            var failures = verdict.Sources.Where(s => s.Tool == tool && !s.Ran).ToList();
            var invocation = new JsonObject { ["executionSuccessful"] = failures.Count == 0 || verdict.Sources.Any(s => s.Tool == tool && s.Ran) };
            if (failures.Count > 0)
            {
                invocation["toolExecutionNotifications"] = new JsonArray([.. failures.Select(f => (JsonNode)new JsonObject
                {
                    ["level"] = "error",
                    ["message"] = new JsonObject { ["text"] = Secrets.Redact($"{f.Name} did not scan: {f.NotRunReason}") },
                })]);
            }

            runs.Add(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = tool,
                        ["informationUri"] = InformationUri(tool),
                        ["rules"] = rules,
                    },
                },
                ["invocations"] = new JsonArray(invocation),
                ["automationDetails"] = new JsonObject { ["id"] = $"handoff-scan/{Slug(tool)}/" },
                ["results"] = results,
            });
        }

        return new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = runs,
        };
    }

    public static string ToText(ScanVerdict verdict) =>
        ToSarif(verdict).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    private static JsonObject Result(Finding finding, int ruleIndex, string level, AllowlistEntry? entry)
    {
        var text = $"{finding.Id} ({finding.Severity.Label()}) in {finding.Package ?? finding.Target}"
                   + (finding.InstalledVersion is null ? "" : $" {finding.InstalledVersion}")
                   + finding.Fix switch
                   {
                       FixState.Fixed => $"; fixed in {finding.FixedVersion}",
                       FixState.NoFix => "; no fixed version",
                       _ => "; fixed version unknown",
                   };
        var result = new JsonObject
        {
            ["ruleId"] = finding.Id,
            ["ruleIndex"] = ruleIndex,
            ["level"] = level,
            ["message"] = new JsonObject { ["text"] = text },
            ["locations"] = new JsonArray(new JsonObject
            {
                ["physicalLocation"] = new JsonObject
                {
                    ["artifactLocation"] = new JsonObject { ["uri"] = ArtifactUri(finding.Target) },
                    ["region"] = new JsonObject { ["startLine"] = finding.Line ?? 1 },
                },
                ["message"] = new JsonObject { ["text"] = finding.Target },
            }),
            ["properties"] = new JsonObject
            {
                ["package"] = finding.Package,
                ["installedVersion"] = finding.InstalledVersion,
                ["fixedVersion"] = finding.FixedVersion,
            },
        };
        if (entry is not null)
        {
            result["suppressions"] = new JsonArray(new JsonObject
            {
                ["kind"] = "external",
                ["status"] = "accepted",
                ["justification"] = $"{entry.Reason} (approved by {entry.ApprovedBy}, expires {entry.Expires:yyyy-MM-dd}, {entry.Location})",
            });
        }

        return result;
    }

    private static string Level(SeverityAction action) => action switch
    {
        SeverityAction.Block => "error",
        SeverityAction.Warn => "warning",
        _ => "note",
    };

    /// <summary>Targets such as "app.tar (alpine 3.10.2)" are not URIs; code scanning needs a relative path-like URI.</summary>
    private static string ArtifactUri(string target)
    {
        var cut = target.IndexOf(" (", StringComparison.Ordinal);
        var path = (cut > 0 ? target[..cut] : target).Replace('\\', '/').TrimStart('/');
        return Uri.EscapeDataString(path).Replace("%2F", "/");
    }

    private static string InformationUri(string tool) => tool switch
    {
        TrivyReportParser.Tool => "https://github.com/aquasecurity/trivy",
        NuGetVulnerabilityReportParser.Tool => "https://learn.microsoft.com/nuget/concepts/auditing-packages",
        _ => "https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html",
    };

    private static string Slug(string tool) => new(tool.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
