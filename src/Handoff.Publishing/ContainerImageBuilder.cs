namespace Handoff.Publishing;

public sealed record ContainerBuildRequest(string Project, string ArchivePath, string Repository, string Tag)
{
    public string? BaseImage { get; init; }
    public string Configuration { get; init; } = "Release";
    public string RuntimeIdentifier { get; init; } = "linux-x64";
    /// <summary>Registries the SDK may reach over plain http (loopback test registries, --insecure-registry).</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];
    /// <summary>
    /// The SDK's ContainerImageFormat. OCI by default: without it the SDK copies the base image's
    /// format, and Microsoft's base images use Docker media types, so the archive would be a
    /// docker-archive rather than the OCI image the pipeline promises. Null: let the SDK decide.
    /// </summary>
    public string? ImageFormat { get; init; } = "OCI";
    public Action<string>? OnOutput { get; init; }
}

/// <summary>
/// Builds a container image daemonless with the .NET SDK's PublishContainer target and writes it to
/// a local archive; nothing is pushed here so scanning can gate the push.
/// </summary>
public static class ContainerImageBuilder
{
    public static async Task<string> BuildAsync(ContainerBuildRequest request, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(request.Project))
        {
            throw new HandoffException($"Project '{request.Project}' not found. Pass --project=PATH/TO/App.csproj, or --image-archive=PATH for an image built by another tool.");
        }

        ImageReference.ValidateRepository(request.Repository);
        ImageReference.ValidateTag(request.Tag);
        var archive = Path.GetFullPath(request.ArchivePath);
        Directory.CreateDirectory(Path.GetDirectoryName(archive)!);
        if (File.Exists(archive))
        {
            File.Delete(archive);
        }

        var args = new List<string>
        {
            "publish", request.Project, "-c", request.Configuration, "-r", request.RuntimeIdentifier, "--nologo",
            "/t:PublishContainer",
            $"-p:ContainerArchiveOutputPath={archive}",
            $"-p:ContainerRepository={request.Repository}",
            $"-p:ContainerImageTag={request.Tag}",
        };
        if (!string.IsNullOrEmpty(request.BaseImage))
        {
            args.Add($"-p:ContainerBaseImage={request.BaseImage}");
        }

        if (!string.IsNullOrEmpty(request.ImageFormat))
        {
            args.Add($"-p:ContainerImageFormat={request.ImageFormat}");
        }

        var environment = new Dictionary<string, string?>();
        if (request.InsecureRegistries.Count > 0)
        {
            environment["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = string.Join(',', request.InsecureRegistries);
        }

        var result = await Exec.RunAsync("dotnet", args, new ExecOptions { Environment = environment, OnOutput = request.OnOutput }, cancellationToken);
        if (!result.Succeeded)
        {
            var output = result.StandardOutput + result.StandardError;
            var hint = output.Contains("CONTAINER", StringComparison.Ordinal) && (output.Contains("base image", StringComparison.OrdinalIgnoreCase) || output.Contains("registry", StringComparison.OrdinalIgnoreCase))
                ? " The base image could not be pulled: pass --base-image=REF for an image in a registry you can reach (the Demo seeds one into its local registry)."
                : "";
            throw new HandoffException($"Building the container image of {request.Project} failed (dotnet publish /t:PublishContainer exited with {result.ExitCode}).{hint}\n{ErrorLines(output)}");
        }

        // The SDK appends a file name when the path is a directory; find what it wrote.
        if (File.Exists(archive))
        {
            return archive;
        }

        throw new HandoffException($"dotnet publish reported success but wrote no image archive at {archive}.");
    }

    /// <summary>
    /// The base image the SDK would build <paramref name="request"/>'s project on: its own
    /// ComputeContainerBaseImage target (aspnet, runtime or runtime-deps, by framework and
    /// publish settings), or the project's ContainerBaseImage. Null when MSBuild cannot tell.
    /// </summary>
    public static async Task<string?> BaseImageAsync(ContainerBuildRequest request, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(request.Project))
        {
            return null;
        }

        var args = new List<string>
        {
            "msbuild", request.Project, "--nologo", "-getProperty:ContainerBaseImage", "-t:ComputeContainerBaseImage",
            $"-p:Configuration={request.Configuration}", $"-p:RuntimeIdentifier={request.RuntimeIdentifier}",
        };
        if (!string.IsNullOrEmpty(request.BaseImage))
        {
            args.Add($"-p:ContainerBaseImage={request.BaseImage}");
        }

        var result = await Exec.RunAsync("dotnet", args, cancellationToken: cancellationToken);
        var value = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return result.Succeeded && !string.IsNullOrEmpty(value) ? value : null;
    }

    private static string ErrorLines(string output)
    {
        var errors = output.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct().Take(15).ToList();
        return errors.Count > 0 ? string.Join('\n', errors) : string.Join('\n', output.TrimEnd().Split('\n').TakeLast(20));
    }
}
