using System.Collections.Concurrent;
using Handoff.Reports;

namespace Handoff.DeliveryValidation.Reporting;

/// <summary>
/// Gathers findings and passing check runs from checks running in parallel. Every message and fix is
/// redacted of registered secrets here, the one door into every report format.
/// </summary>
internal sealed class FindingCollector
{
    private readonly ConcurrentQueue<Finding> _findings = new();
    private readonly ConcurrentQueue<CheckRun> _runs = new();

    public void Add(Finding finding) => _findings.Enqueue(finding with
    {
        Message = Secrets.Redact(finding.Message),
        Fix = finding.Fix is null ? null : Secrets.Redact(finding.Fix),
    });

    /// <summary>A located input problem (handoff.yaml, a manifest, a policy) as a finding.</summary>
    public void Add(string check, string ruleId, InputFileException problem, string? app = null, string? environment = null, FindingSeverity severity = FindingSeverity.Error) => Add(new Finding
    {
        Check = check,
        RuleId = ruleId,
        Severity = severity,
        Message = problem.Problem,
        Fix = problem.Fix,
        File = problem.File.Replace('\\', '/'),
        Line = Math.Max(0, problem.Line),
        Column = Math.Max(0, problem.Column),
        App = app,
        Environment = environment,
    });

    public void Run(string check, string scope, int itemsChecked) => _runs.Enqueue(new CheckRun(check, scope, itemsChecked));

    /// <summary>The report, in a stable order whatever order the checks finished in.</summary>
    public ValidationReport ToReport(TimeSpan duration)
    {
        var report = new ValidationReport { Duration = duration };
        report.Findings.AddRange(_findings
            .OrderBy(f => f.Check, StringComparer.Ordinal)
            .ThenBy(f => f.Scope, StringComparer.Ordinal)
            .ThenBy(f => f.File ?? "", StringComparer.Ordinal)
            .ThenBy(f => f.Line)
            .ThenBy(f => f.Column)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal));
        report.Runs.AddRange(_runs
            .GroupBy(r => (r.Check, r.Scope))
            .Select(g => new CheckRun(g.Key.Check, g.Key.Scope, g.Sum(r => r.ItemsChecked)))
            .OrderBy(r => r.Check, StringComparer.Ordinal)
            .ThenBy(r => r.Scope, StringComparer.Ordinal));
        return report;
    }
}
