using System.Text.Json;

namespace Handoff.Oci;

/// <summary>
/// Reads an OCI image layout: <c>index.json</c> names the images, <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>
/// holds manifests, configs and layers. One image (or one nested index) in index.json is pushed as
/// it is; several single-platform images become the children of a new index.
/// </summary>
internal static class OciLayoutReader
{
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    public const string ContainerdNameAnnotation = "io.containerd.image.name";
    private const int MaxNesting = 4;
    private const long MaxConfigSize = 64L * 1024 * 1024;

    public static bool IsLayout(ArchiveContent content) => content.Contains("index.json");

    public static ArchiveGraph Read(ArchiveContent content, string? imageName)
    {
        var archive = content.ArchivePath;
        CheckLayoutVersion(content);
        var indexSource = content.Find("index.json")!;
        var index = Parse(content, content.ReadAll(indexSource, OciManifest.MaxSize, "index.json"), MediaTypes.OciIndex, "index.json");
        if (!index.IsIndex)
        {
            throw new HandoffException($"{archive}: index.json is a {index.MediaType}, not an image index. An OCI image layout's index.json must list its images; rebuild the archive.");
        }

        var entries = index.Manifests
            .GroupBy(d => d.Digest)
            .Select(g => (Descriptor: g.First(), Names: g.SelectMany(NamesOf).Distinct(StringComparer.Ordinal).ToList()))
            .ToList();
        if (entries.Count == 0)
        {
            throw new HandoffException($"{archive}: index.json lists no image. Rebuild the image archive.");
        }

        var selected = ArchiveSelection.Select(entries, e => e.Names, imageName, archive);
        var graph = new ArchiveGraph(content, OciArchiveFormat.OciLayout);
        graph.Names.AddRange(selected.SelectMany(e => e.Names).Distinct(StringComparer.Ordinal));
        if (selected.Count == 1)
        {
            var (manifest, platform) = AddManifest(graph, selected[0].Descriptor, "the image in index.json", 0);
            if (!manifest.IsIndex && platform is not null)
            {
                graph.Platforms.Add(platform);
            }

            graph.Root = manifest;
        }
        else
        {
            graph.Root = CombinePlatforms(graph, selected.Select(e => e.Descriptor).ToList());
            graph.AddManifest(graph.Root);
        }

        BlobVerifier.VerifyAll(graph.Blobs, archive);
        return graph;
    }

    private static IEnumerable<string> NamesOf(OciDescriptor descriptor) =>
        new[] { descriptor.Annotation(RefNameAnnotation), descriptor.Annotation(ContainerdNameAnnotation) }.OfType<string>().Where(n => n.Length > 0);

    private static OciManifest CombinePlatforms(ArchiveGraph graph, IReadOnlyList<OciDescriptor> descriptors)
    {
        var children = new List<OciDescriptor>();
        foreach (var descriptor in descriptors)
        {
            var (manifest, platform) = AddManifest(graph, descriptor, "an image in index.json", 0);
            if (manifest.IsIndex || platform is null)
            {
                throw new HandoffException(
                    $"{graph.Content.ArchivePath}: index.json lists {descriptors.Count} images that are not one image per platform ({manifest.Digest.Short} is {(manifest.IsIndex ? "an index" : "of unknown platform")}). Pass the image name (its org.opencontainers.image.ref.name) to choose one.");
            }

            if (graph.Platforms.Contains(platform))
            {
                throw new HandoffException(
                    $"{graph.Content.ArchivePath}: index.json lists several images for {platform}. Pass the image name (its org.opencontainers.image.ref.name: {string.Join(", ", graph.Names)}) to choose one.");
            }

            graph.Platforms.Add(platform);
            children.Add(manifest.ToDescriptor(platform));
        }

        var mediaType = children.All(c => c.MediaType == MediaTypes.DockerManifest) ? MediaTypes.DockerManifestList : MediaTypes.OciIndex;
        return OciManifest.CreateIndex(mediaType, children);
    }

