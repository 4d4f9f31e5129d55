using Handoff.Delivery.Freeze;
using Handoff.Delivery.Git;
using Handoff.Delivery.Pins;
using Handoff.Delivery.Promotion;
using Handoff.Yaml;

namespace Handoff.Delivery.Commands;

public sealed record RollbackOptions
{
    public required DeliveryOptions Delivery { get; init; }
    public required string App { get; init; }
    public required string Environment { get; init; }

    /// <summary>A digest the environment ran before; default: the one before the current digest's promotion.</summary>
    public string? ToDigest { get; init; }

    /// <summary>Why, for the commit message and the request body.</summary>
    public string? Reason { get; init; }
}

/// <summary>
/// Rollback: reverts the promotion that brought the environment's current digest (found by its
/// trailers) on branch handoff/rollback/&lt;env&gt;/&lt;app&gt;, or pins an earlier digest from the
/// environment's history, and opens a request labelled rollback. Allowed during a freeze when the
/// freeze allows rollback (the default).
/// </summary>
public static class RollbackCommand
{
    public static string BranchFor(string environment, string app) => $"handoff/rollback/{environment}/{app}";

    public static async Task<PromotionResult> RunAsync(RollbackOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        log ??= _ => { };
        Digest? requested = null;
        if (options.ToDigest is { Length: > 0 } text)
        {
            requested = Digest.TryParse(text, out var parsed, out var error) ? parsed : throw new HandoffException($"--to-digest: {error}");
        }

        var facts = new PromotionFacts { App = options.App, Environment = options.Environment };
        var result = await ChangeRunner.RunAsync(options.Delivery, fullHistory: true, (context, ct) => PlanAsync(context, options, requested, facts, log, ct), log, cancellationToken);
        var request = ChangeRequestResult.From(result, options.Delivery);
        log(request.Message);
        return new PromotionResult(request, facts.App, facts.Environment, facts.Digest, facts.Previous);
    }

    private static async Task<PlannedChange> PlanAsync(ChangeContext context, RollbackOptions options, Digest? requested, PromotionFacts facts, Action<string> log, CancellationToken cancellationToken)
    {
        var (app, env) = (options.App, options.Environment);
        var clone = context.Workspace;
        var current = PinChangePlanner.ReadPin(clone, context.Config, app, env);
        var running = current.Digest ?? throw new HandoffException($"{env} has no digest pinned for {app} ({current.Location.Describe()}), so there is nothing to roll back.");
        facts.Previous = running;
        var history = await PromotionHistory.ReadAsync(clone.Git, "HEAD", app, env, cancellationToken);

        PromotionRecord? reverted = null;
        ImagePinState targetState;
        if (requested is { } wanted)
        {
            facts.Digest = wanted;
            if (wanted == running)
            {
                return new NoChange($"{env} already runs {wanted} for {app}: nothing to roll back.");
            }

            targetState = await FindInHistoryAsync(clone, current, history, wanted, cancellationToken)
                          ?? throw new HandoffException($"{env} never ran {wanted} for {app} according to the history of {clone.BaseBranch}, so Handoff will not roll back to it. Digests it ran: {string.Join(", ", history.Select(r => r.Digest).Where(d => d is not null).Distinct())}. Pick one of them, or promote the digest normally.");
        }
        else
        {
            reverted = history.FirstOrDefault(r => !r.IsRollback && r.Digest == running.ToString())
                       ?? throw new HandoffException($"No Handoff promotion commit on {clone.BaseBranch} set {env} to {running} for {app} (it was changed by hand?), so there is nothing to revert. Pass --to-digest=sha256:... with a digest {env} ran before.");
            var parentState = reverted.Parents.Count > 0 ? await StateAtAsync(clone, current, reverted.Parents[0], cancellationToken) : null;
            targetState = parentState is { } s && PinAccess.DigestOf(s) is not null
                ? s
                : throw new HandoffException($"Before {reverted.Commit[..7]} ({reverted.Subject}) {env} had no digest pinned for {app}, so there is nothing to roll back to. Pass --to-digest=sha256:... to choose a digest.");
            facts.Digest = PinAccess.DigestOf(targetState)!.Value;
        }

        PinChangePlanner.CheckFreeze(clone, current.Environment, FreezeGuard.RollbackKind, context.Options);
        var target = facts.Digest;
        var record = history.FirstOrDefault(r => r.Digest == target.ToString());
        var subject = new PromotionSubject
        {
            Digest = target,
            Tag = targetState.Tag is { Length: > 0 } tag ? tag : record?.Tag,
            Repository = targetState.Repository,
            ImageName = targetState.Repository ?? current.State.Repository,
            SourceCommit = record?.SourceCommit,
            SourceRepository = context.Config.Provenance?.Apps.GetValueOrDefault(app)?.SourceRepository,
            Run = record?.Run,
            PromotedFrom = env,
        };

        var reverts = reverted is not null && await TryRevertAsync(clone, reverted, current, target, log, cancellationToken);
        if (!reverts)
        {
            PinChangePlanner.Apply(clone, current, subject);
        }

        var title = PromotionBody.RollbackTitle(app, env, subject);
        var why = options.Reason is { Length: > 0 } reason ? $"Reason: {reason}" : "";
        var body = PromotionBody.Render($"Roll back `{app}` in `{env}`", app, env, running.ToString(), subject, current.Location.Describe(), null,
            reverted is not null ? $"Reverts {reverted.Commit[..7]} ({reverted.Subject}). {why}".Trim() : why.Length > 0 ? why : null);
        var summary = $"{(reverted is not null ? $"This reverts commit {reverted.Commit} ({reverted.Subject})." : $"Pins {current.Location.Describe()} back to {target}, which {env} ran before.")} {why}".TrimEnd();
        var message = $"{title}\n\n{summary}";
        var trailers = PinChangePlanner.Trailers(app, env, subject);
        trailers.Add(new(HandoffTrailers.Rollback, "true"));
        if (reverted is not null)
        {
            trailers.Add(new(HandoffTrailers.Reverts, reverted.Commit));
        }

        var oneLine = PromotionBody.Summary(app, env, running.ToString(), subject, current.Location.Describe(), $"rollback: {summary}");
        return new FileChange(BranchFor(env, app), message, trailers, [current.Location.File], PinChangePlanner.Draft(title, body, current.Environment, "rollback") with { Summary = oneLine });
    }

