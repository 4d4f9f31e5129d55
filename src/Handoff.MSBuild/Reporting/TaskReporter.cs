using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Handoff.MSBuild;

/// <summary>
/// The one way tasks write to the build log: every text is redacted of registered secrets, and calls
/// from the library's worker threads (parallel blob uploads) are serialised.
/// </summary>
internal sealed class TaskReporter(TaskLoggingHelper log)
{
    private readonly Lock _gate = new();

    /// <summary>An error at the task's invocation in the project file.</summary>
    public void Error(string code, string message) => Error(code, null, 0, 0, message);

    /// <summary>An error at a place in a file; MSBuild prints <c>file(line,col): error CODE: message</c>.</summary>
    public void Error(string code, string? file, int line, int column, string message)
    {
        lock (_gate)
        {
            log.LogError(null, code, null, file, line, column, 0, 0, Secrets.Redact(message));
        }
    }

    public void Warning(string code, string? file, int line, int column, string message)
    {
        lock (_gate)
        {
            log.LogWarning(null, code, null, file, line, column, 0, 0, Secrets.Redact(message));
        }
    }

    public void Message(string message, MessageImportance importance = MessageImportance.Normal)
    {
        lock (_gate)
        {
            log.LogMessage(importance, "{0}", Secrets.Redact(message));
        }
    }

    /// <summary>For the library's progress callbacks: one line per blob or retry, shown at detailed verbosity.</summary>
    public void Detail(string message) => Message(message, MessageImportance.Low);
}
