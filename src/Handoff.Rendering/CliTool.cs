using Cake.Core;
using Cake.Core.IO;
using Path = System.IO.Path;
using Cake.Core.Tooling;

namespace Handoff.Rendering;

/// <summary>What a CLI run produced; stdout is kept as text because manifests are consumed whole.</summary>
public sealed record CliOutput(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Base for Handoff's CLI wrappers in the Cake style: settings carry the options, the tool builds
/// the argument list, Cake's runner starts the process. Exit codes are handled here (not by Cake's
/// generic "process returned an error") so failures can show the tool's own stderr.
/// </summary>
public abstract class CliTool<TSettings> : Tool<TSettings> where TSettings : ToolSettings
{
    private readonly CakeTooling _tooling;

    protected CliTool(CakeTooling tooling) : base(tooling.FileSystem, tooling.Environment, tooling.ProcessRunner, tooling.Tools)
    {
        _tooling = tooling;
    }

    protected CakeTooling Tooling => _tooling;

    /// <summary>Resolves the executable: an explicit ToolPath, else tools/bin, else PATH.</summary>
    protected string ResolveExecutable(TSettings settings)
    {
        if (settings.ToolPath is not null)
        {
            return settings.ToolPath.FullPath;
        }

        return _tooling.Find(GetToolExecutableNames().ToArray())
            ?? throw new HandoffException($"{GetToolName()} not found in tools/bin or on PATH. {InstallHint}");
    }

    protected abstract string InstallHint { get; }

    protected CliOutput Execute(TSettings settings, ProcessArgumentBuilder arguments)
    {
        settings.ToolPath ??= new FilePath(ResolveExecutable(settings));
        settings.HandleExitCode = _ => true;
        IReadOnlyList<string> stdout = [];
        IReadOnlyList<string> stderr = [];
        var exitCode = 0;
        // Cake's runner reads both streams as they arrive, so collecting them afterwards cannot deadlock.
        Run(settings, arguments, new ProcessSettings { RedirectStandardOutput = true, RedirectStandardError = true, Silent = true }, process =>
        {
            exitCode = process.GetExitCode();
            stdout = process.GetStandardOutput().ToList();
            stderr = process.GetStandardError().ToList();
        });
        return new CliOutput(exitCode, string.Join('\n', stdout) + (stdout.Count > 0 ? "\n" : ""), string.Join('\n', stderr));
    }
}
