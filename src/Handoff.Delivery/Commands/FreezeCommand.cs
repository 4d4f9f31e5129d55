using Handoff.Delivery.Freeze;
using Handoff.Delivery.Git;
using Handoff.Delivery.Promotion;
using Handoff.Delivery.Scm;

namespace Handoff.Delivery.Commands;

public sealed record FreezeOptions
{
    public required DeliveryOptions Delivery { get; init; }
    public required string Environment { get; init; }

    /// <summary>True for Freeze, false for Unfreeze.</summary>
    public bool Frozen { get; init; } = true;

    /// <summary>Required to freeze: people blocked by the freeze read it.</summary>
    public string? Reason { get; init; }

    /// <summary>ISO-8601 end of the freeze (e.g. 2026-12-01T00:00:00Z); none means until unfrozen.</summary>
    public string? Until { get; init; }
}

public sealed record FreezeResult(ChangeRequestResult Request, string Environment, FreezeState State)
{
    public ChangeOutcome Outcome => Request.Outcome;
    public string Message => Request.Message;
}

/// <summary>Freeze / Unfreeze: a request that rewrites the environment's freeze file (frozen, reason, until, allow).</summary>
public static class FreezeCommand
{
    public static string BranchFor(string environment) => $"handoff/freeze/{environment}";

    public static async Task<FreezeResult> RunAsync(FreezeOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        log ??= _ => { };
        var now = options.Delivery.Clock.GetUtcNow();
        DateTimeOffset? until = null;
        if (options.Frozen)
        {
            if (string.IsNullOrWhiteSpace(options.Reason))
            {
                throw new HandoffException($"Freezing {options.Environment} needs a reason: pass --reason=\"...\" (it is shown to everyone whose promotion the freeze blocks).");
            }

            if (options.Until is { Length: > 0 } text)
            {
                until = FreezeFile.ParseTime(text) ?? throw new HandoffException($"--until '{text}' is not an ISO-8601 time. Write e.g. --until=2026-12-01T00:00:00Z.");
                if (until <= now)
                {
                    throw new HandoffException($"--until {FreezeFile.FormatTime(until.Value)} is in the past (now {FreezeFile.FormatTime(now)}). Give a future time, or omit it to freeze until Unfreeze.");
                }
            }
        }

        var state = FreezeState.None;
        var result = await ChangeRunner.RunAsync(options.Delivery, fullHistory: false, (context, _) =>
        {
            var environment = context.Config.Environment(options.Environment);
            var clone = context.Workspace;
            var current = FreezeGuard.Read(clone, environment);
            state = options.Frozen
                ? new FreezeState(true, Secrets.Redact(options.Reason!.Trim()), until, current.Allow)
                : new FreezeState(false, null, null, current.Allow);
            if (current.Frozen == state.Frozen && current.Reason == state.Reason && current.Until == state.Until)
            {
                return Task.FromResult<PlannedChange>(new NoChange(options.Frozen
                    ? $"{environment.Name} is already {current.Describe()} ({environment.FreezeFile}): nothing to change."
                    : $"{environment.Name} is not frozen ({environment.FreezeFile}): nothing to change."));
            }

            clone.WriteText(environment.FreezeFile, FreezeFile.Render(environment.Name, state));
            var title = options.Frozen ? $"Freeze {environment.Name}: {state.Reason}" : $"Unfreeze {environment.Name}";
            var body = Secrets.Redact(options.Frozen
                ? $"""
                   ## Freeze `{environment.Name}`

                   | | |
                   |---|---|
                   | Reason | {state.Reason!.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal)} |
                   | Until | {(until is { } u ? FreezeFile.FormatTime(u) : "until unfrozen")} |
                   | Still allowed | {(state.Allow.Count > 0 ? string.Join(", ", state.Allow) : "nothing")} |
                   | File | `{environment.FreezeFile}` |

                   Once merged, promotions to `{environment.Name}` are refused.

                   """
                : $"""
                   ## Unfreeze `{environment.Name}`

                   Lifts the freeze ({current.Describe()}). Once merged, promotions to `{environment.Name}` go through again.

                   """);
            var summary = options.Frozen
                ? $"Freezes {environment.Name} until {(until is { } v ? FreezeFile.FormatTime(v) : "unfrozen")}: {state.Reason}. Still allowed: {(state.Allow.Count > 0 ? string.Join(", ", state.Allow) : "nothing")}."
                : $"Lifts the freeze of {environment.Name}.";
            var message = $"{title}\n\n{summary}";
            var trailers = new List<KeyValuePair<string, string>>
            {
                new(HandoffTrailers.Env, environment.Name),
                new(HandoffTrailers.Freeze, options.Frozen ? "true" : "false"),
            };
            var draft = new PullRequestDraft("", "", title, body,
                ["freeze", $"env:{environment.Name}", .. environment.Labels.Where(l => l != "freeze")],
                environment.Reviewers, environment.TeamReviewers) { Summary = summary };
            return Task.FromResult<PlannedChange>(new FileChange(BranchFor(environment.Name), message, trailers, [environment.FreezeFile], draft));
        }, log, cancellationToken);
        var request = ChangeRequestResult.From(result, options.Delivery);
        log(request.Message);
        return new FreezeResult(request, options.Environment, state);
    }
}
