using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Handoff.Oci;

/// <summary>
/// Reads <c>docker save</c>'s format (manifest.json with Config, RepoTags and Layers) and turns it into
/// a Docker image manifest v2 schema 2 that a registry accepts.
/// </summary>
/// <remarks>
/// docker save stores layers as plain tars; the .NET SDK and others store the gzip blobs they pulled
/// under the same layer.tar names. Compression is detected from the bytes. Gzip layers are kept as
/// they are, so their digests match the base image's in the registry and cross-repository blob reuse works.
/// Plain layers are gzip-compressed here, deterministically (fixed level, header without time or OS):
/// schema 2 has no media type for an uncompressed layer (the OCI one would force an OCI manifest that
/// some older runtimes and registries handle poorly), and registries, network and pulls all pay for
/// layers 2-3 times their compressed size. Same input and runtime give the same bytes, so pushing the
/// same archive twice finds every blob already there. The fastest level is used: compression is what
/// a push from a docker-archive waits for, and level 1 takes about 60% of the time of level 6 for
/// about 5% more bytes (300 MB layer, measured). Layers are converted in parallel. Either way each
/// layer is checked against the config's rootfs.diff_ids, the hash of its uncompressed content.
/// </remarks>
internal static partial class DockerArchiveReader
{
    private const long MaxConfigSize = 64L * 1024 * 1024;

    public static bool IsDockerArchive(ArchiveContent content) => content.Contains("manifest.json");

    public static ArchiveGraph Read(ArchiveContent content, string? imageName)
    {
        var archive = content.ArchivePath;
        var entries = ReadEntries(content);
        if (entries.Count == 0)
        {
            throw new HandoffException($"{archive}: manifest.json lists no image. Rebuild the image archive.");
        }

        var selected = ArchiveSelection.Select(entries, e => e.RepoTags, imageName, archive);
        if (selected.Count > 1)
        {
            throw new HandoffException(
                $"{archive}: the archive holds {selected.Count} images ({string.Join(", ", selected.Select(e => e.RepoTags.Count > 0 ? string.Join('/', e.RepoTags) : e.Config))}). Pass the image name (one of its RepoTags) to choose one.");
        }

        var entry = selected[0];
        var graph = new ArchiveGraph(content, OciArchiveFormat.DockerArchive);
        graph.Names.AddRange(entry.RepoTags);

        var configSource = content.Find(entry.Config)
            ?? throw new ArchiveBlobMissingException($"{archive}: the image config {entry.Config} named by manifest.json is missing. The archive is incomplete: rebuild it.");
        var configBytes = content.ReadAll(configSource, MaxConfigSize, "image config");
        var configDigest = Digest.Sha256(configBytes);
        if (HexName().Match(entry.Config) is { Success: true } named && named.Groups[1].Value != configDigest.Hex)
        {
            throw new HandoffException($"{archive}: the image config {entry.Config} does not match the digest in its name (its content hashes to {configDigest}): the archive is corrupt. Rebuild it.");
        }

        var (diffIds, platform) = ReadConfig(configBytes, archive, entry.Config);
        if (diffIds.Count != entry.Layers.Count)
        {
            throw new HandoffException($"{archive}: manifest.json lists {entry.Layers.Count} layers but the config {entry.Config} has {diffIds.Count} rootfs.diff_ids: the archive is corrupt. Rebuild it.");
        }

        if (platform is not null)
        {
            graph.Platforms.Add(platform);
        }

        var config = new OciDescriptor(MediaTypes.DockerConfig, configDigest, configBytes.Length);
        graph.AddBlob(new ArchiveBlob(config, configSource, "image config") { Verified = true });

        var layers = new ArchiveBlob[entry.Layers.Count];
        Parallelism.ForEach(Enumerable.Range(0, entry.Layers.Count).ToList(), i =>
        {
            var role = $"layer {i + 1} of {entry.Layers.Count}";
            var source = content.Find(entry.Layers[i]!)
                ?? throw new ArchiveBlobMissingException($"{archive}: {role} ({entry.Layers[i]}) named by manifest.json is missing. The archive is incomplete: rebuild it.");
            layers[i] = ConvertLayer(content, source, diffIds[i], role);
        });

        foreach (var layer in layers)
        {
            graph.AddBlob(layer);
        }

        graph.Root = OciManifest.CreateImage(MediaTypes.DockerManifest, config, layers.Select(l => l.Descriptor).ToList());
        graph.AddManifest(graph.Root);
        return graph;
    }

    private static ArchiveBlob ConvertLayer(ArchiveContent content, BlobSource source, Digest diffId, string role)
    {
        var archive = content.ArchivePath;
        var compression = SniffCompression(source);
        try
        {
            return compression switch
            {
                LayerCompression.Gzip => KeepGzip(source, diffId, role, archive),
                LayerCompression.None => Compress(content, source, diffId, role, archive),
                _ => throw new HandoffException($"{archive}: {role} ({source.EntryName}) is zstd-compressed, which a docker-archive cannot hold. Export the image as an OCI layout instead (e.g. docker buildx --output type=oci)."),
            };
        }
        catch (InvalidDataException ex)
        {
            throw new HandoffException($"{archive}: {role} ({source.EntryName}) is not a valid gzip stream ({ex.Message}): the archive is corrupt. Rebuild it.", ex);
        }
    }

