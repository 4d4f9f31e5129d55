using Handoff.Frosting;
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
            var opened = Handoff.Oci.OciImageArchive.Open(path);
            context.Cleanup.Add(opened);
            context.Publish.ImageArchive = path;
            context.Publish.OpenedArchive = opened;
            context.Info($"Using the image archive {path} as is ({opened.Format}, {opened.Root.Digest}).");
            return;
        }

        var project = context.InRoot(context.Parameters.Require("project", "The project to containerise, e.g. --project=src/App/App.csproj."));
        var baseImage = context.Publish.BaseImage ?? context.Parameters.Get("base-image");
        var insecure = PublishParameters.InsecureRegistries(context);
        if (baseImage is not null && ImageReference.TryParse(baseImage, out var baseRef, out _) && RegistryHosts.IsLoopback(baseRef!.Registry))
        {
            insecure = [.. insecure, baseRef.Registry];
        }

        var archive = context.Artifact("image", "image.tar.gz");
        context.Info($"Building {Path.GetRelativePath(context.RootDirectory, project)} into {Path.GetRelativePath(context.RootDirectory, archive)}{(baseImage is null ? "" : $" on {baseImage}")}...");
        context.Publish.ImageArchive = await ContainerImageBuilder.BuildAsync(new ContainerBuildRequest(project, archive, target.Repository, target.Tag!)
        {
            BaseImage = baseImage,
            InsecureRegistries = insecure,
            OnOutput = context.Verbose,
        });
    }
}
