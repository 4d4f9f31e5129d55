using System.Security;
using Handoff.MSBuild.Tests.Support;
using Handoff.Oci;
using Handoff.Testing;

namespace Handoff.MSBuild.Tests;

/// <summary>
/// The package as users get it: <c>dotnet pack</c> of src/Handoff.MSBuild into a local folder feed, a
/// tiny web project that references it (its build/ targets are imported by NuGet, its tasks load from
/// tasks/net10.0 in the package folder), and <c>dotnet publish /t:PublishContainer</c> with
/// HandoffPushAfterPublish=true against a real registry (given as the SDK's ContainerRegistry) serving a
/// minimal base image.
/// </summary>
public sealed class PackageEndToEndTests
{
    private const string PackageVersion = "0.0.0-e2e";

    [Test]
    public async Task Publish_container_with_push_after_publish_ends_with_a_release_the_registry_confirms()
    {
        using var registry = RegistryServer.Start();
        using var client = new RegistryClient(registry.Address, new RegistryClientOptions { CredentialResolver = RegistryCredentials.None });
        using var temp = new TempDirectory("msbuild-e2e");
        var feed = temp.Combine("feed");
        var packages = temp.Combine("nuget-packages");

        var pack = await DotNet.RunAsync(
            ["pack", TaskBuild.ProjectFile, "--no-build", "--no-restore", "-c", TaskBuild.Configuration, "-o", feed, $"-p:PackageVersion={PackageVersion}"],
            temp.Path);
        Assert.That(pack.Succeeded, Is.True, pack.ToString);
        Assert.That(File.Exists(Path.Combine(feed, $"Handoff.MSBuild.{PackageVersion}.nupkg")), Is.True, pack.ToString);

        var baseImage = await MinimalBaseImage.PushAsync(client, ImageReference.Parse($"{registry.Address}/base/minimal:1"));
        WriteWebProject(temp, feed);

        var publish = await DotNet.RunAsync(
            [
                "publish", temp.Combine("web", "web.csproj"), "-c", "Release", "-r", "linux-x64", "--disable-build-servers",
                "/t:PublishContainer", $"-p:ContainerBaseImage={registry.Address}/base/minimal:1", $"-p:ContainerRegistry={registry.Address}",
            ],
            temp.Combine("web"),
            new Dictionary<string, string?>
            {
                ["NUGET_PACKAGES"] = packages,
                ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry.Address,
            },
            TimeSpan.FromMinutes(5));

        Assert.That(publish.Succeeded, Is.True, publish.ToString);
        Assert.That(publish.Value("TasksAssembly"), Does.StartWith(Path.Combine(packages, "handoff.msbuild", PackageVersion)),
            "the tasks load from the restored package");
        var release = Release.Load(publish.Value("ReleasePath")!);
        var served = await client.HeadManifestAsync("handoff/web", "1.0.0");
        var latest = await client.HeadManifestAsync("handoff/web", "latest");
        var manifest = await client.GetManifestAsync("handoff/web", "1.0.0");
        var baseManifest = await client.GetManifestAsync("base/minimal", baseImage.Digest.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(release.Image.Digest, Is.EqualTo(served?.Digest?.ToString()), "release.json holds the digest the registry serves");
            Assert.That(latest?.Digest, Is.EqualTo(served?.Digest), "every SDK tag points at the same manifest");
            Assert.That(Digest.Sha256(manifest.Content.Span).ToString(), Is.EqualTo(release.Image.Digest));
            Assert.That(release.Image.Reference, Is.EqualTo($"{registry.Address}/handoff/web@{release.Image.Digest}"));
            Assert.That(release.Image.Tag, Is.EqualTo("1.0.0"));
            Assert.That(publish.Value("Pinned"), Is.EqualTo(release.Image.Reference), "later targets see the outputs as properties");
            Assert.That(manifest.Layers[0].Digest, Is.EqualTo(baseManifest.Layers[0].Digest), "the app image is built on the seeded base image");
            Assert.That(publish.Output, Does.Contain("1 mounted"), "the base layer is mounted from the base repository, not uploaded");
            Assert.That(File.Exists(temp.Combine("web", "obj", "handoff", "image.tar")), Is.True, "the SDK wrote the archive Handoff pushed, instead of pushing to ContainerRegistry itself");
            Assert.That(File.ReadAllText(temp.Combine("delivery", "values.yaml")),
                Is.EqualTo($"# dev environment\nimage:\n  repository: 127.0.0.1/handoff/web  # app\n  tag: \"1.0.0\"\n  digest: {release.Image.Digest}\nreplicas: 1\n"));
            Assert.That(publish.Output, Does.Contain("Summary: 1 resource found in 1 file - Valid: 1, Invalid: 0, Errors: 0, Skipped: 0"));
        });
    }

    private static void WriteWebProject(TempDirectory temp, string feed)
    {
        // Keep MSBuild from picking up any Directory.Build.* or central package management above the temp folder.
        temp.Write("Directory.Build.props", "<Project />");
        temp.Write("Directory.Build.targets", "<Project />");
        temp.Write("Directory.Packages.props", "<Project />");
        temp.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{SecurityElement.Escape(feed)}" />
              </packageSources>
            </configuration>
            """);
        temp.Write("web/web.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <InvariantGlobalization>true</InvariantGlobalization>
                <ContainerRepository>handoff/web</ContainerRepository>
                <ContainerImageTags>1.0.0;latest</ContainerImageTags>
                <HandoffPushAfterPublish>true</HandoffPushAfterPublish>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Handoff.MSBuild" Version="{PackageVersion}" />
              </ItemGroup>
              <!-- The delivery half, with the YAML and JSON Schema dependencies loaded from the package folder. -->
              <Target Name="PinAndValidate" AfterTargets="HandoffPushContainer">
                <HandoffSetImage File="../delivery/values.yaml" Key="image" Digest="$(HandoffImageDigest)" Tag="$(HandoffImageTag)" />
                <HandoffValidateManifests Paths="../delivery/manifests" SchemaLocations="../delivery/schemas" />
              </Target>
              <Target Name="ShowHandoff" AfterTargets="HandoffPushContainer">
                <Message Importance="high" Text="OUT:TasksAssembly=$(HandoffTasksAssembly)" />
                <Message Importance="high" Text="OUT:ReleasePath=$(HandoffReleasePath)" />
                <Message Importance="high" Text="OUT:Pinned=$(HandoffPinnedReference)" />
              </Target>
            </Project>
            """);
        temp.Write("delivery/values.yaml", "# dev environment\nimage:\n  repository: 127.0.0.1/handoff/web  # app\n  tag: \"0.9.0\"\nreplicas: 1\n");
        temp.Write("delivery/manifests/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  mode: dev\n");
        temp.Write("delivery/schemas/configmap-v1.json", """
            {"type": "object", "required": ["apiVersion", "kind", "metadata"],
             "properties": {"data": {"type": "object", "additionalProperties": {"type": "string"}}}}
            """);
        temp.Write("web/Program.cs", """
            var app = WebApplication.Create(args);
            app.MapGet("/", () => "hello from handoff");
            app.Run();
            """);
    }
}
