namespace Handoff.Testing;

public static class DirectoryCopy
{
    /// <summary>
    /// Copies a folder tree as is, empty folders included: a bare git repository needs its empty
    /// refs/ folders, which is what tests copy to give each test its own repository.
    /// </summary>
    public static void Copy(string source, string target)
    {
        foreach (var dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, dir)));
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
        }
    }
}
