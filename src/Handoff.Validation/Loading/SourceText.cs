using System.Text;

namespace Handoff.Validation.Loading;

/// <summary>The bytes of one input file, kept so problems can be located after loading.</summary>
internal sealed class SourceFile(string displayPath, byte[] bytes)
{
    public string DisplayPath { get; } = displayPath;

    public byte[] Bytes { get; } = bytes;

    /// <summary>A reader over part of the file; decoding is lenient because invalid UTF-8 was rejected before parsing.</summary>
    public TextReader OpenReader(int offset, int length) =>
        new StreamReader(new MemoryStream(Bytes, offset, length, writable: false), LenientUtf8, detectEncodingFromByteOrderMarks: offset == 0, bufferSize: Math.Clamp(length, 128, 64 * 1024));

    private static readonly UTF8Encoding LenientUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
}

/// <summary>
/// A slice of a file between <c>---</c> separators. Slices are parsed independently (in parallel, and
/// a syntax error in one does not hide the others), and re-parsed on demand to locate problems.
/// </summary>
internal sealed record SourceChunk(SourceFile File, int Offset, int Length, int StartLine)
{
    public TextReader OpenReader() => File.OpenReader(Offset, Length);

    /// <summary>Converts a mark relative to the chunk (1-based) into a file position.</summary>
    public SourcePosition ToFile(YamlDotNet.Core.Mark mark) => mark.Line <= 0 ? new SourcePosition(StartLine, 1) : new SourcePosition(StartLine + (int)mark.Line - 1, (int)mark.Column);
}

/// <summary>Where one YAML document comes from: its chunk and its ordinal among the documents of that chunk.</summary>
internal sealed record DocumentSource(SourceChunk Chunk, int OrdinalInChunk)
{
    public SourceFile File => Chunk.File;
}
