namespace Handoff.SupplyChain.Scanning;

/// <summary>
/// One input of the gate: a report file or a scanner run. A source that did not run (or whose data
/// source gave nothing) carries its reason and no findings, so nobody mistakes it for a clean result.
/// </summary>
public sealed record ScanSource
{
    /// <summary>What the reader sees, e.g. <c>trivy report alpine-310.json</c>.</summary>
    public required string Name { get; init; }
    public required string Tool { get; init; }
    public required bool Ran { get; init; }
    public string? NotRunReason { get; init; }
    public IReadOnlyList<Finding> Findings { get; init; } = [];
    /// <summary>Caveats that do not stop the source from counting, e.g. one NuGet source without vulnerability data.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public static ScanSource DidNotRun(string name, string tool, string reason) => new() { Name = name, Tool = tool, Ran = false, NotRunReason = reason };
}
