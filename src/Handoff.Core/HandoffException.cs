namespace Handoff;

/// <summary>
/// An error the user can act on. The host prints only <see cref="Exception.Message"/> (no stack
/// trace), so the message must name what is wrong, where (file:line:column when known) and the fix.
/// </summary>
public class HandoffException : Exception
{
    public HandoffException(string message) : base(message) { }

    public HandoffException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Bad input in a file: carries the location so reports (console, SARIF, annotations) can point at it.</summary>
public class InputFileException : HandoffException
{
    public InputFileException(string file, int line, int column, string problem, string? fix = null, Exception? inner = null)
        : base(Format(file, line, column, problem, fix), inner ?? new Exception(problem))
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
        Fix = fix;
    }

    public string File { get; }
    public int Line { get; }
    public int Column { get; }
    public string Problem { get; }
    public string? Fix { get; }

    private static string Format(string file, int line, int column, string problem, string? fix)
    {
        var where = line > 0 ? (column > 0 ? $"{file}:{line}:{column}" : $"{file}:{line}") : file;
        return fix is null ? $"{where}: {problem}" : $"{where}: {problem} {fix}";
    }
}
