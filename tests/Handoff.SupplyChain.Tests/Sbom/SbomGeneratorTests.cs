using System.Text.Json.Nodes;
using Handoff.SupplyChain.Sbom;
using Handoff.Testing;

namespace Handoff.SupplyChain.Tests.Sbom;

public class SbomGeneratorTests
{
    private static string Manifest => RepoPaths.InRepo("tools", "dotnet-tools.json");

    [Test]
    public void The_tool_manifest_pins_cyclonedx_6_3_1()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Manifest))!;
        var tool = manifest["tools"]!["cyclonedx"]!;

        Assert.That((string?)tool["version"], Is.EqualTo("6.3.1"));
        Assert.That(tool["commands"]!.AsArray().Select(c => (string?)c), Does.Contain(SbomGenerator.ToolCommand));
    }

    [Test]
    public async Task Cyclonedx_json_is_written_for_a_project_with_its_packages()
    {
        using var dir = new TempDirectory("sbom");
        var project = dir.Write("app/Shop.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><NuGetAudit>false</NuGetAudit></PropertyGroup>
              <ItemGroup><PackageReference Include="Newtonsoft.Json" Version="13.0.1" /></ItemGroup>
            </Project>
            """);
        dir.Write("app/Class1.cs", "namespace Shop; public class C { }");
        var output = dir.Combine("artifacts", "sbom.cdx.json");
        var log = new StringWriter();

        var result = await SbomGenerator.GenerateAsync(new SbomOptions
        {
            ProjectPath = project,
            OutputPath = output,
            ToolManifest = Manifest,
            ComponentName = "shop",
            ComponentVersion = "1.2.3",
        }, log);

        var bom = JsonNode.Parse(File.ReadAllBytes(output))!;
        Assert.That((string?)bom["bomFormat"], Is.EqualTo("CycloneDX"));
        Assert.That((string?)bom["specVersion"], Is.EqualTo(result.SpecVersion));
        Assert.That(((string?)bom["metadata"]!["component"]!["name"], (string?)bom["metadata"]!["component"]!["version"]), Is.EqualTo(("shop", "1.2.3")));
        Assert.That(bom["components"]!.AsArray().Select(c => (string?)c!["purl"]), Does.Contain("pkg:nuget/Newtonsoft.Json@13.0.1"));
        Assert.That(result.Digest.Matches(File.ReadAllBytes(output)), Is.True);
        Assert.That(result.ComponentCount, Is.EqualTo(bom["components"]!.AsArray().Count));
        Assert.That(log.ToString(), Does.Contain("sbom: wrote"));
        Assert.That(Directory.GetFiles(dir.Combine("artifacts")), Has.Length.EqualTo(1), "no temp files left next to the SBOM");
    }

    [Test]
    public void A_missing_project_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        Assert.That(() => SbomGenerator.GenerateAsync(new SbomOptions { ProjectPath = dir.Combine("nope.csproj"), OutputPath = dir.Combine("o.json"), ToolManifest = Manifest }, TextWriter.Null),
            Throws.InstanceOf<HandoffException>().With.Message.Contains("project not found"));
    }
}
