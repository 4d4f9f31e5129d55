using Handoff.Validation.Loading;

namespace Handoff.Validation.Validation;

public enum ValidationStatus
{
    Valid,
    Invalid,
    Error,
    Skipped,
}

/// <summary>One schema violation: the instance path (JSON pointer), what is wrong, and where it is in the file.</summary>
/// <param name="Keyword">The JSON Schema keyword that failed (type, enum, required, additionalProperties, …), for rule ids in reports.</param>
public sealed record SchemaViolation(string Path, string Message, string Keyword, SourcePosition Position)
{
    public override string ToString() => $"{(Path.Length == 0 ? "/" : Path)}: {Message}";
}

/// <summary>The verdict for one resource (or for an input that could not be read as one).</summary>
public sealed record ResourceResult
{
    public required string File { get; init; }

    public required ResourceIdentity Identity { get; init; }

    public required ValidationStatus Status { get; init; }

    /// <summary>0-based YAML document index in the file; -1 for a problem with the file itself.</summary>
    public int DocumentIndex { get; init; }

    /// <summary>Index in <c>items</c> for a resource from a <c>kind: List</c>.</summary>
    public int? ItemIndex { get; init; }

    /// <summary>Where the resource starts (or, for an error, where the problem is).</summary>
    public SourcePosition Position { get; init; }

    public int Line => Position.Line;

    public int Column => Position.Column;

    /// <summary>For <see cref="ValidationStatus.Error"/>: what kind of problem.</summary>
    public ManifestErrorKind? ErrorKind { get; init; }

    /// <summary>For errors and skips: the reason and the fix.</summary>
    public string? Message { get; init; }

    public IReadOnlyList<SchemaViolation> Violations { get; init; } = [];

    /// <summary>The schema the resource was checked against (file, URL or CRD), when one was found.</summary>
    public string? SchemaOrigin { get; init; }

    /// <summary>Every message for this resource: violations for invalid resources, the reason otherwise.</summary>
    public IEnumerable<string> Messages => Status == ValidationStatus.Invalid ? Violations.Select(v => v.ToString()) : Message is null ? [] : [Message];
}

/// <summary>kubeconform's counters.</summary>
public sealed record ValidationSummary(int Files, int Resources, int Valid, int Invalid, int Errors, int Skipped)
{
    /// <summary>kubeconform's line: <c>Summary: 7 resources found in 2 files - Valid: 7, Invalid: 0, Errors: 0, Skipped: 0</c>.</summary>
    public override string ToString() =>
        $"Summary: {Resources} resource{(Resources > 1 ? "s" : "")} found in {Files} file{(Files > 1 ? "s" : "")} - Valid: {Valid}, Invalid: {Invalid}, Errors: {Errors}, Skipped: {Skipped}";
}

/// <summary>All verdicts of a run, in input order.</summary>
public sealed class ValidationReport
{
    public ValidationReport(IReadOnlyList<ResourceResult> results, IReadOnlyList<string> files, IReadOnlyList<string>? warnings = null)
    {
        Results = results;
        Files = files;
        Warnings = warnings ?? [];
        Summary = new ValidationSummary(
            files.Count,
            results.Count,
            results.Count(r => r.Status == ValidationStatus.Valid),
            results.Count(r => r.Status == ValidationStatus.Invalid),
            results.Count(r => r.Status == ValidationStatus.Error),
            results.Count(r => r.Status == ValidationStatus.Skipped));
    }

    public IReadOnlyList<ResourceResult> Results { get; }

    public IReadOnlyList<string> Files { get; }

    /// <summary>Problems that did not affect a verdict (e.g. an unreadable file in a CRD folder).</summary>
    public IReadOnlyList<string> Warnings { get; }

    public ValidationSummary Summary { get; }

    /// <summary>False when any resource is invalid or could not be validated.</summary>
    public bool Succeeded => Summary.Invalid == 0 && Summary.Errors == 0;

    /// <summary>kubeconform's exit status: 1 when anything is invalid or errored.</summary>
    public int ExitCode => Succeeded ? 0 : 1;
}
