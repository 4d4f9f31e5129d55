using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Handoff.Validation.Loading;

/// <summary>
/// Parses one chunk of a file (the text between <c>---</c> markers) into entries. YAML problems
/// become classified errors at their line and column; a problem in one document does not stop the
/// next. Plain JSON files take System.Text.Json's faster path.
/// </summary>
internal sealed class ChunkParser(ManifestLoaderOptions options)
{
    private readonly ManifestLoaderOptions _options = options;
    private readonly ResourceEntries _entries = new(options);

    [ThreadStatic]
    private static YamlToJsonWriter? t_writer;

    public ChunkResult Parse(SourceChunk chunk)
    {
        if (chunk.Offset == 0 && chunk.Length == chunk.File.Bytes.Length && IsJson(chunk.File) && TryParseJson(chunk) is { } json)
        {
            return json;
        }

        return Parse(chunk, lean: true) ?? Parse(chunk, lean: false)!;
    }

    /// <summary>
    /// Parses the chunk with the lean parser, or with YamlDotNet's parser. The lean attempt gives up
    /// (null) on anything unusual, including every error, so problems are always reported by YamlDotNet.
    /// </summary>
    private ChunkResult? Parse(SourceChunk chunk, bool lean)
    {
        var result = new ChunkResult();
        var ordinal = -1;
        IParser parser = lean ? new ManifestYamlParser(NewScanner(chunk)) : NewParser(chunk);
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is not DocumentStart)
                {
                    continue;
                }

                ordinal++;
                result.DocumentCount = ordinal + 1;
                parser.MoveNext();
                var source = new DocumentSource(chunk, ordinal);
                ConvertedDocument converted;
                try
                {
                    converted = Convert(ref parser, chunk, ordinal);
                }
                catch (YamlConversionException ex) when (!lean)
                {
                    result.Entries.Add(new ManifestLoadError(chunk.File.DisplayPath, ordinal, chunk.ToFile(ex.Mark), ex.Kind, ex.Message));
                    SkipToDocumentEnd(parser);
                    continue;
                }

