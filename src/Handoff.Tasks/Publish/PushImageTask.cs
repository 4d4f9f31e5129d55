using Handoff.Frosting;
using Handoff.Oci;

namespace Handoff.Tasks.Publish;

[TaskName("PushImage")]
[TaskDescription("Pushes the image archive to --registry/--repository:--tag with Handoff's OCI client (HEAD first: blobs the registry has are not uploaded again).")]
[IsDependentOn(typeof(Handoff.Tasks.SupplyChain.SbomTask))]
public sealed class PushImageTask : AsyncFrostingTask<HandoffContext>
{
    public override bool ShouldRun(HandoffContext context) => !CaptureDigestTask.IsStandalone(context);

    public override async Task RunAsync(HandoffContext context)
    {
        var target = PublishParameters.Target(context);
        var archivePath = context.Publish.ImageArchive ?? throw new HandoffException("No image archive: PushImage runs after BuildImage (or pass --image-archive=PATH).");
        var opened = context.Publish.OpenedArchive;
        using var owned = opened is null ? OciImageArchive.Open(archivePath) : null;
        var archive = opened ?? owned!;
        using var client = RegistryClients.Create(context, target.Registry);
        context.Info($"Pushing {archive.Root.Digest} from {Path.GetFileName(archivePath)} to {target}...");
        var result = await new ImagePusher(client).PushAsync(archive, target, new PushOptions { Log = context.Verbose });
        context.Publish.PushedDigest = result.Digest;
        context.Publish.ManifestMediaType = result.MediaType;
        context.Info($"Pushed {result.Reference}: {result.BlobsUploaded} blob(s) uploaded ({result.BytesUploaded:N0} bytes), {result.BlobsSkipped} already present, {result.BlobsMounted} mounted.");
    }
}

/// <summary>One place that turns build parameters into a configured registry client.</summary>
public static class RegistryClients
{
    public static RegistryClient Create(HandoffContext context, string registry) => new(registry, new RegistryClientOptions
    {
        InsecureRegistries = PublishParameters.InsecureRegistries(context),
        Retry = new RegistryRetryOptions { MaxAttempts = int.Parse(context.Parameters.Get("registry-attempts", "4"), System.Globalization.CultureInfo.InvariantCulture) },
        Log = context.Verbose,
    });
}