    private static (OciManifest Manifest, OciPlatform? Platform) AddManifest(ArchiveGraph graph, OciDescriptor descriptor, string role, int depth)
    {
        var archive = graph.Content.ArchivePath;
        if (depth > MaxNesting)
        {
            throw new HandoffException($"{archive}: indexes are nested more than {MaxNesting} deep at {descriptor.Digest.Short}; this is not an image archive a registry would accept.");
        }

        if (!MediaTypes.IsManifest(descriptor.MediaType))
        {
            throw new HandoffException($"{archive}: {role} ({descriptor.Digest.Short}) has the media type '{descriptor.MediaType}', which is not an image manifest or index. Only images can be pushed from an archive.");
        }

        var source = graph.Content.Find(ArchivePaths.Blob(descriptor.Digest)) ?? throw Missing(archive, descriptor, role);
        if (source.Length != descriptor.Size)
        {
            BlobVerifier.Verify(source, descriptor, role, archive);
        }

        var bytes = graph.Content.ReadAll(source, OciManifest.MaxSize, "manifest");
        if (!descriptor.Digest.Matches(bytes))
        {
            throw new HandoffException($"{archive}: manifest {descriptor.Digest} ({role}) does not match its digest: the archive is corrupt. Rebuild the image archive.");
        }

        var manifest = Parse(graph.Content, bytes, descriptor.MediaType, $"manifest {descriptor.Digest.Short}");
        if (graph.FindManifest(manifest.Digest) is not null)
        {
            return (manifest, descriptor.Platform);
        }

        OciPlatform? platform = descriptor.Platform;
        if (manifest.IsIndex)
        {
            var position = 0;
            foreach (var child in manifest.Manifests)
            {
                var (childManifest, childPlatform) = AddManifest(graph, child, $"manifest {++position} of index {manifest.Digest.Short}", depth + 1);
                if (depth == 0 && !childManifest.IsIndex && childPlatform is { IsUnknown: false } && !graph.Platforms.Contains(childPlatform))
                {
                    graph.Platforms.Add(childPlatform);
                }
            }
        }
        else
        {
            var name = platform is null ? $"image {manifest.Digest.Short}" : $"{platform} image {manifest.Digest.Short}";
            var configPlatform = AddConfig(graph, manifest.Config!, $"config of {name}");
            platform ??= configPlatform;
            var layer = 0;
            foreach (var descriptorOfLayer in manifest.Layers)
            {
                AddLayer(graph, descriptorOfLayer, $"layer {++layer} of {manifest.Layers.Count} of {name}");
            }
        }

        graph.AddManifest(manifest);
        return (manifest, platform);
    }

    private static OciPlatform? AddConfig(ArchiveGraph graph, OciDescriptor config, string role)
    {
        var archive = graph.Content.ArchivePath;
        var source = graph.Content.Find(ArchivePaths.Blob(config.Digest)) ?? throw Missing(archive, config, role);
        var blob = new ArchiveBlob(config, source, role);
        if (!MediaTypes.IsImageConfig(config.MediaType) || config.Size > MaxConfigSize)
        {
            graph.AddBlob(blob);
            return null;
        }

        BlobVerifier.Verify(source, config, role, archive);
        blob.Verified = true;
        graph.AddBlob(blob);
        try
        {
            using var document = JsonDocument.Parse(graph.Content.ReadAll(source, MaxConfigSize, "config"), JsonExtensions.Reader);
            return OciPlatform.Read(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new HandoffException($"{archive}: the {role} ({config.Digest.Short}) is not valid JSON ({ex.Message}). Rebuild the image archive.");
        }
    }

    private static void AddLayer(ArchiveGraph graph, OciDescriptor layer, string role)
    {
        if (graph.HasBlob(layer.Digest))
        {
            return;
        }

        var source = graph.Content.Find(ArchivePaths.Blob(layer.Digest));
        if (source is null)
        {
            // A non-distributable layer (Windows base images) is fetched by the runtime from its URLs, never pushed.
            if (layer.Urls is { Count: > 0 })
            {
                return;
            }

            throw Missing(graph.Content.ArchivePath, layer, role);
        }

        graph.AddBlob(new ArchiveBlob(layer, source, role));
    }

    private static void CheckLayoutVersion(ArchiveContent content)
    {
        if (content.Find("oci-layout") is not { } source)
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(content.ReadAll(source, 64 * 1024, "oci-layout file"), JsonExtensions.Reader);
            var version = document.RootElement.GetStringOrNull("imageLayoutVersion");
            if (version is null || !version.StartsWith("1.", StringComparison.Ordinal))
            {
                throw new HandoffException($"{content.ArchivePath}: oci-layout declares imageLayoutVersion '{version}', but only 1.x layouts are supported.");
            }
        }
        catch (JsonException ex)
        {
            throw new HandoffException($"{content.ArchivePath}: oci-layout is not valid JSON ({ex.Message}). Rebuild the image archive.");
        }
    }

    private static OciManifest Parse(ArchiveContent content, byte[] bytes, string? mediaType, string what)
    {
        try
        {
            return OciManifest.Parse(bytes, mediaType, what);
        }
        catch (OciFormatException ex)
        {
            throw new HandoffException($"{content.ArchivePath}: {ex.Message} Rebuild the image archive.");
        }
    }

    internal static ArchiveBlobMissingException Missing(string archive, OciDescriptor descriptor, string role) =>
        new($"{archive}: blob {descriptor.Digest} ({role}) is missing: the archive has no {ArchivePaths.Blob(descriptor.Digest)}. The archive is incomplete: rebuild it, or export all platforms of the image.");
}

/// <summary>A blob the manifests need is not in the archive.</summary>
internal sealed class ArchiveBlobMissingException(string message) : HandoffException(message);
