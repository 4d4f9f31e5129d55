namespace Handoff.Oci;

/// <summary>An image layout or docker-archive unpacked into a folder; blobs are read where they are.</summary>
internal sealed class DirectoryContent(string root) : ArchiveContent(root)
{
    private readonly string _root = Path.GetFullPath(root);

    public override OciArchiveContainer Container => OciArchiveContainer.Directory;

    public override BlobSource? Find(string path)
    {
        var normalized = ArchivePaths.Normalize(path);
        if (normalized is null)
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(_root, normalized));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return null;
        }

        var info = new FileInfo(full);
        return info.Exists ? new BlobSource(full, 0, info.Length, normalized) : null;
    }
}
