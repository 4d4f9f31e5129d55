using Handoff.Frosting;
using Handoff.Tasks;
using Handoff.Tasks.Delivery;
using Handoff.Tasks.Demo;
using Handoff.Tasks.Publish;

namespace Handoff.Build.Targets;

[TaskName("Publish")]
[TaskDescription("App repo: Test → BuildImage → PushImage → CaptureDigest → WriteRelease → OpenPromotionPr (--registry, --repository, --tag, --project or --image-archive, --delivery-repo).")]
[IsDependentOn(typeof(WriteReleaseTask))]
[IsDependentOn(typeof(OpenPromotionPrTask))]
public sealed class PublishTarget : FrostingTask<HandoffContext>
{
    public override void Run(HandoffContext context)
    {
        if (context.Publish.Release is { } release)
        {
            context.Info($"Published {release.Image.Reference}");
        }
    }
}

[TaskName("Demo")]
[TaskDescription("The whole handoff on this machine, offline, no configuration: a throwaway registry and delivery repo, Publish of the sample app, then dev → staging → prod and a prod rollback by merged PRs.")]
[IsDependentOn(typeof(DemoSandboxTask))]
[IsDependentOn(typeof(PublishTarget))]
[IsDependentOn(typeof(DemoPromotionLoopTask))]
public sealed class DemoTarget : FrostingTask<HandoffContext>
{
    public override void Run(HandoffContext context)
    {
        var release = context.Publish.Release ?? throw new HandoffException("The demo's Publish produced no release.");
        context.Info("");
        context.Info($"Latest release: {release.Image.Reference}");
        context.Info($"Release:      {Path.GetRelativePath(context.RootDirectory, context.Publish.ReleasePath!)}");
        context.Info($"Delivery:     {Path.GetRelativePath(context.RootDirectory, context.Delivery.DemoRepository!)} (git --git-dir=... log shows the promotion trailers)");
    }
}

[TaskName("Default")]
[TaskDescription("Lists the main targets (run ./build.sh --description for all).")]
public sealed class DefaultTarget : FrostingTask<HandoffContext>
{
    public override void Run(HandoffContext context)
    {
        context.Info("Main targets: Demo, Publish, ValidateDelivery, Promote, Rollback, Freeze. Run ./build.sh --description for every task, --help for switches.");
    }
}
