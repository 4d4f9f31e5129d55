using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Reporting;
using Handoff.DeliveryValidation.Repository;
using Handoff.DeliveryValidation.Scope;
using Handoff.Reports;

namespace Handoff.DeliveryValidation.Checks;

/// <summary>
/// Chain of custody: an image reaches an environment only after running in the one before it. With a
/// change, every digest it newly pins (pin on disk ≠ pin at the merge base) must be what the previous
/// environment runs on the base branch, or a digest this environment ran before (a rollback). Without
/// a change (audit), each environment's current digest must have been pinned in the previous one at
/// some point of history. The first environment takes digests from releases and is not checked.
/// </summary>
internal sealed class CustodyCheck(HandoffConfig config, DeliveryRepository repository, DeliveryHistory history)
{
    public async Task CheckAsync(ScopedTarget scoped, ChangeContext? change, FindingCollector findings, CancellationToken cancellationToken)
    {
        var target = scoped.Target;
        var pin = target.Pin;
        var text = repository.ReadText(pin.File);
        var head = PinState.Read(pin, text);
        if (head.Problem is { } problem)
        {
            findings.Add(Error(target, "pin-unreadable", $"cannot read the image pinned for {target.App.Name} in {target.Environment.Name}: {problem}",
                $"Fix {pin.File} or the pin of {target.App.Name} in {config.File} ({pin.DefinedAt}).", pin.File, 0));
            return;
        }

        if (head.DigestText is { } written && head.Digest is null)
        {
            Digest.TryParse(written, out _, out var reason);
            findings.Add(Error(target, "invalid-digest", $"{pin.Describe()} pins '{written}', which is not a digest: {reason}",
                "Pin the digest a release or promotion wrote (sha256: followed by 64 lowercase hex characters).", pin.File, PinState.LineOf(text, written)));
            return;
        }

        findings.Run(CheckKinds.Custody, target.Scope, 1);
        if (head.Digest is not { } digest)
        {
            return;
        }

        if (change is not null && PinState.Read(pin, await change.MergeBase.ReadTextAsync(pin.File, cancellationToken)).Digest == digest)
        {
            return;
        }

        if (TargetCatalog.Predecessor(config, target) is not { } previous)
        {
            return;
        }

        var previousPin = target.App.Pins[previous.Name];
        var line = PinState.LineOf(text, digest.ToString());
        if (change is null)
        {
            await AuditAsync(target, previous, previousPin, digest, line, findings, cancellationToken);
            return;
        }

        var previousRuns = PinState.Read(previousPin, await change.BaseTip.ReadTextAsync(previousPin.File, cancellationToken)).Digest;
        if (previousRuns == digest)
        {
            return;
        }

        if (await history.EverPinnedAsync(change.Changes.BaseCommit, target.App.Name, target.Environment.Name, pin, digest, cancellationToken))
        {
            findings.Add(new Finding
            {
                Check = CheckKinds.Custody,
                RuleId = "rollback",
                Severity = FindingSeverity.Note,
                Message = $"{target.Environment.Name} goes back to {digest}, which it ran before according to the history of {change.Changes.BaseRef}.",
                App = target.App.Name,
                Environment = target.Environment.Name,
                File = pin.File,
                Line = line,
            });
            return;
        }

        var (where, fix) = await NextStepAsync(target, digest, change, cancellationToken);
        findings.Add(Error(target, "not-promoted-in-order",
            $"{digest} is newly pinned for {target.App.Name} in {target.Environment.Name}, but {previous.Name} does not run it on {change.Changes.BaseRef} " +
            $"({previous.Name} runs {previousRuns?.ToString() ?? "no digest"}; {where}). An image reaches {target.Environment.Name} only after running in {previous.Name}.",
            fix, pin.File, line));
    }

    private async Task AuditAsync(Target target, EnvironmentConfig previous, PinLocation previousPin, Digest digest, int line, FindingCollector findings, CancellationToken cancellationToken)
    {
        if (PinState.Read(previousPin, repository.ReadText(previousPin.File)).Digest == digest)
        {
            return;
        }

        if (!repository.IsGitRepository)
        {
            findings.Add(new Finding
            {
                Check = CheckKinds.Custody,
                RuleId = "no-history",
                Severity = FindingSeverity.Warning,
                Message = $"{target.Environment.Name} runs {digest}, which {previous.Name} does not run now, and {repository.Root} has no git history to show it ran there before.",
                Fix = "Validate a clone of the delivery repository (with its history).",
                App = target.App.Name,
                Environment = target.Environment.Name,
                File = target.Pin.File,
                Line = line,
            });
            return;
        }

        if (!await history.EverPinnedAsync("HEAD", target.App.Name, previous.Name, previousPin, digest, cancellationToken))
        {
            findings.Add(Error(target, "never-ran-in-previous",
                $"{target.Environment.Name} runs {digest} for {target.App.Name}, which was never pinned in {previous.Name} in the history of this branch.",
                $"Roll {target.Environment.Name} back to a digest that went through {previous.Name} (./build.sh --target=Rollback --app={target.App.Name} --env={target.Environment.Name}), or promote the image through {previous.Name} first.",
                target.Pin.File, line));
        }
    }

    /// <summary>How far the digest got on the base branch, and the command that moves it one step on.</summary>
    private async Task<(string Where, string Fix)> NextStepAsync(Target target, Digest digest, ChangeContext change, CancellationToken cancellationToken)
    {
        var chain = config.Environments.Take(target.Environment.Order).Where(e => target.App.Pins.ContainsKey(e.Name)).ToList();
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            var pin = target.App.Pins[chain[i].Name];
            if (PinState.Read(pin, await change.BaseTip.ReadTextAsync(pin.File, cancellationToken)).Digest == digest)
            {
                var next = i + 1 < chain.Count ? chain[i + 1] : target.Environment;
                return ($"it runs in {chain[i].Name}",
                    $"Promote it to {next.Name} first: ./build.sh --target=Promote --app={target.App.Name} --from={chain[i].Name} --to={next.Name}, merge that, then promote it on to {target.Environment.Name}.");
            }
        }

        var first = chain[0];
        return ($"no earlier environment runs it",
            $"Pin it in {first.Name} first (the app's Publish opens that request: ./build.sh --target=OpenPromotionPr --env={first.Name}), then promote it through {string.Join(" → ", chain.Select(e => e.Name).Append(target.Environment.Name))} one step at a time.");
    }

    private static Finding Error(Target target, string rule, string message, string fix, string file, int line) => new()
    {
        Check = CheckKinds.Custody,
        RuleId = rule,
        Severity = FindingSeverity.Error,
        Message = message,
        Fix = fix,
        App = target.App.Name,
        Environment = target.Environment.Name,
        File = file,
        Line = line,
    };
}
