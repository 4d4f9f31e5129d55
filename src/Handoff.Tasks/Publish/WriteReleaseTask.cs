using Handoff.Frosting;
using Handoff.Publishing;

namespace Handoff.Tasks.Publish;

[TaskName("WriteRelease")]
[TaskDescription("Writes artifacts/release.json (image, pinned digest, source, CI run); on GitHub Actions also the digest output and a job summary.")]
[IsDependentOn(typeof(Handoff.Tasks.SupplyChain.AttestTask))]
public sealed class WriteReleaseTask : AsyncFrostingTask<HandoffContext>
{
    public override bool ShouldRun(HandoffContext context) => !CaptureDigestTask.IsStandalone(context);

    public override async Task RunAsync(HandoffContext context)
    {
        var pinned = context.Publish.Pinned ?? throw new HandoffException("No captured digest: WriteRelease runs after CaptureDigest in the Publish chain.");
        var source = await context.SourceAsync();
        var ci = CiDetector.Detect(context);
        var release = ReleaseComposer.Compose(pinned, context.Publish.ManifestMediaType, source, ci, context.StartedAt, DateTimeOffset.UtcNow, context.Publish.Tests);
        release.Scan = context.Publish.Scan;
        release.Attestations = context.Publish.Attestations;
        var path = context.InRoot(context.Parameters.Get("release", Path.Combine(Path.GetRelativePath(context.RootDirectory, context.ArtifactsDirectory), "release.json")));
        release.Save(path);
        context.Publish.Release = release;
        context.Publish.ReleasePath = path;
        if (ci.IsGitHubActions)
        {
            GitHubActionsOutputs.Write(release, ci.OutputFile, ci.SummaryFile);
        }

        context.Info($"Wrote {Path.GetRelativePath(context.RootDirectory, path)}: {release.Image.Reference}");
    }
}
