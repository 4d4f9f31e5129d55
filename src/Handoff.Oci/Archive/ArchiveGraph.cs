namespace Handoff.Oci;

/// <summary>What a reader found in an archive: the manifests to push, the blobs they need and where those are.</summary>
internal sealed class ArchiveGraph(ArchiveContent content, OciArchiveFormat format)
{
    private readonly Dictionary<Digest, OciManifest> _manifestsByDigest = [];
    private readonly Dictionary<Digest, int> _blobIndex = [];

    public ArchiveContent Content { get; } = content;
    public OciArchiveFormat Format { get; } = format;
    public OciManifest? Root { get; set; }
    /// <summary>Children before the indexes that list them, so a registry accepts each one (it checks references exist).</summary>
    public List<OciManifest> Manifests { get; } = [];
    public List<ArchiveBlob> Blobs { get; } = [];
    public List<OciPlatform> Platforms { get; } = [];
    public List<string> Names { get; } = [];

    public bool HasBlob(Digest digest) => _blobIndex.ContainsKey(digest);

    public void AddBlob(ArchiveBlob blob)
    {
        if (_blobIndex.TryAdd(blob.Descriptor.Digest, Blobs.Count))
        {
            Blobs.Add(blob);
        }
    }

    public OciManifest? FindManifest(Digest digest) => _manifestsByDigest.GetValueOrDefault(digest);

    public void AddManifest(OciManifest manifest)
    {
        if (_manifestsByDigest.TryAdd(manifest.Digest, manifest))
        {
            Manifests.Add(manifest);
        }
    }

    public ArchiveBlob? FindBlob(Digest digest) => _blobIndex.TryGetValue(digest, out var i) ? Blobs[i] : null;
}

/// <summary>A config or layer blob: its descriptor, where its bytes are, and what it is (for messages).</summary>
internal sealed record ArchiveBlob(OciDescriptor Descriptor, BlobSource Source, string Role)
{
    /// <summary>True once size and digest were checked (or the bytes were produced here).</summary>
    public bool Verified { get; set; }
}
