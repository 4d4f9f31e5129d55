using System.Text.Json.Nodes;

namespace Handoff.SupplyChain.Scanning;

/// <summary>The verdict as release.json's <c>scan</c> object.</summary>
public static class ScanJson
{
    /// <summary>
    /// The field holding <see cref="ScanMarkdown.Render"/>'s table (findings, suppressions, sources),
    /// so the promotion PR shows the gate's own rendering instead of a summary rebuilt from counts.
    /// </summary>
    public const string MarkdownField = "markdown";

    /// <summary>Heading level of the stored table: it sits under the "### Supply chain" section of the promotion PR body.</summary>
    public const int MarkdownHeadingLevel = 4;

    public static JsonObject ToJson(ScanVerdict verdict)
    {
        var counts = new JsonObject();
        foreach (var c in verdict.Counts)
        {
            counts[c.Severity.Label().ToLowerInvariant()] = new JsonObject
            {
                ["fixable"] = c.Fixable,
                ["noFix"] = c.NoFix,
                ["fixUnknown"] = c.FixUnknown,
            };
        }

        var policy = new JsonObject();
        foreach (var severity in Severities.WorstFirst)
        {
            policy[severity.Label().ToLowerInvariant()] = ScanPolicy.ActionWord(verdict.Policy.ActionFor(severity));
        }

        return new JsonObject
        {
            ["outcome"] = verdict.Outcome,
            ["blocked"] = verdict.Blocked,
            ["evaluatedOn"] = verdict.EvaluatedOn.ToString("yyyy-MM-dd"),
            ["blockReasons"] = new JsonArray([.. verdict.BlockReasons.Select(r => (JsonNode)Secrets.Redact(r))]),
            ["policy"] = new JsonObject
            {
                ["origin"] = verdict.Policy.Origin,
                ["severities"] = policy,
                ["ignoreUnfixed"] = verdict.Policy.IgnoreUnfixed,
                ["whenNoScanRan"] = verdict.Policy.WhenNoScanRan == NoScanAction.Block ? "block" : "warn",
            },
            ["counts"] = counts,
            ["blocking"] = new JsonArray([.. verdict.BlockingFindings.Select(FindingJson)]),
            ["warnings"] = verdict.WarningFindings.Count,
            ["ignored"] = verdict.IgnoredCount,
            ["suppressed"] = new JsonArray([.. verdict.Suppressed.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Finding.Id,
                ["package"] = s.Finding.Package,
                ["severity"] = s.Finding.Severity.Label(),
                ["reason"] = s.Entry.Reason,
                ["approvedBy"] = s.Entry.ApprovedBy,
                ["expires"] = s.Entry.Expires.ToString("yyyy-MM-dd"),
                ["entry"] = s.Entry.Location,
            })]),
            ["sources"] = new JsonArray([.. verdict.Sources.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name,
                ["tool"] = s.Tool,
                ["ran"] = s.Ran,
                ["reason"] = s.NotRunReason is null ? null : Secrets.Redact(s.NotRunReason),
                ["findings"] = s.Findings,
            })]),
            ["messages"] = new JsonArray([.. verdict.Messages.Select(m => (JsonNode)Secrets.Redact(m))]),
            [MarkdownField] = Secrets.Redact(ScanMarkdown.Render(verdict, MarkdownHeadingLevel)),
        };
    }

    private static JsonNode FindingJson(Finding f) => new JsonObject
    {
        ["id"] = f.Id,
        ["severity"] = f.Severity.Label(),
        ["package"] = f.Package,
        ["installed"] = f.InstalledVersion,
        ["fixed"] = f.FixedVersion,
        ["fix"] = f.Fix switch { FixState.Fixed => "fixed", FixState.NoFix => "none", _ => "unknown" },
        ["target"] = f.Target,
        ["url"] = f.Url,
    };
}
