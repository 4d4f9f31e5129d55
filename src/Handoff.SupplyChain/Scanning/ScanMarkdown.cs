using System.Text;

namespace Handoff.SupplyChain.Scanning;

/// <summary>The verdict as GitHub-flavoured Markdown, for release.json readers and the promotion PR body.</summary>
public static class ScanMarkdown
{
    /// <summary>Long lists are cut here; the merged SARIF file has everything.</summary>
    public const int MaxRows = 25;

    public static string Render(ScanVerdict verdict, int headingLevel = 3)
    {
        var h = new string('#', Math.Clamp(headingLevel, 1, 6));
        var md = new StringBuilder();
        md.Append(h).Append(" Vulnerability scan: ").Append(verdict.Outcome).Append("\n\n");

        foreach (var reason in verdict.BlockReasons)
        {
            md.Append("- **Blocks:** ").Append(Cell(reason)).Append('\n');
        }

        if (verdict.BlockReasons.Count > 0)
        {
            md.Append('\n');
        }

        var showUnknown = verdict.Counts.Any(c => c.FixUnknown > 0);
        md.Append("| Severity | With fix | No fix |").Append(showUnknown ? " Fix unknown |" : "").Append(" Policy |\n");
        md.Append("|---|---:|---:|").Append(showUnknown ? "---:|" : "").Append("---|\n");
        foreach (var count in verdict.Counts)
        {
            md.Append("| ").Append(count.Severity.Label()).Append(" | ").Append(count.Fixable).Append(" | ").Append(count.NoFix).Append(" |");
            if (showUnknown)
            {
                md.Append(' ').Append(count.FixUnknown).Append(" |");
            }

            md.Append(' ').Append(ScanPolicy.Describe(verdict.Policy.ActionFor(count.Severity)))
              .Append(verdict.Policy.IgnoreUnfixed ? " (unfixed ignored)" : "").Append(" |\n");
        }

        md.Append('\n');
        FindingTable(md, "Blocking findings", verdict.BlockingFindings);
        FindingTable(md, "Warnings", verdict.WarningFindings);
        if (verdict.IgnoredCount > 0)
        {
            md.Append(verdict.IgnoredCount).Append(" finding(s) ignored by the policy (counted above, not listed).\n\n");
        }

        if (verdict.Suppressed.Count > 0)
        {
            md.Append("**Suppressed by approved exceptions** (").Append(verdict.Suppressed.Count).Append(")\n\n");
            md.Append("| ID | Package | Severity | Reason | Approved by | Expires | Entry |\n|---|---|---|---|---|---|---|\n");
            foreach (var s in verdict.Suppressed)
            {
                md.Append("| ").Append(Cell(s.Finding.Id)).Append(" | ").Append(Cell(s.Finding.Package ?? "")).Append(" | ").Append(s.Finding.Severity.Label())
                  .Append(" | ").Append(Cell(s.Entry.Reason)).Append(" | ").Append(Cell(s.Entry.ApprovedBy)).Append(" | ")
                  .Append(s.Entry.Expires.ToString("yyyy-MM-dd")).Append(" | ").Append(Cell(Path.GetFileName(s.Entry.File) + ":" + s.Entry.Line)).Append(" |\n");
            }

            md.Append('\n');
        }

        md.Append("**Sources**\n\n");
        foreach (var source in verdict.Sources)
        {
            md.Append("- ").Append(Cell(source.Name)).Append(": ")
              .Append(source.Ran ? $"{source.Findings} finding(s)" : $"did not scan: {Cell(source.NotRunReason ?? "")}").Append('\n');
            foreach (var note in source.Notes)
            {
                md.Append("  - ").Append(Cell(note)).Append('\n');
            }
        }

        if (verdict.Sources.Count == 0)
        {
            md.Append("- none: no report was given and no scanner ran\n");
        }

        if (verdict.UnusedEntries.Count > 0)
        {
            md.Append("\n**Allowlist warnings**\n\n");
            foreach (var entry in verdict.UnusedEntries)
            {
                md.Append("- ").Append(Cell($"{Path.GetFileName(entry.File)}:{entry.Line}: {entry.Describe()} matched no finding; delete it if the vulnerability is gone.")).Append('\n');
            }
        }

        return md.ToString();
    }

    private static void FindingTable(StringBuilder md, string title, IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
        {
            return;
        }

        md.Append("**").Append(title).Append("** (").Append(findings.Count).Append(")\n\n");
        md.Append("| ID | Severity | Package | Installed → Fixed | Target |\n|---|---|---|---|---|\n");
        foreach (var f in findings.Take(MaxRows))
        {
            var id = f.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out _) ? $"[{Cell(f.Id)}]({url.Replace(")", "%29")})" : Cell(f.Id);
            md.Append("| ").Append(id).Append(" | ").Append(f.Severity.Label()).Append(" | ").Append(Cell(f.Package ?? "")).Append(" | ")
              .Append(Cell(f.InstalledVersion ?? "?")).Append(" → ").Append(Cell(f.FixedDisplay)).Append(" | ").Append(Cell(f.Target)).Append(" |\n");
        }

        if (findings.Count > MaxRows)
        {
            md.Append("\n…and ").Append(findings.Count - MaxRows).Append(" more in the merged SARIF file.\n");
        }

        md.Append('\n');
    }

    /// <summary>Table cells cannot hold pipes or line breaks; report text is third-party input.</summary>
    internal static string Cell(string text) =>
        Secrets.Redact(text).Replace("\\", "\\\\").Replace("|", "\\|").Replace("\r", "").Replace("\n", " ").Replace("<", "&lt;");
}
