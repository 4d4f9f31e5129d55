namespace Handoff.Oci;

/// <summary>
/// An image read from a local archive, as any tool writes it: an OCI image layout (folder, tar or
/// tar.gz) or a docker-archive. Every blob is checked against its size and digest when the archive is
/// opened; manifests keep their exact bytes so a push reproduces the archive's digests. Layers are
/// never loaded into memory: they are read from the archive (or from temp space, for a compressed
/// archive or a converted layer) when pushed. Dispose deletes the temp space.
/// </summary>
public sealed class OciImageArchive : IDisposable
{
    private readonly ArchiveGraph _graph;

    private OciImageArchive(string path, ArchiveGraph graph)
    {
        Path = path;
        _graph = graph;
        Root = graph.Root!;
        Manifests = graph.Manifests.ToList();
        Blobs = graph.Blobs.Select(b => b.Descriptor).ToList();
        Platforms = graph.Platforms.ToList();
        Names = graph.Names.ToList();
    }

    public string Path { get; }
    public OciArchiveFormat Format => _graph.Format;
    public OciArchiveContainer Container => _graph.Content.Container;

    /// <summary>What a tag will point to: the image manifest, or the index of a multi-platform image.</summary>
    public OciManifest Root { get; }

    /// <summary>Every manifest to push, children before the index that lists them; <see cref="Root"/> is last.</summary>
    public IReadOnlyList<OciManifest> Manifests { get; }

    /// <summary>Config and layer blobs, each once.</summary>
    public IReadOnlyList<OciDescriptor> Blobs { get; }

    /// <summary>The platforms of the images (attestation manifests excluded when the platforms are known).</summary>
    public IReadOnlyList<OciPlatform> Platforms { get; }

    /// <summary>Names recorded in the archive: RepoTags, or <c>org.opencontainers.image.ref.name</c> annotations.</summary>
    public IReadOnlyList<string> Names { get; }

    public long BlobBytes => Blobs.Sum(b => b.Size);

    /// <summary>
    /// Opens and verifies an image archive. <paramref name="imageName"/> picks one image when the
    /// archive holds several (a RepoTag, a ref name, or just the tag).
    /// </summary>
    /// <exception cref="HandoffException">Missing, unknown, truncated or corrupt archive, or a missing blob.</exception>
    public static OciImageArchive Open(string path, string? imageName = null)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new HandoffException("No image archive given: pass the path of an OCI layout (folder, .tar, .tar.gz) or a docker-archive (.tar) made by docker save.");
        }

        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            throw new HandoffException($"{path}: image archive not found. Build the image first (the BuildImage target writes it), or pass the path of an existing OCI layout or docker-archive.");
        }

        ArchiveContent? content = null;
        try
        {
            content = OpenContent(path, full);
            return new OciImageArchive(path, ReadGraph(content, imageName));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            content?.Dispose();
            throw new HandoffException($"{path}: the image archive cannot be read ({ex.Message}). Check that it exists, is readable and is not being written by another process.", ex);
        }
        catch
        {
            content?.Dispose();
            throw;
        }
    }

    /// <summary>Opens a blob (config or layer) for reading; the caller disposes the stream.</summary>
    public Stream OpenBlob(Digest digest) =>
        (_graph.FindBlob(digest) ?? throw new ArgumentException($"{Path} has no blob {digest}.", nameof(digest))).Source.OpenRead();

    public OciManifest? FindManifest(Digest digest) => _graph.FindManifest(digest);

    public void Dispose() => _graph.Content.Dispose();

    private static ArchiveContent OpenContent(string path, string full)
    {
        var kind = ArchiveSniffer.Sniff(full);
        return kind switch
        {
            ArchiveKind.Directory => new DirectoryContent(full),
            ArchiveKind.Tar => TarContent.Open(full, gzip: false),
            ArchiveKind.Gzip => TarContent.Open(full, gzip: true),
            ArchiveKind.Empty => throw new HandoffException($"{path}: the image archive is empty (0 bytes). The image build failed or was interrupted: rebuild it."),
            ArchiveKind.Zstd => throw new HandoffException($"{path}: zstd-compressed archives are not supported. Decompress it (zstd -d) or write a .tar or .tar.gz."),
            _ => throw UnknownFormat(path),
        };
    }

    private static ArchiveGraph ReadGraph(ArchiveContent content, string? imageName)
    {
        if (OciLayoutReader.IsLayout(content))
        {
            try
            {
                return OciLayoutReader.Read(content, imageName);
            }
            catch (ArchiveBlobMissingException) when (DockerArchiveReader.IsDockerArchive(content))
            {
                // docker save (Docker 25+) writes both formats; with the containerd image store its
                // index.json names every platform while only the local one is in the archive.
                return DockerArchiveReader.Read(content, imageName);
            }
        }

        if (DockerArchiveReader.IsDockerArchive(content))
        {
            return DockerArchiveReader.Read(content, imageName);
        }

        throw UnknownFormat(content.ArchivePath);
    }

    private static HandoffException UnknownFormat(string path) => new(
        $"{path}: not an image archive this tool can read. Expected an OCI image layout (a folder, .tar or .tar.gz with oci-layout, index.json and blobs/) " +
        "or a docker-archive (docker save, kaniko --tar-path, dotnet publish /t:PublishContainer -p:ContainerArchiveOutputPath) with manifest.json.");
}
