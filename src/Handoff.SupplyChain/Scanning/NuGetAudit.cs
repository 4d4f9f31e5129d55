namespace Handoff.SupplyChain.Scanning;

/// <summary>
/// Runs <c>dotnet list package --vulnerable --include-transitive --format json</c> for a project and
/// writes the report where the scan gate reads it; whether the source had vulnerability data at all is
/// judged when the report is read (<see cref="NuGetSourceProbe"/>), so a silent source never reads as clean.
/// </summary>
public static class NuGetAudit
{
    public static async Task<string> RunAsync(string project, string reportPath, CancellationToken cancellationToken = default)
    {
        var result = await Exec.RunAsync("dotnet", ["list", project, "package", "--vulnerable", "--include-transitive", "--format", "json"],
            new ExecOptions { WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(project)), Timeout = TimeSpan.FromMinutes(5) }, cancellationToken);
        result.EnsureSuccess($"Listing vulnerable packages of {project}");
        AtomicFile.WriteAllText(reportPath, result.StandardOutput);
        return reportPath;
    }
}
