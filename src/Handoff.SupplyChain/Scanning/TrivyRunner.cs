namespace Handoff.SupplyChain.Scanning;

/// <summary>Options for <see cref="TrivyRunner"/>.</summary>
public sealed record TrivyRunOptions
{
    /// <summary>The image as a docker-archive / OCI tarball (what BuildImage writes).</summary>
    public required string ImageArchive { get; init; }
    /// <summary>An explicit trivy binary; otherwise tools/bin then PATH.</summary>
    public string? TrivyPath { get; init; }
    /// <summary>Searched before PATH, normally the repository's tools/bin.</summary>
    public IReadOnlyList<string> ToolDirectories { get; init; } = [];
    /// <summary>Trivy's cache (vulnerability DB); a persistent folder lets CI reuse the DB.</summary>
    public string? CacheDirectory { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Runs <c>trivy image --input ARCHIVE --format json</c>. Trivy cannot scan without its
/// vulnerability database, which it downloads on first use; offline that fails, and the result is
/// a source that did not run with trivy's reason, never an empty (clean-looking) report.
/// </summary>
public static class TrivyRunner
{
    public const string InstallHint = "install it with ../shared/tools/get-trivy.sh tools/bin, or see https://trivy.dev for other installs";

    public static async Task<ScanSource> RunAsync(TrivyRunOptions options, CancellationToken cancellationToken = default)
    {
        // Named plainly "trivy" so a failure reads "trivy did not scan: <reason>"; the reason names the archive.
        const string name = "trivy";
        var archive = Path.GetFileName(options.ImageArchive);
        var trivy = options.TrivyPath ?? Exec.FindOnPath("trivy", [.. options.ToolDirectories]);
        if (trivy is null || !File.Exists(trivy))
        {
            return ScanSource.DidNotRun(name, TrivyReportParser.Tool, $"trivy is not installed (looked in {string.Join(", ", options.ToolDirectories.Append("PATH"))}); {InstallHint}");
        }

        if (!File.Exists(options.ImageArchive))
        {
            return ScanSource.DidNotRun(name, TrivyReportParser.Tool, $"the image archive {options.ImageArchive} does not exist (BuildImage writes it)");
        }

        var output = Path.Combine(Path.GetTempPath(), $"handoff-trivy-{Guid.NewGuid():N}.json");
        var arguments = new List<string> { "image", "--input", options.ImageArchive, "--format", "json", "--output", output, "--scanners", "vuln" };
        if (options.CacheDirectory is not null)
        {
            arguments.AddRange(["--cache-dir", options.CacheDirectory]);
        }

        try
        {
            ExecResult result;
            try
            {
                result = await Exec.RunAsync(trivy, arguments, new ExecOptions { Timeout = options.Timeout }, cancellationToken);
            }
            catch (HandoffException ex)
            {
                return ScanSource.DidNotRun(name, TrivyReportParser.Tool, $"{ex.Message} (image archive {archive})");
            }

            if (!result.Succeeded || !File.Exists(output) || new FileInfo(output).Length == 0)
            {
                return ScanSource.DidNotRun(name, TrivyReportParser.Tool, $"{FailureReason(result)} (image archive {archive})");
            }

            try
            {
                return TrivyReportParser.Parse(output) with { Name = $"trivy image {archive}" };
            }
            catch (HandoffException ex)
            {
                return ScanSource.DidNotRun(name, TrivyReportParser.Tool, $"its JSON output for {archive} could not be read: {ex.Message}");
            }
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>The most useful sentence from a failed trivy run: its FATAL/ERROR line, or what it was doing when it stopped.</summary>
    internal static string FailureReason(ExecResult result)
    {
        var lines = (result.StandardError + "\n" + result.StandardOutput)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var fatal = lines.LastOrDefault(l => l.Contains("\tFATAL\t", StringComparison.Ordinal) || l.Contains("\tERROR\t", StringComparison.Ordinal)
                                             || l.StartsWith("FATAL", StringComparison.Ordinal) || l.StartsWith("ERROR", StringComparison.Ordinal));
        if (fatal is not null)
        {
            return $"exit code {result.ExitCode}: {StripTimestamp(fatal)}";
        }

        if (lines.Any(l => l.Contains("Downloading vulnerability DB", StringComparison.Ordinal) || l.Contains("Need to update DB", StringComparison.Ordinal)))
        {
            return $"it could not get its vulnerability database (offline, or the DB registry is unreachable) and exited with code {result.ExitCode}; " +
                   $"last output: {StripTimestamp(lines[^1])}";
        }

        return result.ExitCode == 0
            ? "it wrote no report"
            : $"exit code {result.ExitCode}" + (lines.Length > 0 ? $": {StripTimestamp(lines[^1])}" : " with no output");
    }

    private static string StripTimestamp(string line)
    {
        var parts = line.Split('\t');
        return parts.Length >= 3 ? string.Join(' ', parts[2..]) : line;
    }
}
