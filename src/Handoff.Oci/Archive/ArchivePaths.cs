namespace Handoff.Oci;

internal static class ArchivePaths
{
    /// <summary>
    /// The canonical form of a path inside an archive ('/'-separated, no leading './' or '/', '.' and
    /// '..' resolved); null when it would leave the archive, so a crafted name cannot reach other files.
    /// </summary>
    public static string? Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    /// <summary>The path of a blob in an OCI image layout.</summary>
    public static string Blob(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Hex}";
}
