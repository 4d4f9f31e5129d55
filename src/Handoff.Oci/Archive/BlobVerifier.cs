namespace Handoff.Oci;

/// <summary>Checks blobs against their descriptors' size and digest, reading each once, several at a time.</summary>
internal static class BlobVerifier
{
    public static void VerifyAll(IEnumerable<ArchiveBlob> blobs, string archivePath)
    {
        var pending = blobs.Where(b => !b.Verified).ToList();
        Parallelism.ForEach(pending, blob =>
        {
            Verify(blob.Source, blob.Descriptor, blob.Role, archivePath);
            blob.Verified = true;
        });
    }

    public static void Verify(BlobSource source, OciDescriptor descriptor, string role, string archivePath)
    {
        if (source.Length != descriptor.Size)
        {
            throw new HandoffException(
                $"{archivePath}: blob {descriptor.Digest} ({role}, {source.EntryName}) is {source.Length} bytes but its descriptor says {descriptor.Size}: the archive is truncated or corrupt. Rebuild the image archive (rerun the image build) and copy it again.");
        }

        var actual = source.KnownDigest is { } known && known.Algorithm == descriptor.Digest.Algorithm ? known : Hash(source, descriptor.Digest.Algorithm);
        if (actual != descriptor.Digest)
        {
            throw new HandoffException(
                $"{archivePath}: blob {descriptor.Digest} ({role}, {source.EntryName}) does not match its digest (its content hashes to {actual}): the archive is corrupt. Rebuild the image archive (rerun the image build) and copy it again.");
        }
    }

    public static Digest Hash(BlobSource source, string algorithm = "sha256")
    {
        using var stream = source.OpenRead();
        using var hashing = new HashingStream(stream, algorithm);
        hashing.CopyTo(Stream.Null, 1024 * 1024);
        return hashing.GetDigest();
    }
}
