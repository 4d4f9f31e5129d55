using System.Text;

namespace Handoff.Oci;

internal enum ArchiveKind
{
    Directory,
    Tar,
    Gzip,
    Zstd,
    Empty,
    Unknown,
}

/// <summary>Tells the container of an image archive from its first bytes, never from its name: the .NET SDK writes a plain tar named .tar.gz.</summary>
internal static class ArchiveSniffer
{
    public static ArchiveKind Sniff(string path)
    {
        if (Directory.Exists(path))
        {
            return ArchiveKind.Directory;
        }

        Span<byte> header = stackalloc byte[512];
        int read;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1))
        {
            read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        header = header[..read];
        if (read == 0)
        {
            return ArchiveKind.Empty;
        }

        if (read >= 2 && header[0] == 0x1f && header[1] == 0x8b)
        {
            return ArchiveKind.Gzip;
        }

        if (read >= 4 && header[0] == 0x28 && header[1] == 0xb5 && header[2] == 0x2f && header[3] == 0xfd)
        {
            return ArchiveKind.Zstd;
        }

        return read == 512 && (header.Slice(257, 5).SequenceEqual("ustar"u8) || HasValidChecksum(header)) ? ArchiveKind.Tar : ArchiveKind.Unknown;
    }

    /// <summary>Pre-POSIX (v7) tar headers have no magic; their checksum field still identifies them.</summary>
    private static bool HasValidChecksum(ReadOnlySpan<byte> header)
    {
        var field = Encoding.ASCII.GetString(header.Slice(148, 8)).Trim('\0', ' ');
        if (field.Length == 0 || !field.All(c => c is >= '0' and <= '7'))
        {
            return false;
        }

        long sum = 0;
        for (var i = 0; i < 512; i++)
        {
            sum += i is >= 148 and < 156 ? (byte)' ' : header[i];
        }

        return Convert.ToInt64(field, 8) == sum;
    }
}
