using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Handoff;

/// <summary>
/// <c>artifacts/release.json</c>: what Publish produced and everything a promotion needs to know
/// about it. Unknown properties are kept (<see cref="Extra"/>) so a newer writer's fields survive a
/// read-modify-write by an older reader.
/// </summary>
public sealed class Release
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;
    public required ReleaseImage Image { get; set; }
    public ReleaseSource Source { get; set; } = new();
    public ReleaseBuild Build { get; set; } = new();
    public ReleaseTests? Tests { get; set; }
    /// <summary>
    /// Scan gate results (issue: supply-chain gates); free-form so the gate owns its shape. It includes
    /// <c>markdown</c>, the gate's table that the promotion PR body shows.
    /// </summary>
    public JsonObject? Scan { get; set; }
    /// <summary>SBOM and provenance attached to the image, by digest.</summary>
    public JsonObject? Attestations { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    public static Release Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new HandoffException($"{path}: release file not found. Run ./build.sh --target=Publish first, or pass --release=PATH to an existing release.json.");
        }

        Release? release;
        try
        {
            release = JsonSerializer.Deserialize<Release>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InputFileException(path, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1,
                $"not valid release JSON: {ex.Message}", "Regenerate it with ./build.sh --target=Publish.", ex);
        }

        if (release?.Image is null || string.IsNullOrEmpty(release.Image.Digest))
        {
            throw new HandoffException($"{path}: the release has no image digest (image.digest). Regenerate it with ./build.sh --target=Publish.");
        }

        if (!Digest.TryParse(release.Image.Digest, out _, out var error))
        {
            throw new HandoffException($"{path}: image.digest is invalid: {error}");
        }

        return release;
    }

    /// <summary>Writes atomically (temp file + rename) so a crash never leaves half a file.</summary>
    public void Save(string path)
    {
        AtomicFile.WriteAllText(path, ToJson());
    }
}

public sealed class ReleaseImage
{
    public required string Registry { get; set; }
    public required string Repository { get; set; }
    public string? Tag { get; set; }
    public required string Digest { get; set; }
    /// <summary>The pinned reference, <c>registry/repository@sha256:…</c>.</summary>
    public string Reference { get; set; } = "";
    public string? MediaType { get; set; }

    [JsonIgnore]
    public ImageReference ImageReference => new(Registry, Repository, Tag, Handoff.Digest.Parse(Digest));
}

public sealed class ReleaseSource
{
    public string? Repository { get; set; }
    public string? Commit { get; set; }
    public string? Branch { get; set; }
}

public sealed class ReleaseBuild
{
    public string CiSystem { get; set; } = "local";
    public string? RunUrl { get; set; }
    public string? RunId { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

public sealed class ReleaseTests
{
    public int Passed { get; set; }
    public int Failed { get; set; }
    public int Skipped { get; set; }
}

public static class AtomicFile
{
    /// <summary>Writes to a sibling temp file then renames over the target: readers see the old or the new file, never a mix.</summary>
    public static void WriteAllText(string path, string content) => WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(content));

    public static void WriteAllBytes(string path, byte[] content)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            File.WriteAllBytes(temp, content);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
