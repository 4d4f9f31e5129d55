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
/// merge base's, or, without render settings, its pin does), unless every commit that makes the change
/// is a rollback and the freeze allows rollbacks. Editing the freeze file deploys nothing, so it passes.
/// Without a base there is no change to judge: active freezes are reported as notes.
/// </summary>
internal sealed class FreezeCheck(
    HandoffConfig config,
    DeliveryRepository repository,
    TimeProvider clock,
    Func<IReadOnlyList<ScopedTarget>, CancellationToken, Task<IReadOnlyList<RenderedTarget>>> renderMergeBase)
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

            var altered = new List<RenderedTarget>();
            var mergeBaseRenders = await renderMergeBase(group.Where(r => r.Target.Render is not null).Select(r => r.Scoped).ToList(), cancellationToken);
            foreach (var target in group)
            {
                if (await AltersAsync(target, mergeBaseRenders.FirstOrDefault(m => m.Target == target.Target), change, cancellationToken))
                {
                    altered.Add(target);
                }
            }

            if (altered.Count == 0)
            {
                findings.Add(Note(environment, "frozen-unchanged", $"{environment.Name} is {state.Describe()} ({environment.FreezeFile}{where}); this change does not alter what it deploys."));
                continue;
            }

            var paths = altered.SelectMany(a => a.Scoped.ChangedFiles).Where(f => f != environment.FreezeFile).Distinct(StringComparer.Ordinal).ToList();
            var commits = await change.History.CommitsTouchingAsync(change.Changes.MergeBase, paths, cancellationToken);
            var rollback = commits.Count > 0 && commits.All(c => c.IsRollback) && !paths.Any(change.Changes.Uncommitted.Contains);
            var kind = rollback ? FreezeGuard.RollbackKind : FreezeGuard.PromotionKind;
            var apps = string.Join(", ", altered.Select(a => a.Target.App.Name));
            if (state.Allows(kind))
            {
                findings.Add(Note(environment, "frozen-rollback", $"{environment.Name} is {state.Describe()} ({environment.FreezeFile}{where}); this change alters {apps} there, and every commit making it is a rollback ({HandoffTrailers.Rollback}: true), which the freeze allows."));
                continue;
            }

            var first = altered[0];
            var file = first.Scoped.ChangedFiles.Contains(first.Target.Pin.File) ? first.Target.Pin.File : paths.FirstOrDefault() ?? environment.FreezeFile;
            findings.Add(new Finding
            {
                Check = CheckKinds.Freeze,
                RuleId = "frozen",
                Severity = FindingSeverity.Error,
                Message = $"{environment.Name} is {state.Describe()} ({environment.FreezeFile}{where}), and this change alters what it deploys ({apps}); " +
                          (rollback ? "it is a rollback, but this freeze does not allow rollbacks." : $"a {kind} is not allowed while frozen{Allowed(state)}."),
                Fix = $"Wait for the freeze to end, or lift it first (./build.sh --target=Unfreeze --env={environment.Name}, merged). To undo a bad release during the freeze use ./build.sh --target=Rollback --app={first.Target.App.Name} --env={environment.Name}.",
                Environment = environment.Name,
                File = file,
                Line = file == first.Target.Pin.File ? PinState.LineOf(repository.ReadText(file), PinState.Read(first.Target.Pin, repository.ReadText(file)).DigestText) : 0,
            });
        }
    }

    /// <summary>True when the target deploys something else than at the merge base.</summary>
    private async Task<bool> AltersAsync(RenderedTarget head, RenderedTarget? mergeBase, ChangeContext change, CancellationToken cancellationToken)
    {
        if (head.Target.Render is not null)
        {
            // A render that fails on either side cannot be shown to be unchanged.
            return head.Load is null || mergeBase?.Load is null || head.Load.Errors.Any() || mergeBase.Load.Errors.Any()
                   || !head.Fingerprint().SequenceEqual(mergeBase.Fingerprint(), StringComparer.Ordinal);
        }

        var pin = head.Target.Pin;
        var now = PinState.Read(pin, repository.ReadText(pin.File));
        var before = PinState.Read(pin, await change.MergeBase.ReadTextAsync(pin.File, cancellationToken));
        return now.Image != before.Image;
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
