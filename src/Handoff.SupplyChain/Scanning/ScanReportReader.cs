using System.Text.Json.Nodes;
using Handoff.SupplyChain.Input;

namespace Handoff.SupplyChain.Scanning;

/// <summary>Which reader a report file needs, decided from its content (not its name).</summary>
public enum ReportFormat
{
    Trivy,
    Sarif,
    NuGetVulnerable,
}

/// <summary>Reads any supported report file: Trivy JSON, SARIF 2.1.0, or dotnet list package --vulnerable JSON.</summary>
public static class ScanReportReader
{
    private const string Fix = "Give a Trivy JSON report (trivy --format json), a SARIF 2.1.0 file, or the output of `dotnet list package --vulnerable --include-transitive --format json`.";

    public static ReportFormat Detect(JsonNode root, string path)
    {
        if (root is JsonObject obj)
        {
            if (obj.ContainsKey("SchemaVersion") && (obj.ContainsKey("Results") || obj.ContainsKey("ArtifactName")))
            {
                return ReportFormat.Trivy;
            }

            if (obj.ContainsKey("runs") && obj.ContainsKey("version"))
            {
                return ReportFormat.Sarif;
            }

            if (obj.ContainsKey("parameters") && obj.ContainsKey("version") && (obj.ContainsKey("projects") || obj.ContainsKey("problems")))
            {
                return ReportFormat.NuGetVulnerable;
            }
        }

        throw new InputFileException(path, 1, 1, "is not a scan report Handoff can read.", Fix);
    }

    /// <summary>
    /// The sources in one report file. NuGet reports need their package sources probed for
    /// vulnerability data, hence the probe (null: every source counts as unchecked, i.e. no data).
    /// </summary>
    public static async Task<IReadOnlyList<ScanSource>> ReadAsync(string path, NuGetSourceProbe? probe, CancellationToken cancellationToken = default)
    {
        var root = JsonInput.Load(path, "scan report", Fix);
        switch (Detect(root, path))
        {
            case ReportFormat.Trivy:
                return [TrivyReportParser.Parse(root, path)];
            case ReportFormat.Sarif:
                return SarifReportParser.Parse(root, path);
            default:
                var report = NuGetVulnerabilityReportParser.Parse(root, path);
                var status = probe is null
                    ? report.Sources.ToDictionary(s => s, NuGetSourceStatus.NotChecked)
                    : await probe.ProbeAllAsync(report.Sources, cancellationToken);
                return [NuGetVulnerabilityReportParser.ToScanSource(report, status)];
        }
    }
}
