namespace Handoff.SupplyChain.Scanning;

/// <summary>Whether a fixed version of the affected package exists.</summary>
public enum FixState
{
    /// <summary>The scanner names a fixed version.</summary>
    Fixed,
    /// <summary>The scanner says there is no fix (yet, or ever).</summary>
    NoFix,
    /// <summary>The source does not say (NuGet's audit data, generic SARIF): treated as fixable by the gate.</summary>
    Unknown,
}

/// <summary>One vulnerability of one package version, as a scanner reported it.</summary>
public sealed record Finding
{
    public required string Id { get; init; }
    public string? Package { get; init; }
    public string? InstalledVersion { get; init; }
    public string? FixedVersion { get; init; }
    public required FixState Fix { get; init; }
    public required Severity Severity { get; init; }
    public string? Title { get; init; }
    public string? Url { get; init; }
    /// <summary>What was scanned: an image layer's OS, a lock file, a project.</summary>
    public required string Target { get; init; }
    /// <summary>Trivy's result type (alpine, debian, npm, nuget, dotnet-core…), when known.</summary>
    public string? Ecosystem { get; init; }
    /// <summary>The tool that reported it (Trivy, NuGet, a SARIF driver name): merged SARIF has one run per tool.</summary>
    public required string Tool { get; init; }
    /// <summary>The line in the target, when the source gives one (SARIF).</summary>
    public int? Line { get; init; }

    /// <summary>Identity across sources: the same advisory for the same package version is one finding.</summary>
    public (string, string, string) Key => (Id.ToUpperInvariant(), Package?.ToLowerInvariant() ?? "", InstalledVersion ?? "");

    public string FixedDisplay => Fix switch
    {
        FixState.Fixed => FixedVersion!,
        FixState.NoFix => "no fix",
        _ => "unknown",
    };
}
