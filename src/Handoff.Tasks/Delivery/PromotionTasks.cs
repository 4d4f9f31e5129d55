using Handoff.Delivery.Commands;
using Handoff.Frosting;

namespace Handoff.Tasks.Delivery;

[TaskName("OpenPromotionPr")]
[TaskDescription("Opens (or updates) the promotion PR that pins release.json's digest in --env (default dev) of --delivery-repo; --scm=github|gitlab|branch. Last step of Publish when --delivery-repo is set.")]
public sealed class OpenPromotionPrTask : AsyncFrostingTask<HandoffContext>
{
    public override bool ShouldRun(HandoffContext context) =>
        DeliveryParameters.HasDeliveryRepo(context) || context.IsTarget("OpenPromotionPr");

    public override async Task RunAsync(HandoffContext context)
    {
        var release = context.Publish.Release;
        var result = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions
        {
            Delivery = DeliveryParameters.Options(context),
            Environment = context.Parameters.Get("env", "dev"),
            App = context.Parameters.Get("app"),
            Release = release,
            ReleasePath = context.InRoot(context.Parameters.Get("release", context.Publish.ReleasePath ?? Path.Combine(context.ArtifactsDirectory, "release.json"))),
            AppRepository = context.Parameters.Get("app-repository") ?? context.RootDirectory,
        }, context.Verbose);
        context.Delivery.LastPromotion = result;
        context.Info(result.Message);
    }
}

[TaskName("Promote")]
[TaskDescription("Promotes the digest pinned in --from to --to (the next environment in handoff.yaml's order) by PR; never rebuilds. --app, --delivery-repo.")]
public sealed class PromoteTask : AsyncFrostingTask<HandoffContext>
{
    public override async Task RunAsync(HandoffContext context)
    {
        var result = await PromoteCommand.RunAsync(new PromoteOptions
        {
            Delivery = DeliveryParameters.Options(context),
            App = context.Parameters.Require("app", "The app to promote, as named in handoff.yaml."),
            From = context.Parameters.Require("from", "The environment whose digest is promoted, e.g. --from=dev."),
            To = context.Parameters.Require("to", "The environment to promote to, e.g. --to=staging."),
            AppRepository = context.Parameters.Get("app-repository"),
        }, context.Verbose);
        context.Delivery.LastPromotion = result;
        context.Info(result.Message);
    }
}

[TaskName("Rollback")]
[TaskDescription("Reverts the latest promotion of --app in --env (git revert on handoff/rollback/<env>/<app>) and opens a PR labelled rollback; --to-digest picks an earlier digest the env ran.")]
public sealed class RollbackTask : AsyncFrostingTask<HandoffContext>
{
    public override async Task RunAsync(HandoffContext context)
    {
        var result = await RollbackCommand.RunAsync(new RollbackOptions
        {
            Delivery = DeliveryParameters.Options(context),
            App = context.Parameters.Require("app", "The app to roll back, as named in handoff.yaml."),
            Environment = context.Parameters.Require("env", "The environment to roll back, e.g. --env=prod."),
            ToDigest = context.Parameters.Get("to-digest"),
            Reason = context.Parameters.Get("reason"),
        }, context.Verbose);
        context.Delivery.LastPromotion = result;
        context.Info(result.Message);
    }
}

[TaskName("Freeze")]
[TaskDescription("Opens a PR that freezes --env (env/<env>/freeze.yaml: frozen, --reason, --until=ISO-8601, allow: [rollback]).")]
public sealed class FreezeTask : AsyncFrostingTask<HandoffContext>
{
    public override async Task RunAsync(HandoffContext context) => await FreezeTasks.Run(context, frozen: true);
}

[TaskName("Unfreeze")]
[TaskDescription("Opens a PR that lifts the freeze of --env.")]
public sealed class UnfreezeTask : AsyncFrostingTask<HandoffContext>
{
    public override async Task RunAsync(HandoffContext context) => await FreezeTasks.Run(context, frozen: false);
}

internal static class FreezeTasks
{
    public static async Task Run(HandoffContext context, bool frozen)
    {
        var result = await FreezeCommand.RunAsync(new FreezeOptions
        {
            Delivery = DeliveryParameters.Options(context),
            Environment = context.Parameters.Require("env", "The environment, e.g. --env=prod."),
            Frozen = frozen,
            Reason = frozen ? context.Parameters.Require("reason", "Say why, e.g. --reason=\"end-of-year change freeze\".") : context.Parameters.Get("reason"),
            Until = context.Parameters.Get("until"),
        }, context.Verbose);
        context.Delivery.LastBranch = result.Request.Branch;
        context.Info(result.Message);
    }
}

[TaskName("MergePromotion")]
[TaskDescription("Merges a promotion branch into the delivery repo's base branch with a merge commit (local/embedded mode): --delivery-repo=PATH --branch=NAME.")]
public sealed class MergePromotionTask : AsyncFrostingTask<HandoffContext>
{
    public override async Task RunAsync(HandoffContext context)
    {
        var result = await MergePromotionCommand.RunAsync(new MergePromotionOptions
        {
            Delivery = DeliveryParameters.Options(context),
            Branch = context.Parameters.Require("branch", "The promotion branch to merge, e.g. --branch=handoff/dev/myapp."),
        }, context.Verbose);
        context.Info(result.Message);
    }
}

[TaskName("DeliveryStatus")]
[TaskDescription("Prints which digest every app runs in every environment on the delivery repo's base branch.")]
public sealed class DeliveryStatusTask : AsyncFrostingTask<HandoffContext>
{
    public override async Task RunAsync(HandoffContext context)
    {
        var status = await StatusCommand.RunAsync(DeliveryParameters.Options(context), context.Parameters.Get("app"));
        context.Info(status.ToTable());
    }
}
