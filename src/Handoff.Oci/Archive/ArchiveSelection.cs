namespace Handoff.Oci;

/// <summary>Picks the image(s) of an archive that holds several, by the name the user passed.</summary>
internal static class ArchiveSelection
{
    /// <summary>
    /// All entries when no name is given; otherwise those with a matching name. A name matches
    /// <c>repo:tag</c>, the tag alone, or a fully qualified <c>registry/repo:tag</c> ending the same way.
    /// </summary>
    public static List<T> Select<T>(IReadOnlyList<T> entries, Func<T, IReadOnlyList<string>> names, string? imageName, string archive)
    {
        if (string.IsNullOrWhiteSpace(imageName))
        {
            return entries.ToList();
        }

        var wanted = imageName.Trim();
        var matches = entries.Where(e => names(e).Any(n => Matches(n, wanted))).ToList();
        if (matches.Count > 0)
        {
            return matches;
        }

        var available = entries.SelectMany(names).Distinct(StringComparer.Ordinal).ToList();
        throw new HandoffException(
            $"{archive}: no image named '{wanted}' in the archive. {(available.Count == 0 ? "Its images carry no names; omit the image name to push them all." : "It holds: " + string.Join(", ", available) + ".")}");
    }

    private static bool Matches(string name, string wanted) =>
        name == wanted ||
        name.EndsWith("/" + wanted, StringComparison.Ordinal) ||
        name.EndsWith(":" + wanted, StringComparison.Ordinal) ||
        wanted.EndsWith(":" + name, StringComparison.Ordinal);
}
