using Handoff.Delivery.Git;
using Handoff.Delivery.Promotion;

namespace Handoff.Delivery.Commands;

public sealed record PromoteOptions
{
    public required DeliveryOptions Delivery { get; init; }
    public required string App { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }

    /// <summary>A local clone of the app repository for the change-log excerpt (optional).</summary>
    public string? AppRepository { get; init; }
}

/// <summary>
/// Promote: takes the digest (and tag, source commit, run) pinned in one environment on the base
/// branch and opens the request that pins it in the next one. Never rebuilds; refuses to skip an
/// environment of the configured order.
/// </summary>
public static class PromoteCommand
{
    public static async Task<PromotionResult> RunAsync(PromoteOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        log ??= _ => { };
        var facts = new PromotionFacts();
        var result = await ChangeRunner.RunAsync(options.Delivery, fullHistory: true, async (context, ct) =>
        {
            var config = context.Config;
            var from = config.Environment(options.From);
            var to = config.Environment(options.To);
            var next = config.Next(from);
            if (next?.Name != to.Name)
            {
                throw new HandoffException(to.Order <= from.Order
                    ? $"Cannot promote {options.App} from {from.Name} to {to.Name}: {to.Name} comes before {from.Name} in {config.File} ({string.Join(" → ", config.Environments.Select(e => e.Name))}). To go back to an earlier digest use ./build.sh --target=Rollback --env={to.Name}."
                    : $"Cannot promote {options.App} from {from.Name} to {to.Name}: that skips {string.Join(", ", config.Environments.Skip(from.Order + 1).Take(to.Order - from.Order - 1).Select(e => e.Name))} ({config.File}: {string.Join(" → ", config.Environments.Select(e => e.Name))}). Promote {from.Name} → {next?.Name} first.");
            }

            var source = PinChangePlanner.ReadPin(context.Workspace, config, options.App, from.Name);
            var digest = source.Digest ?? throw new HandoffException($"{from.Name} has no digest pinned for {options.App} ({source.Location.Describe()} on {context.Workspace.BaseBranch}), so there is nothing to promote. Pin one first (OpenPromotionPr --env={from.Name}) and merge it.");
            var record = (await PromotionHistory.ReadAsync(context.Workspace.Git, "HEAD", options.App, from.Name, ct)).FirstOrDefault(r => r.Digest == digest.ToString());
            var subject = new PromotionSubject
            {
                Digest = digest,
                Tag = source.State.Tag is { Length: > 0 } tag ? tag : record?.Tag,
                Repository = source.State.Repository,
                ImageName = source.State.Repository,
                SourceCommit = record?.SourceCommit,
                Run = record?.Run,
                PromotedFrom = from.Name,
            };
            return await PromotionPlan.PlanAsync(context, options.App, to.Name, subject, options.AppRepository, facts, ct);
        }, log, cancellationToken);
        var request = ChangeRequestResult.From(result, options.Delivery);
        log(request.Message);
        return new PromotionResult(request, facts.App, facts.Environment, facts.Digest, facts.Previous);
    }
}
