using System.Reflection;

namespace Handoff.MSBuild.Tests.Support;

/// <summary>Where the build of src/Handoff.MSBuild that these tests exercise is (recorded by the test project at build time).</summary>
internal static class TaskBuild
{
    public static string TasksAssembly => Existing(Metadata("HandoffTasksAssembly"));

    public static string TargetsFile => Existing(Metadata("HandoffTargetsFile"));

    public static string ProjectFile => Existing(Metadata("HandoffMSBuildProject"));

    public static string Configuration => Metadata("BuildConfiguration");

    private static string Metadata(string key) =>
        typeof(TaskBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no {key} metadata.");

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} does not exist: build tests/Handoff.MSBuild.Tests (it builds src/Handoff.MSBuild first).", path);
}
