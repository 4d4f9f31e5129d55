using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Path = System.IO.Path;

namespace Handoff.Rendering;

/// <summary>
/// The Cake services a <see cref="Tool{TSettings}"/> needs (file system, environment, process runner,
/// tool locator), built without a Cake context so the wrappers run the same inside a build, an MSBuild
/// task or a test. Tools are found in <c>tools/bin</c> of the working directory first, then on PATH.
/// </summary>
public sealed class CakeTooling
{
    public CakeTooling(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    {
        FileSystem = fileSystem;
        Environment = environment;
        ProcessRunner = processRunner;
        Tools = tools;
    }

    public IFileSystem FileSystem { get; }
    public ICakeEnvironment Environment { get; }
    public IProcessRunner ProcessRunner { get; }
    public IToolLocator Tools { get; }

    /// <summary>More folders searched after the working directory's tools/bin (e.g. Handoff's own tools/bin when validating another repository).</summary>
    public IReadOnlyList<string> ExtraToolDirectories { get; init; } = [];

    public static CakeTooling FromContext(ICakeContext context) => new(context.FileSystem, context.Environment, context.ProcessRunner, context.Tools);

    public static CakeTooling Standalone(string workingDirectory, ICakeLog? log = null)
    {
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime()) { WorkingDirectory = new DirectoryPath(workingDirectory) };
        var fileSystem = new FileSystem();
        log ??= new NullLog();
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var globber = new Globber(fileSystem, environment);
        var locator = new ToolLocator(environment, new ToolRepository(environment), new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        return new CakeTooling(fileSystem, environment, new ProcessRunner(fileSystem, environment, log, locator, configuration), locator);
    }

    /// <summary>The first of <paramref name="names"/> found in tools/bin or on PATH.</summary>
    public string? Find(params string[] names)
    {
        string[] directories = [Path.Combine(Environment.WorkingDirectory.FullPath, "tools", "bin"), .. ExtraToolDirectories];
        foreach (var name in names)
        {
            if (Exec.FindOnPath(name, directories) is { } path)
            {
                return path;
            }
        }

        return null;
    }
}