    /// <summary>
    /// Reverts the promotion commit with git when that yields exactly the expected pin and touches
    /// nothing else; otherwise (later edits to the same lines) undoes the attempt and returns false so
    /// the caller pins the digest with the YAML editor instead.
    /// </summary>
    private static async Task<bool> TryRevertAsync(DeliveryClone clone, PromotionRecord reverted, CurrentPin current, Digest target, Action<string> log, CancellationToken cancellationToken)
    {
        var revert = await clone.Git.TryAsync(["revert", "--no-commit", reverted.Commit], cancellationToken);
        if (revert.Succeeded)
        {
            var staged = await clone.Git.RunAsync("Cannot read the reverted files", ["diff", "--cached", "--name-only"], cancellationToken);
            var files = staged.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var pinned = PinAccess.DigestOf(PinAccess.Read(current.Location, clone.ReadText(current.Location.File)));
            if (files.All(f => f == current.Location.File) && pinned == target)
            {
                return true;
            }
        }

        log($"git revert of {reverted.Commit[..7]} does not apply cleanly on {clone.BaseBranch}; pinning {target} with the YAML editor instead.");
        await clone.Git.TryAsync(["revert", "--abort"], cancellationToken);
        await clone.Git.RunAsync("Cannot undo the failed revert", ["reset", "--hard", "--quiet", "HEAD"], cancellationToken);
        return false;
    }

    private static async Task<ImagePinState?> StateAtAsync(DeliveryClone clone, CurrentPin current, string commit, CancellationToken cancellationToken)
    {
        var text = await clone.ReadTextAtAsync(commit, current.Location.File, cancellationToken);
        if (text is null)
        {
            return null;
        }

        try
        {
            return PinAccess.Read(current.Location, text);
        }
        catch (HandoffException)
        {
            // An old version of the file that no longer parses cannot be a rollback target.
            return null;
        }
    }

    /// <summary>The pin state the environment had when it ran <paramref name="wanted"/>: from a commit that set it, or from the state before one.</summary>
    private static async Task<ImagePinState?> FindInHistoryAsync(DeliveryClone clone, CurrentPin current, IReadOnlyList<PromotionRecord> history, Digest wanted, CancellationToken cancellationToken)
    {
        var digest = wanted.ToString();
        if (history.FirstOrDefault(r => r.Digest == digest) is { } setBy &&
            await StateAtAsync(clone, current, setBy.Commit, cancellationToken) is { } set && set.Digest == digest)
        {
            return set;
        }

        // Not set by a Handoff commit: it may be what the file held before one (the first pin, or a hand edit).
        foreach (var record in history)
        {
            if (record.Parents.FirstOrDefault() is { } parent &&
                await StateAtAsync(clone, current, parent, cancellationToken) is { } state && state.Digest == digest)
            {
                return state;
            }
        }

        return null;
    }
}
