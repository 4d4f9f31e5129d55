namespace Handoff.Reports;

public enum FindingSeverity
{
    Error,
    Warning,
    Note,
}

/// <summary>Which check produced a finding; each becomes a SARIF rule family and a JUnit suite.</summary>
public static class CheckKinds
{
    public const string Render = "render";
    public const string Schema = "schema";
    public const string Policy = "policy";
    public const string Freeze = "freeze";
    public const string Custody = "custody";
    public const string Provenance = "provenance";
    public const string Config = "config";
}

/// <summary>The Kubernetes object a finding is about, when there is one.</summary>
public sealed record ResourceId(string? ApiVersion, string Kind, string? Namespace, string Name)
{
    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}

/// <summary>
/// One problem (or warning) found while validating a delivery repository. File paths are relative to
/// the repository root with forward slashes, so every report format can point at the same line.
/// </summary>
public sealed record Finding
{
    public required string Check { get; init; }
    /// <summary>A stable rule identifier within the check, e.g. a Kyverno policy/rule or "schema/invalid".</summary>
    public required string RuleId { get; init; }
    public required FindingSeverity Severity { get; init; }
    public required string Message { get; init; }
    public string? App { get; init; }
    public string? Environment { get; init; }
    public ResourceId? Resource { get; init; }
    public string? File { get; init; }
    public int Line { get; init; }
    public int Column { get; init; }
    /// <summary>What to do about it, when the check knows.</summary>
    public string? Fix { get; init; }

    public string Scope => App is null ? Environment ?? "repository" : Environment is null ? App : $"{App}/{Environment}";
}

/// <summary>A check that ran cleanly on a scope; JUnit lists it as a passing test case.</summary>
public sealed record CheckRun(string Check, string Scope, int ItemsChecked);

/// <summary>Everything a validation run produced.</summary>
public sealed class ValidationReport
{
    public List<Finding> Findings { get; } = [];
    public List<CheckRun> Runs { get; } = [];
    public TimeSpan Duration { get; set; }

    public int Errors => Findings.Count(f => f.Severity == FindingSeverity.Error);
    public int Warnings => Findings.Count(f => f.Severity == FindingSeverity.Warning);
    public bool Failed => Errors > 0;
}
