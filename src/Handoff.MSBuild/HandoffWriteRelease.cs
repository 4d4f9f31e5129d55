using Handoff.Publishing;
using Microsoft.Build.Framework;

namespace Handoff.MSBuild;

/// <summary>
/// Writes release.json (the <see cref="Handoff.Release"/> model the delivery side promotes) for a pinned
/// image: registry, repository, tag, digest, media type, the source (CI variables first, then git) and
/// the CI run, plus test counts from TRX files when given. On GitHub Actions it also sets the
/// <c>digest</c> and <c>image</c> step outputs and writes a job summary. The file is written atomically.
/// </summary>
public sealed class HandoffWriteRelease : HandoffTask
{
    /// <summary><c>registry/repository[:tag]@sha256:…</c>: HandoffPushImage's or HandoffCaptureDigest's PinnedReference output.</summary>
    public string? PinnedReference { get; set; }

    /// <summary>The tag pushed, when <see cref="PinnedReference"/> has none.</summary>
    public string? Tag { get; set; }

    /// <summary>The manifest media type (HandoffPushImage's MediaType output).</summary>
    public string? MediaType { get; set; }

    /// <summary>Where to write; relative paths are resolved against the project directory.</summary>
    [Output]
    public string? ReleasePath { get; set; }

    /// <summary>The git work tree to read the commit, branch and remote from; defaults to the project directory.</summary>
    public string? SourceDirectory { get; set; }

    /// <summary>Overrides for what git or CI would say; a URL's user:password@ is removed.</summary>
    public string? SourceRepository { get; set; }

    public string? SourceCommit { get; set; }

    public string? SourceBranch { get; set; }

    /// <summary>When the build started (ISO 8601); defaults to now.</summary>
    public string? StartedAt { get; set; }

    /// <summary>TRX files whose counts go into the release's <c>tests</c>.</summary>
    public ITaskItem[]? TestResults { get; set; }

    private protected override string FailureCode => ErrorCodes.Release;

    private protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var pinned = TaskInputs.Image(PinnedReference, nameof(PinnedReference), "registry/repository@sha256:…, HandoffPushImage's or HandoffCaptureDigest's PinnedReference output.");
        if (pinned.Digest is null)
        {
            throw new TaskParameterException($"{nameof(PinnedReference)}: '{PinnedReference}' has no digest. Pass the pinned form registry/repository@sha256:… that HandoffPushImage or HandoffCaptureDigest outputs.");
        }

        if (TaskInputs.Tag(Tag, nameof(Tag)) is { } tag)
        {
            pinned = pinned.WithTag(tag);
        }

        var path = TaskInputs.FullPath(TaskInputs.Require(ReleasePath, nameof(ReleasePath), "where to write the release, e.g. $(OutDir)release.json."));
        var startedAt = TaskInputs.Timestamp(StartedAt, nameof(StartedAt)) ?? DateTimeOffset.UtcNow;
        var tests = ReadTests();
        var source = await ReadSourceAsync(cancellationToken);
        var ci = CiEnvironment.Detect(Environment.GetEnvironmentVariable);

        var release = ReleaseComposer.Compose(pinned, TaskInputs.Optional(MediaType), source, ci, startedAt, DateTimeOffset.UtcNow, tests);
        release.Save(path);
        if (ci.IsGitHubActions)
        {
            GitHubActionsOutputs.Write(release, ci.OutputFile, ci.SummaryFile);
        }

        ReleasePath = path;
        Reporter.Message($"Wrote {path}: {release.Image.Reference}", MessageImportance.High);
    }

    private TrxReport? ReadTests()
    {
        var files = TaskInputs.List(TestResults);
        if (files.Count == 0)
        {
            return null;
        }

        var missing = files.Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            throw new TaskParameterException($"{nameof(TestResults)}: {string.Join(", ", missing)} not found. Pass the .trx files dotnet test wrote (--logger trx), or leave TestResults empty.");
        }

        return TrxReport.Merge(files.Select(TrxReport.Load));
    }

    private async Task<SourceInfo> ReadSourceAsync(CancellationToken cancellationToken)
    {
        var named = TaskInputs.Optional(SourceDirectory);
        var directory = TaskInputs.FullPath(named ?? ".");
        if (named is not null && !Directory.Exists(directory))
        {
            throw new TaskParameterException($"{nameof(SourceDirectory)}: {directory} does not exist. Pass the app's git work tree, or leave SourceDirectory empty for the project folder.");
        }

        var given = new SourceInfo(TaskInputs.Optional(SourceRepository), TaskInputs.Optional(SourceCommit), TaskInputs.Optional(SourceBranch));
        var git = given is { RepositoryUrl: not null, Commit: not null, Branch: not null }
            ? new SourceInfo(null, null, null)
            : await SourceInfo.ReadAsync(directory, cancellationToken);
        return new SourceInfo(
            (given.RepositoryUrl ?? git.RepositoryUrl) is { } url ? SourceInfo.StripCredentials(url) : null,
            given.Commit ?? git.Commit,
            given.Branch ?? git.Branch);
    }
}
