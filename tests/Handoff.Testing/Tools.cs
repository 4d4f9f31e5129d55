namespace Handoff.Testing;

/// <summary>Finds external programs the way the product does: tools/bin of the repository first, then PATH.</summary>
public static class Tools
{
    public static string? Find(string name) => Exec.FindOnPath(name, RepoPaths.InRepo("tools", "bin"));

    /// <summary>The tool's path, or the test is skipped (failed under CI) with the install hint.</summary>
    public static string Require(string name, string installHint)
    {
        var path = Find(name);
        if (path is null)
        {
            RepoPaths.Unavailable($"skipped: '{name}' not found in tools/bin or on PATH ({installHint})");
        }

        return path!;
    }
}
