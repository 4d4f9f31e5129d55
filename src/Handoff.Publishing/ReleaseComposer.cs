namespace Handoff.Publishing;

/// <summary>Assembles release.json from what the Publish chain learned, preferring CI facts over local git where both exist.</summary>
public static class ReleaseComposer
{
    public static Release Compose(ImageReference pinned, string? mediaType, SourceInfo source, CiInfo ci, DateTimeOffset startedAt, DateTimeOffset finishedAt, TrxReport? tests)
    {
        var digest = pinned.Digest ?? throw new ArgumentException("The image reference must carry the digest read back from the registry.", nameof(pinned));
        return new Release
        {
            Image = new ReleaseImage
            {
                Registry = pinned.Registry,
                Repository = pinned.Repository,
                Tag = pinned.Tag,
                Digest = digest.ToString(),
                Reference = pinned.Pinned,
                MediaType = mediaType,
            },
            Source = new ReleaseSource
            {
                Repository = source.RepositoryFor(ci),
                Commit = ci.Commit ?? source.Commit,
                Branch = ci.Branch ?? source.Branch,
            },
            Build = new ReleaseBuild
            {
                CiSystem = ci.System,
                RunUrl = ci.RunUrl,
                RunId = ci.RunId,
                StartedAt = startedAt,
                FinishedAt = finishedAt,
            },
            Tests = tests is null ? null : new ReleaseTests { Passed = tests.Passed, Failed = tests.Failed, Skipped = tests.Skipped },
        };
    }
}

/// <summary>GitHub Actions step outputs and job summary, so later steps and humans see the digest.</summary>
public static class GitHubActionsOutputs
{
    public static void Write(Release release, string? outputFile, string? summaryFile)
    {
        if (!string.IsNullOrEmpty(outputFile))
        {
            File.AppendAllText(outputFile, $"digest={release.Image.Digest}\nimage={release.Image.Reference}\n");
        }

        if (!string.IsNullOrEmpty(summaryFile))
        {
            var tests = release.Tests is { } t ? $"| Tests | {t.Passed} passed, {t.Failed} failed, {t.Skipped} skipped |\n" : "";
            File.AppendAllText(summaryFile,
                $"### Handoff release\n\n| | |\n|---|---|\n| Image | `{release.Image.Reference}` |\n| Tag | `{release.Image.Tag}` |\n| Digest | `{release.Image.Digest}` |\n| Commit | `{release.Source.Commit}` |\n{tests}\n");
        }
    }
}
