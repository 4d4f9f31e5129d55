namespace Handoff.SupplyChain.Scanning;

/// <summary>Applies a <see cref="ScanPolicy"/> and a <see cref="ScanAllowlist"/> to the findings of all sources.</summary>
public static class ScanGate
{
    public static ScanVerdict Evaluate(IReadOnlyList<ScanSource> sources, ScanPolicy policy, ScanAllowlist allowlist, DateOnly today)
    {
        var findings = Deduplicate(sources.Where(s => s.Ran).SelectMany(s => s.Findings));
        var expired = allowlist.Entries.Where(e => e.IsExpired(today)).ToList();
        var live = allowlist.Entries.Where(e => !e.IsExpired(today)).ToList();
        var used = new HashSet<AllowlistEntry>(ReferenceEqualityComparer.Instance);

        var active = new List<Finding>();
        var suppressed = new List<SuppressedFinding>();
        foreach (var finding in findings)
        {
            var entry = live.FirstOrDefault(e => e.Matches(finding));
            if (entry is null)
            {
                active.Add(finding);
                continue;
            }

            used.Add(entry);
            suppressed.Add(new SuppressedFinding(finding, entry));
        }

        var blocking = new List<Finding>();
        var warnings = new List<Finding>();
        var ignored = 0;
        foreach (var finding in active)
        {
            switch (Classify(finding, policy))
            {
                case SeverityAction.Block:
                    blocking.Add(finding);
                    break;
                case SeverityAction.Warn:
                    warnings.Add(finding);
                    break;
                default:
                    ignored++;
                    break;
            }
        }

        var reasons = new List<string>();
        if (blocking.Count > 0)
        {
            reasons.Add($"{blocking.Count} finding(s) block under {PolicyName(policy)}: " +
                        string.Join(", ", blocking.Take(5).Select(f => $"{f.Id} ({f.Severity.Label()}, {f.Package ?? f.Target})")) +
                        (blocking.Count > 5 ? $" and {blocking.Count - 5} more" : "") +
                        ". Upgrade to the fixed versions, or record an approved exception in " + ScanAllowlist.DefaultPath + ".");
        }

        foreach (var entry in expired)
        {
            reasons.Add($"{entry.Location}: allowlist entry {entry.Describe()} expired on {entry.Expires:yyyy-MM-dd}. " +
                        "Fix the finding and delete the entry, or renew it with a new expires date and approval.");
        }

        var ran = sources.Any(s => s.Ran);
        var messages = new List<string>();
        foreach (var source in sources.Where(s => !s.Ran))
        {
            messages.Add($"{source.Name} did not scan: {source.NotRunReason}");
        }

        foreach (var source in sources.Where(s => s.Ran))
        {
            messages.AddRange(source.Notes.Select(n => $"{source.Name}: {n}"));
        }

        if (!ran)
        {
            var text = sources.Count == 0
                ? "no scan report was given and no scanner ran, so nothing was checked"
                : "no scan source produced data, so nothing was checked";
            if (policy.WhenNoScanRan == NoScanAction.Block)
            {
                reasons.Add($"{char.ToUpperInvariant(text[0])}{text[1..]}. Give a Trivy/SARIF/NuGet report, make trivy able to scan, or set whenNoScanRan: warn in {ScanPolicy.DefaultPath}.");
            }
            else
            {
                messages.Add(text + " (whenNoScanRan: warn).");
            }
        }

        var unused = live.Where(e => !used.Contains(e)).ToList();
        foreach (var entry in unused)
        {
            messages.Add($"{entry.Location}: allowlist entry {entry.Describe()} matched no finding; delete it if the vulnerability is gone.");
        }

        return new ScanVerdict
        {
            Blocked = reasons.Count > 0,
            BlockReasons = reasons,
            Counts = Severities.WorstFirst.Select(s => Count(active, s)).ToList(),
            BlockingFindings = Order(blocking),
            WarningFindings = Order(warnings),
            IgnoredCount = ignored,
            Suppressed = suppressed,
            ExpiredEntries = expired,
            UnusedEntries = unused,
            Messages = messages,
            Sources = sources.Select(s => new SourceSummary(s.Name, s.Tool, s.Ran, s.NotRunReason, s.Findings.Count, s.Notes)).ToList(),
            Policy = policy,
            Findings = Order(active),
            EvaluatedOn = today,
        };
    }

    /// <summary>What the policy does with one finding: Block, Warn or Ignore (BlockFixable is resolved here).</summary>
    public static SeverityAction Classify(Finding finding, ScanPolicy policy)
    {
        if (policy.IgnoreUnfixed && finding.Fix == FixState.NoFix)
        {
            return SeverityAction.Ignore;
        }

        return policy.ActionFor(finding.Severity) switch
        {
            SeverityAction.Block => SeverityAction.Block,
            // Unknown counts as fixable: NuGet's audit never names a fixed version, yet nearly every advisory has one.
            SeverityAction.BlockFixable => finding.Fix == FixState.NoFix ? SeverityAction.Warn : SeverityAction.Block,
            SeverityAction.Warn => SeverityAction.Warn,
            _ => SeverityAction.Ignore,
        };
    }

    /// <summary>The same advisory for the same package version seen by two sources (e.g. Trivy JSON and SARIF) is one finding; the richer record wins.</summary>
    internal static List<Finding> Deduplicate(IEnumerable<Finding> findings)
    {
        var byKey = new Dictionary<(string, string, string), Finding>();
        var order = new List<(string, string, string)>();
        foreach (var finding in findings)
        {
            if (!byKey.TryGetValue(finding.Key, out var existing))
            {
                byKey[finding.Key] = finding;
                order.Add(finding.Key);
            }
            else if (Richness(finding) > Richness(existing))
            {
                byKey[finding.Key] = finding;
            }
        }

        return order.Select(k => byKey[k]).ToList();
    }

    private static int Richness(Finding f) => (f.Fix == FixState.Unknown ? 0 : 2) + (f.Severity == Severity.Unknown ? 0 : 1);

    private static SeverityCount Count(List<Finding> findings, Severity severity)
    {
        int fixable = 0, noFix = 0, unknown = 0;
        foreach (var f in findings)
        {
            if (f.Severity != severity)
            {
                continue;
            }

            switch (f.Fix)
            {
                case FixState.Fixed:
                    fixable++;
                    break;
                case FixState.NoFix:
                    noFix++;
                    break;
                default:
                    unknown++;
                    break;
            }
        }

        return new SeverityCount(severity, fixable, noFix, unknown);
    }

    private static List<Finding> Order(List<Finding> findings) =>
        findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Id, StringComparer.Ordinal).ThenBy(f => f.Package, StringComparer.Ordinal).ToList();

    private static string PolicyName(ScanPolicy policy) => policy.Origin == "defaults" ? "the default policy" : policy.Origin;
}
