using System.Formats.Tar;
using System.IO.Compression;

namespace Handoff.Oci;

/// <summary>
/// The files of a tar archive. An uncompressed tar is indexed in place (each file is a window of
/// the archive, nothing is copied); a gzip-compressed one is extracted once into temp space, with
/// every file hashed on the way so it need not be read again to verify it.
/// </summary>
internal sealed class TarContent : ArchiveContent
{
    private const int MaxLinkDepth = 8;

    private readonly Dictionary<string, BlobSource> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Target, bool Hard)> _links = new(StringComparer.Ordinal);
    private readonly bool _compressed;

    private TarContent(string archivePath, bool compressed) : base(archivePath)
    {
        _compressed = compressed;
    }

    public override OciArchiveContainer Container => _compressed ? OciArchiveContainer.TarGzip : OciArchiveContainer.Tar;

    public static TarContent Open(string path, bool gzip)
    {
        var content = new TarContent(path, gzip);
        try
        {
            if (gzip)
            {
                content.Extract();
            }
            else
            {
                content.Index();
            }

            return content;
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or IOException or ArgumentException)
        {
            content.Dispose();
            throw new HandoffException($"{path}: the archive is truncated or corrupt, it cannot be read as a tar{(gzip ? ".gz" : "")} ({ex.Message}). Rebuild the image archive (rerun the image build) and make sure it was copied completely.", ex);
        }
        catch
        {
            content.Dispose();
            throw;
        }
    }

    public override BlobSource? Find(string path)
    {
        var normalized = ArchivePaths.Normalize(path);
        for (var depth = 0; normalized is not null && depth < MaxLinkDepth; depth++)
        {
            if (_files.TryGetValue(normalized, out var source))
            {
                return source;
            }

            if (!_links.TryGetValue(normalized, out var link))
            {
                return null;
            }

            // A hard link names its target from the archive root; a symbolic link from its own folder.
            var baseDirectory = link.Hard ? "" : (normalized.Contains('/') ? normalized[..normalized.LastIndexOf('/')] : "");
            normalized = ArchivePaths.Normalize(baseDirectory.Length == 0 || link.Target.StartsWith('/') ? link.Target : baseDirectory + "/" + link.Target);
        }

        return null;
    }

    private void Index()
    {
        using var file = new FileStream(ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        foreach (var entry in TarIndexer.Read(file))
        {
            if (ArchivePaths.Normalize(entry.Name) is not { } name)
            {
                continue;
            }

            if (entry.IsRegularFile)
            {
                _files[name] = new BlobSource(ArchivePath, entry.DataOffset, entry.Size, name);
                _links.Remove(name);
            }
            else if (entry.IsLink)
            {
                _links[name] = (entry.LinkName, entry.IsHardLink);
                _files.Remove(name);
            }
        }
    }

    private void Extract()
    {
        using var file = new FileStream(ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            if (!IsRegularFile(entry.EntryType))
            {
                AddLink(entry);
                continue;
            }

            var target = Temp.NewFile();
            Digest digest;
            long written;
            using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            using (var hashing = new HashingStream(output))
            {
                entry.DataStream?.CopyTo(hashing, 1024 * 1024);
                written = hashing.BytesHashed;
                digest = hashing.GetDigest();
            }

            if (written != entry.Length)
            {
                throw new EndOfStreamException($"'{entry.Name}' should hold {entry.Length} bytes but only {written} could be read");
            }

            if (ArchivePaths.Normalize(entry.Name) is { } name)
            {
                _files[name] = new BlobSource(target, 0, written, name) { KnownDigest = digest };
                _links.Remove(name);
            }
        }
    }

    private void AddLink(TarEntry entry)
    {
        if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink && ArchivePaths.Normalize(entry.Name) is { } name)
        {
            _links[name] = (entry.LinkName, entry.EntryType == TarEntryType.HardLink);
            _files.Remove(name);
        }
    }

    private static bool IsRegularFile(TarEntryType type) => type is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile;
}
