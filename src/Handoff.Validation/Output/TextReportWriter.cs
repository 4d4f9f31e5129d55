using Handoff.Validation.Validation;

namespace Handoff.Validation.Output;

/// <summary>
/// kubeconform-style console output: one line per invalid or errored resource,
/// <c>file:line: Kind name is invalid: /path: message</c>, then the summary line. Valid and skipped
/// resources are listed only when verbose.
/// </summary>
public static class TextReportWriter
{
    public static void Write(ValidationReport report, TextWriter output, bool verbose = false)
    {
        foreach (var warning in report.Warnings)
        {
            output.WriteLine(Secrets.Redact("warning: " + warning));
        }

        foreach (var result in report.Results)
        {
            if (FormatLine(result, verbose) is { } line)
            {
                output.WriteLine(Secrets.Redact(line));
            }
        }

        output.WriteLine(report.Summary.ToString());
    }

    /// <summary>The line for one result, or null when it is not shown.</summary>
    public static string? FormatLine(ResourceResult result, bool verbose = false)
    {
        var where = result.Position.IsKnown ? $"{result.File}:{result.Line}" : result.File;
        var what = result.Identity.Display;
        var subject = what.Length > 0 ? $"{where}: {what}" : where + ":";
        return result.Status switch
        {
            ValidationStatus.Invalid => $"{subject} is invalid: {string.Join(" - ", result.Violations)}",
            ValidationStatus.Error => $"{subject} failed validation: {result.Message}",
            ValidationStatus.Skipped when verbose => $"{subject} {result.Message}",
            ValidationStatus.Valid when verbose => $"{subject} is valid",
            _ => null,
        };
    }
}
