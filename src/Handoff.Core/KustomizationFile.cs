namespace Handoff;

/// <summary>The file names kustomize accepts for a kustomization, in the order it looks for them.</summary>
public static class KustomizationFile
{
    public static IReadOnlyList<string> Names { get; } = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    /// <summary>The kustomization file in <paramref name="folder"/>, or null when it has none.</summary>
    public static string? FindIn(string folder) => Names.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    /// <summary>
    /// The kustomization of <paramref name="folder"/> (relative to <paramref name="root"/>, '/'-separated),
    /// as a path relative to <paramref name="root"/>, or null.
    /// </summary>
    public static string? FindIn(string root, string folder) =>
        Names.Select(n => folder + "/" + n).FirstOrDefault(f => File.Exists(Path.Combine(root, f)));
}
