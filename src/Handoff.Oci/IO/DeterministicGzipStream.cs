using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Handoff.Oci;

/// <summary>
/// A write-only gzip stream whose bytes depend only on the input and the compression level:
/// the header carries no timestamp, file name or OS byte (GZipStream writes the host OS, so a
/// layer compressed on Windows and on Linux would get different digests).
/// </summary>
internal sealed class DeterministicGzipStream : Stream
{
    // Magic, deflate, no flags, mtime 0, no extra flags, OS "unknown".
    private static readonly byte[] Header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

    private readonly Stream _output;
    private readonly DeflateStream _deflate;
    private readonly Crc32 _crc = new();
    private readonly bool _leaveOpen;
    private long _length;
    private bool _finished;

    public DeterministicGzipStream(Stream output, CompressionLevel level, bool leaveOpen = false)
    {
        _output = output;
        _leaveOpen = leaveOpen;
        _output.Write(Header);
        _deflate = new DeflateStream(output, level, leaveOpen: true);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _crc.Append(buffer);
        _length += buffer.Length;
        _deflate.Write(buffer);
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            _finished = true;
            _deflate.Dispose();
            Span<byte> trailer = stackalloc byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
            BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)_length));
            _output.Write(trailer);
            _output.Flush();
            if (!_leaveOpen)
            {
                _output.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
