using System.Text.Json;

namespace Handoff.Oci;

/// <summary>The base image an image says it was built on, and its digest when the builder recorded one.</summary>
public sealed record BaseImageRecord(string Name, Digest? Digest)
{
    /// <summary>The OCI pre-defined annotation keys; the .NET SDK writes the same keys as config labels.</summary>
    public const string NameKey = "org.opencontainers.image.base.name";
    public const string DigestKey = "org.opencontainers.image.base.digest";

    /// <summary>Image configs are a few KiB; a larger "config" is not one worth parsing for two labels.</summary>
    private const long MaxConfigSize = 4 * 1024 * 1024;

    /// <summary>
    /// Reads the base image from an archive: the root manifest's (or index's) annotations, as buildx,
    /// buildah and ko write them, else the labels of the first image config, as the .NET SDK writes
    /// them. Null when the builder recorded none: nothing is guessed.
    /// </summary>
    public static BaseImageRecord? Read(OciImageArchive archive)
    {
        var images = archive.Manifests.Where(m => !m.IsIndex && m.Config is not null).ToList();
        foreach (var annotations in new[] { archive.Root.Annotations }.Concat(images.Select(m => m.Annotations)))
        {
            if (From(annotations) is { } annotated)
            {
                return annotated;
            }
        }

        foreach (var image in images)
        {
            if (image.Config is { Size: <= MaxConfigSize } config && From(ConfigLabels(archive, config.Digest)) is { } labelled)
            {
                return labelled;
            }
        }

        return null;
    }

    private static BaseImageRecord? From(IReadOnlyDictionary<string, string>? values)
    {
        if (values is null || !values.TryGetValue(NameKey, out var name) || string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        // A malformed digest is dropped rather than trusted: provenance would otherwise record a digest nothing can resolve.
        return new BaseImageRecord(name.Trim(), values.TryGetValue(DigestKey, out var text) && Handoff.Digest.TryParse(text.Trim(), out var digest) ? digest : null);
    }

    private static IReadOnlyDictionary<string, string>? ConfigLabels(OciImageArchive archive, Digest config)
    {
        try
        {
            using var stream = archive.OpenBlob(config);
            using var document = JsonDocument.Parse(stream, JsonExtensions.Reader);
            return document.RootElement.GetPropertyOrNull("config")?.ReadStringMap("Labels");
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
