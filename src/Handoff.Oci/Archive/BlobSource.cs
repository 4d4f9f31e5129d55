namespace Handoff.Oci;

/// <summary>Where a blob's bytes are: a whole file, or a window of one (an entry of an uncompressed tar).</summary>
internal sealed class BlobSource(string file, long offset, long length, string entryName)
{
    public string File { get; } = file;
    public long Offset { get; } = offset;
    public long Length { get; } = length;
    /// <summary>The path inside the archive, for messages.</summary>
    public string EntryName { get; } = entryName;
    /// <summary>The sha256 computed when the bytes were extracted or produced, which spares a second hashing pass.</summary>
    public Digest? KnownDigest { get; init; }

    public Stream OpenRead() => Offset == 0
        ? new FileStream(File, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan)
        : new SliceStream(File, Offset, Length);
}
