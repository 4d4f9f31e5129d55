namespace Handoff.Validation.Loading;

/// <summary>
/// Turns the paths a user gave into files to read: files as named, directories recursively (files
/// with a manifest extension, ordinal order, hidden entries skipped), each file once. A missing or
/// unreadable path becomes a <see cref="ManifestLoadError"/> in its place.
/// </summary>
internal static class InputFiles
{
    /// <param name="files">Every path counted as a file (read, or attempted), in order.</param>
    /// <param name="sources">One per read file, null where reading failed; parallel to the files that were read.</param>
    public static void Collect(IEnumerable<string> paths, IReadOnlyList<string> extensions, List<string> files, List<SourceFile?> sources, List<ManifestEntry> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            foreach (var file in Expand(path, extensions, errors, files))
            {
                if (seen.Add(Path.GetFullPath(file)))
                {
                    files.Add(file);
                    sources.Add(Read(file, errors));
                }
            }
        }
    }

    private static IEnumerable<string> Expand(string path, IReadOnlyList<string> extensions, List<ManifestEntry> entries, List<string> files)
    {
        if (File.Exists(path))
        {
            return [path];
        }

        if (Directory.Exists(path))
        {
            try
            {
                var found = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                    .Where(f => extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                    .ToList();
                found.Sort(StringComparer.Ordinal);
                return found;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                files.Add(path);
                entries.Add(new ManifestLoadError(path, -1, default, ManifestErrorKind.ReadFailed, $"cannot list the directory: {ex.Message}"));
                return [];
            }
        }

        files.Add(path);
        entries.Add(new ManifestLoadError(path, -1, default, ManifestErrorKind.FileNotFound,
            $"no such file or directory (resolved to {Path.GetFullPath(path)}). Check the path; relative paths are relative to {Environment.CurrentDirectory}."));
        return [];
    }

    private static SourceFile? Read(string file, List<ManifestEntry> entries)
    {
        try
        {
            return new SourceFile(file, Utf8Check.NormalizeEncoding(File.ReadAllBytes(file)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            entries.Add(new ManifestLoadError(file, -1, default, ManifestErrorKind.ReadFailed, $"cannot read the file: {ex.Message}"));
            return null;
        }
    }
}
