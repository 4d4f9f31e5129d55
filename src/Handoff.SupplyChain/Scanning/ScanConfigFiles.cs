namespace Handoff.SupplyChain.Scanning;

/// <summary>
/// Where the gate's <c>.handoff/</c> files are: looked up from the published project's folder up to
/// the repository root, nearest first, so an app in a subfolder of a monorepo (or Handoff's own
/// samples/myapp) carries its own gate, and a root file covers every project without one.
/// </summary>
public static class ScanConfigFiles
{
    /// <summary>
    /// The nearest <paramref name="relativePath"/> (e.g. <c>.handoff/scan.yaml</c>) from
    /// <paramref name="startDirectory"/> up to <paramref name="repositoryRoot"/>; the root's path (which
    /// may not exist: the defaults apply) when none does. A start folder outside the root is not
    /// searched: files above the repository are not the repository's gate.
    /// </summary>
    public static string Find(string relativePath, string repositoryRoot, string? startDirectory)
    {
        var root = Path.GetFullPath(repositoryRoot);
        var rootFile = Path.Combine(root, relativePath);
        if (startDirectory is null)
        {
            return rootFile;
        }

        var relative = Path.GetRelativePath(root, Path.GetFullPath(startDirectory));
        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return rootFile;
        }

        for (var directory = new DirectoryInfo(Path.GetFullPath(startDirectory)); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            if (Path.GetFullPath(directory.FullName).TrimEnd(Path.DirectorySeparatorChar) == root.TrimEnd(Path.DirectorySeparatorChar))
            {
                break;
            }
        }

        return rootFile;
    }
}
