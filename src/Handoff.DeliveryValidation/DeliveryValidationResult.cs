using Handoff.Reports;

namespace Handoff.DeliveryValidation;

/// <summary>One app in one environment that was validated, and the changed files that put it in scope (none when auditing).</summary>
public sealed record ValidatedTarget(string App, string Environment, IReadOnlyList<string> ChangedFiles, bool Rendered)
{
    public string Scope => $"{App}/{Environment}";
}

/// <summary>The outcome of ValidateDelivery: the findings, the exit code (1 on any error), where the reports went, and what was in scope.</summary>
public sealed record DeliveryValidationResult(ValidationReport Report, int ExitCode, ReportFiles? Files, IReadOnlyList<ValidatedTarget> Targets, string ScopeSummary)
{
    public bool Passed => ExitCode == 0;
}
