using Handoff.Oci.Tests.Fixtures;
using Handoff.Testing;

namespace Handoff.Oci.Tests;

/// <summary>
/// The one real .NET SDK container build: a tiny console app published with /t:PublishContainer on
/// top of <see cref="MinimalBaseImage"/> served by a local registry (no network needed), written to
/// an archive, then read, pushed and captured by this library.
/// </summary>
public sealed class SdkContainerBuildTests
{
    [TestCase(null, OciArchiveFormat.DockerArchive, MediaTypes.DockerManifest, TestName = "Sdk_default_format_follows_a_Docker_base_image")]
    [TestCase("OCI", OciArchiveFormat.OciLayout, MediaTypes.OciManifest, TestName = "Sdk_OCI_format_writes_an_OCI_archive_on_a_Docker_base_image")]
    public async Task Sdk_archive_built_on_the_minimal_base_image_is_read_pushed_and_captured(string? imageFormat, OciArchiveFormat expectedFormat, string expectedManifest)
    {
        var dotnet = Tools.Require("dotnet", "the .NET 10 SDK");
        using var registry = RegistryServer.Start();
        using var temp = new TempDirectory("oci-sdk");
        using var client = Registries.Client(registry);
        // Docker media types, like the Microsoft base images: the SDK then writes a docker-archive.
        var baseImage = await MinimalBaseImage.PushAsync(client, ImageReference.Parse($"{registry.Address}/base/minimal:1"), new MinimalBaseImageOptions { DockerMediaTypes = true });
        // Stop MSBuild from picking up the repository's Directory.Build.* files.
        temp.Write("Directory.Build.props", "<Project />");
        temp.Write("Directory.Build.targets", "<Project />");
        temp.Write("Directory.Packages.props", "<Project />");
        temp.Write("app/app.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <InvariantGlobalization>true</InvariantGlobalization>
              </PropertyGroup>
            </Project>
            """);
        temp.Write("app/Program.cs", "Console.WriteLine(\"hello from handoff\");\n");
        var archivePath = temp.Combine("out", "app.tar.gz");

        var build = await Exec.RunAsync(dotnet,
            [
                "publish", temp.Combine("app", "app.csproj"), "-c", "Release", "-r", "linux-x64", "--nologo", "-nodeReuse:false", "--disable-build-servers",
                "/t:PublishContainer", $"-p:ContainerArchiveOutputPath={archivePath}", "-p:ContainerRepository=handoff/app", "-p:ContainerImageTag=1.0",
                $"-p:ContainerBaseImage={registry.Address}/base/minimal:1",
                .. imageFormat is null ? Array.Empty<string>() : [$"-p:ContainerImageFormat={imageFormat}"],
            ],
            new ExecOptions
            {
                WorkingDirectory = temp.Combine("app"),
                Timeout = TimeSpan.FromMinutes(4),
                Environment = new Dictionary<string, string?>
                {
                    ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry.Address,
                    ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                    ["DOTNET_NOLOGO"] = "1",
                    ["MSBUILDDISABLENODEREUSE"] = "1",
                },
            });
        Assert.That(build.Succeeded, Is.True, build.StandardOutput + build.StandardError);

        using var archive = OciImageArchive.Open(archivePath);
        Assert.That(archive.Format, Is.EqualTo(expectedFormat));
        Assert.That(archive.Root.MediaType, Is.EqualTo(expectedManifest));
        Assert.That(archive.Container, Is.EqualTo(OciArchiveContainer.Tar), "the SDK writes a plain tar, whatever the name says");
        // docker save's manifest.json names the repository; an OCI layout's index.json names the full reference (and the bare tag).
        Assert.That(archive.Names, Has.Some.Match(@"^(docker\.io/)?handoff/app:1\.0$"), string.Join(", ", archive.Names));
        Assert.That(archive.Platforms.Single().ToString(), Is.EqualTo("linux/amd64"));
        var baseManifest = await client.GetManifestAsync("base/minimal", baseImage.Digest.ToString());
        Assert.That(archive.Root.Layers[0].Digest, Is.EqualTo(baseManifest.Layers[0].Digest), "the app image is built on the minimal base layer");
        Assert.That(archive.Root.Layers, Has.Count.EqualTo(2));
        Assert.That(BaseImageRecord.Read(archive), Is.EqualTo(new BaseImageRecord($"{registry.Address}/base/minimal:1", baseImage.Digest)),
            "the SDK's config labels name the base image and the digest it pulled");

        var target = ImageReference.Parse($"{registry.Address}/handoff/app:1.0");
        var pushed = await new ImagePusher(client).PushAsync(archive, target, new PushOptions { MountFrom = "base/minimal" });
        var captured = await new DigestCapture(client).CaptureAsync(target, pushed.Digest);
        var stored = await client.GetManifestAsync("handoff/app", "1.0");

        Assert.That(pushed.BlobsMounted, Is.EqualTo(1), "the base layer is mounted from the base repository");
        Assert.That(captured, Is.EqualTo(pushed.Digest));
        Assert.That(Digest.Sha256(stored.Content.Span), Is.EqualTo(pushed.Digest));
    }
}
