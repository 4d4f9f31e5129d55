using Cake.Core.Diagnostics;

namespace Handoff.Frosting;

/// <summary>
/// The command line as Cake reads it: host switches (<c>--target</c>, <c>--verbosity</c>, <c>--dryrun</c>,
/// <c>--tree</c>, <c>--description</c>, <c>--exclusive</c>, <c>--help</c>, <c>--version</c>) and every
/// <c>--name=value</c> as a build argument. Arguments may repeat.
/// </summary>
public sealed class CommandLine
{
    private static readonly HashSet<string> Flags = new(StringComparer.OrdinalIgnoreCase)
    {
        "dryrun", "noop", "whatif", "tree", "description", "showdescription", "exclusive", "help", "version", "info", "noreport",
    };

    private readonly List<KeyValuePair<string, string>> _arguments = [];

    public IReadOnlyList<string> Targets { get; private set; } = [];
    public Verbosity Verbosity { get; private set; } = Verbosity.Normal;
    public bool DryRun { get; private set; }
    public bool Tree { get; private set; }
    public bool Description { get; private set; }
    public bool Exclusive { get; private set; }
    public bool Help { get; private set; }
    public bool Version { get; private set; }
    public string? WorkingDirectory { get; private set; }

    /// <summary>Every argument given, including the host switches, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Arguments => _arguments;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine();
        var targets = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string name;
            string? value = null;
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                name = arg[2..];
            }
            else if (arg.StartsWith('-') && arg.Length > 1)
            {
                name = arg[1..] switch
                {
                    "t" => "target",
                    "v" => "verbosity",
                    "e" => "exclusive",
                    "h" or "?" => "help",
                    "w" => "working",
                    var other => throw new CommandLineException($"Unknown switch '{arg}'. Build arguments are written --name=value; see --help."),
                };
            }
            else
            {
                throw new CommandLineException($"Unexpected argument '{arg}'. Build arguments are written --name=value; see --help.");
            }

            var eq = name.IndexOf('=');
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            if (name.Length == 0)
            {
                throw new CommandLineException($"Argument '{arg}' has no name.");
            }

            if (value is null)
            {
                if (Flags.Contains(name))
                {
                    value = "true";
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith('-'))
                {
                    value = args[++i];
                }
                else
                {
                    value = "true";
                }
            }

            result._arguments.Add(new(name, value));
            switch (name.ToLowerInvariant())
            {
                case "target":
                    targets.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "verbosity":
                    result.Verbosity = ParseVerbosity(value);
                    break;
                case "dryrun" or "noop" or "whatif":
                    result.DryRun = IsTrue(value);
                    break;
                case "tree":
                    result.Tree = IsTrue(value);
                    break;
                case "description" or "showdescription":
                    result.Description = IsTrue(value);
                    break;
                case "exclusive":
                    result.Exclusive = IsTrue(value);
                    break;
                case "help":
                    result.Help = IsTrue(value);
                    break;
                case "version" or "info":
                    result.Version = IsTrue(value);
                    break;
                case "working":
                    result.WorkingDirectory = value;
                    break;
            }
        }

        result.Targets = targets.Count == 0 ? ["Default"] : targets;
        return result;
    }

    private static bool IsTrue(string value) => !value.Equals("false", StringComparison.OrdinalIgnoreCase) && value != "0";

    private static Verbosity ParseVerbosity(string value) => value.ToLowerInvariant() switch
    {
        "q" or "quiet" => Verbosity.Quiet,
        "m" or "minimal" => Verbosity.Minimal,
        "n" or "normal" => Verbosity.Normal,
        "v" or "verbose" => Verbosity.Verbose,
        "d" or "diag" or "diagnostic" => Verbosity.Diagnostic,
        _ => throw new CommandLineException($"Unknown verbosity '{value}'. Use quiet, minimal, normal, verbose or diagnostic."),
    };
}

public sealed class CommandLineException(string message) : Exception(message);