                _entries.Add(result.Entries, converted, source, ordinal);
            }
        }
        catch (Exception) when (lean)
        {
            return null;
        }
        catch (YamlException ex)
        {
            result.DocumentCount = Math.Max(result.DocumentCount, ordinal + 1);
            result.Entries.Add(SyntaxError(chunk, Math.Max(ordinal, 0), ex));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet fails this way on some malformed input; it is still the user's YAML that is broken.
            result.DocumentCount = Math.Max(result.DocumentCount, ordinal + 1);
            var near = parser.Current is { } last ? chunk.ToFile(last.End) : new SourcePosition(chunk.StartLine, 1);
            result.Entries.Add(new ManifestLoadError(chunk.File.DisplayPath, Math.Max(ordinal, 0), near, ManifestErrorKind.SyntaxError,
                "YAML syntax error after this point: the parser could not read further. Check for an unclosed bracket, brace or quote here or just after."));
        }

        return result;
    }

    private static ManifestLoadError SyntaxError(SourceChunk chunk, int ordinal, YamlException ex)
    {
        // YamlDotNet marks the construct being read (Start) and where reading failed (End). A tab is
        // reported against the whole mapping, so its End is the useful place; otherwise the start of
        // the construct (an opening quote or bracket) is, with the failure point mentioned.
        var message = TrimYamlMessage(ex.Message);
        var start = chunk.ToFile(ex.Start);
        var end = chunk.ToFile(ex.End);
        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            // YamlDotNet may place a tab error at the start of the mapping; the first indenting tab is the culprit.
            var tab = FirstIndentationTab(chunk) ?? end;
            return new ManifestLoadError(chunk.File.DisplayPath, ordinal, tab, ManifestErrorKind.SyntaxError,
                $"YAML syntax error: {message}. YAML indentation must use spaces: replace the tab at line {tab.Line}, column {tab.Column}.");
        }

        var where = start == end || ex.End.Line <= 0 ? "" : $" (reading stopped at line {end.Line}, column {end.Column})";
        return new ManifestLoadError(chunk.File.DisplayPath, ordinal, start, ManifestErrorKind.SyntaxError,
            $"YAML syntax error: {message}{where}. Fix the YAML here (indentation, a tab, an unclosed quote or bracket are the usual causes).");
    }

    private static SourcePosition? FirstIndentationTab(SourceChunk chunk)
    {
        var bytes = chunk.File.Bytes.AsSpan(chunk.Offset, chunk.Length);
        var line = chunk.StartLine;
        var lineStart = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
            else if (bytes[i] == (byte)'\t' && bytes[lineStart..i].IndexOfAnyExcept((byte)' ') < 0)
            {
                return new SourcePosition(line, i - lineStart + 1);
            }
        }

        return null;
    }

    private ConvertedDocument Convert(ref IParser parser, SourceChunk chunk, int ordinal)
    {
        var budget = new AliasBudget(chunk.Length, _options.Limits);
        try
        {
            return (t_writer ??= new YamlToJsonWriter()).Convert(parser, _options.DuplicateKeysAreErrors, budget, _options.Limits);
        }
        catch (NeedsTreeBuildException)
        {
            // Restart this document on a fresh parser with the tree builder; the rest of the chunk continues on it.
            parser = NewParser(chunk);
            MoveToDocument(parser, ordinal);
            return new YamlToJsonTree(_options.DuplicateKeysAreErrors, new AliasBudget(chunk.Length, _options.Limits), _options.Limits).Convert(parser);
        }
    }

    private ChunkResult? TryParseJson(SourceChunk chunk)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(chunk.File.Bytes, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = _options.Limits.MaxDepth });
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not plain JSON (or has duplicate keys): the YAML path reads it and explains problems in YAML terms.
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object || (root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.ValueEquals("List")))
        {
            return null;
        }

        var result = new ChunkResult { DocumentCount = 1 };
        _entries.AddResource(result.Entries, new ManifestDocument(new DocumentSource(chunk, 0), 0, null, FirstContent(chunk.File.Bytes), root, ""));
        return result;
    }

    private static SourcePosition FirstContent(byte[] bytes)
    {
        int line = 1, column = 1;
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)'\n': line++; column = 1; break;
                case (byte)' ' or (byte)'\t' or (byte)'\r' or 0xEF or 0xBB or 0xBF: column++; break;
                default: return new SourcePosition(line, column);
            }
        }

        return new SourcePosition(1, 1);
    }

    public static ChunkResult EncodingError(SourceChunk chunk, int offset)
    {
        var bytes = chunk.File.Bytes.AsSpan(0, offset);
        var line = bytes.Count((byte)'\n') + 1;
        var column = offset - (bytes.LastIndexOf((byte)'\n') + 1) + 1;
        var result = new ChunkResult { DocumentCount = 1 };
        result.Entries.Add(new ManifestLoadError(chunk.File.DisplayPath, 0, new SourcePosition(line, column), ManifestErrorKind.InvalidEncoding,
            $"byte 0x{chunk.File.Bytes[offset]:X2} at byte offset {offset} is not valid UTF-8. Kubernetes manifests must be UTF-8: re-save the file as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)."));
        return result;
    }

    /// <summary>
    /// An error for a document over <paramref name="limit"/> bytes, found by its length alone; null when it
    /// is within the limit or a <c>kind: List</c>. Its kind and name are read from its top-level lines, so the
    /// report can say what it is without parsing it.
    /// </summary>
    public static ChunkResult? TooLarge(SourceChunk chunk, long? limit)
    {
        if (limit is not { } max || chunk.Length <= max)
        {
            return null;
        }

        var bytes = chunk.File.Bytes.AsSpan(chunk.Offset, chunk.Length);
        var kind = TopLevelScalar(bytes, "\nkind:"u8);
        if (kind == "List" || (IsJson(chunk.File) && bytes.IndexOf("\"List\""u8) >= 0))
        {
            // Probably a List (JSON is not read line by line here): its items are checked as they are parsed.
            return null;
        }

        var identity = new ResourceIdentity(TopLevelScalar(bytes, "\napiVersion:"u8), kind, null, MetadataName(bytes));
        var what = identity.Display is { Length: > 0 } display ? $" ({display})" : "";
        var result = new ChunkResult { DocumentCount = 1 };
        result.Entries.Add(new ManifestLoadError(chunk.File.DisplayPath, 0, new SourcePosition(chunk.StartLine, 1), ManifestErrorKind.ObjectTooLarge,
            $"the document starting at line {chunk.StartLine}{what} is {chunk.Length:N0} bytes, over the {max:N0} bytes ({max / 1048576.0:0.##} MiB) Kubernetes accepts for one object " +
            "(the API server's and etcd's request limit), so it would be rejected when applied. Split it into smaller objects, or keep large data " +
            "(dashboards, certificate bundles, binaries) out of ConfigMaps and Secrets: mount it from an image or a volume.",
            identity));
        return result;
    }

    /// <summary>The value of the first top-level <paramref name="key"/> line (a mapping key at column 1), unquoted; null when absent.</summary>
    private static string? TopLevelScalar(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> newlineAndKey)
    {
        var key = newlineAndKey[1..];
        var start = bytes.StartsWith(key) ? 0 : bytes.IndexOf(newlineAndKey) is var at and >= 0 ? at + 1 : -1;
        if (start < 0)
        {
            return null;
        }

        var rest = bytes[(start + key.Length)..];
        var end = rest.IndexOfAny((byte)'\n', (byte)'#');
        var value = System.Text.Encoding.UTF8.GetString(end < 0 ? rest : rest[..end]).Trim().Trim('"', '\'');
        return value.Length is > 0 and < 256 ? value : null;
    }

    /// <summary><c>metadata.name</c> when written as the block mapping kubectl and helm write (<c>metadata:</c> then <c>  name: x</c>).</summary>
    private static string? MetadataName(ReadOnlySpan<byte> bytes)
    {
        var metadata = bytes.StartsWith("metadata:\n"u8) ? 0 : bytes.IndexOf("\nmetadata:\n"u8) is var at and >= 0 ? at + 1 : -1;
        if (metadata < 0)
        {
            return null;
        }

        // The metadata block ends at the next line that is not indented.
        var block = bytes[(metadata + "metadata:".Length)..];
        var length = 0;
        while (length < block.Length)
        {
            var lineEnd = block[(length + 1)..].IndexOf((byte)'\n');
            var next = lineEnd < 0 ? block.Length : length + 1 + lineEnd;
            if (next + 1 < block.Length && block[next + 1] is not ((byte)' ' or (byte)'\n' or (byte)'#'))
            {
                length = next;
                break;
            }

            length = next;
        }

        return TopLevelScalar(block[..length], "\n  name:"u8);
    }

    private static Parser NewParser(SourceChunk chunk) => new(NewScanner(chunk));

    private static Scanner NewScanner(SourceChunk chunk) => new(chunk.OpenReader(), skipComments: true);

    private static void MoveToDocument(IParser parser, int ordinal)
    {
        var seen = -1;
        while (parser.MoveNext())
        {
            if (parser.Current is DocumentStart && ++seen == ordinal)
            {
                parser.MoveNext();
                return;
            }
        }
    }

    private static void SkipToDocumentEnd(IParser parser)
    {
        while (parser.Current is not (DocumentEnd or StreamEnd or null) && parser.MoveNext())
        {
        }
    }

    private static string TrimYamlMessage(string message)
    {
        var text = message.Trim().TrimEnd('.');
        return text.Length == 0 ? "invalid YAML" : char.ToLowerInvariant(text[0]) + text[1..];
    }

    public static bool IsJson(SourceFile file) => file.DisplayPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The entries of one chunk and how many YAML documents it held (to number documents per file).</summary>
internal sealed class ChunkResult
{
    public List<ManifestEntry> Entries { get; } = [];

    public int DocumentCount { get; set; }
}
