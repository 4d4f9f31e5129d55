using Handoff.Frosting;
using Handoff.Publishing;

namespace Handoff.Tasks.Demo;

[TaskName("DemoSandbox")]
[TaskDescription("Starts a throwaway local registry (installing Debian's docker-registry when missing and allowed) and makes sure a base image can be pulled, seeding a minimal one offline.")]
public sealed class DemoSandboxTask : AsyncFrostingTask<HandoffContext>
{
    public override async Task RunAsync(HandoffContext context)
    {
        // The embedded default app, whichever folder the Demo runs from (cake.config names it only here).
        var sample = Path.Combine(context.HandoffHome, "samples", "myapp");
        context.Parameters.SetDefault("project", Path.Combine(sample, "src", "MyApp", "MyApp.csproj"));
        context.Parameters.SetDefault("tests", Path.Combine(sample, "tests", "**", "*.csproj"));

        var sandbox = await DemoSandbox.StartAsync(context.Artifact("demo", "registry"), context.Info, context.Parameters.Get("base-image"), context.ToolDirectories);
        context.Cleanup.Add(sandbox);
        context.Publish.Target = new ImageReference(sandbox.Registry.Address, context.Parameters.Get("repository", "handoff/myapp"),
            context.Parameters.Get("tag") ?? (await context.SourceAsync()).DefaultTag(context.Environment.GetEnvironmentVariable));
        context.Publish.BaseImage = sandbox.BaseImage;

        // A throwaway signing key so the demo's images carry verifiable provenance, as a real pipeline's would.
        if (context.Parameters.Get("signing-key") is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Handoff.SupplyChain.Signing.SigningKeyLoader.EnvironmentVariable)))
        {
            var keys = context.Artifact("demo", "keys");
            Handoff.SupplyChain.Signing.SigningKeyGenerator.Generate(Path.Combine(keys, "signing-key.pem"), Path.Combine(keys, "signing-key.pub"), overwrite: true);
            context.Publish.SigningKeyFile = Path.Combine(keys, "signing-key.pem");
            context.Delivery.DemoPublicKey = Path.Combine(keys, "signing-key.pub");
            context.Info($"Generated a throwaway provenance signing key in {Path.GetRelativePath(context.RootDirectory, keys)}.");
        }

        var samplePolicy = Path.Combine(context.HandoffHome, "samples", "myapp", ".handoff", "scan.yaml");
        if (context.Parameters.Get("scan-policy") is null && File.Exists(samplePolicy))
        {
            context.Publish.ScanPolicy = samplePolicy;
            context.Info("Scan gate: the sample app's samples/myapp/.handoff/scan.yaml (offline, a scanner without data warns instead of blocking).");
        }

        // The template instantiated for this registry, as a local bare repository: the offline stand-in for the team's delivery repo.
        var template = context.Parameters.Get("delivery-template") is { } t ? context.InRoot(t) : Path.Combine(context.HandoffHome, "samples", "delivery-repo");
        Handoff.Delivery.Commands.DemoProvenance? trust = null;
        if (context.Delivery.DemoPublicKey is { } publicKey)
        {
            var source = await context.SourceAsync();
            var ci = CiDetector.Detect(context);
            trust = new(publicKey, Handoff.SupplyChain.Provenance.CiIdentity.BuilderIdOf(ci), context.SourceRepository(ci, source));
        }

        context.Delivery.DemoRepository = await Handoff.Delivery.Commands.DemoDeliveryRepository.CreateAsync(template, context.Artifact("demo", "delivery.git"), sandbox.Registry.Address, trust);
        context.Info($"Created the demo delivery repository {Path.GetRelativePath(context.RootDirectory, context.Delivery.DemoRepository)} from {Path.GetRelativePath(context.RootDirectory, template)}.");
    }
}
