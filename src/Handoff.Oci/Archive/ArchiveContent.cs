namespace Handoff.Oci;

/// <summary>The files of an archive (a folder or a tar), looked up by their path inside it.</summary>
internal abstract class ArchiveContent : IDisposable
{
    protected ArchiveContent(string archivePath)
    {
        ArchivePath = archivePath;
    }

    /// <summary>The archive as the user named it, for messages.</summary>
    public string ArchivePath { get; }

    /// <summary>Holds extracted and converted blobs; lives as long as the archive.</summary>
    public TempSpace Temp { get; } = new();

    public abstract OciArchiveContainer Container { get; }

    public abstract BlobSource? Find(string path);

    public bool Contains(string path) => Find(path) is not null;

    /// <summary>Reads a small file (JSON) whole, refusing anything larger than <paramref name="maxBytes"/>.</summary>
    public byte[] ReadAll(BlobSource source, long maxBytes, string what)
    {
        if (source.Length > maxBytes)
        {
            throw new HandoffException($"{ArchivePath}: {what} ({source.EntryName}) is {source.Length} bytes, more than the {maxBytes} a {what} can be. The archive is corrupt or not an image archive: rebuild it.");
        }

        var buffer = new byte[source.Length];
        using var stream = source.OpenRead();
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw new HandoffException($"{ArchivePath}: {what} ({source.EntryName}) is truncated. Rebuild the image archive.");
        }

        return buffer;
    }

    public virtual void Dispose() => Temp.Dispose();
}
