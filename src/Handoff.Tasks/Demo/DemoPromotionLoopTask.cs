using Handoff.Delivery;
using Handoff.Delivery.Commands;
using Handoff.Frosting;
using Handoff.Tasks.Delivery;
using Handoff.SupplyChain.Attestations;
using Handoff.SupplyChain.Verification;
using Handoff.Tasks.Publish;

namespace Handoff.Tasks.Demo;

[TaskName("DemoPromotions")]
[TaskDescription("Demo: merges the dev PR and promotes the same digest dev → staging → prod (merging each), ships a second release the same way, rolls prod back to the first, and prints environment → digest after every step.")]
public sealed class DemoPromotionLoopTask : AsyncFrostingTask<HandoffContext>
{
    private const string App = "myapp";

    public override async Task RunAsync(HandoffContext context)
    {
        var options = DeliveryParameters.Options(context);
        await Show(context, options, "Publish opened the dev promotion (not merged yet)");
        await PromoteThroughAllEnvironments(context, options, context.Delivery.LastPromotion);

        // A second release: the same Publish tasks again (the SDK stamps a creation time, so the rebuild is a new digest).
        context.Info("");
        context.Info("Shipping a second release through the same Publish tasks...");
        var first = context.Publish.Pinned!;
        context.Publish.Reset(first.WithTag(first.Tag + "-2").WithDigestRemoved());
        foreach (IFrostingTask task in new IFrostingTask[] { new BuildImageTask(), new SupplyChain.ScanTask(), new SupplyChain.SbomTask(), new PushImageTask(), new CaptureDigestTask(), new SupplyChain.AttestTask(), new WriteReleaseTask(), new OpenPromotionPrTask() })
        {
            await task.RunAsync(context);
        }

        await PromoteThroughAllEnvironments(context, options, context.Delivery.LastPromotion);

        var rollback = await RollbackCommand.RunAsync(new RollbackOptions { Delivery = options, App = App, Environment = "prod", Reason = "demo: roll prod back to the first release" }, context.Verbose);
        context.Info(rollback.Message);
        await Merge(context, options, rollback, "the prod rollback");
        await Show(context, options, "rolling prod back and merging (prod runs the first release again)");

        if (context.Delivery.DemoPublicKey is { } publicKey)
        {
            // What a delivery repo's gate (or Kyverno's verifyImages) checks before prod may run a digest.
            context.Info("");
            using var client = RegistryClients.Create(context, first.Registry);
            var (exit, verification) = await VerifyImageCommand.RunAsync(new VerifyImageOptions { Image = first.Pinned, PublicKeyPath = publicKey },
                new OciReferrerStore(client), new SupplyChain.LogWriter(context.Info));
            if (exit != 0)
            {
                throw new HandoffException($"The demo's prod image failed provenance verification: {verification.Reason}");
            }
        }

        await ValidateDemoDelivery(context, options);

        var log = await Exec.RunAsync("git", ["--git-dir", options.DeliveryRepo, "log", "--format=%h %s%n%(trailers:key=Handoff-Env,key=Handoff-Digest,key=Handoff-Rollback,separator=%x2C )", "main"]);
        context.Info("");
        context.Info($"Delivery repository history ({Path.GetRelativePath(context.RootDirectory, options.DeliveryRepo)}), with Handoff trailers:");
        context.Info(log.EnsureSuccess("Reading the demo delivery history").StandardOutput.TrimEnd());
    }

    /// <summary>What the delivery repo's own CI runs on every PR: render, schemas, policies, freeze, custody, provenance.</summary>
    private static async Task ValidateDemoDelivery(HandoffContext context, DeliveryOptions options)
    {
        var shared = Path.GetFullPath(Path.Combine(context.HandoffHome, "..", "shared", "k8s-json-schema", "schemas"));
        var schemas = context.Parameters.Get("schema-location") ?? (Directory.Exists(shared) ? shared : null);
        context.Info("");
        if (schemas is null)
        {
            context.Info("ValidateDelivery on the demo delivery repo: skipped, no local Kubernetes JSON schemas (offline, the default location cannot be downloaded). Pass --schema-location=DIR to include it.");
            return;
        }

        var checkout = context.Artifact("demo", "delivery-checkout");
        if (Directory.Exists(checkout))
        {
            Directory.Delete(checkout, recursive: true);
        }

        (await Exec.RunAsync("git", ["clone", "--quiet", options.DeliveryRepo, checkout])).EnsureSuccess("Cloning the demo delivery repository");
        context.Info($"ValidateDelivery on the demo delivery repo (schemas: {schemas}):");
        var result = await Handoff.DeliveryValidation.ValidateDeliveryCommand.RunAsync(new Handoff.DeliveryValidation.ValidateDeliveryOptions
        {
            RepositoryRoot = checkout,
            SchemaLocations = [schemas],
            ArtifactsDirectory = context.Artifact("demo", "validation"),
            Tooling = context.Tooling(),
            Ci = CiInfo.Local,
        }, new SupplyChain.LogWriter(context.Info));
        if (result.ExitCode != 0)
        {
            throw new HandoffException($"The demo delivery repository does not pass ValidateDelivery: {result.Report.Errors} error(s); see {Path.GetRelativePath(context.RootDirectory, context.Artifact("demo", "validation"))}.");
        }
    }

    private static async Task PromoteThroughAllEnvironments(HandoffContext context, DeliveryOptions options, PromotionResult? devPromotion)
    {
        await Merge(context, options, devPromotion, "dev");
        await Show(context, options, "merging the dev promotion");
        foreach (var (from, to) in new[] { ("dev", "staging"), ("staging", "prod") })
        {
            var promoted = await PromoteCommand.RunAsync(new PromoteOptions { Delivery = options, App = App, From = from, To = to }, context.Verbose);
            context.Info(promoted.Message);
            await Merge(context, options, promoted, to);
            await Show(context, options, $"promoting {from} → {to} and merging");
        }
    }

    private static async Task Merge(HandoffContext context, DeliveryOptions options, PromotionResult? promotion, string what)
    {
        var branch = promotion?.Request.Branch ?? throw new HandoffException($"The demo expected a branch to merge for {what}: {promotion?.Message ?? "no promotion ran"}");
        var merged = await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = branch }, context.Verbose);
        context.Info(merged.Message);
    }

    private static async Task Show(HandoffContext context, DeliveryOptions options, string step)
    {
        var status = await StatusCommand.RunAsync(options, App);
        context.Info("");
        context.Info($"After {step}:");
        context.Info(status.ToTable());
    }
}
