using Handoff.Delivery.Config;
using Handoff.Reports;

namespace Handoff.DeliveryValidation.Reporting;

/// <summary>
/// Writes a finished report everywhere it is read: the console table, GitHub Actions annotations
/// (on GitHub Actions), summary.md / junit.xml / results.sarif (and GitLab code quality on GitLab CI)
/// in the artifacts folder, and the job summary when GITHUB_STEP_SUMMARY is set.
/// </summary>
internal static class ReportPublisher
{
    public static ReportFiles Publish(ValidationReport report, string artifactsDirectory, CiInfo ci, TextWriter output)
    {
        output.Write(ReportWriters.ConsoleText(report));
        if (ci.IsGitHubActions)
        {
            foreach (var annotation in ReportWriters.GitHubAnnotations(report))
            {
                output.WriteLine(annotation);
            }
        }

        ReportFiles files;
        try
        {
            files = ReportSink.Write(report, artifactsDirectory, HandoffConfig.FileName, gitLab: ci.IsGitLab, stepSummary: ci.SummaryFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HandoffException($"Cannot write the validation reports to {artifactsDirectory}: {ex.Message}. Pass a writable folder with --artifacts.", ex);
        }

        output.WriteLine($"Reports: {string.Join(", ", new[] { files.Summary, files.JUnit, files.Sarif, files.GitLabCodeQuality }.OfType<string>())}");
        return files;
    }

    /// <summary>The CI a run is in, from the environment variables the CI sets.</summary>
    public static CiInfo Detect(Func<string, string?> environment)
    {
        string? Get(string name) => environment(name) is { Length: > 0 } value ? value : null;
        var system = Get("GITHUB_ACTIONS") == "true" ? "GitHub Actions" : Get("GITLAB_CI") == "true" ? "GitLab CI" : CiInfo.Local.System;
        return new CiInfo { System = system, SummaryFile = Get("GITHUB_STEP_SUMMARY") };
    }
}
