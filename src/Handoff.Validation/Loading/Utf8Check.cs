using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Handoff.Validation.Loading;

/// <summary>Finds the first byte that is not valid UTF-8, so the error can say exactly where it is.</summary>
internal static class Utf8Check
{
    /// <summary>The byte offset of the first invalid sequence, or -1 when all is valid UTF-8.</summary>
    public static int FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return -1;
        }

        var buffer = ArrayPool<char>.Shared.Rent(16 * 1024);
        try
        {
            var offset = 0;
            while (offset < bytes.Length)
            {
                var status = Utf8.ToUtf16(bytes[offset..], buffer, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
                if (status == OperationStatus.InvalidData)
                {
                    return offset + read;
                }

                if (read == 0)
                {
                    break;
                }

                offset += read;
            }

            return -1;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Turns UTF-16 input (with a byte order mark) into UTF-8, so one parser path handles everything.</summary>
    public static byte[] NormalizeEncoding(byte[] bytes)
    {
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            var encoding = bytes[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            return Encoding.UTF8.GetBytes(encoding.GetString(bytes, 2, bytes.Length - 2));
        }

        return bytes;
    }
}
