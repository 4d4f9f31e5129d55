namespace Handoff;

/// <summary>
/// Facts about the CI run (or the laptop) a build ran in. Filled from Cake's build-system providers by
/// the task layer; consumed by release.json, provenance and promotion PR bodies.
/// </summary>
public sealed record CiInfo
{
    public static CiInfo Local { get; } = new() { System = "local" };

    /// <summary>"GitHub Actions", "GitLab CI", "Azure Pipelines", "Jenkins", … or "local".</summary>
    public required string System { get; init; }
    public string? RunId { get; init; }
    public string? RunUrl { get; init; }
    /// <summary>An identity for provenance's builder.id, e.g. the workflow ref URI on GitHub Actions.</summary>
    public string? BuilderId { get; init; }
    public string? RepositoryUrl { get; init; }
    public string? Commit { get; init; }
    public string? Branch { get; init; }
    /// <summary>Where GitHub Actions wants step outputs and the job summary (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY).</summary>
    public string? OutputFile { get; init; }
    public string? SummaryFile { get; init; }

    public bool IsGitHubActions => System == "GitHub Actions";
    public bool IsGitLab => System == "GitLab CI";
}
