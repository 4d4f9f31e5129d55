namespace Handoff.Validation.Loading;

/// <summary>
/// Reads Kubernetes manifests from files and directories (recursively; <c>.yaml</c>, <c>.yml</c>,
/// <c>.json</c>) into <see cref="ManifestDocument"/>s, with every unreadable input turned into a
/// classified <see cref="ManifestLoadError"/> naming the file, line, column and fix. Never throws for
/// bad input. Multi-document files are split at <c>---</c> and parsed in parallel.
/// </summary>
public sealed class ManifestLoader(ManifestLoaderOptions? options = null)
{
    private readonly ManifestLoaderOptions _options = options ?? ManifestLoaderOptions.Default;

    public ManifestLoaderOptions Options => _options;

    /// <summary>Loads files and directories in the order given; directory contents in ordinal path order.</summary>
    public ManifestLoadResult Load(IEnumerable<string> paths)
    {
        var files = new List<string>();
        var errors = new List<ManifestEntry>();
        var sources = new List<SourceFile?>();
        InputFiles.Collect(paths, _options.Extensions, files, sources, errors);
        return Assemble(files, errors, sources);
    }

    /// <summary>Loads one in-memory file (e.g. rendered Helm output) under a display name.</summary>
    public ManifestLoadResult LoadText(string content, string fileName) =>
        LoadBytes(System.Text.Encoding.UTF8.GetBytes(content), fileName);

    public ManifestLoadResult LoadBytes(byte[] content, string fileName) =>
        Assemble([fileName], [], [new SourceFile(fileName, Utf8Check.NormalizeEncoding(content))]);

    private ManifestLoadResult Assemble(List<string> files, List<ManifestEntry> fileErrors, List<SourceFile?> sources)
    {
        var work = new List<(int File, SourceChunk Chunk, int InvalidByte)>();
        foreach (var (source, index) in sources.Select((s, i) => (s, i)))
        {
            if (source is null)
            {
                continue;
            }

            var invalid = Utf8Check.FirstInvalidByte(source.Bytes);
            foreach (var chunk in ChunkParser.IsJson(source) && invalid < 0 ? [new SourceChunk(source, 0, source.Bytes.Length, 1)] : DocumentSplitter.Split(source))
            {
                work.Add((index, chunk, invalid >= chunk.Offset && invalid < chunk.Offset + chunk.Length ? invalid : -1));
            }
        }

        var parser = new ChunkParser(_options);
        var results = new ChunkResult[work.Count];
        Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxDegreeOfParallelism) }, i =>
        {
            var (_, chunk, invalid) = work[i];
            results[i] = invalid >= 0 ? ChunkParser.EncodingError(chunk, invalid)
                : ChunkParser.TooLarge(chunk, _options.Limits.MaxObjectBytes) is { } tooLarge ? tooLarge
                : parser.Parse(chunk);
        });

        // File-level problems (missing, unreadable) first in their file's place, then documents in order.
        var entries = new List<ManifestEntry>(fileErrors);
        var documentsBefore = new Dictionary<int, int>();
        for (var i = 0; i < work.Count; i++)
        {
            var file = work[i].File;
            var before = documentsBefore.GetValueOrDefault(file);
            foreach (var entry in results[i].Entries)
            {
                entry.DocumentIndex += before;
                entries.Add(entry);
            }

            documentsBefore[file] = before + results[i].DocumentCount;
        }

        if (fileErrors.Count > 0)
        {
            var order = files.Select((f, i) => (f, i)).GroupBy(x => x.f).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
            entries = entries.Select((e, i) => (e, i)).OrderBy(x => order.GetValueOrDefault(x.e.File)).ThenBy(x => x.i).Select(x => x.e).ToList();
        }

        return new ManifestLoadResult(entries, files);
    }
}
