using NUnit.Framework;

namespace Handoff.Testing;

public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Build.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Build.sln) above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root (the folder holding Build.sln).</summary>
    public static string Root => RootPath.Value;

    public static string InRepo(params string[] parts) => Path.Combine([Root, .. parts]);

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A folder of ../shared (conformance data, schemas, scan reports). Missing: the test is
    /// skipped with "skipped: ../shared not present", except under CI=true where that is a failure.
    /// </summary>
    public static string Shared(params string[] parts)
    {
        var path = Path.GetFullPath(Path.Combine([Root, "..", "shared", .. parts]));
        if (!Path.Exists(path))
        {
            Unavailable($"skipped: ../shared not present ({path})");
        }

        return path;
    }

    /// <summary>Skips locally, fails under CI: CI promises every dependency.</summary>
    public static void Unavailable(string message)
    {
        if (IsCi)
        {
            Assert.Fail(message + " (CI=true: every test dependency must be present)");
        }

        Assert.Ignore(message);
    }
}
