using System.Text.Json;

namespace Handoff.Oci;

/// <summary>A content descriptor: what a manifest says about a blob or another manifest.</summary>
public sealed record OciDescriptor(string MediaType, Digest Digest, long Size)
{
    public OciPlatform? Platform { get; init; }
    public string? ArtifactType { get; init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    /// <summary>Where a non-distributable (foreign) layer can be downloaded; such blobs are never pushed.</summary>
    public IReadOnlyList<string>? Urls { get; init; }

    public string? Annotation(string key) => Annotations is not null && Annotations.TryGetValue(key, out var value) ? value : null;

    /// <summary>Reads a descriptor object; <paramref name="where"/> names it in errors (file and JSON path).</summary>
    internal static OciDescriptor Read(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new OciFormatException($"{where} is not a descriptor object.");
        }

        var mediaType = element.GetStringOrNull("mediaType");
        if (string.IsNullOrEmpty(mediaType))
        {
            throw new OciFormatException($"{where} has no mediaType.");
        }

        if (!Digest.TryParse(element.GetStringOrNull("digest"), out var digest, out var error))
        {
            throw new OciFormatException($"{where}: {error}");
        }

        if (element.GetPropertyOrNull("size") is not { ValueKind: JsonValueKind.Number } sizeElement || !sizeElement.TryGetInt64(out var size) || size < 0)
        {
            throw new OciFormatException($"{where} ({digest.Short}) has no valid size.");
        }

        List<string>? urls = null;
        if (element.GetPropertyOrNull("urls") is { ValueKind: JsonValueKind.Array } urlArray)
        {
            urls = urlArray.EnumerateArray().Where(u => u.ValueKind == JsonValueKind.String).Select(u => u.GetString()!).ToList();
        }

        return new OciDescriptor(mediaType, digest, size)
        {
            Platform = element.GetPropertyOrNull("platform") is { } platform ? OciPlatform.Read(platform) : null,
            ArtifactType = element.GetStringOrNull("artifactType"),
            Annotations = element.ReadStringMap("annotations"),
            Urls = urls is { Count: > 0 } ? urls : null,
        };
    }

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("mediaType", MediaType);
        writer.WriteString("digest", Digest.ToString());
        writer.WriteNumber("size", Size);
        if (Urls is { Count: > 0 })
        {
            writer.WriteStartArray("urls");
            foreach (var url in Urls)
            {
                writer.WriteStringValue(url);
            }

            writer.WriteEndArray();
        }

        if (Platform is not null)
        {
            writer.WritePropertyName("platform");
            Platform.Write(writer);
        }

        if (ArtifactType is not null)
        {
            writer.WriteString("artifactType", ArtifactType);
        }

        writer.WriteStringMap("annotations", Annotations);
        writer.WriteEndObject();
    }
}

/// <summary>Malformed manifest or descriptor JSON; callers turn it into a <see cref="HandoffException"/> naming the file or registry.</summary>
internal sealed class OciFormatException(string message) : Exception(message);
