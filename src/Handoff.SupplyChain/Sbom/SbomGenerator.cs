using System.Text.Json.Nodes;

namespace Handoff.SupplyChain.Sbom;

/// <summary>Options of the SBOM step.</summary>
public sealed record SbomOptions
{
    /// <summary>The .csproj or .sln to describe.</summary>
    public required string ProjectPath { get; init; }
    /// <summary>Normally artifacts/sbom.cdx.json.</summary>
    public required string OutputPath { get; init; }
    /// <summary>The local tool manifest pinning the CycloneDX tool: Handoff's tools/dotnet-tools.json.</summary>
    public required string ToolManifest { get; init; }
    /// <summary>The BOM's top component name and version (defaults: the project's name, 0.0.0).</summary>
    public string? ComponentName { get; init; }
    public string? ComponentVersion { get; init; }
    public bool ExcludeTestProjects { get; init; } = true;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>The SBOM that was written.</summary>
public sealed record SbomResult(string Path, Digest Digest, string SpecVersion, int ComponentCount, byte[] Content);

/// <summary>
/// CycloneDX JSON for a .NET project through the CycloneDX dotnet tool pinned in the tool manifest
/// (<c>dotnet tool run dotnet-CycloneDX</c>). The tool writes into a private temp folder; the result
/// is checked (bomFormat, specVersion) and then moved into place atomically.
/// </summary>
public static class SbomGenerator
{
    public const string ToolCommand = "dotnet-CycloneDX";

    public static async Task<SbomResult> GenerateAsync(SbomOptions options, TextWriter output, CancellationToken ct = default)
    {
        var project = Path.GetFullPath(options.ProjectPath);
        if (!File.Exists(project))
        {
            throw new HandoffException($"{options.ProjectPath}: project not found; the SBOM is made from a .csproj or .sln. Pass --sbom-project=PATH.");
        }

        var manifest = Path.GetFullPath(options.ToolManifest);
        if (!File.Exists(manifest))
        {
            throw new HandoffException($"{options.ToolManifest}: tool manifest not found; it pins the CycloneDX tool. Restore Handoff's tools/dotnet-tools.json.");
        }

        // `dotnet tool run` finds a manifest by searching upward from the working directory.
        var toolDirectory = Path.GetDirectoryName(manifest)!;
        (await Exec.RunAsync("dotnet", ["tool", "restore", "--tool-manifest", manifest], new ExecOptions { WorkingDirectory = toolDirectory, Timeout = options.Timeout }, ct))
            .EnsureSuccess("Restoring the CycloneDX tool failed");

        var temp = Path.Combine(Path.GetTempPath(), "handoff-sbom-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(temp);
        try
        {
            var arguments = new List<string> { "tool", "run", ToolCommand, "--", project, "--output", temp, "--filename", "sbom.cdx.json", "--output-format", "Json" };
            if (options.ExcludeTestProjects)
            {
                arguments.Add("--exclude-test-projects");
            }

            if (options.ComponentName is not null)
            {
                arguments.AddRange(["--set-name", options.ComponentName]);
            }

            if (options.ComponentVersion is not null)
            {
                arguments.AddRange(["--set-version", options.ComponentVersion]);
            }

            output.WriteLine($"sbom: CycloneDX for {options.ProjectPath}");
            (await Exec.RunAsync("dotnet", arguments, new ExecOptions { WorkingDirectory = toolDirectory, Timeout = options.Timeout }, ct))
                .EnsureSuccess("The CycloneDX tool failed");

            var produced = Path.Combine(temp, "sbom.cdx.json");
            if (!File.Exists(produced))
            {
                throw new HandoffException($"The CycloneDX tool reported success but wrote no {produced}.");
            }

            var content = await File.ReadAllBytesAsync(produced, ct);
            var (specVersion, components) = Validate(content, produced);
            AtomicFile.WriteAllBytes(options.OutputPath, content);
            var digest = Digest.Sha256(content);
            output.WriteLine($"sbom: wrote {options.OutputPath} (CycloneDX {specVersion}, {components} component(s), {digest.Short})");
            return new SbomResult(options.OutputPath, digest, specVersion, components, content);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static (string SpecVersion, int Components) Validate(byte[] content, string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(content);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new HandoffException($"The CycloneDX tool wrote invalid JSON to {path}: {ex.Message}");
        }

        if (root?["bomFormat"]?.GetValue<string>() != "CycloneDX" || root["specVersion"]?.GetValue<string>() is not { } specVersion)
        {
            throw new HandoffException($"{path} is not a CycloneDX BOM (bomFormat/specVersion missing).");
        }

        return (specVersion, (root["components"] as JsonArray)?.Count ?? 0);
    }
}
