using Handoff.Delivery.Config;
using Handoff.Delivery.Freeze;
using Handoff.Delivery.Git;
using Handoff.DeliveryValidation.Rendering;
using Handoff.DeliveryValidation.Reporting;
using Handoff.DeliveryValidation.Repository;
using Handoff.DeliveryValidation.Scope;
using Handoff.Reports;

namespace Handoff.DeliveryValidation.Checks;

/// <summary>
/// Deployment freezes, judged the way MergePromotion judges them but on the change itself: the freeze
/// in force is the one on the base branch's tip (a change cannot lift the freeze it is judged by); a
/// change fails when it alters what a frozen environment deploys (its rendered objects differ from the
/// merge base's, rendered with the merge base's own settings; or, without render settings, its pin does;
/// or it edits how the environment is pinned or rendered at all), unless every commit that makes the
/// change is a rollback and the freeze allows rollbacks. Editing the freeze file deploys nothing, so it passes.
/// Without a base there is no change to judge: active freezes are reported as notes.
/// </summary>
internal sealed class FreezeCheck(
    HandoffConfig config,
    DeliveryRepository repository,
    TimeProvider clock,
    Func<IReadOnlyList<Target>, CancellationToken, Task<IReadOnlyDictionary<Target, MergeBaseTarget>>> mergeBaseTargets)
{
    public async Task CheckAsync(IReadOnlyList<RenderedTarget> rendered, ChangeContext? change, FindingCollector findings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var group in rendered.GroupBy(r => r.Target.Environment.Name))
        {
            var environment = config.Environment(group.Key);
            var text = change is null ? repository.ReadText(environment.FreezeFile) : await change.BaseTip.ReadTextAsync(environment.FreezeFile, cancellationToken);
            FreezeState state;
            try
            {
                state = text is null ? FreezeState.None : FreezeFile.Parse(text, environment.FreezeFile);
            }
            catch (InputFileException ex)
            {
                findings.Add(CheckKinds.Freeze, "freeze-file", ex, environment: environment.Name);
                continue;
            }

            findings.Run(CheckKinds.Freeze, environment.Name, 1);
            if (!state.IsActive(now))
            {
                continue;
            }

            var where = change is null ? "" : $" on {change.Changes.BaseRef}";
            if (change is null)
            {
                findings.Add(Note(environment, "frozen", $"{environment.Name} is {state.Describe()} ({environment.FreezeFile}); changes to what it deploys are refused until then{Allowed(state)}. No --base was given, so no change is judged."));
                continue;
            }

            var altered = new List<(RenderedTarget Target, MergeBaseTarget MergeBase, string Why)>();
            var mergeBase = await mergeBaseTargets(group.Select(r => r.Target).ToList(), cancellationToken);
            foreach (var target in group)
            {
                if (await AltersAsync(target, mergeBase[target.Target], change, cancellationToken) is { } why)
                {
                    altered.Add((target, mergeBase[target.Target], why));
                }
            }

            if (altered.Count == 0)
            {
                findings.Add(Note(environment, "frozen-unchanged", $"{environment.Name} is {state.Describe()} ({environment.FreezeFile}{where}); this change does not alter what it deploys."));
                continue;
            }

            var paths = altered.SelectMany(a => a.Target.Scoped.ChangedFiles).Where(f => f != environment.FreezeFile).Distinct(StringComparer.Ordinal).ToList();
            var commits = await change.History.CommitsTouchingAsync(change.Changes.MergeBase, paths, cancellationToken);
            var rollback = commits.Count > 0 && commits.All(c => c.IsRollback) && !paths.Any(change.Changes.Uncommitted.Contains);
            var kind = rollback ? FreezeGuard.RollbackKind : FreezeGuard.PromotionKind;
            var apps = string.Join(", ", altered.Select(a => a.Target.Target.App.Name));
            var reasons = string.Join("; ", altered.Select(a => $"{a.Target.Target.App.Name}: {a.Why}"));
            if (state.Allows(kind))
            {
                findings.Add(Note(environment, "frozen-rollback", $"{environment.Name} is {state.Describe()} ({environment.FreezeFile}{where}); this change alters {apps} there, and every commit making it is a rollback ({HandoffTrailers.Rollback}: true), which the freeze allows."));
                continue;
            }

            var (first, firstBase, _) = altered[0];
            // Point at the edited setting when the change edits how the environment is deployed, else at the pin.
            var settingAt = firstBase.SettingsChanged.Count > 0 ? firstBase.ChangedAt : null;
            var file = settingAt?.File ?? (first.Scoped.ChangedFiles.Contains(first.Target.Pin.File) ? first.Target.Pin.File : paths.FirstOrDefault() ?? environment.FreezeFile);
            var line = settingAt?.Line ?? (file == first.Target.Pin.File ? PinLine(first.Target.Pin) : 0);
            findings.Add(new Finding
            {
                Check = CheckKinds.Freeze,
                RuleId = "frozen",
                Severity = FindingSeverity.Error,
                Message = $"{environment.Name} is {state.Describe()} ({environment.FreezeFile}{where}), and this change alters what it deploys ({reasons}); " +
                          (rollback ? "it is a rollback, but this freeze does not allow rollbacks." : $"a {kind} is not allowed while frozen{Allowed(state)}."),
                Fix = $"Wait for the freeze to end, or lift it first (./build.sh --target=Unfreeze --env={environment.Name}, merged). To undo a bad release during the freeze use ./build.sh --target=Rollback --app={first.Target.App.Name} --env={environment.Name}.",
                Environment = environment.Name,
                File = file,
                Line = line,
                Column = settingAt?.Column ?? 0,
            });
        }
    }

    /// <summary>Why the target deploys something else than at the merge base; null when it deploys the same.</summary>
    private async Task<string?> AltersAsync(RenderedTarget head, MergeBaseTarget mergeBase, ChangeContext change, CancellationToken cancellationToken)
    {
        // Editing how a frozen environment is pinned or rendered alters it, even when today's files happen to render the same.
        if (mergeBase.SettingsChanged.Count > 0 || mergeBase.Before is not { } before)
        {
            return string.Join(", ", mergeBase.SettingsChanged);
        }

        if (head.Target.Render is not null)
        {
            // A render that fails on either side cannot be shown to be unchanged.
            if (head.Load is null || head.Load.Errors.Any())
            {
                return "its render fails, so it cannot be shown to deploy the same";
            }

            if (mergeBase.Rendered?.Load is not { } old || old.Errors.Any())
            {
                return "its render at the merge base fails, so it cannot be shown to deploy the same";
            }

            return head.Fingerprint().SequenceEqual(mergeBase.Rendered.Fingerprint(), StringComparer.Ordinal) ? null : "its rendered objects change";
        }

        var now = PinState.Read(head.Target.Pin, repository.ReadText(head.Target.Pin.File));
        var then = PinState.Read(before.Pin, await change.MergeBase.ReadTextAsync(before.Pin.File, cancellationToken));
        return now.Image != then.Image ? "its pinned image changes" : null;
    }

    private int PinLine(PinLocation pin)
    {
        var text = repository.ReadText(pin.File);
        return PinState.LineOf(text, PinState.Read(pin, text).DigestText);
    }

    private static Finding Note(EnvironmentConfig environment, string rule, string message) => new()
    {
        Check = CheckKinds.Freeze,
        RuleId = rule,
        Severity = FindingSeverity.Note,
        Message = message,
        Environment = environment.Name,
        File = environment.FreezeFile,
    };

    private static string Allowed(FreezeState state) =>
        state.Allow.Count > 0 ? $" (allowed while frozen: {string.Join(", ", state.Allow)})" : " (nothing is allowed while frozen)";
}
