namespace Handoff.SupplyChain.Scanning;

/// <summary>Vulnerability severity on Trivy's scale; the order matters (higher is worse).</summary>
public enum Severity
{
    Unknown = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

public static class Severities
{
    /// <summary>Worst first, the order of every table and count.</summary>
    public static IReadOnlyList<Severity> WorstFirst { get; } = [Severity.Critical, Severity.High, Severity.Medium, Severity.Low, Severity.Unknown];

    public static string Label(this Severity severity) => severity switch
    {
        Severity.Critical => "CRITICAL",
        Severity.High => "HIGH",
        Severity.Medium => "MEDIUM",
        Severity.Low => "LOW",
        _ => "UNKNOWN",
    };

    /// <summary>Trivy (CRITICAL…UNKNOWN), NuGet (Critical, High, Moderate, Low) and GitHub advisory words.</summary>
    public static bool TryParse(string? text, out Severity severity)
    {
        severity = Severity.Unknown;
        switch (text?.Trim().ToUpperInvariant())
        {
            case "CRITICAL":
                severity = Severity.Critical;
                return true;
            case "HIGH":
                severity = Severity.High;
                return true;
            case "MEDIUM" or "MODERATE":
                severity = Severity.Medium;
                return true;
            case "LOW":
                severity = Severity.Low;
                return true;
            case "UNKNOWN" or "NONE":
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// CVSS score bands, the same GitHub code scanning applies to SARIF's <c>security-severity</c>:
    /// ≥9.0 critical, ≥7.0 high, ≥4.0 medium, &gt;0 low.
    /// </summary>
    public static Severity FromScore(double score) => score switch
    {
        >= 9.0 => Severity.Critical,
        >= 7.0 => Severity.High,
        >= 4.0 => Severity.Medium,
        > 0 => Severity.Low,
        _ => Severity.Unknown,
    };

    /// <summary>A representative score for SARIF output, inside the band of the severity.</summary>
    public static string Score(this Severity severity) => severity switch
    {
        Severity.Critical => "9.5",
        Severity.High => "8.0",
        Severity.Medium => "5.5",
        Severity.Low => "2.0",
        _ => "0.0",
    };
}
