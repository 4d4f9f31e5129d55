using System.Text.Json;

namespace Handoff.Oci;

/// <summary>
/// An image manifest or an index (manifest list), kept as the exact bytes it was read or written as:
/// its digest is the sha256 of those bytes, so it is never re-serialised on the way to a registry.
/// </summary>
public sealed class OciManifest
{
    /// <summary>Registries reject larger manifests (distribution's limit is 4 MiB); reading more is a sign of the wrong file.</summary>
    public const int MaxSize = 4 * 1024 * 1024;

    private OciManifest(byte[] content, string mediaType, Digest digest)
    {
        Content = content;
        MediaType = mediaType;
        Digest = digest;
    }

    public string MediaType { get; }
    public Digest Digest { get; }
    public ReadOnlyMemory<byte> Content { get; }
    public long Size => Content.Length;
    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>The config blob of an image manifest; null for an index.</summary>
    public OciDescriptor? Config { get; private init; }
    public IReadOnlyList<OciDescriptor> Layers { get; private init; } = [];
    /// <summary>The manifests an index lists; empty for an image manifest.</summary>
    public IReadOnlyList<OciDescriptor> Manifests { get; private init; } = [];
    public OciDescriptor? Subject { get; private init; }
    public string? ArtifactType { get; private init; }
    public IReadOnlyDictionary<string, string>? Annotations { get; private init; }

    /// <summary>The artifact type a referrers listing reports: <c>artifactType</c>, else the config media type.</summary>
    public string? EffectiveArtifactType => ArtifactType ?? Config?.MediaType;

    public OciDescriptor ToDescriptor(OciPlatform? platform = null) => new(MediaType, Digest, Size) { Platform = platform };

    /// <summary>
    /// Parses manifest bytes. The body's own <c>mediaType</c> wins over <paramref name="declaredMediaType"/>
    /// (a descriptor or Content-Type), because registries check the body; without either, the shape decides.
    /// </summary>
    /// <exception cref="OciFormatException">The bytes are not a schema 2 manifest or index; the message starts with <paramref name="source"/>.</exception>
    internal static OciManifest Parse(byte[] content, string? declaredMediaType, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, JsonExtensions.Reader);
        }
        catch (JsonException ex)
        {
            throw new OciFormatException($"{source} is not valid JSON ({ex.Message}).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new OciFormatException($"{source} is not a JSON object.");
            }

            if (root.GetPropertyOrNull("schemaVersion") is not { ValueKind: JsonValueKind.Number } version || version.GetInt32() != 2)
            {
                throw new OciFormatException($"{source} is not an image manifest of schema version 2 (Docker schema 1 and unknown formats are not supported).");
            }

            var mediaType = root.GetStringOrNull("mediaType");
            if (string.IsNullOrEmpty(mediaType))
            {
                mediaType = MediaTypes.IsManifest(declaredMediaType)
                    ? declaredMediaType!
                    : root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
            }

            if (!MediaTypes.IsManifest(mediaType))
            {
                throw new OciFormatException($"{source} has the media type '{mediaType}', which is neither an image manifest nor an index.");
            }

            return new OciManifest(content, mediaType, Digest.Sha256(content))
            {
                ArtifactType = root.GetStringOrNull("artifactType"),
                Annotations = root.ReadStringMap("annotations"),
                Subject = root.GetPropertyOrNull("subject") is { } subject ? OciDescriptor.Read(subject, $"{source}: subject") : null,
                Config = MediaTypes.IsIndex(mediaType) ? null : ReadConfig(root, source),
                Layers = MediaTypes.IsIndex(mediaType) ? [] : ReadList(root, "layers", source, required: false),
                Manifests = MediaTypes.IsIndex(mediaType) ? ReadList(root, "manifests", source, required: true) : [],
            };
        }
    }

    /// <summary>An image manifest for <paramref name="config"/> and <paramref name="layers"/>, serialised canonically.</summary>
    public static OciManifest CreateImage(string mediaType, OciDescriptor config, IReadOnlyList<OciDescriptor> layers,
        OciDescriptor? subject = null, string? artifactType = null, IReadOnlyDictionary<string, string>? annotations = null)
    {
        if (!MediaTypes.IsImageManifest(mediaType))
        {
            throw new ArgumentException($"'{mediaType}' is not an image manifest media type.", nameof(mediaType));
        }

        var bytes = JsonExtensions.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", mediaType);
            if (artifactType is not null)
            {
                writer.WriteString("artifactType", artifactType);
            }

            writer.WritePropertyName("config");
            config.Write(writer);
            writer.WriteStartArray("layers");
            foreach (var layer in layers)
            {
                layer.Write(writer);
            }

            writer.WriteEndArray();
            if (subject is not null)
            {
                writer.WritePropertyName("subject");
                subject.Write(writer);
            }

            writer.WriteStringMap("annotations", annotations);
            writer.WriteEndObject();
        });
        return Parse(bytes, mediaType, "new manifest");
    }

    /// <summary>An index (OCI) or manifest list (Docker) of <paramref name="manifests"/>, serialised canonically.</summary>
    public static OciManifest CreateIndex(string mediaType, IReadOnlyList<OciDescriptor> manifests, IReadOnlyDictionary<string, string>? annotations = null)
    {
        if (!MediaTypes.IsIndex(mediaType))
        {
            throw new ArgumentException($"'{mediaType}' is not an index media type.", nameof(mediaType));
        }

        var bytes = JsonExtensions.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", mediaType);
            writer.WriteStartArray("manifests");
            foreach (var manifest in manifests)
            {
                manifest.Write(writer);
            }

            writer.WriteEndArray();
            writer.WriteStringMap("annotations", annotations);
            writer.WriteEndObject();
        });
        return Parse(bytes, mediaType, "new index");
    }

    private static OciDescriptor ReadConfig(JsonElement root, string source) =>
        root.GetPropertyOrNull("config") is { } config
            ? OciDescriptor.Read(config, $"{source}: config")
            : throw new OciFormatException($"{source} is an image manifest without a config descriptor.");

    private static IReadOnlyList<OciDescriptor> ReadList(JsonElement root, string property, string source, bool required)
    {
        if (root.GetPropertyOrNull(property) is not { } list)
        {
            return required ? throw new OciFormatException($"{source} has no '{property}' array.") : [];
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new OciFormatException($"{source}: '{property}' is not an array.");
        }

        var result = new List<OciDescriptor>(list.GetArrayLength());
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            result.Add(OciDescriptor.Read(item, $"{source}: {property}[{index++}]"));
        }

        return result;
    }
}
