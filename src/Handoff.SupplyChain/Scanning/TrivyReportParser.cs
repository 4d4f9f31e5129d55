using System.Text.Json.Nodes;
using Handoff.SupplyChain.Input;

namespace Handoff.SupplyChain.Scanning;

/// <summary>Trivy's JSON report, schema version 2: <c>Results[].Vulnerabilities[]</c>.</summary>
public static class TrivyReportParser
{
    public const string Tool = "Trivy";

    public static ScanSource Parse(string path) => Parse(JsonInput.Load(path, "Trivy report", Fix), path);

    internal const string Fix = "Produce it with `trivy image --format json --output report.json IMAGE`.";

    internal static ScanSource Parse(JsonNode root, string path)
    {
        var schema = root["SchemaVersion"];
        if (schema is not JsonValue v || !v.TryGetValue<int>(out var version) || version != 2)
        {
            throw new InputFileException(path, 0, 0, $"Trivy report has SchemaVersion {schema?.ToJsonString() ?? "(missing)"}; Handoff reads schema version 2 (trivy 0.20 and later).", Fix);
        }

        var findings = new List<Finding>();
        var results = JsonInput.Array(root, "Results") ?? [];
        for (var r = 0; r < results.Count; r++)
        {
            var result = results[r];
            var target = JsonInput.String(result, "Target") ?? JsonInput.String(root, "ArtifactName") ?? "(unnamed target)";
            var ecosystem = JsonInput.String(result, "Type");
            foreach (var vuln in JsonInput.Array(result, "Vulnerabilities") ?? [])
            {
                var id = JsonInput.String(vuln, "VulnerabilityID");
                if (string.IsNullOrWhiteSpace(id))
                {
                    throw new InputFileException(path, 0, 0, $"Results[{r}] has a vulnerability without VulnerabilityID.", Fix);
                }

                var severityText = JsonInput.String(vuln, "Severity");
                if (!Severities.TryParse(severityText, out var severity) && severityText is not null)
                {
                    throw new InputFileException(path, 0, 0, $"{id} has the unknown Severity '{severityText}'.", "Trivy writes UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL.");
                }

                var fixedVersion = JsonInput.String(vuln, "FixedVersion");
                findings.Add(new Finding
                {
                    Id = id,
                    Package = JsonInput.String(vuln, "PkgName"),
                    InstalledVersion = JsonInput.String(vuln, "InstalledVersion"),
                    FixedVersion = string.IsNullOrWhiteSpace(fixedVersion) ? null : fixedVersion,
                    Fix = string.IsNullOrWhiteSpace(fixedVersion) ? FixState.NoFix : FixState.Fixed,
                    Severity = severity,
                    Title = JsonInput.String(vuln, "Title"),
                    Url = JsonInput.String(vuln, "PrimaryURL"),
                    Target = target,
                    Ecosystem = ecosystem,
                    Tool = Tool,
                });
            }
        }

        return new ScanSource { Name = $"Trivy report {Path.GetFileName(path)}", Tool = Tool, Ran = true, Findings = findings };
    }
}