    private static ArchiveBlob KeepGzip(BlobSource source, Digest diffId, string role, string archive)
    {
        Digest compressed;
        Digest uncompressed;
        using (var raw = source.OpenRead())
        using (var compressedHash = new HashingStream(raw))
        {
            using (var gzip = new GZipStream(compressedHash, CompressionMode.Decompress, leaveOpen: true))
            using (var uncompressedHash = new HashingStream(Stream.Null))
            {
                gzip.CopyTo(uncompressedHash, 1024 * 1024);
                uncompressed = uncompressedHash.GetDigest();
            }

            // Hash to the end even if bytes follow the gzip stream: the blob is the whole entry.
            compressedHash.CopyTo(Stream.Null);
            compressed = compressedHash.GetDigest();
        }

        CheckDiffId(uncompressed, diffId, role, source, archive);
        return new ArchiveBlob(new OciDescriptor(MediaTypes.DockerLayerGzip, compressed, source.Length), source, role) { Verified = true };
    }

    private static ArchiveBlob Compress(ArchiveContent content, BlobSource source, Digest diffId, string role, string archive)
    {
        var target = content.Temp.NewFile(".tar.gz");
        Digest compressed;
        Digest uncompressed;
        long size;
        using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1024 * 1024))
        {
            using var compressedHash = new HashingStream(output, leaveOpen: true);
            using (var raw = source.OpenRead())
            using (var uncompressedHash = new HashingStream(raw))
            using (var gzip = new DeterministicGzipStream(compressedHash, CompressionLevel.Fastest, leaveOpen: true))
            {
                uncompressedHash.CopyTo(gzip, 1024 * 1024);
                uncompressed = uncompressedHash.GetDigest();
            }

            compressed = compressedHash.GetDigest();
            size = compressedHash.BytesHashed;
        }

        CheckDiffId(uncompressed, diffId, role, source, archive);
        var blob = new BlobSource(target, 0, size, source.EntryName + " (compressed)") { KnownDigest = compressed };
        return new ArchiveBlob(new OciDescriptor(MediaTypes.DockerLayerGzip, compressed, size), blob, role) { Verified = true };
    }

    private static void CheckDiffId(Digest actual, Digest expected, string role, BlobSource source, string archive)
    {
        if (actual != expected)
        {
            throw new HandoffException(
                $"{archive}: {role} ({source.EntryName}) does not match the config's rootfs.diff_ids entry {expected} (its content hashes to {actual}): the archive is corrupt. Rebuild the image archive (rerun the image build) and copy it again.");
        }
    }

    private static LayerCompression SniffCompression(BlobSource source)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = source.OpenRead();
        var read = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            return LayerCompression.Gzip;
        }

        return read == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd ? LayerCompression.Zstd : LayerCompression.None;
    }

    private static (List<Digest> DiffIds, OciPlatform? Platform) ReadConfig(byte[] bytes, string archive, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, JsonExtensions.Reader);
            var root = document.RootElement;
            if (root.GetPropertyOrNull("rootfs") is not { } rootfs || rootfs.GetPropertyOrNull("diff_ids") is not { ValueKind: JsonValueKind.Array } ids)
            {
                throw new HandoffException($"{archive}: the image config {path} has no rootfs.diff_ids: it is not an image config. Rebuild the image archive.");
            }

            var diffIds = new List<Digest>();
            foreach (var id in ids.EnumerateArray())
            {
                if (!Digest.TryParse(id.ValueKind == JsonValueKind.String ? id.GetString() : null, out var digest, out var error))
                {
                    throw new HandoffException($"{archive}: the image config {path} has an invalid rootfs.diff_ids entry: {error}");
                }

                diffIds.Add(digest);
            }

            return (diffIds, OciPlatform.Read(root));
        }
        catch (JsonException ex)
        {
            throw new HandoffException($"{archive}: the image config {path} is not valid JSON ({ex.Message}). Rebuild the image archive.");
        }
    }

    private static List<DockerArchiveEntry> ReadEntries(ArchiveContent content)
    {
        var archive = content.ArchivePath;
        var bytes = content.ReadAll(content.Find("manifest.json")!, OciManifest.MaxSize, "manifest.json");
        try
        {
            using var document = JsonDocument.Parse(bytes, JsonExtensions.Reader);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new HandoffException($"{archive}: manifest.json is not a JSON array of images (docker save format). Rebuild the image archive.");
            }

            var entries = new List<DockerArchiveEntry>();
            var position = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                position++;
                var config = item.GetStringOrNull("Config");
                var layers = item.GetPropertyOrNull("Layers") is { ValueKind: JsonValueKind.Array } array
                    ? array.EnumerateArray().Select(l => l.ValueKind == JsonValueKind.String ? l.GetString() : null).ToList()
                    : null;
                if (string.IsNullOrEmpty(config) || layers is null || layers.Any(string.IsNullOrEmpty))
                {
                    throw new HandoffException($"{archive}: manifest.json entry {position} has no Config or Layers (docker save format). Rebuild the image archive.");
                }

                var tags = item.GetPropertyOrNull("RepoTags") is { ValueKind: JsonValueKind.Array } tagArray
                    ? tagArray.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList()
                    : [];
                entries.Add(new DockerArchiveEntry(config, tags, layers!));
            }

            return entries;
        }
        catch (JsonException ex)
        {
            throw new InputFileException($"{archive}!manifest.json", (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1,
                $"not valid JSON ({ex.Message}).", "Rebuild the image archive.", ex);
        }
    }

    [GeneratedRegex(@"(?:^|/)([a-f0-9]{64})(?:\.json)?$")]
    private static partial Regex HexName();

    private enum LayerCompression
    {
        None,
        Gzip,
        Zstd,
    }

    private sealed record DockerArchiveEntry(string Config, IReadOnlyList<string> RepoTags, IReadOnlyList<string?> Layers);
}
