using Microsoft.Build.Framework;

namespace Handoff.MSBuild;

/// <summary>
/// What every Handoff task shares: it runs the work, turns every failure into one MSBuild error (with
/// file, line and column when the failure knows them) and returns false; nothing is thrown at
/// MSBuild and no secret reaches the log. Cancelling the build (Ctrl+C) cancels the work.
/// </summary>
public abstract class HandoffTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();
    private TaskReporter? _reporter;

    /// <summary>The code of this task's failures (see <see cref="ErrorCodes"/>).</summary>
    private protected abstract string FailureCode { get; }

    private protected TaskReporter Reporter => _reporter ??= new TaskReporter(Log);

    public void Cancel() => _cancellation.Cancel();

    public sealed override bool Execute()
    {
        try
        {
            RunAsync(_cancellation.Token).GetAwaiter().GetResult();
        }
        catch (TaskParameterException ex)
        {
            Reporter.Error(ErrorCodes.InvalidParameter, ex.Message);
        }
        catch (InputFileException ex)
        {
            Reporter.Error(FailureCode, ex.File, ex.Line, ex.Column, Describe(ex));
        }
        catch (HandoffException ex)
        {
            Reporter.Error(FailureCode, ex.Message);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            Reporter.Error(ErrorCodes.Canceled, $"{GetType().Name} was canceled before it finished. Run the build again.");
        }
        catch (Exception ex)
        {
            Reporter.Error(ErrorCodes.Unexpected,
                $"{GetType().Name} failed unexpectedly ({ex.GetType().Name}: {ex.Message}). This is a Handoff bug: please report it with this message and the detailed log (-v:diag).");
            Reporter.Message(ex.ToString(), MessageImportance.Low);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// The problem and its fix without the location MSBuild already prints; a problem written to follow
    /// the file name ("is not valid YAML") gets the name back as its subject.
    /// </summary>
    private static string Describe(InputFileException ex)
    {
        var problem = ex.Problem;
        if (problem.StartsWith("is ", StringComparison.Ordinal) || problem.StartsWith("has ", StringComparison.Ordinal) || problem.StartsWith("uses ", StringComparison.Ordinal))
        {
            problem = $"{Path.GetFileName(ex.File)} {problem}";
        }

        return ex.Fix is null ? problem : $"{problem} {ex.Fix}";
    }

    /// <summary>The task's work; failures are exceptions (<see cref="HandoffException"/> for the user's mistakes), or errors logged through <see cref="Reporter"/>.</summary>
    private protected abstract Task RunAsync(CancellationToken cancellationToken);
}
