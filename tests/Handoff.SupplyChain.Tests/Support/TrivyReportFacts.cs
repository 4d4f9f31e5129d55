using System.Text.Json.Nodes;

namespace Handoff.SupplyChain.Tests.Support;

/// <summary>
/// Facts about a Trivy report read straight from its JSON, independently of the parser under
/// test, so the expected numbers come from the file rather than from Handoff's own output.
/// </summary>
internal sealed record TrivyVuln(string Id, string Package, string Installed, string? Fixed, string Severity);

internal static class TrivyReportFacts
{
    public static List<TrivyVuln> Vulnerabilities(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        var all = new List<TrivyVuln>();
        foreach (var result in root["Results"]!.AsArray())
        {
            foreach (var v in result!["Vulnerabilities"]?.AsArray() ?? [])
            {
                var fixedVersion = (string?)v!["FixedVersion"];
                all.Add(new TrivyVuln((string)v["VulnerabilityID"]!, (string)v["PkgName"]!, (string)v["InstalledVersion"]!,
                    string.IsNullOrEmpty(fixedVersion) ? null : fixedVersion, (string)v["Severity"]!));
            }
        }

        // One advisory for one package version is one finding, however often a report repeats it.
        return all.DistinctBy(v => (v.Id, v.Package, v.Installed)).ToList();
    }
}
