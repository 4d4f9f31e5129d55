namespace Handoff.Delivery.Promotion;

/// <summary>
/// What is being promoted, wherever it came from (a release.json, or another environment's pin):
/// the digest, and the facts that travel with it into trailers and the request body.
/// </summary>
public sealed record PromotionSubject
{
    public required Digest Digest { get; init; }
    public string? Tag { get; init; }

    /// <summary>The image name to write as <c>repository</c>, when the app writes it (handoff.yaml writeRepository).</summary>
    public string? Repository { get; init; }

    /// <summary>The full image name for display (<c>registry/repository</c>).</summary>
    public string? ImageName { get; init; }

    public string? SourceCommit { get; init; }
    public string? SourceRepository { get; init; }

    /// <summary>
    /// The CI run that built the image: a URL, an id when there is no URL, <c>local</c> for a build
    /// outside CI; null when not known.
    /// </summary>
    public string? Run { get; init; }

    /// <summary>"release" for a promotion straight from CI, else the environment it was promoted from.</summary>
    public required string PromotedFrom { get; init; }

    /// <summary>The release the subject came from, for test and scan summaries; null when promoted from an environment.</summary>
    public Release? Release { get; init; }

    public static PromotionSubject FromRelease(Release release) => new()
    {
        Digest = Digest.Parse(release.Image.Digest),
        Tag = release.Image.Tag,
        Repository = $"{release.Image.Registry}/{release.Image.Repository}",
        ImageName = $"{release.Image.Registry}/{release.Image.Repository}",
        SourceCommit = release.Source.Commit,
        SourceRepository = release.Source.Repository,
        Run = release.Build.RunUrl ?? release.Build.RunId ?? (IsLocal(release.Build) ? Git.HandoffTrailers.LocalRun : null),
        PromotedFrom = Git.HandoffTrailers.FromRelease,
        Release = release,
    };

    /// <summary>A release written outside CI: release.json says "local" (or nothing) for the CI system.</summary>
    private static bool IsLocal(ReleaseBuild build) =>
        string.IsNullOrWhiteSpace(build.CiSystem) || string.Equals(build.CiSystem, CiInfo.Local.System, StringComparison.OrdinalIgnoreCase);

    /// <summary>The first 7 characters of the source commit, for titles.</summary>
    public string? ShortCommit => SourceCommit is { Length: >= 7 } commit ? commit[..7] : SourceCommit;
}
