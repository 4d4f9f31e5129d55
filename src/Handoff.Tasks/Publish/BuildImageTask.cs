using Handoff.Frosting;
using Handoff.Oci;
using Handoff.Publishing;

namespace Handoff.Tasks.Publish;

[TaskName("BuildImage")]
[TaskDescription("Builds the container image to a local OCI archive with the .NET SDK (--project, --base-image), or takes --image-archive=PATH built by any tool.")]
[IsDependentOn(typeof(TestTask))]
public sealed class BuildImageTask : AsyncFrostingTask<HandoffContext>
{
    public override bool ShouldRun(HandoffContext context) => !CaptureDigestTask.IsStandalone(context);

    public override async Task RunAsync(HandoffContext context)
    {
        // Validate the push target before any work, so a typo in --repository or --tag fails in seconds.
        var target = PublishParameters.Target(context);
        var given = context.Parameters.Get("image-archive");
        if (given is not null)
        {
            var path = context.InRoot(given);
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new HandoffException($"--image-archive: '{path}' does not exist. Pass the OCI archive (tar, tar.gz or OCI layout folder) your image build wrote.");
            }

            // Open (and so verify every blob) now: a corrupt archive must fail before the scan, not at the push.
            var opened = Open(context, path);
            context.Info($"Using the image archive {path} as is ({opened.Format}, {opened.Root.Digest}).");
            // Another tool built it: only what it recorded in the archive is known about its base.
            RecordBaseImage(context, BaseImageRecord.Read(opened));
            return;
        }

        var project = context.InRoot(context.Parameters.Require("project", "The project to containerise, e.g. --project=src/App/App.csproj."));
        var archive = context.Artifact("image", "image.tar");
        var request = new ContainerBuildRequest(project, archive, target.Repository, target.Tag!)
        {
            BaseImage = context.Publish.BaseImage ?? context.Parameters.Get("base-image"),
            OnOutput = context.Verbose,
        };
        if (request.BaseImage is null)
        {
            request = request with { BaseImage = await SeedWhenOfflineAsync(context, request, target) };
        }

        var insecure = PublishParameters.InsecureRegistries(context);
        if (request.BaseImage is not null && ImageReference.TryParse(request.BaseImage, out var baseRef, out _) && RegistryHosts.IsLoopback(baseRef!.Registry))
        {
            insecure = [.. insecure, baseRef.Registry];
        }

        context.Info($"Building {Path.GetRelativePath(context.RootDirectory, project)} into {Path.GetRelativePath(context.RootDirectory, archive)}{(request.BaseImage is null ? "" : $" on {request.BaseImage}")}...");
        context.Publish.ImageArchive = await ContainerImageBuilder.BuildAsync(request with { InsecureRegistries = insecure });
        var built = Open(context, context.Publish.ImageArchive);
        // The SDK labels the image with its base and the digest it pulled; a project that turns labels off still names the base it was given or the SDK's choice.
        var recorded = BaseImageRecord.Read(built);
        if (recorded is null && (request.BaseImage ?? await ContainerImageBuilder.BaseImageAsync(request)) is { } named)
        {
            recorded = new BaseImageRecord(named, null);
        }

        RecordBaseImage(context, recorded);
    }

    private static OciImageArchive Open(HandoffContext context, string path)
    {
        var opened = OciImageArchive.Open(path);
        context.Cleanup.Add(opened);
        context.Publish.OpenedArchive = opened;
        context.Publish.ImageArchive = path;
        return opened;
    }

    private static void RecordBaseImage(HandoffContext context, BaseImageRecord? record)
    {
        context.Publish.BaseImage = record?.Name;
        context.Publish.BaseImageDigest = record?.Digest;
        if (record is not null)
        {
            context.Verbose($"Base image: {record.Name}{(record.Digest is { } d ? $"@{d}" : " (no digest recorded)")}");
        }
    }

    /// <summary>
    /// Offline, the SDK's default base image (mcr.microsoft.com) cannot be pulled, and a local
    /// Publish would fail where the Demo succeeds. For a loopback registry only — a runtime-less base
    /// must never reach a shared registry — the Demo's minimal base image is seeded and used, loudly.
    /// </summary>
    private static async Task<string?> SeedWhenOfflineAsync(HandoffContext context, ContainerBuildRequest request, ImageReference target)
    {
        if (!RegistryHosts.IsLoopback(target.Registry))
        {
            return null;
        }

        var sdkDefault = await ContainerImageBuilder.BaseImageAsync(request);
        if (sdkDefault is null || !sdkDefault.StartsWith("mcr.microsoft.com/", StringComparison.OrdinalIgnoreCase) || await OfflineBaseImage.IsReachableAsync(sdkDefault))
        {
            return null;
        }

        using var client = RegistryClients.Create(context, target.Registry);
        var seeded = await OfflineBaseImage.SeedAsync(client, target.Registry);
        context.Warn(OfflineBaseImage.Warning(sdkDefault, seeded));
        return seeded.ToString();
    }
}
