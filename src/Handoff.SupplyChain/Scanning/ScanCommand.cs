using System.Text.Json.Nodes;

namespace Handoff.SupplyChain.Scanning;

/// <summary>Options of the Scan step.</summary>
public sealed record ScanOptions
{
    /// <summary>The app repository; its .handoff/scan.yaml and .handoff/scan-allowlist.yaml are read.</summary>
    public required string RepositoryRoot { get; init; }
    /// <summary>The published project's folder: .handoff/ files are looked up from here up to <see cref="RepositoryRoot"/>, nearest wins (<see cref="ScanConfigFiles"/>).</summary>
    public string? ProjectDirectory { get; init; }
    /// <summary>Report files (Trivy JSON, SARIF, dotnet list package --vulnerable JSON), format detected from content.</summary>
    public IReadOnlyList<string> Reports { get; init; } = [];
    /// <summary>The built image as an archive: scanned with trivy when trivy is installed.</summary>
    public string? ImageArchive { get; init; }
    public string? TrivyPath { get; init; }
    public IReadOnlyList<string> ToolDirectories { get; init; } = [];
    public string? TrivyCacheDirectory { get; init; }
    public TimeSpan TrivyTimeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Where scan.sarif and scan.md are written (normally artifacts/).</summary>
    public required string ArtifactsDirectory { get; init; }
    public string? PolicyPath { get; init; }
    public string? AllowlistPath { get; init; }
    /// <summary>The day allowlist expiry is judged on; today (UTC) when null.</summary>
    public DateOnly? Today { get; init; }
}

/// <summary>What the Scan step produced.</summary>
public sealed record ScanCommandResult(ScanVerdict Verdict, int ExitCode, string SarifPath, string MarkdownPath, JsonObject ReleaseJson, string Markdown);

/// <summary>
/// The Scan step: read the policy and allowlist, read every report, run trivy on the image archive,
/// gate, write <c>scan.sarif</c> and <c>scan.md</c>, print the summary. Exit code 0 passes, 1 blocks.
/// Bad input (a malformed policy, allowlist or report) throws <see cref="HandoffException"/>.
/// </summary>
public static class ScanCommand
{
    public const string SarifFileName = "scan.sarif";
    public const string MarkdownFileName = "scan.md";

    public static async Task<ScanCommandResult> RunAsync(ScanOptions options, TextWriter output, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        var policyPath = options.PolicyPath ?? ScanConfigFiles.Find(ScanPolicy.DefaultPath, options.RepositoryRoot, options.ProjectDirectory);
        var allowlistPath = options.AllowlistPath ?? ScanConfigFiles.Find(ScanAllowlist.DefaultPath, options.RepositoryRoot, options.ProjectDirectory);
        var policy = ScanPolicyLoader.Load(policyPath);
        var allowlist = ScanAllowlistLoader.Load(allowlistPath);
        output.WriteLine(File.Exists(policyPath) ? $"scan: policy {policyPath}" : $"scan: policy: Handoff's defaults (no {ScanPolicy.DefaultPath} from the project up to the repository root)");
        if (File.Exists(allowlistPath))
        {
            output.WriteLine($"scan: allowlist {allowlistPath}");
        }

        var sources = new List<ScanSource>();
        using var ownHttp = http is null ? new HttpClient { Timeout = TimeSpan.FromSeconds(20) } : null;
        var probe = new NuGetSourceProbe(http ?? ownHttp!);
        foreach (var report in options.Reports)
        {
            sources.AddRange(await ScanReportReader.ReadAsync(report, probe, cancellationToken));
        }

        if (options.ImageArchive is not null)
        {
            sources.Add(await TrivyRunner.RunAsync(new TrivyRunOptions
            {
                ImageArchive = options.ImageArchive,
                TrivyPath = options.TrivyPath,
                ToolDirectories = options.ToolDirectories,
                CacheDirectory = options.TrivyCacheDirectory,
                Timeout = options.TrivyTimeout,
            }, cancellationToken));
        }

        var today = options.Today ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var verdict = ScanGate.Evaluate(sources, policy, allowlist, today);

        var markdown = ScanMarkdown.Render(verdict);
        var sarifPath = Path.Combine(options.ArtifactsDirectory, SarifFileName);
        var markdownPath = Path.Combine(options.ArtifactsDirectory, MarkdownFileName);
        AtomicFile.WriteAllText(sarifPath, SarifWriter.ToText(verdict));
        AtomicFile.WriteAllText(markdownPath, markdown);

        foreach (var source in verdict.Sources)
        {
            output.WriteLine(source.Ran
                ? $"scan: {source.Name}: {source.Findings} finding(s)"
                : $"scan: {source.Name} did not scan: {Secrets.Redact(source.NotRunReason)}");
        }

        var counts = string.Join(", ", verdict.Counts.Where(c => c.Total > 0).Select(c => $"{c.Total} {c.Severity.Label()}"));
        output.WriteLine($"scan: {(counts.Length == 0 ? "no findings" : counts)}; {verdict.BlockingFindings.Count} blocking, {verdict.WarningFindings.Count} warning(s), {verdict.Suppressed.Count} suppressed");
        foreach (var suppressed in verdict.Suppressed)
        {
            output.WriteLine($"scan: suppressed {suppressed.Finding.Id} ({suppressed.Finding.Package}) by {suppressed.Entry.Location}: {suppressed.Entry.Reason} — approved by {suppressed.Entry.ApprovedBy} until {suppressed.Entry.Expires:yyyy-MM-dd}");
        }

        foreach (var message in verdict.Messages)
        {
            output.WriteLine($"scan: warning: {Secrets.Redact(message)}");
        }

        foreach (var reason in verdict.BlockReasons)
        {
            output.WriteLine($"scan: BLOCKED: {Secrets.Redact(reason)}");
        }

        output.WriteLine($"scan: {verdict.Outcome} (SARIF: {sarifPath})");
        return new ScanCommandResult(verdict, verdict.Blocked ? 1 : 0, sarifPath, markdownPath, ScanJson.ToJson(verdict), markdown);
    }
}
