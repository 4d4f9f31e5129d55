using System.Text;

namespace Handoff.Oci;

/// <summary>
/// Walks the headers of an uncompressed tar and reports where each entry's data starts, so blobs
/// can be read in place. System.Formats.Tar does not expose data offsets, hence this reader of the
/// ustar, PAX ('x', 'g') and GNU long-name ('L', 'K') headers. Every header's checksum is checked
/// and every entry must fit in the file: a truncated or damaged archive fails here.
/// </summary>
internal static class TarIndexer
{
    private const int Block = 512;

    public sealed record Entry(string Name, char Type, long DataOffset, long Size, string LinkName)
    {
        public bool IsRegularFile => Type is '0' or '\0' or '7';
        public bool IsLink => Type is '1' or '2';
        public bool IsHardLink => Type == '1';
    }

    public static List<Entry> Read(Stream file)
    {
        var entries = new List<Entry>();
        var header = new byte[Block];
        var length = file.Length;
        long position = 0;
        string? longName = null;
        string? longLink = null;
        Dictionary<string, string>? pax = null;
        while (position < length)
        {
            if (position + Block > length)
            {
                throw new EndOfStreamException($"the archive ends inside a tar header at offset {position}");
            }

            file.Position = position;
            file.ReadExactly(header);
            if (header.AsSpan().IndexOfAnyExcept((byte)0) < 0)
            {
                break;
            }

            CheckChecksum(header, position);
            var type = (char)header[156];
            var size = ParseNumber(header.AsSpan(124, 12), position);
            if (pax is not null && pax.TryGetValue("size", out var paxSize) && long.TryParse(paxSize, out var largeSize))
            {
                size = largeSize;
            }

            var dataOffset = position + Block;
            if (dataOffset + size > length)
            {
                var name = longName ?? ReadName(header);
                throw new EndOfStreamException($"'{name}' needs {size} bytes but the archive ends {length - dataOffset} bytes after its header");
            }

            position = dataOffset + (size + Block - 1) / Block * Block;
            switch (type)
            {
                case 'x':
                    pax = ParsePax(ReadData(file, dataOffset, size));
                    continue;
                case 'g':
                    continue;
                case 'L':
                    longName = Encoding.UTF8.GetString(ReadData(file, dataOffset, size)).TrimEnd('\0');
                    continue;
                case 'K':
                    longLink = Encoding.UTF8.GetString(ReadData(file, dataOffset, size)).TrimEnd('\0');
                    continue;
            }

            var entryName = pax?.GetValueOrDefault("path") ?? longName ?? ReadName(header);
            var linkName = pax?.GetValueOrDefault("linkpath") ?? longLink ?? CString(header.AsSpan(157, 100));
            entries.Add(new Entry(entryName, type, dataOffset, size, linkName));
            pax = null;
            longName = null;
            longLink = null;
        }

        return entries;
    }

    private static byte[] ReadData(Stream file, long offset, long size)
    {
        if (size > 1024 * 1024)
        {
            throw new InvalidDataException($"a tar extended header at offset {offset - Block} claims {size} bytes");
        }

        var data = new byte[size];
        file.Position = offset;
        file.ReadExactly(data);
        return data;
    }

    private static string ReadName(byte[] header)
    {
        var name = CString(header.AsSpan(0, 100));
        // POSIX ustar splits long names into prefix + name; GNU tar uses those bytes for other fields.
        var isPosix = header.AsSpan(257, 6).SequenceEqual("ustar\0"u8);
        var prefix = isPosix ? CString(header.AsSpan(345, 155)) : "";
        return prefix.Length > 0 ? prefix + "/" + name : name;
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private static long ParseNumber(ReadOnlySpan<byte> field, long headerOffset)
    {
        if ((field[0] & 0x80) != 0)
        {
            // GNU base-256 for values that do not fit in octal digits.
            long value = field[0] & 0x7f;
            foreach (var b in field[1..])
            {
                value = checked((value << 8) | b);
            }

            return value;
        }

        long result = 0;
        var seenDigit = false;
        foreach (var b in field)
        {
            if (b is (byte)' ' or 0)
            {
                if (seenDigit)
                {
                    break;
                }

                continue;
            }

            if (b is < (byte)'0' or > (byte)'7')
            {
                throw new InvalidDataException($"the tar header at offset {headerOffset} has a corrupt numeric field");
            }

            seenDigit = true;
            result = checked(result * 8 + (b - '0'));
        }

        return result;
    }

    private static void CheckChecksum(byte[] header, long offset)
    {
        var stored = ParseNumber(header.AsSpan(148, 8), offset);
        long unsigned = 0;
        long signed = 0;
        for (var i = 0; i < Block; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : header[i];
            unsigned += b;
            signed += (sbyte)b;
        }

        // Some old writers summed signed bytes; both are accepted, as GNU tar does.
        if (stored != unsigned && stored != signed)
        {
            throw new InvalidDataException($"the tar header at offset {offset} is damaged (checksum mismatch)");
        }
    }

    private static Dictionary<string, string> ParsePax(byte[] data)
    {
        // Records are "<length> <key>=<value>\n", the length counting the whole record.
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        while (position < data.Length)
        {
            var space = Array.IndexOf(data, (byte)' ', position);
            if (space < 0 || !int.TryParse(Encoding.ASCII.GetString(data, position, space - position), out var recordLength) || recordLength <= 0 || position + recordLength > data.Length)
            {
                break;
            }

            var record = Encoding.UTF8.GetString(data, space + 1, position + recordLength - space - 2);
            var equals = record.IndexOf('=');
            if (equals > 0)
            {
                result[record[..equals]] = record[(equals + 1)..];
            }

            position += recordLength;
        }

        return result;
    }
}
