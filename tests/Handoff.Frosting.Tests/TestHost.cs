using Cake.Core;
using Handoff.Frosting;
using Spectre.Console;

namespace Handoff.Frosting.Tests;

/// <summary>Captures everything the host writes, through both Cake's IConsole and Spectre's IAnsiConsole.</summary>
public sealed class CapturingConsole : IConsole
{
    private readonly StringWriter _out = new();

    public StringWriter Writer => _out;

    public IAnsiConsole Ansi { get; }

    public CapturingConsole()
    {
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(_out),
            Interactive = InteractionSupport.No,
        });
        Ansi.Profile.Width = 160;
    }

    public string Text => _out.ToString();

    public ConsoleColor ForegroundColor { get; set; }
    public ConsoleColor BackgroundColor { get; set; }
    public bool SupportAnsiEscapeCodes => false;

    public void Write(string format, params object[] arg) => _out.Write(format, arg);
    public void WriteLine(string format, params object[] arg) => _out.WriteLine(format, arg);
    public void WriteError(string format, params object[] arg) => _out.Write(format, arg);
    public void WriteErrorLine(string format, params object[] arg) => _out.WriteLine(format, arg);
    public void ResetColor() { }
}

/// <summary>A context whose tasks append their names to a file given by --log, so tests can see what ran and in which order.</summary>
public sealed class RecordingContext(ICakeContext context) : FrostingContext(context)
{
    public void Record(string what) => File.AppendAllText(Arguments.GetArgument("log"), what + "\n");

    public bool Has(string argument) => Arguments.HasArgument(argument);
}

public sealed record HostRun(int ExitCode, string Output, IReadOnlyList<string> Executed);

public static class TestHost
{
    public static HostRun Run(Func<CakeHost, CakeHost> configure, params string[] args)
    {
        var log = Path.Combine(Path.GetTempPath(), "frosting-" + Guid.NewGuid().ToString("N") + ".log");
        File.WriteAllText(log, "");
        var console = new CapturingConsole();
        try
        {
            var host = configure(new CakeHost().UseContext<RecordingContext>().UseConsole(console, console.Ansi));
            var exit = host.Run([.. args, $"--log={log}"]);
            var executed = File.ReadAllLines(log);
            return new HostRun(exit, console.Text, executed);
        }
        finally
        {
            File.Delete(log);
        }
    }
}
