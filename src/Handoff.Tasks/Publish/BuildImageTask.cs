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
        var given = context.Parameters.Get("image-archive");
        if (given is not null)
        {
            var path = context.InRoot(given);
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new HandoffException($"--image-archive: '{path}' does not exist. Pass the OCI archive (tar, tar.gz or OCI layout folder) your image build wrote.");
            }

            context.Publish.ImageArchive = path;
            context.Info($"Using the image archive {path} as is.");
            return;
        }

        var target = PublishParameters.Target(context);
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
