namespace Handoff.Reports;

public sealed record ReportFiles(string Summary, string JUnit, string Sarif, string? GitLabCodeQuality);

/// <summary>Writes the report files of a validation run into one folder (artifacts/validation).</summary>
public static class ReportSink
{
    /// <param name="directory">Output folder, created when missing.</param>
    /// <param name="fallbackFile">Repository-relative file for findings without a location (handoff.yaml).</param>
    /// <param name="gitLab">Also write gl-code-quality-report.json.</param>
    /// <param name="stepSummary">When set (GITHUB_STEP_SUMMARY), the Markdown summary is appended to it.</param>
    public static ReportFiles Write(ValidationReport report, string directory, string fallbackFile, bool gitLab, string? stepSummary)
    {
        Directory.CreateDirectory(directory);
        var markdown = ReportWriters.Markdown(report);
        var files = new ReportFiles(
            Path.Combine(directory, "summary.md"),
            Path.Combine(directory, "junit.xml"),
            Path.Combine(directory, "results.sarif"),
            gitLab ? Path.Combine(directory, "gl-code-quality-report.json") : null);
        AtomicFile.WriteAllText(files.Summary, markdown);
        AtomicFile.WriteAllText(files.JUnit, ReportWriters.JUnit(report));
        AtomicFile.WriteAllText(files.Sarif, ReportWriters.Sarif(report, fallbackFile));
        if (files.GitLabCodeQuality is not null)
        {
            AtomicFile.WriteAllText(files.GitLabCodeQuality, ReportWriters.GitLabCodeQuality(report, fallbackFile));
        }

        if (!string.IsNullOrEmpty(stepSummary))
        {
            File.AppendAllText(stepSummary, markdown + "\n");
        }

        return files;
    }
}
