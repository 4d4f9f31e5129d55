namespace Handoff.SupplyChain.Scanning;

/// <summary>Counts of active (not suppressed) findings of one severity, by whether a fix exists.</summary>
public sealed record SeverityCount(Severity Severity, int Fixable, int NoFix, int FixUnknown)
{
    public int Total => Fixable + NoFix + FixUnknown;
}

/// <summary>A finding an allowlist entry let through.</summary>
public sealed record SuppressedFinding(Finding Finding, AllowlistEntry Entry);

/// <summary>What a source contributed, for the summary.</summary>
public sealed record SourceSummary(string Name, string Tool, bool Ran, string? NotRunReason, int Findings, IReadOnlyList<string> Notes);

/// <summary>The gate's decision and everything needed to explain it.</summary>
public sealed record ScanVerdict
{
    public required bool Blocked { get; init; }
    /// <summary>One sentence per reason the gate blocks (blocking findings, expired exceptions, no scan).</summary>
    public required IReadOnlyList<string> BlockReasons { get; init; }
    public required IReadOnlyList<SeverityCount> Counts { get; init; }
    public required IReadOnlyList<Finding> BlockingFindings { get; init; }
    /// <summary>Findings the policy warns about (not blocking, not suppressed, not ignored).</summary>
    public required IReadOnlyList<Finding> WarningFindings { get; init; }
    public required int IgnoredCount { get; init; }
    public required IReadOnlyList<SuppressedFinding> Suppressed { get; init; }
    public required IReadOnlyList<AllowlistEntry> ExpiredEntries { get; init; }
    public required IReadOnlyList<AllowlistEntry> UnusedEntries { get; init; }
    /// <summary>Non-blocking messages: unused exceptions, sources that did not run, source caveats.</summary>
    public required IReadOnlyList<string> Messages { get; init; }
    public required IReadOnlyList<SourceSummary> Sources { get; init; }
    public required ScanPolicy Policy { get; init; }
    /// <summary>All active findings, deduplicated across sources (for SARIF).</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }
    public required DateOnly EvaluatedOn { get; init; }

    public bool AnySourceRan => Sources.Any(s => s.Ran);

    public SeverityCount CountOf(Severity severity) => Counts.First(c => c.Severity == severity);

    /// <summary>"blocked", "passed with warnings" or "passed" — and never "passed" when nothing was scanned.</summary>
    public string Outcome => Blocked ? "blocked"
        : !AnySourceRan ? "passed without scan data"
        : WarningFindings.Count > 0 || Messages.Count > 0 ? "passed with warnings"
        : "passed";
}
