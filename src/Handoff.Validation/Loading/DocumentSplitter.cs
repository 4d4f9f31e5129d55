namespace Handoff.Validation.Loading;

/// <summary>
/// Splits a YAML stream at document markers (a line that is <c>---</c> alone or followed by a space or
/// tab), the same places a YAML parser would start a new document. The marker line stays with the
/// document it opens, so <c>--- |</c> content is not lost.
/// </summary>
internal static class DocumentSplitter
{
    public static List<SourceChunk> Split(SourceFile file)
    {
        var chunks = new List<SourceChunk>();
        var bytes = file.Bytes.AsSpan();
        var chunkStart = 0;
        var chunkStartLine = 1;
        var lineAtSearch = 1;
        var searchFrom = 0;
        while (true)
        {
            var hit = bytes[searchFrom..].IndexOf("\n---"u8);
            if (hit < 0)
            {
                break;
            }

            var newline = searchFrom + hit;
            var markerStart = newline + 1;
            lineAtSearch += bytes[searchFrom..markerStart].Count((byte)'\n');
            searchFrom = markerStart;
            if (!IsMarkerEnd(bytes, markerStart + 3))
            {
                continue;
            }

            chunks.Add(new SourceChunk(file, chunkStart, markerStart - chunkStart, chunkStartLine));
            chunkStart = markerStart;
            chunkStartLine = lineAtSearch;
        }

        chunks.Add(new SourceChunk(file, chunkStart, bytes.Length - chunkStart, chunkStartLine));
        return chunks;
    }

    private static bool IsMarkerEnd(ReadOnlySpan<byte> bytes, int index) =>
        index >= bytes.Length || bytes[index] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
